"""Every tool against the real sandbox: look-ups answer concisely; guarded tools only propose."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from langchain_core.tools import BaseTool

from agent_tools import (
    GUARDED_TOOLS, LOOKUP_TOOLS, ActionStatus, ConfirmationGuard, ConfirmationPolicy, build_tools, tool_specs,
)
from agent_tools.schemas import PayoutArgs
from agent_tools.spec import ReadOnlyClient, ToolSpec
from paycombat_tools import PayCombat
from paycombat_tools.catalog import CATALOG
from paycombat_tools.sandbox import Sandbox

from . import helpers as h
from .helpers import GRACE, PAYOUT, World, call, no_floats


@pytest.fixture
def tools(client: PayCombat, guard: ConfirmationGuard) -> dict[str, BaseTool]:
    return h.tools_by_name(client, guard)


def test_the_curated_set(tools: dict[str, BaseTool]) -> None:
    assert set(tools) == set(LOOKUP_TOOLS) | set(GUARDED_TOOLS)
    assert set(GUARDED_TOOLS) == {"create_payout", "create_payin", "create_payment_request", "cancel_payment_request",
                                  "refund_payin", "create_beneficiary", "update_beneficiary", "disable_customer",
                                  "delete_customer"}
    for tool in tools.values():
        assert tool.name.isidentifier() and tool.name.islower()
        assert 40 <= len(tool.description) <= 600, tool.name
        assert tool.metadata is not None
        assert tool.metadata["guarded"] == (tool.name in GUARDED_TOOLS)
        if tool.metadata["guarded"]:
            assert "human approval" in tool.description


def test_guarded_exactly_when_the_catalog_says_money_or_destructive() -> None:
    for spec in tool_specs():
        if spec.operation is not None:
            assert spec.guarded == (CATALOG[spec.operation].risk in ("money", "destructive"))
            assert spec.guarded, f"{spec.name} names an operation but is not guarded"
    with pytest.raises(ValueError, match="proposed through the guard"):
        ToolSpec("sneaky_payout", "Pays directly.", PayoutArgs, run=lambda ctx, p: {}, operation="payouts.create")


def test_look_ups_cannot_write(client: PayCombat) -> None:
    reader = ReadOnlyClient(client)
    for name, operation in CATALOG.items():
        if operation.risk != "read":
            with pytest.raises(PermissionError):
                reader.call(name)


def test_allow_restricts_the_set(client: PayCombat, guard: ConfirmationGuard) -> None:
    only = build_tools(client, guard, allow=["get_payout", "create_payout"])
    assert [t.name for t in only] == ["get_payout", "create_payout"]
    lookups = build_tools(client, None, allow=[n for n in LOOKUP_TOOLS if n != "get_action_status"])
    assert all(not t.metadata["guarded"] for t in lookups)  # type: ignore[index]
    with pytest.raises(ValueError, match="unknown tool"):
        build_tools(client, guard, allow=["approve_action"])
    with pytest.raises(ValueError, match="ConfirmationGuard"):
        build_tools(client, None, allow=["create_payout"])


def test_get_customer(tools: dict[str, BaseTool], world: World) -> None:
    result = call(tools["get_customer"], customer_id=world.customer_id)
    assert result["name"] == "Ada Tan" and result["is_wallet_ready"] is True and result["is_active"] is True
    assert result["description"] == "Online store" and result["type"] == "individual"
    assert not {"is_enabled", "status", "deleted_at"} & set(result)  # not PayCombat fields
    assert "identification_value" not in json.dumps(result)  # concise: no identity documents
    company = call(tools["get_customer"], customer_id=world.other_customer_id)
    assert company["name"] == "Kettle & Co" and company["missing_fields"] == ["company.address_line1",
                                                                             "company.address_city"]
    missing = call(tools["get_customer"], customer_id="customer_nope")
    assert missing["error"] == "not_found"


def test_get_wallet_balances(tools: dict[str, BaseTool], world: World) -> None:
    result = call(tools["get_wallet_balances"], wallet_id=world.wallet_id)
    assert {b["currency"] for b in result["balances"]} == {"AUD", "SGD"}
    assert all(b["available"] == "0.00" and b["held"] == "0.00" for b in result["balances"])
    assert no_floats(result)


def test_get_transaction(tools: dict[str, BaseTool], world: World) -> None:
    result = call(tools["get_transaction"], transaction_id=world.transaction_id)
    assert result["reference_id"] == world.failed_payout_id and result["amount"].startswith("AUD ")
    assert isinstance(result["available_after"], str)


def test_get_payin(tools: dict[str, BaseTool], world: World) -> None:
    result = call(tools["get_payin"], payin_id=world.payin_id)
    assert result["status"] == "SUCCESS" and result["amount"] == "AUD 120.50" and result["fee"] == "AUD 1.21"
    assert "refunded" in result["explanation"]


def test_get_payout_explains_the_failure(tools: dict[str, BaseTool], world: World) -> None:
    result = call(tools["get_payout"], payout_id=world.failed_payout_id)
    assert result["status"] == "FAILED" and result["reason_for_failure"] == "Account closed"
    assert "closed" in result["explanation"] and "went back to the payout wallet" in result["explanation"]
    assert result["account"] == "****7766" and result["amount"] == "AUD 25.00"
    assert result["description"] == "Invoice 7"


def test_get_payment_request(tools: dict[str, BaseTool], world: World, sandbox: Sandbox) -> None:
    paid = call(tools["get_payment_request"], checkout_id=world.paid_checkout_id, payin_id=world.payin_id)
    assert "status" not in paid  # PayCombat's checkout has no status: the outcome is the payin's
    assert paid["payin"]["payin_id"] == world.payin_id and paid["payin"]["status"] == "SUCCESS"
    assert f"payin {world.payin_id} is SUCCESS" in paid["outcome"] and "Paid" in paid["outcome"]
    assert paid["sandbox_only"]["checkout_status"] == "COMPLETED" and "sandbox" in paid["sandbox_only"]["note"]
    assert paid["checkout_link"].startswith(sandbox.url) and "token=" in paid["checkout_link"]
    assert "identifier" not in paid["checkout_link"] and sandbox.token not in json.dumps(paid)
    # without payin_id the sandbox's own link finds it (PayCombat's API would not: the webhook names it)
    assert call(tools["get_payment_request"], checkout_id=world.paid_checkout_id)["payin"] == paid["payin"]
    still_open = call(tools["get_payment_request"], checkout_id=world.open_checkout_id)
    assert still_open["amount"] == "AUD 15.00" and "payin" not in still_open
    assert still_open["outcome"].startswith("Not paid yet") and still_open["sandbox_only"]["checkout_status"] == "PENDING"
    wrong = call(tools["get_payment_request"], checkout_id=world.open_checkout_id, payin_id=world.payin_id)
    assert "payin" not in wrong and f"belongs to payment request {world.paid_checkout_id}" in wrong["notes"][0]


def test_get_payment_request_means_the_same_without_sandbox_only_fields(
        tools: dict[str, BaseTool], world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Against PayCombat (no checkout status, no payin_id) the outcome still comes from the payin."""
    from paycombat_tools.models.checkouts import Checkout

    real_validate = Checkout.model_validate

    def as_documented(data: object, *args: object, **kwargs: object) -> Checkout:
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if k not in ("status", "payin_id")}
        return real_validate(data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Checkout, "model_validate", as_documented)
    paid = call(tools["get_payment_request"], checkout_id=world.paid_checkout_id, payin_id=world.payin_id)
    assert "sandbox_only" not in paid and paid["payin"]["status"] == "SUCCESS" and "Paid" in paid["outcome"]
    unknown = call(tools["get_payment_request"], checkout_id=world.paid_checkout_id)
    assert "payin" not in unknown and "get_payin" in unknown["outcome"]  # a method was chosen: ask for the payin
    still_open = call(tools["get_payment_request"], checkout_id=world.open_checkout_id)
    assert still_open["outcome"].startswith("Not paid yet") and "sandbox_only" not in still_open


