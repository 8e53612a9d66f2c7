"""Conditional auto-approval: the actions a policy rule names run without a person, inside the day caps; nothing else."""

from __future__ import annotations

from typing import Any

import pytest

from agent_tools import ActionStatus, AuditLog, ConfirmationGuard, ConfirmationPolicy
from agent_tools.policy import AutoApprove, policy_data, policy_from_data
from paycombat_tools import PayCombat
from paycombat_tools.sandbox import ManualClock

from . import helpers as h
from .helpers import PAYOUT, World

SMALL_REFUNDS = AutoApprove("small-refunds", "refunds.create", max_amount="20", currency="AUD")


@pytest.fixture
def auto_guard(client: PayCombat, clock: ManualClock, tmp_path: Any) -> ConfirmationGuard:
    policy = ConfirmationPolicy(per_day_caps={"AUD": "30"}, auto_approve=[SMALL_REFUNDS])
    return ConfirmationGuard(policy, AuditLog(tmp_path / "audit.jsonl"), client=client, clock=clock)


def test_a_refund_the_rule_names_runs_without_a_person(auto_guard: ConfirmationGuard, client: PayCombat,
                                                        world: World) -> None:
    tools = h.tools_by_name(client, auto_guard)
    answer = h.call(tools["refund_payin"], payin_id=world.payin_id, amount="20", currency="AUD", reason="Late")
    assert answer["status"] == "EXECUTED" and answer["executed"] is True
    assert answer["decided_by"] == "policy:auto:small-refunds"
    action = auto_guard.get(answer["action_id"])
    assert action.status is ActionStatus.EXECUTED and action.decided_by == "policy:auto:small-refunds"
    approved = [e for e in auto_guard.audit.entries(action.action_id) if e["event"] == "approved"]
    assert approved[0]["actor"] == "policy:auto:small-refunds" and approved[0]["detail"]["rule"] == "small-refunds"
    assert h.refund_count(client) == 1
    h.assert_audit_complete(auto_guard)


def test_anything_the_rule_does_not_name_waits_for_a_person(auto_guard: ConfirmationGuard, client: PayCombat,
                                                             world: World) -> None:
    tools = h.tools_by_name(client, auto_guard)
    over = h.call(tools["refund_payin"], payin_id=world.payin_id, amount="20.01", currency="AUD")
    payout = h.call(tools["create_payout"], **{**PAYOUT, "amount": "5"})
    disable = h.call(tools["disable_customer"], customer_id=world.customer_id)
    assert [a["status"] for a in (over, payout, disable)] == ["awaiting_human_approval"] * 3
    assert h.refund_count(client) == 0
    assert not SMALL_REFUNDS.matches("refunds.create", {"payin_id": "p", "amount": "5", "currency": "SGD"})


def test_auto_approvals_stay_inside_the_day_cap(auto_guard: ConfirmationGuard, client: PayCombat,
                                                world: World) -> None:
    tools = h.tools_by_name(client, auto_guard)
    assert h.call(tools["refund_payin"], payin_id=world.payin_id, amount="20", currency="AUD")["executed"]
    second = h.call(tools["refund_payin"], payin_id=world.payin_id, amount="15", currency="AUD")
    assert second["status"] == "refused" and "per-day cap" in second["reason"]
    third = h.call(tools["refund_payin"], payin_id=world.payin_id, amount="10", currency="AUD")
    assert third["executed"] and h.refund_count(client) == 2


def test_rules_are_checked_and_travel_with_a_shared_store() -> None:
    with pytest.raises(ValueError, match="no amount"):
        AutoApprove("deletes", "customers.delete", max_amount="1", currency="AUD")
    with pytest.raises(ValueError, match="rule name"):
        AutoApprove("bad name\u202e", "refunds.create", max_amount="1", currency="AUD")
    with pytest.raises(ValueError, match="unique"):
        ConfirmationPolicy(auto_approve=[SMALL_REFUNDS, SMALL_REFUNDS])
    policy = ConfirmationPolicy(per_day_caps={"AUD": "30"}, auto_approve=[SMALL_REFUNDS])
    assert policy_from_data(policy_data(policy)) == policy
