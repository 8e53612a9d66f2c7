"""``AsyncPayCombat`` driven from blocking test code, so one story checks both clients.

Each call is awaited on its own event loop (``asyncio.run``): the real async client, its real httpx
transport and its real retries run; only the waiting for the answer is done here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from paycombat_tools import AsyncPayCombat, PayCombatError
from paycombat_tools._resource import AsyncResource


async def _awaited(result: Any) -> Any:
    return await result


def _blocking(method: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return asyncio.run(_awaited(method(*args, **kwargs)))

    return call


class _BlockingResource:
    def __init__(self, resource: AsyncResource) -> None:
        self._resource = resource

    def __getattr__(self, name: str) -> Any:
        return _blocking(getattr(self._resource, name))

    def __repr__(self) -> str:
        return repr(self._resource)


class BlockingAsync:
    """The async client behind the blocking client's surface (resources, ``resend``, ``close``, ``with``)."""

    def __init__(self, client: AsyncPayCombat) -> None:
        self.async_client = client

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.async_client, name)
        return _BlockingResource(value) if isinstance(value, AsyncResource) else value

    def operation(self, name: str) -> Callable[..., Any]:
        return _blocking(self.async_client.operation(name))

    def resend(self, error: PayCombatError) -> Any:
        return asyncio.run(self.async_client.resend(error))

    def close(self) -> None:
        asyncio.run(self.async_client.close())

    def __enter__(self) -> "BlockingAsync":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return repr(self.async_client)