def test_methods_and_required_fields(tools: dict[str, BaseTool]) -> None:
    payout = call(tools["list_payout_methods"], currency="aud")
    assert [m["name"] for m in payout["payout_methods"]] == ["au_bank_acct"]
    payin = call(tools["list_payin_methods"], country="KR")
    assert len(payin["payin_methods"]) == 7 and {m["currency"] for m in payin["payin_methods"]} == {"KRW"}
    every = call(tools["list_payout_methods"])
    assert len(every["payout_methods"]) >= 6
    fields = call(tools["get_payout_required_fields"], payout_method_name="au_bank_acct")
    bsb = next(f for f in fields["fields"] if f["field"] == "bsb")
    assert bsb["mandatory"] is True and "6 digits" in bsb["rule"]
    assert call(tools["get_payout_required_fields"], payout_method_name="xx_nope")["error"] == "not_found"


def test_get_merchant_balance(tools: dict[str, BaseTool], world: World) -> None:
    result = call(tools["get_merchant_balance"], currency="AUD")
    assert result == {"currency": "AUD", "available": "50119.29", "held": "0.00", "expected": "50119.29"}


def test_validate_beneficiary(tools: dict[str, BaseTool]) -> None:
    good = call(tools["validate_beneficiary"], payout_method_name="au_bank_acct", beneficiary=GRACE)
    assert good == {"is_valid": True, "payout_method_name": "au_bank_acct", "problems": []}
    bad = call(tools["validate_beneficiary"], payout_method_name="au_bank_acct",
               beneficiary={**GRACE, "bsb": "62", "first_name": None})
    assert bad["is_valid"] is False
    assert {p["field"] for p in bad["problems"]} == {"bsb", "individual.first_name"}


