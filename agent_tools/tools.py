"""``build_tools``: the curated PayCombat tools a support assistant's model may call.

Look-ups run at once through a read-only view of the client (it refuses any operation whose
catalog risk is not ``read``). Every tool whose operation the catalog marks ``money`` or
``destructive`` only proposes: the ``ConfirmationGuard`` holds it for a person. ``ainvoke`` runs the
same code on the event loop and reads through ``AsyncPayCombat`` (no thread pool).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

from paycombat_tools.errors import PayCombatError

from ._guarded import GUARDED_SPECS
from ._listings import LISTING_SPECS
from ._lookups import LOOKUP_SPECS
from .actions import ActionStatus, result_ref
from .guard import ActionRefused, ConfirmationGuard
from .results import to_json
from .spec import ReadOnlyClient, ToolContext, ToolSpec

if TYPE_CHECKING:
    from langchain_core.tools import BaseTool
    from pydantic import ValidationError

    from paycombat_tools import AsyncPayCombat, PayCombat

__all__ = ["GUARDED_TOOLS", "LOOKUP_TOOLS", "ToolSpec", "build_tools", "tool_specs"]

_APPROVAL_NOTE = ("Needs human approval: calling it only records a proposal and returns an action_id. Nothing "
                  "happens until a person approves it outside this chat; you cannot approve it.")

#: Tool names by kind, for ``allow=``.
LOOKUP_TOOLS: tuple[str, ...] = tuple(spec.name for spec in (*LOOKUP_SPECS, *LISTING_SPECS))
GUARDED_TOOLS: tuple[str, ...] = tuple(spec.name for spec in GUARDED_SPECS)


def tool_specs() -> list[ToolSpec]:
    """Every tool's spec: look-ups, then list/search tools, then the guarded ones."""
    return [*LOOKUP_SPECS, *LISTING_SPECS, *GUARDED_SPECS]


def build_tools(client: "PayCombat", guard: ConfirmationGuard | None, *, allow: Iterable[str] | None = None,
                async_client: "AsyncPayCombat | None" = None) -> list["BaseTool"]:
    """LangChain tools over ``client``; guarded ones propose to ``guard``. ``allow`` keeps only those names.

    ``ainvoke`` reads through ``async_client`` (by default an ``AsyncPayCombat`` with ``client``'s
    settings, made on first use).
    """
    specs = select_specs(allow)
    if guard is None and any(spec.guarded or spec.needs_guard for spec in specs):
        raise ValueError("guarded tools need a ConfirmationGuard: build_tools(client, ConfirmationGuard(...))")
    if guard is not None:
        guard.bind(client)
    context = ToolContext(ReadOnlyClient(client), guard)

    @cache
    def async_context() -> ToolContext:
        from paycombat_tools import AsyncPayCombat

        from ._async_calls import AsyncReadOnlyClient

        return ToolContext(AsyncReadOnlyClient(async_client or AsyncPayCombat.like(client)), guard)

    return [_tool(spec, context, async_context) for spec in specs]


def invoke_spec(spec: ToolSpec, context: ToolContext, arguments: dict[str, Any]) -> str:
    """Run one tool call (LangChain, MCP, OpenAI Agents all come here) and answer with its JSON text."""
    from pydantic import ValidationError

    try:
        params = spec.args_schema.model_validate(arguments)
    except ValidationError as invalid:
        return _invalid_arguments(invalid)
    try:
        data = _propose(spec, context, params) if spec.guarded else _look_up(spec, context, params)
    except ActionRefused as refused:
        data = {"status": "refused", "reason": refused.reason, "executed": False}
    except PayCombatError as error:
        data = {"error": _error_code(error), "message": error.message}
    return to_json(data)


def describe(spec: ToolSpec) -> str:
    """The description a model reads: guarded tools say that they only propose."""
    return spec.description + (" " + _APPROVAL_NOTE if spec.guarded else "")


def select_specs(allow: Iterable[str] | None = None, *, read_only: bool = False) -> list[ToolSpec]:
    """The specs to serve: all, or only the ``allow`` names (unknown names refused); ``read_only`` drops guarded ones."""
    specs = tool_specs()
    if allow is not None:
        wanted = list(dict.fromkeys(allow))
        known = {spec.name for spec in specs}
        unknown = [name for name in wanted if name not in known]
        if unknown:
            raise ValueError(f"unknown tool name(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        specs = [spec for spec in specs if spec.name in wanted]
    return [spec for spec in specs if not (read_only and (spec.guarded or spec.needs_guard))]


def _tool(spec: ToolSpec, context: ToolContext, async_context: Callable[[], ToolContext]) -> "BaseTool":
    from langchain_core.tools import StructuredTool

    def call(**kwargs: Any) -> str:
        return invoke_spec(spec, context, kwargs)

    async def acall(**kwargs: Any) -> str:
        from ._async_calls import run_on_the_loop

        return await run_on_the_loop(invoke_spec, spec, async_context(), kwargs)

    return StructuredTool(
        name=spec.name, description=describe(spec), args_schema=spec.args_schema, func=call, coroutine=acall,
        handle_validation_error=_invalid_arguments, tags=["paycombat", spec.risk],
        metadata={"risk": spec.risk, "guarded": spec.guarded, "operation": spec.operation},
    )


def _look_up(spec: ToolSpec, context: ToolContext, params: Any) -> dict[str, Any]:
    assert spec.run is not None
    return spec.run(context, params)


def _propose(spec: ToolSpec, context: ToolContext, params: Any) -> dict[str, Any]:
    assert spec.prepare is not None and spec.operation is not None and context.guard is not None
    arguments, facts = spec.prepare(context.reader, params)
    waiting = {action.action_id for action in context.guard.pending()}
    action = context.guard.propose(spec.operation, arguments, facts=facts)
    result = {"status": "awaiting_human_approval", "action_id": action.action_id, "summary": action.summary,
              "risk": action.risk, "expires_at": action.expires_at, "executed": False,
              "message": "Recorded for a person to approve outside this chat. Nothing has been executed."}
    if action.action_id in waiting:
        result["message"] = "Identical to an action already awaiting approval; no new action was recorded."
    elif action.status is not ActionStatus.PENDING:  # an auto-approval rule of the policy named it
        result.update(status=action.status.value, executed=action.status is ActionStatus.EXECUTED,
                      decided_by=action.decided_by, error=action.error,
                      result=result_ref(action.result) if action.result is not None else None,
                      message=f"Approved by the policy ({action.decided_by}) without a person; see "
                              "get_action_status for the outcome.")
    return result


def _error_code(error: PayCombatError) -> str:
    name = type(error).__name__.removesuffix("Error") or "PayCombat"
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def _invalid_arguments(error: "ValidationError | Any") -> str:
    problems = [{"field": ".".join(str(p) for p in e["loc"]) or "arguments", "problem": e["msg"]}
                for e in error.errors(include_url=False, include_input=False)]
    return to_json({"error": "invalid_arguments", "problems": problems, "executed": False})
