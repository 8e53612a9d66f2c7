"""Approval from outside the model: the notebook panel, the interrupt protocol, LangGraph, a CLI prompt."""

from __future__ import annotations

from typing import Any, TypedDict

import pytest

from agent_tools import (
    ActionStatus, ApprovalPanel, ConfirmationGuard, apply_decision, approval_flow, approval_interrupt, approval_request,
)
from agent_tools.interrupt import prompt_decision
from agent_tools.schemas import PayoutArgs
from paycombat_tools import PayCombat
from paycombat_tools.sandbox import Sandbox

from . import helpers as h
from .helpers import PAYOUT


def propose(guard: ConfirmationGuard, **changes: Any) -> str:
    return guard.propose("payouts.create", PayoutArgs.model_validate({**PAYOUT, **changes}).to_arguments()).action_id


# -- the ipywidgets panel --------------------------------------------------------------------------------


def test_panel_click_approve_executes_once(guard: ConfirmationGuard, client: PayCombat, sandbox: Sandbox) -> None:
    before = h.snapshot(sandbox)
    first, second = propose(guard), propose(guard, amount="12.5")
    panel = ApprovalPanel(guard)
    assert set(panel.buttons) == {first, second} and len(panel.rows.children) == 2
    row_html = panel.rows.children[0].children[0].value
    assert "acct ****5678" in row_html and "&quot;account_number&quot;: &quot;12345678&quot;" in row_html
    approve, _ = panel.buttons[first]
    approve.click()  # no name yet: nothing happens
    assert "Type your name" in panel.messages[-1] and guard.get(first).status is ActionStatus.PENDING
    panel.approver.value = "alice"
    approve.click()
    assert guard.get(first).status is ActionStatus.EXECUTED and guard.get(first).decided_by == "alice"
    assert "executed" in panel.messages[-1] and set(panel.buttons) == {second}
    approve.click()  # a stale button clicked again: refused, still one payout
    assert "Not executed" in panel.messages[-1] and "already executed" in panel.messages[-1]
    panel.reason.value = "not today"
    panel.buttons[second][1].click()
    assert guard.get(second).status is ActionStatus.REJECTED and "Nothing is waiting" in panel.rows.children[0].value
    assert [p.order_id for p in client.payouts.list(limit=100)].count(guard.get(first).reference) == 1
    assert h.unapproved_executions(sandbox, guard, before) == []
    h.assert_audit_complete(guard)


def test_panel_escapes_model_text_and_displays(guard: ConfirmationGuard) -> None:
    propose(guard, description="<script>alert('approve')</script>")
    panel = ApprovalPanel(guard)
    html = panel.rows.children[0].children[0].value
    assert "<script>" not in html and "&lt;script&gt;" in html
    bundle = panel._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and repr(panel) == "<ApprovalPanel 1 pending>"


# -- the interrupt protocol --------------------------------------------------------------------------------


def test_flow_generator_approve_and_reject(guard: ConfirmationGuard, client: PayCombat) -> None:
    payouts = h.payout_count(client)
    action_id = propose(guard)
    flow = approval_flow(guard, action_id)
    request = next(flow)
    assert request["summary"].startswith("Pay AUD 40.00") and request["digest"] == guard.get(action_id).digest
    assert request["arguments"]["payout_beneficiary_param"]["account_number"] == "12345678"
    assert request["arguments"]["sender_amount"] == 40  # as sent: canonical JSON, like the wire
    with pytest.raises(StopIteration) as done:
        flow.send({"decision": "approve", "approver": "alice", "digest": request["digest"]})
    assert done.value.value["executed"] is True and done.value.value["result"]["status"] == "PENDING"

    other = propose(guard, amount="41")
    outcome = approval_interrupt(guard, other, interrupt=lambda req: {"decision": "reject", "approver": "bob",
                                                                      "reason": "duplicate"})
    assert outcome == {"action_id": other, "decision": "rejected", "approver": "bob", "executed": False}
    assert h.payout_count(client) == payouts + 1


