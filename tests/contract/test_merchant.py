"""Get Balance Payout (EVIDENCE S14): the merchant's balance in one currency, as exact Decimals."""

from __future__ import annotations

from decimal import Decimal

from paycombat_tools.catalog import CATALOG
from paycombat_tools.models.merchant import MerchantBalance
from tests.contract.conftest import Target, envelope_problem


def test_merchant_balance(target: Target) -> None:
    balance = target.client.merchant.balance("AUD")
    assert target.wire.last().path.endswith("/api/v1/merchant/balance/AUD")
    assert envelope_problem(target.wire.last(), CATALOG["merchant.balance"]) is None
    assert isinstance(balance, MerchantBalance) and balance.currency == "AUD"
    amounts = {name: getattr(balance, name)
               for name in ("total_balance_available", "total_hold_balance", "total_balance_expected")}
    assert all(isinstance(value, Decimal) for value in amounts.values()), f"not all Decimal: {amounts}"
    assert amounts["total_balance_available"] >= 0
