"""The OpenAI Agents SDK adapter offline: a scripted model calls a guarded tool, the run is interrupted,
a person approves through the guard, the resumed run reports one executed payout."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

agents = pytest.importorskip("agents")
from agents import Agent, ModelResponse, Runner, Usage, set_tracing_disabled  # noqa: E402
from agents.models.interface import Model  # noqa: E402
from openai.types.responses import ResponseFunctionToolCall, ResponseOutputMessage, ResponseOutputText  # noqa: E402

from agent_tools import ActionStatus, ConfirmationGuard  # noqa: E402
from agent_tools.openai_agents import GuardedAgentTools  # noqa: E402
from paycombat_tools import PayCombat  # noqa: E402
from paycombat_tools.sandbox import Sandbox  # noqa: E402

from . import helpers as h  # noqa: E402
from .helpers import PAYOUT, World  # noqa: E402

set_tracing_disabled(True)


class ScriptedModel(Model):
    """Answers with the next scripted output each turn, and keeps what it was shown."""

    def __init__(self, *turns: list[Any]) -> None:
        self.turns = list(turns)
        self.seen: list[Any] = []

    async def get_response(self, system_instructions: Any, input: Any, *args: Any, **kwargs: Any) -> ModelResponse:
        self.seen.append(input)
        return ModelResponse(output=self.turns.pop(0), usage=Usage(), response_id=None)

    def stream_response(self, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        raise NotImplementedError("the tests do not stream")


def function_call(name: str, call_id: str, **arguments: Any) -> ResponseFunctionToolCall:
    return ResponseFunctionToolCall(type="function_call", name=name, call_id=call_id, id=f"fc_{call_id}",
                                    arguments=json.dumps(arguments), status="completed")


def say(text: str) -> ResponseOutputMessage:
    return ResponseOutputMessage(id="msg_1", type="message", role="assistant", status="completed",
                                 content=[ResponseOutputText(type="output_text", text=text, annotations=[])])


def tool_outputs(model: ScriptedModel) -> list[dict[str, Any]]:
    items = model.seen[-1] if isinstance(model.seen[-1], list) else []
    return [json.loads(item["output"]) for item in items
            if isinstance(item, dict) and item.get("type") == "function_call_output"]


def test_an_approval_round_trip_runs_the_payout_once(sandbox: Sandbox, client: PayCombat,
                                                     guard: ConfirmationGuard) -> None:
    adapter = GuardedAgentTools(client, guard)
    model = ScriptedModel([function_call("create_payout", "call_1", **PAYOUT)], [say("Paid Grace Ho AUD 40.00.")])
    agent = Agent(name="support", instructions="Help the merchant.", model=model, tools=adapter.tools)
    before = h.payout_count(client)

    first = asyncio.run(Runner.run(agent, "Pay Grace Ho AUD 40"))
    (item,) = first.interruptions
    action = adapter.pending_action(item)
    assert action.status is ActionStatus.PENDING and "Grace Ho" in action.summary
    assert h.payout_count(client) == before  # interrupted: nothing moved

    state = first.to_state()
    decided = adapter.approve(state, item, approver="Alice Ops")
    assert decided.status is ActionStatus.EXECUTED
    resumed = asyncio.run(Runner.run(agent, state))
    assert resumed.final_output == "Paid Grace Ho AUD 40.00."
    assert tool_outputs(model)[-1]["status"] == "EXECUTED"
    assert h.payout_count(client) == before + 1


def test_approving_only_the_sdk_state_executes_nothing(sandbox: Sandbox, client: PayCombat,
                                                       guard: ConfirmationGuard) -> None:
    adapter = GuardedAgentTools(client, guard)
    model = ScriptedModel([function_call("create_payout", "call_1", **PAYOUT)], [say("Done?")])
    agent = Agent(name="support", instructions="Help.", model=model, tools=adapter.tools)
    before = h.payout_count(client)
    first = asyncio.run(Runner.run(agent, "Pay Grace Ho AUD 40"))
    state = first.to_state()
    state.approve(first.interruptions[0])  # a host that skips the guard
    asyncio.run(Runner.run(agent, state))
    assert tool_outputs(model)[-1]["status"] == "PENDING"
    assert h.payout_count(client) == before


def test_a_rejection_reaches_the_model_and_the_audit(sandbox: Sandbox, client: PayCombat, guard: ConfirmationGuard,
                                                     world: World) -> None:
    adapter = GuardedAgentTools(client, guard)
    model = ScriptedModel([function_call("refund_payin", "call_9", payin_id=world.payin_id, amount="5.00",
                                         currency="AUD")], [say("Understood.")])
    agent = Agent(name="support", instructions="Help.", model=model, tools=adapter.tools)
    refunds = h.refund_count(client)
    first = asyncio.run(Runner.run(agent, "Refund it"))
    (item,) = first.interruptions
    state = first.to_state()
    rejected = adapter.reject(state, item, approver="Bob", reason="not this one")
    assert rejected.status is ActionStatus.REJECTED
    asyncio.run(Runner.run(agent, state))
    (told,) = tool_outputs(model)  # the model hears the guard's decision and the person's reason
    assert told["status"] == "REJECTED" and "not this one" in told["message"]
    assert guard.audit.entries(rejected.action_id)[-1]["event"] == "rejected"
    assert h.refund_count(client) == refunds


def test_look_ups_run_without_an_interruption(sandbox: Sandbox, client: PayCombat, guard: ConfirmationGuard) -> None:
    adapter = GuardedAgentTools(client, guard)
    model = ScriptedModel([function_call("get_merchant_balance", "call_2", currency="AUD")], [say("ok")])
    agent = Agent(name="support", instructions="Help.", model=model, tools=adapter.tools)
    result = asyncio.run(Runner.run(agent, "Balance?"))
    assert not result.interruptions and tool_outputs(model)[-1]["currency"] == "AUD"
