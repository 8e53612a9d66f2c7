"""``AsyncPayCombat``: the same client for asyncio (extra ``async``: httpx), on the same core.

Building, signing, retry decisions, idempotency references, the envelope and the errors are the
sync client's own code (``_core``); only the transport (httpx) and the waiting (``await``) differ.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._async_requester import AsyncRequester
from ._base_client import BaseClient
from .errors import ConfigurationError, PayCombatError
from .resources import AsyncResources

if TYPE_CHECKING:
    from ._async_transport import AsyncTransport


class AsyncPayCombat(AsyncResources, BaseClient["AsyncTransport"]):
    """A signed async PayCombat client: ``await client.<resource>.<operation>(...)``; ``async for`` lists."""

    def _start(self, transport: "AsyncTransport | None") -> None:
        if transport is None:
            try:
                from ._async_transport import HttpxTransport
            except ImportError:
                raise ConfigurationError("AsyncPayCombat needs httpx: pip install 'paycombat-tools[async]'") from None
            transport = HttpxTransport()
        self._transport = transport
        self._requester = AsyncRequester(self._core, transport)
        self._attach_resources(self._requester)

    @classmethod
    def sandbox(cls, **options: Any) -> "AsyncPayCombat":
        """An async client wired to this process's embedded sandbox (started on first use)."""
        from .sandbox import shared_sandbox

        sandbox = shared_sandbox()
        return cls(sandbox.token, sandbox.signature_key, sandbox.url, **options)

    async def resend(self, error: PayCombatError) -> Any:
        """Send the failed call's identical signed bytes again and return its typed result.

        The same rule as ``PayCombat.resend``: only a call that repeats harmlessly (an idempotency
        reference, a read, a delete, a PATCH that moves no money) can be re-sent.
        """
        return await self._requester.run(self._resendable(error))

    async def close(self) -> None:
        await self._transport.aclose()

    async def __aenter__(self) -> "AsyncPayCombat":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
