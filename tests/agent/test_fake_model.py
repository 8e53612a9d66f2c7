"""A scripted chat model (langchain-core's fake models) proposes; the host approves; exactly one payout."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage

from agent_tools import ActionStatus, ConfirmationGuard, build_tools
from paycombat_tools import PayCombat
from paycombat_tools.sandbox import Sandbox

from . import helpers as h
from .helpers import PAYOUT, World

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "support_assistant.py"


def tool_call(name: str, call_id: str, **args: object) -> AIMessage:
    return AIMessage("", tool_calls=[{"name": name, "args": args, "id": call_id, "type": "tool_call"}])


def test_scripted_model_proposes_and_the_host_approves(sandbox: Sandbox, client: PayCombat, guard: ConfirmationGuard,
                                                       world: World) -> None:
    example = h.load_example()
    model = FakeMessagesListChatModel(responses=[
        tool_call("get_payout", "c1", payout_id=world.failed_payout_id),
        tool_call("quote_payout", "c2", **PAYOUT),
        tool_call("create_payout", "c3", **PAYOUT),
        AIMessage("I've asked for approval of the AUD 40.00 payout to Grace Ho."),
    ])
    tools = build_tools(client, guard)
    payouts_before, before = h.payout_count(client), h.snapshot(sandbox)
    messages: list[BaseMessage] = [SystemMessage(example.SYSTEM_PROMPT),
                                   HumanMessage(f"Payout {world.failed_payout_id} failed; pay Grace Ho AUD 40.")]
    turn = example.run(model, tools, guard, messages)

    assert [type(m).__name__ for m in turn.messages[2:]] == [
        "AIMessage", "ToolMessage", "AIMessage", "ToolMessage", "AIMessage", "ToolMessage", "AIMessage"]
    answers = {m.name: json.loads(str(m.content)) for m in turn.messages if isinstance(m, ToolMessage)}
    assert answers["get_payout"]["status"] == "FAILED" and answers["quote_payout"]["ready"] is True
    assert answers["create_payout"]["status"] == "awaiting_human_approval"
    assert len(turn.proposed) == 1 and turn.proposed[0].action_id == answers["create_payout"]["action_id"]
    assert h.payout_count(client) == payouts_before and h.snapshot(sandbox) == before  # the model moved nothing

    action = turn.proposed[0]
    payout = guard.approve(action.action_id, approver="alice")  # the host application, not the model
    assert guard.get(action.action_id).status is ActionStatus.EXECUTED
    assert h.payout_count(client) == payouts_before + 1
    assert [p.order_id for p in client.payouts.list(limit=100)].count(action.reference) == 1
    assert action.money is not None and payout.wire_amount == action.money.amount
    assert h.unapproved_executions(sandbox, guard, before) == []
    h.assert_audit_complete(guard)


def test_the_loop_stops_after_max_steps(client: PayCombat, guard: ConfirmationGuard) -> None:
    example = h.load_example()
    looping = FakeMessagesListChatModel(responses=[tool_call("list_payout_methods", "c", currency="AUD")])
    turn = example.run(looping, build_tools(client, guard), guard, [HumanMessage("methods?")], max_steps=3)
    assert sum(isinstance(m, ToolMessage) for m in turn.messages) == 3 and turn.proposed == []


def test_the_example_runs_offline_in_seconds() -> None:
    done = subprocess.run([sys.executable, str(EXAMPLE)], capture_output=True, text=True, timeout=120,
                          cwd=EXAMPLE.parent)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "awaiting_human_approval" in out and "host application, NOT the model" in out
    assert "executed once: payout" in out and "is EXECUTED" in out
    assert "Payouts with this action's reference: 1 (exactly one)." in out
    assert not re.search(r"snd_[0-9a-f]{32}", out) and not re.search(r"[0-9a-f]{64}", out)  # no credentials
