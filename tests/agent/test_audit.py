"""The audit log: append-only, complete (who, what, when, in order) and free of secrets."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from langchain_core.tools import BaseTool

from agent_tools import ActionRefused, ApprovalPanel, AuditLog, ConfirmationGuard, ConfirmationPolicy, apply_decision
from agent_tools.audit import redact
from agent_tools.summaries import render_summary
from paycombat_tools import PayCombat
from paycombat_tools.sandbox import ManualClock, Sandbox

from . import helpers as h
from .helpers import PAYOUT, World, call


def run_a_busy_day(guard: ConfirmationGuard, tools: dict[str, BaseTool], world: World, clock: ManualClock,
                   sandbox: Sandbox) -> dict[str, str]:
    """Proposals, approvals, a rejection, an expiry, refusals and a failure, like a real shift."""
    ids = {
        "paid": call(tools["create_payout"], **PAYOUT)["action_id"],
        "rejected": call(tools["refund_payin"], payin_id=world.payin_id, amount="20", currency="AUD")["action_id"],
        "cancelled": call(tools["cancel_payment_request"], checkout_id=world.open_checkout_id)["action_id"],
        "leaky": call(tools["create_payout"], **{**PAYOUT, "description": f"key {sandbox.signature_key[:40]}"})[
            "action_id"],
        "secret_in_text": call(tools["create_payin"], amount="5", currency="AUD", payin_method_name="au_bank_npp",
                               description=sandbox.token)["action_id"],
    }
    call(tools["create_payout"], **{**PAYOUT, "amount": "9999"})  # refused by policy at proposal
    guard.approve(ids["paid"], approver="alice")
    guard.reject(ids["rejected"], approver="bob", reason="customer withdrew the request")
    guard.approve(ids["cancelled"], approver="alice")
    with pytest.raises(ActionRefused):
        guard.approve(ids["paid"], approver="mallory")
    with pytest.raises(ActionRefused):
        guard.approve("act_forged", approver="mallory")
    guard.approve(ids["secret_in_text"], approver="alice")
    clock.advance(601)
    with pytest.raises(ActionRefused):
        guard.approve(ids["leaky"], approver="alice")
    return ids


@pytest.mark.parametrize("suffix", ["jsonl", "db"])
def test_audit_is_complete_and_has_no_secrets(suffix: str, tmp_path: Path, client: PayCombat, sandbox: Sandbox,
                                              world: World, clock: ManualClock, policy: ConfirmationPolicy) -> None:
    path = tmp_path / f"audit.{suffix}"
    guard = ConfirmationGuard(policy, AuditLog(path), clock=clock)
    tools = h.tools_by_name(client, guard)
    ids = run_a_busy_day(guard, tools, world, clock, sandbox)
    h.assert_audit_complete(guard)
    events = [(e["event"], e["actor"], e["action_id"]) for e in guard.audit.entries()]
    assert events[:6] == [("proposed", "assistant", ids["paid"]), ("proposed", "assistant", ids["rejected"]),
                          ("proposed", "assistant", ids["cancelled"]), ("proposed", "assistant", ids["leaky"]),
                          ("proposed", "assistant", ids["secret_in_text"]), ("proposal_refused", "assistant", None)]
    assert events[6:] == [
        ("approved", "alice", ids["paid"]), ("executed", "alice", ids["paid"]),
        ("rejected", "bob", ids["rejected"]),
        ("approved", "alice", ids["cancelled"]), ("executed", "alice", ids["cancelled"]),
        ("approval_refused", "mallory", ids["paid"]), ("approval_refused", "mallory", "act_forged"),
        ("approved", "alice", ids["secret_in_text"]), ("executed", "alice", ids["secret_in_text"]),
        ("expired", "guard", ids["leaky"]), ("approval_refused", "alice", ids["leaky"]),
    ]
    proposed = guard.audit.entries(ids["paid"])[0]
    assert proposed["detail"]["summary"].startswith("Pay AUD 40.00") and proposed["detail"]["amount"] == "40.00"
    assert proposed["detail"]["arguments"]["order_id"] == proposed["detail"]["reference"]
    executed = guard.audit.entries(ids["paid"])[2]
    assert executed["detail"]["result"]["order_id"] == proposed["detail"]["reference"]
    assert h.audit_amounts_are_strings(guard)

    stored = path.read_bytes()
    secrets = [sandbox.token, sandbox.signature_key, sandbox.signature_key[:40]]
    checkout = client.checkouts.retrieve(world.open_checkout_id)
    secrets.append(checkout.checkout_token)  # a capability: whoever has it can pay or cancel
    for secret in secrets:
        assert secret.encode() not in stored, "a secret reached the audit log"
    assert b"[redacted:" in stored


def test_sqlite_audit_refuses_update_and_delete(tmp_path: Path) -> None:
    path = tmp_path / "audit.db"
    log = AuditLog(path)
    log.append("proposed", actor="assistant", action_id="act_1", amount="1")
    raw = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("UPDATE audit SET actor = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("DELETE FROM audit")
    raw.close()
    log.close()
    reopened = AuditLog(path)
    reopened.append("approved", actor="alice", action_id="act_1")
    assert [(e["seq"], e["event"]) for e in reopened.entries()] == [(1, "proposed"), (2, "approved")]


def test_jsonl_audit_appends_across_restarts(tmp_path: Path) -> None:
    path = tmp_path / "logs" / "audit.jsonl"
    AuditLog(path).append("proposed", actor="assistant", action_id="act_1")
    AuditLog(path).append("rejected", actor="bob", action_id="act_1", reason="no")
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(e["seq"], e["event"], e["actor"]) for e in lines] == [(1, "proposed", "assistant"), (2, "rejected", "bob")]
    assert AuditLog(path).entries("act_1") == lines
    assert repr(AuditLog(path)).startswith("<AuditLog jsonl")


def test_redaction() -> None:
    hidden = redact({
        "checkout_token": "abc", "signature": "def", "X-token": "x", "nested": {"api_key": "k"},
        "plain": "snd_" + "a1" * 16, "hexkey": "ab" * 40, "bearer": "Bearer abcdefghijkl",
        "jwt": "eyJhbGciOiJI.eyJzdWIiOiIx.c2lnbmF0dXJl", "note": "token is supersecretvalue here",
        "payout_id": "7b6471e2-103e-43c2-9fda-f62548f2f8ed", "customer_id": "customer_" + "0f" * 16,
        "amount": __import__("decimal").Decimal("40.00"),
    }, secrets=["supersecretvalue"])
    for key in ("checkout_token", "signature", "X-token", "plain", "hexkey", "bearer", "jwt"):
        assert hidden[key].startswith("[redacted:"), key
    assert hidden["nested"]["api_key"].startswith("[redacted:")
    assert "supersecretvalue" not in hidden["note"] and hidden["note"].startswith("token is [redacted:")
    assert hidden["payout_id"] == "7b6471e2-103e-43c2-9fda-f62548f2f8ed"
    assert hidden["customer_id"].startswith("customer_") and hidden["amount"] == "40.00"
    assert redact("same value", ["short"]) == "same value"  # secrets under 8 characters are not matched


@pytest.mark.parametrize("suffix", ["jsonl", "db"])
def test_the_merchant_token_in_checkout_url_reaches_no_result_or_audit(
        suffix: str, tmp_path: Path, client: PayCombat, sandbox: Sandbox, world: World, clock: ManualClock,
        policy: ConfirmationPolicy) -> None:
    """checkout_url is documented as ``…?token=…&identifier=<X-token>``: the merchant token must stay hidden."""
    path = tmp_path / f"audit.{suffix}"
    guard = ConfirmationGuard(policy, AuditLog(path), clock=clock)
    tools = h.tools_by_name(client, guard)
    token = sandbox.token
    shown: list[str] = []  # everything a model, an approver or a host log would see

    proposal = call(tools["create_payment_request"], amount="30.00", currency="AUD", country_code="AU",
                    description="Order #2001", order_items=[{"product_name": "Mug", "quantity": 2,
                                                             "unit_price": "15.00"}])
    shown.append(json.dumps(proposal))
    panel = ApprovalPanel(guard)
    shown.append(panel.rows.children[0].children[0].value)
    outcome = apply_decision(guard, proposal["action_id"], {"decision": "approve", "approver": "alice"})
    shown.append(json.dumps(outcome))
    assert outcome["executed"] is True and "identifier=<hidden>" in outcome["result"]["checkout_url"]
    checkout = guard.get(proposal["action_id"]).result
    assert token in checkout.checkout_url  # the real link is kept for the code that sends it to a payer
    assert token not in repr(guard.get(proposal["action_id"]))

    status = call(tools["get_action_status"], action_id=proposal["action_id"])
    looked_up = call(tools["get_payment_request"], checkout_id=checkout.id)
    by_token = call(tools["get_payment_request"], checkout_id=checkout.checkout_token)
    shown += [json.dumps(status), json.dumps(looked_up), json.dumps(by_token)]
    assert status["result"]["checkout_link"] == looked_up["checkout_link"] and "identifier" not in looked_up["checkout_link"]
    assert "status" not in status["result"]  # a checkout's status is sandbox-only: not in results or the audit

    cancel = call(tools["cancel_payment_request"], checkout_id=checkout.id)
    shown.append(json.dumps(cancel))
    panel.refresh()
    panel.approver.value = "bob"
    panel.buttons[cancel["action_id"]][0].click()
    shown += [panel.messages[-1], json.dumps(call(tools["get_payment_request"], checkout_id=checkout.id))]
    assert "executed" in panel.messages[-1]

    for text in shown:
        assert token not in text, text
    stored = path.read_bytes()
    assert stored and token.encode() not in stored, "the merchant token reached the audit log"
    assert checkout.checkout_token.encode() not in stored
    h.assert_audit_complete(guard)


def test_audit_and_summaries_hide_identifier_without_knowing_the_token(tmp_path: Path, sandbox: Sandbox,
                                                                       client: PayCombat) -> None:
    checkout = client.checkouts.create_payment_request(amount="5", currency="AUD", country_code="AU")
    assert checkout.checkout_url is not None and sandbox.token in checkout.checkout_url
    for path in (tmp_path / "bare.jsonl", tmp_path / "bare.db"):
        log = AuditLog(path)  # never told the token: no guard bound it
        log.append("executed", actor="host", action_id="act_1", result={"checkout_url": checkout.checkout_url},
                   note=f"link was {checkout.checkout_url} (sent)")
        entry = log.entries("act_1")[0]
        assert "identifier=<hidden>" in entry["detail"]["note"]
        log.close()
        assert sandbox.token.encode() not in path.read_bytes()
    summary = render_summary("payins.create", {"amount": "5", "currency": "AUD", "payin_method_name": "au_bank_npp",
                                               "description": f"x&identifier={sandbox.token}"})
    generic = render_summary("checkouts.retrieve", {"note": f"identifier={sandbox.token}"})
    assert sandbox.token not in summary and sandbox.token[:12] not in generic
