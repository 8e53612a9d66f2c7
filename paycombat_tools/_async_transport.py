"""The async seam: one ``httpx.AsyncClient`` per event loop, its failures in the same ``TransportError`` terms.

The mapping mirrors ``RequestsTransport``: any failure is a ``TransportError``; ``sent=False`` only
when the request cannot have reached the server (no connection was made), ``local=True`` when httpx
refused to build it. Everything else on the way counts as possibly sent.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

import httpx

from ._transport import HttpRequest, HttpResponse, TransportError


class AsyncTransport(Protocol):
    async def send(self, request: HttpRequest, timeout: float) -> HttpResponse: ...

    async def aclose(self) -> None: ...


class HttpxTransport:
    """Keep-alive HTTP through ``httpx.AsyncClient``; a client passed in is used as it is, on its own loop.

    Connections belong to the event loop that opened them, so the transport's own client is replaced
    when it is first used from another loop (``asyncio.run`` twice, a tool's ``ainvoke`` per request).
    At most ``max_connections`` requests are in flight; the rest wait here, in order. (httpcore's
    pool gets slower the more requests queue inside it: 200 at once ran at half the speed.)
    """

    def __init__(self, client: httpx.AsyncClient | None = None, *, max_connections: int = 20) -> None:
        self._given = client
        self.max_connections = max_connections
        self._client: httpx.AsyncClient | None = client
        self._loop: asyncio.AbstractEventLoop | None = None
        self._gate = asyncio.Semaphore(max_connections)

    def _client_here(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop, self._gate = loop, asyncio.Semaphore(self.max_connections)
            if self._given is None:
                limits = httpx.Limits(max_connections=self.max_connections,
                                      max_keepalive_connections=self.max_connections)
                self._client = httpx.AsyncClient(follow_redirects=False, limits=limits)
        assert self._client is not None
        return self._client

    async def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        client = self._client_here()
        async with self._gate:
            return await self._send(client, request, timeout)

    async def _send(self, client: httpx.AsyncClient, request: HttpRequest, timeout: float) -> HttpResponse:
        try:
            headers = [(name.encode("ascii"), value.encode("latin-1")) for name, value in request.headers.items()]
            built = client.build_request(request.method, request.url, headers=headers,
                                         content=request.body, params=dict(request.params) or None, timeout=timeout)
        except (httpx.InvalidURL, ValueError, TypeError) as error:  # a bad URL or header: nothing was sent
            raise TransportError(f"the request could not be built: {error}", sent=False, local=True) from None
        try:
            response = await client.send(built, follow_redirects=False)
        except (httpx.UnsupportedProtocol, httpx.LocalProtocolError) as error:
            raise TransportError(f"the request could not be built: {error}", sent=False, local=True) from None
        except (httpx.ConnectTimeout, httpx.PoolTimeout) as error:
            raise TransportError(f"could not connect: {type(error).__name__}", sent=False) from None
        except (httpx.ConnectError, httpx.ProxyError) as error:  # refused or unresolvable: never carried it
            raise TransportError(f"connection failed: {type(error).__name__}", sent=False) from None
        except httpx.TimeoutException as error:  # read or write: the server may have it
            raise TransportError(f"no answer in time: {type(error).__name__}", sent=True) from None
        except httpx.DecodingError as error:
            raise TransportError(f"the answer was cut off or garbled: {type(error).__name__}", sent=True) from None
        except (httpx.RemoteProtocolError, httpx.NetworkError) as error:  # dropped, reset, cut off mid-body
            raise TransportError(f"connection failed: {type(error).__name__}", sent=True) from None
        except (httpx.HTTPError, httpx.StreamError, OSError) as error:
            # anything else on the way: the request may have been sent, so it counts as unknown
            raise TransportError(f"the exchange failed: {type(error).__name__}", sent=True) from None
        return HttpResponse(response.status_code, response.headers, response.content)

    async def aclose(self) -> None:
        """Close the transport's own client (a client passed in is the caller's to close)."""
        client, self._client = self._client, None
        if client is not None and self._given is None:
            try:
                await client.aclose()
            except RuntimeError:  # its loop is gone; its connections went with it
                pass
