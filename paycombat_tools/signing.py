"""Request and webhook signatures: HMAC-SHA256 (lowercase hex) over the canonical JSON bytes."""

from __future__ import annotations

import hashlib
import hmac
import json
from decimal import Decimal
from typing import Any

from ._canonical_json import canonical_json

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a core dependency; the reference path still works
    orjson = None  # type: ignore[assignment]

__all__ = ["canonical_json", "sign", "signature_matches", "reserialise"]


def sign(body: bytes, signature_key: str) -> str:
    """The ``signature`` header for body bytes that are already canonical."""
    return hmac.new(signature_key.encode("utf-8"), body, hashlib.sha256).hexdigest()


def reserialise(body: bytes | str) -> bytes:
    """What the server signs: ``JSON.stringify(JSON.parse(body))``, numbers rounded as JavaScript does."""
    return canonical_json(parse_json(body), exact=False)


def parse_json(body: bytes | str) -> Any:
    """Parse JSON with ``Decimal`` for every non-integer number (never float).

    ``orjson`` reads the structure; if it saw a non-integer number (a float) or could not read the
    text at all, ``reference_parse_json`` reads it again, so the result and every error are the reference's.
    """
    if orjson is not None:
        try:
            value = orjson.loads(body)
        except (orjson.JSONDecodeError, RecursionError):
            pass  # NaN literals, a BOM, UTF-16, lone surrogate escapes, too deep: the reference decides
        else:
            if not _has_float(value):
                return value
    return reference_parse_json(body)


def reference_parse_json(body: bytes | str) -> Any:
    """``parse_json`` with the standard library only: the fast path's reference and fallback."""
    return json.loads(body, parse_float=Decimal)


def _has_float(value: Any) -> bool:
    kind = type(value)
    if kind is dict:
        value = value.values()
    elif kind is not list:
        return kind is float
    for item in value:
        kind = type(item)
        if kind is float:
            return True
        if (kind is dict or kind is list) and _has_float(item):
            return True
    return False


def signature_matches(body: bytes | str, signature: str | None, signature_key: str) -> bool:
    """Whether ``signature`` signs ``body`` as re-serialised by the receiver (constant-time compare)."""
    if not signature:
        return False
    try:
        expected = sign(reserialise(body), signature_key)
    except ValueError:
        return False
    return hmac.compare_digest(expected, signature.strip().lower())
