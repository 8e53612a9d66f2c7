"""``ApprovalPanel``: a notebook view of pending actions with Approve / Reject buttons (ipywidgets).

The person types their name; a click calls ``guard.approve`` / ``guard.reject`` with the digest of
the action as displayed, so what runs is exactly what was shown (the summary masks account numbers;
"exact arguments" shows them in full). Every text is HTML-escaped, and the merchant token a
checkout_url carries (``identifier=``) is hidden.
"""

from __future__ import annotations

import html
import json
from typing import Any

from paycombat_tools.redaction import redact

from .actions import result_ref
from .guard import ActionRefused, ConfirmationGuard, PendingAction
from .results import to_json

__all__ = ["ApprovalPanel"]


class ApprovalPanel:
    """Pending actions of ``guard``, one row each, with the approver's name taken from a text box."""

    def __init__(self, guard: ConfirmationGuard) -> None:
        import ipywidgets as widgets

        self._widgets = widgets
        self.guard = guard
        self.approver = widgets.Text(placeholder="your name", description="Approver")
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh")
        self.refresh_button.on_click(lambda _: self.refresh())
        self.rows = widgets.VBox()
        self.status = widgets.HTML()
        self.messages: list[str] = []
        self.buttons: dict[str, tuple[Any, Any]] = {}
        self.widget = widgets.VBox([widgets.HTML("<b>Actions awaiting approval</b>"),
                                    widgets.HBox([self.approver, self.refresh_button]), self.rows, self.status])
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the rows from the guard's pending actions."""
        self.buttons = {}
        rows = [self._row(action) for action in self.guard.pending()]
        self.rows.children = rows or [self._widgets.HTML("<i>Nothing is waiting for approval.</i>")]

    def _row(self, action: PendingAction) -> Any:
        w = self._widgets
        exact = json.dumps(json.loads(to_json(action.arguments)), indent=1, ensure_ascii=False)
        text = (f"<b>{html.escape(redact(action.summary))}</b><br><small>{html.escape(action.action_id)} · "
                f"{html.escape(action.risk)} · expires {html.escape(action.expires_at.isoformat(timespec='seconds'))}"
                f" · digest {html.escape(action.digest[:12])}…</small>"
                f"<details><summary>exact arguments</summary><pre>{html.escape(exact)}</pre></details>")
        approve = w.Button(description="Approve", button_style="danger", icon="check")
        reject = w.Button(description="Reject", icon="times")
        approve.on_click(lambda _, a=action: self.approve(a.action_id, a.digest))
        reject.on_click(lambda _, a=action: self.reject(a.action_id))
        self.buttons[action.action_id] = (approve, reject)
        return w.HBox([w.HTML(text, layout=w.Layout(width="70%")), approve, reject])

    def approve(self, action_id: str, digest: str | None = None) -> None:
        """What the Approve button does."""
        if not self._named():
            return
        self._lock_row(action_id)
        try:
            result = self.guard.approve(action_id, approver=self.approver.value, expected_digest=digest)
        except ActionRefused as refused:
            self._say(f"Not executed: {refused.reason}")
        except Exception as error:
            self._say(f"Approved, but the call failed: {type(error).__name__}: {error}")
        else:
            self._say(f"Approved by {self.approver.value.strip()} and executed: {to_json(result_ref(result))}")
        self.refresh()

    def reject(self, action_id: str) -> None:
        """What the Reject button does."""
        if not self._named():
            return
        self._lock_row(action_id)
        try:
            self.guard.reject(action_id, approver=self.approver.value, reason="rejected in the approval panel")
        except ActionRefused as refused:
            self._say(f"Not rejected: {refused.reason}")
        else:
            self._say(f"Rejected by {self.approver.value.strip()}: {action_id}")
        self.refresh()

    def _named(self) -> bool:
        if self.approver.value.strip():
            return True
        self._say("Type your name in Approver first: every decision is recorded with who made it.")
        return False

    def _lock_row(self, action_id: str) -> None:
        for button in self.buttons.get(action_id, ()):
            button.disabled = True

    def _say(self, message: str) -> None:
        message = redact(message)
        self.messages.append(message)
        self.status.value = html.escape(message)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"<ApprovalPanel {len(self.guard.pending())} pending>"
