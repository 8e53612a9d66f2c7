"""Fixtures for the sandbox suite: a fresh sandbox per test, a client on it, a webhook listener.

Every test talks to the sandbox over real HTTP on loopback through ``PayCombat``; nothing is mocked.
Arrangements (a wallet-ready customer, a funded customer wallet, ...) live in ``helpers.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from paycombat_tools import PayCombat
from paycombat_tools.sandbox import Sandbox
from paycombat_tools.webhook_listener import WebhookListener
from tests.sandbox.helpers import (
    FAST_RETRY,
    Recorder,
    FAST_WEBHOOK_BACKOFF,
    SEED,
    close_in_background,
    create_customer_wallet,
    create_wallet_ready_customer,
    fund_wallet,
    join_closing_servers,
)
from tests.sandbox.sandbox_process import SandboxProcess


@pytest.fixture(scope="session", autouse=True)
def _join_closing_servers() -> Iterator[None]:
    yield
    join_closing_servers()


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., Sandbox]]:
    """``make_sandbox(**options)``: extra sandboxes (clock, faults, backoff...), all closed after the test."""
    opened: list[Sandbox] = []

    def make(db: str = ":memory:", **options: Any) -> Sandbox:
        options.setdefault("seed", SEED)
        options.setdefault("webhook_backoff", FAST_WEBHOOK_BACKOFF)
        sandbox = Sandbox(db, **options)
        opened.append(sandbox)
        return sandbox

    yield make
    for sandbox in reversed(opened):
        sandbox.wait_for_webhooks(timeout=2)
        close_in_background(sandbox.close)


@pytest.fixture
def sandbox(make_sandbox: Callable[..., Sandbox]) -> Sandbox:
    """A fresh, seeded in-memory sandbox for one test."""
    return make_sandbox()


@pytest.fixture
def start_sandbox_process() -> Iterator[Callable[..., SandboxProcess]]:
    """``start_sandbox_process(db, seed=None)``: the standalone sandbox as an OS process, stopped after the test."""
    started: list[SandboxProcess] = []

    def start(db: Path, **options: Any) -> SandboxProcess:
        process = SandboxProcess(db, **options)
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


@pytest.fixture
def make_client() -> Iterator[Callable[..., PayCombat]]:
    """``make_client(sandbox, **options)``: a client with fast retries, closed after the test."""
    clients: list[PayCombat] = []

    def make(target: Sandbox, **options: Any) -> PayCombat:
        options.setdefault("retry", FAST_RETRY)
        client = target.client(**options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(sandbox: Sandbox, make_client: Callable[..., PayCombat]) -> PayCombat:
    return make_client(sandbox)


@pytest.fixture
def listener(sandbox: Sandbox) -> Iterator[WebhookListener]:
    """A local webhook receiver that verifies every delivery with the sandbox's signature key."""
    receiver = WebhookListener(sandbox.signature_key)
    yield receiver
    close_in_background(receiver.close)


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    """A webhook receiver that keeps raw bodies and headers, for checks with ``verify_webhook``."""
    receiver = Recorder()
    yield receiver
    close_in_background(receiver.close)


@pytest.fixture
def wallet_ready_customer(client: PayCombat) -> Any:
    return create_wallet_ready_customer(client)


@pytest.fixture
def funded_wallet(client: PayCombat) -> Any:
    """A customer AUD wallet holding exactly 990.00 AUD (a 1000.00 payin minus its 1% fee)."""
    wallet = create_customer_wallet(client, ("AUD",))
    fund_wallet(client, wallet.wallet_id, Decimal("1000.00"))
    return wallet
