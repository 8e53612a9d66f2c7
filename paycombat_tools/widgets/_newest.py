"""Reading the ledger newest first, whatever order the API lists it in.

PayCombat does not document the order of Get All Transaction. The sandbox lists entries in the order
they were written (oldest first); when a page comes back in that order, the newest entries are read
from the end of the listing instead.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._client import PayCombat
    from ..models.transactions import Transaction
    from ..pagination import Page


class NewestFirst:
    """Pages of ``client.transactions.list`` counted from the newest entry (page 1 = the most recent)."""

    def __init__(self, client: "PayCombat") -> None:
        self._client = client
        #: Whether the API lists oldest first (learnt from the first page with two or more dated entries).
        self.oldest_first: bool | None = None

    def page(self, filters: dict[str, Any], number: int, size: int) -> "tuple[Page[Transaction], list[Transaction]]":
        """The API page read first (its ``total`` is the selection's) and the entries of page ``number``."""
        if self.oldest_first is False:
            page = self._list(filters, number, size)
            return page, newest_first(list(page.items))
        probe = self._list(filters, 1, size)
        items = list(probe.items)
        if self.oldest_first is None and len(items) > 1:
            self.oldest_first = ascending(items)
        if not self.oldest_first or probe.total is None:
            page = probe if number == 1 else self._list(filters, number, size)
            return page, newest_first(list(page.items))
        high = max(probe.total - (number - 1) * size, 0)  # the window [low, high) of the oldest-first listing
        low = max(high - size, 0)
        window: list[Transaction] = []
        for api_page in range(low // size + 1, (high - 1) // size + 2 if high else 1):
            chunk = items if api_page == 1 else list(self._list(filters, api_page, size).items)
            start = (api_page - 1) * size
            window += chunk[max(low - start, 0):max(high - start, 0)]
        return probe, newest_first(window)

    def _list(self, filters: dict[str, Any], number: int, size: int) -> "Page[Transaction]":
        return self._client.transactions.list(**filters, page=number, limit=size)


def ascending(items: list[Any]) -> bool:
    """Whether entries run oldest to newest (by ``created_at``)."""
    stamps = [t.created_at for t in items if t.created_at is not None]
    return len(stamps) > 1 and stamps[0] <= stamps[-1]


def newest_first(items: list[Any]) -> list[Any]:
    """Newest first; entries of the same moment keep the reverse of the order they were written in."""
    floor = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    ordered = list(reversed(items)) if ascending(items) else list(items)
    return sorted(ordered, key=lambda t: t.created_at or floor, reverse=True)
