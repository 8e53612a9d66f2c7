"""Regression tests for the adversarial suite's guard findings (issue 10: 1, 6 and 7), on the sandbox's records."""

from __future__ import annotations

from typing import Any

import pytest

from agent_tools import ActionRefused, ActionStatus, ConfirmationGuard
from paycombat_tools import PayCombat
from paycombat_tools.sandbox import Sandbox

from . import helpers as h
from .helpers import World


def saved_payout(beneficiary_id: str, amount: str = "40.00") -> dict[str, Any]:
    return {"sender_amount": amount, "sender_currency": "AUD", "beneficiary_amount": amount,
            "beneficiary_currency": "AUD", "payout_method_name": "au_bank_acct", "purpose_code": "SELF",
            "payout_beneficiary_id": beneficiary_id}


def refused(code: str, call: Any, *args: Any, **kwargs: Any) -> ActionRefused:
    with pytest.raises(ActionRefused) as info:
        call(*args, **kwargs)
    assert info.value.code == code, info.value.reason
    return info.value


# -- finding 1: the payee of a payout to a saved beneficiary ----------------------------------------------


def test_a_saved_payee_changed_after_the_proposal_is_refused_and_nobody_is_paid(
        guard: ConfirmationGuard, client: PayCombat, world: World) -> None:
    action = guard.propose("payouts.create", saved_payout(world.beneficiary_id))
    assert '"Grace Ho"' in action.summary
    client.beneficiaries.update(world.beneficiary_id, beneficiary_name="Mallory Cash", account_number="99999999")
    error = refused("payee_changed", guard.approve, action.action_id, approver="alice")
    assert "account_number" in error.reason and "beneficiary_name" in error.reason
    assert guard.get(action.action_id).status is ActionStatus.VOID
    assert h.payout_count(client) == 1  # only the world's own failed payout
    voided = [e for e in guard.audit.entries(action.action_id) if e["event"] == "voided"][0]["detail"]
    assert voided["payee_sealed"]["beneficiary_name"] == "Grace Ho"
    assert voided["payee_now"]["beneficiary_name"] == "Mallory Cash"
    assert voided["payee_now"]["account_number"] == "99999999"
    refused("tampered", guard.approve, action.action_id, approver="alice")  # void stays void
    h.assert_audit_complete(guard)


def test_an_unchanged_saved_payee_is_paid(guard: ConfirmationGuard, client: PayCombat, world: World) -> None:
    action = guard.propose("payouts.create", saved_payout(world.beneficiary_id))
    payout = guard.approve(action.action_id, approver="alice")
    assert payout.payee_name == "Grace Ho" and guard.get(action.action_id).status is ActionStatus.EXECUTED


def test_a_payee_changed_between_a_credential_less_approval_and_the_run_is_refused(
        guard: ConfirmationGuard, client: PayCombat, world: World, tmp_path: Any) -> None:
    """The check runs again right before the payout, in the process that executes it."""
    from agent_tools import AuditLog
    from agent_tools.store import SqliteActionStore

    path = tmp_path / "actions.db"
    executor = ConfirmationGuard(guard.policy, AuditLog(tmp_path / "executor.jsonl"), client=client,
                                 store=SqliteActionStore(path))
    person = ConfirmationGuard(guard.policy, AuditLog(tmp_path / "person.jsonl"), store=SqliteActionStore(path))
    action = executor.propose("payouts.create", saved_payout(world.beneficiary_id))
    assert person.approve(action.action_id, approver="alice").status is ActionStatus.APPROVED
    client.beneficiaries.update(world.beneficiary_id, account_number="99999999")
    assert executor.run_approved()[0].status is ActionStatus.VOID
    assert h.payout_count(client) == 1


# -- finding 6: approver names that are the proposer's in disguise -----------------------------------------


@pytest.mark.parametrize("name", ["Assistant", "assistant\u200b", "ass\u00adistant", "ＡＳＳＩＳＴＡＮＴ",
                                  " assistant ", "\u202eassistant"])
