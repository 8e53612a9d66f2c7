"""The curated tools for the OpenAI Agents SDK (extra ``openai-agents``), driven by the same guard.

Look-ups are plain function tools. A guarded tool has ``needs_approval``: when the model calls
it, the call is *proposed* to the ``ConfirmationGuard`` (sealed, summarised, audited) and the run
stops with an interruption. The host shows ``pending_action(item)`` to a person and calls
``approve(state, item, approver=...)`` or ``reject(...)``; the guard decides and executes at most
once, and only then is the SDK's state approved, so the resumed run reports the guard's result. An
approval given to the SDK's ``RunState`` alone executes nothing: the tool answers that the action
still waits for the guard.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .actions import PendingAction
from .guard import ConfirmationGuard
from .spec import ReadOnlyClient, ToolContext, ToolSpec
from .tools import describe, invoke_spec, select_specs, tool_specs

if TYPE_CHECKING:
    from agents import FunctionTool, RunState, ToolApprovalItem

    from paycombat_tools import PayCombat

__all__ = ["GuardedAgentTools"]


class GuardedAgentTools:
    """Function tools over ``client`` for an ``agents.Agent``; proposals and decisions go through ``guard``."""

    def __init__(self, client: "PayCombat", guard: ConfirmationGuard, *, allow: Iterable[str] | None = None) -> None:
        guard.bind(client)
        self.guard = guard
        self._context = ToolContext(ReadOnlyClient(client), guard)
        self._specs = select_specs(allow)
        self._status = next(spec for spec in tool_specs() if spec.name == "get_action_status")
        #: tool call id -> the guard's answer to its proposal (an action id, or a refusal)
        self._proposals: dict[str, dict[str, Any]] = {}

    @property
    def tools(self) -> list["FunctionTool"]:
        return [self._function_tool(spec) for spec in self._specs]

    def pending_action(self, item: "ToolApprovalItem") -> PendingAction:
        """What a person must see before deciding an interruption: the guard's neutralised summary."""
        return self.guard.get(self._action_id(item))

    def approve(self, state: "RunState[Any]", item: "ToolApprovalItem", *, approver: str) -> PendingAction:
        """The person approves: the guard executes (once, with the sealed arguments), then the run may resume."""
        action = self.pending_action(item)
        self.guard.approve(action.action_id, approver=approver, expected_digest=action.digest)
        state.approve(item)
        return self.guard.get(action.action_id)

    def reject(self, state: "RunState[Any]", item: "ToolApprovalItem", *, approver: str, reason: str = "") -> PendingAction:
        action = self.pending_action(item)
        self.guard.reject(action.action_id, approver=approver, reason=reason)
        state.reject(item, rejection_message=json.dumps({
            "status": "REJECTED", "executed": False, "action_id": action.action_id,
            "message": "A person rejected this action" + (f": {reason}" if reason else ".")}))
        return self.guard.get(action.action_id)

    # -- the tools ----------------------------------------------------------------------------------

    def _function_tool(self, spec: ToolSpec) -> "FunctionTool":
        import anyio
        from agents import FunctionTool

        async def invoke(ctx: Any, arguments: str) -> str:
            if spec.guarded:
                return await anyio.to_thread.run_sync(self._after_approval, ctx.tool_call_id)
            return await anyio.to_thread.run_sync(invoke_spec, spec, self._context, _parsed(arguments))

        async def needs_approval(ctx: Any, params: dict[str, Any], call_id: str) -> bool:
            answer = json.loads(await anyio.to_thread.run_sync(invoke_spec, spec, self._context, dict(params)))
            self._proposals[call_id] = answer
            return answer.get("status") == "awaiting_human_approval"  # refusals go back to the model at once

        return FunctionTool(name=spec.name, description=describe(spec),
                            params_json_schema=spec.args_schema.model_json_schema(), on_invoke_tool=invoke,
                            strict_json_schema=False, needs_approval=needs_approval if spec.guarded else False)

    def _after_approval(self, call_id: str) -> str:
        """A guarded call the SDK lets through: the guard's record of it, never a second execution."""
        proposal = self._proposals.get(call_id)
        if proposal is None or "action_id" not in proposal:
            return json.dumps(proposal or {"error": "unknown_call", "executed": False})
        return invoke_spec(self._status, self._context, {"action_id": proposal["action_id"]})

    def _action_id(self, item: "ToolApprovalItem") -> str:
        call_id = getattr(item.raw_item, "call_id", None)
        proposal = self._proposals.get(str(call_id))
        if proposal is None or "action_id" not in proposal:
            raise KeyError(f"no guarded proposal for tool call {call_id!r}")
        return str(proposal["action_id"])


def _parsed(arguments: str) -> dict[str, Any]:
    try:
        data = json.loads(arguments or "{}")
    except ValueError:
        return {"__invalid_json__": arguments}  # refused by the closed schema, with the usual answer
    return data if isinstance(data, dict) else {"__not_an_object__": data}
