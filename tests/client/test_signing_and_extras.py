"""What the client puts on the wire per operation: the documented signing rule, extra_body /
extra_query / extra_headers, idempotency conflicts, and the merchant token a checkout_url carries
never shown (reprs, errors, logs). Checked on the loopback recording server.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

import pytest

from paycombat_tools import (
    CATALOG,
    ConflictError,
    InvalidRequestError,
    PayCombat,
    PayCombatError,
    ValidationError,
    canonical_json,
    sign,
)
from paycombat_tools.models.customers import Customer

from . import documented as doc
from .fixtures import SIGNATURE_KEY, TOKEN, client, recording_server  # noqa: F401
from .recording_server import RecordingServer, Reply
from .samples import PAYOUT_KWARGS, PAYOUT_RECORD

BODILESS = ["customers.enable", "customers.disable", "customers.delete"]
#: the headers any request carries besides the documented ones
PLUMBING = {"accept", "user-agent", "x-request-id", "accept-encoding", "connection", "host", "content-length"}


# -- the signing rule, per operation --------------------------------------------------------------------


def test_the_documented_signing_rule_is_data_in_the_catalog() -> None:
    assert CATALOG["customers.create"].signature == "required"
    assert CATALOG["customers.update"].signature == "required"
    assert CATALOG["checkouts.create_payment_request"].signature == "required"
    assert CATALOG["wallets.create"].signature == "required"
    assert CATALOG["checkouts.create_new_checkout"].signature == "optional"
    assert CATALOG["checkouts.create_virtual_account_krw"].signature == "optional"
    assert CATALOG["checkouts.create_virtual_account_krw"].token == "optional"
    assert {name for name, op in CATALOG.items() if op.method == "GET" and op.signature != "none"} == set()
    assert {CATALOG[name].signature for name in BODILESS} == {"none"}


@pytest.mark.parametrize("name", sorted(name for name, op in CATALOG.items() if op.method == "GET"))
def test_a_get_carries_no_signature(name: str, client: PayCombat, recording_server: RecordingServer) -> None:
    operation = CATALOG[name]
    recording_server.queue(Reply.envelope(None))

    client.operation(name)(*["x"] * len(operation.path_params))

    seen = recording_server.last
    assert seen.headers["X-token"] == TOKEN
    assert "signature" not in seen.headers and "Content-Type" not in seen.headers and seen.body == b""


@pytest.mark.parametrize("name", BODILESS)
def test_bodiless_customer_call_sends_x_token_only(name: str, client: PayCombat,
                                                   recording_server: RecordingServer) -> None:
    """S5: ``curl --request PATCH …/disable/customer_d466… --header 'X-token;'``: no body, no signature."""
    recording_server.queue(Reply.json(doc.finmo_envelope(doc.CUSTOMER_S4)))

    client.operation(name)("customer_d466")

    seen = recording_server.last
    assert seen.method == CATALOG[name].method and seen.body == b""
    assert "Content-Length" not in seen.headers or seen.headers["Content-Length"] == "0"
    documented = {header.lower() for header in seen.headers} - PLUMBING
    assert documented == {"x-token"} and seen.headers["X-token"] == TOKEN


_SAMPLE_BODIES: dict[str, dict[str, Any]] = {
    "beneficiaries.create": {"type": "individual", "beneficiary_name": "J", "currency": "AUD",
                             "payout_method_name": "au_bank_acct"},
    "beneficiaries.update": {"beneficiary_id": "pb_1", "beneficiary_name": "J"},
    "beneficiaries.validate": {"beneficiary_id": "pb_1", "payout_method_name": "au_bank_acct"},
    "beneficiaries.validate_body": {"payout_method_name": "au_bank_acct", "payout_beneficiary_param": {}},
    "payins.create": {"amount": 1, "currency": "AUD", "payin_method_name": "au_bank_npp"},
    "payins.create_virtual_account": {"payin_method_name": "KDB산업은행", "currency": "KRW", "country": "KR",
                                      "user_name": "K", "user_yymmdd": "900101"},
    "payins.simulate": {"payin_id": "pi_1"},
    "payins.simulate_virtual_account": {"virtual_account_id": "va_1"},
    "payouts.create": PAYOUT_KWARGS,
    "payouts.simulate": {"payout_id": "po_1"},
    "checkouts.create_payment_request": {"amount": 1, "currency": "AUD", "country_code": "AU"},
    "checkouts.cancel": {"checkout_token": doc.CHECKOUT_TOKEN},
    "checkouts.create_virtual_account_krw": doc.create_virtual_account_krw(doc.CHECKOUT_TOKEN),
    "checkouts.create_new_checkout": doc.create_new_checkout(doc.CHECKOUT_TOKEN),
    "wallets.create": doc.wallet_create("customer_1"),
    "customers.create": doc.CUSTOMER_CREATE_INDIVIDUAL,
    "customers.update": {"customer_id": "customer_1", "description": "d"},
    "refunds.create": doc.refund_dev("pi_1"),
}


@pytest.mark.parametrize("name", sorted(name for name, op in CATALOG.items() if op.has_body))
def test_a_call_with_a_body_is_signed_over_the_bytes_sent(name: str, client: PayCombat,
                                                          recording_server: RecordingServer) -> None:
    """Required or optional, the client signs every body it sends (safe whichever the server checks)."""
    model = CATALOG[name].request_model
    assert model is not None
    required = [field for field, info in model.model_fields.items() if info.is_required()]
    recording_server.queue(Reply.envelope(None))

    client.operation(name)(**_SAMPLE_BODIES[name])

    seen = recording_server.last
    assert seen.headers["Content-Type"] == "application/json"
    assert seen.headers["signature"] == sign(seen.body, SIGNATURE_KEY)
    assert set(required) <= set(seen.json())


def test_every_operation_with_a_body_has_a_sample_above() -> None:
    assert set(_SAMPLE_BODIES) == {name for name, op in CATALOG.items() if op.has_body}


# -- extra_body / extra_query / extra_headers -------------------------------------------------------------


def test_extra_body_is_merged_before_signing(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.envelope(None))

    client.payins.create(amount=Decimal("5.00"), currency="AUD", payin_method_name="au_bank_npp",
                         organization_reference_id="ref-1", extra_body={"new_field": {"nested": [1, "ü/x"]}})

    seen = recording_server.last
    assert seen.json() == {"amount": Decimal("5.00"), "currency": "AUD", "payin_method_name": "au_bank_npp",
                           "organization_reference_id": "ref-1", "new_field": {"nested": [1, "ü/x"]}}
    assert canonical_json(seen.json()) == seen.body  # still the JS-compatible bytes
    assert seen.headers["signature"] == sign(seen.body, SIGNATURE_KEY)  # signed over the merged bytes


def test_extra_body_on_a_bodiless_call_is_sent_and_signed(client: PayCombat,
                                                          recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.json(doc.finmo_envelope(doc.CUSTOMER_S4)))

    client.customers.disable("customer_1", extra_body={"reason": "fraud review"})

    seen = recording_server.last
    assert seen.body == b'{"reason":"fraud review"}'
    assert seen.headers["signature"] == sign(seen.body, SIGNATURE_KEY)


def test_extra_query_and_extra_headers_are_sent(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.envelope({"current_page": 1, "per_page": 10, "total": 0, "last_page": 1,
                                           "data": []}),
                           Reply.envelope(None))

    client.payouts.list(limit=5, extra_query={"sort": "desc", "page_token": 7},
                        extra_headers={"X-Trace": "t-1"})
    client.payins.create(amount=1, currency="AUD", payin_method_name="au_bank_npp",
                         extra_query={"dry_run": "1"}, extra_headers={"Idempotency-Key": "k-1"})

    listed, created = recording_server.requests
    assert listed.params == {"limit": "5", "sort": "desc", "page_token": "7"}
    assert listed.headers["X-Trace"] == "t-1"
    assert created.params == {"dry_run": "1"} and created.headers["Idempotency-Key"] == "k-1"
    assert created.headers["signature"] == sign(created.body, SIGNATURE_KEY)  # the query is not signed


@pytest.mark.parametrize("header", ["X-token", "x-token", "signature", "Signature", "Content-Type", "content-type"])
def test_extra_headers_cannot_replace_the_clients_own(header: str, client: PayCombat,
                                                      recording_server: RecordingServer) -> None:
    with pytest.raises(InvalidRequestError, match=header):
        client.payins.create(amount=1, currency="AUD", payin_method_name="au_bank_npp",
                             extra_headers={header: "forged"})
    assert recording_server.requests == []


def test_an_unknown_field_is_refused_with_a_pointer_to_extra_body(client: PayCombat,
                                                                  recording_server: RecordingServer) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        client.payins.create(amount=1, currency="AUD", payin_method_name="au_bank_npp", new_field=1)

    assert "new_field" in caught.value.message and "extra_body" in caught.value.message
    assert recording_server.requests == []


def test_a_field_given_twice_is_refused(client: PayCombat, recording_server: RecordingServer) -> None:
    with pytest.raises(InvalidRequestError, match="amount given twice"):
        client.payins.create(amount=1, currency="AUD", payin_method_name="au_bank_npp", extra_body={"amount": 2})
    with pytest.raises(InvalidRequestError, match="customer_id given twice"):
        client.customers.update("customer_1", description="d", extra_body={"customer_id": "customer_2"})
    assert recording_server.requests == []


# -- idempotency -----------------------------------------------------------------------------------------


def test_a_409_for_a_reused_reference_is_a_conflict_error_naming_reference_and_fields(
    client: PayCombat, recording_server: RecordingServer
) -> None:
    message = ("order_id 42 was already used with a different request (differs in: beneficiary_amount, "
               "sender_amount); use a new order_id for a new payout")
    recording_server.queue(Reply.envelope(PAYOUT_RECORD), Reply.error(409, message))

    client.payouts.create(**PAYOUT_KWARGS, order_id=42)
    with pytest.raises(ConflictError) as caught:
        client.payouts.create(**{**PAYOUT_KWARGS, "sender_amount": Decimal("11.00"),
                                 "beneficiary_amount": Decimal("11.00")}, order_id=42)

    assert caught.value.status == 409 and "order_id 42" in str(caught.value)
    assert "sender_amount" in str(caught.value) and "beneficiary_amount" in str(caught.value)
    assert len(recording_server.requests) == 2  # a 409 is an answer, never retried


# -- the merchant token in checkout_url is never shown -----------------------------------------------------


def test_checkout_repr_str_and_html_hide_the_identifier(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.envelope(doc.CHECKOUT_S13))

    checkout = client.checkouts.retrieve("86db9204")

    for shown in (repr(checkout), str(checkout)):
        assert doc.MERCHANT_TOKEN not in shown and "identifier=<hidden>" in shown
    assert doc.MERCHANT_TOKEN not in checkout._repr_html_()
    assert checkout.checkout_url and doc.MERCHANT_TOKEN in checkout.checkout_url  # kept for the payer's link


def test_customer_repr_hides_an_identifier_it_carries(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.envelope({**doc.CUSTOMER_S4,
                                           "metadata": {"last_link": doc.CHECKOUT_S13["checkout_url"]}}))

    customer = client.customers.retrieve(doc.CUSTOMER_ID)

    assert isinstance(customer, Customer)
    for shown in (repr(customer), str(customer), customer._repr_html_()):
        assert doc.MERCHANT_TOKEN not in shown


def test_an_error_echoing_a_checkout_url_hides_the_identifier(client: PayCombat,
                                                              recording_server: RecordingServer) -> None:
    url = doc.CHECKOUT_S13["checkout_url"]
    recording_server.queue(Reply.error(422, f"checkout {url} cannot be paid twice"),
                           Reply.error(422, f"bad link: {url.replace('=', '%3D')}"))

    for _ in range(2):
        with pytest.raises(ValidationError) as caught:
            client.checkouts.create_new_checkout(**doc.create_new_checkout(doc.CHECKOUT_TOKEN))
        error: PayCombatError = caught.value
        for shown in (error.message, str(error), repr(error), *map(str, error.args)):
            assert doc.MERCHANT_TOKEN not in shown, shown
        assert "identifier" in error.message and "<hidden>" in error.message


def test_nothing_logged_in_a_checkout_flow_shows_the_identifier(client: PayCombat, recording_server: RecordingServer,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    url = doc.CHECKOUT_S13["checkout_url"]
    recording_server.queue(Reply.error(503, f"busy, retry {url}", headers={"Retry-After": "0"}),
                           Reply.envelope(doc.CHECKOUT_S13),
                           Reply.error(409, f"{url} already paid"))

    with caplog.at_level(logging.DEBUG):
        checkout = client.checkouts.retrieve("86db9204")  # a 503 first: one retry, logged
        logging.getLogger("tests").info("fetched %r", checkout)
        with pytest.raises(ConflictError) as caught:
            client.checkouts.create_new_checkout(**doc.create_new_checkout(doc.CHECKOUT_TOKEN))
        logging.getLogger("tests").exception("refused: %s", caught.value)

    assert any("retrying checkouts.retrieve" in record.getMessage() for record in caplog.records)
    for record in caplog.records:
        assert doc.MERCHANT_TOKEN not in record.getMessage()
    assert doc.MERCHANT_TOKEN not in caplog.text
