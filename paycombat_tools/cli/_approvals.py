"""``paycombat approvals``: where the guard's approval commands go (list, show, approve, deny).

Not wired yet: deciding from another process needs the durable action store of issue 10 (a SQLite store
that a CLI without API credentials can decide in, and the process holding the client executes from).
When it lands, add its commands to this group (``approvals.add_command(...)``); until then the group
says so and exits non-zero rather than pretend.
"""

from __future__ import annotations

import click

from ._common import CliError


@click.group(invoke_without_command=True)
@click.pass_context
def approvals(ctx: click.Context) -> None:
    """Review and decide agent-tool actions waiting for a person (needs the guard's action store)."""
    if ctx.invoked_subcommand is None:
        raise CliError("paycombat approvals is not available yet: it needs agent_tools' durable action store "
                       "(issue 10); meanwhile decide in the host application with ConfirmationGuard.approve / .reject")
