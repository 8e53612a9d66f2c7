"""Admission: token, signature, content type, JSON, validation; refusals change nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from paycombat_tools import (
    AuthenticationError,
    InvalidRequestError,
    MoneyError,
    NotFoundError,
    PayCombat,
    SignatureError,
    ValidationError,
)
from paycombat_tools.sandbox import Sandbox
from paycombat_tools.signing import canonical_json, parse_json, sign
from tests.sandbox.helpers import AU_PAYOUT_BENEFICIARY, au_payout, raw_request, state_snapshot

PAYOUT_BODY: dict[str, Any] = {
    "sender_amount": 10, "sender_currency": "AUD", "beneficiary_amount": 10, "beneficiary_currency": "AUD",
    "payout_method_name": "au_bank_acct", "purpose_code": "SELF", "order_id": "order-auth-1",
    "payout_beneficiary_param": AU_PAYOUT_BENEFICIARY,
}


def envelope(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) >= {"status", "message", "data"} and body["status"] is False and body["data"] is None
    return body  # type: ignore[no-any-return]


def ledger_total(client: PayCombat) -> int:
    return int(client.transactions.list(limit=1).total)


@pytest.fixture
def unchanged(sandbox: Sandbox, client: PayCombat) -> Any:
    """Use as ``with unchanged():`` around refused requests: records, balances and ledger stay identical."""
    au_payout(client, "25.00")  # some state worth protecting
    client.payins.simulate(payin_id=client.payins.create(amount=Decimal("40.00"), currency="AUD",
                                                         payin_method_name="au_bank_npp").id)

    class Guard:
        def __enter__(self) -> None:
            self.before = state_snapshot(sandbox), ledger_total(client)

        def __exit__(self, *exc: object) -> None:
            if exc[0] is None:
                assert (state_snapshot(sandbox), ledger_total(client)) == self.before
                sandbox.check_ledger()

    return Guard


# -- token ---------------------------------------------------------------------------------------------


def test_unknown_token_is_401(sandbox: Sandbox, make_client: Callable[..., PayCombat]) -> None:
    stranger = PayCombat("snd_" + "0" * 32, sandbox.signature_key, sandbox.url)
    with pytest.raises(AuthenticationError) as caught:
        stranger.customers.list()
    assert caught.value.status == 401 and not isinstance(caught.value, SignatureError)
    assert "X-token" in caught.value.message
    response = raw_request(sandbox, "GET", "/api/v1/customer/customer", token="")
    assert response.status_code == 401 and "X-token" in envelope(response)["message"]


def test_post_without_signature_is_401(sandbox: Sandbox, unchanged: Any) -> None:
    with unchanged():
        response = raw_request(sandbox, "POST", "/api/v1/payout/create-payout", json.dumps(PAYOUT_BODY).encode(),
                               sign_with=None)
    assert response.status_code == 401 and "Missing signature" in envelope(response)["message"]


def test_bodiless_delete_needs_no_signature_but_a_wrong_one_is_refused(sandbox: Sandbox, client: PayCombat,
                                                                       wallet_ready_customer: Any) -> None:
    """The docs' bodiless calls carry only X-token (EVIDENCE S5, S19); a wrong signature is still refused."""
    path = f"/api/v1/customer/customer/{wallet_ready_customer.customer_id}"
    assert raw_request(sandbox, "DELETE", path, sign_with="f" * 64).status_code == 401
    assert client.customers.retrieve(wallet_ready_customer.customer_id).deleted_at is None
    assert raw_request(sandbox, "DELETE", path, sign_with=None).status_code == 200
    with pytest.raises(NotFoundError):
        client.customers.retrieve(wallet_ready_customer.customer_id)


def test_wrong_signature_key_is_a_signature_error(sandbox: Sandbox, unchanged: Any) -> None:
    impostor = PayCombat(sandbox.token, "f" * 64, sandbox.url)
    with unchanged(), pytest.raises(SignatureError) as caught:
        impostor.payouts.create(**PAYOUT_BODY)
    assert caught.value.status == 401 and "Invalid signature" in caught.value.message
    assert isinstance(caught.value, AuthenticationError)


