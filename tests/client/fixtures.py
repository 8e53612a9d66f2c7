"""Fixtures for the client tests; import them explicitly (conftest.py belongs to another suite).

    from .fixtures import recording_server, client  # noqa: F401
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from paycombat_tools import AsyncPayCombat, PayCombat, RetryPolicy

from .blocking_async import BlockingAsync
from .recording_server import RecordingServer

TOKEN = "snd_test_token_123456"
SIGNATURE_KEY = "test-signature-key-abcdef"
#: Short waits so retry stories run in milliseconds.
FAST_RETRY = RetryPolicy(max_retries=2, backoff_base=0.01, backoff_max=0.05)


@pytest.fixture
def recording_server() -> Iterator[RecordingServer]:
    """A fresh loopback server per test; its ``requests`` are what the wire carried."""
    server = RecordingServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def client(recording_server: RecordingServer) -> Iterator[PayCombat]:
    """A real client (real ``requests`` transport) pointed at ``recording_server``."""
    paycombat = PayCombat(TOKEN, SIGNATURE_KEY, recording_server.url, retry=FAST_RETRY)
    try:
        yield paycombat
    finally:
        paycombat.close()


#: The two clients on the one core: the blocking one (requests) and AsyncPayCombat (httpx).
CLIENT_KINDS = ("sync", "async")


def connect_client(kind: str, url: str, **options: Any) -> PayCombat:
    """A real client of either kind; an async one is driven through ``BlockingAsync`` so one story tests both."""
    if kind == "async":
        return BlockingAsync(AsyncPayCombat(TOKEN, SIGNATURE_KEY, url, **options))  # type: ignore[return-value]
    return PayCombat(TOKEN, SIGNATURE_KEY, url, **options)


@pytest.fixture(params=CLIENT_KINDS)
def connect(request: pytest.FixtureRequest) -> Callable[..., PayCombat]:
    """``connect(url, **options)``: a client of each kind in turn (the test runs once per kind)."""
    return functools.partial(connect_client, request.param)


@pytest.fixture
def either_client(connect: Callable[..., PayCombat], recording_server: RecordingServer) -> Iterator[PayCombat]:
    """Like ``client``, once as the blocking client and once as ``AsyncPayCombat``."""
    paycombat = connect(recording_server.url, retry=FAST_RETRY)
    try:
        yield paycombat
    finally:
        paycombat.close()
