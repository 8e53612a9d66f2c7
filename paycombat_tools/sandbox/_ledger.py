"""Wallets, their per-currency accounts, and the postings that move money between them."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from typing import Any

from ..money import format_money
from ._errors import ApiError
from ._fixtures import OPENING_PAYOUT_BALANCE, ORG_CURRENCIES
from ._paging import Listing
from ._store import Store, from_minor, iso, to_minor

ORG_CATEGORIES = ("ORGANIZATION_PAYIN", "ORGANIZATION_PAYOUT", "ORGANIZATION_FEES")
#: the category of the wallet a ledger row belongs to (records ``r`` joined on the wallet id)
_WALLET_CATEGORY = "json_extract(r.data, '$.category') AS wallet_category"


class Ledger:
    """Every balance change is a posting: one ledger row plus the account update, atomically."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- wallets -------------------------------------------------------------------------------------

    def open_wallet(self, *, category: str, currencies: list[str], customer_id: str | None = None,
                    description: str | None = None, webhook_url: str | None = None,
                    alias: str | None = None) -> dict[str, Any]:
        store = self.store
        wallet_id = f"wallet_{store.hex32()}"
        created = iso(store.now())
        for currency in currencies:
            store.db.execute("INSERT INTO accounts (wallet_account_id, wallet_id, currency) VALUES (?, ?, ?)",
                             (f"wallet_account_{store.hex32()}", wallet_id, currency))
        record: dict[str, Any] = {
            "wallet_id": wallet_id, "wallet_alias": alias or wallet_id, "category": category,
            "scope": "ORGANIZATION" if category in ORG_CATEGORIES else "CUSTOMER",
            "customer_id": customer_id, "description": description, "is_active": True,
            "is_deleted": False, "metadata": {}, "org_id": store.meta("org_id"), "raw_data": None,
            "webhook_url": webhook_url, "created_at": created, "updated_at": created, "deleted_at": None,
        }
        store.insert("wallet", record, id_field="wallet_id", alt_id=category if category in ORG_CATEGORIES else None)
        return record

    def open_organisation_wallets(self) -> None:
        """The auto-created Payin, Payout and Fees wallets; the payout wallet starts funded."""
        for category in ORG_CATEGORIES:
            self.open_wallet(category=category, currencies=list(ORG_CURRENCIES),
                             alias=category.split("_")[1].capitalize() + " wallet")
        payout_wallet = self.org_wallet_id("ORGANIZATION_PAYOUT")
        for currency, amount in OPENING_PAYOUT_BALANCE.items():
            self.post(payout_wallet, currency, Decimal(amount), Decimal(amount), kind="TOPUP",
                      reference_id=None, description="Opening balance of the sandbox payout wallet")

    def org_wallet_id(self, category: str) -> str:
        return str(self.store.get("wallet", category)["wallet_id"])

    def wallet(self, wallet_id: str) -> dict[str, Any]:
        """The wallet record with its live accounts, as the API returns it."""
        record = self.store.get("wallet", wallet_id, label="Wallet")
        record["wallet_account"] = self.accounts(record["wallet_id"])
        return record

    def accounts(self, wallet_id: str) -> list[dict[str, Any]]:
        rows = self.store.db.execute(
            "SELECT * FROM accounts WHERE wallet_id = ? ORDER BY rowid", (wallet_id,)
        ).fetchall()
        wallet = self.store.get("wallet", wallet_id)
        return [
            {
                "wallet_account_id": row["wallet_account_id"], "wallet_id": wallet_id, "currency": row["currency"],
                "actual_balance": from_minor(row["actual"], row["currency"]),
                "available_balance": from_minor(row["available"], row["currency"]),
                "is_settlement_allowed": True, "is_active": True, "is_deleted": False,
                "org_id": wallet["org_id"], "created_at": wallet["created_at"],
                "updated_at": wallet["updated_at"], "deleted_at": None,
            }
            for row in rows
        ]

    def balance(self, wallet_id: str, currency: str) -> tuple[Decimal, Decimal]:
        """(available, actual) of one wallet account."""
        row = self._account(wallet_id, currency)
        return from_minor(row["available"], currency), from_minor(row["actual"], currency)

    # -- postings ----------------------------------------------------------------------------------

    def post(self, wallet_id: str, currency: str, available: Decimal, actual: Decimal, *, kind: str,
             reference_id: str | None, description: str) -> dict[str, Any]:
        """Change one account by (available, actual) and write the ledger row; refuses overdrafts."""
        store = self.store
        account = self._account(wallet_id, currency)
        delta_available, delta_actual = to_minor(available, currency), to_minor(actual, currency)
        try:
            store.db.execute(
                "UPDATE accounts SET available = available + ?, actual = actual + ? WHERE wallet_account_id = ?",
                (delta_available, delta_actual, account["wallet_account_id"]),
            )
        except sqlite3.IntegrityError:
            have = format_money(from_minor(account["available"], currency), currency)
            raise ApiError(400, f"Insufficient balance: wallet {wallet_id} has {have} available, "
                                f"{format_money(-available, currency)} needed") from None
        entry = {
            "transaction_id": f"w_txn_{store.hex32()}", "wallet_id": wallet_id, "currency": currency,
            "type": kind, "reference_id": reference_id, "delta_available": delta_available,
            "delta_actual": delta_actual, "running_available": account["available"] + delta_available,
            "running_actual": account["actual"] + delta_actual, "description": description,
            "created_at": iso(store.now()), "created_ts": store.now().timestamp(),
        }
        store.db.execute(
            "INSERT INTO ledger (transaction_id, wallet_id, currency, type, reference_id, delta_available, "
            "delta_actual, running_available, running_actual, description, created_at, created_ts) "
            "VALUES (:transaction_id, :wallet_id, :currency, :type, :reference_id, :delta_available, "
            ":delta_actual, :running_available, :running_actual, :description, :created_at, :created_ts)",
            entry,
        )
        return entry

    def _account(self, wallet_id: str, currency: str) -> sqlite3.Row:
        row = self.store.db.execute(
            "SELECT * FROM accounts WHERE wallet_id = ? AND currency = ?", (wallet_id, currency)
        ).fetchone()
        if row is None:
            raise ApiError(400, f"Wallet {wallet_id} has no {currency} account")
        return row  # type: ignore[no-any-return]

    # -- reading the ledger ------------------------------------------------------------------------

    def transactions(self, *, where: str = "1 = 1", params: tuple[Any, ...] = (), limit: int = -1,
                     offset: int = 0) -> list[dict[str, Any]]:
        rows = self.store.db.execute(
            f"SELECT l.*, {_WALLET_CATEGORY} FROM ledger l "
            "LEFT JOIN records r ON r.kind = 'wallet' AND r.id = l.wallet_id "
            f"WHERE {where} ORDER BY l.seq LIMIT ? OFFSET ?", (*params, limit, offset),
        ).fetchall()
        return [transaction_view(row) for row in rows]

    def page(self, *, where: str = "1 = 1", params: tuple[Any, ...] = (), page: int = 1,
             limit: int = 10) -> tuple[list[dict[str, Any]], int]:
        """(one page of transactions in ledger order, how many pass the filter), by key seek."""
        listing = Listing("ledger l", "l.seq", where, params, select=f"l.*, {_WALLET_CATEGORY}",
                          joins="LEFT JOIN records r ON r.kind = 'wallet' AND r.id = l.wallet_id")
        rows, total = self.store.pager.page(listing, page, limit)
        return [transaction_view(row) for row in rows], total

    def count(self, *, where: str = "1 = 1", params: tuple[Any, ...] = ()) -> int:
        return int(self.store.db.execute(f"SELECT COUNT(*) FROM ledger l WHERE {where}", params).fetchone()[0])

    def totals(self) -> dict[tuple[str, str], tuple[int, int]]:
        """Sum of ledger deltas per (wallet, currency): always equal to the account balances."""
        rows = self.store.db.execute(
            "SELECT wallet_id, currency, SUM(delta_available) a, SUM(delta_actual) b FROM ledger "
            "GROUP BY wallet_id, currency"
        ).fetchall()
        return {(row["wallet_id"], row["currency"]): (row["a"], row["b"]) for row in rows}


def transaction_view(row: sqlite3.Row) -> dict[str, Any]:
    """A ledger row as the Transaction endpoints show it."""
    currency = row["currency"]
    delta = row["delta_actual"] or row["delta_available"]
    return {
        "transaction_id": row["transaction_id"], "type": row["type"],
        "direction": "CREDIT" if delta > 0 else "DEBIT", "status": "COMPLETED",
        "amount": from_minor(abs(delta), currency), "currency": currency, "wallet_id": row["wallet_id"],
        "wallet_category": row["wallet_category"], "reference_id": row["reference_id"],
        "balance_type": "actual" if row["delta_actual"] else "available",
        "running_balance_available": from_minor(row["running_available"], currency),
        "running_balance_actual": from_minor(row["running_actual"], currency),
        "description": row["description"], "created_at": row["created_at"],
    }
