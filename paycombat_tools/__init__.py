"""paycombat-tools: a signed client for the PayCombat payment API, with a local sandbox.

``import paycombat_tools`` stays light: the sandbox, widgets, analysis and agent tools are
imported only when used.
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import Any

from ._async_client import AsyncPayCombat
from ._client import PayCombat
from ._retry import RetryPolicy
from .catalog import CATALOG, Operation
from .documents import PdfDocument
from .errors import (
    AuthenticationError,
    ConfigurationError,
    ConflictError,
    InsufficientFundsError,
    InvalidRequestError,
    NetworkError,
    NotFoundError,
    PayCombatError,
    RateLimitError,
    ServerError,
    SignatureError,
    ValidationError,
)
from .money import MoneyError
from .pagination import AsyncPage, Page
from .signing import canonical_json, sign
from .webhooks import parse_webhook, verify_webhook

#: The typed webhook events, importable from the package (loaded with the models on first use).
_WEBHOOK_EVENTS = ("PayinEvent", "PayinExpired", "PayinFailed", "PayinSuccess", "PayoutFailed", "PayoutReturned",
                   "PayoutSuccess", "VaRegistered", "WebhookEvent")

__all__ = [
    "CATALOG", "AsyncPage", "AsyncPayCombat", "AuthenticationError", "ConfigurationError", "ConflictError",
    "InsufficientFundsError",
    "InvalidRequestError", "MoneyError", "NetworkError", "NotFoundError", "Operation", "Page",
    "PayCombat", "PayCombatError", "PdfDocument", "RateLimitError", "RetryPolicy", "Sandbox",
    "ServerError", "SignatureError", "ValidationError", "WebhookListener", "canonical_json",
    "parse_webhook", "sign", "verify_webhook", *_WEBHOOK_EVENTS,
]


def __getattr__(name: str) -> Any:
    """Heavier parts load on first use."""
    if name == "Sandbox":
        from .sandbox import Sandbox

        return Sandbox
    if name in _WEBHOOK_EVENTS:
        from .models import webhooks

        return getattr(webhooks, name)
    if name == "WebhookListener":
        from .webhook_listener import WebhookListener

        return WebhookListener
    raise AttributeError(f"module 'paycombat_tools' has no attribute {name!r}")
