"""Seek paging: every list endpoint serves, page by page, exactly the bytes of "the whole filtered list, sliced".

The oracle below is how the sandbox paged before (every record of the kind loaded and filtered in
Python; the ledger with OFFSET and a COUNT per page), computed straight from the SQLite file.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests

from paycombat_tools.catalog import CATALOG
from paycombat_tools.sandbox import Sandbox
from paycombat_tools.sandbox._store import from_minor
from paycombat_tools.signing import canonical_json

#: (operation, record kind, {query parameter: the record field it compares}) for the record lists
RECORD_LISTS = [
    ("payouts.list", "payout", {"status": "status", "currency": "currency", "payout_method_name": "beneficiary_bank"}),
    ("customers.list", "customer", {"type": "type"}),
    ("wallets.list", "wallet", {"category": "category", "customer_id": "customer_id"}),
    ("beneficiaries.list", "beneficiary", {"type": "type"}),
    ("checkouts.list", "checkout", {"status": "status", "currency": "currency"}),
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """The demo data set on a file, plus beneficiaries, payment requests and a deleted customer."""
    sandbox = Sandbox(str(tmp_path_factory.mktemp("paging") / "demo.db"), seed=11, demo=True)
    for index in range(23):
        sandbox.call("beneficiaries.create", type="individual" if index % 3 else "company",
                     beneficiary_name=f"Payee {index}", currency="AUD", payout_method_name="au_bank_acct",
                     bsb="062-000", account_number=f"1234{index:04d}",
                     individual={"first_name": "Grace", "last_name": f"Ho {index}"},
                     company={"name": f"Payee {index} Pty"})
    for index in range(17):
        sandbox.call("checkouts.create_payment_request", amount=Decimal(5 + index),
                     currency="AUD" if index % 2 else "SGD", country_code="AU" if index % 2 else "SG")
    customer = sandbox.call("customers.list", limit=1)["data"][0]["customer_id"]
    sandbox.call("customers.delete", {"customer_id": customer})
    yield sandbox
    sandbox.close()


def get(sandbox: Sandbox, name: str, **params: Any) -> bytes:
    response = requests.get(sandbox.url + CATALOG[name].path, params=params, headers={"X-token": sandbox.token},
                            timeout=30)
    assert response.status_code == 200, response.text
    return response.content


def envelope(items: list[Any], total: int, page: int, limit: int) -> bytes:
    data = {"current_page": page, "per_page": limit, "total": total,
            "last_page": max((total + limit - 1) // limit, 1), "data": items}
    return canonical_json({"status": True, "message": "OK", "data": data}, exact=False)


def oracle_records(sandbox: Sandbox, name: str, kind: str, fields: dict[str, str],
                   params: dict[str, Any], limit: int) -> Callable[[int], bytes]:
    """Every record of the kind, filtered in Python, sliced: the pages as they were served before."""
    with sandbox.store.transaction():
        rows = [json.loads(row[0], parse_float=Decimal) for row in sandbox.store.db.execute(
            "SELECT data FROM records WHERE kind = ? ORDER BY seq", (kind,))]
    kept = [row for row in rows if all(row.get(fields[key]) == value for key, value in params.items()
                                       if key != "include_deleted")]
    if name == "customers.list" and not params.get("include_deleted"):
        kept = [row for row in kept if not row.get("deleted_at")]

    def page(number: int) -> bytes:
        window = kept[(number - 1) * limit: number * limit]
        if name == "wallets.list":
            with sandbox.store.transaction():
                window = [sandbox.ledger.wallet(row["wallet_id"]) for row in window]
        return envelope(window, len(kept), number, limit)

    return page


def oracle_transactions(sandbox: Sandbox, params: dict[str, Any], page: int, limit: int) -> bytes:
    """The ledger with OFFSET and a COUNT, each row shown as the Transaction endpoints show it."""
    where = " AND ".join(["1 = 1", *(f"l.{key} = ?" for key in params)])
    with sandbox.store.transaction():
        db = sandbox.store.db
        total = db.execute(f"SELECT COUNT(*) FROM ledger l WHERE {where}", tuple(params.values())).fetchone()[0]
        rows = db.execute("SELECT l.*, r.data AS wallet FROM ledger l LEFT JOIN records r ON r.kind = 'wallet' "
                          f"AND r.id = l.wallet_id WHERE {where} ORDER BY l.seq LIMIT ? OFFSET ?",
                          (*params.values(), limit, (page - 1) * limit)).fetchall()
    return envelope([_transaction(row) for row in rows], total, page, limit)


def _transaction(row: sqlite3.Row) -> dict[str, Any]:
    currency, delta = row["currency"], row["delta_actual"] or row["delta_available"]
    return {
        "transaction_id": row["transaction_id"], "type": row["type"],
        "direction": "CREDIT" if delta > 0 else "DEBIT", "status": "COMPLETED",
        "amount": from_minor(abs(delta), currency), "currency": currency, "wallet_id": row["wallet_id"],
        "wallet_category": json.loads(row["wallet"])["category"] if row["wallet"] else None,
        "reference_id": row["reference_id"], "balance_type": "actual" if row["delta_actual"] else "available",
        "running_balance_available": from_minor(row["running_available"], currency),
        "running_balance_actual": from_minor(row["running_actual"], currency),
        "description": row["description"], "created_at": row["created_at"],
    }


def filters_for(sandbox: Sandbox, kind: str, fields: dict[str, str]) -> list[dict[str, Any]]:
    """No filter, then each filter with the values the data holds (and one it does not)."""
    with sandbox.store.transaction():
        rows = [json.loads(row[0]) for row in sandbox.store.db.execute(
            "SELECT data FROM records WHERE kind = ?", (kind,))]
    chosen: list[dict[str, Any]] = [{}]
    for key, field in fields.items():
        values = sorted({str(row.get(field)) for row in rows if row.get(field) is not None})[:3]
        absent = {"currency": ["JPY"], "type": []}.get(key, ["NOTHING-HAS-THIS"])  # valid, yet in no record
        chosen += [{key: value} for value in [*values, *absent]]
    if len(fields) > 1 and rows:
        first = rows[len(rows) // 2]
        chosen.append({key: first[field] for key, field in fields.items() if first.get(field) is not None})
    return chosen


def walk_orders(last_page: int) -> list[list[int]]:
    """Forwards as a bulk pull goes, backwards, and jumping around (past the end too)."""
    pages = list(range(1, last_page + 2))
    shuffled = pages[:]
    random.Random(last_page).shuffle(shuffled)
    return [pages, pages[::-1], shuffled]


@pytest.mark.parametrize(("name", "kind", "fields"), RECORD_LISTS, ids=[name for name, *_ in RECORD_LISTS])
def test_record_lists_serve_the_same_bytes_as_the_filtered_list_sliced(demo: Sandbox, name: str, kind: str,
                                                                       fields: dict[str, str]) -> None:
    extra = [{"include_deleted": "true"}] if name == "customers.list" else []
    for params in filters_for(demo, kind, fields) + extra:
        for limit in (1, 7, 100):
            expected = oracle_records(demo, name, kind, fields, _typed(params), limit)
            last_page = json.loads(expected(1))["data"]["last_page"]
            for order in walk_orders(min(last_page, 30)) if limit > 1 else [list(range(1, min(last_page, 40)))]:
                for page in order:
                    assert get(demo, name, page=page, limit=limit, **params) == expected(page), (params, limit, page)


def _typed(params: dict[str, Any]) -> dict[str, Any]:
    return {key: (value == "true" if key == "include_deleted" else value) for key, value in params.items()}


def test_transaction_pages_are_the_ledger_with_offset_byte_for_byte(demo: Sandbox) -> None:
    with demo.store.transaction():
        some = demo.store.db.execute("SELECT * FROM ledger ORDER BY seq LIMIT 1 OFFSET 4000").fetchone()
    for params in ({}, {"type": "PAYIN"}, {"currency": some["currency"]}, {"wallet_id": some["wallet_id"]},
                   {"reference_id": some["reference_id"]}, {"type": some["type"], "wallet_id": some["wallet_id"]}):
        params = {key: value for key, value in params.items() if value is not None}
        for limit in (10, 1000):
            last_page = json.loads(oracle_transactions(demo, params, 1, limit))["data"]["last_page"]
            for order in walk_orders(last_page):
                for page in order[:50]:
                    assert get(demo, "transactions.list", page=page, limit=limit, **params) == \
                        oracle_transactions(demo, params, page, limit), (params, limit, page)


def test_a_late_page_costs_the_database_no_more_work_than_an_early_one(demo: Sandbox) -> None:
    """Counted in SQLite virtual-machine steps (deterministic), walking the ledger as a bulk pull does."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    def cost(page: int) -> int:
        steps[0] = 0
        demo.store.db.set_progress_handler(count, 100)
        try:
            demo.call("transactions.list", page=page, limit=10)
        finally:
            demo.store.db.set_progress_handler(None, 100)
        return steps[0]

    pages = demo.call("transactions.list", limit=10)["last_page"]
    costs = {page: cost(page) for page in range(1, pages + 1)}
    early, late = max(costs[page] for page in range(2, 12)), max(costs[page] for page in range(pages - 10, pages))
    assert pages > 500 and late <= early * 1.5 + 5, (early, late)


