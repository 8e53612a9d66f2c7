"""The ``demo`` seed: customers, wallets and ~3 months of payins, payouts, failures and refunds.

Everything goes through the same operations the API serves (in-process, without HTTP), with the
clock walked day by day, so the data obeys every rule the sandbox enforces.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ._errors import ApiError
from ._fixtures import (CUSTOMER_WALLET_CURRENCIES, PAYIN_METHODS, PAYOUT_FEE, PAYOUT_METHODS,
                        SAMPLE_BENEFICIARY_FIELDS)

if TYPE_CHECKING:
    from ._server import Sandbox

FIRST_NAMES = ["Ava", "Noah", "Mia", "Liam", "Zoe", "Ethan", "Isla", "Kai", "Ruby", "Leo", "Maya", "Jun",
               "Sofia", "Arjun", "Hana", "Tom", "Lena", "Ravi", "Nina", "Sam"]
LAST_NAMES = ["Tan", "Nguyen", "Smith", "Kim", "Santos", "Lim", "Wong", "Brown", "Reyes", "Chen", "Park", "Lee"]
_TYPICAL_AMOUNT = {"AUD": 120, "SGD": 110, "NZD": 130, "THB": 3000, "PHP": 5000}


class _DemoClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def build_demo(sandbox: "Sandbox", *, seed: int = 7, days: int = 90, customers: int = 36,
               payins_per_day: int = 24, payouts_per_day: int = 10,
               progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Fill ``sandbox`` with demo data ending now; returns counts of what was created."""
    rng = random.Random(seed)
    real_clock = sandbox.store.clock
    end = real_clock()
    clock = _DemoClock(end - timedelta(days=days))
    sandbox.store.clock = clock
    _date_opening_entries(sandbox, clock.now)
    counts = {"customers": 0, "wallets": 0, "payins": 0, "payouts": 0, "refunds": 0}
    try:
        wallets = _customers_and_wallets(sandbox, rng, customers, counts)
        for day in range(days):
            start_of_day = end - timedelta(days=days - day)
            moments = sorted(start_of_day + timedelta(seconds=rng.uniform(0, 86400))
                             for _ in range(payins_per_day + payouts_per_day))
            kinds = ["payin"] * payins_per_day + ["payout"] * payouts_per_day
            rng.shuffle(kinds)
            for moment, kind in zip(moments, kinds):
                clock.now = moment
                if kind == "payin":
                    _payin(sandbox, rng, wallets, counts)
                else:
                    _payout(sandbox, rng, wallets, counts)
            if progress:
                progress(day + 1, days)
    finally:
        sandbox.store.clock = real_clock
    return counts


def _date_opening_entries(sandbox: "Sandbox", start: datetime) -> None:
    """The payout wallet's opening top-ups were written "now"; the history begins at ``start``, so do they.

    Without this the ledger (listed in the order it was written) would open with today's top-ups and
    then jump back to the first demo day.
    """
    from ._store import iso

    with sandbox.store.transaction():
        sandbox.store.db.execute("UPDATE ledger SET created_at = ?, created_ts = ? WHERE created_ts > ?",
                                 (iso(start), start.timestamp(), start.timestamp()))


def _customers_and_wallets(sandbox: "Sandbox", rng: random.Random, count: int,
                           counts: dict[str, int]) -> list[dict[str, Any]]:
    wallets = []
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        country = rng.choice(["AU", "SG", "NZ", "TH", "PH"])
        customer = sandbox.call("customers.create", description=f"Demo marketplace seller {first} {last}",
                                type="individual", organization_reference_id=f"demo-customer-{index:03d}",
                                individual={
                                    "first_name": first, "last_name": last, "dob": "1988-04-12",
                                    "nationality": country, "address_line1": f"{index + 1} Market Street",
                                    "address_city": "Capital", "address_country": country,
                                    "identification_type": "PASSPORT", "identification_value": f"P{index:07d}",
                                    "email": f"{first.lower()}.{last.lower()}{index}@example.com"})
        currencies = rng.sample(CUSTOMER_WALLET_CURRENCIES, rng.randint(1, 3))
        wallet = sandbox.call("wallets.create", customer_id=customer["customer_id"], currency=currencies[0],
                              currency_list=currencies, description=f"{first} {last}'s wallet")
        wallets.append({"wallet_id": wallet["wallet_id"], "currencies": currencies, "name": f"{first} {last}"})
        counts["customers"] += 1
        counts["wallets"] += 1
    return wallets


def _amount(rng: random.Random, currency: str) -> Decimal:
    typical = _TYPICAL_AMOUNT[currency]
    return Decimal(str(round(rng.lognormvariate(0, 0.8) * typical, 2))).quantize(Decimal("0.01"))


def _payin(sandbox: "Sandbox", rng: random.Random, wallets: list[dict[str, Any]], counts: dict[str, int]) -> None:
    wallet = rng.choice(wallets)
    currency = rng.choice(wallet["currencies"])
    method = next(name for name, m in PAYIN_METHODS.items() if m["currency"] == currency)
    payin = sandbox.call("payins.create", amount=_amount(rng, currency), currency=currency,
                         payin_method_name=method, credit_wallet_id=wallet["wallet_id"],
                         customer_full_name=wallet["name"], description="Demo order")
    counts["payins"] += 1
    outcome = rng.choices(["SUCCESS", "FAILED", "EXPIRED"], weights=[86, 8, 6])[0]
    settled = sandbox.call("payins.simulate", payin_id=payin["id"], status=outcome)
    if outcome == "SUCCESS" and rng.random() < 0.04:
        part = (Decimal(settled["amount"]) * Decimal(rng.choice(["0.5", "1"]))).quantize(Decimal("0.01"))
        try:
            sandbox.call("refunds.create", payin_id=settled["id"], amount=part, currency=currency,
                         metadata={"reason": "Customer changed their mind"})
            counts["refunds"] += 1
        except ApiError:  # the wallet may already have paid that money out
            pass


def _payout(sandbox: "Sandbox", rng: random.Random, wallets: list[dict[str, Any]], counts: dict[str, int]) -> None:
    wallet = rng.choice(wallets)
    currency = rng.choice(wallet["currencies"])
    method = next(name for name, m in PAYOUT_METHODS.items() if m["currency"] == currency)
    available = sandbox.ledger.balance(wallet["wallet_id"], currency)[0] - PAYOUT_FEE[currency]
    amount = (available * Decimal(rng.uniform(0.2, 0.6))).quantize(Decimal("0.01"))
    if amount < 5:  # the wallet cannot cover a payout and its fee
        return
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    payout = sandbox.call("payouts.create", sender_amount=amount, sender_currency=currency,
                          beneficiary_amount=amount, beneficiary_currency=currency, payout_method_name=method,
                          purpose_code=rng.choice(["SELF", "PROL", "GDDS"]), debit_wallet_id=wallet["wallet_id"],
                          payout_beneficiary_param={**SAMPLE_BENEFICIARY_FIELDS[method],
                                                    "individual": {"first_name": first, "last_name": last}})
    counts["payouts"] += 1
    outcome = rng.choices(["SUCCESS", "FAILED"], weights=[92, 8])[0]
    sandbox.call("payouts.simulate", payout_id=payout["id"], status=outcome)
