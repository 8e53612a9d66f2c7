"""The async driver: the shared core's decisions carried out over an awaitable transport (httpx)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from ._arguments import Call
from ._core import Exchange, RequestCore
from ._envelope import Listing
from ._transport import HttpResponse, TransportError
from .errors import PayCombatError
from .pagination import AsyncPage

if TYPE_CHECKING:
    from ._async_transport import AsyncTransport


class AsyncRequester:
    """Sends a call's exchange, awaiting between tries as the core decides, and returns its typed result."""

    def __init__(self, core: RequestCore, transport: "AsyncTransport") -> None:
        self.core = core
        self.transport = transport

    async def call(self, call: Call) -> Any:
        """Send the operation and return its typed result (model, list, async page or PDF)."""
        return await self.run(self.core.exchange(call))

    async def run(self, exchange: Exchange) -> Any:
        """Send a built request (again, for ``resend``) and read its answer; errors name the reference."""
        try:
            result = self.core.result(exchange, await self._send(exchange))
        except PayCombatError as error:
            raise self.core.failure(exchange, error) from None
        if isinstance(result, Listing):
            return AsyncPage(result.items, fetch=lambda number: self.call(self.core.page_call(exchange, number)),
                             **result.meta)
        return result

    async def _send(self, exchange: Exchange) -> HttpResponse:
        attempts = self.core.attempts(exchange)
        while True:
            try:
                response = await self.transport.send(exchange.request, self.core.config.timeout)
            except TransportError as error:
                wait = attempts.after_error(error)
            else:
                answer = attempts.after_response(response)
                if answer is None:
                    return response
                wait = answer
            await asyncio.sleep(wait)
