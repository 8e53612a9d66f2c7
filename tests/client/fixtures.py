"""Fixtures for the client tests; import them explicitly (conftest.py belongs to another suite).

    from .fixtures import recording_server, client  # noqa: F401
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from paycombat_tools import PayCombat, RetryPolicy

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