def test_quote_payout_is_a_dry_run(tools: dict[str, BaseTool], sandbox: Sandbox, guard: ConfirmationGuard,
                                   world: World) -> None:
    before = h.snapshot(sandbox)
    ready = call(tools["quote_payout"], **PAYOUT)
    assert ready["ready"] is True and ready["moves_money"] is False
    assert ready["would_propose"] == ('Pay AUD 40.00 to "Grace Ho" (au_bank_acct, BSB 062-000, acct ****5678), '
                                      "purpose SELF")
    saved = call(tools["quote_payout"], **{**PAYOUT, "beneficiary": None, "beneficiary_id": world.beneficiary_id})
    assert saved["ready"] is True
    over = call(tools["quote_payout"], **{**PAYOUT, "amount": "900", "beneficiary": {**GRACE, "bsb": "1"}})
    assert over["ready"] is False and len(over["problems"]) == 2
    assert any("per-call cap" in p for p in over["problems"])
    wrong = call(tools["quote_payout"], **{**PAYOUT, "currency": "SGD"})
    assert any("pays AUD, not SGD" in p for p in wrong["problems"])
    assert h.snapshot(sandbox) == before and guard.actions() == []


@pytest.mark.parametrize("name, args", [
    ("create_payout", PAYOUT),
    ("create_payin", {"amount": "25", "currency": "AUD", "payin_method_name": "au_bank_npp",
                      "customer_full_name": "Ada Tan"}),
    ("create_payment_request", {"amount": "99.90", "currency": "AUD", "country_code": "au",
                                "description": "Order #1003"}),
    ("create_beneficiary", {"type": "individual", "beneficiary_name": "Grace Ho", "currency": "AUD",
                            "payout_method_name": "au_bank_acct", "details": GRACE}),
])
def test_guarded_tools_propose_and_execute_only_on_approval(
        name: str, args: dict[str, object], tools: dict[str, BaseTool], sandbox: Sandbox, client: PayCombat,
        guard: ConfirmationGuard, world: World) -> None:
    before = h.snapshot(sandbox)
    proposal = call(tools[name], **args)
    assert proposal["status"] == "awaiting_human_approval" and proposal["executed"] is False
    assert proposal["action_id"].startswith("act_") and proposal["summary"]
    assert h.snapshot(sandbox) == before  # nothing reached the API
    result = guard.approve(proposal["action_id"], approver="alice")
    action = guard.get(proposal["action_id"])
    assert action.status is ActionStatus.EXECUTED and action.result == result
    assert action.reference and action.reference.startswith("agt_")
    assert h.unapproved_executions(sandbox, guard, before) == []


