"""pytest fixtures for code that calls PayCombat: a fresh sandbox per test, a client, a webhook inbox, the clock.

Installed with paycombat-tools (entry point ``pytest11``), or load it with ``-p paycombat_tools.pytest_plugin``.
Options per test: ``@pytest.mark.paycombat(seed=1, demo=True, va_registration="manual", start=datetime(...),
faults=Faults(...))`` (any ``Sandbox`` option). The clock stands still until ``paycombat_clock.advance(...)``.
Nothing heavy is imported until a fixture is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ._client import PayCombat
    from .sandbox import Sandbox
    from .testing import SandboxClock, WebhookInbox

MARKER = "paycombat"
DEFAULT_SEED = 1
#: Webhook retries fast enough for a test to watch.
FAST_WEBHOOK_BACKOFF = (0.05, 0.1, 0.2)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}(**options): Sandbox options for the paycombat_sandbox fixture "
                                       "(seed, demo, va_registration, start, faults, webhook_backoff, ...)")


@pytest.fixture
def paycombat_sandbox(request: pytest.FixtureRequest) -> Iterator["Sandbox"]:
    """A fresh in-memory sandbox (seeded, clock standing still at the test's start), closed afterwards."""
    from .sandbox import ManualClock, Sandbox

    marker = request.node.get_closest_marker(MARKER)
    options: dict[str, Any] = dict(marker.kwargs) if marker else {}
    start = options.pop("start", None) or datetime.now(timezone.utc).replace(microsecond=0)
    options.setdefault("seed", DEFAULT_SEED)
    options.setdefault("webhook_backoff", FAST_WEBHOOK_BACKOFF)
    sandbox = Sandbox(clock=ManualClock(start), **options)
    yield sandbox
    sandbox.wait_for_webhooks(timeout=2)
    sandbox.close()


@pytest.fixture
def paycombat_client(paycombat_sandbox: "Sandbox") -> Iterator["PayCombat"]:
    """A signed client on ``paycombat_sandbox`` (over real HTTP on loopback), with quick retries."""
    from ._retry import RetryPolicy

    with paycombat_sandbox.client(retry=RetryPolicy(max_retries=2, backoff_base=0.01, backoff_max=0.2,
                                                    jitter=0.0)) as client:
        yield client


@pytest.fixture
def paycombat_webhooks(paycombat_sandbox: "Sandbox") -> Iterator["WebhookInbox"]:
    """The sandbox's webhooks, verified: ``paycombat_webhooks.wait_for("PAYOUT SUCCESS", id=payout.id)``."""
    from .testing import WebhookInbox

    with WebhookInbox(paycombat_sandbox) as inbox:
        yield inbox


@pytest.fixture
def paycombat_clock(paycombat_sandbox: "Sandbox") -> "SandboxClock":
    """The sandbox's clock: ``paycombat_clock.advance(hours=48)`` expires what fell due, webhooks included."""
    from .testing import SandboxClock

    return SandboxClock(paycombat_sandbox)
