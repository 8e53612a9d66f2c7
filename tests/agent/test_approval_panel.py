"""The approval panel as a person uses it: new proposals appear by themselves, Reject takes a reason."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from agent_tools import ActionStatus, ApprovalPanel, ConfirmationGuard
from agent_tools.schemas import PayoutArgs

from .helpers import PAYOUT


def propose(guard: ConfirmationGuard, **changes: Any) -> str:
    return guard.propose("payouts.create", PayoutArgs.model_validate({**PAYOUT, **changes}).to_arguments()).action_id


@pytest.fixture
def open_panel(guard: ConfirmationGuard) -> Iterator[Callable[..., ApprovalPanel]]:
    """Open panels over ``guard``; each is closed (its watcher stopped) after the test."""
    opened: list[ApprovalPanel] = []

    def open_one(**options: Any) -> ApprovalPanel:
        opened.append(ApprovalPanel(guard, **options))
        return opened[-1]

    yield open_one
    for panel in opened:
        panel.close()


def wait_until(condition: Any, timeout: float = 5.0) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return bool(condition())


def test_the_panel_refreshes_when_a_proposal_arrives(guard: ConfirmationGuard, open_panel: Any) -> None:
    panel = open_panel(poll_interval=0.05)
    assert "Nothing is waiting" in panel.rows.children[0].value
    first = propose(guard)  # the model proposes while the panel is on show: no Refresh pressed
    assert wait_until(lambda: set(panel.buttons) == {first})
    second = propose(guard, amount="12.5")
    assert wait_until(lambda: set(panel.buttons) == {first, second})
    guard.reject(first, approver="bob", reason="decided elsewhere")  # decided in another channel
    assert wait_until(lambda: set(panel.buttons) == {second})


def test_reject_takes_a_reason_and_records_it(guard: ConfirmationGuard, open_panel: Any) -> None:
    action_id = propose(guard)
    panel = open_panel()
    panel.approver.value = "carol"
    panel.buttons[action_id][1].click()  # no reason yet: nothing is decided
    assert "Type a reason" in panel.messages[-1] and guard.get(action_id).status is ActionStatus.PENDING
    panel.reason.value = "beneficiary not verified"
    panel.buttons[action_id][1].click()
    assert guard.get(action_id).status is ActionStatus.REJECTED
    assert "beneficiary not verified" in panel.messages[-1] and panel.reason.value == ""
    rejected = [entry for entry in guard.audit.entries(action_id) if entry["event"] == "rejected"]
    assert rejected and "beneficiary not verified" in str(rejected[-1]["detail"])


def test_an_approval_says_what_it_executed_in_words(guard: ConfirmationGuard, open_panel: Any) -> None:
    action_id = propose(guard)
    panel = open_panel()
    panel.approver.value = "alice"
    panel.buttons[action_id][0].click()
    payout = panel.results[action_id]
    assert f"payout {payout.id}" in panel.messages[-1] and "status PENDING" in panel.messages[-1]
    assert "{" not in panel.messages[-1]  # a sentence, not raw JSON
