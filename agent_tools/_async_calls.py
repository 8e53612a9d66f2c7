"""``ainvoke`` without threads: a tool's code runs on the event loop and awaits ``AsyncPayCombat`` for its reads.

A tool is one piece of plain code (look up, check, shape the answer) shared by ``invoke`` and
``ainvoke``. For ``ainvoke`` it runs inside a greenlet on the loop's own thread; each read it makes
switches back to the loop, which awaits the async client and switches the result in, so other tasks
run while the answer is on the way. No thread pool, and the same code path as ``invoke``.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import greenlet

from paycombat_tools.pagination import AsyncPage, Page

from .spec import ReadOnlyClient

if TYPE_CHECKING:
    from paycombat_tools import AsyncPayCombat

R = TypeVar("R")


class _OnTheLoop(greenlet.greenlet):
    """The greenlet a tool's code runs in; ``loop`` is the task awaiting on its behalf."""

    def __init__(self, run: Callable[..., Any], loop: greenlet.greenlet) -> None:
        super().__init__(run, loop)
        self.loop = loop


def awaited(awaitable: Awaitable[R]) -> R:
    """From a tool's code: the awaitable's result, awaited by the event loop that runs the tool."""
    here = greenlet.getcurrent()
    if not isinstance(here, _OnTheLoop):
        raise RuntimeError("awaited() is only for tool code run by run_on_the_loop()")
    return here.loop.switch(awaitable)  # type: ignore[no-any-return]


async def run_on_the_loop(function: Callable[..., R], *args: Any) -> R:
    """Run plain ``function(*args)`` on this event loop, awaiting whatever it passes to ``awaited``."""
    tool = _OnTheLoop(function, greenlet.getcurrent())
    pending = tool.switch(*args)
    while not tool.dead:
        try:
            value = await pending
        except BaseException:  # the read failed: raise it inside the tool's code, where it is handled
            pending = tool.throw(*sys.exc_info())
        else:
            pending = tool.switch(value)
    return pending  # type: ignore[no-any-return]


class AsyncReadOnlyClient(ReadOnlyClient):
    """``ReadOnlyClient`` over ``AsyncPayCombat``: the same risk check, each read awaited on the loop."""

    def __init__(self, client: "AsyncPayCombat") -> None:
        self._async_client = client

    def _invoke(self, operation: str, path: tuple[str, ...], fields: dict[str, Any]) -> Any:
        result = awaited(self._async_client.operation(operation)(*path, **fields))
        return _walkable(result) if isinstance(result, AsyncPage) else result


def _walkable(page: AsyncPage[Any]) -> Page[Any]:
    """An async page as a page the tool's code can ``for`` over, each later page awaited when reached."""

    def following(number: int) -> Page[Any]:
        fetched = awaited(page.next_page())
        return _walkable(fetched) if fetched is not None else Page([], page=number, limit=page.limit)

    return Page(page.items, page=page.page, limit=page.limit, total=page.total, last_page=page.last_page,
                fetch=following)
