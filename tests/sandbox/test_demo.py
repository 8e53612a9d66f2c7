"""The demo data set: months of realistic activity that still obeys every sandbox rule."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from paycombat_tools import PayCombat
from paycombat_tools.sandbox import ManualClock, Sandbox
from tests.sandbox.helpers import FAST_RETRY, close_in_background

START = datetime(2026, 2, 1, 12, 0, tzinfo=timezone.utc)


def build() -> Sandbox:
    return Sandbox(seed=3, clock=ManualClock(START), demo=True)


@pytest.fixture(scope="module")
def demo() -> Iterator[Sandbox]:
    sandbox = build()
    yield sandbox
    close_in_background(sandbox.close)


@pytest.fixture(scope="module")
def demo_client(demo: Sandbox) -> Iterator[PayCombat]:
    with demo.client(retry=FAST_RETRY) as client:
        yield client


def counts(sandbox: Sandbox, sql: str) -> dict[str, int]:
    with sandbox.store.transaction():
        return {row[0]: row[1] for row in sandbox.store.db.execute(sql)}


def test_demo_builds_a_busy_consistent_ledger(demo: Sandbox, demo_client: PayCombat) -> None:
    ledger_rows = demo_client.transactions.list(limit=1).total
    assert ledger_rows >= 2000
    assert demo_client.customers.list(limit=1).total >= 30
    assert demo_client.wallets.list(category="CUSTOMER", limit=1).total >= 30

    payins = counts(demo, "SELECT status, COUNT(*) FROM records WHERE kind = 'payin' GROUP BY status")
    payouts = counts(demo, "SELECT status, COUNT(*) FROM records WHERE kind = 'payout' GROUP BY status")
    assert payins.get("FAILED", 0) > 0 and payins.get("EXPIRED", 0) > 0 and payins["SUCCESS"] > 1000
    assert payouts.get("FAILED", 0) > 0 and payouts["SUCCESS"] > 100
    assert demo_client.payouts.list(status="FAILED", limit=1).total == payouts["FAILED"]
    assert demo_client.transactions.list(type="REFUND", limit=1).total > 0
    assert demo_client.transactions.list(type="PAYOUT_RELEASE", limit=1).total == payouts["FAILED"]
    demo.check_ledger()


def test_demo_spans_months_ending_now(demo: Sandbox, demo_client: PayCombat) -> None:
    first = demo_client.transactions.list(type="PAYIN", limit=1)[0]
    last_page = demo_client.transactions.list(type="PAYIN", limit=1).last_page
    last = demo_client.transactions.list(type="PAYIN", limit=1, page=last_page)[0]
    assert first.created_at is not None and last.created_at is not None
    assert (START - first.created_at).days >= 85 and last.created_at <= START
    assert demo.store.now() == START  # the demo's own clock is put back afterwards


def test_demo_is_reproducible(demo: Sandbox) -> None:
    again = build()
    try:
        def first_ids(sandbox: Sandbox, kind: str) -> list[str]:
            with sandbox.store.transaction():
                return [row[0] for row in sandbox.store.db.execute(
                    "SELECT id FROM records WHERE kind = ? ORDER BY seq LIMIT 5", (kind,))]

        for kind in ("customer", "wallet", "payin", "payout", "refund"):
            assert first_ids(again, kind) == first_ids(demo, kind), kind
        assert counts(again, "SELECT kind, COUNT(*) FROM records GROUP BY kind") == counts(
            demo, "SELECT kind, COUNT(*) FROM records GROUP BY kind")
        assert again.token == demo.token and again.signature_key == demo.signature_key
    finally:
        close_in_background(again.close)
