"""``data_grid``: tables that grow (ledgers, frames) in a real notebook data grid (itables' ``ITable`` widget).

The grid sorts, searches, scrolls and copies (Copy / CSV buttons) in the browser; rows stay on one
line. Money stays exact: ``Decimal`` amounts are shown as their exact digits with thousands separators
(the grid sorts them as numbers), timestamps as ``YYYY-MM-DD HH:MM:SS`` UTC. Needs the ``notebook`` extra
(``itables``, ``anywidget``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from itables.widget import ITable

#: Rows shown before the grid scrolls (its height follows the rows up to this many).
VISIBLE_ROWS = 15
#: Row height in pixels of the compact grid, used to size its scroll area.
ROW_PX = 25


def data_grid(frame: "pd.DataFrame", *, caption: str | None = None, paging: bool = True,
              page_length: int = 25, columns: dict[str, str] | None = None) -> "ITable":
    """An interactive grid of ``frame``: sort, search, scroll, copy. ``columns`` renames and picks columns.

    ``paging=False`` shows every row in a scroll area (for a page the caller already chose, such as
    one page of the ledger); otherwise the grid pages through the rows itself.
    """
    from itables.widget import ITable

    shown = display_frame(frame, columns)
    grid = ITable(shown, caption=caption, **_options(len(shown), paging, page_length))
    grid.layout.width = "100%"
    grid.layout.min_width = "0"
    return grid


def update_grid(grid: "ITable", frame: "pd.DataFrame", columns: dict[str, str] | None = None) -> None:
    """Show new rows in an unpaged grid made by ``data_grid(..., paging=False)`` (keeps its layout)."""
    shown = display_frame(frame, columns)
    grid.update(shown, **_options(len(shown), False, 0))


def _options(rows: int, paging: bool, page_length: int) -> dict[str, Any]:
    """The grid's DataTables options (all of them: itables' ``update`` would otherwise restore its defaults)."""
    options: dict[str, Any] = {
        "classes": "display compact nowrap cell-border", "style": "width:100%;margin:0",
        "buttons": ["copyHtml5", "csvHtml5"],
        "layout": {"topStart": "buttons", "topEnd": "search", "bottomStart": "info",
                   "bottomEnd": "paging" if paging else None},
        "scrollX": True, "maxBytes": 0, "showIndex": False, "order": [],
        "language": {"emptyTable": "Nothing to show.", "search": "Search this page:"},
    }
    if paging:
        options.update(paging=True, pageLength=page_length, lengthMenu=[10, 25, 50, 100])
    else:
        options.update(paging=False, scrollY=grid_height(rows), scrollCollapse=True)
    return options


def grid_height(rows: int) -> str:
    """The scroll area of an unpaged grid: its rows, up to ``VISIBLE_ROWS``."""
    return f"{min(max(rows, 1), VISIBLE_ROWS) * ROW_PX + 10}px"


def display_frame(frame: "pd.DataFrame", columns: dict[str, str] | None = None) -> "pd.DataFrame":
    """``frame`` as text the grid shows exactly: Decimals with separators, UTC timestamps, blanks for missing."""
    import pandas as pd

    if columns is not None:
        frame = frame[[name for name in columns if name in frame]].rename(columns=columns)
    return pd.DataFrame({name: [_cell(value) for value in frame[name]] for name in frame.columns},
                        index=pd.RangeIndex(len(frame)))


def _cell(value: Any) -> str:
    import pandas as pd

    if value is None or value is pd.NaT or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)
