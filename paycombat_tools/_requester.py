"""All HTTP mechanics in one place: URL, signing, retries and the API's envelope."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeGuard
from urllib.parse import quote

from . import __version__, limits
from ._config import ClientConfig
from ._retry import parse_retry_after
from ._transport import HttpRequest, HttpResponse, Transport, TransportError
from .catalog import Operation
from .documents import PdfDocument
from .errors import (
    InvalidRequestError,
    NetworkError,
    PayCombatError,
    RateLimitError,
    ServerError,
    error_for_status,
)
from .pagination import Page, page_meta
from .signing import canonical_json, parse_json, sign

if TYPE_CHECKING:
    from pydantic import BaseModel

log = logging.getLogger("paycombat_tools")


class Requester:
    """Turns an operation and its arguments into one signed, retried HTTP exchange."""

    def __init__(self, config: ClientConfig, transport: Transport) -> None:
        self.config = config
        self.transport = transport

    def path_for(self, operation: Operation) -> str:
        return self.config.paths.get(operation.name, operation.path)

    def call(self, operation: Operation, path_params: Mapping[str, str], payload: "BaseModel | None",
             extras: "Extras | None" = None) -> Any:
        """Send the operation and return its typed result (model, list, page or PDF)."""
        extras = extras or Extras()
        payload = self._with_reference(operation, payload)
        wire = payload.model_dump(mode="python", exclude_none=True, by_alias=True) if payload is not None else {}
        request = self._build(operation, path_params, wire, extras)
        exchange = Exchange(operation, request, dict(path_params), payload, extras,
                            retry_safe=self._retry_safe(operation, wire),
                            reference=wire.get(operation.idempotency_field) if operation.idempotency_field else None)
        return self.run(exchange)

    def run(self, exchange: "Exchange") -> Any:
        """Send a built request (again, for ``resend``) and read its answer; errors name the reference."""
        try:
            response = self._send(exchange.operation, exchange.request, retry_safe=exchange.retry_safe)
            data, context = self._unwrap(exchange.operation, response, exchange.request)
            return self._typed(exchange.operation, data, exchange.path_params, exchange.payload, context,
                               exchange.extras)
        except PayCombatError as error:
            unknown = isinstance(error, ServerError) or (isinstance(error, NetworkError) and error.sent)
            raise error.with_reference(
                exchange.operation.idempotency_field if exchange.reference is not None else None,
                exchange.reference, outcome_unknown=unknown,
                resend=(lambda: self.run(exchange)) if exchange.retry_safe else None) from None

    # -- building --------------------------------------------------------------------------------

    def _with_reference(self, operation: Operation, payload: "BaseModel | None") -> "BaseModel | None":
        """Fix the idempotency reference before the first try, so every retry carries the same one."""
        field = operation.idempotency_field
        if payload is None or field is None or not self.config.auto_reference:
            return payload
        if getattr(payload, field, None):
            return payload
        return payload.model_copy(update={field: f"pct_{uuid.uuid4().hex}"})

    def _build(self, operation: Operation, path_params: Mapping[str, str], wire: dict[str, Any],
               extras: "Extras") -> HttpRequest:
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

    @staticmethod
    def _retry_safe(operation: Operation, wire: Mapping[str, Any]) -> bool:
        """Reads and deletes repeat harmlessly; a POST only with its idempotency reference."""
        if operation.method in ("GET", "DELETE"):
            return True
        if operation.idempotency_field is not None:
            return bool(wire.get(operation.idempotency_field))
        return operation.method == "PATCH" and not operation.moves_money

    # -- sending ---------------------------------------------------------------------------------

    def _send(self, operation: Operation, request: HttpRequest, *, retry_safe: bool) -> HttpResponse:
        policy = self.config.retry
        attempt = 0
        while True:
            attempt += 1
            last_try = attempt > policy.max_retries
            try:
                response = self.transport.send(request, self.config.timeout)
            except TransportError as error:
                if error.local:
                    raise InvalidRequestError(str(error), operation=operation.name) from None
                sent = error.sent or attempt > 1  # an earlier attempt may have reached the server
                if last_try or (error.sent and not retry_safe):
                    raise NetworkError(
                        f"{error} after {attempt} attempt(s)"
                        + ("" if retry_safe or not error.sent else "; not retried: the request may have "
                           "reached the server and carries no idempotency reference"),
                        sent=sent, operation=operation.name, request_id=request.headers["X-Request-Id"],
                    ) from None
                wait = policy.delay(attempt) or 0.0
            else:
                retryable = response.status in policy.retry_statuses and (retry_safe or response.status == 429)
                if last_try or not retryable:
                    return response
                retry_wait = policy.delay(attempt, parse_retry_after(response.headers.get("Retry-After")))
                if retry_wait is None:
                    return response
                wait = retry_wait
            log.info("retrying %s (attempt %d) in %.2fs", operation.name, attempt + 1, wait)
            time.sleep(wait)

    # -- reading ---------------------------------------------------------------------------------

    def _unwrap(self, operation: Operation, response: HttpResponse,
                request: HttpRequest) -> tuple[Any, dict[str, Any]]:
        """The envelope's ``data`` (or a PDF) and the facts every error carries."""
        request_id = response.headers.get("X-Request-Id") or request.headers["X-Request-Id"]
        context: dict[str, Any] = {"status": response.status, "operation": operation.name, "request_id": request_id}
        if operation.returns == "pdf" and response.status == 200 and response.content.startswith(b"%PDF"):
            return PdfDocument(response.content), context
        try:
            envelope = parse_json(response.content) if response.content else None
        except ValueError:
            kind = response.headers.get("Content-Type", "unknown type")
            message = f"the server answered with a body that is not JSON ({kind}, {len(response.content)} bytes)"
            raise self._error({"message": message}, context, response) if response.status >= 400 else ServerError(
                message, **context) from None
        if envelope is None and response.status in (200, 202, 204):
            return None, context
        if envelope is None and response.status >= 400:  # e.g. a proxy's bare 429/503: the status says it
            raise self._error({}, context, response)
        if not isinstance(envelope, dict):
            raise ServerError("the server's answer is not the API's {status, message, data} envelope", **context)
        if response.status >= 400 or envelope.get("status") is False:
            raise self._error(envelope, context, response)
        data = envelope.get("data")
        if operation.envelope == "nested" and _is_finmo_envelope(data):
            if data.get("success") is False:  # the inner envelope can say no inside an outer "OK"
                raise self._error({"message": data.get("status_text") or data.get("message"), "data": data},
                                  {**context, "status": _status_code(data.get("status_code"))}, response)
            data = data.get("data")
        return data, context

    @staticmethod
    def _error(envelope: dict[str, Any], context: dict[str, Any], response: HttpResponse) -> PayCombatError:
        message = _message(envelope) or f"HTTP {response.status}"
        status = context["status"] if context["status"] >= 400 else 400
        cls = error_for_status(status, message)
        if cls is RateLimitError:
            return RateLimitError(message, retry_after=parse_retry_after(response.headers.get("Retry-After")),
                                  body=envelope, **context)
        return cls(message, body=envelope, **context)

    def _typed(self, operation: Operation, data: Any, path_params: Mapping[str, str],
               payload: "BaseModel | None", context: dict[str, Any], extras: "Extras") -> Any:
        from pydantic import ValidationError as PydanticValidationError

        model = operation.response_model
        if isinstance(data, PdfDocument) or model is None or data is None:
            return data
        try:
            if operation.paginated:
                return self._page(operation, model, data, path_params, payload, extras)
            if operation.returns == "list":
                items, _ = page_meta(data, 1, None)
                return [model.model_validate(item) for item in items]
            return model.model_validate(data)
        except (PydanticValidationError, ValueError) as error:
            raise ServerError(f"unexpected response shape for {operation.name}: {error}", **context) from None

    def _page(self, operation: Operation, model: "type[BaseModel]", data: Any, path_params: Mapping[str, str],
              payload: "BaseModel | None", extras: "Extras") -> Page[Any]:
        page_number = int(getattr(payload, "page", None) or 1)
        items, meta = page_meta(data, page_number, getattr(payload, "limit", None))

        def fetch(number: int) -> Page[Any]:
            base = payload.model_copy(update={"page": number}) if payload is not None else None
            return self.call(operation, path_params, base, extras)  # type: ignore[no-any-return]

        return Page([model.model_validate(item) for item in items], fetch=fetch, **meta)


