"""``python -m agent_tools approvals list | show ID | approve ID --as NAME | reject ID --as NAME --reason TEXT``.

Decides over a ``SqliteActionStore`` file without API credentials: approving records the decision, and
the process that holds the client (the agent's guard) runs it once. Everything printed is neutralised:
hidden characters show as ``⟨U+XXXX⟩`` escapes, never reach the terminal raw.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import click

from .actions import ActionRefused, PendingAction
from .text import neutralise

__all__ = ["approvals", "main"]

F = TypeVar("F", bound=Callable[..., Any])


def _store_option(command: F) -> F:
    command = click.option("--audit", "audit", type=click.Path(dir_okay=False, path_type=Path), default=None,
                           envvar="AGENT_TOOLS_AUDIT",
                           help="audit log to append decisions to (default: STORE with .audit.jsonl)")(command)
    return click.option("--store", "store", type=click.Path(dir_okay=False, path_type=Path), required=True,
                        envvar="AGENT_TOOLS_STORE", help="the guard's SQLite action store file")(command)


def _guard(store: Path, audit: Path | None) -> Any:
    from .audit import AuditLog
    from .guard import ConfirmationGuard
    from .store import SqliteActionStore

    if not store.is_file():
        raise click.ClickException(f"no action store at {neutralise(store)} (give the file the guard uses)")
    return ConfirmationGuard(audit_log=AuditLog(audit or store.with_suffix(".audit.jsonl")),
                             store=SqliteActionStore(store))


def _console() -> Any:
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 200, highlight=False)


def _text(value: Any) -> Any:
    from rich.text import Text

    return Text(neutralise("" if value is None else value))  # Text: no markup is interpreted


def _when(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


def _flat(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _flat(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _flat(item, f"{prefix}[{index}]")
    else:
        yield prefix, value


def _exact(value: Any) -> str:
    """A sealed value as JSON shows it: strings quoted, numbers bare, true/false/null."""
    if isinstance(value, str):
        return '"' + value + '"'
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _refusal(refused: ActionRefused) -> click.ClickException:
    return click.ClickException(f"{neutralise(refused.reason)} [{refused.code}]")


@click.group()
def approvals() -> None:
    """Review and decide the actions a support assistant proposed (no API credentials needed)."""


@approvals.command("list")
@_store_option
@click.option("--all", "show_all", is_flag=True, help="every action, not only those waiting for a decision")
def list_actions(store: Path, audit: Path | None, show_all: bool) -> None:
    """Actions waiting for a decision (oldest first)."""
    from rich.table import Table

    guard = _guard(store, audit)
    actions = guard.actions() if show_all else guard.pending()
    table = Table("id", "status", "risk", "summary", "expires", title=f"{len(actions)} action(s)")
    for action in actions:
        table.add_row(_text(action.action_id), _text(action.status.value), _text(action.risk),
                      _text(action.summary), _text(_when(action.expires_at)))
    _console().print(table)


def _show(action: PendingAction) -> None:
    from rich.table import Table

    details = Table("field", "value", title=f"action {neutralise(action.action_id)}", show_header=False)
    for label, value in (("summary", action.summary), ("status", action.status.value), ("risk", action.risk),
                         ("operation", action.operation), ("amount", action.money),
                         ("proposed by", action.proposed_by), ("created", _when(action.created_at)),
                         ("expires", _when(action.expires_at)), ("decided by", action.decided_by),
                         ("decided", _when(action.decided_at)), ("reference", action.reference),
                         ("digest", action.digest), ("error", action.error)):
        if value not in (None, ""):
            details.add_row(_text(label), _text(value))
    arguments = Table("argument", "exact value (as sent)", title="arguments")
    for key, value in _flat(action.arguments):
        arguments.add_row(_text(key), _text(_exact(value)))
    console = _console()
    console.print(details)
    console.print(arguments)


@approvals.command("show")
@_store_option
@click.argument("action_id")
def show(store: Path, audit: Path | None, action_id: str) -> None:
    """One action: the summary, risk, expiry and the exact arguments that would run."""
    try:
        _show(_guard(store, audit).get(action_id))
    except ActionRefused as refused:
        raise _refusal(refused) from None


@approvals.command("approve")
@_store_option
@click.argument("action_id")
@click.option("--as", "approver", required=True, help="your name, recorded in the audit log")
@click.option("--digest", "expected_digest", default=None, help="approve only if the action still has this digest")
def approve(store: Path, audit: Path | None, action_id: str, approver: str, expected_digest: str | None) -> None:
    """Approve an action: the process holding the API client runs it once, with the sealed arguments."""
    try:
        action = _guard(store, audit).approve(action_id, approver=approver, expected_digest=expected_digest)
    except ActionRefused as refused:
        raise _refusal(refused) from None
    click.echo(f"approved {neutralise(action.action_id)} as {neutralise(approver)}: {action.status.value}, "
               "it runs in the process that holds the API client")


@approvals.command("reject")
@_store_option
@click.argument("action_id")
@click.option("--as", "approver", required=True, help="your name, recorded in the audit log")
@click.option("--reason", default="", help="why (recorded in the audit log)")
def reject(store: Path, audit: Path | None, action_id: str, approver: str, reason: str) -> None:
    """Reject an action: it can never run."""
    try:
        action = _guard(store, audit).reject(action_id, approver=approver, reason=reason)
    except ActionRefused as refused:
        raise _refusal(refused) from None
    click.echo(f"rejected {neutralise(action.action_id)} as {neutralise(approver)}")


@click.group()
def main() -> None:
    """agent_tools commands."""


main.add_command(approvals)
