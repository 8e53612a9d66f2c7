"""The same curated tools over MCP (the official ``mcp`` SDK): ``python -m agent_tools.mcp --sandbox``.

One source of truth: names, descriptions, JSON schemas and results come from the specs the
LangChain tools use. Money and destructive tools only propose; no tool can approve. A person
approves outside the model: the approvals CLI or a host app over the action store, or, where the
MCP client supports it, an elicitation the server sends to the *user* showing the neutralised
summary. An elicitation answer counts only with the approver's name, is bound to the digest of
the action as proposed, and the guard still decides.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..actions import ActionStatus
from ..guard import ActionRefused, ConfirmationGuard
from ..results import to_json
from ..spec import ReadOnlyClient, ToolContext
from ..tools import describe, invoke_spec, select_specs

if TYPE_CHECKING:
    from mcp.server.lowlevel import Server

    from paycombat_tools import PayCombat

__all__ = ["ELICITATION_SCHEMA", "build_server"]

#: What the user fills in when the server asks them (never the model) about a proposal.
ELICITATION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "decision": {"type": "string", "enum": ["approve", "reject"], "title": "Decision"},
        "approver": {"type": "string", "title": "Your name", "description": "Recorded in the audit log"},
        "reason": {"type": "string", "title": "Reason (for a rejection)"},
    },
    "required": ["decision", "approver"],
}


def build_server(client: "PayCombat", guard: ConfirmationGuard | None, *, allow: Iterable[str] | None = None,
                 read_only: bool = False, elicit: bool = True, name: str = "paycombat") -> "Server":
    """An MCP server exposing the curated tools over ``client``; guarded ones propose to ``guard``."""
    import anyio
    import mcp.types as types
    from mcp.server.lowlevel import Server

    specs = {spec.name: spec for spec in select_specs(allow, read_only=read_only)}
    if guard is None and any(spec.guarded or spec.needs_guard for spec in specs.values()):
        raise ValueError("guarded tools need a ConfirmationGuard (or serve them read_only)")
    if guard is not None:
        guard.bind(client)
    context = ToolContext(ReadOnlyClient(client), guard)
    server: Server = Server(name, instructions=(
        "PayCombat tools for a support assistant. Look-ups answer at once. Tools that move money or delete "
        "only record a proposal for a person to approve outside this conversation; you cannot approve."))

    @server.list_tools()
    async def list_tools() -> list[types.Tool]:
        return [types.Tool(name=spec.name, description=describe(spec), inputSchema=spec.args_schema.model_json_schema(),
                           annotations=types.ToolAnnotations(readOnlyHint=not spec.guarded,
                                                             destructiveHint=spec.guarded, idempotentHint=not spec.guarded,
                                                             openWorldHint=False))
                for spec in specs.values()]

    @server.call_tool(validate_input=False)  # the spec's own model validates, with the same answers as LangChain
    async def call_tool(tool: str, arguments: dict[str, Any]) -> list[types.TextContent]:
        spec = specs.get(tool)
        if spec is None:
            text = to_json({"error": "unknown_tool", "message": f"no tool named {tool!r}"})
        else:
            text = await anyio.to_thread.run_sync(invoke_spec, spec, context, dict(arguments or {}))
            proposal = json.loads(text)
            if elicit and guard is not None and proposal.get("status") == "awaiting_human_approval":
                decided = await _ask_the_user(server, guard, proposal)
                if decided is not None:
                    text = to_json({**proposal, **decided})
        return [types.TextContent(type="text", text=text)]

    return server


async def _ask_the_user(server: "Server", guard: ConfirmationGuard, proposal: dict[str, Any]) -> dict[str, Any] | None:
    """Where the client can, ask its user (not the model) to decide; None when nothing was decided."""
    import anyio
    import mcp.types as types

    session = server.request_context.session
    if not session.check_client_capability(types.ClientCapabilities(elicitation=types.ElicitationCapability())):
        return None
    action = guard.get(proposal["action_id"])
    message = (f"A support assistant proposes:\n\n{action.summary}\n\nRisk: {action.risk}. Expires: "
               f"{action.expires_at}. Action {action.action_id}, digest {action.digest[:16]}…\n"
               "Approve only if this is exactly what you want to happen.")
    try:
        answer = await session.elicit(message=message, requestedSchema=ELICITATION_SCHEMA)  # type: ignore[arg-type]
    except Exception:  # the client declared the capability but could not ask: the action stays pending
        return None
    content = answer.content or {}
    approver = str(content.get("approver") or "").strip()
    if answer.action != "accept" or not approver:
        return {"message": "The person did not decide here; the action is still awaiting approval."}
    try:
        if content.get("decision") == "approve":
            await anyio.to_thread.run_sync(lambda: guard.approve(action.action_id, approver=approver,
                                                                 expected_digest=action.digest))
        else:
            await anyio.to_thread.run_sync(lambda: guard.reject(action.action_id, approver=approver,
                                                                reason=str(content.get("reason") or "")))
    except ActionRefused as refused:
        return {"status": "refused", "reason": refused.reason, "executed": False}
    done = guard.get(action.action_id)
    return {"status": done.status.value, "executed": done.status is ActionStatus.EXECUTED,
            "message": f"Decided by {approver} through the MCP client's own prompt (elicitation)."}