def test_totals_follow_writes_of_this_sandbox_and_rollbacks(make_sandbox: Callable[..., Sandbox]) -> None:
    sandbox = make_sandbox()
    assert sandbox.call("customers.list")["total"] == 0
    with pytest.raises(RuntimeError), sandbox.store.transaction():
        sandbox.store.insert("customer", {"customer_id": "cus_rolled_back", "type": "individual"},
                            id_field="customer_id")
        assert sandbox.call("customers.list")["total"] == 1  # seen inside the transaction...
        raise RuntimeError("undo")
    assert sandbox.call("customers.list")["total"] == 0  # ...and gone with it
    created = sandbox.call("customers.create", description="x", type="individual",
                           individual={"first_name": "Ada", "last_name": "Tan", "address_country": "AU"})
    listed = sandbox.call("customers.list")
    assert listed["total"] == 1 and listed["data"][0]["customer_id"] == created["customer_id"]
    sandbox.call("customers.delete", {"customer_id": created["customer_id"]})
    assert sandbox.call("customers.list")["total"] == 0
    assert sandbox.call("customers.list", include_deleted=True)["total"] == 1


def test_a_change_committed_by_another_connection_to_the_file_is_seen_by_the_next_page(tmp_path: Path) -> None:
    with Sandbox(str(tmp_path / "shared.db"), seed=5) as sandbox:
        before = sandbox.call("transactions.list", limit=2)
        wallets = sandbox.call("wallets.list", category="ORGANIZATION_FEES")
        other = sqlite3.connect(tmp_path / "shared.db")
        other.execute("UPDATE ledger SET type = 'ADJUSTMENT' WHERE seq = (SELECT MIN(seq) FROM ledger)")
        other.execute("UPDATE records SET data = json_set(data, '$.category', 'ELSEWHERE') "
                      "WHERE kind = 'wallet' AND alt_id = 'ORGANIZATION_FEES'")
        other.commit()
        other.close()
        assert sandbox.call("transactions.list", limit=2, type="ADJUSTMENT")["total"] == 1
        assert sandbox.call("transactions.list", limit=2)["total"] == before["total"]
        assert wallets["total"] == 1 and sandbox.call("wallets.list", category="ORGANIZATION_FEES")["total"] == 0
