"""PayCombat's documented bodies and responses (EVIDENCE §3, S1-S19) fit our models, unchanged.

Requests: each documented example validates in the operation's request model and goes out on
the wire field for field (nothing dropped, renamed or added except the idempotency reference).
Responses: each documented example parses into its model with the documented values, with no
documented field left over as an unknown extra. The amount rule of Create Payment Request is
checked before anything is sent.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

from paycombat_tools import (
    CATALOG,
    InvalidRequestError,
    NotFoundError,
    PayCombat,
    PayoutFailed,
    PayoutSuccess,
    PayinSuccess,
    parse_webhook,
)
from paycombat_tools.models.checkouts import Checkout, CheckoutChoice
from paycombat_tools.models.customers import Customer

from . import documented as doc
from .fixtures import client, recording_server  # noqa: F401
from .recording_server import RecordingServer, Reply

#: (operation, positional args, documented body as the caller passes it)
REQUESTS: list[tuple[str, tuple[str, ...], dict[str, Any]]] = [
    ("customers.create", (), doc.CUSTOMER_CREATE_INDIVIDUAL),
    ("customers.create", (), doc.CUSTOMER_CREATE_COMPANY),
    ("customers.update", (), doc.customer_update(doc.CUSTOMER_ID)),
    ("checkouts.create_payment_request", (), doc.PAYMENT_REQUEST_EU),
    ("checkouts.create_new_checkout", (), doc.create_new_checkout(doc.CHECKOUT_TOKEN)),
    ("checkouts.create_virtual_account_krw", (), doc.create_virtual_account_krw(doc.CHECKOUT_TOKEN)),
    ("wallets.create", (), doc.wallet_create(doc.CUSTOMER_ID)),
    ("payouts.create", (), doc.payout_s1(27862467, 100)),
    ("payouts.create", (), doc.payout_s1(27862467, "100.00")),
    ("refunds.create", (), doc.refund_dev("payin_1344")),
]
REQUEST_IDS = ["customer-create-individual", "customer-create-company", "customer-update",
               "payment-request-eu", "create-new-checkout", "create-va-krw", "wallet-create",
               "payout-s1-int-order-id-int-amount", "payout-s1-int-order-id-str-amount", "refund-dev-docs"]


@pytest.mark.parametrize(("name", "args", "body"), REQUESTS, ids=REQUEST_IDS)
def test_documented_request_body_validates_in_our_model(name: str, args: tuple[str, ...],
                                                        body: dict[str, Any]) -> None:
    model = CATALOG[name].request_model
    assert model is not None
    model.model_validate(body)


@pytest.mark.parametrize(("name", "args", "body"), REQUESTS, ids=REQUEST_IDS)
def test_documented_request_body_goes_out_field_for_field(name: str, args: tuple[str, ...], body: dict[str, Any],
                                                          client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.envelope(None))

    client.operation(name)(*args, **body)

    sent = recording_server.last.json()
    reference = CATALOG[name].idempotency_field
    if reference and reference not in body:
        assert str(sent.pop(reference)).startswith("pct_")
    expected = json.loads(json.dumps(body), parse_float=Decimal)
    for money in set(CATALOG[name].request_model.money_fields) & set(body):  # type: ignore[union-attr]
        # an amount given as the string a decimal column gives ("100.00") goes out as a JSON number
        assert isinstance(sent[money], (int, Decimal)) and Decimal(sent[money]) == Decimal(str(body[money]))
        sent[money] = expected[money]
    assert sent == expected


def test_an_integer_order_id_goes_out_as_an_integer(client: PayCombat, recording_server: RecordingServer) -> None:
    """S1 sends ``$data->id``: the reference stays the caller's integer on the wire, not a string."""
    recording_server.queue(Reply.envelope(None))

    client.payouts.create(**doc.payout_s1(42, 100))

    assert b'"order_id":42' in recording_server.last.body


def test_a_refund_has_no_comment_field() -> None:
    """S19: ``comment`` appears only in the dev docs' *response*, never in the request."""
    model = CATALOG["refunds.create"].request_model
    assert model is not None and "comment" not in model.model_fields


# -- documented responses ----------------------------------------------------------------------------


def test_s4_flat_customer_parses_with_every_documented_field(client: PayCombat,
                                                             recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.envelope(doc.CUSTOMER_S4))

    customer = client.customers.retrieve(doc.CUSTOMER_ID)

    assert isinstance(customer, Customer) and customer.customer_id == doc.CUSTOMER_ID
    assert (customer.is_active, customer.is_wallet_ready, customer.gca_activation_status) == (
        True, False, "NOT_STARTED")
    assert customer.created_by == "api_access_key:AK_SBX_example"
    assert customer.model_extra == {}  # every documented field is a declared one


def test_s5_nested_disable_envelope_gives_the_customer_inactive(client: PayCombat,
                                                                 recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.json(doc.finmo_envelope(doc.CUSTOMER_S5_DISABLED)))

    customer = client.customers.disable(doc.CUSTOMER_S5_DISABLED["customer_id"])

    assert isinstance(customer, Customer)
    assert customer.customer_id == doc.CUSTOMER_S5_DISABLED["customer_id"] and customer.is_active is False


def test_s19_nested_delete_envelope_gives_the_customer(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.json(doc.finmo_envelope(doc.CUSTOMER_S19_DELETED)))

    customer = client.customers.delete(doc.CUSTOMER_ID)

    assert customer.customer_id == doc.CUSTOMER_ID and customer.is_active is False
    assert customer.individual and customer.individual["phone_number_e164"] == "+61412345678"


