"""Pages of "Get All" results, walked lazily one request at a time (``for`` or ``async for``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class _PageFacts(Generic[T]):
    """What a page knows about itself and the pages after it; fetching is the sync or async subclass's."""

    def __init__(self, items: list[T], *, page: int, limit: int | None, total: int | None = None,
                 last_page: int | None = None) -> None:
        self.items = items
        self.page = page
        self.limit = limit
        self.total = total
        self.last_page = last_page

    @property
    def has_more(self) -> bool:
        if self.last_page is not None:
            return self.page < self.last_page
        if self.total is not None and self.limit:
            return self.page * self.limit < self.total
        return bool(self.items) and self.limit is not None and len(self.items) >= self.limit

    def _repeats(self, following: "_PageFacts[T]") -> bool:
        """A server that repeats a page ends the walk instead of looping."""
        return following.page <= self.page or bool(following.items and following.items == self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> T:
        return self.items[index]

    def __repr__(self) -> str:
        return (f"<{type(self).__name__} {self.page} items={len(self.items)} total={self.total} "
                f"has_more={self.has_more}>")


class Page(_PageFacts[T]):
    """One page of results. Iterating a page walks every later page too, lazily."""

    def __init__(self, items: list[T], *, page: int, limit: int | None, total: int | None = None,
                 last_page: int | None = None, fetch: Callable[[int], "Page[T]"] | None = None) -> None:
        super().__init__(items, page=page, limit=limit, total=total, last_page=last_page)
        self._fetch = fetch

    def next_page(self) -> "Page[T] | None":
        """The following page, or None."""
        if not self.has_more or self._fetch is None:
            return None
        following = self._fetch(self.page + 1)
        return None if self._repeats(following) else following

    def auto_paging_iter(self) -> Iterator[T]:
        """Every item of this page and the pages after it, fetching each page only when reached."""
        page: Page[T] | None = self
        while page is not None:
            yield from page.items
            page = page.next_page()

    def __iter__(self) -> Iterator[T]:
        return self.auto_paging_iter()


class AsyncPage(_PageFacts[T]):
    """One page of results from ``AsyncPayCombat``; ``async for`` walks every later page too, lazily."""

    def __init__(self, items: list[T], *, page: int, limit: int | None, total: int | None = None,
                 last_page: int | None = None, fetch: Callable[[int], Awaitable["AsyncPage[T]"]] | None = None) -> None:
        super().__init__(items, page=page, limit=limit, total=total, last_page=last_page)
        self._fetch = fetch

    async def next_page(self) -> "AsyncPage[T] | None":
        """The following page, or None."""
        if not self.has_more or self._fetch is None:
            return None
        following = await self._fetch(self.page + 1)
        return None if self._repeats(following) else following

    async def auto_paging_iter(self) -> AsyncIterator[T]:
        """Every item of this page and the pages after it, fetching each page only when reached."""
        page: AsyncPage[T] | None = self
        while page is not None:
            for item in page.items:
                yield item
            page = await page.next_page()

    def __aiter__(self) -> AsyncIterator[T]:
        return self.auto_paging_iter()


class AsyncPager(Generic[T]):
    """What an async list method returns: ``await`` it for the first page, or ``async for`` every item."""

    def __init__(self, first: Callable[[], Awaitable[AsyncPage[T]]]) -> None:
        self._first = first

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return self._first().__await__()

    async def _items(self) -> AsyncIterator[T]:
        page = await self._first()
        async for item in page:
            yield item

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()


def page_meta(data: Any, requested_page: int, requested_limit: int | None) -> tuple[list[Any], dict[str, Any]]:
    """Items and paging facts from either a bare list or a Laravel-style paginator object."""
    if isinstance(data, list):
        return data, {"page": requested_page, "limit": requested_limit}
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        return data["data"], {
            "page": int(data.get("current_page") or data.get("page") or requested_page),
            "limit": _int(data.get("per_page") or data.get("limit")) or requested_limit,
            "total": _int(data.get("total")),
            "last_page": _int(data.get("last_page")),
        }
    raise ValueError("expected a list of records or a paginator object in 'data'")


def _int(value: Any) -> int | None:
    return int(value) if value is not None else None
