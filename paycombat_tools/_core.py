"""The sans-I/O core every client shares: build and sign, decide retries, read answers, name references.

It never sends and never waits. A driver (``_requester.Requester`` over ``requests``,
``_async_requester.AsyncRequester`` over httpx) asks it what to do next and only moves bytes and
sleeps, so both clients build the same bytes, retry under the same rules and raise the same errors.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from . import __version__, limits
from ._arguments import Call, Extras
from ._config import ClientConfig
from ._envelope import typed, unwrap
from ._retry import parse_retry_after
from ._transport import HttpRequest, HttpResponse, TransportError
from .catalog import Operation
from .errors import InvalidRequestError, NetworkError, PayCombatError, ServerError
from .signing import canonical_json, sign

if TYPE_CHECKING:
    from pydantic import BaseModel

log = logging.getLogger("paycombat_tools")


@dataclass(frozen=True)
class Exchange:
    """One call, built and signed: what a driver sends, and ``client.resend(error)`` sends again unchanged."""

    operation: Operation
    request: HttpRequest
    path_params: dict[str, str]
    payload: "BaseModel | None"
    extras: Extras
    retry_safe: bool
    reference: str | int | None


class RequestCore:
    """Everything about a call except moving bytes: one instance per client, shared by nothing mutable."""

    def __init__(self, config: ClientConfig) -> None:
        self.config = config

    def path_for(self, operation: Operation) -> str:
        return self.config.paths.get(operation.name, operation.path)

    # -- building --------------------------------------------------------------------------------

    def exchange(self, call: Call) -> Exchange:
        """The signed request for a checked call, with its idempotency reference fixed before the first try."""
        operation = call.operation
        payload = self._with_reference(operation, call.payload)
        wire = payload.model_dump(mode="python", exclude_none=True, by_alias=True) if payload is not None else {}
        request = self._build(operation, call.path_params, wire, call.extras)
        return Exchange(operation, request, dict(call.path_params), payload, call.extras,
                        retry_safe=_retry_safe(operation, wire),
                        reference=wire.get(operation.idempotency_field) if operation.idempotency_field else None)

    def page_call(self, exchange: Exchange, number: int) -> Call:
        """The call for page ``number`` of the same listing (same filters and extras)."""
        payload = exchange.payload.model_copy(update={"page": number}) if exchange.payload is not None else None
        return Call(exchange.operation, exchange.path_params, payload, exchange.extras)

    def _with_reference(self, operation: Operation, payload: "BaseModel | None") -> "BaseModel | None":
        field = operation.idempotency_field
        if payload is None or field is None or not self.config.auto_reference:
            return payload
        if getattr(payload, field, None):
            return payload
        return payload.model_copy(update={field: f"pct_{uuid.uuid4().hex}"})

    def _build(self, operation: Operation, path_params: Mapping[str, str], wire: dict[str, Any],
               extras: Extras) -> HttpRequest:
        path = self.path_for(operation).format(**{k: quote(str(v), safe="") for k, v in path_params.items()})
        url = self.config.base_url.rstrip("/") + path
        headers = {
            "Accept": "application/json",
            "User-Agent": f"paycombat-tools/{__version__}",
            "X-Request-Id": f"req_{uuid.uuid4().hex}",
            **extras.checked_headers(operation.name),
            "X-token": self.config.token.reveal(),
        }
        if operation.has_body or extras.body:
            # serialised once: these bytes are signed and sent (extra_body is merged before signing)
            body = _serialised(operation, {**wire, **extras.body} if operation.has_body else dict(extras.body))
            headers["Content-Type"] = "application/json"
            headers["signature"] = sign(body, self.config.signature_key.reveal())
            return HttpRequest(operation.method, url, headers, body, params=dict(extras.query))
        # GETs, and the bodiless PATCH/DELETE calls: the docs' curl sends only X-token
        return HttpRequest(operation.method, url, headers, params={**_query(wire), **extras.query})

    # -- deciding --------------------------------------------------------------------------------

    def attempts(self, exchange: Exchange) -> "Attempts":
        return Attempts(self.config, exchange)

    # -- reading ---------------------------------------------------------------------------------

    def result(self, exchange: Exchange, response: HttpResponse) -> Any:
        """The typed result of the final answer (a ``Listing`` for a page), or the API's error raised."""
        data, context = unwrap(exchange.operation, response, exchange.request)
        return typed(exchange.operation, data, exchange.payload, context)

    @staticmethod
    def failure(exchange: Exchange, error: PayCombatError) -> PayCombatError:
        """The error as the caller sees it: naming the reference, saying whether the outcome is unknown."""
        unknown = isinstance(error, ServerError) or (isinstance(error, NetworkError) and error.sent)
        return error.with_reference(
            exchange.operation.idempotency_field if exchange.reference is not None else None,
            exchange.reference, outcome_unknown=unknown, exchange=exchange if exchange.retry_safe else None)


