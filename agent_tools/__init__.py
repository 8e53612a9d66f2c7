"""Guarded LangChain tools for support assistants over the PayCombat client.

Look-ups run at once; money-moving and destructive calls only *propose*, and wait in a
``ConfirmationGuard`` until a person approves them outside the model (host app, notebook
panel, CLI, LangGraph interrupt). ``langchain-core`` is needed only by ``build_tools``;
``ipywidgets`` only by ``ApprovalPanel``.
"""

from __future__ import annotations

from typing import Any

from .audit import AuditLog
from .guard import ActionRefused, ActionStatus, ConfirmationGuard, PendingAction
from .interrupt import apply_decision, approval_flow, approval_interrupt, approval_request, prompt_decision
from .policy import AutoApprove, ConfirmationPolicy, Money
from .store import ActionStore, MemoryActionStore, SqliteActionStore
from .tools import GUARDED_TOOLS, LOOKUP_TOOLS, ToolSpec, build_tools, tool_specs

__all__ = [
    "GUARDED_TOOLS", "LOOKUP_TOOLS", "ActionRefused", "ActionStatus", "ActionStore", "ApprovalPanel", "AuditLog",
    "AutoApprove", "ConfirmationGuard", "ConfirmationPolicy", "MemoryActionStore", "Money", "PendingAction",
    "SqliteActionStore", "ToolSpec", "apply_decision",
    "approval_flow", "approval_interrupt", "approval_request", "build_tools", "prompt_decision", "tool_specs",
]


def __getattr__(name: str) -> Any:
    """``ApprovalPanel`` (ipywidgets) loads on first use."""
    if name == "ApprovalPanel":
        from .approval_panel import ApprovalPanel

        return ApprovalPanel
    raise AttributeError(f"module 'agent_tools' has no attribute {name!r}")
