"""Arrangements shared by the sandbox tests: customers, wallets, funding, payouts, state snapshots."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import requests

from paycombat_tools import PayCombat, RetryPolicy
from paycombat_tools.sandbox import Sandbox
from paycombat_tools.sandbox._fixtures import PAYIN_FEE_RATE
from paycombat_tools.signing import canonical_json, parse_json, sign

SEED = 20260101
#: Retries that do not slow the suite down (the default backoff starts at 0.5 s).
FAST_RETRY = RetryPolicy(max_retries=2, backoff_base=0.01, backoff_max=0.5, jitter=0.0)
#: Webhook retries fast enough for tests that watch them.
FAST_WEBHOOK_BACKOFF = (0.05, 0.05, 0.05)

_counter = itertools.count(1)
_closing: list[threading.Thread] = []


def close_in_background(close: Callable[[], None]) -> None:
    """Servers take up to 0.5 s to stop (``serve_forever``'s poll interval); let them stop in parallel."""
    thread = threading.Thread(target=close, daemon=True)
    thread.start()
    _closing.append(thread)


def join_closing_servers() -> None:
    for thread in _closing:
        thread.join(timeout=5)

AU_PAYOUT_BENEFICIARY: dict[str, Any] = {
    "bsb": "062-000", "account_number": "12345678",
    "individual": {"first_name": "Grace", "last_name": "Ho"},
}


def wallet_ready_individual(**overrides: Any) -> dict[str, Any]:
    """Every field the sandbox needs before it issues a wallet to a person (PayCombat's names)."""
    details = {"first_name": "Ada", "last_name": "Tan", "dob": "1990-05-17", "nationality": "AU",
               "address_line1": "1 George St", "address_city": "Sydney", "address_country": "AU",
               "identification_type": "PASSPORT", "identification_value": "PA1234567",
               "email": "ada.tan@example.com"}
    details.update(overrides)
    return details


def reference(prefix: str = "ref") -> str:
    """A unique idempotency reference for this test run."""
    return f"{prefix}-{next(_counter):06d}"


def create_wallet_ready_customer(client: PayCombat, **individual: Any) -> Any:
    return client.customers.create(description="Marketplace seller", type="individual",
                                   individual=wallet_ready_individual(**individual))


def create_customer_wallet(client: PayCombat, currencies: tuple[str, ...] = ("AUD",), **options: Any) -> Any:
    """A wallet-ready customer and a wallet with one account per currency."""
    customer = create_wallet_ready_customer(client)
    return client.wallets.create(customer_id=customer.customer_id, currency=currencies[0],
                                 currency_list=list(currencies), **options)


def payin_fee(amount: Decimal) -> Decimal:
    return (amount * PAYIN_FEE_RATE).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def fund_wallet(client: PayCombat, wallet_id: str, amount: Decimal, currency: str = "AUD",
                method: str = "au_bank_npp") -> Any:
    """Collect ``amount`` into the wallet with a payin and complete it; the wallet nets amount minus the fee."""
    payin = client.payins.create(amount=amount, currency=currency, payin_method_name=method,
                                 credit_wallet_id=wallet_id, description="Top-up")
    return client.payins.simulate(payin_id=payin.id, status="SUCCESS")


def au_payout(client: PayCombat, amount: Decimal | str, **options: Any) -> Any:
    """An AUD payout to a bank account (BSB + account number)."""
    amount = Decimal(amount)
    return client.payouts.create(sender_amount=amount, sender_currency="AUD", beneficiary_amount=amount,
                                 beneficiary_currency="AUD", payout_method_name="au_bank_acct", purpose_code="SELF",
                                 payout_beneficiary_param=AU_PAYOUT_BENEFICIARY, **options)


def funded_wallet_id(sandbox: Sandbox, amount: Decimal = Decimal("1000.00")) -> str:
    """A new customer's AUD wallet, funded by a paid payin."""
    with sandbox.client() as direct:
        wallet = create_customer_wallet(direct, ("AUD",))
        fund_wallet(direct, wallet.wallet_id, amount)
        return str(wallet.wallet_id)


def record_counts(sandbox: Sandbox) -> dict[str, int]:
    """Records per kind plus ledger rows and webhook attempts: the sandbox's whole state, counted."""
    with sandbox.store.transaction():
        rows = sandbox.store.db.execute("SELECT kind, COUNT(*) FROM records GROUP BY kind").fetchall()
        counts = {row[0]: row[1] for row in rows}
        counts["ledger"] = sandbox.store.db.execute("SELECT COUNT(*) FROM ledger").fetchone()[0]
        counts["accounts"] = sandbox.store.db.execute("SELECT COUNT(*) FROM accounts").fetchone()[0]
    return counts


def state_snapshot(sandbox: Sandbox) -> tuple[dict[str, int], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Counts, every account balance and every record's data: equal snapshots mean nothing changed."""
    with sandbox.store.transaction():
        balances = [tuple(r) for r in sandbox.store.db.execute(
            "SELECT wallet_id, currency, available, actual FROM accounts ORDER BY wallet_account_id")]
        records = [tuple(r) for r in sandbox.store.db.execute(
            "SELECT kind, id, status, data FROM records ORDER BY kind, id")]
    return record_counts(sandbox), balances, records


def raw_request(sandbox: Sandbox, method: str, path: str, body: bytes | None = None, *,
                sign_with: str | None = "canonical", token: str | None = None,
                content_type: str = "application/json", **kwargs: Any) -> requests.Response:
    """A hand-made request: ``sign_with`` is "canonical" (HMAC over the re-serialised body), "raw",
    a literal signature, or None for no signature header."""
    headers = {"X-token": sandbox.token if token is None else token}
    if body is not None:
        headers["Content-Type"] = content_type
    if sign_with == "canonical":
        headers["signature"] = sign(canonical_json(parse_json(body)) if body else b"", sandbox.signature_key)
    elif sign_with == "raw":
        headers["signature"] = sign(body or b"", sandbox.signature_key)
    elif sign_with is not None:
        headers["signature"] = sign_with
    return requests.request(method, sandbox.url + path, data=body, headers=headers, timeout=10, **kwargs)


class Recorder:
    """A webhook receiver that keeps the raw body and headers of every POST (and checks nothing)."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[dict[str, str], bytes]] = []
        self._cond = threading.Condition()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with recorder._cond:
                    recorder.deliveries.append((dict(self.headers.items()), body))
                    recorder._cond.notify_all()
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, count: int, timeout: float = 5) -> list[tuple[dict[str, str], bytes]]:
        with self._cond:
            assert self._cond.wait_for(lambda: len(self.deliveries) >= count, timeout), self.deliveries
            return list(self.deliveries)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
