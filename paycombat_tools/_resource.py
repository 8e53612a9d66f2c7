"""What the generated resource classes (``paycombat_tools.resources``) stand on.

Each generated method declares the operation's real signature (keyword fields from the request
model, the result type, a docstring with path and confidence), which editors, ``help()`` and type
checkers read. ``@sync_operation`` / ``@async_operation`` run it through the one generic path, so
the run-time checks stay those of every other call: an unknown field is an ``InvalidRequestError``
pointing to ``extra_body``, a missing id names the parameter, and nothing is sent.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from ._arguments import checked_call
from .catalog import CATALOG, Operation
from .pagination import AsyncPager

if TYPE_CHECKING:
    from ._async_requester import AsyncRequester
    from ._core import RequestCore
    from ._requester import Requester

F = TypeVar("F", bound=Callable[..., Any])


class _Driver(Protocol):
    core: "RequestCore"


D = TypeVar("D", bound=_Driver)


class _Required:
    """The default shown for a field that is required unless ``request=`` gives the whole request."""

    def __repr__(self) -> str:
        return "<required>"


#: Marks a required field in a method that also takes ``request=`` (never sent: the caller's fields are).
REQUIRED: Any = _Required()


class _Resource(Generic[D]):
    def __init__(self, name: str, requester: D) -> None:
        self._name = name
        self._requester = requester

    def __repr__(self) -> str:
        """``<payouts: create POST /api/v1/payout/create-payout, ...>`` with this client's paths."""
        core = self._requester.core
        entries = [value.operation for value in vars(type(self)).values() if hasattr(value, "operation")]
        return f"<{self._name}: {', '.join(f'{e.method_name} {e.method} {core.path_for(e)}' for e in entries)}>"


class SyncResource(_Resource["Requester"]):
    """A group of operations of ``PayCombat``, e.g. ``client.payouts`` with ``.create``, ``.retrieve``, ..."""


class AsyncResource(_Resource["AsyncRequester"]):
    """A group of operations of ``AsyncPayCombat``: the same methods, awaited."""


def sync_operation(name: str) -> Callable[[F], F]:
    """Run the declared method as catalog operation ``name`` over the blocking client."""
    entry = CATALOG[name]

    def decorate(declared: F) -> F:
        def run(self: SyncResource, *args: Any, request: Any = None, extra_body: Mapping[str, Any] | None = None,
                extra_query: Mapping[str, Any] | None = None, extra_headers: Mapping[str, str] | None = None,
                **fields: Any) -> Any:
            return self._requester.call(checked_call(entry, args, fields, request=request, extra_body=extra_body,
                                                     extra_query=extra_query, extra_headers=extra_headers))

        return _declared_as(declared, run, entry)

    return decorate


def async_operation(name: str) -> Callable[[F], F]:
    """Run the declared method as catalog operation ``name`` over the async client (a pager for a listing)."""
    entry = CATALOG[name]

    def decorate(declared: F) -> F:
        if entry.paginated:
            def pager(self: AsyncResource, *args: Any, request: Any = None,
                      extra_body: Mapping[str, Any] | None = None, extra_query: Mapping[str, Any] | None = None,
                      extra_headers: Mapping[str, str] | None = None, **fields: Any) -> AsyncPager[Any]:
                call = checked_call(entry, args, fields, request=request, extra_body=extra_body,
                                    extra_query=extra_query, extra_headers=extra_headers)
                return AsyncPager(lambda: self._requester.call(call))

            return _declared_as(declared, pager, entry)

        async def run(self: AsyncResource, *args: Any, request: Any = None,
                      extra_body: Mapping[str, Any] | None = None, extra_query: Mapping[str, Any] | None = None,
                      extra_headers: Mapping[str, str] | None = None, **fields: Any) -> Any:
            call = checked_call(entry, args, fields, request=request, extra_body=extra_body,
                                extra_query=extra_query, extra_headers=extra_headers)
            return await self._requester.call(call)

        return _declared_as(declared, run, entry)

    return decorate


def _declared_as(declared: F, run: Callable[..., Any], entry: Operation) -> F:
    """``run`` under the declared method's name, docstring and signature (``inspect.signature`` follows it)."""
    functools.update_wrapper(run, declared)
    run.operation = entry  # type: ignore[attr-defined]
    return run  # type: ignore[return-value]
