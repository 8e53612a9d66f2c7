"""``ConfirmationGuard``: money-moving and destructive calls wait for a person, then run exactly once.

A tool only *proposes*: the guard seals the exact arguments (canonical JSON and its sha256 digest),
and for a payout to a saved beneficiary the beneficiary as read now, fixes the idempotency
reference, renders the summary and records everything in the audit log. Only the host application
(``approve``/``reject``, a notebook panel, a CLI, a LangGraph interrupt) decides; no tool given to a
model can, and nothing a policy rule does not name runs without a person.

Over a ``SqliteActionStore`` every guard on the same file, in any process, sees and decides the same
actions. A guard without a client (no API credentials, e.g. ``python -m agent_tools approvals``)
only records the decision: the action stays APPROVED until the guard that holds the client runs it,
in ``approve`` itself, ``run_approved()`` or ``poll(action_id)`` (what ``get_action_status`` calls),
each approved action at most once across all processes (its execution is claimed atomically).
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from paycombat_tools.catalog import CATALOG, Operation

from ._execution import Executing, claimer_died
from .actions import ActionRefused, ActionStatus, PendingAction, digest, normalise, seal, sealed_payee, unseal
from .audit import AuditLog
from .policy import ConfirmationPolicy, money_of, policy_data, policy_from_data, spent_by_action
from .store import ActionStore, MemoryActionStore, StoredAction
from .summaries import render_summary
from .text import comparable_name

if TYPE_CHECKING:
    from paycombat_tools import PayCombat

__all__ = ["ActionRefused", "ActionStatus", "ConfirmationGuard", "PendingAction"]

Clock = Callable[[], datetime]

#: States whose amount counts against today's cap (a definite failure, a rejection or a void frees it).
_SPENDING = (ActionStatus.APPROVED, ActionStatus.EXECUTED)


class ConfirmationGuard(Executing):
    """Holds guarded actions until a person decides; executes each approved one exactly once."""

    def __init__(self, policy: ConfirmationPolicy | None = None, audit_log: AuditLog | None = None, *,
                 client: "PayCombat | None" = None, clock: Clock | None = None,
                 store: ActionStore | None = None) -> None:
        self.store: ActionStore = store if store is not None else MemoryActionStore()
        self.policy = self._shared_policy(policy)
        self.audit = audit_log if audit_log is not None else AuditLog()
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._lock = threading.RLock()
        self._client: PayCombat | None = None
        self._executor = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        if client is not None:
            self.bind(client)

    def _shared_policy(self, policy: ConfirmationPolicy | None) -> ConfirmationPolicy:
        """A durable store carries the policy: a given one is saved to it, a guard given none uses the saved one."""
        save, load = getattr(self.store, "save_policy", None), getattr(self.store, "load_policy", None)
        if policy is not None:
            if save is not None:
                save(policy_data(policy))
            return policy
        saved = load() if load is not None else None
        return policy_from_data(saved) if saved else ConfirmationPolicy()

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
        """Record an action for approval; raises ``ActionRefused`` if it is invalid or outside the policy.

        An action an ``AutoApprove`` rule names is approved at once by ``policy:auto:<rule>`` (and run,
        when this guard holds a client); the returned snapshot then shows its state.
        """
        op = self._operation(operation)
        args = normalise(op, arguments)
        facts = dict(facts or {})
        payee = self._payee_at_proposal(op, args)
        if payee is not None:
            facts["beneficiary_name"] = payee.get("beneficiary_name")
        intent = digest(seal(op.name, args))
        auto = None
        with self._decision():
            now = self._now()
            self._expire_due(now)
            for stored in self.store.all():
                if stored.intent == intent and stored.action.status is ActionStatus.PENDING:
                    self.audit.append("proposal_repeated", actor=proposed_by, action_id=stored.action.action_id,
                                      operation=op.name, digest=stored.action.digest, at=now)
                    return self._snapshot(stored)
            violation = self.policy.violation(op.name, args, spent_today=self._spent_today(op.name, args, now))
            if violation:
                self.audit.append("proposal_refused", actor=proposed_by, operation=op.name, at=now,
                                  reason=violation, arguments=args)
                raise ActionRefused(violation, code="policy")
            if op.idempotency_field and not args.get(op.idempotency_field):
                args[op.idempotency_field] = f"agt_{uuid.uuid4().hex}"
            sealed = seal(op.name, args, payee=payee)
            action = PendingAction(
                action_id=f"act_{secrets.token_hex(10)}", operation=op.name, risk=op.risk, arguments=args,
                digest=digest(sealed), summary=render_summary(op.name, args, facts),
                money=money_of(op.name, args), reference_field=op.idempotency_field,
                reference=args.get(op.idempotency_field) if op.idempotency_field else None,
                proposed_by=proposed_by, created_at=now,
                expires_at=now + timedelta(seconds=self.policy.expiry_seconds), facts=facts,
            )
            stored = StoredAction(action, sealed, intent)
            self.store.add(stored)
            self.audit.append("proposed", actor=proposed_by, action_id=action.action_id, operation=op.name,
                              digest=action.digest, at=now, summary=action.summary, risk=op.risk, arguments=args,
                              expires_at=action.expires_at, reference=action.reference, facts=action.facts,
                              **({"payee": payee} if payee is not None else {}), **self._money_detail(action))
            auto = self.policy.auto_rule(op.name, args)
            if auto is not None:
                stored.action = replace(action, status=ActionStatus.APPROVED, decided_by=auto.approver,
                                        decided_at=now)
                self.store.save(stored)
                self.audit.append("approved", actor=auto.approver, action_id=action.action_id,
                                  operation=op.name, digest=action.digest, at=now, rule=auto.name,
                                  **self._money_detail(action))
        if auto is not None and self._client is not None:
            self._run_quietly(action.action_id)
        return self.get(action.action_id)

    def check(self, operation: str, arguments: Mapping[str, Any]) -> str | None:
        """Dry run: why a proposal would be refused now, or None (records nothing)."""
        try:
            op = self._operation(operation)
            args = normalise(op, arguments)
        except ActionRefused as refused:
            return refused.reason
        with self.store.transaction():
            return self.policy.violation(op.name, args, spent_today=self._spent_today(op.name, args, self._now()))

    # -- looking --------------------------------------------------------------------------------------

    def get(self, action_id: str) -> PendingAction:
        self._expire_visible()
        return self._snapshot(self._record(action_id))

    def actions(self) -> list[PendingAction]:
        self._expire_visible()
        return [self._snapshot(stored) for stored in self.store.all()]

    def pending(self) -> list[PendingAction]:
        """Actions still waiting for a decision, oldest first."""
        return [action for action in self.actions() if action.status is ActionStatus.PENDING]

    def poll(self, action_id: str) -> PendingAction:
        """The action, after running it first if it is approved, waiting, and this guard holds the client."""
        stored = self._record(action_id)
        if self._client is not None and stored.action.status is ActionStatus.APPROVED and stored.claimed_by is None:
            self._run_quietly(action_id)
        return self.get(action_id)

    def run_approved(self) -> list[PendingAction]:
        """Run every approved action still waiting (decided elsewhere, e.g. by the approvals CLI); what ran.

        An action claimed by an executor on this host whose process has died is recorded FAILED with an
        unknown outcome (for ``resend``), never run again on its own.
        """
        if self._client is None:
            raise RuntimeError("the guard has no client: call guard.bind(client) to run approved actions")
        ran = []
        for stored in self.store.all():
            if stored.action.status is ActionStatus.APPROVED and claimer_died(stored.claimed_by):
                self._abandoned(stored)
            elif stored.action.status is ActionStatus.APPROVED and stored.claimed_by is None:
                if self._run_quietly(stored.action.action_id):
                    ran.append(self.get(stored.action.action_id))
        return ran

    # -- deciding (host application only) ----------------------------------------------------------

    def approve(self, action_id: str, *, approver: str, expected_digest: str | None = None) -> Any:
        """Approve; with a client, execute once with exactly the sealed arguments and return the API's result.

        A guard without a client over a durable store records the decision and returns the APPROVED
        action: the guard that holds the client runs it (``run_approved``/``poll``). The day cap is
        checked in the same store transaction as the decision.
        """
        approver = self._actor(approver)
        if self._client is None and not self.store.durable:
            raise RuntimeError("the guard has no client: call guard.bind(client) (build_tools does), or keep "
                               "actions in a durable store that the process holding the client runs from")
        payee_now = self._payee_before_deciding(action_id, approver)
        with self._decision():
            now = self._now()
            stored = self._decidable(action_id, approver, now, "approve")
            action = stored.action
            if not self._intact(stored) or (expected_digest is not None and expected_digest != action.digest):
                self._void(stored, now, approver, "the arguments differ from what was proposed")
                raise ActionRefused("refused: the action was tampered with (its arguments no longer match the "
                                    "proposal); it is void", code="tampered", action_id=action_id)
            sealed = sealed_payee(stored.sealed)
            if payee_now is not None and sealed is not None and payee_now != sealed:
                self._payee_changed(stored, now, approver, sealed, payee_now)
            arguments = unseal(stored.sealed)
            violation = self.policy.violation(action.operation, arguments,
                                              spent_today=self._spent_today(action.operation, arguments, now))
            if violation:
                self._refuse(stored, approver, now, f"refused by policy at approval: {violation}", "policy")
            stored.action = replace(action, status=ActionStatus.APPROVED, decided_by=approver, decided_at=now)
            self.store.save(stored)
            self.audit.append("approved", actor=approver, action_id=action_id, operation=action.operation,
                              digest=action.digest, at=now, **self._money_detail(action))
        if self._client is None:
            return self.get(action_id)
        return self._run(action_id, approver)

    def reject(self, action_id: str, *, approver: str, reason: str = "") -> PendingAction:
        """Reject a pending action; it can never run."""
        approver = self._actor(approver)
        with self._decision():
            now = self._now()
            stored = self._decidable(action_id, approver, now, "reject")
            stored.action = replace(stored.action, status=ActionStatus.REJECTED, decided_by=approver, decided_at=now)
            self.store.save(stored)
            self.audit.append("rejected", actor=approver, action_id=action_id, operation=stored.action.operation,
                              digest=stored.action.digest, at=now, reason=reason)
        return self.get(action_id)

    def resend(self, action_id: str, *, approver: str) -> Any:
        """After a failure whose outcome is unknown (network), send the *same* request again.

        Safe because the idempotency reference was fixed at proposal: the API returns the original record.
        The proposer can't resend its own action, any more than approve it.
        """
        approver = self._actor(approver)
        if self._client is None and not self.store.durable:
            raise RuntimeError("the guard has no client: call guard.bind(client)")
        with self._decision():
            now = self._now()
            stored = self._record(action_id, actor=approver, now=now)
            action = stored.action
            self._not_the_proposer(stored, approver, now)
            if action.status is not ActionStatus.FAILED or not action.outcome_unknown or not action.reference:
                self._refuse(stored, approver, now, "refused: only a failed action with an unknown outcome and an "
                             f"idempotency reference can be re-sent (this one is {action.status.value})",
                             "not_resendable")
            if not self._intact(stored):
                self._refuse(stored, approver, now, "refused: the action was tampered with", "tampered")
            stored.action = replace(action, status=ActionStatus.APPROVED, error=None)
            stored.claimed_by = None
            self.store.save(stored)
            self.audit.append("resent", actor=approver, action_id=action_id, operation=action.operation,
                              digest=action.digest, at=now, reference=action.reference)
        if self._client is None:
            return self.get(action_id)
        return self._run(action_id, approver)

    # -- internals ---------------------------------------------------------------------------------------

    @contextmanager
    def _decision(self) -> Iterator[None]:
        """One store transaction; a refusal raised inside still commits what was recorded (a void, an expiry)."""
        refusal: ActionRefused | None = None
        with self.store.transaction():
            try:
                yield
            except ActionRefused as refused:
                refusal = refused
        if refusal is not None:
            raise refusal

    def _decidable(self, action_id: str, approver: str, now: datetime, verb: str) -> StoredAction:
        """The record if it can still be decided; otherwise audit the attempt and refuse."""
        stored = self._record(action_id, actor=approver, now=now)
        if stored.action.status is ActionStatus.PENDING and now >= stored.action.expires_at:
            self._expire(stored, now)
        self._not_the_proposer(stored, approver, now, verb)
        action = stored.action
        reasons = {
            ActionStatus.EXPIRED: ("expired", f"refused: the action expired at {action.expires_at.isoformat()}"),
            ActionStatus.REJECTED: ("rejected", f"refused: the action was rejected by {action.decided_by}"),
            ActionStatus.EXECUTED: ("already_executed", "refused: the action was already executed (no replays)"),
            ActionStatus.APPROVED: ("in_progress", "refused: the action is already approved and executing"),
            ActionStatus.FAILED: ("already_executed", "refused: the action was already attempted and failed "
                                  "(see resend for unknown outcomes)"),
            ActionStatus.VOID: ("tampered", "refused: the action is void (it was tampered with or its payee "
                                "changed)"),
        }
        if action.status in reasons:
            code, reason = reasons[action.status]
            self._refuse(stored, approver, now, reason, code, verb=verb)
        return stored

    def _not_the_proposer(self, stored: StoredAction, approver: str, now: datetime, verb: str = "approve") -> None:
        if comparable_name(approver) == comparable_name(stored.action.proposed_by):
            self._refuse(stored, approver, now, f"refused: {approver!r} proposed this action (as "
                         f"{stored.action.proposed_by!r}) and cannot decide it", "self_approval", verb=verb)

    def _refuse(self, stored: StoredAction, actor: str, now: datetime, reason: str, code: str,
                verb: str = "approve") -> None:
        action = stored.action
        self.audit.append(f"{verb}_refused" if verb == "reject" else "approval_refused", actor=actor,
                          action_id=action.action_id, operation=action.operation, digest=action.digest, at=now,
                          reason=reason, code=code)
        raise ActionRefused(reason, code=code, action_id=action.action_id)

    def _void(self, stored: StoredAction, now: datetime, actor: str, reason: str, *, code: str = "tampered",
              **detail: Any) -> None:
        stored.action = replace(stored.action, status=ActionStatus.VOID, decided_at=stored.action.decided_at or now)
        self.store.save(stored)
        self.audit.append("voided", actor="guard", action_id=stored.action.action_id,
                          operation=stored.action.operation, digest=stored.action.digest, at=now,
                          attempted_by=actor, reason=reason, code=code, **detail)

    def _record(self, action_id: str, *, actor: str | None = None, now: datetime | None = None) -> StoredAction:
        """The action's record; an unknown id is refused (and audited when a decision was attempted)."""
        stored = self.store.get(action_id) if isinstance(action_id, str) else None
        if stored is None:
            shown = str(action_id)[:80]
            if actor is not None:
                self.audit.append("approval_refused", actor=actor, action_id=shown, at=now or self._now(),
                                  reason="no such action", code="unknown_action")
            raise ActionRefused(f"refused: no action {shown!r} is known to this guard", code="unknown_action",
                                action_id=shown)
        return stored

    def _intact(self, stored: StoredAction) -> bool:
        """The sealed bytes still digest to the proposal; the audit log, where it saw the proposal, agrees."""
        proposed = [e["digest"] for e in self.audit.entries(stored.action.action_id) if e["event"] == "proposed"]
        logged = proposed == [stored.action.digest] or (self.store.durable and not proposed)
        return digest(stored.sealed) == stored.action.digest and logged

    def _expire_visible(self) -> None:
        now = self._now()
        if any(s.action.status is ActionStatus.PENDING and now >= s.action.expires_at for s in self.store.all()):
            with self.store.transaction():
                self._expire_due(now)

    def _expire_due(self, now: datetime) -> None:
        for stored in self.store.all():
            if stored.action.status is ActionStatus.PENDING and now >= stored.action.expires_at:
                self._expire(stored, now)

    def _expire(self, stored: StoredAction, now: datetime) -> None:
        stored.action = replace(stored.action, status=ActionStatus.EXPIRED, decided_at=now)
        self.store.save(stored)
        self.audit.append("expired", actor="guard", action_id=stored.action.action_id,
                          operation=stored.action.operation, digest=stored.action.digest, at=now,
                          expires_at=stored.action.expires_at)

    def _spent_today(self, operation: str, arguments: Mapping[str, Any], now: datetime) -> Decimal:
        """Today's spending in the action's currency: the store's actions, plus what only the audit log knows."""
        money = money_of(operation, arguments)
        if money is None:
            return Decimal(0)
        counted = spent_by_action(self.audit.entries(), money.currency, now)
        day = now.astimezone(timezone.utc).date()
        for stored in self.store.all():
            action = stored.action
            if action.money is None or action.money.currency != money.currency:
                continue
            spends = action.status in _SPENDING or (action.status is ActionStatus.FAILED and action.outcome_unknown)
            if spends and action.decided_at is not None and action.decided_at.astimezone(timezone.utc).date() == day:
                counted[action.action_id] = action.money.amount
            else:
                counted.pop(action.action_id, None)
        return sum(counted.values(), Decimal(0))

    @staticmethod
    def _operation(name: str) -> Operation:
        op = CATALOG.get(name)
        if op is None:
            raise ActionRefused(f"unknown operation {name!r}", code="unknown_operation")
        return op

    @staticmethod
    def _actor(name: str) -> str:
        if not isinstance(name, str) or not comparable_name(name):
            raise ActionRefused("refused: a decision needs the approver's name", code="no_approver")
        if comparable_name(name).startswith("policy:"):
            raise ActionRefused("refused: names starting with 'policy:' are kept for the policy's own approvals",
                                code="reserved_approver")
        return name.strip()[:100]

    @staticmethod
    def _money_detail(action: PendingAction) -> dict[str, Any]:
        return {"amount": action.money.amount, "currency": action.money.currency} if action.money else {}

    @staticmethod
    def _snapshot(stored: StoredAction) -> PendingAction:
        return replace(stored.action, arguments=unseal(stored.sealed), facts=dict(stored.action.facts))

    def _now(self) -> datetime:
        now = self._clock()
        return now if now.tzinfo else now.replace(tzinfo=timezone.utc)

    def __repr__(self) -> str:
        counts: dict[str, int] = {}
        for stored in self.store.all():
            counts[stored.action.status.value] = counts.get(stored.action.status.value, 0) + 1
        return f"<ConfirmationGuard {counts or 'no actions'} policy={self.policy!r} store={self.store!r}>"
