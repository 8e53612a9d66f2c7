"""Schema-driven fuzzing with schemathesis: signed requests generated from ``openapi.build()``.

Every case is sent with a valid X-token and a correct signature (HMAC over the canonical JSON of the
generated body), so the sandbox gets past authentication and its validation and handlers are
exercised. Properties: no 5xx, ever; a refused (4xx) request changes no state.
Bounded: ``FUZZ_EXAMPLES`` examples per operation (set PAYCOMBAT_FUZZ_EXAMPLES to explore more),
deterministic generation, no shrinking. Hypothesis also draws literal constants from the modules
loaded in the process, so which inputs a run tries can shift with the test selection; every input
that broke the sandbox is therefore pinned below as a plain, deterministic test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings

from paycombat_tools.openapi import build
from paycombat_tools.sandbox import Sandbox
from paycombat_tools.sandbox_control import TAG
from paycombat_tools.signing import canonical_json, sign
from tests.sandbox.helpers import SEED, au_payout, close_in_background, create_customer_wallet, fund_wallet

FUZZ_EXAMPLES = int(os.environ.get("PAYCOMBAT_FUZZ_EXAMPLES", "20"))

def _bounded(loaded: Any) -> Any:
    loaded.config.phases.update(phases=["examples", "fuzzing"])
    loaded.config.generation.update(max_examples=FUZZ_EXAMPLES, deterministic=True, database="none",
                                    no_shrink=True)
    loaded.config.seed = SEED
    return loaded


#: The API's operations. The control plane (tag sandbox-control) is fuzzed on its own sandbox below: planning
#: faults is its job, and a planned 503 must not fail the API's "never 5xx" property.
schema = _bounded(schemathesis.openapi.from_dict(build()).exclude(tag=TAG))
control_schema = _bounded(schemathesis.openapi.from_dict(build()).include(tag=TAG))


class Target:
    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.session = requests.Session()

    def snapshot(self) -> tuple[Any, ...]:
        """Records per kind, ledger rows and every balance and record body."""
        db = self.sandbox.store.db
        with self.sandbox.store.transaction():
            counts = db.execute("SELECT kind, COUNT(*) FROM records GROUP BY kind ORDER BY kind").fetchall()
            ledger = db.execute("SELECT COUNT(*) FROM ledger").fetchone()[0]
            balances = db.execute("SELECT wallet_account_id, available, actual FROM accounts ORDER BY 1").fetchall()
            records = db.execute("SELECT kind, id, data FROM records ORDER BY kind, id").fetchall()
        return ([tuple(r) for r in counts], ledger, [tuple(r) for r in balances], [tuple(r) for r in records])


@pytest.fixture(scope="module")
def target() -> Iterator[Target]:
    """One sandbox for the whole run, with some real data in it, so state accumulates across cases."""
    sandbox = Sandbox(seed=SEED)
    client = sandbox.client()
    wallet = create_customer_wallet(client, ("AUD", "SGD"))
    fund_wallet(client, wallet.wallet_id, Decimal("300.00"))
    au_payout(client, "10.00")
    client.checkouts.create_payment_request(amount=Decimal("5.00"), currency="AUD", country_code="AU")
    client.close()
    fuzz = Target(sandbox)
    yield fuzz
    fuzz.session.close()
    sandbox.check_ledger()  # whatever was accepted, the books still balance
    close_in_background(sandbox.close)


def signed_request(case: Any, sandbox: Sandbox) -> dict[str, Any]:
    """The case as ``requests`` keyword arguments, with our credentials and a correct signature."""
    kwargs = case.as_transport_kwargs(base_url=sandbox.url)
    headers = {"X-token": sandbox.token, "Accept": "application/json"}
    method = case.method.upper()
    if method in ("POST", "PATCH"):
        body = kwargs.pop("json", None)
        raw = canonical_json({} if body is None else body, exact=False)
        headers["Content-Type"] = "application/json"
        headers["signature"] = sign(raw, sandbox.signature_key)
        kwargs["data"] = raw
    elif method == "DELETE":  # bodiless, and documented with X-token only (EVIDENCE S19)
        kwargs.pop("json", None)
    kwargs["headers"] = headers
    kwargs.pop("cookies", None)
    kwargs["timeout"] = 10
    return kwargs  # type: ignore[no-any-return]


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)
def test_signed_requests_never_5xx_and_refusals_change_nothing(case: Any, target: Target) -> None:
    before = target.snapshot()
    response = target.session.request(**signed_request(case, target.sandbox))
    after = target.snapshot()
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"
    assert response.status_code != 401, f"signing failed: {response.text}"
    if response.status_code >= 400:
        body = response.json()
        assert body["status"] is False and body["data"] is None and body["message"]
        assert after == before, f"refused with {response.status_code} but state changed: {body['message']}"


@pytest.fixture(scope="module")
def control_target() -> Iterator[Target]:
    """A sandbox of its own for the control plane (it resets, moves the clock and plans faults), without retries."""
    sandbox = Sandbox(seed=SEED, webhook_backoff=())
    fuzz = Target(sandbox)
    yield fuzz
    fuzz.session.close()
    sandbox.check_ledger()
    close_in_background(sandbox.close)


def control_state(target: Target) -> tuple[Any, ...]:
    """The records plus what only the control plane changes: faults, how far the clock moved, the notification URL."""
    control = target.sandbox.control
    return (target.snapshot(), control.fault_state(), control.clock_state()["offset_seconds"],
            target.sandbox.notification_url)


@control_schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)
def test_control_plane_never_5xx_and_refusals_change_nothing(case: Any, control_target: Target) -> None:
    sandbox = control_target.sandbox
    before = control_state(control_target)
    response = control_target.session.request(**signed_request(case, sandbox))
    after = control_state(control_target)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text}"
    assert response.status_code != 401, response.text
    if response.status_code >= 400:
        body = response.json()
        assert body["status"] is False and body["data"] is None and body["message"]
        assert after == before, f"refused but state changed: {body['message']}"


# -- inputs the fuzzer (and follow-up probing) found: pinned so they stay fixed -----------------------------

PAYOUT = {"sender_amount": 10, "sender_currency": "AUD", "beneficiary_amount": 10, "beneficiary_currency": "AUD",
          "payout_method_name": "au_bank_acct", "purpose_code": "SELF",
          "payout_beneficiary_param": {"bsb": "062-000", "account_number": "12345678",
                                       "individual": {"first_name": "Grace"}}}
PAYIN = {"amount": 10, "currency": "AUD", "payin_method_name": "au_bank_npp"}
CUSTOMER = {"description": "x", "type": "individual",
            "individual": {"first_name": "Ada", "last_name": "Tan", "address_country": "AU"}}

PINNED = [
    # BUG _reference.list_transactions: ints beyond SQLite's 64-bit range -> OverflowError -> 500
    pytest.param("GET", "/api/v1/transaction", {"end_time": 9223372036854775808}, None, id="transactions-end_time-2**63"),
    pytest.param("GET", "/api/v1/transaction", {"start_time": 10**20}, None, id="transactions-start_time-1e20"),
    pytest.param("GET", "/api/v1/transaction", {"page": 10**20}, None, id="transactions-page-1e20"),
    # BUG _payins._expiry / _checkouts.create_payment_request: datetime.fromtimestamp(expire_at) out of range -> 500
    pytest.param("POST", "/api/v1/payin/create", None, {**PAYIN, "expire_at": 10**14}, id="payin-expire_at-1e14"),
    pytest.param("POST", "/api/v1/checkout/payment-request", None,
                 {"amount": 10, "currency": "AUD", "country_code": "AU", "expire_at": 10**14},
                 id="checkout-expire_at-1e14"),
    # BUG _store.Store.find_by_ref/insert: a lone surrogate in an idempotency reference cannot be bound -> 500
    pytest.param("POST", "/api/v1/customer/create", None, {**CUSTOMER, "organization_reference_id": "\ud800"},
                 id="customer-ref-lone-surrogate"),
    pytest.param("POST", "/api/v1/payout/create-payout", None, {**PAYOUT, "order_id": "\udc00"},
                 id="payout-order_id-lone-surrogate"),
    # BUG _app: an ignored field's name that HTTP headers cannot carry (non-Latin-1, newline) went into
    # X-Sandbox-Ignored-Fields as is: werkzeug failed while writing the headers and the client hung
    pytest.param("GET", "/api/v1/payout-method", {"\U00092ec7w\xd3": "x", "q": "1"}, None,
                 id="ignored-query-name-not-latin-1"),
    pytest.param("POST", "/api/v1/payin/create", None, {**PAYIN, "n\r\nX-Injected: 1": 1, "é": 2},
                 id="ignored-body-name-newline"),
]


@pytest.fixture
def fresh(sandbox: Sandbox) -> Iterator[Target]:
    """A fresh sandbox per pinned case, so one case's damage cannot hide or cause another's."""
    fuzz = Target(sandbox)
    yield fuzz
    fuzz.session.close()


@pytest.mark.parametrize(("method", "path", "query", "body"), PINNED)
def test_pinned_inputs(fresh: Target, method: str, path: str, query: dict[str, Any] | None,
                       body: dict[str, Any] | None) -> None:
    target = fresh
    sandbox = target.sandbox
    headers = {"X-token": sandbox.token}
    raw = None
    if body is not None:
        raw = canonical_json(body)
        headers.update({"Content-Type": "application/json", "signature": sign(raw, sandbox.signature_key)})
    before = target.snapshot()
    response = target.session.request(method, sandbox.url + path, params=query, data=raw, headers=headers, timeout=10)
    assert response.status_code < 500, response.text[:200]
    if response.status_code >= 400:
        assert target.snapshot() == before


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/api/v1/customer/create", CUSTOMER, "organization_reference_id"),
    ("/api/v1/payin/create", PAYIN, "organization_reference_id"),
    ("/api/v1/payout/create-payout", PAYOUT, "order_id"),
], ids=["customer", "payin", "payout"])
def test_empty_idempotency_reference_twice_is_not_a_500(fresh: Target, path: str, body: dict[str, Any],
                                                        field: str) -> None:
    """Found by this suite, now fixed (_store.Store.find_by_ref treats "" as "no reference", but insert stores ref="" under the UNIQUE
    index): the first request with an empty reference succeeds, the second crashes with IntegrityError -> 500.
    Expected: "" refused with 422, or treated as absent (stored as NULL), or as a key (same record back)."""
    target = fresh
    sandbox = target.sandbox
    raw = canonical_json({**body, field: ""})
    headers = {"X-token": sandbox.token, "Content-Type": "application/json",
               "signature": sign(raw, sandbox.signature_key)}
    statuses = [target.session.post(sandbox.url + path, data=raw, headers=headers, timeout=10).status_code
                for _ in range(2)]
    assert all(status < 500 for status in statuses), statuses
