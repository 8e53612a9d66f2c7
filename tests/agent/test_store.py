"""Action stores: what a guard keeps survives a reopened SQLite file, byte for byte; claims are taken once."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from agent_tools import ActionStatus, AuditLog, ConfirmationGuard, ConfirmationPolicy
from agent_tools.actions import digest
from agent_tools.store import ActionStore, MemoryActionStore, SqliteActionStore
from paycombat_tools import PayCombat
from paycombat_tools.sandbox import ManualClock

from . import helpers as h
from .helpers import World
from .test_cross_process import payout


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ActionStore:
    return MemoryActionStore() if request.param == "memory" else SqliteActionStore(tmp_path / "actions.db")


def test_both_stores_are_action_stores(store: ActionStore) -> None:
    assert isinstance(store, ActionStore)


def test_a_reopened_store_has_the_same_actions_and_sealed_bytes(tmp_path: Path, client: PayCombat,
                                                                world: World, clock: ManualClock) -> None:
    path = tmp_path / "actions.db"
    first = ConfirmationGuard(ConfirmationPolicy(per_day_caps={"AUD": "100"}), AuditLog(), client=client,
                              clock=clock, store=SqliteActionStore(path))
    token = client.checkouts.retrieve(world.open_checkout_id).checkout_token
    cancel = first.propose("checkouts.cancel", {"checkout_token": token},
                           facts={"amount": Decimal("15.00"), "expire_at": clock()})
    pay = first.propose("payouts.create", payout("40"))
    before = {a.action_id: a for a in first.actions()}
    sealed = SqliteActionStore(path).get(pay.action_id)
    assert sealed is not None and digest(sealed.sealed) == pay.digest
    reopened = ConfirmationGuard(store=SqliteActionStore(path), clock=clock)  # no policy given: the stored one
    assert reopened.policy.per_day_caps == {"AUD": Decimal("100")}
    assert {a.action_id: a for a in reopened.actions()} == before
    assert reopened.get(cancel.action_id).facts["amount"] == Decimal("15.00")
    assert reopened.get(cancel.action_id).facts["expire_at"] == clock()


def test_an_executed_result_is_stored_without_the_merchant_token(tmp_path: Path, client: PayCombat,
                                                                  clock: ManualClock) -> None:
    path = tmp_path / "actions.db"
    guard = ConfirmationGuard(client=client, clock=clock, store=SqliteActionStore(path))
    action = guard.propose("checkouts.create_payment_request",
                           {"amount": "12", "currency": "AUD", "country_code": "AU", "description": "x"})
    result = guard.approve(action.action_id, approver="alice")
    assert "identifier=" in result.checkout_url
    stored = ConfirmationGuard(store=SqliteActionStore(path)).get(action.action_id)
    assert stored.status is ActionStatus.EXECUTED and stored.result.id == result.id
    assert client.config.token.reveal() not in path.read_bytes().decode("utf-8", "replace")
    assert client.config.token.reveal() not in stored.result.checkout_url


def test_a_claim_is_taken_once(store: ActionStore, client: PayCombat) -> None:
    guard = ConfirmationGuard(store=store)
    action = guard.propose("customers.disable", {"customer_id": "customer_x"})
    assert not store.claim(action.action_id, "me")  # PENDING: nothing to claim
    stored = store.get(action.action_id)
    assert stored is not None
    stored.action = replace(stored.action, status=ActionStatus.APPROVED)
    store.save(stored)
    assert store.claim(action.action_id, "me") and not store.claim(action.action_id, "you")


def test_a_failed_transaction_changes_nothing(tmp_path: Path) -> None:
    store = SqliteActionStore(tmp_path / "actions.db")
    guard = ConfirmationGuard(store=store)
    action = guard.propose("customers.disable", {"customer_id": "customer_x"})
    with pytest.raises(RuntimeError):
        with store.transaction():
            stored = store.get(action.action_id)
            assert stored is not None
            stored.action = replace(stored.action, status=ActionStatus.REJECTED)
            store.save(stored)
            raise RuntimeError("crash mid-decision")
    assert guard.get(action.action_id).status is ActionStatus.PENDING


def test_the_file_is_in_wal_mode(tmp_path: Path) -> None:
    SqliteActionStore(tmp_path / "actions.db")
    with sqlite3.connect(tmp_path / "actions.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_guard_stories_hold_over_sqlite(tmp_path: Path, client: PayCombat, clock: ManualClock,
                                            policy: ConfirmationPolicy) -> Any:
    guard = ConfirmationGuard(policy, AuditLog(tmp_path / "audit.jsonl"), client=client, clock=clock,
                              store=SqliteActionStore(tmp_path / "actions.db"))
    first = guard.propose("payouts.create", payout("450"))
    assert guard.propose("payouts.create", payout("450")).action_id == first.action_id  # repeated proposal
    second = guard.propose("payouts.create", payout("400", "87654321"))
    third = guard.propose("payouts.create", payout("300", "11112222"))
    guard.approve(first.action_id, approver="alice")
    guard.approve(second.action_id, approver="alice")
    assert "per-day cap" in guard.check("payouts.create", payout("200", "1"))  # type: ignore[operator]
    with pytest.raises(Exception, match="per-day cap"):
        guard.approve(third.action_id, approver="alice")
    rejected = guard.reject(third.action_id, approver="bob", reason="no")
    assert rejected.status is ActionStatus.REJECTED
    expiring = guard.propose("payouts.create", payout("1", "33334444"))
    clock.advance(601)
    assert guard.get(expiring.action_id).status is ActionStatus.EXPIRED
    assert h.payout_count(client) == 2
    h.assert_audit_complete(guard)


def test_an_action_whose_executor_died_mid_call_becomes_an_unknown_outcome_not_a_second_run(
        tmp_path: Path, client: PayCombat, clock: ManualClock) -> None:
    import socket
    import subprocess
    import sys

    store = SqliteActionStore(tmp_path / "actions.db")
    guard = ConfirmationGuard(client=client, clock=clock, store=store)
    action = guard.propose("payouts.create", payout("40"))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stored = store.get(action.action_id)
    assert stored is not None
    stored.action = replace(stored.action, status=ActionStatus.APPROVED, decided_by="alice", decided_at=clock())
    stored.claimed_by = f"{socket.gethostname()}:{gone.stdout.strip()}:dead"  # claimed, then its process died
    store.save(stored)
    assert guard.run_approved() == [] and h.payout_count(client) == 0
    failed = guard.get(action.action_id)
    assert failed.status is ActionStatus.FAILED and failed.outcome_unknown and "died" in (failed.error or "")
    guard.resend(action.action_id, approver="alice")  # the same order_id: at most one payout
    assert h.payout_count(client) == 1
