"""``TransactionBrowser``: filter the ledger, page through it, and take it to pandas or CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ._common import INFO_STYLE, ClientWidget, InputProblem, escape, format_money, labelled, table

if TYPE_CHECKING:
    import pandas as pd

    from .._client import PayCombat
    from ..models.transactions import Transaction
    from ..pagination import Page

#: Ledger entry types (Transaction.type).
TRANSACTION_TYPES = ("PAYIN", "FEE", "PAYOUT", "PAYOUT_HOLD", "PAYOUT_RELEASE", "REFUND", "TOPUP")
TRANSACTION_STATUSES = ("COMPLETED", "PENDING", "FAILED")
PAGE_SIZES = (10, 20, 50, 100, 500)
#: Page size used when every matching page is pulled (to_dataframe / export_csv).
EXPORT_PAGE_SIZE = 500

_ALL = ("All", None)


class TransactionBrowser(ClientWidget):
    """Ledger transactions with filters (type, status, currency, wallet, UTC dates), pages and export.

    Dates are whole UTC days and both ends are included: ``start_date`` maps to ``start_time`` (its
    00:00 UTC, epoch seconds) and ``end_date`` to ``end_time`` (00:00 UTC of the next day, exclusive).
    The ledger-status filter is ``status_filter``; ``status`` is the message area, as on every widget.
    """

    def __init__(self, client: "PayCombat", *, page_size: int = 20) -> None:
        super().__init__(client)
        self.page: "Page[Transaction] | None" = None
        self.page_number = 0
        self.items: list["Transaction"] = []
        self.type = widgets.Dropdown(**labelled("Type", options=[_ALL, *((t, t) for t in TRANSACTION_TYPES)]))
        self.status_filter = widgets.Dropdown(**labelled("Status",
                                                         options=[_ALL, *((s, s) for s in TRANSACTION_STATUSES)]))
        self.currency = widgets.Dropdown(**labelled("Currency", options=[_ALL, *self._currencies()]))
        self.wallet_id = widgets.Text(**labelled("Wallet id", placeholder="wallet_… (optional)"))
        self.start_date = widgets.DatePicker(**labelled("From (UTC)"))
        self.end_date = widgets.DatePicker(**labelled("To (UTC, inclusive)"))
        self.page_size = widgets.Dropdown(**labelled("Page size", options=list(PAGE_SIZES),
                                                     value=page_size if page_size in PAGE_SIZES else 20))
        self.search_button = widgets.Button(description="Search", icon="search", button_style="primary")
        self.prev_button = widgets.Button(description="◀ Previous", disabled=True)
        self.next_button = widgets.Button(description="Next ▶", disabled=True)
        self.page_label = widgets.HTML()
        self.table = widgets.HTML()
        self._on_click(self.search_button, self.search)
        self._on_click(self.prev_button, self.previous)
        self._on_click(self.next_button, self.next)
        self.widget = widgets.VBox([
            widgets.HTML("<b>Transactions</b>"),
            widgets.HBox([self.type, self.status_filter, self.currency]),
            widgets.HBox([self.start_date, self.end_date]),
            widgets.HBox([self.wallet_id, self.page_size]),
            widgets.HBox([self.search_button, self.prev_button, self.next_button, self.page_label]),
            self.status, self.table,
        ])
        self.search()

    # -- filters --------------------------------------------------------------------------------------

    @property
    def filters(self) -> dict[str, Any]:
        """The list filters the form stands for, as ``client.transactions.list`` keyword arguments."""
        filters: dict[str, Any] = {}
        if self.type.value:
            filters["type"] = self.type.value
        if self.status_filter.value:
            filters["status"] = self.status_filter.value
        if self.currency.value:
            filters["currency"] = self.currency.value
        if self.wallet_id.value.strip():
            filters["wallet_id"] = self.wallet_id.value.strip()
        start, end = self.start_date.value, self.end_date.value
        if start and end and end < start:
            raise InputProblem(f"The end date {end} is before the start date {start}.")
        if start:
            filters["start_time"] = _epoch(start)
        if end:
            filters["end_time"] = _epoch(end + dt.timedelta(days=1))
        return filters

    # -- actions --------------------------------------------------------------------------------------

    def search(self) -> "Page[Transaction] | None":
        """Show the first page of transactions matching the filters."""
        return self.go_to(1)

    def next(self) -> "Page[Transaction] | None":
        """Show the next page."""
        if self.page is None or not self.page.has_more:
            self._say("This is the last page.")
            return self.page
        return self.go_to(self.page_number + 1)

    def previous(self) -> "Page[Transaction] | None":
        """Show the previous page."""
        if self.page_number <= 1:
            self._say("This is the first page.")
            return self.page
        return self.go_to(self.page_number - 1)

    prev = previous

    def go_to(self, number: int) -> "Page[Transaction] | None":
        """Show page ``number`` (1-based) of the current filters."""
        with self._action("Reading transactions"):
            page = self._client.transactions.list(**self.filters, page=number, limit=self.page_size.value)
            self.page, self.page_number, self.items = page, page.page, list(page.items)
            self.table.value = self._table_html(self.items)
            of = f" of {page.last_page}" if page.last_page else ""
            total = f" · {page.total} transactions" if page.total is not None else ""
            self.page_label.value = f"<span style='{INFO_STYLE}'>Page {page.page}{of}{total}</span>"
            self.prev_button.disabled = page.page <= 1
            self.next_button.disabled = not page.has_more
            self._ok(f"{len(self.items)} transactions on this page.")
            return page
        return None

    def to_dataframe(self, *, progress: bool = False) -> "pd.DataFrame":
        """Every transaction matching the filters (all pages) as a typed DataFrame (see ``analysis``)."""
        from ..analysis import to_dataframe

        page = self._client.transactions.list(**self.filters, limit=EXPORT_PAGE_SIZE)
        return to_dataframe(page, progress=progress)

    def export_csv(self, path: str | Path, *, progress: bool = False) -> Path | None:
        """Write every matching transaction to a CSV file (amounts written exactly, as text)."""
        with self._action("Exporting transactions"):
            frame = self.to_dataframe(progress=progress)
            target = Path(path)
            try:
                frame.to_csv(target, index=False)
            except OSError as error:
                raise InputProblem(f"Could not write {target}: {error.strerror or error}") from None
            self._ok(f"Exported {len(frame)} transactions to {target}.")
            return target
        return None

    # -- drawing --------------------------------------------------------------------------------------

    @staticmethod
    def _table_html(items: list["Transaction"]) -> str:
        rows = [
            [escape(t.created_at.strftime("%Y-%m-%d %H:%M:%S") if t.created_at else ""), escape(t.type),
             escape(t.direction), escape(format_money(t.amount, t.currency)), escape(t.balance_type),
             escape(format_money(t.running_balance_available, t.currency)),
             escape(format_money(t.running_balance_actual, t.currency)),
             f"<code style='font-size:11px'>{escape(t.wallet_id)}</code>", escape(t.wallet_category),
             escape(t.reference_id), escape(t.description)]
            for t in items
        ]
        return table(["When (UTC)", "Type", "Direction", "Amount", "Balance", "Available after", "Actual after",
                      "Wallet", "Category", "Reference", "Description"], rows,
                     numeric=frozenset({3, 5, 6}), empty="No transactions match these filters.")

    def _currencies(self) -> list[tuple[str, str]]:
        currencies: list[str] = []
        with self._action("Reading currencies"):
            for row in self._client.master_data.list_countries_currencies():
                if row.currency and row.currency not in currencies:
                    currencies.append(row.currency)
        return [(currency, currency) for currency in currencies]


def _epoch(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())
