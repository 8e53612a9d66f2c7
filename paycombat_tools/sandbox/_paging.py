"""Page-number paging served by key seeks: page N costs the same at offset 0 and at offset 100k.

The API pages by number (``page``, ``limit``; EVIDENCE §5 "Pagination"). Internally a page is a seek
``key > k ORDER BY key LIMIT n`` on an index: the key that ends each page served is remembered per
filter, so the next page starts exactly there; a page jumped to is found from the nearest remembered
key by skipping index entries only (no rows read). The total is counted once per filter and kept
until the store is written to (its write generation).
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._store import Store

_FIRST = -(2**63)  # below every key
_MAX_FILTERS = 256
_MAX_MARKS = 4096


@dataclass(frozen=True)
class Listing:
    """Rows of ``source`` passing ``where`` (SQL text of ours, values in ``params``), in ``key`` order.

    ``select`` and ``joins`` shape the rows a page returns.
    """

    source: str
    key: str
    where: str
    params: tuple[Any, ...]
    select: str = "*"
    joins: str = ""


@dataclass
class _Positions:
    """One filter at one generation: its total and the keys known to end a position."""

    generation: tuple[int, ...]
    total: int
    positions: list[int] = field(default_factory=lambda: [0])
    keys: dict[int, int] = field(default_factory=lambda: {0: _FIRST})

    def nearest(self, offset: int) -> tuple[int, int]:
        """(position, key before it) of the closest known position at or before ``offset``."""
        position = self.positions[bisect.bisect_right(self.positions, offset) - 1]
        return position, self.keys[position]

    def remember(self, position: int, key: int) -> None:
        if position in self.keys:
            return
        if len(self.positions) >= _MAX_MARKS:
            self.positions, self.keys = [0], {0: _FIRST}
        bisect.insort(self.positions, position)
        self.keys[position] = key


class Pager:
    """Pages of a store's listings; call inside the store's transaction (its lock guards the cache)."""

    def __init__(self, store: "Store") -> None:
        self.store = store
        self._filters: OrderedDict[tuple[str, str, tuple[Any, ...]], _Positions] = OrderedDict()

    def page(self, listing: Listing, page: int, limit: int) -> tuple[list[Any], int]:
        """(rows of 1-based ``page`` of ``limit`` rows, total rows passing the filter)."""
        positions = self._positions(listing)
        offset = (page - 1) * limit
        if offset >= positions.total:
            return [], positions.total
        start, after = positions.nearest(offset)
        db, where = self.store.db, f"{listing.where} AND {listing.key} > ?"
        if offset > start:  # skip index entries only, from the nearest known key
            row = db.execute(f"SELECT {listing.key} FROM {listing.source} WHERE {where} ORDER BY {listing.key} "
                             "LIMIT 1 OFFSET ?", (*listing.params, after, offset - start - 1)).fetchone()
            if row is None:  # counted rows vanished under us: recount next time
                self.forget()
                return [], positions.total
            after = int(row[0])
            positions.remember(offset, after)
        rows = db.execute(f"SELECT {listing.select}, {listing.key} AS _page_key FROM {listing.source} "
                          f"{listing.joins} WHERE {where} ORDER BY {listing.key} LIMIT ?",
                          (*listing.params, after, limit)).fetchall()
        if rows:
            positions.remember(offset + len(rows), int(rows[-1]["_page_key"]))
        return rows, positions.total

    def forget(self) -> None:
        self._filters.clear()

    def _positions(self, listing: Listing) -> _Positions:
        name = (listing.source, listing.where, listing.params)
        generation = self.store.generation()
        known = self._filters.get(name)
        if known is not None and known.generation == generation:
            self._filters.move_to_end(name)
            return known
        total = int(self.store.db.execute(f"SELECT COUNT(*) FROM {listing.source} WHERE {listing.where}",
                                          listing.params).fetchone()[0])
        known = self._filters[name] = _Positions(generation, total)
        self._filters.move_to_end(name)
        while len(self._filters) > _MAX_FILTERS:
            self._filters.popitem(last=False)
        return known
