from __future__ import annotations

from collections.abc import Iterator

import pytest

from paycombat_tools import PayCombat
from paycombat_tools.sandbox import Sandbox


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """A fresh, seeded sandbox on a loopback port (real HTTP, real signatures)."""
    with Sandbox(seed=11) as sb:
        yield sb


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[PayCombat]:
    with sandbox.client() as client:
        yield client
