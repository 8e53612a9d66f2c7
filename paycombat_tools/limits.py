"""Size limits for what we send, in one place: the request models (client and sandbox) apply them.

PayCombat's docs state no lengths and its DB schema (EVIDENCE.md S20) names tables, not column
sizes, so these are **stated defaults** chosen to pass every documented and real body we have seen
(S1, S2, S3, S7, S9, S12, S18) while keeping megabyte strings out: free text 255 characters,
references 64, ids 128, URLs 2048, metadata in Stripe's proportions. A request body is at most
1 MiB. Change a number here and the client, the sandbox and the OpenAPI document follow.
"""

from __future__ import annotations

from functools import lru_cache

from typing import Any

from ._canonical_json import NotJsonSafe, canonical_json

#: Largest request body the client sends and the sandbox reads (413 beyond).
MAX_BODY_BYTES = 1 << 20

FREE_TEXT = 255
REFERENCE = 64
IDENTIFIER = 128
URL = 2048
EMAIL = 254  # RFC 5321's longest path
TOKEN = 1024  # checkout tokens
#: ``metadata``: keys, key length, string value length and serialised size.
METADATA_KEYS = 50
METADATA_KEY = 40
METADATA_VALUE = 500
METADATA_BYTES = 8 * 1024
#: Any other free-form object (``payin_method_param``, ``additional_info``, ...): serialised size.
OBJECT_BYTES = 16 * 1024
#: Items in a list field (``order_items``, ``order_fees``, ``currency_list``).
LIST_ITEMS = 100

#: The idempotency references: a merchant's own ids, so shorter than ours.
REFERENCE_FIELDS = frozenset({"order_id", "organization_reference_id", "payout_reference", "order_reference"})


@lru_cache(maxsize=1024)
def max_length(field: str) -> int:
    """The longest string ``field`` may hold, by what the name says it is."""
    if field in REFERENCE_FIELDS:
        return REFERENCE
    if field.endswith("_url"):
        return URL
    if field == "email" or field.endswith("_email"):
        return EMAIL
    if field.endswith("_token"):
        return TOKEN
    if field.endswith("_id"):
        return IDENTIFIER
    return FREE_TEXT


def check_text(field: str, value: str) -> None:
    limit = max_length(field)
    if len(value) > limit:
        raise ValueError(f"{len(value)} characters; at most {limit} are allowed")


def check_object(field: str, value: Any) -> None:
    """A free-form JSON object: exactly sendable (no NaN, inf or inexact integers) and bounded."""
    try:
        size = len(canonical_json(value))
    except NotJsonSafe as error:
        raise ValueError(str(error).removeprefix("$.").removeprefix("$: ")) from None
    except (TypeError, ValueError) as error:
        raise ValueError(f"not JSON: {error}") from None
    if field == "metadata" and isinstance(value, dict):
        if len(value) > METADATA_KEYS:
            raise ValueError(f"{len(value)} keys; at most {METADATA_KEYS} are allowed")
        for key, item in value.items():
            if len(str(key)) > METADATA_KEY:
                raise ValueError(f"key {str(key)[:METADATA_KEY]!r}… is longer than {METADATA_KEY} characters")
            if isinstance(item, str) and len(item) > METADATA_VALUE:
                raise ValueError(f"{key}: {len(item)} characters; at most {METADATA_VALUE} are allowed")
    limit = METADATA_BYTES if field == "metadata" else OBJECT_BYTES
    if size > limit:
        raise ValueError(f"{size} bytes as JSON; at most {limit} are allowed")


def check_body_size(body: bytes) -> None:
    if len(body) > MAX_BODY_BYTES:
        raise ValueError(f"the request body is {len(body)} bytes; at most {MAX_BODY_BYTES} (1 MiB) are allowed")