def test_differently_serialised_body_signed_over_canonical_json_is_accepted(sandbox: Sandbox,
                                                                            client: PayCombat) -> None:
    raw = (b'{\n  "amount" : 1.50,\n  "currency": "AUD",\n  "payin_method_name": "au_bank_npp",\n'
           b'  "description": "Order 12\\/B \\u00e9t\\u00e9",\n  "organization_reference_id": "pretty-1"\n}')
    signature = sign(canonical_json(parse_json(raw)), sandbox.signature_key)
    assert canonical_json(parse_json(raw)) != raw  # what was sent is not what was signed
    response = raw_request(sandbox, "POST", "/api/v1/payin/create", raw, sign_with=signature)
    assert response.status_code == 200, response.text
    payin = client.payins.retrieve(response.json()["data"]["id"])
    assert payin.amount == Decimal("1.50") and payin.model_extra["description"] == "Order 12/B été"

    # the same bytes signed as-is (not re-serialised) are accepted too (the public PHP gateway does that)
    raw_signed = raw_request(sandbox, "POST", "/api/v1/payin/create", raw.replace(b"pretty-1", b"pretty-2"),
                             sign_with="raw")
    assert raw_signed.status_code == 200, raw_signed.text
    # ...but a signature over anything else is not
    other = raw_request(sandbox, "POST", "/api/v1/payin/create", raw.replace(b"pretty-1", b"pretty-3"),
                        sign_with=sign(raw, sandbox.signature_key))
    assert other.status_code == 401 and "Invalid signature" in envelope(other)["message"]


