"""The control plane's routes and bodies, as data: the sandbox serves them, openapi.json documents them.

Everything here is sandbox-only (``x-sandbox-only``): the real PayCombat API has no ``/_sandbox/``.
Each route needs the sandbox's ``X-token``; none is signed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, Field, field_validator

from ..catalog import CATALOG
from ..models._base import Amount, RequestModel, ResponseModel

PREFIX = "/_sandbox"
TAG = "sandbox-control"

#: The outcomes ``trigger`` can drive, each named after the webhook it ends with.
TriggerEvent = Literal["payout.success", "payout.failed", "payout.returned", "payin.success", "payin.expired",
                       "va.registered"]
TRIGGER_EVENTS: tuple[str, ...] = TriggerEvent.__args__  # type: ignore[attr-defined]
#: One-shot faults an operation's next calls can be given (see ``paycombat_tools.sandbox.Faults``).
FaultName = Literal["error", "rate_limit", "drop_after_commit"]
#: The furthest one advance may move the clock (ten years), and the fault knobs' bounds.
MAX_ADVANCE_SECONDS = 10 * 365 * 86400
MAX_LATENCY_SECONDS = 10
MAX_RETRY_AFTER_SECONDS = 3600
MAX_WAIT_SECONDS = 30

#: Seconds and rates are plain numbers (not money): JSON numbers, fractions allowed, never NaN or infinite.
Rate = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False, description="A probability per API request, 0 to 1.")]


def _known_operations(names: list[str] | None) -> None:
    unknown = sorted(set(names or ()) - set(CATALOG))
    if unknown:
        raise ValueError(f"unknown operation(s) {', '.join(map(repr, unknown))}; use catalog names such as "
                         "'payouts.create'")


def _http_url(url: str | None) -> str | None:
    if url is not None and not url.startswith(("http://", "https://")):
        raise ValueError("must be an http:// or https:// URL")
    return url


# -- request bodies ----------------------------------------------------------------------------------


class ClockAdvance(RequestModel):
    """Move the sandbox clock forward; payins and payment requests that fall due expire at once."""

    seconds: Annotated[float, Field(gt=0, le=MAX_ADVANCE_SECONDS, allow_inf_nan=False,
                                      description="How far to move the clock, in seconds (fractions allowed).")]


class FaultSettings(RequestModel):
    """Queue one-shot faults per operation and/or set fault rates; fields left out stay as they are."""

    plan: dict[str, list[FaultName]] | None = Field(
        default=None, description='Operation name -> faults for its next calls, in order, e.g. '
                                  '{"payouts.create": ["drop_after_commit"]}. Added to what is already queued.')
    latency: Annotated[float, Field(ge=0, le=MAX_LATENCY_SECONDS, allow_inf_nan=False)] | None = Field(
        default=None, description="Seconds every API request waits before it is answered.")
    error_rate: Rate | None = None
    rate_limit_rate: Rate | None = None
    drop_after_commit_rate: Rate | None = None
    retry_after: Annotated[float, Field(ge=0, le=MAX_RETRY_AFTER_SECONDS, allow_inf_nan=False)] | None = Field(
        default=None, description="The Retry-After seconds a rate-limited answer carries.")
    operations: list[str] | None = Field(
        default=None, description="Limit the rates to these operations; null applies them to every operation.")

    @field_validator("plan")
    @classmethod
    def _plan_names_operations(cls, plan: dict[str, list[str]] | None) -> dict[str, list[str]] | None:
        _known_operations(list(plan or {}))
        return plan

    @field_validator("operations")
    @classmethod
    def _operations_are_known(cls, operations: list[str] | None) -> list[str] | None:
        _known_operations(operations)
        return operations


class TriggerRequest(RequestModel):
    """Create what an outcome needs and drive it; its webhook goes to ``webhook_url`` or the notification URL."""

    money_fields: ClassVar[dict[str, str]] = {"amount": "currency"}

    event: TriggerEvent
    amount: Amount | None = Field(default=None, description='Defaults: 40.00 for payouts, 100.00 for payins, none '
                                                            'for a virtual account.')
    currency: str | None = Field(default=None, description="ISO 4217; defaults to AUD (KRW for va.registered).")
    webhook_url: str | None = Field(default=None, description="Where this outcome's webhooks go (an http(s) URL); "
                                                              "defaults to the sandbox's notification URL.")

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url_is_http(cls, url: str | None) -> str | None:
        return _http_url(url)


class NotificationUrlSetting(RequestModel):
    """The URL webhooks go to when a record names none (``paycombat listen`` sets itself here)."""

    notification_url: str | None = Field(description="An http(s) URL, or null for none.")

    @field_validator("notification_url")
    @classmethod
    def _notification_url_is_http(cls, url: str | None) -> str | None:
        return _http_url(url)


class WebhookLogQuery(RequestModel):
    """Filters for the delivery log, and how long to wait for queued deliveries first."""

    event_type: str | None = Field(default=None, description='Only this event, e.g. "PAYOUT SUCCESS".')
    delivered: bool | None = Field(default=None, description="Only delivered (true) or failed (false) attempts.")
    wait: Annotated[float, Field(ge=0, le=MAX_WAIT_SECONDS, allow_inf_nan=False)] | None = Field(
        default=None, description="Seconds to wait until every queued delivery (with its retries) was attempted.")


# -- answers (the envelope's ``data``) ---------------------------------------------------------------


class ResetDone(ResponseModel):
    seed: int | None = Field(description="The seed ids are drawn from again (null: not seeded).")
    demo: bool = Field(description="Whether the demo data set was rebuilt.")
    now: str = Field(description="The sandbox clock after the reset (ISO 8601).")


class ClockState(ResponseModel):
    now: str = Field(description="The sandbox's current time (ISO 8601, UTC).")
    offset_seconds: float = Field(description="How far the clock has been moved since the start or last reset.")
    manual: bool = Field(description="True when the clock moves only when told to (a ManualClock).")


class ClockAdvanced(ClockState):
    expired_payins: list[str] = Field(description="Ids of the payins that expired with this move.")
    expired_checkouts: list[str] = Field(description="Ids of the payment requests that expired with this move.")


class FaultState(ResponseModel):
    planned: dict[str, list[str]] = Field(description="One-shot faults still queued, per operation.")
    latency: float
    error_rate: float
    rate_limit_rate: float
    drop_after_commit_rate: float
    retry_after: float
    operations: list[str] | None = Field(description="The operations the rates apply to (null: all).")


class Triggered(ResponseModel):
    event: str
    ids: dict[str, str] = Field(description='What was created, by kind: {"payout_id": "...", ...}.')
    webhooks: list[str] = Field(description='The webhooks this sent, in order, e.g. ["PAYOUT SUCCESS"].')
    webhook_url: str | None = Field(description="Where they went (null: no URL was set, so none was sent).")
    record: dict[str, Any] = Field(description="The final record (payout, payin or virtual account).")


class WebhookAttempt(ResponseModel):
    seq: int
    event_id: str = Field(description="The X-Webhook-Id: the same on every retry of one event.")
    url: str
    event_type: str = Field(description='e.g. "PAYIN SUCCESS", "VA APPROVED".')
    attempt: int
    status_code: int | None = Field(description="The receiver's HTTP status (null: no answer).")
    error: str | None = Field(description="Why there was no answer (e.g. ConnectionError).")
    delivered: bool
    at: str = Field(description="Sandbox time of the attempt (ISO 8601).")
    body: str = Field(description="The exact JSON text that was signed and sent.")


class WebhookLog(ResponseModel):
    idle: bool = Field(description="True when no delivery or retry is queued.")
    attempts: list[WebhookAttempt]


class NotificationUrl(ResponseModel):
    notification_url: str | None


# -- the routes ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ControlRoute:
    """One control-plane route: ``name`` is its method on ``SandboxControl`` and its operationId's tail."""

    name: str
    method: Literal["GET", "POST", "PUT", "DELETE"]
    path: str
    summary: str
    answer: type[BaseModel]
    body: type[RequestModel] | None = None
    query: type[RequestModel] | None = None

    @property
    def operation_id(self) -> str:
        return f"sandbox_control_{self.name}"


