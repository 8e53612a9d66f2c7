"""``python -m agent_tools approvals`` as a real subprocess without API credentials, over the guard's store file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from agent_tools import ActionStatus, AuditLog, ConfirmationGuard, ConfirmationPolicy
from agent_tools.store import SqliteActionStore
from paycombat_tools import PayCombat

from . import helpers as h
from .test_cross_process import payout

REPO = Path(__file__).resolve().parents[2]


def approvals(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAYCOMBAT_")}  # no credentials
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run([sys.executable, "-m", "agent_tools", "approvals", *args, "--store", str(store)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "actions.db"


@pytest.fixture
def agent(client: PayCombat, store_path: Path, tmp_path: Path) -> ConfirmationGuard:
    """The assistant's guard: it holds the client, and saves its policy with the actions."""
    return ConfirmationGuard(ConfirmationPolicy(per_day_caps={"AUD": "100"}), AuditLog(tmp_path / "agent.jsonl"),
                             client=client, store=SqliteActionStore(store_path))


def test_list_and_show_print_what_would_run_with_hidden_characters_escaped(agent: ConfirmationGuard,
                                                                           store_path: Path) -> None:
    action = agent.propose("payouts.create", {**payout("40"), "description": "Order \u202e1001\x1b[2K ok"})
    listed = approvals(store_path, "list")
    assert listed.returncode == 0, listed.stderr
    assert action.action_id in listed.stdout and "PENDING" in listed.stdout and "money" in listed.stdout
    shown = approvals(store_path, "show", action.action_id)
    assert shown.returncode == 0, shown.stderr
    for text in (listed.stdout, shown.stdout):
        assert "\u202e" not in text and "\x1b" not in text and "⟨U+202E⟩" in text and "⟨U+001B⟩" in text
    assert "payout_beneficiary_param.account_number" in shown.stdout 
    assert action.digest in shown.stdout and action.expires_at.isoformat(timespec="seconds") in shown.stdout
    [amount] = [line for line in shown.stdout.splitlines() if "sender_amount" in line]
    assert " 40 " in amount and '"12345678"' in shown.stdout  # the exact sealed values: a number, a string


def test_approve_decides_and_the_agent_runs_it_once(agent: ConfirmationGuard, store_path: Path,
                                                    client: PayCombat) -> None:
    action = agent.propose("payouts.create", payout("40"))
    approved = approvals(store_path, "approve", action.action_id, "--as", "alice")
    assert approved.returncode == 0, approved.stderr
    assert "APPROVED" in approved.stdout and h.payout_count(client) == 0
    done = agent.poll(action.action_id)
    assert done.status is ActionStatus.EXECUTED and done.decided_by == "alice" and h.payout_count(client) == 1
    again = approvals(store_path, "approve", action.action_id, "--as", "bob")
    assert again.returncode == 1 and "already executed" in again.stderr and len(again.stderr.splitlines()) == 1
    assert agent.run_approved() == [] and h.payout_count(client) == 1


def test_reject_records_the_reason_and_nothing_runs(agent: ConfirmationGuard, store_path: Path,
                                                    client: PayCombat, tmp_path: Path) -> None:
    action = agent.propose("payouts.create", payout("40"))
    rejected = approvals(store_path, "reject", action.action_id, "--as", "bob", "--reason", "wrong account")
    assert rejected.returncode == 0, rejected.stderr
    assert agent.poll(action.action_id).status is ActionStatus.REJECTED and h.payout_count(client) == 0
    person_audit = AuditLog(store_path.with_suffix(".audit.jsonl")).entries(action.action_id)
    assert person_audit[-1]["event"] == "rejected" and person_audit[-1]["detail"]["reason"] == "wrong account"


@pytest.mark.parametrize("args, message", [
    (["approve", "act_nope", "--as", "alice"], "no action"),
    (["approve", "{id}", "--as", "assistant\u200b"], "cannot decide it"),
    (["approve", "{id}", "--as", "policy:auto:x"], "kept for the policy"),
    (["show", "act_nope"], "no action"),
])
def test_refusals_are_one_clear_line_and_a_non_zero_exit(agent: ConfirmationGuard, store_path: Path,
                                                         args: list[str], message: str) -> None:
    action = agent.propose("payouts.create", payout("40"))
    result = approvals(store_path, *[arg.format(id=action.action_id) for arg in args])
    assert result.returncode != 0 and message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "\u200b" not in result.stderr
    assert agent.get(action.action_id).status is ActionStatus.PENDING


def test_the_cli_applies_the_agents_day_cap(agent: ConfirmationGuard, store_path: Path, client: PayCombat) -> None:
    first = agent.propose("payouts.create", payout("60", "11111111"))
    second = agent.propose("payouts.create", payout("60", "22222222"))
    assert approvals(store_path, "approve", first.action_id, "--as", "alice").returncode == 0
    over = approvals(store_path, "approve", second.action_id, "--as", "alice")
    assert over.returncode == 1 and "per-day cap of AUD 100" in over.stderr
    assert [a.action_id for a in agent.run_approved()] == [first.action_id] and h.payout_count(client) == 1


def test_a_missing_store_is_an_error_not_a_new_empty_store(tmp_path: Path) -> None:
    result = approvals(tmp_path / "typo.db", "list")
    assert result.returncode != 0 and "no action store" in result.stderr and not (tmp_path / "typo.db").exists()


def test_the_paycombat_cli_reuses_the_group(agent: ConfirmationGuard, store_path: Path) -> Any:
    action = agent.propose("payouts.create", payout("40"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAYCOMBAT_")}
    env["PYTHONPATH"] = str(REPO)
    result = subprocess.run([sys.executable, "-m", "paycombat_tools.cli", "approvals", "list", "--store",
                             str(store_path)], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert action.action_id in result.stdout