def test_get_needs_no_signature(sandbox: Sandbox) -> None:
    response = raw_request(sandbox, "GET", "/api/v1/payin-method", sign_with=None, params={"currency": "AUD"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] is True and [m["payin_method_name"] for m in body["data"]] == ["au_bank_npp"]


def test_wrong_content_type_is_406(sandbox: Sandbox, unchanged: Any) -> None:
    raw = canonical_json(PAYOUT_BODY)
    with unchanged():
        response = raw_request(sandbox, "POST", "/api/v1/payout/create-payout", raw, content_type="text/plain")
    assert response.status_code == 406 and "application/json" in envelope(response)["message"]
    form = raw_request(sandbox, "POST", "/api/v1/customer/create", b"type=individual", sign_with="raw",
                       content_type="application/x-www-form-urlencoded")
    assert form.status_code == 406


def test_malformed_json_is_400(sandbox: Sandbox, unchanged: Any) -> None:
    with unchanged():
        broken = raw_request(sandbox, "POST", "/api/v1/payout/create-payout", b'{"sender_amount": 10,',
                             sign_with="raw")
        not_object = raw_request(sandbox, "POST", "/api/v1/customer/create", b"[1, 2]", sign_with="raw")
    assert broken.status_code == 400 and "Malformed JSON" in envelope(broken)["message"]
    assert not_object.status_code == 400 and "object" in envelope(not_object)["message"]


def test_validation_errors_name_the_field_and_change_nothing(sandbox: Sandbox, client: PayCombat,
                                                             unchanged: Any) -> None:
    missing = {key: value for key, value in PAYOUT_BODY.items() if key != "sender_currency"}
    with unchanged():
        response = raw_request(sandbox, "POST", "/api/v1/payout/create-payout", canonical_json(missing))
        assert response.status_code == 422
        body = envelope(response)
        assert "sender_currency" in body["message"]
        assert [e["field"] for e in body["errors"]] == ["sender_currency"]

        three_places = canonical_json({**PAYOUT_BODY, "sender_amount": Decimal("10.005"),
                                       "beneficiary_amount": Decimal("10.005")})
        response = raw_request(sandbox, "POST", "/api/v1/payout/create-payout", three_places)
        assert response.status_code == 422
        assert "sender_amount" in envelope(response)["message"] and "decimal places" in response.json()["message"]

        # an unknown field is ignored, never a 422 of its own: the 422 names only the real problem
        unknown = raw_request(sandbox, "POST", "/api/v1/customer/create",
                              canonical_json({"type": "individual", "nmae": "typo",
                                              "individual": {"first_name": "A", "last_name": "B",
                                                             "address_country": "AU"}}))
        assert unknown.status_code == 422
        assert [e["field"] for e in envelope(unknown)["errors"]] == ["description"]
        assert unknown.headers["X-Sandbox-Ignored-Fields"] == "nmae"

        with pytest.raises(ValidationError) as caught:  # refused by the server: the method does not exist
            client.payouts.create(**{**PAYOUT_BODY, "payout_method_name": "au_bank_nope", "order_id": "o-2"})
        assert caught.value.status == 422 and "payout_method_name" in caught.value.message
        with pytest.raises(ValidationError, match="bsb"):  # the beneficiary rules are the method's regexes
            client.payouts.create(**{**PAYOUT_BODY, "order_id": "o-3",
                                     "payout_beneficiary_param": {**AU_PAYOUT_BENEFICIARY, "bsb": "62-000"}})

    # the client refuses the same mistakes before sending anything
    with pytest.raises(InvalidRequestError, match="sender_currency"):
        client.payouts.create(**missing)
    with pytest.raises((InvalidRequestError, MoneyError), match="decimal places"):
        au_payout(client, "10.005")


def test_unknown_ids_are_404(client: PayCombat) -> None:
    lookups = [
        (client.payins.retrieve, "payin_" + "0" * 32), (client.payouts.retrieve, "0" * 8),
        (client.customers.retrieve, "customer_nope"), (client.wallets.retrieve, "wallet_nope"),
        (client.transactions.retrieve, "w_txn_nope"), (client.checkouts.retrieve, "nope"),
        (client.beneficiaries.retrieve, "pb_nope"), (client.payout_methods.required_fields, "xx_nope"),
        (client.payin_methods.required_fields, "xx_nope"), (client.payouts.memo, "nope"),
        (client.customers.is_wallet_ready, "customer_nope"),
    ]
    for lookup, unknown_id in lookups:
        with pytest.raises(NotFoundError) as caught:
            lookup(unknown_id)
        assert caught.value.status == 404 and unknown_id in caught.value.message, lookup
    with pytest.raises(NotFoundError):
        client.payins.simulate(payin_id="payin_missing")


def test_unknown_route_is_a_404_envelope(sandbox: Sandbox) -> None:
    response = raw_request(sandbox, "GET", "/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"status": False, "message": "No route for GET /api/v1/no-such-thing", "data": None}
    wrong_method = raw_request(sandbox, "DELETE", "/api/v1/payin/create")
    assert wrong_method.status_code == 405 and envelope(wrong_method)["message"].startswith("DELETE")


# -- bugs found ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [b"1e400", b"-1e400", b"NaN", b"Infinity"])
def test_non_finite_number_in_body_is_a_client_error_not_500(sandbox: Sandbox, number: bytes) -> None:
    """Found by this suite, now fixed (sandbox/_app.py SandboxApp._admit): a body number outside double range (1e400) or Python's
    non-standard NaN/Infinity literals crash ``reserialise`` (NotJsonSafe, outside the try) -> HTTP 500.
    Expected a 400 envelope (malformed/unsupported JSON) or, like Node, 1e400 read as Infinity -> null."""
    raw = (b'{"description":"x","type":"individual","individual":{"first_name":"A","last_name":"B",'
           b'"address_country":"AU"},"metadata":{"n":' + number + b"}}")
    response = raw_request(sandbox, "POST", "/api/v1/customer/create", raw, sign_with="raw")
    assert response.status_code < 500, response.text[:200]
    assert response.headers["Content-Type"] == "application/json"