class Attempts:
    """The retry decisions for one exchange: after each try, wait this long and try again, or stop.

    A driver calls ``after_error`` or ``after_response`` once per try; a number is the seconds to wait
    before the next try, ``None`` means the response is the answer. Giving up raises the error.
    """

    def __init__(self, config: ClientConfig, exchange: Exchange) -> None:
        self.policy = config.retry
        self.exchange = exchange
        self.attempt = 1

    def after_error(self, error: TransportError) -> float:
        """No whole answer came back: the wait before trying again, or the ``NetworkError`` raised."""
        operation, retry_safe = self.exchange.operation, self.exchange.retry_safe
        if error.local:
            raise InvalidRequestError(str(error), operation=operation.name) from None
        sent = error.sent or self.attempt > 1  # an earlier attempt may have reached the server
        if self.attempt > self.policy.max_retries or (error.sent and not retry_safe):
            raise NetworkError(
                f"{error} after {self.attempt} attempt(s)"
                + ("" if retry_safe or not error.sent else "; not retried: the request may have "
                   "reached the server and carries no idempotency reference"),
                sent=sent, operation=operation.name, request_id=self.exchange.request.headers["X-Request-Id"],
            ) from None
        return self._next(self.policy.delay(self.attempt) or 0.0)

    def after_response(self, response: HttpResponse) -> float | None:
        """An answer came back: ``None`` if it is final, else the wait before trying again."""
        retryable = response.status in self.policy.retry_statuses and (
            self.exchange.retry_safe or response.status == 429)
        if self.attempt > self.policy.max_retries or not retryable:
            return None
        wait = self.policy.delay(self.attempt, parse_retry_after(response.headers.get("Retry-After")))
        return None if wait is None else self._next(wait)

    def _next(self, wait: float) -> float:
        self.attempt += 1
        log.info("retrying %s (attempt %d) in %.2fs", self.exchange.operation.name, self.attempt, wait)
        return wait


def _retry_safe(operation: Operation, wire: Mapping[str, Any]) -> bool:
    """Reads and deletes repeat harmlessly; a POST only with its idempotency reference."""
    if operation.method in ("GET", "DELETE"):
        return True
    if operation.idempotency_field is not None:
        return bool(wire.get(operation.idempotency_field))
    return operation.method == "PATCH" and not operation.moves_money


def _serialised(operation: Operation, body: dict[str, Any]) -> bytes:
    """The body's bytes, or a refusal naming what can't be sent (NaN in ``extra_body``, over 1 MiB)."""
    try:
        data = canonical_json(body)
        limits.check_body_size(data)
    except ValueError as error:
        raise InvalidRequestError(f"invalid request: {error}", operation=operation.name) from None
    return data


def _query(wire: Mapping[str, Any]) -> dict[str, str]:
    def text(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, Decimal):
            return format(value, "f")
        return str(value)

    return {key: text(value) for key, value in wire.items()}
