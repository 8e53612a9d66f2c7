"""Guards in separate OS processes over one SQLite action store, against the standalone sandbox process.

One process proposes and holds the API credentials; people decide from processes without them; each
approved action runs exactly once, and the day cap holds across processes and restarts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paycombat_tools import PayCombat
from tests.sandbox.sandbox_process import SandboxProcess

from .store_worker import Worker

CAPS = {"per_day_caps": {"AUD": "100"}}


def payout(amount: str, account: str = "12345678") -> dict[str, Any]:
    return {"sender_amount": amount, "sender_currency": "AUD", "beneficiary_amount": amount,
            "beneficiary_currency": "AUD", "payout_method_name": "au_bank_acct", "purpose_code": "SELF",
            "payout_beneficiary_param": {"bsb": "062-000", "account_number": account,
                                         "individual": {"first_name": "Grace", "last_name": "Ho"}}}


@pytest.fixture
def sandbox_process(tmp_path: Path) -> Iterator[SandboxProcess]:
    process = SandboxProcess(tmp_path / "sandbox.db")
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def api(sandbox_process: SandboxProcess) -> Iterator[PayCombat]:
    with sandbox_process.client() as client:
        yield client


@pytest.fixture
def workers(tmp_path: Path, sandbox_process: SandboxProcess) -> Iterator[Any]:
    started: list[Worker] = []

    def start(name: str, *, credentials: bool) -> Worker:
        worker = Worker(tmp_path / "actions.db", tmp_path / f"audit-{name}.jsonl",
                        credentials=sandbox_process.settings if credentials else None, caps=CAPS)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def payouts(api: PayCombat) -> list[Any]:
    return list(api.payouts.list(limit=100))


def test_a_person_without_credentials_approves_and_the_proposing_process_runs_it_once(
        workers: Any, api: PayCombat) -> None:
    agent = workers("agent", credentials=True)
    person = workers("person", credentials=False)
    assert agent.credentials and not person.credentials
    proposed = agent.ask(cmd="propose", operation="payouts.create", arguments=payout("40"))
    assert proposed["status"] == "PENDING"
    decided = person.ask(cmd="approve", id=proposed["action_id"], **{"as": "alice"})
    assert decided == {"status": "APPROVED", "result_id": None} and payouts(api) == []
    status = agent.ask(cmd="status", id=proposed["action_id"])  # the model asks; the agent's guard runs it
    assert status["status"] == "EXECUTED" and status["decided_by"] == "alice" and status["result"]["id"]
    again = agent.ask(cmd="status", id=proposed["action_id"])
    assert again["status"] == "EXECUTED" and again["result"]["id"] == status["result"]["id"]
    assert agent.ask(cmd="run") == {"ran": []}
    assert [p.id for p in payouts(api)] == [status["result"]["id"]]
    assert person.ask(cmd="approve", id=proposed["action_id"], **{"as": "bob"})["refused"] == "already_executed"


def test_two_processes_racing_to_approve_one_action_execute_it_once(workers: Any, api: PayCombat) -> None:
    agent = workers("agent", credentials=True)
    first, second = workers("first", credentials=True), workers("second", credentials=True)
    for round_ in range(3):
        action_id = agent.ask(cmd="propose", operation="payouts.create", arguments=payout(f"1{round_}"))["action_id"]
        first.send(cmd="approve", id=action_id, **{"as": "alice"})
        second.send(cmd="approve", id=action_id, **{"as": "bob"})
        answers = [first.read(), second.read()]
        executed = [a for a in answers if a.get("result_id")]
        assert len(executed) == 1, answers
        other = next(a for a in answers if not a.get("result_id"))
        assert other.get("refused") in ("in_progress", "already_executed") or other["status"] in (
            "APPROVED", "EXECUTED"), answers
        assert agent.ask(cmd="run") == {"ran": []}
    assert len(payouts(api)) == 3


def test_the_day_cap_holds_across_processes_deciding_at_once(workers: Any, api: PayCombat) -> None:
    agent = workers("agent", credentials=True)
    people = [workers(f"person{i}", credentials=False) for i in range(3)]
    ids = [agent.ask(cmd="propose", operation="payouts.create", arguments=payout("40", f"1234567{i}"))["action_id"]
           for i in range(3)]  # 40 each fits alone; 120 is over the AUD 100 day cap
    for person, action_id in zip(people, ids):
        person.send(cmd="approve", id=action_id, **{"as": "alice"})
    answers = [person.read() for person in people]
    assert sorted(a.get("status") or a["refused"] for a in answers) == ["APPROVED", "APPROVED", "policy"], answers
    ran = agent.ask(cmd="run")["ran"]
    assert len(ran) == 2 and len(payouts(api)) == 2


def test_a_pending_action_survives_kill_9_of_the_proposing_process(workers: Any, api: PayCombat) -> None:
    agent = workers("agent", credentials=True)
    action_id = agent.ask(cmd="propose", operation="payouts.create", arguments=payout("25"))["action_id"]
    agent.kill()
    restarted = workers("restarted", credentials=True)
    done = restarted.ask(cmd="approve", id=action_id, **{"as": "alice"})
    assert done["status"] == "EXECUTED" and done["result_id"]
    assert restarted.ask(cmd="approve", id=action_id, **{"as": "bob"})["refused"] == "already_executed"
    assert restarted.ask(cmd="run") == {"ran": []}
    assert [p.id for p in payouts(api)] == [done["result_id"]]


def test_two_executors_racing_to_run_approved_actions_run_each_once(workers: Any, api: PayCombat) -> None:
    agent, spare = workers("agent", credentials=True), workers("spare", credentials=True)
    person = workers("person", credentials=False)
    ids = [agent.ask(cmd="propose", operation="payouts.create", arguments=payout(f"{10 + i}"))["action_id"]
           for i in range(4)]
    for action_id in ids:
        assert person.ask(cmd="approve", id=action_id, **{"as": "alice"})["status"] == "APPROVED"
    agent.send(cmd="run")
    spare.send(cmd="run")
    ran = agent.read()["ran"] + spare.read()["ran"]
    assert sorted(ran) == sorted(ids)  # each claimed by exactly one of them
    assert len(payouts(api)) == 4
