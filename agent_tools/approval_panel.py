"""``ApprovalPanel``: a notebook view of pending actions with Approve / Reject buttons (ipywidgets).

The person types their name; a click calls ``guard.approve`` / ``guard.reject`` with the digest of
the action as displayed, so what runs is exactly what was shown (the summary masks account numbers;
"exact arguments" shows them in full). Reject asks for a reason, which goes to the audit log. The
panel follows the guard: while it is shown, a new proposal (or one decided elsewhere) appears within
``poll_interval`` seconds, with no Refresh needed. Every text shows hidden characters (bidi controls,
ANSI escapes, zero-width) as visible ``⟨U+XXXX⟩`` escapes and is then HTML-escaped, the merchant token a
checkout_url carries (``identifier=``) is hidden, and colours come from JupyterLab's theme.
"""

from __future__ import annotations

import html
import json
import threading
from typing import Any

from paycombat_tools.redaction import redact

from .actions import result_ref
from .guard import ActionRefused, ConfirmationGuard, PendingAction
from .results import to_json
from .text import neutralise

__all__ = ["ApprovalPanel"]


class ApprovalPanel:
    """Pending actions of ``guard``, one row each, with the approver's name taken from a text box."""

    def __init__(self, guard: ConfirmationGuard, *, poll_interval: float = 1.0) -> None:
        import ipywidgets as widgets

        from paycombat_tools.widgets._theme import dangerous, themed_root

        self._widgets = widgets
        self._dangerous = dangerous
        self.guard = guard
        self.poll_interval = poll_interval
        self.approver = widgets.Text(placeholder="your name", description="Approver *",
                                     style={"description_width": "initial"})
        self.reason = widgets.Text(placeholder="why (recorded with a rejection)", description="Reason for a reject",
                                   style={"description_width": "initial"}, layout=widgets.Layout(width="360px"))
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh",
                                             tooltip="Read the waiting actions again")
        self.refresh_button.on_click(lambda _: self.refresh())
        self.rows = widgets.VBox()
        self.status = widgets.HTML()
        self.messages: list[str] = []
        #: What each approval executed (the API's record), by action id.
        self.results: dict[str, Any] = {}
        self.buttons: dict[str, tuple[Any, Any]] = {}
        self._shown: tuple[str, ...] | None = None
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self.widget = themed_root([
            widgets.HTML("<div class='pct-title'>Actions awaiting approval</div>"
                         "<div class='pct-hint'>Type your name, then Approve (runs the exact call shown, once) or "
                         "Reject (give a reason). New proposals appear here by themselves.</div>"),
            widgets.HBox([self.approver, self.reason, self.refresh_button],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.rows, self.status], name="approvals")
        self.refresh()
        self._watcher = threading.Thread(target=self._follow, daemon=True, name="approval-panel")
        self._watcher.start()

    def refresh(self) -> None:
        """Rebuild the rows from the guard's pending actions (only when the set of actions changed)."""
        with self._lock:
            pending = self.guard.pending()
            ids = tuple(action.action_id for action in pending)
            if ids == self._shown:
                return
            self._shown = ids
            self.buttons = {}
            rows = [self._row(action) for action in pending]
            self.rows.children = rows or [self._widgets.HTML("<div class='pct-hint'>Nothing is waiting for "
                                                             "approval.</div>")]

    def close(self) -> None:
        """Stop following the guard and close the panel's widgets."""
        self._stop.set()
        for child in self._walk(self.widget):
            child.close()

    def _follow(self) -> None:
        """While the panel is open: show new proposals (and drop decided ones) as they happen."""
        while not self._stop.wait(self.poll_interval):
            try:
                self.refresh()
            except Exception as error:  # a store that cannot be read: say so, keep the last rows
                self._say(f"Could not read the waiting actions: {type(error).__name__}: {error}")

    def _row(self, action: PendingAction) -> Any:
        w = self._widgets
        exact = json.dumps(json.loads(to_json(action.arguments)), indent=1, ensure_ascii=False)
        text = (f"<div><b>{_shown(action.summary)}</b></div><div class='pct-hint'>"
                f"{_shown(action.action_id)} · {_shown(action.risk)} · expires "
                f"{_shown(action.expires_at.isoformat(timespec='seconds'))} · digest "
                f"{_shown(action.digest[:12])}…</div>"
                f"<details><summary>exact arguments</summary><pre>{_shown(exact, multiline=True)}</pre></details>")
        fixed = {"width": "auto", "min_width": "104px", "flex": "0 0 auto"}
        approve = self._dangerous(w.Button(description="Approve", icon="check", layout=w.Layout(**fixed),
                                           tooltip="Run exactly this call, once"))
        reject = w.Button(description="Reject", icon="times", layout=w.Layout(**fixed),
                          tooltip="Refuse it (with the reason typed above)")
        approve.on_click(lambda _, a=action: self.approve(a.action_id, a.digest))
        reject.on_click(lambda _, a=action: self.reject(a.action_id))
        self.buttons[action.action_id] = (approve, reject)
        return w.HBox([w.HTML(text, layout=w.Layout(flex="1 1 auto", min_width="0")), approve, reject],
                      layout=w.Layout(align_items="flex-start", border_bottom="1px solid var(--jp-border-color2)"))

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
            self.results[action_id] = result
            self._say(f"Approved by {self.approver.value.strip()} and executed: {_describe(result)}")
        self.refresh()

    def reject(self, action_id: str, reason: str | None = None) -> None:
        """What the Reject button does: refuse the action with the reason typed (or given)."""
        if not self._named():
            return
        why = (reason if reason is not None else self.reason.value).strip()
        if not why:
            self._say("Type a reason first: a rejection is recorded with why.")
            return
        self._lock_row(action_id)
        try:
            self.guard.reject(action_id, approver=self.approver.value, reason=why)
        except ActionRefused as refused:
            self._say(f"Not rejected: {refused.reason}")
        else:
            self.reason.value = ""
            self._say(f"Rejected by {self.approver.value.strip()} ({why}): {action_id}")
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
        message = neutralise(redact(message))
        self.messages.append(message)
        self.status.value = f"<div class='pct-msg pct-msg--info' role='status'>{html.escape(message)}</div>"

    def _walk(self, widget: Any) -> list[Any]:
        found = [widget]
        for child in getattr(widget, "children", ()) or ():
            found += self._walk(child)
        return found

    def _ipython_display_(self) -> None:
        from paycombat_tools.widgets._common import display_with_rerun_note

        display_with_rerun_note(self.widget, "ApprovalPanel")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"<ApprovalPanel {len(self.guard.pending())} pending>"


def _shown(text: str, *, multiline: bool = False) -> str:
    """Text for the panel's HTML: the merchant token hidden, hidden characters as visible escapes, then escaped."""
    return html.escape(neutralise(redact(text), multiline=multiline))


def _describe(result: Any) -> str:
    """The executed record in words: its kind, id, status and reference."""
    ref = result_ref(result)
    parts = [f"{type(result).__name__.lower()} {ref['id']}" if "id" in ref else type(result).__name__]
    parts += [f"{key} {ref[key]}" for key in ("status", "order_id", "organization_reference_id") if key in ref]
    return ", ".join(parts) if ref else to_json(result)
