"""A file sandbox runs WAL with synchronous=NORMAL; the webhook thread sleeps while nothing is due."""

from __future__ import annotations

import time
from decimal import Decimal
from collections.abc import Callable
from pathlib import Path

from paycombat_tools import PayCombat
from paycombat_tools.sandbox import ManualClock, Sandbox
from paycombat_tools.webhook_listener import WebhookListener


def test_a_file_database_runs_in_wal_mode_with_synchronous_normal(make_sandbox: Callable[..., Sandbox],
                                                                  tmp_path: Path) -> None:
    on_file = make_sandbox(str(tmp_path / "sandbox.db"))
    with on_file.store.transaction():
        assert on_file.store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert on_file.store.db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    in_memory = make_sandbox()
    with in_memory.store.transaction():
        assert in_memory.store.db.execute("PRAGMA journal_mode").fetchone()[0] == "memory"


def test_requests_that_queue_no_webhook_never_wake_the_delivery_thread(sandbox: Sandbox, client: PayCombat) -> None:
    client.customers.list()
    time.sleep(0.1)
    before = sandbox.dispatcher.wakeups
    for _ in range(20):
        client.customers.list()
        client.customers.create(description="x", type="individual",
                                individual={"first_name": "Ada", "last_name": "Tan", "address_country": "AU"})
    time.sleep(0.1)
    assert sandbox.dispatcher.wakeups == before


def test_a_clock_advance_that_expires_a_payin_still_sends_its_webhook(make_sandbox: Callable[..., Sandbox],
                                                                     make_client: Callable[..., PayCombat]) -> None:
    clock = ManualClock()
    sandbox = make_sandbox(clock=clock)
    client = make_client(sandbox)
    with WebhookListener(sandbox.signature_key) as listener:
        payin = client.payins.create(amount=Decimal("10.00"), currency="AUD", payin_method_name="au_bank_npp",
                                     webhook_url=listener.url)
        woken = sandbox.dispatcher.wakeups
        sandbox.control.advance_clock(7 * 24 * 3600)
        assert sandbox.wait_for_webhooks(timeout=10)
        assert sandbox.dispatcher.wakeups > woken
        assert [attempt["event_type"] for attempt in sandbox.webhook_attempts()][-1].endswith("EXPIRED")
        assert client.payins.retrieve(payin.id).status == "EXPIRED"
