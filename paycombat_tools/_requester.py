"""The sync driver: the shared core's decisions carried out over a blocking transport (``requests``)."""

from __future__ import annotations

import time
from typing import Any

from ._arguments import Call
from ._core import Exchange, RequestCore
from ._envelope import Listing
from ._transport import HttpResponse, Transport, TransportError
from .errors import PayCombatError
from .pagination import Page


class Requester:
    """Sends a call's exchange, sleeping between tries as the core decides, and returns its typed result."""

    def __init__(self, core: RequestCore, transport: Transport) -> None:
        self.core = core
        self.transport = transport

    def call(self, call: Call) -> Any:
        """Send the operation and return its typed result (model, list, page or PDF)."""
        return self.run(self.core.exchange(call))

    def run(self, exchange: Exchange) -> Any:
        """Send a built request (again, for ``resend``) and read its answer; errors name the reference."""
        try:
            result = self.core.result(exchange, self._send(exchange))
        except PayCombatError as error:
            raise self.core.failure(exchange, error) from None
        if isinstance(result, Listing):
            return Page(result.items, fetch=lambda number: self.call(self.core.page_call(exchange, number)),
                        **result.meta)
        return result

    def _send(self, exchange: Exchange) -> HttpResponse:
        attempts = self.core.attempts(exchange)
        while True:
            try:
                response = self.transport.send(exchange.request, self.core.config.timeout)
            except TransportError as error:
                wait = attempts.after_error(error)
            else:
                answer = attempts.after_response(response)
                if answer is None:
                    return response
                wait = answer
            time.sleep(wait)
