"""Bulk pulls: columns straight from the page dicts, equal to the model path, exact in pandas and Arrow."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pytest

from paycombat_tools import PayCombat
from paycombat_tools._columns import Columns
from paycombat_tools.analysis import pull_payouts, pull_transactions, to_dataframe
from paycombat_tools.errors import ServerError
from paycombat_tools.models.transactions import Transaction


def test_bulk_ledger_pull_equals_the_model_path_row_for_row(demo_client: PayCombat, ledger: pd.DataFrame) -> None:
    models = to_dataframe(demo_client.transactions.list(limit=1000))
    pd.testing.assert_frame_equal(ledger, models)
    assert ledger.attrs == models.attrs
    for column in ledger.attrs["decimal_columns"]:  # the same Decimals, digit for digit (120.50, not 120.5)
        assert [str(v) for v in ledger[column]] == [str(v) for v in models[column]]


def test_bulk_payout_pull_equals_the_model_path(demo_client: PayCombat) -> None:
    pd.testing.assert_frame_equal(pull_payouts(demo_client, page_size=100), to_dataframe(demo_client.payouts.list(limit=100)))


def test_arrow_backend_holds_money_as_decimal128_never_float(demo_client: PayCombat, ledger: pd.DataFrame) -> None:
    table = pull_transactions(demo_client, page_size=1000, progress=False, backend="arrow")
    assert isinstance(table, pa.Table) and table.num_rows == len(ledger)
    for column in ("amount", "running_balance_available", "running_balance_actual"):
        assert table.schema.field(column).type == pa.decimal128(38, 2)
        assert table[column].to_pylist() == list(ledger[column])
    assert table.schema.field("created_at").type == pa.timestamp("us", tz="UTC")
    assert not any(pa.types.is_floating(field.type) for field in table.schema)


def test_mixed_minor_units_keep_each_currencys_places() -> None:
    rows = [{"transaction_id": "t1", "amount": Decimal("120.5"), "currency": "AUD"},
            {"transaction_id": "t2", "amount": 1500, "currency": "JPY"},
            {"transaction_id": "t3", "amount": Decimal("1.25"), "currency": "KWD"},
            {"transaction_id": "t4", "amount": "7", "currency": "AUD", "surprise": 1}]
    columns = Columns(Transaction, operation="transactions.list")
    columns.add(rows)
    frame = columns.to_pandas()
    assert [str(v) for v in frame["amount"]] == ["120.50", "1500", "1.250", "7.00"]
    pd.testing.assert_frame_equal(frame, to_dataframe(Transaction.model_validate(row) for row in rows))
    table = columns.to_arrow()
    assert table.schema.field("amount").type == pa.decimal128(38, 3)
    assert table["amount"].to_pylist() == [Decimal("120.5"), Decimal(1500), Decimal("1.25"), Decimal(7)]


@pytest.mark.parametrize(("field", "value", "problem"), [
    ("amount", 1.5, "expected an exact number, got float"),
    ("amount", "12,5", "is not a number"),
    ("type", 7, "expected text, got int"),
    ("created_at", "yesterday", "is not an ISO 8601 date-time"),
    ("transaction_id", None, "a value is required"),
])
def test_a_bad_value_names_its_field_and_row_and_nothing_is_added(field: str, value: object, problem: str) -> None:
    good = {"transaction_id": "t1", "amount": Decimal("1.00"), "currency": "AUD", "type": "PAYIN",
            "created_at": "2026-01-02T03:04:05.000Z"}
    columns = Columns(Transaction, operation="transactions.list")
    columns.add([good])
    with pytest.raises(ServerError, match=rf"transactions.list: row 3 field '{field}': .*{problem}"):
        columns.add([good, {**good, field: value}])
    assert columns.count == 1 and len(columns.money["amount"]) == 1
