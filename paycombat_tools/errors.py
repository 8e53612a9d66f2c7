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
        #: the call's idempotency field and reference (``order_id`` / ``organization_reference_id``), if it had one
        self.idempotency_field: str | None = None
        self.idempotency_reference: str | int | None = None
        #: True when the request may have taken effect on the server although no (good) answer came back
        self.outcome_unknown = False
        #: the built, signed call when re-sending it is safe (``client.resend(error)`` sends it again)
        self._exchange: Any = None
        #: what to do next (shown after the message): the reference, and how to re-send safely
        self.note = ""

    def with_reference(self, field: str | None, reference: str | int | None, *, outcome_unknown: bool,
                       exchange: Any) -> "PayCombatError":
        """Note the call's idempotency reference (and how to re-send it) on this error, in its message too."""
        self.idempotency_field, self.idempotency_reference = field, reference
        self.outcome_unknown = outcome_unknown
        self._exchange = exchange
        self.note = redact(_reference_note(self, field, reference))
        return self

    def __reduce__(self) -> Any:  # a pickled error carries no request (its X-token and signature)
        state = {k: v for k, v in self.__dict__.items() if k != "_exchange"}
        return (_rebuild, (type(self), self.message), state)

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
        text = self.message + self.note
        return f"{text} ({where})" if where else text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status!r}, operation={self.operation!r})"


def _rebuild(cls: type[PayCombatError], message: str) -> PayCombatError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    return error


def _reference_note(error: PayCombatError, field: str | None, reference: str | int | None) -> str:
    """What the caller can do next, said in the message of an error whose outcome may be unknown."""
    if not error.outcome_unknown:
        return f" [{field} {reference!r}]" if field and reference is not None else ""
    if field and reference is not None:
        return (f". The outcome is unknown: it may have taken effect. Re-send safely with client.resend(error), or "
                f"make the same call again with {field}={reference!r}: the server then answers with the first "
                f"request's result instead of acting twice")
    if error._exchange is not None:
        return ". The outcome is unknown; re-sending is safe (client.resend(error)): this operation repeats harmlessly"
    return (". The outcome is unknown and the call had no idempotency reference: check whether it took effect "
            "before sending it again")


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
    """The request did not get a whole answer (refused, reset, timed out, cut off).

    ``sent`` is False only when the request surely never reached the server.
    """

    def __init__(self, message: str, *, sent: bool = True, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.sent = sent


_BY_STATUS: dict[int, type[PayCombatError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: AuthenticationError,
    404: NotFoundError,
    405: ValidationError,
    406: ValidationError,
    409: ConflictError,
    413: ValidationError,
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