def test_enable_unwraps_the_nested_envelope_too(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.json(doc.finmo_envelope({**doc.CUSTOMER_S4, "is_active": True})))

    assert client.customers.enable(doc.CUSTOMER_ID).is_active is True


@pytest.mark.parametrize("name", ["customers.enable", "customers.disable", "customers.delete"])
def test_an_inner_success_false_inside_an_outer_ok_raises(name: str, client: PayCombat,
                                                           recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.json(doc.finmo_envelope(None, success=False, status_code=404,
                                                         status_text="Customer not found")))

    with pytest.raises(NotFoundError) as caught:
        client.operation(name)(doc.CUSTOMER_ID)

    assert caught.value.status == 404 and "Customer not found" in caught.value.message
    assert caught.value.operation == name


def test_s11_create_new_checkout_answer_parses_without_status_or_url(client: PayCombat,
                                                                     recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.envelope(doc.CHECKOUT_S11))

    chosen = client.checkouts.create_new_checkout(**doc.create_new_checkout(doc.CHECKOUT_TOKEN))

    assert isinstance(chosen, CheckoutChoice)
    assert (chosen.amount, chosen.currency, chosen.payin_method_name) == (Decimal("100.00"), "AUD", "au_bank_npp")
    assert chosen.expire_at == datetime(2025, 5, 1, 10, 0, tzinfo=timezone.utc)
    assert chosen.checkout_url is None and chosen.status is None and chosen.payin_id is None
    assert chosen.model_extra == {}


def test_s13_checkout_detail_parses_with_its_checkout_url(client: PayCombat,
                                                          recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.envelope(doc.CHECKOUT_S13))

    checkout = client.checkouts.retrieve(doc.CHECKOUT_S13["id"])

    assert isinstance(checkout, Checkout)
    assert checkout.checkout_url == doc.CHECKOUT_S13["checkout_url"]  # the attribute keeps the real link
    assert (checkout.country_code, checkout.currency, checkout.payin_method_name) == ("EU", "EUR", "eu_bank_sct_eur")
    assert checkout.amount == Decimal("100.00") and checkout.status is None  # no documented status
    assert checkout.model_extra == {}


def test_s15_payout_success_example_parses_with_string_original_amount() -> None:
    event = parse_webhook(json.dumps(doc.PAYOUT_SUCCESS_S15))

    assert isinstance(event, PayoutSuccess)
    assert event.original_amount == Decimal("50.00") and event.wire_amount == Decimal("50.00")
    assert event.order_id == "27862467" and event.approval == "APPROVED"


def test_s15_payout_success_with_an_integer_order_id_gives_text() -> None:
    event = parse_webhook(json.dumps({**doc.PAYOUT_SUCCESS_S15, "order_id": 27862467}))

    assert event.order_id == "27862467"


def test_s15_payin_failed_page_example_a_payout_record_with_null_order_id_parses() -> None:
    event = parse_webhook(json.dumps(doc.PAYIN_FAILED_PAGE_S15))

    assert isinstance(event, PayoutFailed)
    assert event.order_id is None and event.original_amount == Decimal("31.00") and event.currency == "NZD"


def test_s15_payin_success_with_integer_customer_full_name_and_fiat_currency_parses() -> None:
    event = parse_webhook(json.dumps(doc.PAYIN_SUCCESS_S15))

    assert isinstance(event, PayinSuccess)
    assert (event.currency, event.amount_type, event.amount) == ("FIAT", "AUD", Decimal("100.50"))
    assert event.customer_full_name == "1234567"
    assert event.transaction_date == datetime.fromtimestamp(1718093730, tz=timezone.utc)


# -- the amount rule (S12): amount = Σ unit_price × quantity + Σ fee_amount -------------------------------


def test_payment_request_whose_amount_does_not_match_the_order_is_refused_before_sending(
    client: PayCombat, recording_server: RecordingServer
) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        client.checkouts.create_payment_request(**{**doc.PAYMENT_REQUEST_EU, "amount": 99})

    assert "amount" in caught.value.message and "100" in caught.value.message
    assert recording_server.requests == []


def test_payment_request_whose_amount_matches_the_order_with_cents_is_sent(
    client: PayCombat, recording_server: RecordingServer
) -> None:
    recording_server.queue(Reply.envelope(None))

    client.checkouts.create_payment_request(
        amount=Decimal("30.03"), currency="AUD", country_code="AU",
        order_items=[{"product_name": "Pen", "quantity": 3, "unit_price": Decimal("9.01")}],
        order_fees=[{"fee_name": "Card fee", "fee_amount": Decimal("3.00")}])

    assert recording_server.last.json()["amount"] == Decimal("30.03")


@pytest.mark.parametrize(("item", "field"), [
    ({"product_name": "Mug", "quantity": 0, "unit_price": 10}, "quantity"),
    ({"product_name": "Mug", "quantity": -1, "unit_price": 10}, "quantity"),
    ({"product_name": "Mug", "quantity": 1, "unit_price": -10}, "unit_price"),
], ids=["quantity-0", "quantity-minus-1", "negative-unit-price"])
def test_payment_request_with_an_impossible_order_item_is_refused_before_sending(
    item: dict[str, Any], field: str, client: PayCombat, recording_server: RecordingServer
) -> None:
    with pytest.raises(InvalidRequestError, match=f"order_items.0.{field}"):
        client.checkouts.create_payment_request(amount=Decimal("10.00"), currency="AUD", country_code="AU",
                                                order_items=[item])
    assert recording_server.requests == []
