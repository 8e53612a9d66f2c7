"""Hiding the merchant token where PayCombat itself puts it: the ``identifier=`` of a checkout_url.

The documented checkout URL is ``https://checkout.paycombat.com/?token=<checkout_token>&identifier=<X-token>``
(EVIDENCE S13), so every repr, log line, exception, audit entry and widget text shows it through
``redact`` instead. The value itself stays on the model (``checkout.checkout_url``) for the code
that sends the link to a payer.
"""

from __future__ import annotations

import re
from typing import Any

HIDDEN = "<hidden>"

#: ``identifier=`` in a query string (raw or percent-encoded ``=``), up to the next separator.
_IDENTIFIER = re.compile(r"(?i)(identifier(?:=|%3D))(?!<hidden>)[^&#\s'\"<>]*")


def redact(text: str) -> str:
    """``text`` with the value of every ``identifier=`` replaced by ``<hidden>`` (redacting twice changes nothing)."""
    return _IDENTIFIER.sub(lambda match: match.group(1) + HIDDEN, text) if "dentifier" in text.lower() else text


def redact_value(value: Any) -> Any:
    """``redact`` applied to every string inside dicts, lists and tuples (for audit entries, tool results)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(redact_value(item) for item in value)
    return value


def strip_identifier(url: str) -> str:
    """The URL without its ``identifier`` parameter (a link safe to show; the sandbox's page works without it)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
             if key.lower() != "identifier"]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))
