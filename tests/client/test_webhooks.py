"""Webhooks: the signature survives re-serialisation; the body becomes a typed event with Decimal money."""

from __future__ import annotations

import hashlib
import hmac
import json
from decimal import Decimal
from typing import Any

import pytest

from paycombat_tools import SignatureError, ValidationError, parse_webhook, verify_webhook
from paycombat_tools import PayinFailed
from paycombat_tools.models import PayinEvent, PayinSuccess, PayoutFailed, PayoutSuccess, VaRegistered
from tests.node_oracle import NodeOracle

KEY = "merchant-signature-key-9f8e7d"

# -- the docs' example shapes (REFERENCE 6.1-6.4) ------------------------------------------------

PAYIN_SUCCESS: dict[str, Any] = {
    "id": "5b0c2a4e-7d2b-4b35-9a51-2f0f2f6b9c11",
    "payin_id_finmo": "payin_0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "merchant_id": "3kqrchza3j",
    "status": "SUCCESS",
    "amount": 100,
    "original_amount": 100,
    "amount_type": "AUD",
    "currency": "FIAT",
    "fee_taken": 1,
    "fee_expected": 1,
    "payment_method": "au_bank_npp",
    "order_reference": "INV-1001",
    "trx_type": "DIRECT_PAYIN",
    "credit_type": "PAYIN",
    "customer_full_name": "John Citizen",
    "customer_email": "john@example.com",
    "billing_address_country": "AU",
    "is_black_list": 0,
    "created_at": "2024-06-11T08:15:30.000000Z",
    "updated_at": "2024-06-11T08:16:02.000000Z",
    "payment_date": None,
    "type": "PAYIN",
}

PAYOUT_SUCCESS: dict[str, Any] = {
    "id": "a2c4e6f8-1b3d-4f5a-8c7e-9d0b1a2c3e4f",
    "merchant_id": "3kqrchza3j",
    "status": "SUCCESS",
    "wire_id": "w_txn_6d1f0c2b9a8e7d6c5b4a39281706f5e4",
    "order_id": "ORD-20240611-0001",
    "due_date": "2024-06-12T00:00:00.000Z",
    "last_action": "APPROVED",
    "original_amount": "50",
    "payee_name": "Tan Wei Ming",
    "currency": "SGD",
    "beneficiary": "Tan Wei Ming",
    "beneficiary_bank": "sg_bank_fastpayment_sgd",
    "beneficiary_account_number": None,
    "beneficiary_account_iban": "0123456789",
    "wire_origin": "API",
    "conversion": "NO",
    "approval": "APPROVED",
    "created_at": "2024-06-11T09:00:00.000Z",
    "updated_at": "2024-06-11T09:05:00.000Z",
    "approved_at": "2024-06-11T09:01:00.000Z",
    "denied_at": None,
    "pending_at": "2024-06-11T09:00:00.000Z",
    "type": "PAYOUT",
    "wire_amount": 50,
    "fee_taken": 1,
    "fee_expected": 1,
}

PAYOUT_FAILED: dict[str, Any] = {
    "id": "c3d5e7f9-2a4b-4c6d-8e0f-1a3b5c7d9e0f",
    "merchant_id": "3kqrchza3j",
    "status": "FAILED",
    "approval": "FAILED",
    "order_id": "ORD-NZ-77",
    "original_amount": "120.75",
    "currency": "NZD",
    "beneficiary": "Aroha Smith",
    "beneficiary_bank": "nz_bank_directcredit_nzd",
    "beneficiary_account_number": "12-3456-7890123-00",
    "reason_for_failure": "Account closed",
    "created_at": "2024-06-11T10:00:00.000Z",
    "updated_at": "2024-06-11T10:30:00.000Z",
    "type": "PAYOUT",
}

VA_CALLBACK: dict[str, Any] = {
    "id": "va_7f3e2d1c",
    "status": "APPROVED",
    "account_bankname": "KDB산업은행",
    "account_number": "02012345678901",
    "account_holder": "(주)페이컴뱃",
    "user_name": "홍길동",
}


