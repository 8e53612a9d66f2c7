from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from paycombat_tools import PayCombat
from paycombat_tools.analysis import pull_transactions, sum_decimal, to_dataframe, wallet_balances
from paycombat_tools.models.transactions import Transaction


def test_ledger_frame_has_exact_money_utc_times_and_string_ids(ledger: pd.DataFrame) -> None:
    assert len(ledger) > 5000
    for column in ("amount", "running_balance_available", "running_balance_actual"):
        assert ledger[column].dtype == object
        assert all(isinstance(value, Decimal) for value in ledger[column])
    assert set(ledger.attrs["decimal_columns"]) == {"amount", "running_balance_available", "running_balance_actual"}
    assert isinstance(ledger["created_at"].dtype, pd.DatetimeTZDtype) and str(ledger["created_at"].dt.tz) == "UTC"
    for column in ("transaction_id", "type", "direction", "currency", "wallet_id", "balance_type"):
        assert isinstance(ledger[column].dtype, pd.StringDtype), column
    assert ledger["transaction_id"].is_unique
    assert not any(ledger[c].dtype == float for c in ledger.columns)
    total = ledger.loc[ledger["currency"] == "AUD", "amount"].sum()
    assert isinstance(total, Decimal)  # pandas sums the Decimal objects exactly


def test_models_dicts_and_generators_all_work_and_missing_values_stay_missing() -> None:
    records = (item for item in [
        Transaction(transaction_id="t1", amount=Decimal("1.10"), currency="AUD",
                    created_at=dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.timezone.utc)),
        {"transaction_id": "t2", "amount": "2.205", "currency": "KWD", "created_at": "2026-01-03T00:00:00.000Z",
         "extra_count": 3, "flag": True},
        {"transaction_id": "t3", "amount": None, "nested": {"a": 1}, "flag": False},
    ])
    frame = to_dataframe(records)
    assert list(frame["transaction_id"]) == ["t1", "t2", "t3"]
    assert frame["amount"].tolist() == [Decimal("1.10"), Decimal("2.205"), None]  # str amounts read exactly
    assert frame["created_at"].tolist()[:2] == [pd.Timestamp("2026-01-02 03:04", tz="UTC"),
                                                pd.Timestamp("2026-01-03", tz="UTC")]
    assert pd.isna(frame["created_at"].iloc[2])
    assert str(frame["extra_count"].dtype) == "Int64" and str(frame["flag"].dtype) == "boolean"
    assert frame["nested"].iloc[2] == {"a": 1}
    assert sum_decimal(frame["amount"]) == Decimal("3.305")


def test_empty_input_and_wrong_items() -> None:
    assert to_dataframe([]).empty
    with pytest.raises(TypeError):
        to_dataframe([42])


def test_progress_bar_pull_matches_a_plain_pull(demo_client: PayCombat, capsys: pytest.CaptureFixture[str]) -> None:
    frame = pull_transactions(demo_client, page_size=1000, progress=True, type="REFUND")
    plain = to_dataframe(demo_client.transactions.list(type="REFUND", limit=7))  # many small pages
    assert frame["transaction_id"].tolist() == plain["transaction_id"].tolist()
    assert set(frame["type"]) == {"REFUND"} and len(frame) > 0
    assert "rows" in capsys.readouterr().err  # tqdm wrote its bar


def test_ledger_sums_equal_every_wallet_balance(demo_client: PayCombat, ledger: pd.DataFrame) -> None:
    """Actual balance = signed sum of actual-type entries; available = the last running available balance."""
    signed = [amount if direction == "CREDIT" else -amount
              for amount, direction in zip(ledger["amount"], ledger["direction"])]
    frame = ledger.assign(signed=pd.Series(signed, index=ledger.index, dtype=object))
    actual = frame[frame["balance_type"] == "actual"].groupby(["wallet_id", "currency"])["signed"].agg(sum_decimal)
    last_available = frame.groupby(["wallet_id", "currency"])["running_balance_available"].last()

    balances = wallet_balances(demo_client)
    assert len(balances) > 40 and set(balances["category"]) >= {"CUSTOMER", "ORGANIZATION_PAYOUT"}
    checked = 0
    for wallet_id in balances["wallet_id"].unique():
        for account in demo_client.wallets.retrieve(wallet_id).wallet_account:
            key = (wallet_id, account.currency)
            assert actual.get(key, Decimal(0)) == account.actual_balance, key
            assert last_available.get(key, Decimal(0)) == account.available_balance, key
            checked += 1
    assert checked == len(balances)
    assert (balances["actual"] != 0).sum() > 20  # the demo really moved money