def test_variants_of_the_proposers_name_cannot_approve_or_reject(guard: ConfirmationGuard, client: PayCombat,
                                                                 name: str) -> None:
    action = guard.propose("customers.disable", {"customer_id": "customer_x"})
    refused("self_approval", guard.approve, action.action_id, approver=name)
    refused("self_approval", guard.reject, action.action_id, approver=name)
    assert guard.get(action.action_id).status is ActionStatus.PENDING


def test_resend_applies_the_self_approval_rule(guard: ConfirmationGuard, client: PayCombat,
                                               sandbox: Sandbox) -> None:
    action = guard.propose("payouts.create", {**saved_payout("x"), "payout_beneficiary_id": None,
                                              "payout_beneficiary_param": {
                                                  "bsb": "062-000", "account_number": "12345678",
                                                  "individual": {"first_name": "Grace", "last_name": "Ho"}}})
    sandbox.faults.plan("payouts.create", "error", "error", "error")  # 503 on every try: outcome unknown
    with pytest.raises(Exception):
        guard.approve(action.action_id, approver="alice")
    assert guard.get(action.action_id).outcome_unknown
    refused("self_approval", guard.resend, action.action_id, approver="Assistant\u200b")
    assert guard.resend(action.action_id, approver="bob").order_id == action.reference
    assert h.payout_count(client) == 1


def test_names_made_of_hidden_characters_or_the_policys_prefix_are_not_approvers(guard: ConfirmationGuard) -> None:
    action = guard.propose("customers.disable", {"customer_id": "customer_x"})
    refused("no_approver", guard.approve, action.action_id, approver="\u200b\u200d")
    refused("reserved_approver", guard.approve, action.action_id, approver="policy:auto:small-refunds")


# -- finding 7: a call that took effect though its retry answered an error -------------------------------


def test_a_cancel_whose_connection_dropped_after_commit_is_recorded_executed(
        guard: ConfirmationGuard, client: PayCombat, sandbox: Sandbox, world: World) -> None:
    token = client.checkouts.retrieve(world.open_checkout_id).checkout_token
    action = guard.propose("checkouts.cancel", {"checkout_token": token})
    sandbox.faults.plan("checkouts.cancel", "drop_after_commit")  # commits, then no answer; the retry gets 409
    checkout = guard.approve(action.action_id, approver="alice")
    done = guard.get(action.action_id)
    assert done.status is ActionStatus.EXECUTED and done.confirmed_by_read_back and done.error is None
    assert checkout.status == "CANCELLED" == client.checkouts.retrieve(world.open_checkout_id).status
    executed = [e for e in guard.audit.entries(action.action_id) if e["event"] == "executed"][0]["detail"]
    assert executed["confirmed_by"] == "read-back" and "Conflict" in executed["error_on_retry"]
    h.assert_audit_complete(guard)


def test_a_delete_whose_connection_dropped_after_commit_is_recorded_executed(
        guard: ConfirmationGuard, client: PayCombat, sandbox: Sandbox, world: World) -> None:
    action = guard.propose("customers.delete", {"customer_id": world.other_customer_id})
    sandbox.faults.plan("customers.delete", "drop_after_commit")  # the retry gets 404
    guard.approve(action.action_id, approver="alice")
    assert guard.get(action.action_id).status is ActionStatus.EXECUTED
    assert guard.get(action.action_id).confirmed_by_read_back


def test_a_cancel_refused_because_it_was_already_cancelled_is_a_definite_failure(
        guard: ConfirmationGuard, client: PayCombat, world: World) -> None:
    token = client.checkouts.retrieve(world.open_checkout_id).checkout_token
    action = guard.propose("checkouts.cancel", {"checkout_token": token})
    client.checkouts.cancel(checkout_token=token)  # someone else cancelled it first: our call did nothing
    with pytest.raises(Exception):
        guard.approve(action.action_id, approver="alice")
    failed = guard.get(action.action_id)
    assert failed.status is ActionStatus.FAILED and not failed.outcome_unknown and not failed.confirmed_by_read_back
