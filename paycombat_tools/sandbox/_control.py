"""The ``/_sandbox/`` control plane: reset to the seed, move the clock, plan faults, drive outcomes, read
the webhook delivery log. Needs the sandbox's X-token; sandbox-only. The routes and bodies are
``paycombat_tools.sandbox_control.ROUTES``; each one is also a Python method here (the pytest plugin's).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from ..sandbox_control import (ROUTES, ROUTES_BY_NAME, ControlRoute, FaultSettings, NotificationUrlSetting,
                               TriggerRequest, WebhookLogQuery)
from ..sandbox_control._routes import MAX_ADVANCE_SECONDS
from ..signing import parse_json, reserialise
from ._app import _LONE_SURROGATE, _envelope, _problem, _read_body
from ._errors import ApiError
from ._payins import expire_due
from ._store import Clock, iso
from ._triggers import run_trigger
from ._webhooks import attempts

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ._server import Sandbox

log = logging.getLogger("paycombat_tools.sandbox")
#: The clock never moves past this (dates stay printable and epoch seconds stay in range).
LATEST = datetime(9000, 1, 1, tzinfo=timezone.utc)
_RATES = ("latency", "error_rate", "rate_limit_rate", "drop_after_commit_rate", "retry_after")
_KEPT_META = ("token", "signature_key", "merchant_id", "org_id")
_TABLES = ("records", "accounts", "ledger", "idempotency", "webhook_attempts", "meta")


class OffsetClock:
    """Another clock (real time by default) moved forward by ``offset``: how a real-time sandbox advances."""

    def __init__(self, base: Clock) -> None:
        self.base = base
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return self.base() + self.offset

    def advance(self, seconds: float = 0, **delta: float) -> datetime:
        self.offset += timedelta(seconds=seconds, **delta)
        return self()


@dataclass(frozen=True)
class _FaultRates:
    latency: float
    error_rate: float
    rate_limit_rate: float
    drop_after_commit_rate: float
    retry_after: float
    operations: frozenset[str] | None


class ControlPlane:
    """Serves ``/_sandbox/...`` for one sandbox; every route is also a method (``sandbox.control.reset()``)."""

    def __init__(self, sandbox: "Sandbox", *, seed: int | None, demo: bool, va_registration: str) -> None:
        self._sandbox = sandbox
        self._seed, self._demo, self._va_registration = seed, demo, va_registration
        store = sandbox.store
        if not callable(getattr(store.clock, "advance", None)):
            store.clock = OffsetClock(store.clock)
        self.clock: Any = store.clock  # a ManualClock (moves only when told) or an OffsetClock
        self._manual_start: datetime | None = None if isinstance(self.clock, OffsetClock) else self.clock()
        faults = sandbox.faults
        self._initial_faults = _FaultRates(faults.latency, faults.error_rate, faults.rate_limit_rate,
                                           faults.drop_after_commit_rate, faults.retry_after, faults.operations)
        self._urls = Map([Rule(route.path, endpoint=route.name, methods=[route.method]) for route in ROUTES],
                         strict_slashes=False)

    # -- the routes as methods -------------------------------------------------------------------------

    def reset(self) -> dict[str, Any]:
        """Back to a fresh sandbox with the same seed (and demo data); credentials and notification URL stay."""
        sandbox, store = self._sandbox, self._sandbox.store
        sandbox.dispatcher.discard_pending()
        with store.transaction():
            kept = {key: str(store.meta(key)) for key in _KEPT_META}
            for table in _TABLES:
                store.db.execute(f"DELETE FROM {table}")
            store.db.execute("DELETE FROM sqlite_sequence")  # seq numbers restart too
            self._restart_clock()
            store.reseed(self._seed)
            sandbox._ensure_merchant(keep=kept)
            store.set_meta("va_registration", self._va_registration)
        self._restore_faults()
        if self._demo:
            from ._demo import build_demo

            build_demo(sandbox, seed=self._seed if self._seed is not None else 7)
        return {"seed": self._seed, "demo": self._demo, "now": iso(self.clock())}

    def clock_state(self) -> dict[str, Any]:
        now = self.clock()
        moved = self.clock.offset if isinstance(self.clock, OffsetClock) else now - self._manual_start
        return {"now": iso(now), "offset_seconds": moved.total_seconds(),
                "manual": not isinstance(self.clock, OffsetClock)}

    def advance_clock(self, seconds: float) -> dict[str, Any]:
        """Move the clock; payins and payment requests that fall due expire now, and their webhooks go out."""
        step = float(seconds)
        if not 0 < step <= MAX_ADVANCE_SECONDS:  # what ClockAdvance checks, for Python callers too
            raise _field_error("seconds", f"must be more than 0 and at most {MAX_ADVANCE_SECONDS} seconds")
        if self.clock() + timedelta(seconds=step) > LATEST:
            raise _field_error("seconds", f"would move the clock past {iso(LATEST)}")
        self.clock.advance(step)
        app, store = self._sandbox.app, self._sandbox.store
        ctx = app.context()
        with store.transaction():
            moment = ctx.now().timestamp()
            due = {kind: [record["id"] for record in store.due_for_expiry(kind, moment)]
                   for kind in ("payin", "checkout")}
            expire_due(ctx)
        app.dispatcher.send(ctx.outbox)
        return {**self.clock_state(), "expired_payins": due["payin"], "expired_checkouts": due["checkout"]}

    def fault_state(self) -> dict[str, Any]:
        faults = self._sandbox.faults
        return {"planned": faults.planned(), **{name: float(getattr(faults, name)) for name in _RATES},
                "operations": None if faults.operations is None else sorted(faults.operations)}

    def set_faults(self, settings: FaultSettings) -> dict[str, Any]:
        """Queue ``settings.plan`` and set the rates given; what is left out stays."""
        faults = self._sandbox.faults
        for operation, planned in (settings.plan or {}).items():
            faults.plan(operation, *planned)
        for name in _RATES:
            value = getattr(settings, name)
            if value is not None:
                setattr(faults, name, float(value))
        if "operations" in settings.model_fields_set:
            faults.operations = None if settings.operations is None else frozenset(settings.operations)
        return self.fault_state()

    def clear_faults(self) -> dict[str, Any]:
        faults = self._sandbox.faults
        faults.clear_plan()
        for name in _RATES:
            setattr(faults, name, 0.0)
        faults.operations = None
        return self.fault_state()

    def trigger(self, request: TriggerRequest) -> dict[str, Any]:
        return run_trigger(self._sandbox.app, request)

    def webhook_log(self, query: WebhookLogQuery | None = None) -> dict[str, Any]:
        query = query or WebhookLogQuery()
        idle = self._sandbox.dispatcher.wait_idle(query.wait or 0)
        with self._sandbox.store.transaction():
            rows = attempts(self._sandbox.store)
        rows = [row for row in rows if (query.event_type is None or row["event_type"] == query.event_type)
                and (query.delivered is None or row["delivered"] is query.delivered)]
        return {"idle": idle, "attempts": rows}

    def notification_url(self) -> dict[str, Any]:
        return {"notification_url": self._sandbox.notification_url}

    def set_notification_url(self, setting: NotificationUrlSetting) -> dict[str, Any]:
        self._sandbox.notification_url = setting.notification_url
        return self.notification_url()

    # -- HTTP ------------------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        """One ``/_sandbox/`` request, answered in the API's envelope."""
        try:
            name, _ = self._urls.bind_to_environ(request.environ).match()
        except NotFound:
            return _envelope(404, f"No control route for {request.method} {request.path}")
        except MethodNotAllowed:
            return _envelope(405, f"{request.method} is not allowed on {request.path}")
        route = ROUTES_BY_NAME[name]
        try:
            if not hmac.compare_digest(request.headers.get("X-token", "").encode(), self._sandbox.token.encode()):
                raise ApiError(401, "Unauthenticated: the control plane needs the sandbox's X-token")
            message, data = self._dispatch(route, self._payload(route, request))
        except ApiError as error:
            return _envelope(error.status, error.message, errors=error.errors, headers=error.headers or None)
        except Exception:  # a sandbox bug: answer in the envelope, keep the traceback in the log
            log.exception("sandbox control plane failed on %s", route.name)
            return _envelope(500, f"Internal sandbox error in {route.operation_id}")
        return _envelope(200, message, data=data)

    def _dispatch(self, route: ControlRoute, payload: Any) -> tuple[str, dict[str, Any]]:
        handlers: dict[str, tuple[str, Callable[..., dict[str, Any]]]] = {
            "reset": ("Sandbox reset", self.reset),
            "clock": ("OK", self.clock_state),
            "advance_clock": ("Clock advanced", self.advance_clock),
            "faults": ("OK", self.fault_state),
            "set_faults": ("Faults set", self.set_faults),
            "clear_faults": ("Faults cleared", self.clear_faults),
            "trigger": (f"Triggered {getattr(payload, 'event', '')}", self.trigger),
            "webhooks": ("OK", self.webhook_log),
            "notification_url": ("OK", self.notification_url),
            "set_notification_url": ("Notification URL set", self.set_notification_url),
        }
        message, handler = handlers[route.name]
        if route.name == "advance_clock":
            return message, handler(payload.seconds)
        return message, handler() if payload is None else handler(payload)

    def _payload(self, route: ControlRoute, request: Request) -> Any:
        """The validated body or query, or the API's 400/406/413/422."""
        if route.query is not None:
            return _validate(route.query, request.args.to_dict())
        if request.args:
            raise ApiError(422, f"{route.path} takes no query parameters (got {', '.join(sorted(request.args))})")
        raw = _read_body(request)
        if route.body is None:
            if raw.strip() not in (b"", b"{}"):
                raise ApiError(422, f"{route.method} {route.path} takes no body")
            return None
        if request.mimetype != "application/json":
            raise ApiError(406, "Content-Type must be application/json")
        try:
            body = parse_json(raw)
            canonical = reserialise(raw)
        except ValueError:
            raise ApiError(400, "Malformed JSON body") from None
        if not isinstance(body, dict):
            raise ApiError(400, "The JSON body must be an object")
        if _LONE_SURROGATE.search(canonical.decode("utf-8")):
            raise ApiError(422, "Text fields must be valid Unicode (a lone surrogate escape was sent)")
        return _validate(route.body, body)

    def _restart_clock(self) -> None:
        if isinstance(self.clock, OffsetClock):
            self.clock.offset = timedelta(0)
        else:
            self.clock.now = self._manual_start

    def _restore_faults(self) -> None:
        faults, initial = self._sandbox.faults, self._initial_faults
        faults.clear_plan()
        for name in _RATES:
            setattr(faults, name, getattr(initial, name))
        faults.operations = initial.operations


def _validate(model: "type[BaseModel]", fields: dict[str, Any]) -> Any:
    from pydantic import ValidationError

    from ..models._base import describe_validation_error

    try:
        return model.model_validate(fields)
    except ValidationError as error:
        problems = [_problem(issue) for issue in error.errors(include_url=False, include_input=False)]
        raise ApiError(422, describe_validation_error(error, client=False), errors=problems) from None


def _field_error(field: str, message: str) -> ApiError:
    return ApiError(422, f"{field}: {message}", errors=[{"field": field, "message": message}])
