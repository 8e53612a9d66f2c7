"""Checking and reading the webhooks PayCombat POSTs to a merchant (header ``X-Signature``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from typing import TYPE_CHECKING

from .errors import SignatureError, ValidationError
from .signing import canonical_json, parse_json, signature_matches

if TYPE_CHECKING:
    from .models.webhooks import WebhookEvent

SIGNATURE_HEADER = "X-Signature"


def verify_webhook(body: bytes | str | Mapping[str, Any], header_signature: str | None, signature_key: str) -> bool:
    """True when ``header_signature`` is the HMAC of the re-serialised body under ``signature_key``."""
    raw = canonical_json(body, exact=False) if isinstance(body, Mapping) else body
    return signature_matches(raw, header_signature, signature_key)


def parse_webhook(
    body: bytes | str | Mapping[str, Any],
    *,
    header_signature: str | None = None,
    signature_key: str | None = None,
) -> "WebhookEvent":
    """The typed event for a webhook body; verifies the signature first when a key is given."""
    if signature_key is not None and not verify_webhook(body, header_signature, signature_key):
        raise SignatureError("webhook signature does not match the body", status=401)
    payload = dict(body) if isinstance(body, Mapping) else parse_json(body)
    if not isinstance(payload, dict):
        raise ValidationError("webhook body is not a JSON object")
    from pydantic import ValidationError as PydanticValidationError

    event_class = _event_class(payload)
    try:
        return event_class.model_validate(payload)
    except PydanticValidationError as error:
        raise ValidationError(f"webhook body is not a valid {event_class.__name__}: {error}") from None


def _event_class(payload: Mapping[str, Any]) -> "type[WebhookEvent]":
    from .models.webhooks import EVENT_CLASSES, PayinEvent, VaRegistered

    kind, status = payload.get("type"), payload.get("status")
    known = EVENT_CLASSES.get((kind, status)) if isinstance(kind, str) and isinstance(status, str) else None
    if known is not None:
        return known
    if kind == "PAYIN":
        return PayinEvent
    if kind is None and status in ("APPROVED", "FAILED") and "account_number" in payload:
        return VaRegistered
    raise ValidationError(f"unrecognised webhook (type={kind!r}, status={status!r})")
