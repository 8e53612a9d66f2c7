from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from paycombat_tools import PayCombat
from paycombat_tools.sandbox import ManualClock, Sandbox
from paycombat_tools.widgets import TransactionBrowser

from .support import open_customer_wallet, successful_payin

START = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def ledger() -> Iterator[tuple[Sandbox, PayCombat, str]]:
    """An opening TOPUP per organisation currency on 1 March, then one AUD payin a day for 8 days (3 ledger entries each)."""
    clock = ManualClock(START)
    with Sandbox(seed=5, clock=clock) as sandbox, sandbox.client() as client:
        wallet_id = open_customer_wallet(client)
        for day in range(8):
            clock.advance(days=1)
            successful_payin(client, wallet_id, f"{100 + day}.00")
        yield sandbox, client, wallet_id


def test_opens_on_the_first_page_and_pages_forward_and_back(ledger: tuple[Sandbox, PayCombat, str]) -> None:
    _, client, _ = ledger
    openings = int(client.transactions.list(type="TOPUP", limit=1).total)  # one per organisation currency
    total = openings + 8 * 3
    pages = -(-total // 10)
    assert pages >= 3
    browser = TransactionBrowser(client, page_size=10)
    assert browser.page_number == 1 and len(browser.items) == 10 and browser.page.total == total
    assert browser.prev_button.disabled and not browser.next_button.disabled
    assert f"Page 1 of {pages}" in browser.page_label.value and f"{total} transactions" in browser.page_label.value
    assert "TOPUP" not in set(browser.shown["Type"])  # newest first: the opening top-ups are on the last page
    assert browser.items[0].created_at == max(t.created_at for t in browser.items)

    for _ in range(pages - 1):
        browser.next_button.click()
    assert browser.page_number == pages and browser.next_button.disabled and not browser.prev_button.disabled
    assert browser.items[-1].type == "TOPUP"  # the oldest entry ends the last page
    last_ids = [t.transaction_id for t in browser.items]
    browser.next()  # already on the last page
    assert browser.page_number == pages and "last page" in browser.status.value
    browser.prev_button.click()
    assert browser.page_number == pages - 1
    assert not set(last_ids) & {t.transaction_id for t in browser.items}
    browser.page_size.value = 20
    browser.search()
    assert browser.page_number == 1 and len(browser.items) == 20


def test_filters_by_type_currency_wallet_and_status(ledger: tuple[Sandbox, PayCombat, str]) -> None:
    sandbox, client, wallet_id = ledger
    browser = TransactionBrowser(client)
    browser.type.value = "PAYIN"
    browser.search_button.click()
    assert len(browser.items) == 8 and {t.type for t in browser.items} == {"PAYIN"}
    assert "107.00" in set(browser.shown["Amount"]) and set(browser.shown["Currency"]) == {"AUD"}

    browser.type.value = ""
    browser.currency.value = "SGD"
    browser.search()
    assert [t.type for t in browser.items] == ["TOPUP"]  # only the payout wallet's opening SGD balance

    browser.currency.value = ""
    browser.wallet_id.value = sandbox.org_wallet_id("fees")
    browser.search()
    assert len(browser.items) == 8 and {t.type for t in browser.items} == {"FEE"}

    browser.wallet_id.value = wallet_id
    browser.status_filter.value = "FAILED"
    browser.search()
    assert browser.items == [] and browser.shown.empty
    browser.status_filter.value = "COMPLETED"
    browser.search()
    assert len(browser.items) == 16


def test_date_pickers_map_to_whole_utc_days(ledger: tuple[Sandbox, PayCombat, str]) -> None:
    _, client, _ = ledger
    browser = TransactionBrowser(client)
    browser.type.value = "PAYIN"
    browser.start_date.value = dt.date(2026, 3, 3)
    browser.end_date.value = dt.date(2026, 3, 4)  # inclusive: payins of 3 and 4 March
    assert browser.filters["start_time"] == int(dt.datetime(2026, 3, 3, tzinfo=dt.timezone.utc).timestamp())
    assert browser.filters["end_time"] == int(dt.datetime(2026, 3, 5, tzinfo=dt.timezone.utc).timestamp())
    browser.search()
    assert sorted(t.amount for t in browser.items) == [Decimal("101.00"), Decimal("102.00")]
    assert {t.created_at.date() for t in browser.items} == {dt.date(2026, 3, 3), dt.date(2026, 3, 4)}

    browser.start_date.value = dt.date(2026, 3, 5)
    browser.end_date.value = dt.date(2026, 3, 1)
    assert browser.search() is None and "before the start date" in (browser.last_error or "")


def test_to_dataframe_and_export_csv_take_every_matching_page(ledger: tuple[Sandbox, PayCombat, str],
                                                              tmp_path: Path) -> None:
    _, client, wallet_id = ledger
    browser = TransactionBrowser(client, page_size=10)
    browser.wallet_id.value = wallet_id
    frame = browser.to_dataframe()
    assert len(frame) == 16 and set(frame["type"]) == {"PAYIN", "FEE"}
    assert all(isinstance(value, Decimal) for value in frame["amount"])
    assert isinstance(frame["created_at"].dtype, pd.DatetimeTZDtype)

    target = browser.export_csv(tmp_path / "wallet.csv")
    assert target == tmp_path / "wallet.csv" and "Exported 16 transactions" in browser.status.value
    with target.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 16
    assert [row["amount"] for row in rows if row["type"] == "PAYIN"] == [f"{100 + d}.00" for d in range(8)]
    assert [row["amount"] for row in rows if row["type"] == "FEE"] == [f"{1 + d / 100:.2f}" for d in range(8)]
    assert sum(Decimal(r["amount"]) * (1 if r["direction"] == "CREDIT" else -1) for r in rows) == \
        client.wallets.retrieve(wallet_id).account("AUD").actual_balance


def test_an_export_that_cannot_be_written_is_reported_not_raised(ledger: tuple[Sandbox, PayCombat, str],
                                                                tmp_path: Path) -> None:
    _, client, _ = ledger
    browser = TransactionBrowser(client)
    assert browser.export_csv(tmp_path / "missing-dir" / "x.csv") is None
    assert "Could not write" in (browser.last_error or "") and "Traceback" not in browser.status.value


def test_api_errors_on_search_are_readable(sandbox: Sandbox) -> None:
    with PayCombat("wrong-token", "wrong-key", sandbox.url, max_retries=0) as wrong:
        browser = TransactionBrowser(wrong)
    assert browser.items == [] and browser.last_error is not None
    assert "AuthenticationError" in browser.last_error and "Traceback" not in browser.status.value


# -- paging that follows the filters (issue 13) --------------------------------------------------------


def test_a_filter_change_shows_page_one_of_the_new_selection(ledger: tuple[Sandbox, PayCombat, str]) -> None:
    _, client, wallet_id = ledger
    browser = TransactionBrowser(client, page_size=10)
    browser.next()
    browser.next()
    assert browser.page_number == 3
    browser.wallet_id.value = wallet_id  # no Search pressed: the change alone shows page 1 of that wallet
    assert browser.page_number == 1 and browser.last_page == 2 and browser.shown_filters == {"wallet_id": wallet_id}
    assert [t.amount for t in browser.items if t.type == "PAYIN"] == [Decimal(f"{n}.00") for n in (107, 106, 105, 104, 103)]
    browser.next()  # Next pages through what is on show, never a mix of old and new filters
    assert browser.page_number == 2 and {t.wallet_id for t in browser.items} == {wallet_id}
    assert [t.amount for t in browser.items if t.type == "PAYIN"] == [Decimal("102.00"), Decimal("101.00"),
                                                                      Decimal("100.00")]


def test_the_page_size_applies_at_once(ledger: tuple[Sandbox, PayCombat, str]) -> None:
    _, client, _ = ledger
    browser = TransactionBrowser(client, page_size=10)
    browser.next()
    browser.page_size.value = 20
    assert browser.page_number == 1 and len(browser.items) == 20


def test_drop_downs_always_hold_a_choice(ledger: tuple[Sandbox, PayCombat, str]) -> None:
    _, client, _ = ledger
    browser = TransactionBrowser(client)
    for dropdown in (browser.type, browser.status_filter, browser.currency, browser.page_size):
        assert dropdown.index is not None and dropdown.value is not None
    assert browser.currency.options[0] == ("All", "") and ("AUD", "AUD") in browser.currency.options


def test_the_export_button_writes_the_selection_and_offers_a_download(ledger: tuple[Sandbox, PayCombat, str],
                                                                     tmp_path: Path) -> None:
    _, client, wallet_id = ledger
    browser = TransactionBrowser(client, export_dir=tmp_path)
    browser.wallet_id.value = wallet_id
    browser.export_button.click()
    target = browser.exported
    assert target is not None and target.parent == tmp_path and target.name.startswith(f"transactions-{wallet_id}-")
    with target.open(newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 16
    assert "data:text/csv;base64," in browser.export_link.value and f"download='{target.name}'" in browser.export_link.value


def test_rows_are_newest_first_in_compact_cells(ledger: tuple[Sandbox, PayCombat, str]) -> None:
    _, client, _ = ledger
    browser = TransactionBrowser(client, page_size=10)
    stamps = [t.created_at for t in browser.items]
    assert stamps == sorted(stamps, reverse=True)
    shown = browser.shown
    assert list(shown.columns)[:5] == ["When (UTC)", "Type", "Direction", "Amount", "Currency"]
    assert all(len(value) == 19 for value in shown["When (UTC)"])  # 2026-03-09 09:00:00: one short line
    assert "nowrap" in browser.grid.classes and browser.grid._dt_args["paging"] is False
