"""``ConfirmationGuard``: money-moving and destructive calls wait for a person, then run exactly once.

A tool only *proposes*: the guard seals the exact arguments (canonical JSON and its sha256 digest),
fixes the idempotency reference, renders the summary from the arguments and records everything
in the audit log. Only the host application (``approve``/``reject``, a notebook panel, a CLI
prompt, a LangGraph interrupt) decides; no tool given to a model can.
"""

from __future__ import annotations

import secrets
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from paycombat_tools.catalog import CATALOG, Operation
from paycombat_tools.errors import NetworkError, PayCombatError, ServerError

from .actions import ActionRefused, ActionStatus, PendingAction, digest, normalise, result_ref, seal, unseal
from .audit import AuditLog
from .policy import ConfirmationPolicy, money_of, spent_today
from .summaries import render_summary

if TYPE_CHECKING:
    from paycombat_tools import PayCombat

__all__ = ["ActionRefused", "ActionStatus", "ConfirmationGuard", "PendingAction"]

Clock = Callable[[], datetime]


@dataclass
class _Record:
    action: PendingAction
    sealed: bytes  # canonical JSON of {"operation", "arguments"}: what runs, byte for byte
    intent: str  # digest without the idempotency reference, to spot repeated proposals


class ConfirmationGuard:
    """Holds guarded actions until a person decides; executes each approved one exactly once."""

    def __init__(self, policy: ConfirmationPolicy | None = None, audit_log: AuditLog | None = None, *,
                 client: "PayCombat | None" = None, clock: Clock | None = None) -> None:
        self.policy = policy or ConfirmationPolicy()
        self.audit = audit_log if audit_log is not None else AuditLog()
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._lock = threading.RLock()
        self._records: dict[str, _Record] = {}
        self._client: PayCombat | None = None
        if client is not None:
            self.bind(client)

    def bind(self, client: "PayCombat") -> None:
        """Use ``client`` to execute approved actions (its credentials are never written to the audit log)."""
        with self._lock:
            if self._client is not None and self._client is not client:
                raise ValueError("this guard already executes through another client")
            self._client = client
            for secret in (client.config.token, client.config.signature_key):
                self.audit.add_secret(secret.reveal())

    # -- proposing (what tools call) ---------------------------------------------------------------

    def propose(self, operation: str, arguments: Mapping[str, Any], *, facts: Mapping[str, Any] | None = None,
                proposed_by: str = "assistant") -> PendingAction:
        """Record an action for approval; raises ``ActionRefused`` if it is invalid or outside the policy."""
        op = self._operation(operation)
        args = normalise(op, arguments)
        intent = digest(seal(op.name, args))
        now = self._now()
        with self._lock:
            self._expire_due(now)
            for record in self._records.values():
                if record.intent == intent and record.action.status is ActionStatus.PENDING:
                    self.audit.append("proposal_repeated", actor=proposed_by, action_id=record.action.action_id,
                                      operation=op.name, digest=record.action.digest, at=now)
                    return self._snapshot(record)
            violation = self.policy.violation(op.name, args, spent_today=self._spent_today(op.name, args, now))
            if violation:
                self.audit.append("proposal_refused", actor=proposed_by, operation=op.name, at=now,
                                  reason=violation, arguments=args)
                raise ActionRefused(violation, code="policy")
            if op.idempotency_field and not args.get(op.idempotency_field):
                args[op.idempotency_field] = f"agt_{uuid.uuid4().hex}"
            sealed = seal(op.name, args)
            action = PendingAction(
                action_id=f"act_{secrets.token_hex(10)}", operation=op.name, risk=op.risk, arguments=args,
                digest=digest(sealed), summary=render_summary(op.name, args, facts or {}),
                money=money_of(op.name, args), reference_field=op.idempotency_field,
                reference=args.get(op.idempotency_field) if op.idempotency_field else None,
                proposed_by=proposed_by, created_at=now,
                expires_at=now + timedelta(seconds=self.policy.expiry_seconds), facts=dict(facts or {}),
            )
            self._records[action.action_id] = _Record(action, sealed, intent)
            self.audit.append("proposed", actor=proposed_by, action_id=action.action_id, operation=op.name,
                              digest=action.digest, at=now, summary=action.summary, risk=op.risk, arguments=args,
                              expires_at=action.expires_at, reference=action.reference, facts=action.facts,
                              **self._money_detail(action))
            return self._snapshot(self._records[action.action_id])

    def check(self, operation: str, arguments: Mapping[str, Any]) -> str | None:
        """Dry run: why a proposal would be refused now, or None (records nothing)."""
        try:
            op = self._operation(operation)
            args = normalise(op, arguments)
        except ActionRefused as refused:
            return refused.reason
        with self._lock:
            return self.policy.violation(op.name, args, spent_today=self._spent_today(op.name, args, self._now()))

    # -- looking --------------------------------------------------------------------------------------

    def get(self, action_id: str) -> PendingAction:
        with self._lock:
            self._expire_due(self._now())
            return self._snapshot(self._record(action_id))

    def actions(self) -> list[PendingAction]:
        with self._lock:
            self._expire_due(self._now())
            return [self._snapshot(record) for record in self._records.values()]

    def pending(self) -> list[PendingAction]:
        """Actions still waiting for a decision, oldest first."""
        return [action for action in self.actions() if action.status is ActionStatus.PENDING]

    # -- deciding (host application only) ----------------------------------------------------------

    def approve(self, action_id: str, *, approver: str, expected_digest: str | None = None) -> Any:
        """Approve and execute once with exactly the recorded arguments; returns the API's result."""
        approver = self._actor(approver)
        with self._lock:
            now = self._now()
            record = self._decidable(action_id, approver, now, "approve")
            action = record.action
            if not self._intact(record) or (expected_digest is not None and expected_digest != action.digest):
                record.action = replace(action, status=ActionStatus.VOID, decided_at=now)
                self.audit.append("voided", actor="guard", action_id=action_id, operation=action.operation,
                                  digest=action.digest, at=now, attempted_by=approver,
                                  reason="the arguments differ from what was proposed")
                raise ActionRefused("refused: the action was tampered with (its arguments no longer match the "
                                    "proposal); it is void", code="tampered", action_id=action_id)
            sealed_args = unseal(record.sealed)
            violation = self.policy.violation(action.operation, sealed_args,
                                              spent_today=self._spent_today(action.operation, sealed_args, now))
            if violation:
                self._refuse(record, approver, now, f"refused by policy at approval: {violation}", "policy")
            record.action = replace(action, status=ActionStatus.APPROVED, decided_by=approver, decided_at=now)
            self.audit.append("approved", actor=approver, action_id=action_id, operation=action.operation,
                              digest=action.digest, at=now, **self._money_detail(action))
        return self._execute(record, approver)

    def reject(self, action_id: str, *, approver: str, reason: str = "") -> PendingAction:
        """Reject a pending action; it can never run."""
        approver = self._actor(approver)
        with self._lock:
            now = self._now()
            record = self._decidable(action_id, approver, now, "reject")
            record.action = replace(record.action, status=ActionStatus.REJECTED, decided_by=approver, decided_at=now)
            self.audit.append("rejected", actor=approver, action_id=action_id, operation=record.action.operation,
                              digest=record.action.digest, at=now, reason=reason)
            return self._snapshot(record)

    def resend(self, action_id: str, *, approver: str) -> Any:
        """After a failure whose outcome is unknown (network), send the *same* request again.

        Safe because the idempotency reference was fixed at proposal: the API returns the original record.
        """
        approver = self._actor(approver)
        with self._lock:
            now = self._now()
            record = self._record(action_id, actor=approver, now=now)
            action = record.action
            if action.status is not ActionStatus.FAILED or not action.outcome_unknown or not action.reference:
                self._refuse(record, approver, now, "refused: only a failed action with an unknown outcome and an "
                             f"idempotency reference can be re-sent (this one is {action.status.value})",
                             "not_resendable")
            if not self._intact(record):
                self._refuse(record, approver, now, "refused: the action was tampered with", "tampered")
            record.action = replace(action, status=ActionStatus.APPROVED, error=None)
            self.audit.append("resent", actor=approver, action_id=action_id, operation=action.operation,
                              digest=action.digest, at=now, reference=action.reference)
        return self._execute(record, approver)

    # -- internals ---------------------------------------------------------------------------------------

    def _execute(self, record: _Record, approver: str) -> Any:
        action = record.action
        if self._client is None:
            raise RuntimeError("the guard has no client: call guard.bind(client) (build_tools does)")
        arguments = unseal(record.sealed)  # exactly the sealed bytes
        try:
            result = self._client.operation(action.operation)(**arguments)
        except Exception as error:
            unknown = isinstance(error, (NetworkError, ServerError)) or not isinstance(error, PayCombatError)
            with self._lock:
                now = self._now()
                record.action = replace(record.action, status=ActionStatus.FAILED, error=str(error),
                                        outcome_unknown=unknown)
                self.audit.append("failed", actor=approver, action_id=action.action_id, operation=action.operation,
                                  digest=action.digest, at=now, error=f"{type(error).__name__}: {error}",
                                  outcome_unknown=unknown)
            raise
        with self._lock:
            record.action = replace(record.action, status=ActionStatus.EXECUTED, result=result)
            self.audit.append("executed", actor=approver, action_id=action.action_id, operation=action.operation,
                              digest=action.digest, at=self._now(), result=result_ref(result))
        return result

    def _decidable(self, action_id: str, approver: str, now: datetime, verb: str) -> _Record:
        """The record if it can still be decided; otherwise audit the attempt and refuse."""
        record = self._record(action_id, actor=approver, now=now)
        action = record.action
        if action.status is ActionStatus.PENDING and now >= action.expires_at:
            self._expire(record, now)
            action = record.action
        if approver == action.proposed_by:
            self._refuse(record, approver, now, f"refused: {approver!r} proposed this action and cannot decide it",
                         "self_approval")
        reasons = {
            ActionStatus.EXPIRED: ("expired", f"refused: the action expired at {action.expires_at.isoformat()}"),
            ActionStatus.REJECTED: ("rejected", f"refused: the action was rejected by {action.decided_by}"),
            ActionStatus.EXECUTED: ("already_executed", "refused: the action was already executed (no replays)"),
            ActionStatus.APPROVED: ("in_progress", "refused: the action is already approved and executing"),
            ActionStatus.FAILED: ("already_executed", "refused: the action was already attempted and failed "
                                  "(see resend for unknown outcomes)"),
            ActionStatus.VOID: ("tampered", "refused: the action is void (it was tampered with)"),
        }
        if action.status in reasons:
            code, reason = reasons[action.status]
            self._refuse(record, approver, now, reason, code, verb=verb)
        return record

    def _refuse(self, record: _Record, actor: str, now: datetime, reason: str, code: str,
                verb: str = "approve") -> None:
        action = record.action
        self.audit.append(f"{verb}_refused" if verb == "reject" else "approval_refused", actor=actor,
                          action_id=action.action_id, operation=action.operation, digest=action.digest, at=now,
                          reason=reason, code=code)
        raise ActionRefused(reason, code=code, action_id=action.action_id)

    def _record(self, action_id: str, *, actor: str | None = None, now: datetime | None = None) -> _Record:
        """The action's record; an unknown id is refused (and audited when a decision was attempted)."""
        record = self._records.get(action_id) if isinstance(action_id, str) else None
        if record is None:
            shown = str(action_id)[:80]
            if actor is not None:
                self.audit.append("approval_refused", actor=actor, action_id=shown, at=now or self._now(),
                                  reason="no such action", code="unknown_action")
            raise ActionRefused(f"refused: no action {shown!r} is known to this guard", code="unknown_action",
                                action_id=shown)
        return record

    def _intact(self, record: _Record) -> bool:
        proposed = [e["digest"] for e in self.audit.entries(record.action.action_id) if e["event"] == "proposed"]
        return digest(record.sealed) == record.action.digest and proposed == [record.action.digest]

    def _expire_due(self, now: datetime) -> None:
        for record in self._records.values():
            if record.action.status is ActionStatus.PENDING and now >= record.action.expires_at:
                self._expire(record, now)

    def _expire(self, record: _Record, now: datetime) -> None:
        record.action = replace(record.action, status=ActionStatus.EXPIRED, decided_at=now)
        self.audit.append("expired", actor="guard", action_id=record.action.action_id,
                          operation=record.action.operation, digest=record.action.digest, at=now,
                          expires_at=record.action.expires_at)

    def _spent_today(self, operation: str, arguments: Mapping[str, Any], now: datetime) -> Decimal:
        money = money_of(operation, arguments)
        return spent_today(self.audit.entries(), money.currency, now) if money else Decimal(0)

    @staticmethod
    def _operation(name: str) -> Operation:
        op = CATALOG.get(name)
        if op is None:
            raise ActionRefused(f"unknown operation {name!r}", code="unknown_operation")
        return op

    @staticmethod
    def _actor(name: str) -> str:
        if not isinstance(name, str) or not name.strip():
            raise ActionRefused("refused: a decision needs the approver's name", code="no_approver")
        return name.strip()[:100]

    @staticmethod
    def _money_detail(action: PendingAction) -> dict[str, Any]:
        return {"amount": action.money.amount, "currency": action.money.currency} if action.money else {}

    @staticmethod
    def _snapshot(record: _Record) -> PendingAction:
        return replace(record.action, arguments=unseal(record.sealed), facts=dict(record.action.facts))

    def _now(self) -> datetime:
        now = self._clock()
        return now if now.tzinfo else now.replace(tzinfo=timezone.utc)

    def __repr__(self) -> str:
        counts: dict[str, int] = {}
        for record in self._records.values():
            counts[record.action.status.value] = counts.get(record.action.status.value, 0) + 1
        return f"<ConfirmationGuard {counts or 'no actions'} policy={self.policy!r}>"
