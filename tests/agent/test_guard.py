"""The guard's state machine: propose -> approve -> executed once; every other path refused with a reason."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest

from agent_tools import ActionRefused, ActionStatus, AuditLog, ConfirmationGuard, ConfirmationPolicy
from agent_tools.schemas import PayoutArgs
from paycombat_tools import PayCombat, ValidationError
from paycombat_tools.sandbox import ManualClock, Sandbox
from paycombat_tools.signing import canonical_json

from . import helpers as h
from .helpers import PAYOUT


def payout_args(**changes: Any) -> dict[str, Any]:
    return PayoutArgs.model_validate({**PAYOUT, **changes}).to_arguments()


def refused(code: str, call: Any, *args: Any, **kwargs: Any) -> ActionRefused:
    with pytest.raises(ActionRefused) as info:
        call(*args, **kwargs)
    assert info.value.code == code, info.value.reason
    assert info.value.reason and info.value.code == code
    return info.value


def test_propose_records_everything_and_runs_nothing(guard: ConfirmationGuard, sandbox: Sandbox,
                                                     clock: ManualClock) -> None:
    before = h.snapshot(sandbox)
    action = guard.propose("payouts.create", payout_args())
    assert action.status is ActionStatus.PENDING and action.risk == "money"
    assert action.summary == 'Pay AUD 40.00 to "Grace Ho" (au_bank_acct, BSB 062-000, acct ****5678), purpose SELF'
    assert action.reference_field == "order_id" and action.arguments["order_id"] == action.reference
    assert action.money is not None and action.money.amount == Decimal("40.00")
    assert (action.expires_at - action.created_at).total_seconds() == 600 and action.created_at == clock()
    sealed = canonical_json({"operation": "payouts.create", "arguments": action.arguments})
    assert action.digest == __import__("hashlib").sha256(sealed).hexdigest()
    assert h.snapshot(sandbox) == before


def test_approve_executes_exactly_once_with_the_recorded_arguments(guard: ConfirmationGuard, client: PayCombat,
                                                                   sandbox: Sandbox) -> None:
    action = guard.propose("payouts.create", payout_args(description="Order 1001"))
    payout = guard.approve(action.action_id, approver="alice")
    assert payout.order_id == action.reference and payout.wire_amount == Decimal("40.00")
    assert payout.payee_name == "Grace Ho" and payout.beneficiary_account_number == "12345678"
    after = guard.get(action.action_id)
    assert after.status is ActionStatus.EXECUTED and after.decided_by == "alice" and after.result.id == payout.id
    refused("already_executed", guard.approve, action.action_id, approver="alice")
    refused("already_executed", guard.approve, action.action_id, approver="bob")
    refused("already_executed", guard.reject, action.action_id, approver="bob")
    assert h.payout_count(client) == 1
    h.assert_audit_complete(guard)


def test_reject_is_final(guard: ConfirmationGuard, client: PayCombat) -> None:
    action = guard.propose("payouts.create", payout_args())
    rejected = guard.reject(action.action_id, approver="bob", reason="wrong account")
    assert rejected.status is ActionStatus.REJECTED and rejected.decided_by == "bob"
    error = refused("rejected", guard.approve, action.action_id, approver="alice")
    assert "rejected by bob" in error.reason
    assert h.payout_count(client) == 0
    assert guard.audit.entries(action.action_id)[1]["detail"]["reason"] == "wrong account"


def test_expiry(guard: ConfirmationGuard, clock: ManualClock, client: PayCombat) -> None:
    action = guard.propose("payouts.create", payout_args())
    clock.advance(599)
    assert guard.get(action.action_id).status is ActionStatus.PENDING
    clock.advance(1)
    error = refused("expired", guard.approve, action.action_id, approver="alice")
    assert "expired at" in error.reason
    assert guard.get(action.action_id).status is ActionStatus.EXPIRED and guard.pending() == []
    refused("expired", guard.reject, action.action_id, approver="alice")
    assert h.payout_count(client) == 0
    h.assert_audit_complete(guard)


def test_decisions_need_a_person(guard: ConfirmationGuard) -> None:
    action = guard.propose("payouts.create", payout_args())
    refused("no_approver", guard.approve, action.action_id, approver="  ")
    refused("no_approver", guard.approve, action.action_id, approver=None)
    refused("self_approval", guard.approve, action.action_id, approver="assistant")
    refused("unknown_action", guard.approve, "act_guessed", approver="alice")
    assert guard.get(action.action_id).status is ActionStatus.PENDING


def test_tampered_arguments_are_refused(guard: ConfirmationGuard, client: PayCombat) -> None:
    action = guard.propose("payouts.create", payout_args())
    snapshot = guard.get(action.action_id)
    snapshot.arguments["payout_beneficiary_param"]["account_number"] = "66666666"  # a copy: changes nothing
    assert guard.get(action.action_id).arguments["payout_beneficiary_param"]["account_number"] == "12345678"
    # the stored, sealed arguments change after the proposal (storage corruption, a bug, an attacker)
    record = guard.store.get(action.action_id)
    assert record is not None
    record.sealed = record.sealed.replace(b"12345678", b"66666666")
    guard.store.save(record)
    error = refused("tampered", guard.approve, action.action_id, approver="alice")
    assert "tampered" in error.reason and guard.get(action.action_id).status is ActionStatus.VOID
    refused("tampered", guard.approve, action.action_id, approver="alice")
    assert h.payout_count(client) == 0


def test_approving_what_was_shown(guard: ConfirmationGuard, client: PayCombat) -> None:
    first = guard.propose("payouts.create", payout_args())
    second = guard.propose("payouts.create", payout_args(amount="41"))
    refused("tampered", guard.approve, first.action_id, approver="alice", expected_digest=second.digest)
    payout = guard.approve(second.action_id, approver="alice", expected_digest=second.digest)
    assert payout.wire_amount == Decimal("41.00") and h.payout_count(client) == 1


def test_identical_pending_proposals_are_one_action(guard: ConfirmationGuard) -> None:
    first = guard.propose("payouts.create", payout_args())
    again = guard.propose("payouts.create", payout_args())
    assert again.action_id == first.action_id and len(guard.pending()) == 1
    guard.approve(first.action_id, approver="alice")
    later = guard.propose("payouts.create", payout_args())  # the same payout again, on purpose: a new action
    assert later.action_id != first.action_id and later.reference != first.reference
    assert [e["event"] for e in guard.audit.entries()].count("proposal_repeated") == 1


def test_policy_at_proposal(guard: ConfirmationGuard) -> None:
    assert "per-call cap of AUD 500" in refused("policy", guard.propose, "payouts.create",
                                                payout_args(amount="500.01")).reason
    assert "currency NZD is not allowed" in refused("policy", guard.propose, "payouts.create", payout_args(
        currency="NZD", payout_method_name="nz_bank_directcredit_nzd")).reason
    assert "payout method th_bank_acct_thb" in refused("policy", guard.propose, "beneficiaries.create", {
        "type": "individual", "beneficiary_name": "X", "payout_method_name": "th_bank_acct_thb"}).reason
    refused("invalid_arguments", guard.propose, "payouts.create", {"sender_amount": "1"})
    refused("unknown_operation", guard.propose, "payouts.teleport", {})
    assert [e["event"] for e in guard.audit.entries()] == ["proposal_refused"] * 3
    assert guard.check("payouts.create", payout_args(amount="500.01")) is not None
    assert guard.check("payouts.create", payout_args()) is None


def test_per_day_cap_counts_approved_amounts_and_is_checked_again_at_approval(
        guard: ConfirmationGuard, clock: ManualClock, client: PayCombat) -> None:
    first = guard.propose("payouts.create", payout_args(amount="450"))
    second = guard.propose("payouts.create", payout_args(amount="400"))
    third = guard.propose("payouts.create", payout_args(amount="300"))  # each fits alone: all proposed
    guard.approve(first.action_id, approver="alice")
    guard.approve(second.action_id, approver="alice")
    error = refused("policy", guard.approve, third.action_id, approver="alice")
    assert "today's total to AUD 1150" in error.reason and "per-day cap" in error.reason
    assert guard.get(third.action_id).status is ActionStatus.PENDING  # not executed, still decidable
    assert "per-day cap" in refused("policy", guard.propose, "payouts.create", payout_args(amount="200")).reason
    guard.propose("payouts.create", payout_args(amount="150"))  # 850 + 150 fits exactly
    clock.advance(hours=14)  # the next UTC day: the cap starts again
    fresh = guard.propose("payouts.create", payout_args(amount="490"))
    guard.approve(fresh.action_id, approver="alice")
    assert h.payout_count(client) == 3


def test_a_definite_failure_frees_the_day_cap(guard: ConfirmationGuard, client: PayCombat) -> None:
    doomed = guard.propose("payouts.create", payout_args(amount="450", beneficiary={**h.GRACE, "bsb": "000-00x"}))
    with pytest.raises(ValidationError):
        guard.approve(doomed.action_id, approver="alice")
    failed = guard.get(doomed.action_id)
    assert failed.status is ActionStatus.FAILED and failed.outcome_unknown is False and "bsb" in (failed.error or "")
    refused("not_resendable", guard.resend, doomed.action_id, approver="alice")
    ok = guard.propose("payouts.create", payout_args(amount="500"))
    guard.propose("payouts.create", payout_args(amount="499"))
    guard.approve(ok.action_id, approver="alice")  # 500 + 0: the failed 450 does not count
    assert h.payout_count(client) == 1
    h.assert_audit_complete(guard)


def test_policy_values() -> None:
    policy = ConfirmationPolicy(per_call_caps={"aud": 10}, allowed_currencies=["aud"])
    assert policy.per_call_caps == {"AUD": Decimal(10)} and policy.allowed_currencies == frozenset({"AUD"})
    with pytest.raises(ValueError, match="float"):
        ConfirmationPolicy(per_call_caps={"AUD": 10.5})
    with pytest.raises(ValueError):
        ConfirmationPolicy(expiry_seconds=0)
    with pytest.raises(ValueError):
        ConfirmationPolicy(per_day_caps={"AUD": "-1"})


def test_concurrent_approvals_execute_once(guard: ConfirmationGuard, client: PayCombat) -> None:
    action = guard.propose("payouts.create", payout_args())
    outcomes: list[str] = []
    barrier = threading.Barrier(6)

    def approve(name: str) -> None:
        barrier.wait()
        try:
            guard.approve(action.action_id, approver=name)
            outcomes.append("executed")
        except ActionRefused as error:
            outcomes.append(error.code)

    threads = [threading.Thread(target=approve, args=(f"person{i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("executed") == 1 and set(outcomes) <= {"executed", "in_progress", "already_executed"}
    assert h.payout_count(client) == 1


def test_guard_without_client_and_with_two_clients(sandbox: Sandbox, client: PayCombat) -> None:
    lonely = ConfirmationGuard()
    action = lonely.propose("payouts.create", payout_args())
    with pytest.raises(RuntimeError, match="bind"):
        lonely.approve(action.action_id, approver="alice")
    lonely.bind(client)
    with pytest.raises(ValueError, match="another client"):
        lonely.bind(sandbox.client())
    assert repr(lonely).startswith("<ConfirmationGuard")


def test_sqlite_audit_backed_guard(client: PayCombat, tmp_path: Any, clock: ManualClock) -> None:
    guard = ConfirmationGuard(ConfirmationPolicy(), AuditLog(tmp_path / "audit.db"), client=client, clock=clock)
    action = guard.propose("customers.disable", {"customer_id": "customer_x"})
    assert action.summary == "Disable customer customer_x (no new payins or payouts)"
    guard.reject(action.action_id, approver="bob")
    h.assert_audit_complete(guard)


def test_day_totals_survive_a_restart(client: PayCombat, tmp_path: Any, clock: ManualClock,
                                      policy: ConfirmationPolicy) -> None:
    """The per-day cap is counted from the append-only audit log, not from memory."""
    path = tmp_path / "audit.db"
    before_restart = ConfirmationGuard(policy, AuditLog(path), client=client, clock=clock)
    for amount in ("450", "400"):
        before_restart.approve(before_restart.propose("payouts.create", payout_args(amount=amount)).action_id,
                               approver="alice")
    after_restart = ConfirmationGuard(policy, AuditLog(path), client=client, clock=clock)
    error = refused("policy", after_restart.propose, "payouts.create", payout_args(amount="200"))
    assert "today's total to AUD 1050" in error.reason
    assert after_restart.check("payouts.create", payout_args(amount="150")) is None
