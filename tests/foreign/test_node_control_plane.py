"""Any language can drive the sandbox: a Node.js script (global fetch, node:http, no packages) resets the
standalone sandbox, moves its clock, plans a fault, triggers an outcome and receives its signed webhook."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.foreign.conftest import HERE, StandaloneSandbox, describe, run_script

STEPS = ["reset", "clock", "payins.create", "clock.advance", "payins.retrieve", "faults.plan",
         "merchant.balance.faulted", "merchant.balance", "notification_url.set", "trigger", "webhook", "webhooks",
         "reset.again", "payouts.retrieve.after_reset"]


@pytest.fixture(scope="module")
def steps(node: str, standalone_sandbox: StandaloneSandbox) -> dict[str, dict[str, Any]]:
    run = run_script([node, str(HERE / "node" / "control_plane.mjs")], standalone_sandbox)
    by_call = run.by_call()
    assert list(by_call) == STEPS, run.lines
    printed = "".join(str(line.get("raw")) + str(line.get("url")) for line in run.lines) + run.stderr
    assert standalone_sandbox.token not in printed and standalone_sandbox.key not in printed
    return by_call


def data(line: dict[str, Any], status: int = 200) -> Any:
    assert line["status"] == status, describe(line)
    return line["body"]["data"]


def test_reset_answers_with_the_seed_and_the_clock(steps: dict[str, dict[str, Any]]) -> None:
    reset, clock = data(steps["reset"]), data(steps["clock"])
    assert set(reset) == {"seed", "demo", "now"} and reset["demo"] is False
    assert clock["offset_seconds"] == 0 and clock["manual"] is False


def test_advancing_the_clock_expires_the_payin_the_script_created(steps: dict[str, dict[str, Any]]) -> None:
    payin = data(steps["payins.create"])
    advanced = data(steps["clock.advance"])
    assert advanced["expired_payins"] == [payin["id"]] and advanced["offset_seconds"] == 172800
    assert data(steps["payins.retrieve"])["status"] == "EXPIRED"


def test_a_planned_fault_fails_the_next_call_once(steps: dict[str, dict[str, Any]]) -> None:
    assert data(steps["faults.plan"])["planned"] == {"merchant.balance": ["error"]}
    faulted = steps["merchant.balance.faulted"]
    assert faulted["status"] == 503 and faulted["body"]["status"] is False
    assert data(steps["merchant.balance"])["currency"] == "AUD"


def test_the_triggered_payout_webhook_reaches_the_node_receiver_signed(steps: dict[str, dict[str, Any]]) -> None:
    triggered = data(steps["trigger"])
    assert triggered["webhooks"] == ["PAYOUT SUCCESS"] and triggered["webhook_url"].endswith("/hooks")
    webhook = steps["webhook"]
    assert webhook["verified"] is True, describe(webhook)
    event = json.loads(webhook["payload"])
    assert (event["type"], event["status"], event["id"]) == ("PAYOUT", "SUCCESS", triggered["ids"]["payout_id"])
    [attempt] = data(steps["webhooks"])["attempts"]
    assert attempt["delivered"] is True and attempt["body"] == webhook["payload"]  # the exact text that was signed


def test_a_second_reset_forgets_the_payout(steps: dict[str, dict[str, Any]]) -> None:
    data(steps["reset.again"])
    assert steps["payouts.retrieve.after_reset"]["status"] == 404
