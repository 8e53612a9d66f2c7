"""``Sandbox``: a stateful PayCombat on a loopback port, in a background thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Literal, TYPE_CHECKING, Any

from werkzeug.serving import make_server

from ._app import SandboxApp
from ._control import ControlPlane
from ._faults import Faults
from ._ledger import Ledger
from ._store import Clock, Store, from_minor
from ._webhooks import DEFAULT_BACKOFF, WebhookDispatcher, attempts

if TYPE_CHECKING:
    from .._client import PayCombat


class ManualClock:
    """A clock that moves only when told to: deterministic timestamps and expiry in tests."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 1, 1, tzinfo=timezone.utc)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self.now

    def advance(self, seconds: float = 0, **delta: float) -> datetime:
        with self._lock:
            self.now += timedelta(seconds=seconds, **delta)
            return self.now


class Sandbox:
    """A faithful local PayCombat: same paths, envelopes, signatures, balances and webhooks.

    ``with Sandbox() as sb: client = sb.client()``. ``db`` is ``":memory:"`` or a file path (state
    survives restarts); ``seed`` makes ids and credentials reproducible; ``clock`` replaces the time;
    ``va_registration="manual"`` leaves KRW virtual accounts PENDING until Simulate Create VA decides.
    """

    def __init__(self, db: str = ":memory:", *, seed: int | None = None, clock: Clock | None = None,
                 faults: Faults | None = None, host: str = "127.0.0.1", port: int = 0,
                 notification_url: str | None = None, webhook_backoff: Sequence[float] = DEFAULT_BACKOFF,
                 demo: bool = False, va_registration: Literal["auto", "manual"] = "auto") -> None:
        self.store = Store(db, seed=seed, clock=clock)
        self.ledger = Ledger(self.store)
        self._ensure_merchant()
        with self.store.transaction():  # "manual": KRW virtual accounts wait for payins.simulate_virtual_account
            self.store.set_meta("va_registration", va_registration)
        self.faults = faults or Faults()
        self.dispatcher = WebhookDispatcher(self.store, self.signature_key, backoff=webhook_backoff)
        self.app = SandboxApp(self.store, self.ledger, self.dispatcher, token=self.token,
                              signature_key=self.signature_key, faults=self.faults, base_url=lambda: self.url,
                              notification_url=notification_url, openapi=_openapi)
        #: the ``/_sandbox/`` control plane: reset, clock, faults, triggers, webhook log (also from Python)
        self.control = ControlPlane(self, seed=seed, demo=demo, va_registration=va_registration)
        self.app.control = self.control.handle
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self._server = make_server(host, port, self.app, threaded=True)
        self.url = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="paycombat-sandbox", daemon=True)
        self._thread.start()
        if demo:
            from ._demo import build_demo

            build_demo(self, seed=seed if seed is not None else 7)

    def _ensure_merchant(self, keep: dict[str, str] | None = None) -> None:
        """Draw the merchant's credentials and open its wallets, unless the database has them;
        ``keep`` overrides what was drawn (a reset keeps the credentials)."""
        store = self.store
        if store.meta("token"):
            return
        with store.transaction():
            store.set_meta("token", f"snd_{store.secret_hex32()}")
            store.set_meta("signature_key", store.secret_hex32() + store.secret_hex32())
            store.set_meta("merchant_id", store.uuid())
            store.set_meta("org_id", f"org_{store.hex32()}")
            for key, value in (keep or {}).items():
                store.set_meta(key, value)
            self.ledger.open_organisation_wallets()

    # -- credentials (never shown in reprs) -------------------------------------------------------

    @property
    def token(self) -> str:
        return str(self.store.meta("token"))

    @property
    def signature_key(self) -> str:
        return str(self.store.meta("signature_key"))

    @property
    def notification_url(self) -> str | None:
        return self.app.notification_url

    @notification_url.setter
    def notification_url(self, url: str | None) -> None:
        self.app.notification_url = url

    def client(self, **options: Any) -> "PayCombat":
        """A ``PayCombat`` client wired to this sandbox."""
        from .._client import PayCombat

        return PayCombat(self.token, self.signature_key, self.url, **options)

    # -- looking inside ------------------------------------------------------------------------------

    def org_wallet_id(self, kind: str = "payout") -> str:
        """The organisation's ``payin``, ``payout`` or ``fees`` wallet id."""
        return self.ledger.org_wallet_id(f"ORGANIZATION_{kind.upper()}")

    def balance(self, wallet_id: str, currency: str) -> tuple[Decimal, Decimal]:
        """(available, actual) of one wallet account, read straight from the database."""
        with self.store.transaction():
            return self.ledger.balance(wallet_id, currency)

    def check_ledger(self) -> None:
        """Raise AssertionError unless every balance equals the sum of its ledger entries and none is negative."""
        with self.store.transaction():
            totals = self.ledger.totals()
            rows = self.store.db.execute("SELECT wallet_id, currency, available, actual FROM accounts").fetchall()
        for row in rows:
            available, actual = totals.get((row["wallet_id"], row["currency"]), (0, 0))
            if (available, actual) != (row["available"], row["actual"]) or row["available"] < 0 or row["actual"] < 0:
                raise AssertionError(
                    f"wallet {row['wallet_id']} {row['currency']}: balance "
                    f"{from_minor(row['available'], row['currency'])}/{from_minor(row['actual'], row['currency'])} "
                    f"but ledger {from_minor(available, row['currency'])}/{from_minor(actual, row['currency'])}"
                )

    def webhook_attempts(self) -> list[dict[str, Any]]:
        """Every webhook delivery attempt, oldest first."""
        with self.store.transaction():
            return attempts(self.store)

    def wait_for_webhooks(self, timeout: float = 10.0) -> bool:
        """Wait until every queued webhook (with its retries) has been attempted."""
        return self.dispatcher.wait_idle(timeout)

    def call(self, name: str, path: dict[str, str] | None = None, **fields: Any) -> Any:
        """Run an operation in-process, without HTTP or signatures (used by the demo seed)."""
        return self.app.call(name, path, **fields)

    # -- lifecycle -----------------------------------------------------------------------------------

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self.dispatcher.close()
        self.store.db.close()

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Sandbox {self.url} token=<hidden> signature_key=<hidden>>"


def _openapi() -> dict[str, Any]:
    from ..openapi import build

    return build()
