"""The documented ``created_at`` / ``start_time`` / ``end_time`` filters narrow every record list, as they do the ledger."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from decimal import Decimal

from paycombat_tools.sandbox import Sandbox
from paycombat_tools.sandbox._server import ManualClock

from .helpers import au_payout, create_customer_wallet, create_wallet_ready_customer

JAN = datetime(2026, 1, 10, 9, 0, tzinfo=timezone.utc)


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def test_payouts_and_customers_are_listed_by_when_they_were_created(make_sandbox: Callable[..., Sandbox]) -> None:
    clock = ManualClock(JAN)
    client = make_sandbox(clock=clock).client()
    january = au_payout(client, Decimal("10.00"))
    early_customer = create_wallet_ready_customer(client)
    clock.advance(days=31)  # 10 February
    february = au_payout(client, Decimal("11.00"))
    late_customer = create_wallet_ready_customer(client)
    feb_1 = epoch(datetime(2026, 2, 1, tzinfo=timezone.utc))

    def ids(listed: object, field: str = "id") -> set[str]:
        return {getattr(item, field) for item in listed}  # type: ignore[attr-defined]

    assert ids(client.payouts.list(start_time=feb_1)) == {february.id}
    assert ids(client.payouts.list(end_time=feb_1)) == {january.id}
    assert ids(client.payouts.list(created_at="2026-01-10")) == {january.id}
    assert ids(client.payouts.list(created_at="2026-03-01")) == set()
    assert ids(client.customers.list(start_time=feb_1), "customer_id") >= {late_customer.customer_id}
    assert early_customer.customer_id not in ids(client.customers.list(start_time=feb_1), "customer_id")
    assert early_customer.customer_id in ids(client.customers.list(end_time=feb_1), "customer_id")


def test_end_time_is_exclusive_and_start_time_inclusive(make_sandbox: Callable[..., Sandbox]) -> None:
    clock = ManualClock(JAN)
    client = make_sandbox(clock=clock).client()
    payout = au_payout(client, Decimal("10.00"))
    at = epoch(JAN)
    assert [p.id for p in client.payouts.list(start_time=at)] == [payout.id]
    assert [p.id for p in client.payouts.list(end_time=at)] == []
    assert [p.id for p in client.payouts.list(start_time=at, end_time=at + 1)] == [payout.id]


def test_wallets_and_beneficiaries_filter_on_creation_time_too(make_sandbox: Callable[..., Sandbox]) -> None:
    clock = ManualClock(JAN)
    client = make_sandbox(clock=clock).client()
    grace = client.beneficiaries.create(type="individual", beneficiary_name="Grace Ho", currency="AUD",
                                        payout_method_name="au_bank_acct", bsb="062-000", account_number="12345678",
                                        individual={"first_name": "Grace", "last_name": "Ho"})
    old_wallets = {w.wallet_id for w in client.wallets.list()}
    clock.advance(days=1)
    wallet = create_customer_wallet(client)
    jun = client.beneficiaries.create(type="individual", beneficiary_name="Jun Park", currency="AUD",
                                      payout_method_name="au_bank_acct", bsb="062-000", account_number="87654321",
                                      individual={"first_name": "Jun", "last_name": "Park"})
    since = epoch(clock())
    assert [w.wallet_id for w in client.wallets.list(start_time=since)] == [wallet.wallet_id]
    assert old_wallets == {w.wallet_id for w in client.wallets.list(end_time=since)}
    assert [b.payout_beneficiary_id for b in client.beneficiaries.list(start_time=since)] == [jun.payout_beneficiary_id]
    assert [b.payout_beneficiary_id for b in client.beneficiaries.list(end_time=since)] == [grace.payout_beneficiary_id]
