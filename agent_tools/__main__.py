"""``python -m agent_tools approvals …``: decide guarded actions over a shared action store."""

from __future__ import annotations

from .approvals_cli import main

if __name__ == "__main__":
    main(prog_name="python -m agent_tools")
