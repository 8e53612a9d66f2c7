"""Retries: safe requests are repeated byte for byte; a money POST only with a fixed reference."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from paycombat_tools import NetworkError, PayCombat, RateLimitError, RetryPolicy, ServerError
from paycombat_tools.models import Payout

from .fixtures import FAST_RETRY, connect, recording_server  # noqa: F401
from .recording_server import RecordingServer, Reply
from .samples import PAYOUT_KWARGS, PAYOUT_RECORD, RECORDS

OK_PAYOUT = Reply.envelope(PAYOUT_RECORD, message="Created")


@pytest.fixture
def client(connect: Callable[..., PayCombat], recording_server: RecordingServer) -> Iterator[PayCombat]:
    """Every story runs twice: with the blocking client and with AsyncPayCombat (one core, two transports)."""
    with connect(recording_server.url, retry=FAST_RETRY) as paycombat:
        yield paycombat


def test_a_payout_after_a_dropped_connection_is_retried_with_the_same_auto_reference(
    client: PayCombat, recording_server: RecordingServer
) -> None:
    recording_server.queue_drop()
    recording_server.queue(OK_PAYOUT)

    payout = client.payouts.create(**PAYOUT_KWARGS)

    assert isinstance(payout, Payout)
    first, second = recording_server.requests
    assert first.body == second.body  # identical bytes ...
    assert first.headers["signature"] == second.headers["signature"]  # ... identically signed
    order_id = first.json()["order_id"]
    assert order_id.startswith("pct_") and second.json()["order_id"] == order_id


def test_a_callers_order_id_is_kept_across_retries(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue_drop()
    recording_server.queue(OK_PAYOUT)

    client.payouts.create(**PAYOUT_KWARGS, order_id="ord_2025_0001")

    assert [seen.json()["order_id"] for seen in recording_server.requests] == ["ord_2025_0001"] * 2
    assert recording_server.requests[0].body == recording_server.requests[1].body


def test_each_call_gets_its_own_auto_reference(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(OK_PAYOUT, OK_PAYOUT)

    client.payouts.create(**PAYOUT_KWARGS)
    client.payouts.create(**PAYOUT_KWARGS)

    first, second = (seen.json()["order_id"] for seen in recording_server.requests)
    assert first != second


def test_a_get_is_retried_after_a_drop(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue_drop()
    recording_server.queue(Reply.envelope(PAYOUT_RECORD))

    payout = client.payouts.retrieve("po_1")

    assert payout.id == PAYOUT_RECORD["id"]
    assert [seen.path for seen in recording_server.requests] == ["/api/v1/payout-method/retrieve-payout/po_1"] * 2


def test_a_get_is_retried_after_a_503(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.error(503, "Service unavailable"), Reply.envelope(RECORDS["MerchantBalance"]))

    balance = client.merchant.balance("AUD")

    assert balance.currency == "AUD"
    assert len(recording_server.requests) == 2


def test_a_money_post_without_reference_is_not_retried_after_a_drop(
    connect: Callable[..., PayCombat], recording_server: RecordingServer,
) -> None:
    recording_server.queue_drop()
    recording_server.queue(OK_PAYOUT)  # would be served to a (wrong) second try

    with connect(recording_server.url, retry=FAST_RETRY, auto_reference=False) as unsafe, \
            pytest.raises(NetworkError) as caught:
        unsafe.payouts.create(**PAYOUT_KWARGS)

    assert len(recording_server.requests) == 1
    assert "order_id" not in recording_server.last.json()
    assert "not retried" in str(caught.value)
    assert caught.value.operation == "payouts.create"
    assert caught.value.request_id == recording_server.last.headers["X-Request-Id"]


def test_a_money_post_with_a_callers_reference_is_retried_even_without_auto_reference(
    connect: Callable[..., PayCombat], recording_server: RecordingServer,
) -> None:
    recording_server.queue_drop()
    recording_server.queue(OK_PAYOUT)

    with connect(recording_server.url, retry=FAST_RETRY, auto_reference=False) as manual:
        manual.payouts.create(**PAYOUT_KWARGS, order_id="ord_manual_1")

    assert [seen.json()["order_id"] for seen in recording_server.requests] == ["ord_manual_1"] * 2


def test_a_money_post_without_reference_is_not_retried_after_a_503(
    connect: Callable[..., PayCombat], recording_server: RecordingServer,
) -> None:
    recording_server.queue(Reply.error(503, "Service unavailable"), OK_PAYOUT)

    with connect(recording_server.url, retry=FAST_RETRY, auto_reference=False) as unsafe, pytest.raises(ServerError):
        unsafe.payouts.create(**PAYOUT_KWARGS)

    assert len(recording_server.requests) == 1


def test_a_429_is_retried_even_for_a_post_without_reference(
    connect: Callable[..., PayCombat], recording_server: RecordingServer,
) -> None:
    # 429 means the request was not processed, so repeating it is safe.
    recording_server.queue(Reply.error(429, "Too many requests", headers={"Retry-After": "0"}), OK_PAYOUT)

    with connect(recording_server.url, retry=FAST_RETRY, auto_reference=False) as unsafe:
        unsafe.payouts.create(**PAYOUT_KWARGS)

    assert len(recording_server.requests) == 2


def test_retry_after_zero_wins_over_a_long_backoff(
    connect: Callable[..., PayCombat], recording_server: RecordingServer,
) -> None:
    slow_backoff = RetryPolicy(max_retries=2, backoff_base=5.0, backoff_max=10.0)
    recording_server.queue(Reply.error(503, "busy", headers={"Retry-After": "0"}),
                           Reply.envelope(RECORDS["MerchantBalance"]))

    started = time.monotonic()
    with connect(recording_server.url, retry=slow_backoff) as patient:
        patient.merchant.balance("AUD")
    elapsed = time.monotonic() - started

    assert len(recording_server.requests) == 2
    assert elapsed < 2.0  # a backoff of ~5 s would have been slept without Retry-After


def test_retry_after_seconds_are_waited(connect: Callable[..., PayCombat], recording_server: RecordingServer) -> None:
    quick_backoff = RetryPolicy(max_retries=2, backoff_base=0.001, backoff_max=10.0)
    recording_server.queue(Reply.error(429, "slow down", headers={"Retry-After": "1"}),
                           Reply.envelope(RECORDS["MerchantBalance"]))

    with connect(recording_server.url, retry=quick_backoff) as polite:
        polite.merchant.balance("AUD")

    first, second = recording_server.requests
    assert second.received_at - first.received_at >= 0.95


@pytest.mark.parametrize("max_retries", [0, 1, 3])
def test_max_retries_bounds_the_attempts(
    connect: Callable[..., PayCombat], max_retries: int, recording_server: RecordingServer,
) -> None:
    policy = RetryPolicy(max_retries=max_retries, backoff_base=0.001, backoff_max=0.01)
    recording_server.queue(*[Reply.error(503, "down")] * (max_retries + 5))

    with connect(recording_server.url, retry=policy) as bounded, pytest.raises(ServerError):
        bounded.payouts.retrieve("po_1")

    assert len(recording_server.requests) == max_retries + 1


def test_the_max_retries_shortcut_is_honoured(
    connect: Callable[..., PayCombat], recording_server: RecordingServer,
) -> None:
    recording_server.queue(*[Reply.error(503, "down", headers={"Retry-After": "0"})] * 5)

    with connect(recording_server.url, max_retries=1) as shortcut, \
            pytest.raises(ServerError):
        shortcut.payouts.retrieve("po_1")

    assert len(recording_server.requests) == 2


def test_drops_on_every_try_end_in_a_network_error(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue_drop(times=5)

    with pytest.raises(NetworkError) as caught:
        client.payouts.retrieve("po_1")

    assert len(recording_server.requests) == 3
    assert "after 3 attempt(s)" in str(caught.value)
    assert "not retried" not in str(caught.value)


def test_a_refused_connection_is_retried_then_a_network_error(
    connect: Callable[..., PayCombat], recording_server: RecordingServer,
) -> None:
    url = recording_server.url
    recording_server.stop()  # nothing listens on the port any more

    with connect(url, retry=FAST_RETRY) as offline, pytest.raises(NetworkError) as caught:
        offline.payouts.create(**PAYOUT_KWARGS)

    assert "after 3 attempt(s)" in str(caught.value)  # never reached the server: safe to repeat


def test_a_retry_never_comes_before_retry_after(client: PayCombat, recording_server: RecordingServer) -> None:
    # FAST_RETRY has backoff_max=0.05 s; the server asks for 1 s. Waiting 1 s or giving up are both fine.
    recording_server.queue(Reply.error(429, "slow down", headers={"Retry-After": "1"}),
                           Reply.envelope(RECORDS["MerchantBalance"]))

    try:
        client.merchant.balance("AUD")
    except RateLimitError as error:
        assert error.retry_after == 1.0
    seen = recording_server.requests
    assert len(seen) == 1 or seen[1].received_at - seen[0].received_at >= 0.95
