"""``python -m paycombat_tools.cli``: the ``paycombat`` command."""

from . import main

main()
