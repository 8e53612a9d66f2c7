"""The sandbox's refusals, answered with the API's ``{status: false, message, data: null}`` envelope."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A refusal with its HTTP status; ``errors`` names fields when validation failed."""

    def __init__(self, status: int, message: str, *, errors: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors
        self.headers = headers or {}


def not_pending(kind: str, record_id: str, status: str) -> ApiError:
    """Finmo answers 406 when a simulate call targets an object that is no longer PENDING."""
    return ApiError(406, f"{kind} {record_id} is {status}; only PENDING {kind.lower()}s can be simulated")
