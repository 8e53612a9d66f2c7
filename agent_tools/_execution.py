"""The half of ``ConfirmationGuard`` that runs approved actions: claim, execute once, record, read back.

Also the saved payee of a payout to a beneficiary: read at proposal, sealed, and read again before
paying (changed means the action is void). Mixed into ``ConfirmationGuard``; not used on its own.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from paycombat_tools.catalog import Operation
from paycombat_tools.errors import NetworkError, PayCombatError, ServerError

from .actions import ActionRefused, ActionStatus, PendingAction, result_ref, sealed_payee, unseal
from .audit import AuditLog
from .readback import EFFECTS, doubtful, read_payee
from .store import ActionStore, StoredAction

if TYPE_CHECKING:
    from paycombat_tools import PayCombat


class Executing:
    """Running approved actions exactly once, and checking the payee they pay (a mixin of the guard)."""

    store: ActionStore
    audit: AuditLog
    _client: "PayCombat | None"
    _executor: str

    if TYPE_CHECKING:  # provided by ConfirmationGuard
        def get(self, action_id: str) -> PendingAction: ...

        def _record(self, action_id: str, *, actor: str | None = None,
                    now: datetime | None = None) -> StoredAction: ...

        def _now(self) -> datetime: ...

        def _decision(self) -> AbstractContextManager[None]: ...

        def _void(self, stored: StoredAction, now: datetime, actor: str, reason: str, *, code: str = "tampered",
                  **detail: Any) -> None: ...

    # -- executing -------------------------------------------------------------------------------------

    def _run(self, action_id: str, actor: str) -> Any:
        """Claim the approved action and execute it; if another executor claimed it first, its snapshot."""
        if not self.store.claim(action_id, self._executor):
            return self.get(action_id)
        stored = self._record(action_id)
        return self._execute(stored, stored.action.decided_by or actor)

    def _run_quietly(self, action_id: str) -> bool:
        """``_run`` for pollers: errors are recorded on the action, not raised; False if nothing ran here."""
        try:
            outcome = self._run(action_id, "guard")
        except (ActionRefused, PayCombatError):
            return True
        return not isinstance(outcome, PendingAction)

    def _execute(self, stored: StoredAction, approver: str) -> Any:
        action = stored.action
        client = self._client
        assert client is not None
        arguments = unseal(stored.sealed)  # exactly the sealed bytes
        payee = sealed_payee(stored.sealed)
        if payee is not None:
            try:
                current = read_payee(client, arguments["payout_beneficiary_id"])
            except PayCombatError as error:
                self._finish_failed(stored, approver, error, unknown=False)
                raise
            if current != payee:
                with self._decision():
                    self._payee_changed(self._record(action.action_id), self._now(), approver, payee, current)
        effect = EFFECTS.get(action.operation)
        before = effect.state(client, arguments) if effect is not None else None
        try:
            result = client.operation(action.operation)(**arguments)
        except Exception as error:
            if effect is not None and doubtful(error):
                after = effect.state(client, arguments)
                took = effect.took_effect(before, after)
                if took:
                    return self._finish_executed(stored, approver, after if not isinstance(after, str) else None,
                                                 confirmed=f"{type(error).__name__}: {error}")
                unknown = took is None or isinstance(error, (NetworkError, ServerError))
            else:
                unknown = isinstance(error, (NetworkError, ServerError)) or not isinstance(error, PayCombatError)
            self._finish_failed(stored, approver, error, unknown=unknown)
            raise
        return self._finish_executed(stored, approver, result)

    def _finish_executed(self, stored: StoredAction, approver: str, result: Any, *, confirmed: str | None = None) -> Any:
        action = stored.action
        with self.store.transaction():
            current = self._record(action.action_id)
            current.action = replace(current.action, status=ActionStatus.EXECUTED, result=result, error=None,
                                     confirmed_by_read_back=confirmed is not None)
            self.store.save(current)
            detail: dict[str, Any] = {"result": result_ref(result)} if result is not None else {}
            if confirmed is not None:
                detail.update(confirmed_by="read-back", error_on_retry=confirmed)
            self.audit.append("executed", actor=approver, action_id=action.action_id, operation=action.operation,
                              digest=action.digest, at=self._now(), **detail)
        return result

    def _finish_failed(self, stored: StoredAction, approver: str, error: BaseException, *, unknown: bool) -> None:
        action = stored.action
        with self.store.transaction():
            current = self._record(action.action_id)
            current.action = replace(current.action, status=ActionStatus.FAILED, error=str(error),
                                     outcome_unknown=unknown)
            self.store.save(current)
            self.audit.append("failed", actor=approver, action_id=action.action_id, operation=action.operation,
                              digest=action.digest, at=self._now(), error=f"{type(error).__name__}: {error}",
                              outcome_unknown=unknown)

    def _abandoned(self, stored: StoredAction) -> None:
        """An executor on this host died during the call: the outcome is unknown (never run again on its own)."""
        error = RuntimeError(f"the executor {stored.claimed_by} died while running the action; whether it took "
                             "effect is unknown (check the record, or resend: the idempotency reference is fixed)")
        with self.store.transaction():
            current = self._record(stored.action.action_id)
            if current.action.status is ActionStatus.APPROVED and current.claimed_by == stored.claimed_by:
                self._finish_failed(current, current.action.decided_by or "guard", error, unknown=True)

    # -- the payee of a payout to a saved beneficiary ----------------------------------------------------

    def _payee_at_proposal(self, op: Operation, arguments: Mapping[str, Any]) -> dict[str, Any] | None:
        beneficiary_id = arguments.get("payout_beneficiary_id") if op.name == "payouts.create" else None
        if not beneficiary_id:
            return None
        if self._client is None:
            raise ActionRefused("refused: a payout to a saved beneficiary needs a guard that can read the "
                                "beneficiary (bind a client) so the approver sees, and approves, who is paid",
                                code="payee_unresolved")
        try:
            return read_payee(self._client, str(beneficiary_id))
        except PayCombatError as error:
            raise ActionRefused(f"refused: saved beneficiary {beneficiary_id} could not be read ({error.message})",
                                code="payee_unresolved") from None

    def _payee_before_deciding(self, action_id: str, approver: str) -> dict[str, Any] | None:
        """The saved beneficiary as it is now, if this action pays one and this guard can read it."""
        stored = self.store.get(action_id) if isinstance(action_id, str) else None
        if stored is None or self._client is None or sealed_payee(stored.sealed) is None:
            return None
        try:
            return read_payee(self._client, unseal(stored.sealed)["payout_beneficiary_id"])
        except PayCombatError as error:
            return {"unreadable": f"{type(error).__name__}: {error.message}"}

    def _payee_changed(self, stored: StoredAction, now: datetime, actor: str, sealed: Mapping[str, Any],
                       current: Mapping[str, Any]) -> None:
        changed = sorted(key for key in {*sealed, *current} if sealed.get(key) != current.get(key))
        self._void(stored, now, actor, "the saved beneficiary changed after the proposal", code="payee_changed",
                   payee_sealed=dict(sealed), payee_now=dict(current), changed=changed)
        raise ActionRefused(f"refused: saved beneficiary {sealed.get('payout_beneficiary_id')} changed after the "
                            f"proposal ({', '.join(changed)}); the action is void, propose it again to pay the "
                            "beneficiary as it is now", code="payee_changed", action_id=stored.action.action_id)


def claimer_died(claimed_by: str | None) -> bool:
    """Whether the executor named ``host:pid:token`` ran on this host and its process is gone."""
    host, _, rest = (claimed_by or "").partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
