"""``TransactionBrowser``: filter the ledger, page through it newest first, export it, take it to pandas.

Any change of a filter or of the page size shows page 1 of the new selection at once; Previous /
Next always page through the selection on show. The table is a data grid (sort, search, copy).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ._common import ClientWidget, InputProblem, escape, hint_html, labelled
from ._newest import NewestFirst
from ._theme import strong, themed_root

if TYPE_CHECKING:
    import pandas as pd
    from itables.widget import ITable

    from .._client import PayCombat
    from ..models.transactions import Transaction
    from ..pagination import Page

#: Ledger entry types (Transaction.type).
TRANSACTION_TYPES = ("PAYIN", "FEE", "PAYOUT", "PAYOUT_HOLD", "PAYOUT_RELEASE", "REFUND", "TOPUP")
TRANSACTION_STATUSES = ("COMPLETED", "PENDING", "FAILED")
PAGE_SIZES = (10, 20, 50, 100, 500)
#: Page size used when every matching page is pulled (to_dataframe / export_csv).
EXPORT_PAGE_SIZE = 500
#: Largest export offered as a browser download link (bigger files: their path only).
DOWNLOAD_LINK_LIMIT = 2_000_000
#: The grid's columns: Transaction field -> heading.
COLUMNS = {"created_at": "When (UTC)", "type": "Type", "direction": "Direction", "amount": "Amount",
           "currency": "Currency", "balance_type": "Balance", "running_balance_available": "Available after",
           "running_balance_actual": "Actual after", "wallet_category": "Category", "wallet_id": "Wallet",
           "reference_id": "Reference", "description": "Description"}

#: The "no filter" choice of a drop-down (a string, so the drop-down always shows a selection).
ANY = ""


class TransactionBrowser(ClientWidget):
    """Ledger transactions with filters (type, status, currency, wallet, UTC dates), pages and export.

    Newest first: page 1 holds the most recent entries (see ``_newest``: PayCombat does not document
    the order of Get All Transaction, so the browser reads the list from its end when the API lists
    oldest first, as the sandbox does). Dates are whole
    UTC days, both ends included: ``start_date`` maps to ``start_time`` (00:00 UTC, epoch seconds),
    ``end_date`` to ``end_time`` (00:00 UTC of the next day, exclusive). The ledger-status filter is
    ``status_filter``; ``status`` is the message area, as on every widget.
    """

    def __init__(self, client: "PayCombat", *, page_size: int = 20, export_dir: str | Path = ".") -> None:
        super().__init__(client)
        self.page: "Page[Transaction] | None" = None
        self.page_number = 0
        self.last_page: int | None = None
        self.total: int | None = None
        self.items: list["Transaction"] = []
        #: The filters of the page on show (what Previous / Next page through).
        self.shown_filters: dict[str, Any] = {}
        self.export_dir = Path(export_dir)
        self.exported: Path | None = None
        self._pages = NewestFirst(client)
        self._quiet = False

        narrow = widgets.Layout(width="210px")
        self.type = widgets.Dropdown(**labelled("Type", options=_choices(TRANSACTION_TYPES), value=ANY),
                                     layout=narrow)
        self.status_filter = widgets.Dropdown(**labelled("Status", options=_choices(TRANSACTION_STATUSES),
                                                         value=ANY), layout=narrow)
        self.currency = widgets.Dropdown(**labelled("Currency", options=_choices(self._currencies()), value=ANY),
                                         layout=narrow)
        self.wallet_id = widgets.Text(**labelled("Wallet id", placeholder="wallet_… (optional, Enter to apply)"),
                                      continuous_update=False, layout=widgets.Layout(width="420px"))
        self.start_date = widgets.DatePicker(**labelled("From (UTC)"), layout=narrow)
        self.end_date = widgets.DatePicker(**labelled("To (UTC, inclusive)"), layout=widgets.Layout(width="260px"))
        self.page_size = widgets.Dropdown(**labelled("Rows per page", options=list(PAGE_SIZES),
                                                     value=page_size if page_size in PAGE_SIZES else 20),
                                          layout=widgets.Layout(width="180px"))
        self.search_button = strong(widgets.Button(description="Search", icon="search",
                                                   tooltip="Read page 1 of the selection again"))
        self.prev_button = widgets.Button(description="Previous", icon="chevron-left", disabled=True,
                                          tooltip="Newer entries")
        self.next_button = widgets.Button(description="Next", icon="chevron-right", disabled=True,
                                          tooltip="Older entries")
        self.export_button = widgets.Button(description="Export CSV", icon="download",
                                            tooltip="Every entry of the selection (all pages) to a CSV file")
        self.page_label = widgets.HTML()
        self.export_link = widgets.HTML()
        self.grid: "ITable | None" = None
        self.grid_box = widgets.VBox(layout=widgets.Layout(width="100%", min_width="0"))
        self._on_click(self.search_button, self.search)
        self._on_click(self.prev_button, self.previous)
        self._on_click(self.next_button, self.next)
        self._on_click(self.export_button, self._export_from_button)
        for control in (self.type, self.status_filter, self.currency, self.wallet_id, self.start_date,
                        self.end_date, self.page_size):
            control.observe(self._selection_changed, names="value")
        self.widget = themed_root([
            widgets.HTML("<div class='pct-title'>Transactions</div>"),
            widgets.HBox([self.type, self.status_filter, self.currency, self.page_size],
                         layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.start_date, self.end_date, self.wallet_id], layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.search_button, self.prev_button, self.next_button, self.page_label,
                          self.export_button], layout=widgets.Layout(flex_flow="row wrap", align_items="center")),
            self.status, self.export_link, self.grid_box,
        ], name="transactions")
        self.search()

    @property
    def shown(self) -> "pd.DataFrame":
        """The rows on show, as the grid shows them (text, newest first)."""
        from ._grid import display_frame

        from ..analysis import to_dataframe

        return display_frame(to_dataframe(self.items), COLUMNS)

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
        """Show page 1 (the newest entries) of the transactions matching the filters."""
        with self._action("Reading transactions"):
            self.shown_filters = self.filters
            return self._show_page(1)
        return None

    def next(self) -> "Page[Transaction] | None":
        """Show the next (older) page of the selection on show."""
        if self.page is None or self.last_page is None or self.page_number >= self.last_page:
            self._say("This is the last page.")
            return self.page
        return self.go_to(self.page_number + 1)

    def previous(self) -> "Page[Transaction] | None":
        """Show the previous (newer) page of the selection on show."""
        if self.page_number <= 1:
            self._say("This is the first page.")
            return self.page
        return self.go_to(self.page_number - 1)

    prev = previous

    def go_to(self, number: int) -> "Page[Transaction] | None":
        """Show page ``number`` (1-based, newest first) of the selection on show."""
        with self._action("Reading transactions"):
            return self._show_page(number)
        return None

    def to_dataframe(self, *, progress: bool = False) -> "pd.DataFrame":
        """Every transaction matching the filters (all pages) as a typed DataFrame (see ``analysis``)."""
        from ..analysis import to_dataframe

        page = self._client.transactions.list(**self.filters, limit=EXPORT_PAGE_SIZE)
        return to_dataframe(page, progress=progress)

    def export_csv(self, path: str | Path | None = None, *, progress: bool = False) -> Path | None:
        """Write every matching transaction to a CSV file (amounts written exactly, as text).

        Without ``path`` the file goes to ``export_dir`` under a name made of the filters and the time;
        the widget then offers it as a download link too (files up to ``DOWNLOAD_LINK_LIMIT`` bytes).
        """
        with self._action("Exporting transactions"):
            frame = self.to_dataframe(progress=progress)
            target = Path(path) if path is not None else self.export_dir / self._export_name()
            try:
                frame.to_csv(target, index=False)
            except OSError as error:
                raise InputProblem(f"Could not write {target}: {error.strerror or error}") from None
            self.exported = target
            href = _download_href(target)
            download = (f"<a href='{href}' download='{escape(target.name)}'>Download {escape(target.name)}</a> · "
                        if href else "")
            self.export_link.value = (f"<div>{download}{hint_html(f'saved as {target.resolve()}')}</div>")
            self._ok(f"Exported {len(frame)} transactions to {target}.")
            return target
        return None

    # -- reading pages ----------------------------------------------------------------------------------

    def _show_page(self, number: int) -> "Page[Transaction]":
        size = int(self.page_size.value)
        page, items = self._pages.page(self.shown_filters, number, size)
        self.page, self.page_number, self.items = page, number, items
        self.total = page.total
        self.last_page = (max(1, -(-page.total // size)) if page.total is not None
                          else (number + 1 if page.has_more else number))
        self._draw_grid()
        of = f" of {self.last_page}" if page.total is not None else ""
        total = f" · {page.total} transactions" if page.total is not None else ""
        self.page_label.value = f"<span>Page {number}{of}{total} · newest first</span>"
        self.prev_button.disabled = number <= 1
        self.next_button.disabled = number >= self.last_page
        self._ok(f"{len(items)} transactions on this page.")
        return page

    # -- reacting to changes ------------------------------------------------------------------------------

    def _selection_changed(self, change: dict[str, Any]) -> None:
        """A new filter or page size: page 1 of the new selection, at once."""
        if not self._quiet:
            self.search()

    def _export_from_button(self) -> None:
        self.export_csv()

    def _export_name(self) -> str:
        parts = [str(value) for key, value in sorted(self.filters.items()) if key not in ("start_time", "end_time")]
        if self.start_date.value:
            parts.append(f"from-{self.start_date.value}")
        if self.end_date.value:
            parts.append(f"to-{self.end_date.value}")
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        return "-".join(["transactions", *parts, stamp]) + ".csv"

    # -- drawing --------------------------------------------------------------------------------------

    def _draw_grid(self) -> None:
        from ..analysis import to_dataframe
        from ._grid import data_grid, update_grid

        frame = to_dataframe(self.items)
        if self.grid is None:
            self.grid = data_grid(frame, columns=COLUMNS, paging=False)
            self.grid_box.children = [self.grid]
        else:
            update_grid(self.grid, frame, COLUMNS)

    def _currencies(self) -> list[str]:
        currencies: list[str] = []
        with self._action("Reading currencies"):
            for row in self._client.master_data.list_countries_currencies():
                if row.currency and row.currency not in currencies:
                    currencies.append(row.currency)
        return currencies


def _choices(values: Any) -> list[tuple[str, str]]:
    return [("All", ANY), *((value, value) for value in values)]


def _download_href(path: Path) -> str | None:
    """A ``data:`` link that downloads the file from the browser (small files only), else None."""
    import base64

    if path.stat().st_size > DOWNLOAD_LINK_LIMIT:
        return None
    return "data:text/csv;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _epoch(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())
