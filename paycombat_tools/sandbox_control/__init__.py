"""The sandbox's HTTP control plane (``/_sandbox/...``, sandbox-only): reset to the seed, move the clock,
plan faults, drive outcomes, read the webhook delivery log; from any language, with the sandbox's X-token.

The routes and bodies are described once here (``ROUTES``): the sandbox serves them, ``openapi.json``
documents them under the ``sandbox-control`` tag, and ``SandboxControl`` calls them from Python.
"""

from __future__ import annotations

from ._client import SandboxControl
from ._routes import (
    PREFIX,
    ROUTES,
    ROUTES_BY_NAME,
    TAG,
    TRIGGER_EVENTS,
    ClockAdvance,
    ClockAdvanced,
    ClockState,
    ControlRoute,
    FaultSettings,
    FaultState,
    NotificationUrl,
    NotificationUrlSetting,
    ResetDone,
    TriggerRequest,
    Triggered,
    WebhookAttempt,
    WebhookLog,
    WebhookLogQuery,
)

__all__ = [
    "PREFIX", "ROUTES", "ROUTES_BY_NAME", "TAG", "TRIGGER_EVENTS", "ClockAdvance", "ClockAdvanced", "ClockState",
    "ControlRoute", "FaultSettings", "FaultState", "NotificationUrl", "NotificationUrlSetting", "ResetDone",
    "SandboxControl", "TriggerRequest", "Triggered", "WebhookAttempt", "WebhookLog", "WebhookLogQuery",
]
