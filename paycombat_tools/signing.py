"""Request and webhook signatures: HMAC-SHA256 (lowercase hex) over the canonical JSON bytes."""

from __future__ import annotations

import hashlib
import hmac
import json
from decimal import Decimal
from typing import Any

from ._canonical_json import canonical_json

__all__ = ["canonical_json", "sign", "signature_matches", "reserialise"]


def sign(body: bytes, signature_key: str) -> str:
    """The ``signature`` header for body bytes that are already canonical."""
    return hmac.new(signature_key.encode("utf-8"), body, hashlib.sha256).hexdigest()


def reserialise(body: bytes | str) -> bytes:
    """What the server signs: ``JSON.stringify(JSON.parse(body))``, numbers rounded as JavaScript does."""
    return canonical_json(parse_json(body), exact=False)


def parse_json(body: bytes | str) -> Any:
    """Parse JSON with ``Decimal`` for every non-integer number (never float)."""
    return json.loads(body, parse_float=Decimal)


def signature_matches(body: bytes | str, signature: str | None, signature_key: str) -> bool:
    """Whether ``signature`` signs ``body`` as re-serialised by the receiver (constant-time compare)."""
    if not signature:
        return False
    try:
        expected = sign(reserialise(body), signature_key)
    except ValueError:
        return False
    return hmac.compare_digest(expected, signature.strip().lower())