def test_guarded_tools_that_read_first(tools: dict[str, BaseTool], sandbox: Sandbox, client: PayCombat,
                                       guard: ConfirmationGuard, world: World) -> None:
    before = h.snapshot(sandbox)
    proposals = {  # the saved-beneficiary payout is approved before the update changes that beneficiary
        "saved": call(tools["create_payout"], **{**PAYOUT, "beneficiary": None,
                                                 "beneficiary_id": world.beneficiary_id}),
        "cancel": call(tools["cancel_payment_request"], checkout_id=world.open_checkout_id),
        "refund": call(tools["refund_payin"], payin_id=world.payin_id, amount="20", currency="AUD",
                       reason="Damaged item"),
        "update": call(tools["update_beneficiary"], beneficiary_id=world.beneficiary_id,
                       details={"account_number": "11223344"}),
        "disable": call(tools["disable_customer"], customer_id=world.customer_id),
        "delete": call(tools["delete_customer"], customer_id=world.other_customer_id),
    }
    cancel = proposals["cancel"]["summary"]
    assert f'Cancel payment request {world.open_checkout_id} for AUD 15.00 "Order #1002"' in cancel
    assert "PENDING" not in cancel  # the summary rests on documented fields only
    assert proposals["refund"]["summary"] == (f'Refund AUD 20.00 of payin {world.payin_id}, reason "Damaged item" '
                                              "(for the record; not sent)")
    refund = guard.get(proposals["refund"]["action_id"])
    assert "reason" not in refund.arguments and "comment" not in refund.arguments  # not in the request body
    assert refund.facts["reason"] == "Damaged item"
    assert guard.audit.entries(refund.action_id)[0]["detail"]["facts"]["reason"] == "Damaged item"
    assert "acct ****3344" in proposals["update"]["summary"]
    assert proposals["disable"]["summary"].startswith(f'Disable customer {world.customer_id} "Ada Tan"')
    assert '"Kettle & Co"' in proposals["delete"]["summary"]
    assert f'saved beneficiary {world.beneficiary_id} "Grace Ho"' in proposals["saved"]["summary"]
    assert all(p["status"] == "awaiting_human_approval" for p in proposals.values())
    assert h.snapshot(sandbox) == before
    for proposal in proposals.values():
        guard.approve(proposal["action_id"], approver="alice")
    assert client.checkouts.retrieve(world.open_checkout_id).status == "CANCELLED"
    assert h.refund_count(client) == 1
    assert client.customers.retrieve(world.customer_id).is_active is False
    again = call(tools["disable_customer"], customer_id=world.customer_id)
    assert again["status"] == "refused" and "already disabled" in again["reason"]
    assert h.unapproved_executions(sandbox, guard, before) == []
    sandbox.check_ledger()


def test_guarded_tools_refuse_impossible_actions_up_front(tools: dict[str, BaseTool], world: World) -> None:
    paid = call(tools["cancel_payment_request"], checkout_id=world.paid_checkout_id)
    assert paid["status"] == "refused" and f"was paid (payin {world.payin_id} is SUCCESS)" in paid["reason"]
    refund = call(tools["refund_payin"], payin_id="nope", amount="1", currency="AUD")
    assert refund["error"] == "not_found"
    off_policy = call(tools["create_payout"], **{**PAYOUT, "amount": "600"})
    assert off_policy["status"] == "refused" and "per-call cap" in off_policy["reason"]
    bad_amount = call(tools["create_payout"], **{**PAYOUT, "amount": "40.001"})
    assert bad_amount["status"] == "refused" and "invalid arguments" in bad_amount["reason"]


