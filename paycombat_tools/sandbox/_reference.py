"""Read-only endpoints: master data, payment methods, merchant balances and the transaction ledger."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..money import minor_unit
from ._errors import ApiError
from ._fixtures import COUNTRIES, payment_methods
from ._ledger import ORG_CATEGORIES
from ._registry import Context, Result, handles, page_envelope, page_window
from ._store import from_minor


@handles("master_data.list_countries_currencies")
def list_countries(ctx: Context, path: dict[str, str], body: Any) -> Result:
    return "OK", COUNTRIES


@handles("payment_methods.list_by_currency")
def list_payment_methods(ctx: Context, path: dict[str, str], params: Any) -> Result:
    rows = payment_methods()
    if params.currency:
        rows = [row for row in rows if row["currency"] == params.currency.upper()]
    return "OK", rows


@handles("merchant.balance")
def merchant_balance(ctx: Context, path: dict[str, str], body: Any) -> Result:
    currency = path["currency"].upper()
    try:
        minor_unit(currency)
    except ValueError:
        raise ApiError(422, f"currency: {path['currency']!r} is not an ISO 4217 code") from None
    wallet_ids = [ctx.ledger.org_wallet_id(category) for category in ORG_CATEGORIES[:2]]
    marks = ",".join("?" * len(wallet_ids))
    row = ctx.store.db.execute(
        f"SELECT COALESCE(SUM(available), 0) a, COALESCE(SUM(actual), 0) b FROM accounts "
        f"WHERE currency = ? AND wallet_id IN ({marks})", (currency, *wallet_ids),
    ).fetchone()
    available, actual = from_minor(row["a"], currency), from_minor(row["b"], currency)
    payin_wallet = wallet_ids[0]
    expected = sum((Decimal(p["amount"]) for p in ctx.store.with_status("payin", "PENDING")
                    if p["amount_type"] == currency and p["credit_wallet_id"] == payin_wallet), Decimal(0))
    return "OK", {"currency": currency, "total_balance_available": available,
                  "total_hold_balance": actual - available, "total_balance_expected": actual + expected}


_FILTERS = {"type": "l.type = ?", "currency": "l.currency = ?", "wallet_id": "l.wallet_id = ?",
            "reference_id": "l.reference_id = ?"}


@handles("transactions.list")
def list_transactions(ctx: Context, path: dict[str, str], params: Any) -> Result:
    clauses, values = ["1 = 1"], []
    for name, clause in _FILTERS.items():
        value = getattr(params, name, None)
        if value:
            clauses.append(clause)
            values.append(value.upper() if name in ("type", "currency") else value)
    if params.status and params.status.upper() != "COMPLETED":
        clauses.append("0 = 1")
    if params.created_at:
        clauses.append("substr(l.created_at, 1, 10) = ?")
        values.append(params.created_at)
    for name, op in (("start_time", ">="), ("end_time", "<")):
        value = getattr(params, name, None)
        if value is not None:
            clauses.append(f"l.created_ts {op} ?")
            values.append(value)
    where, args = " AND ".join(clauses), tuple(values)
    page, limit = page_window(params)
    rows, total = ctx.ledger.page(where=where, params=args, page=page, limit=limit)
    return "OK", page_envelope(rows, total, page, limit)


@handles("transactions.retrieve")
def retrieve_transaction(ctx: Context, path: dict[str, str], body: Any) -> Result:
    rows = ctx.ledger.transactions(where="l.transaction_id = ?", params=(path["transaction_id"],))
    if not rows:
        raise ApiError(404, f"Transaction {path['transaction_id']!r} not found")
    return "OK", rows[0]
