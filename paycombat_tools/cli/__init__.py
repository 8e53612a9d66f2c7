"""The ``paycombat`` command: ``sandbox serve``, ``listen``, ``trigger``, ``call`` (and ``approvals``).

One module per verb; every failure is one line on stderr and a non-zero exit. Needs the ``cli`` extra
(click, rich); ``sandbox serve`` also the ``sandbox`` extra.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NoReturn

import click

from .. import __version__
from ._approvals import approvals
from ._call import call
from ._common import run
from ._listen import listen
from ._sandbox import sandbox
from ._trigger import trigger

__all__ = ["main", "paycombat"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="paycombat")
def paycombat() -> None:
    """Tools around the PayCombat API and its local sandbox.

    Credentials come from PAYCOMBAT_BASE_URL, PAYCOMBAT_TOKEN and PAYCOMBAT_SIGNATURE_KEY (or a .env
    file); `paycombat sandbox serve` prints a sandbox's.
    """


for command in (sandbox, listen, trigger, call, approvals):
    paycombat.add_command(command)


def main(args: Sequence[str] | None = None) -> NoReturn:
    """The console script: ``paycombat ...``."""
    run(paycombat, args)
