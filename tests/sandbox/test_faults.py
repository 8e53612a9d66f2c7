"""Injected faults: commit-then-drop, 503, 429 with Retry-After, latency; the client recovers safely."""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from paycombat_tools import NetworkError, PayCombat, RateLimitError, RetryPolicy, ServerError
from paycombat_tools._transport import HttpRequest, HttpResponse, RequestsTransport, TransportError
from paycombat_tools.sandbox import Faults, Sandbox
from tests.sandbox.helpers import au_payout, create_customer_wallet, fund_wallet


class RecordingTransport(RequestsTransport):
    """The real transport, noting what each attempt got back (a status, or the transport error)."""

    def __init__(self) -> None:
        super().__init__()
        self.attempts: list[tuple[str, str, Any]] = []

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        try:
            response = super().send(request, timeout)
        except TransportError as error:
            self.attempts.append((request.method, request.url, error))
            raise
        self.attempts.append((request.method, request.url, response.status))
        return response


@pytest.fixture
def transport() -> RecordingTransport:
    return RecordingTransport()


@pytest.fixture
def watched(sandbox: Sandbox, make_client: Callable[..., PayCombat], transport: RecordingTransport) -> PayCombat:
    return make_client(sandbox, transport=transport)


def test_dropped_connection_after_commit_is_retried_to_the_same_payout(sandbox: Sandbox, client: PayCombat,
                                                                       watched: PayCombat,
                                                                       transport: RecordingTransport) -> None:
    wallet = create_customer_wallet(client, ("AUD",))
    fund_wallet(client, wallet.wallet_id, Decimal("500.00"))  # nets 495.00
    sandbox.faults.plan("payouts.create", "drop_after_commit")

    payout = au_payout(watched, "100.00", debit_wallet_id=wallet.wallet_id)

    [(_, _, first), (_, _, second)] = transport.attempts
    assert isinstance(first, TransportError) and first.sent  # the answer was lost after the commit
    assert second == 200
    [listed] = client.payouts.list().items
    assert listed.id == payout.id and listed.order_id == payout.order_id
    assert sandbox.balance(wallet.wallet_id, "AUD") == (Decimal("394.00"), Decimal("495.00"))  # reserved once
    assert client.transactions.list(type="PAYOUT_HOLD").total == 1
    sandbox.check_ledger()


def test_drop_without_an_idempotency_reference_is_not_retried(sandbox: Sandbox, watched: PayCombat,
                                                              transport: RecordingTransport) -> None:
    sandbox.faults.plan("payins.simulate", "drop_after_commit")
    payin = watched.payins.create(amount=Decimal("20.00"), currency="AUD", payin_method_name="au_bank_npp")
    with pytest.raises(NetworkError, match="not retried"):
        watched.payins.simulate(payin_id=payin.id)  # a PATCH that moves money: never blindly repeated
    assert len(transport.attempts) == 2
    assert watched.payins.retrieve(payin.id).status == "SUCCESS"  # it did happen


def test_503_once_then_success_for_a_get(sandbox: Sandbox, watched: PayCombat,
                                         transport: RecordingTransport) -> None:
    sandbox.faults.plan("customers.list", "error")
    page = watched.customers.list()
    assert page.total == 0
    assert [status for _, _, status in transport.attempts] == [503, 200]


def test_503_on_every_try_surfaces_as_server_error(sandbox: Sandbox, watched: PayCombat) -> None:
    sandbox.faults.plan("master_data.list_countries_currencies", "error", "error", "error")
    with pytest.raises(ServerError) as caught:
        watched.master_data.list_countries_currencies()
    assert caught.value.status == 503 and "injected" in caught.value.message


def test_429_retry_after_is_honoured(sandbox: Sandbox, make_client: Callable[..., PayCombat],
                                     transport: RecordingTransport) -> None:
    sandbox.faults.retry_after = 0.3
    sandbox.faults.plan("payouts.create", "rate_limit")
    patient = make_client(sandbox, transport=transport,
                          retry=RetryPolicy(max_retries=2, backoff_base=0.001, jitter=0.0))
    started = time.monotonic()
    payout = au_payout(patient, "1.00")
    waited = time.monotonic() - started
    assert payout.status == "PENDING"
    assert [status for _, _, status in transport.attempts] == [429, 200]
    assert waited >= 0.3  # slept for Retry-After, not the 1 ms backoff

    sandbox.faults.plan("payouts.list", "rate_limit")
    impatient = make_client(sandbox, retry=RetryPolicy(max_retries=0))
    with pytest.raises(RateLimitError) as caught:
        impatient.payouts.list()
    assert caught.value.status == 429 and caught.value.retry_after == 0.3


def test_latency_fault_still_completes(make_sandbox: Callable[..., Sandbox],
                                       make_client: Callable[..., PayCombat]) -> None:
    sandbox = make_sandbox(faults=Faults(latency=0.05))
    client = make_client(sandbox)
    payin = client.payins.create(amount=Decimal("5.00"), currency="AUD", payin_method_name="au_bank_npp")
    assert client.payins.simulate(payin_id=payin.id).status == "SUCCESS"


def test_random_faults_limited_to_some_operations(make_sandbox: Callable[..., Sandbox],
                                                  make_client: Callable[..., PayCombat]) -> None:
    sandbox = make_sandbox(faults=Faults(error_rate=0.5, seed=11, operations=frozenset({"customers.list"})))
    client = make_client(sandbox, retry=RetryPolicy(max_retries=8, backoff_base=0.001, jitter=0.0))
    for _ in range(10):
        assert client.customers.list().total == 0  # retried through the 503s
        assert client.master_data.list_countries_currencies()  # never faulted
