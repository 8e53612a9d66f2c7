"""``kill -9`` of the standalone sandbox in the middle of 16 threads of payouts, then a restart on the same file.

Every payout the client heard back about is still there, nothing is half-written, balances equal the
ledger, and re-sending the unanswered ``order_id``s with the same arguments pays each order exactly once.
"""

from __future__ import annotations

import itertools
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests

from paycombat_tools import NetworkError, PayCombat, RetryPolicy
from paycombat_tools.sandbox import Sandbox
from paycombat_tools.sandbox._fixtures import PAYOUT_FEE
from paycombat_tools.signing import parse_json
from tests.sandbox.helpers import SEED, au_payout, create_customer_wallet, fund_wallet, payin_fee
from tests.sandbox.sandbox_process import SandboxProcess

THREADS = 16
ACKNOWLEDGED_BEFORE_KILL = 32  # the kill comes after at least this many answers, with other threads mid-request
LAST_CHANCE = 200  # ... and at the latest after this many
CRASHES = 3  # kill -9, restart on the same file, and again
AMOUNT = Decimal("1.00")
COST = AMOUNT + PAYOUT_FEE["AUD"]  # what each PENDING payout holds back
GROSS = Decimal("2000.00")  # covers CRASHES * (LAST_CHANCE + THREADS) payouts
FUNDED = GROSS - payin_fee(GROSS)
#: Fast retries and a short timeout: a dead sandbox is noticed in milliseconds.
CLIENT_OPTIONS: dict[str, Any] = {"retry": RetryPolicy(max_retries=2, backoff_base=0.01, backoff_max=0.05, jitter=0.0),
                                  "timeout": 5.0}
#: What "no answer" looks like to a caller (a raw requests error until every HTTP failure is a NetworkError).
NO_ANSWER = (NetworkError, requests.RequestException)


def send_payout(client: PayCombat, wallet_id: str, order_id: str) -> Any:
    """One order's payout; the same order_id always goes with the same arguments."""
    return au_payout(client, AMOUNT, debit_wallet_id=wallet_id, order_id=order_id, description=f"order {order_id}")


def stored_payouts(connection: sqlite3.Connection) -> int:
    return int(connection.execute("SELECT COUNT(*) FROM records WHERE kind = 'payout'").fetchone()[0])


def resend(process: SandboxProcess, wallet_id: str, order_id: str) -> Any:
    """What a merchant does after "no answer": the same call, with the same order_id, once more."""
    with process.client(**CLIENT_OPTIONS) as client:
        return send_payout(client, wallet_id, order_id)


def assert_served(process: SandboxProcess, callers: "Callers") -> None:
    """The restarted sandbox serves every payout a caller was told about, under its order_id."""
    with process.client(**CLIENT_OPTIONS) as client:
        for order_id, payout in callers.acknowledged.items():
            assert client.payouts.retrieve(payout.id).order_id == order_id


@dataclass
class Callers:
    """What the callers know: the payouts they got an answer for, and the order_ids they did not."""

    acknowledged: dict[str, Any] = field(default_factory=dict)
    unanswered: dict[str, BaseException] = field(default_factory=dict)

    @property
    def order_ids(self) -> set[str]:
        return set(self.acknowledged) | set(self.unanswered)

    def absorb(self, other: "Callers") -> None:
        self.acknowledged.update(other.acknowledged)
        self.unanswered.update(other.unanswered)


@dataclass
class Burst(Callers):
    """16 threads of payouts against one sandbox process, ended by its kill -9."""

    label: str = "burst"
    enough: threading.Event = field(default_factory=threading.Event)
    killed: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fire(self, process: SandboxProcess, wallet_id: str, thread: int) -> None:
        """Payout after payout with fresh order_ids, until a call goes unanswered after the kill."""
        try:
            self._fire(process, wallet_id, thread)
        except BaseException:
            self.enough.set()  # an answer that is an error: stop waiting, the test fails on it
            raise

    def _fire(self, process: SandboxProcess, wallet_id: str, thread: int) -> None:
        with process.client(**CLIENT_OPTIONS) as client:
            for number in itertools.count():
                order_id = f"{self.label}-{thread:02d}-{number:04d}"
                try:
                    payout = send_payout(client, wallet_id, order_id)
                except NO_ANSWER as error:
                    with self._lock:
                        self.unanswered[order_id] = error
                    if self.killed.is_set():
                        return
                else:
                    with self._lock:
                        self.acknowledged[order_id] = payout
                        if len(self.acknowledged) >= ACKNOWLEDGED_BEFORE_KILL:
                            self.enough.set()

    def run_and_kill(self, process: SandboxProcess, db: Path, wallet_id: str) -> None:
        """Start the threads; once enough answers are in, kill -9 the sandbox when the file holds a payout
        nobody has heard back about yet (the kill may still come after its answer), or after LAST_CHANCE answers."""
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            threads = [pool.submit(self.fire, process, wallet_id, n) for n in range(THREADS)]
            reached = self.enough.wait(timeout=120)  # a guard against a hang, not a timing assertion
            with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as watcher:
                while (reached and not any(thread.done() for thread in threads)
                       and stored_payouts(watcher) <= self.answered() < LAST_CHANCE):
                    pass
            self.killed.set()
            process.kill()
            for thread in threads:
                if thread.exception() is not None:  # an answer that is an error, not "no answer"
                    raise AssertionError("\n".join(process.output[-30:])) from thread.exception()
        assert reached, f"only {len(self.acknowledged)} payouts answered before the guard ran out: {process.output}"

    def answered(self) -> int:
        with self._lock:
            return len(self.acknowledged)


