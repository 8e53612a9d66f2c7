"""Reading an answer: the API's envelope, its errors, and the typed result. Pure functions, no I/O."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeGuard

from ._retry import parse_retry_after
from ._transport import HttpRequest, HttpResponse
from .catalog import Operation
from .documents import PdfDocument
from .errors import PayCombatError, RateLimitError, ServerError, error_for_status
from .pagination import page_meta
from .signing import parse_json

if TYPE_CHECKING:
    from pydantic import BaseModel


@dataclass(frozen=True)
class Listing:
    """One page of a paginated operation's records and its paging facts; a client turns it into a page."""

    items: list[Any]
    meta: dict[str, Any]


def unwrap(operation: Operation, response: HttpResponse, request: HttpRequest, *,
           parse: Callable[[bytes], Any] = parse_json) -> tuple[Any, dict[str, Any]]:
    """The envelope's ``data`` (or a PDF) and the facts every error carries; a refusal raises its error.

    ``parse`` reads the body (exact: Decimal for every non-integer number); bulk reads of money pages pass
    the standard-library reader, since orjson's first attempt would always meet a float and be thrown away.
    """
    request_id = response.headers.get("X-Request-Id") or request.headers["X-Request-Id"]
    context: dict[str, Any] = {"status": response.status, "operation": operation.name, "request_id": request_id}
    if operation.returns == "pdf" and response.status == 200 and response.content.startswith(b"%PDF"):
        return PdfDocument(response.content), context
    try:
        envelope = parse(response.content) if response.content else None
    except ValueError:
        kind = response.headers.get("Content-Type", "unknown type")
        message = f"the server answered with a body that is not JSON ({kind}, {len(response.content)} bytes)"
        raise _error({"message": message}, context, response) if response.status >= 400 else ServerError(
            message, **context) from None
    if envelope is None and response.status in (200, 202, 204):
        return None, context
    if envelope is None and response.status >= 400:  # e.g. a proxy's bare 429/503: the status says it
        raise _error({}, context, response)
    if not isinstance(envelope, dict):
        raise ServerError("the server's answer is not the API's {status, message, data} envelope", **context)
    if response.status >= 400 or envelope.get("status") is False:
        raise _error(envelope, context, response)
    data = envelope.get("data")
    if operation.envelope == "nested" and _is_finmo_envelope(data):
        if data.get("success") is False:  # the inner envelope can say no inside an outer "OK"
            raise _error({"message": data.get("status_text") or data.get("message"), "data": data},
                         {**context, "status": _status_code(data.get("status_code"))}, response)
        data = data.get("data")
    return data, context


def typed(operation: Operation, data: Any, payload: "BaseModel | None", context: dict[str, Any]) -> Any:
    """The operation's result as its models (a ``Listing`` for paginated ones); a wrong shape is a ServerError."""
    from pydantic import ValidationError as PydanticValidationError

    model = operation.response_model
    if isinstance(data, PdfDocument) or model is None or data is None:
        return data
    try:
        if operation.paginated:
            items, meta = page_meta(data, int(getattr(payload, "page", None) or 1), getattr(payload, "limit", None))
            return Listing([model.model_validate(item) for item in items], meta)
        if operation.returns == "list":
            items, _ = page_meta(data, 1, None)
            return [model.model_validate(item) for item in items]
        return model.model_validate(data)
    except (PydanticValidationError, ValueError) as error:
        raise ServerError(f"unexpected response shape for {operation.name}: {error}", **context) from None


def _error(envelope: dict[str, Any], context: dict[str, Any], response: HttpResponse) -> PayCombatError:
    message = _message(envelope) or f"HTTP {response.status}"
    status = context["status"] if context["status"] >= 400 else 400
    cls = error_for_status(status, message)
    if cls is RateLimitError:
        return RateLimitError(message, retry_after=parse_retry_after(response.headers.get("Retry-After")),
                              body=envelope, **context)
    return cls(message, body=envelope, **context)


def _is_finmo_envelope(data: Any) -> TypeGuard[dict[str, Any]]:
    return isinstance(data, dict) and "data" in data and ("status_code" in data or "success" in data)


def _status_code(value: Any) -> int:
    """The inner envelope's ``status_code`` as an error status (400 when it says nothing usable)."""
    return value if isinstance(value, int) and 400 <= value <= 599 else 400


def _message(envelope: Mapping[str, Any]) -> str:
    message = envelope.get("message")
    error = envelope.get("error")
    if not message and isinstance(error, Mapping):
        message = error.get("message")
    if isinstance(message, list):
        return "; ".join(str(part) for part in message)
    return str(message) if message else ""
