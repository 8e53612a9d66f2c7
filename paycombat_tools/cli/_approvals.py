"""``paycombat approvals``: list, show, approve and reject agent-tool actions over the guard's action store.

The commands are ``agent_tools.approvals_cli``'s (the durable ``SqliteActionStore`` a CLI without API
credentials decides in; the process holding the client executes). Without ``agent_tools`` installed
the group says so and exits non-zero rather than pretend.
"""

from __future__ import annotations

import click

from ._common import CliError

_decisions: click.Group | None
try:
    from agent_tools.approvals_cli import approvals as _decisions
except ImportError:  # agent_tools is not installed
    _decisions = None


@click.group(invoke_without_command=True)
@click.pass_context
def approvals(ctx: click.Context) -> None:
    """Review and decide agent-tool actions waiting for a person (over the guard's --store file)."""
    if ctx.invoked_subcommand is None:
        if _decisions is None:
            raise CliError("paycombat approvals needs agent_tools (its durable action store); decide in the host "
                           "application with ConfirmationGuard.approve / .reject")
        raise CliError("paycombat approvals needs a command: list, show, approve or reject (see --help)")


for _name, _command in (_decisions.commands.items() if _decisions is not None else ()):
    approvals.add_command(_command, _name)