@pytest.mark.parametrize("answer, code", [
    ("yes", "malformed"), ({"decision": "maybe", "approver": "alice"}, "malformed"),
    ({"decision": "approve"}, "no_approver"), ({"decision": "approve", "approver": "assistant"}, "self_approval"),
    ({"decision": "approve", "approver": "alice", "digest": "0" * 64}, "tampered"),
])
def test_bad_answers_are_refused(answer: Any, code: str, guard: ConfirmationGuard, client: PayCombat) -> None:
    payouts = h.payout_count(client)
    action_id = propose(guard)
    outcome = approval_interrupt(guard, action_id, interrupt=lambda request: answer)
    assert outcome["decision"] == "refused" and outcome["code"] == code and outcome["executed"] is False
    assert h.payout_count(client) == payouts


def test_an_api_failure_is_reported_not_raised(guard: ConfirmationGuard) -> None:
    action_id = propose(guard, beneficiary={**h.GRACE, "bsb": "bad"})
    outcome = apply_decision(guard, action_id, {"decision": "approve", "approver": "alice"})
    assert outcome["executed"] is False and "ValidationError" in outcome["error"]
    assert guard.get(action_id).status is ActionStatus.FAILED


def test_cli_prompt(guard: ConfirmationGuard, client: PayCombat) -> None:
    action_id = propose(guard)
    answers, shown = iter(["alice", "y"]), list[str]()
    outcome = approval_interrupt(guard, action_id, interrupt=lambda request: prompt_decision(
        request, input=lambda _: next(answers), output=shown.append))
    assert outcome["executed"] is True and "[approval needed] Pay AUD 40.00" in shown[0]
    declined = propose(guard, amount="3")
    answers = iter(["bob", ""])
    assert approval_interrupt(guard, declined, interrupt=lambda r: prompt_decision(
        r, input=lambda _: next(answers), output=shown.append))["decision"] == "rejected"


def test_without_langgraph_the_default_is_explained(guard: ConfirmationGuard, monkeypatch: Any) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "langgraph.types", None)
    with pytest.raises(RuntimeError, match="langgraph is not installed"):
        approval_interrupt(guard, propose(guard))


# -- a real LangGraph graph ----------------------------------------------------------------------------------


class State(TypedDict, total=False):
    action_id: str
    outcome: dict[str, Any]


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_langgraph_interrupt_and_resume(decision: str, guard: ConfirmationGuard, client: PayCombat,
                                        sandbox: Sandbox) -> None:
    import langgraph.graph as graph_module  # in the dev extra: missing means a broken install, not a skip
    from langgraph.checkpoint.memory import InMemorySaver
    from langchain_core.runnables import RunnableConfig
    from langgraph.types import Command

    runs: list[str] = []

    def ask_a_person(state: State) -> State:
        runs.append("node")
        return {"outcome": approval_interrupt(guard, state["action_id"])}

    builder = graph_module.StateGraph(State)
    builder.add_node("ask_a_person", ask_a_person)
    builder.add_edge(graph_module.START, "ask_a_person")
    graph = builder.compile(checkpointer=InMemorySaver())
    config: RunnableConfig = {"configurable": {"thread_id": "support-1"}}
    before, payouts = h.snapshot(sandbox), h.payout_count(client)
    action_id = propose(guard)

    paused = graph.invoke(State(action_id=action_id), config)
    (interrupt,) = paused["__interrupt__"]
    assert interrupt.value["action_id"] == action_id and interrupt.value["summary"].startswith("Pay AUD 40.00")
    assert guard.get(action_id).status is ActionStatus.PENDING and h.payout_count(client) == payouts

    final = graph.invoke(Command(resume={"decision": decision, "approver": "alice"}), config)
    assert runs == ["node", "node"]  # the node re-ran on resume
    expected = ActionStatus.EXECUTED if decision == "approve" else ActionStatus.REJECTED
    assert guard.get(action_id).status is expected
    assert final["outcome"]["executed"] is (decision == "approve")
    assert h.payout_count(client) == payouts + (decision == "approve")
    assert h.unapproved_executions(sandbox, guard, before) == []
