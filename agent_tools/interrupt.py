"""Human-in-the-loop approval as a pause-and-resume protocol (LangGraph ``interrupt`` or any callable).

The graph (or loop) pauses with ``approval_request(...)``; the *host* resumes it with
``{"decision": "approve" | "reject", "approver": "alice"}`` (optionally ``"digest"`` to insist on
exactly what was shown, ``"reason"`` for a rejection). The model never produces the resume value.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator, Mapping
from typing import Any, cast

from paycombat_tools.redaction import redact

from .guard import ActionRefused, ConfirmationGuard
from .results import to_json
from .text import neutralise

__all__ = ["apply_decision", "approval_flow", "approval_interrupt", "approval_request", "prompt_decision"]

Decision = Mapping[str, Any]


def approval_request(guard: ConfirmationGuard, action_id: str) -> dict[str, Any]:
    """What a person is asked: the summary rendered from the sealed arguments, and how to answer."""
    action = guard.get(action_id)
    return {
        "type": "paycombat_approval", "action_id": action.action_id, "summary": action.summary,
        "arguments": json.loads(to_json(action.arguments)),  # in full, for the person to check
        "operation": action.operation, "risk": action.risk, "digest": action.digest, "status": action.status.value,
        "expires_at": action.expires_at.isoformat(),
        "resume_with": {"decision": "approve | reject", "approver": "your name"},
    }


def apply_decision(guard: ConfirmationGuard, action_id: str, decision: Any) -> dict[str, Any]:
    """Apply a person's answer; returns an outcome dict (never raises for a refusal or an API error)."""
    if not isinstance(decision, Mapping):
        return _refused(action_id, "malformed", "the answer must be a mapping with 'decision' and 'approver'")
    kind = str(decision.get("decision", "")).strip().lower()
    approver = str(decision.get("approver") or "")
    if kind not in ("approve", "approved", "reject", "rejected"):
        return _refused(action_id, "malformed", "decision must be 'approve' or 'reject'")
    try:
        if kind.startswith("reject"):
            guard.reject(action_id, approver=approver, reason=str(decision.get("reason") or ""))
            return {"action_id": action_id, "decision": "rejected", "approver": approver, "executed": False}
        result = guard.approve(action_id, approver=approver, expected_digest=decision.get("digest"))
    except ActionRefused as refused:
        return _refused(action_id, refused.code, refused.reason)
    except Exception as error:  # the API said no or the network failed; the guard recorded it as FAILED
        return {"action_id": action_id, "decision": "approved", "approver": approver, "executed": False,
                "error": redact(f"{type(error).__name__}: {error}")}
    # to_json hides a checkout_url's identifier= (the merchant token); the link itself, for the payer, is on
    # guard.get(action_id).result.checkout_url
    return {"action_id": action_id, "decision": "approved", "approver": approver, "executed": True,
            "result": json.loads(to_json(result))}


def _refused(action_id: str, code: str, reason: str) -> dict[str, Any]:
    return {"action_id": action_id, "decision": "refused", "code": code, "reason": reason, "executed": False}


def approval_flow(guard: ConfirmationGuard, action_id: str) -> Generator[dict[str, Any], Any, dict[str, Any]]:
    """The protocol as a generator: yields the request, receives the answer by ``send``, returns the outcome."""
    answer = yield approval_request(guard, action_id)
    return apply_decision(guard, action_id, answer)


def approval_interrupt(guard: ConfirmationGuard, action_id: str, *,
                       interrupt: Callable[[dict[str, Any]], Any] | None = None) -> dict[str, Any]:
    """Pause for a person's decision (LangGraph's ``interrupt`` by default) and apply it exactly once.

    Inside a LangGraph node the first run pauses the graph; resuming with
    ``Command(resume={"decision": "approve", "approver": "alice"})`` re-runs the node and executes.
    A replayed node cannot execute twice: the guard refuses a second approval.
    """
    ask = interrupt or _langgraph_interrupt()
    flow = approval_flow(guard, action_id)
    request = next(flow)
    try:
        flow.send(ask(request))
    except StopIteration as done:
        outcome: dict[str, Any] = done.value
        return outcome
    raise RuntimeError("approval_flow did not finish")  # pragma: no cover


def _langgraph_interrupt() -> Callable[[dict[str, Any]], Any]:
    try:
        from langgraph.types import interrupt
    except ImportError:
        raise RuntimeError("langgraph is not installed: pass interrupt=<callable> (e.g. prompt_decision for a "
                           "terminal) or drive approval_flow() yourself") from None
    return cast("Callable[[dict[str, Any]], Any]", interrupt)


def prompt_decision(request: Mapping[str, Any], *, input: Callable[[str], str] = input,
                    output: Callable[[str], None] = print) -> dict[str, Any]:
    """A terminal approval prompt for ``approval_interrupt(..., interrupt=prompt_decision)``.

    Nothing it prints is interpreted by the terminal: ESC, CR, BEL, bidi and zero-width characters
    appear as visible ``⟨U+XXXX⟩`` escapes, so a summary can't erase or rewrite the line it is on.
    """
    shown = {key: neutralise(redact(str(request.get(key)))) for key in ("summary", "action_id", "risk", "expires_at")}
    arguments = neutralise(redact(json.dumps(request.get("arguments"), ensure_ascii=False, default=str)))
    output(f"[approval needed] {shown['summary']}\n  action {shown['action_id']} ({shown['risk']}), "
           f"expires {shown['expires_at']}\n  exact arguments: {arguments}")
    approver = input("Your name: ").strip()
    answer = input("Approve? [y/N]: ").strip().lower()
    decision = "approve" if answer in ("y", "yes") else "reject"
    return {"decision": decision, "approver": approver, "digest": request.get("digest")}
