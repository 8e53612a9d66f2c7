"""One error hierarchy for everything the API (or the way to it) can say no with."""

from __future__ import annotations

from typing import Any

from .redaction import redact


class PayCombatError(Exception):
    """Base error: carries the HTTP status, the API's message, the operation and a request id."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        operation: str | None = None,
        request_id: str | None = None,
        body: Any = None,
    ) -> None:
        message = redact(message)  # an echoed checkout_url must not carry the merchant token into logs
        super().__init__(message)
        self.message = message
        self.status = status
        self.operation = operation
        self.request_id = request_id
        self.body = body

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"HTTP {self.status}" if self.status is not None else "",
                self.operation or "",
                f"request {self.request_id}" if self.request_id else "",
            )
            if part
        )
        return f"{self.message} ({where})" if where else self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status!r}, operation={self.operation!r})"


class ConfigurationError(PayCombatError):
    """The client is missing a setting (e.g. an environment variable)."""


class InvalidRequestError(PayCombatError):
    """Refused before sending: the arguments do not fit the operation (nothing was sent)."""


class AuthenticationError(PayCombatError):
    """The token was missing or not accepted (401/403)."""


class SignatureError(AuthenticationError):
    """The server rejected the request signature."""


class ValidationError(PayCombatError):
    """The API rejected the request's content (400/406/422)."""


class NotFoundError(PayCombatError):
    """The resource does not exist (404)."""


class ConflictError(PayCombatError):
    """The request conflicts with the resource's state (409)."""


class InsufficientFundsError(ConflictError):
    """The wallet cannot cover the amount."""


class RateLimitError(PayCombatError):
    """Too many requests (429); ``retry_after`` is in seconds when the server said."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(PayCombatError):
    """The server failed (5xx) or answered with something that is not the API's envelope."""


class NetworkError(PayCombatError):
    """The request did not get an answer (connection refused, reset, timed out)."""


_BY_STATUS: dict[int, type[PayCombatError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: AuthenticationError,
    404: NotFoundError,
    405: ValidationError,
    406: ValidationError,
    409: ConflictError,
    422: ValidationError,
    429: RateLimitError,
}


def error_for_status(status: int, message: str) -> type[PayCombatError]:
    """The error class for an HTTP status and the API's message."""
    lowered = message.lower()
    if status in (401, 403) and "signature" in lowered:
        return SignatureError
    if status in (400, 409, 422) and "insufficient" in lowered:
        return InsufficientFundsError
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, PayCombatError)