@dataclass(frozen=True)
class Exchange:
    """One call, built and signed: what ``run`` sends, and ``client.resend(error)`` sends again unchanged."""

    operation: Operation
    request: HttpRequest
    path_params: dict[str, str]
    payload: "BaseModel | None"
    extras: "Extras"
    retry_safe: bool
    reference: str | int | None


def _serialised(operation: Operation, body: dict[str, Any]) -> bytes:
    """The body's bytes, or a refusal naming what can't be sent (NaN in ``extra_body``, over 1 MiB)."""
    try:
        data = canonical_json(body)
        limits.check_body_size(data)
    except ValueError as error:
        raise InvalidRequestError(f"invalid request: {error}", operation=operation.name) from None
    return data


#: Headers the client owns: ``extra_headers`` may not replace them.
_OWN_HEADERS = frozenset({"x-token", "signature", "content-type"})


@dataclass(frozen=True)
class Extras:
    """``extra_body`` / ``extra_query`` / ``extra_headers``: what the models don't know yet, sent as given.

    ``extra_body`` is merged into the JSON body before it is serialised and signed, so it is signed
    like every other field.
    """

    body: Mapping[str, Any] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)

    def checked_headers(self, operation: str) -> dict[str, str]:
        clash = sorted(name for name in self.headers if name.lower() in _OWN_HEADERS)
        if clash:
            raise InvalidRequestError(f"extra_headers may not set {', '.join(clash)}: the client sets them",
                                      operation=operation)
        return dict(self.headers)


def _is_finmo_envelope(data: Any) -> TypeGuard[dict[str, Any]]:
    return isinstance(data, dict) and "data" in data and ("status_code" in data or "success" in data)


def _status_code(value: Any) -> int:
    """The inner envelope's ``status_code`` as an error status (400 when it says nothing usable)."""
    return value if isinstance(value, int) and 400 <= value <= 599 else 400


def validate_arguments(operation: Operation, fields: Mapping[str, Any]) -> "BaseModel | None":
    """Build the request model, or refuse with every problem named (nothing is sent)."""
    from pydantic import ValidationError as PydanticValidationError

    model = operation.request_model
    if model is None:
        if fields:
            raise InvalidRequestError(
                f"{operation.name} takes no fields, got {', '.join(sorted(fields))}", operation=operation.name
            )
        return None
    try:
        return model.model_validate(dict(fields))
    except PydanticValidationError as error:
        from .models._base import describe_validation_error

        raise InvalidRequestError(describe_validation_error(error), operation=operation.name) from None


def _message(envelope: Mapping[str, Any]) -> str:
    message = envelope.get("message")
    error = envelope.get("error")
    if not message and isinstance(error, Mapping):
        message = error.get("message")
    if isinstance(message, list):
        return "; ".join(str(part) for part in message)
    return str(message) if message else ""


def _query(wire: Mapping[str, Any]) -> dict[str, str]:
    def text(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, Decimal):
            return format(value, "f")
        return str(value)

    return {key: text(value) for key, value in wire.items()}
