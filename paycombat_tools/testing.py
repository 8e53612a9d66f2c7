"""Test helpers for code that uses PayCombat, around an in-process ``Sandbox``: a webhook inbox and the clock.

The pytest plugin (``paycombat_tools.pytest_plugin``) hands them out as fixtures; they work in any test
runner. Events are named as the sandbox's delivery log names them: ``"PAYOUT SUCCESS"``, ``"VA APPROVED"``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .sandbox_control import ClockAdvanced
from .webhook_listener import WebhookListener

if TYPE_CHECKING:
    from .sandbox import Sandbox

DEFAULT_TIMEOUT = 10.0


def event_name(event: Any) -> str:
    """``"PAYIN SUCCESS"``, ``"PAYOUT RETURNED"``, ``"VA APPROVED"``: a typed webhook's type and status."""
    return f"{getattr(event, 'type', None) or 'VA'} {event.status}"


class WebhookInbox:
    """A verifying webhook receiver that is the sandbox's notification URL while it is open.

    ``inbox.wait_for("PAYOUT SUCCESS", id=payout.id)``; ``inbox.assert_received(...)``,
    ``inbox.assert_nothing_received(...)``. Every delivery is checked against the sandbox's signature key;
    ones that fail land in ``rejected``.
    """

    def __init__(self, sandbox: "Sandbox") -> None:
        self._sandbox = sandbox
        self._listener = WebhookListener(sandbox.signature_key)
        self._previous = sandbox.notification_url
        sandbox.notification_url = self.url

    @property
    def url(self) -> str:
        return self._listener.url

    @property
    def events(self) -> list[Any]:
        """Every verified event so far, in arrival order (typed: ``PayoutSuccess``, ``PayinExpired``, ...)."""
        return list(self._listener.events)

    @property
    def rejected(self) -> list[bytes]:
        """Bodies whose signature did not verify."""
        return list(self._listener.rejected)

    def matching(self, name: str | None = None, *, id: str | None = None,
                 where: Callable[[Any], bool] | None = None) -> list[Any]:
        """The received events with this name (``"PAYOUT SUCCESS"``), record id and predicate."""
        return [event for event in self._listener.events if _matches(event, name, id, where)]

    def wait_for(self, name: str | None = None, *, id: str | None = None,
                 where: Callable[[Any], bool] | None = None, timeout: float = DEFAULT_TIMEOUT) -> Any:
        """The first event that matches, waiting for it; AssertionError naming what did arrive if none does."""
        try:
            return self._listener.wait_for(lambda event: _matches(event, name, id, where), timeout=timeout)
        except TimeoutError:
            raise AssertionError(f"no {_wanted(name, id)} webhook within {timeout:g}s; "
                                 f"received: {self._summary()}") from None

    def assert_received(self, name: str, *, id: str | None = None, count: int | None = None,
                        timeout: float = DEFAULT_TIMEOUT) -> list[Any]:
        """Wait for a matching event; with ``count``, also that exactly that many arrived once deliveries settle."""
        self.wait_for(name, id=id, timeout=timeout)
        if count is not None:
            self.settle(timeout)
            found = self.matching(name, id=id)
            assert len(found) == count, (f"expected {count} {_wanted(name, id)} webhook(s), got {len(found)}; "
                                         f"received: {self._summary()}")
        return self.matching(name, id=id)

    def assert_nothing_received(self, name: str | None = None, *, id: str | None = None,
                                timeout: float = DEFAULT_TIMEOUT) -> None:
        """Once every queued delivery (with retries) was attempted, no matching event arrived."""
        self.settle(timeout)
        found = self.matching(name, id=id)
        assert not found, f"expected no {_wanted(name, id)} webhook; received: {self._summary()}"

    def settle(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until the sandbox has attempted every queued delivery and retry."""
        assert self._sandbox.wait_for_webhooks(timeout), f"webhook deliveries still queued after {timeout:g}s"

    def clear(self) -> None:
        """Forget what was received so far."""
        self._listener.events.clear()
        self._listener.rejected.clear()

    def close(self) -> None:
        """Stop receiving and give the sandbox its previous notification URL back."""
        if self._sandbox.notification_url == self.url:
            self._sandbox.notification_url = self._previous
        self._listener.close()

    def _summary(self) -> str:
        names = [f"{event_name(event)} {getattr(event, 'id', '?')}" for event in self._listener.events]
        return ", ".join(names) or "nothing"

    def __enter__(self) -> "WebhookInbox":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<WebhookInbox {self.url} events={len(self._listener.events)}>"


def _matches(event: Any, name: str | None, record_id: str | None, where: Callable[[Any], bool] | None) -> bool:
    return ((name is None or event_name(event) == name) and (record_id is None or event.id == record_id)
            and (where is None or where(event)))


def _wanted(name: str | None, record_id: str | None) -> str:
    return " ".join(part for part in (name or "matching", f"for {record_id}" if record_id else "") if part)


class SandboxClock:
    """The sandbox's clock: ``now``, and ``advance(hours=48)``, which also expires what fell due (webhooks too)."""

    def __init__(self, sandbox: "Sandbox") -> None:
        self._sandbox = sandbox

    @property
    def now(self) -> Any:
        return self._sandbox.store.now()

    def advance(self, seconds: float = 0, *, minutes: float = 0, hours: float = 0, days: float = 0) -> ClockAdvanced:
        """Move forward; the answer lists the payins and payment requests that expired."""
        total = seconds + 60 * minutes + 3600 * hours + 86400 * days
        return ClockAdvanced.model_validate(self._sandbox.control.advance_clock(total))

    def __repr__(self) -> str:
        return f"<SandboxClock {self.now.isoformat()}>"
