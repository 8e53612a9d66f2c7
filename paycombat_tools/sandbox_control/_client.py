"""``SandboxControl``: a small client for a running sandbox's control plane (``/_sandbox/...``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import requests
from pydantic import BaseModel

from .._config import DEFAULT_BASE_URL, ENV_BASE_URL, ENV_TOKEN, Secret, read_env
from ..errors import ConfigurationError, NetworkError, PayCombatError, ServerError, error_for_status
from ..signing import canonical_json, parse_json
from ._routes import (ROUTES_BY_NAME, ClockAdvanced, ClockState, FaultState, NotificationUrl, ResetDone, Triggered,
                      WebhookLog)

Answer = TypeVar("Answer", bound=BaseModel)


class SandboxControl:
    """Reset, clock, faults, outcomes and the webhook log of a sandbox at ``base_url`` (any process, any host).

    ``SandboxControl(url, token).trigger("payout.success")``; ``SandboxControl.from_env()`` reads
    PAYCOMBAT_BASE_URL and PAYCOMBAT_TOKEN (what ``paycombat sandbox serve`` prints).
    """

    def __init__(self, base_url: str, token: str, *, timeout: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = Secret(token)
        self.timeout = timeout
        self._session = requests.Session()

    @classmethod
    def from_env(cls, dotenv: str | Path | None = ".env", **options: Any) -> "SandboxControl":
        values = read_env(dotenv)
        base_url = values.get(ENV_BASE_URL) or DEFAULT_BASE_URL
        if base_url.rstrip("/") == DEFAULT_BASE_URL:
            raise ConfigurationError(f"{ENV_BASE_URL} is the real API ({DEFAULT_BASE_URL}), which has no control "
                                     "plane: point it at a sandbox (paycombat sandbox serve prints its URL)")
        return cls(base_url, values[ENV_TOKEN], **options)

    # -- the routes ----------------------------------------------------------------------------------

    def reset(self) -> ResetDone:
        """Back to the seed: records, balances, ids, clock, webhook log and faults as at the start."""
        return self._call("reset", ResetDone)

    def clock(self) -> ClockState:
        return self._call("clock", ClockState)

    def advance_clock(self, seconds: float) -> ClockAdvanced:
        """Move the clock forward ``seconds``; due payins and payment requests expire (and notify) at once."""
        return self._call("advance_clock", ClockAdvanced, body={"seconds": seconds})

    def faults(self) -> FaultState:
        return self._call("faults", FaultState)

    def set_faults(self, **settings: Any) -> FaultState:
        """``plan={"payouts.create": ["drop_after_commit"]}``, ``error_rate=0.5``, ``latency=1``, ``operations=[...]``;
        what is left out stays as it is."""
        return self._call("set_faults", FaultState, body=settings)

    def clear_faults(self) -> FaultState:
        return self._call("clear_faults", FaultState)

    def trigger(self, event: str, *, amount: int | Decimal | str | None = None, currency: str | None = None,
                webhook_url: str | None = None) -> Triggered:
        """Drive ``event`` (e.g. ``"payout.success"``) end to end; the answer names every id it created."""
        body = {"event": event, "amount": amount, "currency": currency, "webhook_url": webhook_url}
        return self._call("trigger", Triggered, body={k: v for k, v in body.items() if v is not None})

    def webhooks(self, *, event_type: str | None = None, delivered: bool | None = None,
                 wait: float | None = None) -> WebhookLog:
        """The delivery log; ``wait`` seconds first lets queued deliveries (and retries) finish."""
        query = {"event_type": event_type, "delivered": None if delivered is None else str(delivered).lower(),
                 "wait": None if wait is None else f"{wait:g}"}
        return self._call("webhooks", WebhookLog, query={k: v for k, v in query.items() if v is not None})

    def notification_url(self) -> str | None:
        return self._call("notification_url", NotificationUrl).notification_url

    def set_notification_url(self, url: str | None) -> str | None:
        """Where webhooks go when a record names no ``webhook_url``; returns the URL now set."""
        return self._call("set_notification_url", NotificationUrl, body={"notification_url": url}).notification_url

    # -- mechanics -----------------------------------------------------------------------------------

    def _call(self, name: str, answer: type[Answer], *, body: dict[str, Any] | None = None,
              query: dict[str, str] | None = None) -> Answer:
        route = ROUTES_BY_NAME[name]
        operation = f"sandbox_control.{name}"
        headers = {"X-token": self._token.reveal(), "Accept": "application/json"}
        data = None
        if body is not None:
            data = canonical_json(body, exact=False)
            headers["Content-Type"] = "application/json"
        try:
            response = self._session.request(route.method, self.base_url + route.path, params=query, data=data,
                                             headers=headers, timeout=self.timeout)
        except requests.RequestException as error:
            raise NetworkError(f"the sandbox at {self.base_url} did not answer: {type(error).__name__}",
                               operation=operation) from None
        try:
            envelope = parse_json(response.content)
        except ValueError:
            envelope = None
        if not isinstance(envelope, dict) or "status" not in envelope:
            hint = " (is this a sandbox? the real API has no /_sandbox/ routes)" if response.status_code == 404 else ""
            raise ServerError(f"{self.base_url}{route.path} answered HTTP {response.status_code} without the "
                              f"sandbox's envelope{hint}", status=response.status_code, operation=operation)
        if response.status_code != 200 or envelope.get("status") is not True:
            message = str(envelope.get("message") or f"HTTP {response.status_code}")
            error_class: type[PayCombatError] = error_for_status(response.status_code, message)
            raise error_class(message, status=response.status_code, operation=operation, body=envelope)
        return answer.model_validate(envelope.get("data"))

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> "SandboxControl":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SandboxControl({self.base_url!r}, token=<hidden>)"