def node_style(payload: Any) -> bytes:
    """What a Node sender signs: ``JSON.stringify(payload)`` (compact, non-ASCII raw, ``/`` unescaped)."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def hmac_hex(text: bytes, key: str = KEY) -> str:
    return hmac.new(key.encode("utf-8"), text, hashlib.sha256).hexdigest()


# -- verify_webhook -------------------------------------------------------------------------------

SIGNED_TEXT = '{"id":"pi_1","amount":1.5,"url":"https://shop.example/cb/1","name":"Zoë","type":"PAYIN"}'.encode()
SIGNATURE = hmac_hex(SIGNED_TEXT)

RECEIVED_VARIANTS: dict[str, bytes | str] = {
    "as-signed": SIGNED_TEXT,
    "pretty-printed": (
        b'{\n  "id": "pi_1",\n  "amount": 1.5,\n  "url": "https://shop.example/cb/1",\n'
        b'  "name": "Zo\xc3\xab",\n  "type": "PAYIN"\n}\n'
    ),
    "escaped-slashes": b'{"id":"pi_1","amount":1.5,"url":"https:\\/\\/shop.example\\/cb\\/1","name":"Zo\xc3\xab",'
                       b'"type":"PAYIN"}',
    "trailing-zero-number": b'{"id":"pi_1","amount":1.50,"url":"https://shop.example/cb/1","name":"Zo\xc3\xab",'
                            b'"type":"PAYIN"}',
    "ascii-escaped": b'{"id":"pi_1","amount":1.5,"url":"https://shop.example/cb/1","name":"Zo\\u00eb",'
                     b'"type":"PAYIN"}',
    "all-at-once-as-str": '{ "id" : "pi_1", "amount" : 1.500, "url" : "https:\\/\\/shop.example\\/cb\\/1",'
                          ' "name" : "Zo\\u00eb", "type" : "PAYIN" }',
}


@pytest.mark.parametrize("received", list(RECEIVED_VARIANTS.values()), ids=list(RECEIVED_VARIANTS))
def test_a_node_signed_body_verifies_after_reserialisation(received: bytes | str) -> None:
    assert verify_webhook(received, SIGNATURE, KEY) is True


def test_the_signature_a_real_node_makes_verifies(node: NodeOracle) -> None:
    pretty = RECEIVED_VARIANTS["pretty-printed"]
    assert isinstance(pretty, bytes)
    node_signature = node.sign(KEY, pretty)  # HMAC over JSON.stringify(JSON.parse(body))

    assert node_signature == SIGNATURE
    for received in RECEIVED_VARIANTS.values():
        assert verify_webhook(received, node_signature, KEY)


def test_a_parsed_mapping_verifies_too() -> None:
    assert verify_webhook(json.loads(SIGNED_TEXT), SIGNATURE, KEY)


def test_an_upper_case_signature_with_whitespace_verifies() -> None:
    assert verify_webhook(SIGNED_TEXT, f"  {SIGNATURE.upper()}\n", KEY)


@pytest.mark.parametrize(
    ("body", "signature", "key"),
    [
        (SIGNED_TEXT.replace(b"1.5", b"1.51"), SIGNATURE, KEY),  # tampered amount
        (SIGNED_TEXT.replace(b"pi_1", b"pi_2"), SIGNATURE, KEY),  # tampered id
        (SIGNED_TEXT, SIGNATURE, KEY + "x"),  # wrong key
        (SIGNED_TEXT, None, KEY),  # missing signature
        (SIGNED_TEXT, "", KEY),  # empty signature
        (SIGNED_TEXT, SIGNATURE[:-1], KEY),  # truncated signature
        (b"not json at all", SIGNATURE, KEY),  # not JSON
    ],
    ids=["tampered-amount", "tampered-id", "wrong-key", "missing", "empty", "truncated", "not-json"],
)
def test_a_body_that_was_not_signed_so_does_not_verify(body: bytes, signature: str | None, key: str) -> None:
    assert verify_webhook(body, signature, key) is False


# -- parse_webhook ----------------------------------------------------------------------------------


def test_payin_success_parses_with_decimal_amounts() -> None:
    event = parse_webhook(node_style(PAYIN_SUCCESS))

    assert type(event) is PayinSuccess
    assert (event.type, event.status, event.payment_method) == ("PAYIN", "SUCCESS", "au_bank_npp")
    assert (event.amount_type, event.currency) == ("AUD", "FIAT")  # the docs' quirk, kept as sent
    assert isinstance(event.amount, Decimal) and event.amount == Decimal("100")
    assert isinstance(event.original_amount, Decimal)
    assert event.payment_date is None
    assert event.model_extra == {"billing_address_country": "AU", "is_black_list": 0}  # unknown fields kept


def test_payout_success_parses_with_decimal_amounts() -> None:
    event = parse_webhook(node_style(PAYOUT_SUCCESS))

    assert type(event) is PayoutSuccess
    assert event.wire_id == "w_txn_6d1f0c2b9a8e7d6c5b4a39281706f5e4"
    assert event.currency == "SGD" and event.order_id == "ORD-20240611-0001"
    for amount, expected in ((event.original_amount, "50"), (event.wire_amount, "50"), (event.fee_taken, "1")):
        assert isinstance(amount, Decimal) and amount == Decimal(expected)


def test_payout_failed_parses() -> None:
    event = parse_webhook(node_style(PAYOUT_FAILED))

    assert type(event) is PayoutFailed
    assert (event.status, event.approval, event.currency) == ("FAILED", "FAILED", "NZD")
    assert event.original_amount == Decimal("120.75") and isinstance(event.original_amount, Decimal)
    assert event.wire_amount is None
    assert event.reason_for_failure == "Account closed"


def test_va_register_callback_parses() -> None:
    event = parse_webhook(node_style(VA_CALLBACK))

    assert type(event) is VaRegistered
    assert (event.status, event.account_number, event.user_name) == ("APPROVED", "02012345678901", "홍길동")


def test_a_payin_failed_event_is_a_payin_failed_payin_event() -> None:
    event = parse_webhook(node_style({**PAYIN_SUCCESS, "status": "FAILED"}))

    # the docs now have a "Webhook PAYIN FAILED" page (EVIDENCE S15): its own type, still a PayinEvent
    assert type(event) is PayinFailed and isinstance(event, PayinEvent) and event.status == "FAILED"


def test_a_payin_event_with_an_undocumented_status_is_kept_as_payin_event() -> None:
    event = parse_webhook(node_style({**PAYIN_SUCCESS, "status": "REVERSED"}))

    assert type(event) is PayinEvent and event.status == "REVERSED"


def test_non_integer_amounts_arrive_exactly_never_as_float() -> None:
    body = node_style({**PAYIN_SUCCESS, "amount": "placeholder"}).replace(b'"placeholder"', b"0.1")

    event = parse_webhook(body)

    assert isinstance(event, PayinSuccess)
    assert isinstance(event.amount, Decimal) and event.amount == Decimal("0.1")


@pytest.mark.parametrize("example", [PAYIN_SUCCESS, PAYOUT_SUCCESS, PAYOUT_FAILED, VA_CALLBACK],
                         ids=["payin-success", "payout-success", "payout-failed", "va-callback"])
def test_parse_with_a_key_accepts_a_good_signature_even_pretty_printed(example: dict[str, Any]) -> None:
    signature = hmac_hex(node_style(example))
    pretty = json.dumps(example, indent=2, ensure_ascii=True).replace("/", "\\/")

    event = parse_webhook(pretty, header_signature=signature, signature_key=KEY)

    assert event.id == example["id"]


@pytest.mark.parametrize(
    ("signature", "key"),
    [(hmac_hex(node_style(PAYOUT_SUCCESS), "other-key"), KEY), (None, KEY), ("deadbeef", KEY)],
    ids=["wrong-key", "missing", "garbage"],
)
def test_parse_with_a_key_refuses_a_bad_signature(signature: str | None, key: str) -> None:
    with pytest.raises(SignatureError):
        parse_webhook(node_style(PAYOUT_SUCCESS), header_signature=signature, signature_key=key)


def test_parse_with_a_key_refuses_a_tampered_body() -> None:
    signature = hmac_hex(node_style(PAYOUT_SUCCESS))
    tampered = node_style({**PAYOUT_SUCCESS, "original_amount": "5000"})

    with pytest.raises(SignatureError):
        parse_webhook(tampered, header_signature=signature, signature_key=KEY)


@pytest.mark.parametrize(
    "body",
    [b'{"type":"REFUND","status":"SUCCESS"}', b"[1, 2]", b'{"type":"PAYOUT","status":"SUCCESS"}'],
    ids=["unknown-type", "not-an-object", "payout-without-id"],
)
def test_an_unrecognised_or_invalid_body_is_a_validation_error(body: bytes) -> None:
    with pytest.raises(ValidationError):
        parse_webhook(body)
