from __future__ import annotations

import math
from collections import defaultdict
from decimal import Decimal

import pandas as pd
import pytest
from matplotlib.axes import Axes

from paycombat_tools import PayCombat
from paycombat_tools.analysis import (
    balance_history,
    daily_volume,
    plot_balance_history,
    plot_daily_volume,
    plot_success_rate,
    pull_payouts,
    success_rate_by_method,
    to_dataframe,
)
from paycombat_tools.sandbox import Sandbox


def _busiest_customer_account(ledger: pd.DataFrame) -> tuple[str, str]:
    customers = ledger[ledger["wallet_category"] == "CUSTOMER"]
    wallet_id, currency = customers.groupby(["wallet_id", "currency"]).size().idxmax()
    return str(wallet_id), str(currency)


def test_balance_history_ends_at_the_wallet_balance(demo_client: PayCombat, ledger: pd.DataFrame) -> None:
    wallet_id, currency = _busiest_customer_account(ledger)
    history = balance_history(ledger, wallet_id, currency)
    pulled = balance_history(demo_client, wallet_id, currency)
    assert history["transaction_id"].tolist() == pulled["transaction_id"].tolist()
    assert isinstance(history.index, pd.DatetimeIndex) and str(history.index.tz) == "UTC"
    assert history.index.name == "created_at" and history.index.is_monotonic_increasing
    account = demo_client.wallets.retrieve(wallet_id).account(currency)
    assert history["available"].iloc[-1] == account.available_balance
    assert history["actual"].iloc[-1] == account.actual_balance
    assert all(isinstance(v, Decimal) for v in history["available"]) and min(history["available"]) >= 0
    assert history.attrs["wallet_id"] == wallet_id and history.attrs["currency"] == currency


def test_balance_history_of_an_account_without_entries_is_empty(ledger: pd.DataFrame) -> None:
    history = balance_history(ledger, "wallet_nope", "AUD")
    assert history.empty and list(history.columns)[:2] == ["available", "actual"]


def test_daily_volume_totals_equal_the_successful_payins_and_payouts(demo: Sandbox, demo_client: PayCombat,
                                                                    ledger: pd.DataFrame) -> None:
    volume = daily_volume(ledger)
    assert list(volume.columns) == ["date", "currency", "type", "amount", "count"]
    assert set(volume["type"]) == {"PAYIN", "PAYOUT"}
    assert all(isinstance(v, Decimal) for v in volume["amount"])
    assert (volume["date"] == volume["date"].dt.floor("D")).all() and str(volume["date"].dt.tz) == "UTC"
    assert volume["date"].nunique() >= 85  # about three months of days

    payin_totals: dict[str, Decimal] = defaultdict(Decimal)
    payin_counts: dict[str, int] = defaultdict(int)
    for payin in demo.store.all("payin"):  # the API has no payin list: read the sandbox's own records
        if payin["status"] == "SUCCESS":
            payin_totals[payin["amount_type"]] += Decimal(payin["amount"])
            payin_counts[payin["amount_type"]] += 1
    payins = volume[volume["type"] == "PAYIN"]
    assert {c: sum(g["amount"], Decimal(0)) for c, g in payins.groupby("currency")} == dict(payin_totals)
    assert {c: int(g["count"].sum()) for c, g in payins.groupby("currency")} == dict(payin_counts)

    payouts = pull_payouts(demo_client)
    paid = payouts[payouts["status"] == "SUCCESS"]
    expected = {c: sum(g["wire_amount"], Decimal(0)) for c, g in paid.groupby("currency")}
    out = volume[volume["type"] == "PAYOUT"]
    assert {c: sum(g["amount"], Decimal(0)) for c, g in out.groupby("currency")} == expected


def test_daily_volume_by_other_keys_and_of_nothing(ledger: pd.DataFrame) -> None:
    by_wallet = daily_volume(ledger, by=["currency", "wallet_category"])
    assert list(by_wallet.columns) == ["date", "currency", "wallet_category", "type", "amount", "count"]
    assert sum(by_wallet["amount"], Decimal(0)) == sum(daily_volume(ledger)["amount"], Decimal(0))
    empty = daily_volume(ledger[ledger["type"] == "TOPUP"])
    assert empty.empty and "amount" in empty.columns
    with pytest.raises(ValueError, match="transactions frame"):
        daily_volume(pd.DataFrame({"x": [1]}))


def _check_rates(rates: pd.DataFrame) -> None:
    assert list(rates.columns) == ["method", "total", "success", "failed", "open", "rate"]
    assert ((rates["rate"] >= 0) & (rates["rate"] <= 1)).all()
    assert (rates["success"] + rates["failed"] + rates["open"] == rates["total"]).all()
    for row in rates.itertuples():
        assert math.isclose(row.rate, row.success / (row.success + row.failed))


def test_success_rate_of_payouts_from_the_client(demo_client: PayCombat) -> None:
    rates = success_rate_by_method(demo_client)
    _check_rates(rates)
    payouts = pull_payouts(demo_client)
    assert rates["total"].sum() == len(payouts)
    assert set(rates["method"]) == {"au_bank_acct", "sg_bank_fastpayment_sgd", "nz_bank_directcredit_nzd",
                                    "th_bank_acct_thb", "ph_bank_instapay_php"}
    assert rates["success"].sum() == (payouts["status"] == "SUCCESS").sum()


def test_success_rate_of_payins_from_a_frame(demo: Sandbox) -> None:
    payins = to_dataframe(demo.store.all("payin"))
    rates = success_rate_by_method(payins)
    _check_rates(rates)
    assert rates["total"].sum() == len(payins)
    assert rates["failed"].sum() == payins["status"].isin(["FAILED", "EXPIRED"]).sum()
    with pytest.raises(ValueError, match="method column"):
        success_rate_by_method(pd.DataFrame({"status": ["SUCCESS"]}))


def test_plots_return_axes(demo_client: PayCombat, ledger: pd.DataFrame) -> None:
    ax = plot_daily_volume(ledger, currency="AUD")
    assert isinstance(ax, Axes) and {line.get_label() for line in ax.get_lines()} == {"AUD PAYIN", "AUD PAYOUT"}
    assert isinstance(plot_daily_volume(daily_volume(ledger)), Axes)

    wallet_id, currency = _busiest_customer_account(ledger)
    history = balance_history(ledger, wallet_id, currency)
    ax = plot_balance_history(history)
    assert isinstance(ax, Axes) and len(ax.get_lines()) == 2
    assert ax.get_lines()[0].get_ydata()[-1] == float(history["available"].iloc[-1])

    import matplotlib.pyplot as plt

    _, given = plt.subplots()
    assert plot_success_rate(success_rate_by_method(demo_client), ax=given) is given
    assert len(given.patches) == 5