ROUTES: tuple[ControlRoute, ...] = (
    ControlRoute("reset", "POST", f"{PREFIX}/reset",
                 "Reset to the seed: records, balances, ids, clock, webhook log and faults as at the start "
                 "(the credentials and the notification URL are kept).", ResetDone),
    ControlRoute("clock", "GET", f"{PREFIX}/clock", "Read the sandbox clock.", ClockState),
    ControlRoute("advance_clock", "POST", f"{PREFIX}/clock/advance",
                 "Move the clock forward; what falls due expires now and its webhooks are sent.", ClockAdvanced,
                 body=ClockAdvance),
    ControlRoute("faults", "GET", f"{PREFIX}/faults", "Read the fault settings and the queued one-shot faults.",
                 FaultState),
    ControlRoute("set_faults", "POST", f"{PREFIX}/faults",
                 "Queue one-shot faults for operations and/or set fault rates.", FaultState, body=FaultSettings),
    ControlRoute("clear_faults", "DELETE", f"{PREFIX}/faults", "Drop every queued fault and set every rate to 0.",
                 FaultState),
    ControlRoute("trigger", "POST", f"{PREFIX}/trigger",
                 "Drive an outcome end to end (payout.success, payout.failed, payout.returned, payin.success, "
                 "payin.expired, va.registered), creating what it needs.", Triggered, body=TriggerRequest),
    ControlRoute("webhooks", "GET", f"{PREFIX}/webhooks", "Read the webhook delivery log, oldest first.", WebhookLog,
                 query=WebhookLogQuery),
    ControlRoute("notification_url", "GET", f"{PREFIX}/notification-url",
                 "Read the URL webhooks go to when a record names none.", NotificationUrl),
    ControlRoute("set_notification_url", "PUT", f"{PREFIX}/notification-url",
                 "Set (or clear) the URL webhooks go to when a record names none.", NotificationUrl,
                 body=NotificationUrlSetting),
)
ROUTES_BY_NAME = {route.name: route for route in ROUTES}
