"""Regression stories for the fidelity pass (issue 8): what the sandbox learned from EVIDENCE.md.

Each test is one behaviour the published docs describe (or one the sandbox adds, marked so),
checked over real HTTP on loopback with the real client or hand-made requests.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import pytest

from paycombat_tools import ConflictError, PayCombat, ValidationError
from paycombat_tools.models.webhooks import PayoutReturned
from paycombat_tools.sandbox import Sandbox
from paycombat_tools.signing import canonical_json
from paycombat_tools.webhook_listener import WebhookListener
from tests.sandbox.helpers import au_payout, raw_request, reference, state_snapshot, wallet_ready_individual


# -- payouts: SUCCESS can still come back (S15) ---------------------------------------------------------------


def test_a_returned_payout_credits_the_wallet_and_sends_payout_returned(client: PayCombat, sandbox: Sandbox,
                                                                        funded_wallet: Any,
                                                                        listener: WebhookListener) -> None:
    wallet_id = funded_wallet.wallet_id
    payout = au_payout(client, "100.00", debit_wallet_id=wallet_id, webhook_url=listener.url)
    client.payouts.simulate(payout_id=payout.id, status="SUCCESS")
    after_success = sandbox.balance(wallet_id, "AUD")

    returned = client.payouts.simulate(payout_id=payout.id, status="RETURNED")

    assert returned.status == "RETURNED"
    assert sandbox.balance(wallet_id, "AUD") == (after_success[0] + 100, after_success[1] + 100)  # the fee stays
    assert [t.type for t in client.transactions.list(reference_id=payout.id)][-1] == "PAYOUT_RETURN"
    event = listener.wait_for(lambda e: isinstance(e, PayoutReturned) and e.id == payout.id)
    assert event.wire_amount == Decimal("100.00")
    sandbox.check_ledger()


def test_only_a_successful_payout_can_be_returned(client: PayCombat, funded_wallet: Any) -> None:
    pending = au_payout(client, "10.00", debit_wallet_id=funded_wallet.wallet_id)
    with pytest.raises(ValidationError):
        client.payouts.simulate(payout_id=pending.id, status="RETURNED")
    assert client.payouts.retrieve(pending.id).status == "PENDING"


# -- KRW virtual accounts: Simulate Create VA (S9, sandbox-only) ---------------------------------------------


def _krw_account(client: PayCombat) -> Any:
    return client.payins.create_virtual_account(payin_method_name="KDB산업은행", currency="KRW", country="KR",
                                                user_name="Kim Minsu", user_yymmdd="900101")


def test_a_manual_registration_stays_pending_until_simulated(make_sandbox: Any, make_client: Any) -> None:
    client = make_client(make_sandbox(va_registration="manual"))
    account = _krw_account(client)
    assert account.status == "PENDING"

    failed = client.payins.simulate_virtual_account(virtual_account_id=account.id, status="FAILED",
                                                    reason="Name mismatch")
    assert failed.status == "FAILED"
    with pytest.raises(ValidationError):  # decided once
        client.payins.simulate_virtual_account(virtual_account_id=account.id, status="APPROVED")


# -- payment requests: the amount is the order (S12) ---------------------------------------------------------


def _payment_request(**fields: Any) -> bytes:
    body = {"amount": "80.00", "currency": "AUD", "country_code": "AU",
            "order_items": [{"product_name": "Mug", "quantity": 3, "unit_price": "25.00"}],
            "order_fees": [{"fee_name": "Shipping", "fee_amount": "5.00"}], **fields}
    return canonical_json(body)


def test_a_payment_request_whose_amount_is_its_order_total_is_created(sandbox: Sandbox) -> None:
    created = raw_request(sandbox, "POST", "/api/v1/checkout/payment-request", _payment_request())
    assert created.status_code == 200, created.text
    assert created.json()["data"]["checkout_url"]


def test_an_amount_that_is_not_the_order_total_is_a_422_naming_amount(sandbox: Sandbox) -> None:
    before = state_snapshot(sandbox)
    refused = raw_request(sandbox, "POST", "/api/v1/checkout/payment-request", _payment_request(amount="81.00"))
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["amount"]
    assert state_snapshot(sandbox) == before


@pytest.mark.parametrize("quantity", [0, -1])
def test_a_line_item_quantity_below_one_is_refused(sandbox: Sandbox, quantity: int) -> None:
    body = _payment_request(amount="5.00", order_items=[{"product_name": "Mug", "quantity": quantity,
                                                         "unit_price": "0.00"}])
    refused = raw_request(sandbox, "POST", "/api/v1/checkout/payment-request", body)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "order_items.0.quantity"


def test_eu_payment_requests_take_eur(client: PayCombat) -> None:
    """S12: ``country_code`` "EU" stands for every European country."""
    checkout = client.checkouts.create_payment_request(amount=Decimal("12.50"), currency="EUR", country_code="EU")
    assert checkout.checkout_url and client.checkouts.retrieve(checkout.id).currency == "EUR"


# -- idempotency: one reference, one request ------------------------------------------------------------------


def test_the_same_order_id_with_a_different_amount_is_a_409_naming_the_field(client: PayCombat,
                                                                            funded_wallet: Any) -> None:
    order_id = reference("order")
    first = au_payout(client, "20.00", order_id=order_id, debit_wallet_id=funded_wallet.wallet_id)
    with pytest.raises(ConflictError) as caught:
        au_payout(client, "21.00", order_id=order_id, debit_wallet_id=funded_wallet.wallet_id)
    assert caught.value.status == 409
    fields = {e["field"] for e in caught.value.body["errors"]}
    assert fields == {"sender_amount", "beneficiary_amount"}
    assert client.payouts.list().total == 1 and client.payouts.retrieve(first.id).wire_amount == Decimal("20.00")


def test_a_numeric_and_a_text_reference_are_the_same_reference(client: PayCombat) -> None:
    first = client.checkouts.create_payment_request(amount=Decimal("3.00"), currency="AUD", country_code="AU",
                                                    organization_reference_id=424242)
    again = client.checkouts.create_payment_request(amount=Decimal("3.00"), currency="AUD", country_code="AU",
                                                    organization_reference_id="424242")
    assert again.id == first.id


# -- customers: Finmo's envelope for disable/delete, X-token only (S5, S19) ----------------------------------


def test_disable_answers_the_nested_envelope_without_a_signature(client: PayCombat, sandbox: Sandbox) -> None:
    customer = client.customers.create(description="Shop", type="individual", individual=wallet_ready_individual())
    answer = raw_request(sandbox, "PATCH", f"/api/v1/customer/disable/{customer.customer_id}", sign_with=None)
    assert answer.status_code == 200, answer.text
    inner = answer.json()["data"]
    assert (inner["success"], inner["status_code"]) == (True, 200)
    assert inner["data"]["customer_id"] == customer.customer_id and inner["data"]["is_active"] is False


def test_clearing_a_required_field_is_refused_and_changes_nothing(client: PayCombat) -> None:
    customer = client.customers.create(description="Shop", type="individual", individual=wallet_ready_individual())
    with pytest.raises(ValidationError) as caught:
        client.customers.update(customer.customer_id, individual={"first_name": ""})
    assert "individual.first_name" in str(caught.value)
    assert client.customers.retrieve(customer.customer_id).individual["first_name"] == "Ada"
    cleared = client.customers.update(customer.customer_id, individual={"address_line2": ""})
    assert cleared.individual.get("address_line2") in (None, "")


# -- unknown fields: ignored, and said so (sandbox-only header) ----------------------------------------------


def test_unknown_fields_are_ignored_and_named_even_when_not_latin_1(sandbox: Sandbox) -> None:
    body = json.loads(_payment_request())
    body["备注"] = "x"
    body["nmae"] = "typo"
    answer = raw_request(sandbox, "POST", "/api/v1/checkout/payment-request", canonical_json(body))
    assert answer.status_code == 200, answer.text
    named = [unquote(name) for name in answer.headers["X-Sandbox-Ignored-Fields"].split(", ")]
    assert sorted(named) == sorted(["备注", "nmae"])


def test_unknown_fields_are_named_on_a_refusal_too_and_the_422_names_only_real_problems(sandbox: Sandbox) -> None:
    body = json.loads(_payment_request(amount="1.00"))
    body["nmae"] = "typo"
    refused = raw_request(sandbox, "POST", "/api/v1/checkout/payment-request", canonical_json(body))
    assert refused.status_code == 422
    assert refused.headers["X-Sandbox-Ignored-Fields"] == "nmae"
    assert [e["field"] for e in refused.json()["errors"]] == ["amount"]


# -- credentials ----------------------------------------------------------------------------------------------


def test_an_unseeded_sandbox_draws_its_credentials_from_the_os_not_the_id_stream() -> None:
    first, second = Sandbox(), Sandbox()
    try:
        assert first.token != second.token and first.signature_key != second.signature_key
        ids = {first.store.hex32() for _ in range(50)}
        assert first.token.removeprefix("snd_") not in ids and first.signature_key[:32] not in ids
        with Sandbox(seed=99) as seeded, Sandbox(seed=99) as again:  # a seed still reproduces them
            assert (seeded.token, seeded.signature_key) == (again.token, again.signature_key)
    finally:
        first.close()
        second.close()
