"""Fixtures for the agent-tools suite: a real sandbox over real HTTP, a guard with a manual clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from agent_tools import AuditLog, ConfirmationGuard, ConfirmationPolicy
from paycombat_tools import PayCombat
from paycombat_tools.sandbox import ManualClock, Sandbox

from .helpers import FAST_RETRY, World, build_world


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=11) as sb:
        yield sb


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[PayCombat]:
    with sandbox.client(retry=FAST_RETRY) as paycombat:
        yield paycombat


@pytest.fixture
def world(sandbox: Sandbox, client: PayCombat) -> World:
    return build_world(sandbox, client)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime.now(timezone.utc).replace(hour=10, minute=0, second=0, microsecond=0))


@pytest.fixture
def policy() -> ConfirmationPolicy:
    return ConfirmationPolicy(per_call_caps={"AUD": "500"}, per_day_caps={"AUD": "1000"},
                              allowed_currencies={"AUD", "SGD"},
                              allowed_payout_methods={"au_bank_acct", "sg_bank_fastpayment_sgd"},
                              expiry_seconds=600)


@pytest.fixture
def audit_path(tmp_path: Path) -> Path:
    return tmp_path / "audit.jsonl"


@pytest.fixture
def guard(policy: ConfirmationPolicy, clock: ManualClock, audit_path: Path, client: PayCombat) -> ConfirmationGuard:
    return ConfirmationGuard(policy, AuditLog(audit_path), clock=clock, client=client)
