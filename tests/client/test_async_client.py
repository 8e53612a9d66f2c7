"""``AsyncPayCombat`` against the real sandbox and a recording server: same bytes, same rules, ``async for``.

The retry and error stories (``test_retries.py``, ``test_errors.py``) and the wire-fault matrix
(``tests/wire/test_fault_matrix.py``) run for both clients; these are the async client's own stories.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from paycombat_tools import (AsyncPage, AsyncPayCombat, InvalidRequestError, NetworkError, NotFoundError, PayCombat,
                             RetryPolicy)
from paycombat_tools.models import Customer, Payout
from paycombat_tools.sandbox import Sandbox
from tests.sandbox.helpers import SEED, au_payout, funded_wallet_id, wallet_ready_individual
from tests.wire.fault_proxy import FaultProxy

from .fixtures import FAST_RETRY, SIGNATURE_KEY, TOKEN, recording_server  # noqa: F401
from .recording_server import RecordingServer, Reply
from .samples import PAYOUT_KWARGS, PAYOUT_RECORD

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=SEED) as sandbox:
        yield sandbox


@pytest.fixture
def wallet_id(sandbox: Sandbox) -> str:
    return funded_wallet_id(sandbox)


def connected(sandbox: Sandbox) -> AsyncPayCombat:
    return AsyncPayCombat(sandbox.token, sandbox.signature_key, sandbox.url, retry=FAST_RETRY)


def test_the_embedded_sandbox_client_pays_and_the_blocking_client_sees_it() -> None:
    async def story() -> Payout:
        async with AsyncPayCombat.sandbox() as client:
            customer = await client.customers.create(type="individual", description="async",
                                                     individual=wallet_ready_individual())
            assert isinstance(customer, Customer)
            return await client.payouts.create(
                sender_amount=Decimal("1.00"), sender_currency="AUD", beneficiary_amount=Decimal("1.00"),
                beneficiary_currency="AUD", payout_method_name="au_bank_acct", purpose_code="SELF",
                payout_beneficiary_param={"bsb": "062-000", "account_number": "12345678",
                                          "individual": {"first_name": "Grace"}})

    payout = asyncio.run(story())
    assert isinstance(payout, Payout) and payout.order_id and payout.order_id.startswith("pct_")
    with PayCombat.sandbox() as blocking:
        assert blocking.payouts.retrieve(payout.id).order_id == payout.order_id


def test_both_clients_send_the_same_signed_bytes(recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.envelope(PAYOUT_RECORD), Reply.envelope(PAYOUT_RECORD))
    fields = {**PAYOUT_KWARGS, "order_id": "ord_same_1", "metadata": {"note": "Grüße €", "n": Decimal("1.50")}}

    with PayCombat(TOKEN, SIGNATURE_KEY, recording_server.url) as blocking:
        blocking.payouts.create(**fields, extra_query={"trace": "1"}, extra_headers={"X-Trace": "t"})
    asyncio.run(_create_async(recording_server.url, fields))

    sync_request, async_request = recording_server.requests
    assert sync_request.body == async_request.body and b"Gr\xc3\xbc\xc3\x9fe" in sync_request.body
    assert sync_request.target == async_request.target
    for header in ("signature", "X-token", "Content-Type", "User-Agent", "Accept", "X-Trace"):
        assert sync_request.headers[header] == async_request.headers[header], header


async def _create_async(url: str, fields: dict[str, object]) -> None:
    async with AsyncPayCombat(TOKEN, SIGNATURE_KEY, url) as client:
        await client.payouts.create(**fields, extra_query={"trace": "1"},  # type: ignore[call-overload]
                                    extra_headers={"X-Trace": "t"})


def test_async_for_walks_every_page_lazily(sandbox: Sandbox) -> None:
    with sandbox.client() as blocking:
        for number in range(5):
            blocking.customers.create(type="individual", description=f"customer {number}",
                                      individual=wallet_ready_individual())
        expected = [customer.customer_id for customer in blocking.customers.list(limit=2)]

    async def story() -> tuple[AsyncPage[Customer], list[str]]:
        async with connected(sandbox) as client:
            first = await client.customers.list(limit=2)
            walked = [customer.customer_id async for customer in client.customers.list(limit=2)]
            return first, walked

    first, walked = asyncio.run(story())
    assert len(expected) == 5 and walked == expected
    assert isinstance(first, AsyncPage) and len(first) == 2 and first.has_more


def test_concurrent_payouts_each_pay_once_with_their_own_reference(sandbox: Sandbox, wallet_id: str) -> None:
    available_before, _ = sandbox.balance(wallet_id, "AUD")

    async def story() -> list[Payout]:
        async with connected(sandbox) as client:
            return await asyncio.gather(*(au_payout(client, "1.00", debit_wallet_id=wallet_id)  # type: ignore[arg-type]
                                          for _ in range(20)))

    payouts = asyncio.run(story())
    with sandbox.store.transaction():
        stored = sandbox.store.all("payout")
    assert sorted(p.id for p in payouts) == sorted(record["id"] for record in stored)
    assert len({p.order_id for p in payouts}) == 20
    reserved = sum((p.original_amount or 0) + (p.fee_expected or 0) for p in payouts)  # amount and fee, each once
    assert reserved == Decimal("40.00") and sandbox.balance(wallet_id, "AUD")[0] == available_before - reserved


def test_one_client_serves_several_event_loops(sandbox: Sandbox) -> None:
    client = connected(sandbox)
    for _ in range(3):  # e.g. a tool's ainvoke run with asyncio.run per request
        balance = asyncio.run(client.merchant.balance("AUD"))
        assert balance.currency == "AUD"
    asyncio.run(client.close())


def test_an_unknown_outcome_is_finished_with_await_resend_and_pays_once(sandbox: Sandbox, wallet_id: str) -> None:
    proxy = FaultProxy(sandbox.url, stall_seconds=0.8)
    try:
        proxy.plan("drop_rst", times=3)  # the server commits every try; each answer is lost

        async def story() -> tuple[NetworkError, Payout]:
            async with AsyncPayCombat(sandbox.token, sandbox.signature_key, proxy.url, timeout=0.4,
                                      retry=RetryPolicy(max_retries=2, backoff_base=0.01, jitter=0.0)) as client:
                with pytest.raises(NetworkError) as caught:
                    await au_payout(client, "5.00", debit_wallet_id=wallet_id)  # type: ignore[arg-type]
                return caught.value, await client.resend(caught.value)

        error, resent = asyncio.run(story())
    finally:
        proxy.close()
    assert error.sent and error.outcome_unknown and error.idempotency_field == "order_id"
    assert "client.resend(error)" in str(error)
    assert resent.order_id == error.idempotency_reference
    with sandbox.store.transaction():
        assert [record["id"] for record in sandbox.store.all("payout")] == [resent.id]


def test_an_error_from_the_blocking_client_can_be_resent_by_the_async_one(sandbox: Sandbox, wallet_id: str) -> None:
    proxy = FaultProxy(sandbox.url)
    try:
        proxy.plan("drop_fin", times=3)
        with PayCombat(sandbox.token, sandbox.signature_key, proxy.url, retry=FAST_RETRY) as blocking, \
                pytest.raises(NetworkError) as caught:
            au_payout(blocking, "2.00", debit_wallet_id=wallet_id)
    finally:
        proxy.close()

    async def finish() -> Payout:
        async with connected(sandbox) as client:  # the exchange carries its own URL and signed bytes
            return await client.resend(caught.value)  # type: ignore[no-any-return]

    resent = asyncio.run(finish())
    with sandbox.store.transaction():
        assert [record["id"] for record in sandbox.store.all("payout")] == [resent.id]


def test_bad_input_is_refused_before_sending_and_names_the_field(recording_server: RecordingServer) -> None:
    async def story() -> list[str]:
        async with AsyncPayCombat(TOKEN, SIGNATURE_KEY, recording_server.url) as client:
            messages = []
            for call in (lambda: client.payouts.create(**{**PAYOUT_KWARGS, "sender_curency": "AUD"}),
                         lambda: client.payouts.retrieve("  "),
                         lambda: client.merchant.balance("AUD", extra_headers={"X-Note": "日本"})):
                with pytest.raises(InvalidRequestError) as caught:
                    await call()
                messages.append(caught.value.message)
            return messages

    unknown, blank, header = asyncio.run(story())
    assert "sender_curency: unknown field" in unknown and "extra_body" in unknown
    assert "payout_id" in blank and "X-Note" in header
    assert recording_server.requests == []


def test_a_header_the_wire_cannot_carry_is_refused_alike_by_both_clients(recording_server: RecordingServer) -> None:
    for value in ("日本", "a\r\nX-Injected: 1"):
        with PayCombat(TOKEN, SIGNATURE_KEY, recording_server.url) as blocking, \
                pytest.raises(InvalidRequestError, match="extra_headers X-Note"):
            blocking.merchant.balance("AUD", extra_headers={"X-Note": value})
    assert recording_server.requests == []


def test_errors_and_reprs_never_show_the_credentials(sandbox: Sandbox) -> None:
    client = AsyncPayCombat("snd_secret_token_42", "secret-key-99", sandbox.url, retry=FAST_RETRY)

    async def story() -> str:
        with pytest.raises(Exception) as caught:
            await client.payouts.retrieve("po_missing")
        await client.close()
        return f"{caught.value} {caught.value!r}"

    shown = " ".join([asyncio.run(story()), repr(client), str(client), repr(client.payouts), repr(client.config)])
    assert "snd_secret_token_42" not in shown and "secret-key-99" not in shown
    assert "token=<hidden>" in repr(client)


def test_a_missing_record_is_a_not_found_error(sandbox: Sandbox) -> None:
    async def story() -> None:
        async with connected(sandbox) as client:
            await client.payouts.retrieve("po_missing")

    with pytest.raises(NotFoundError) as caught:
        asyncio.run(story())
    assert caught.value.status == 404 and caught.value.operation == "payouts.retrieve" and caught.value.request_id


def test_httpx_is_imported_only_when_an_async_client_is_made() -> None:
    code = ("import sys, paycombat_tools; assert 'httpx' not in sys.modules; "
            "paycombat_tools.AsyncPayCombat('t', 'k'); assert 'httpx' in sys.modules")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                            env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert result.returncode == 0, result.stderr
