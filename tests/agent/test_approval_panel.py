"""The approval panel as a person uses it: new proposals appear by themselves, Reject takes a reason."""

from __future__ import annotations

from typing import Any

from agent_tools import ActionStatus, ApprovalPanel, ConfirmationGuard
from agent_tools.schemas import PayoutArgs

from .helpers import PAYOUT


def propose(guard: ConfirmationGuard, **changes: Any) -> str:
    return guard.propose("payouts.create", PayoutArgs.model_validate({**PAYOUT, **changes}).to_arguments()).action_id


def wait_until(condition: Any, timeout: float = 5.0) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return bool(condition())


def test_the_panel_refreshes_when_a_proposal_arrives(guard: ConfirmationGuard) -> None:
    panel = ApprovalPanel(guard, poll_interval=0.05)
    try:
        assert "Nothing is waiting" in panel.rows.children[0].value
        first = propose(guard)  # the model proposes while the panel is on show: no Refresh pressed
        assert wait_until(lambda: set(panel.buttons) == {first})
        second = propose(guard, amount="12.5")
        assert wait_until(lambda: set(panel.buttons) == {first, second})
        guard.reject(first, approver="bob", reason="decided elsewhere")  # decided in another channel
        assert wait_until(lambda: set(panel.buttons) == {second})
    finally:
        panel.close()


def test_reject_takes_a_reason_and_records_it(guard: ConfirmationGuard) -> None:
    action_id = propose(guard)
    panel = ApprovalPanel(guard)
    try:
        panel.approver.value = "carol"
        panel.buttons[action_id][1].click()  # no reason yet: nothing is decided
        assert "Type a reason" in panel.messages[-1] and guard.get(action_id).status is ActionStatus.PENDING
        panel.reason.value = "beneficiary not verified"
        panel.buttons[action_id][1].click()
        assert guard.get(action_id).status is ActionStatus.REJECTED
        assert "beneficiary not verified" in panel.messages[-1] and panel.reason.value == ""
        rejected = [entry for entry in guard.audit.entries(action_id) if entry["event"] == "rejected"]
        assert rejected and "beneficiary not verified" in str(rejected[-1]["detail"])
    finally:
        panel.close()


def test_an_approval_says_what_it_executed_in_words(guard: ConfirmationGuard) -> None:
    action_id = propose(guard)
    panel = ApprovalPanel(guard)
    try:
        panel.approver.value = "alice"
        panel.buttons[action_id][0].click()
        payout = panel.results[action_id]
        assert f"payout {payout.id}" in panel.messages[-1] and "status PENDING" in panel.messages[-1]
        assert "{" not in panel.messages[-1]  # a sentence, not raw JSON
    finally:
        panel.close()