def test_get_action_status(tools: dict[str, BaseTool], guard: ConfirmationGuard) -> None:
    proposal = call(tools["create_payout"], **PAYOUT)
    waiting = call(tools["get_action_status"], action_id=proposal["action_id"])
    assert waiting["status"] == "PENDING" and "result" not in waiting
    guard.approve(proposal["action_id"], approver="alice")
    done = call(tools["get_action_status"], action_id=proposal["action_id"])
    assert done["status"] == "EXECUTED" and done["decided_by"] == "alice" and done["result"]["status"] == "PENDING"
    assert call(tools["get_action_status"], action_id="act_unknown")["error"] == "unknown_action"


def test_model_facing_amounts(tools: dict[str, BaseTool], guard: ConfirmationGuard) -> None:
    """A JSON number from a model is read exactly; the schema asks for a decimal string."""
    schema = tools["create_payout"].tool_call_schema.model_json_schema()  # type: ignore[union-attr]
    assert schema["properties"]["amount"]["type"] == "string"
    proposal = call(tools["create_payout"], **{**PAYOUT, "amount": 40.1})
    money = guard.get(proposal["action_id"]).money
    assert money is not None and money.amount == Decimal("40.1") and str(money) == "AUD 40.1"
    negative = call(tools["create_payout"], **{**PAYOUT, "amount": "-5"})
    assert negative["error"] == "invalid_arguments"


def test_krw_payin_with_a_korean_bank_method(tools: dict[str, BaseTool], client: PayCombat) -> None:
    assert call(tools["create_payin"], amount=1, currency="KRW", payin_method_name="x")["status"] == "refused"
    guard = ConfirmationGuard(ConfirmationPolicy(allowed_currencies={"KRW"}, per_call_caps={"KRW": 100000}))
    tools = h.tools_by_name(client, guard)
    account = client.payins.create_virtual_account(payin_method_name="KB국민은행", currency="KRW", country="KR",
                                                   user_name="KIM MINJI", user_yymmdd="900101")
    methods = call(tools["list_payin_methods"], currency="KRW")
    assert "KB국민은행" in [m["name"] for m in methods["payin_methods"]]
    proposal = call(tools["create_payin"], amount=15000, currency="KRW", payin_method_name="KB국민은행",
                    payer_id=account.id)
    assert proposal["summary"] == f"Collect KRW 15000 via KB국민은행 from payer {account.id} (virtual account)"
    payin = guard.approve(proposal["action_id"], approver="alice")
    assert payin.status == "PENDING" and payin.amount == Decimal("15000")
    assert call(tools["get_payin"], payin_id=payin.id)["amount"] == "KRW 15000"


def test_itemised_payment_request(tools: dict[str, BaseTool], client: PayCombat, guard: ConfirmationGuard) -> None:
    order = {"amount": "57.50", "currency": "AUD", "country_code": "AU", "description": "Order #1004",
             "order_items": [{"product_name": "Kettle", "quantity": 2, "unit_price": "25.00"},
                             {"product_name": "Gift card", "quantity": 1, "unit_price": "0"}],
             "order_fees": [{"fee_name": "Shipping", "fee_amount": "7.50"}]}
    proposal = call(tools["create_payment_request"], **order)
    assert proposal["summary"] == ('Request AUD 57.50 from a payer in AU with a hosted checkout page '
                                   '(2 order items + 1 fee), description "Order #1004"')
    checkout = guard.approve(proposal["action_id"], approver="alice")
    assert checkout.order_summary["total_amount"] == Decimal("57.50")
    assert [i["product_name"] for i in checkout.order_summary["order_items"]] == ["Kettle", "Gift card"]
    mismatch = call(tools["create_payment_request"], **{**order, "amount": "50"})
    assert mismatch["error"] == "invalid_arguments" and "does not match the order" in mismatch["problems"][0]["problem"]
    europe = call(tools["create_payment_request"], amount="10", currency="EUR", country_code="eu")
    assert europe["status"] == "refused" and "EUR is not allowed" in europe["reason"]  # the policy, not the schema