@dataclass
class Stored:
    """What the database file holds, read after the sandbox process is gone."""

    integrity: list[str]
    payouts: dict[str, list[dict[str, Any]]]  # order_id -> payout records
    holds: Counter[str]  # payout id -> its PAYOUT_HOLD ledger rows
    balance: tuple[Decimal, Decimal]

    @property
    def payout_ids(self) -> set[str]:
        return {payout["id"] for rows in self.payouts.values() for payout in rows}

    def payout(self, order_id: str) -> dict[str, Any]:
        [payout] = self.payouts[order_id]
        return payout


def read_stored(db: Path, wallet_id: str) -> Stored:
    """Integrity check on the raw file first, then the sandbox's own ledger check and SQL counts."""
    with closing(sqlite3.connect(db)) as connection:
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    sandbox = Sandbox(str(db))  # in-process, on the same file; the stored credentials win
    try:
        sandbox.check_ledger()  # every balance equals its ledger entries, none negative
        with sandbox.store.transaction():
            payouts: dict[str, list[dict[str, Any]]] = {}
            for row in sandbox.store.db.execute("SELECT ref, data FROM records WHERE kind = 'payout'"):
                payouts.setdefault(row["ref"], []).append(parse_json(row["data"]))
            holds = Counter({row["reference_id"]: row["n"] for row in sandbox.store.db.execute(
                "SELECT reference_id, COUNT(*) n FROM ledger WHERE type = 'PAYOUT_HOLD' GROUP BY reference_id")})
        balance = sandbox.balance(wallet_id, "AUD")
    finally:
        sandbox.close()
    return Stored(integrity, payouts, holds, balance)


def assert_consistent(stored: Stored, callers: Callers) -> None:
    """Whole payouts only: each with one hold, each order paid at most once, the wallet down by exactly that."""
    assert stored.integrity == ["ok"]
    assert set(stored.payouts) <= callers.order_ids, "a payout for an order_id nobody sent"
    assert all(len(rows) == 1 for rows in stored.payouts.values()), "an order_id paid twice"
    assert all(stored.payout(order_id)["order_id"] == order_id for order_id in stored.payouts)
    assert dict(stored.holds) == {payout_id: 1 for payout_id in stored.payout_ids}, "a half-written payout"
    assert stored.balance == (FUNDED - len(stored.payouts) * COST, FUNDED)


def assert_acknowledged_kept(stored: Stored, callers: Callers) -> None:
    for order_id, payout in callers.acknowledged.items():
        assert stored.payout(order_id)["id"] == payout.id, f"acknowledged payout {order_id} lost"


def test_kill_9_mid_burst_loses_no_acknowledged_payout_and_resending_pays_each_order_once(
        start_sandbox_process: Callable[..., SandboxProcess], tmp_path: Path) -> None:
    db = tmp_path / "sandbox.db"
    process = start_sandbox_process(db, seed=SEED)
    token = process.settings["PAYCOMBAT_TOKEN"]
    with process.client(**CLIENT_OPTIONS) as client:
        wallet_id = create_customer_wallet(client, ("AUD",)).wallet_id
        fund_wallet(client, wallet_id, GROSS)

    callers = Callers()  # what the callers know, over every crash
    committed_unanswered: set[str] = set()
    for crash in range(CRASHES):
        if crash:
            process = start_sandbox_process(db, seed=SEED)  # the same command on the same file
            assert_served(process, callers)
        burst = Burst(label=f"crash{crash}")
        burst.run_and_kill(process, db, wallet_id)
        assert process.process.returncode == -9
        assert len(burst.acknowledged) >= ACKNOWLEDGED_BEFORE_KILL and len(burst.unanswered) >= THREADS
        callers.absorb(burst)

        after_crash = read_stored(db, wallet_id)
        assert_consistent(after_crash, callers)
        assert_acknowledged_kept(after_crash, callers)
        committed_unanswered |= set(after_crash.payouts) & set(burst.unanswered)

    process = start_sandbox_process(db, seed=SEED)
    assert process.settings["PAYCOMBAT_TOKEN"] == token
    assert_served(process, callers)
    with ThreadPoolExecutor(max_workers=THREADS) as pool:  # re-sent concurrently, as merchants' retries come
        resent = dict(zip(callers.unanswered, pool.map(lambda order_id: resend(process, wallet_id, order_id),
                                                       callers.unanswered)))
    with process.client(**CLIENT_OPTIONS) as client:
        listed = Counter(payout.order_id for payout in client.payouts.list(limit=100))  # every page
    process.stop()

    for order_id in committed_unanswered:  # answered now with the payout made before the kill
        assert resent[order_id].id == after_crash.payout(order_id)["id"]
    assert listed == Counter({order_id: 1 for order_id in callers.order_ids})

    final = read_stored(db, wallet_id)
    assert_consistent(final, callers)
    assert_acknowledged_kept(final, callers)
    assert set(final.payouts) == callers.order_ids
    print(f"{CRASHES} crashes: {len(callers.acknowledged)} acknowledged, {len(callers.unanswered)} unanswered "
          f"({len(committed_unanswered)} of them committed before the kill), {len(final.payouts)} payouts in the end")
