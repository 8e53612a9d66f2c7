"""Regression stories for issue 9's three findings, over the fault proxy and the real sandbox."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from paycombat_tools import InvalidRequestError, NetworkError, PayCombat, RetryPolicy
from paycombat_tools.sandbox import Sandbox
from paycombat_tools.signing import canonical_json
from tests.sandbox.helpers import (
    AU_PAYOUT_BENEFICIARY, SEED, au_payout, funded_wallet_id, raw_request, reference,
    state_snapshot,
)
from tests.wire.fault_proxy import FaultProxy

RETRY = RetryPolicy(max_retries=2, backoff_base=0.01, backoff_max=0.05, jitter=0.0)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=SEED) as sandbox:
        yield sandbox


@pytest.fixture
def proxy(sandbox: Sandbox) -> Iterator[FaultProxy]:
    proxy = FaultProxy(sandbox.url, stall_seconds=0.8)
    yield proxy
    proxy.close()


@pytest.fixture
def client(sandbox: Sandbox, proxy: FaultProxy) -> Iterator[PayCombat]:
    with PayCombat(sandbox.token, sandbox.signature_key, proxy.url, timeout=0.4, retry=RETRY) as client:
        yield client


@pytest.fixture
def wallet_id(sandbox: Sandbox) -> str:
    return funded_wallet_id(sandbox)


def payouts(sandbox: Sandbox) -> list[dict[str, Any]]:
    with sandbox.store.transaction():
        return sandbox.store.all("payout")


# -- finding 1: a response cut off mid-body ---------------------------------------------------------------


def test_a_response_cut_off_mid_body_is_retried_and_pays_once(sandbox: Sandbox, proxy: FaultProxy,
                                                              client: PayCombat, wallet_id: str) -> None:
    proxy.plan("half_response")
    payout = au_payout(client, "10.00", debit_wallet_id=wallet_id)
    assert proxy.applied == ["half_response"]
    assert [p["id"] for p in payouts(sandbox)] == [payout.id]


def test_a_body_cut_off_every_time_is_a_network_error_not_a_requests_exception(
        sandbox: Sandbox, proxy: FaultProxy, client: PayCombat, wallet_id: str) -> None:
    proxy.plan("half_response", times=3)
    with pytest.raises(NetworkError) as caught:
        au_payout(client, "10.00", debit_wallet_id=wallet_id)
    assert caught.value.sent and caught.value.outcome_unknown
    assert "after 3 attempt(s)" in str(caught.value)
    assert len(payouts(sandbox)) == 1


# -- finding 2: every attempt dropped after the server committed ---------------------------------------------


def test_an_unknown_outcome_names_the_generated_reference_and_resend_pays_once(
        sandbox: Sandbox, proxy: FaultProxy, client: PayCombat, wallet_id: str) -> None:
    proxy.plan("drop_rst", times=3)
    with pytest.raises(NetworkError) as caught:
        au_payout(client, "25.00", debit_wallet_id=wallet_id)
    error = caught.value
    assert error.idempotency_field == "order_id" and str(error.idempotency_reference).startswith("pct_")
    assert f"order_id='{error.idempotency_reference}'" in str(error)

    resent = client.resend(error)
    assert resent.order_id == error.idempotency_reference
    assert [p["id"] for p in payouts(sandbox)] == [resent.id]


def test_the_same_call_with_the_named_reference_pays_once_too(sandbox: Sandbox, proxy: FaultProxy,
                                                              client: PayCombat, wallet_id: str) -> None:
    proxy.plan("drop_fin", times=3)
    with pytest.raises(NetworkError) as caught:
        au_payout(client, "25.00", debit_wallet_id=wallet_id)
    again = au_payout(client, "25.00", debit_wallet_id=wallet_id, order_id=caught.value.idempotency_reference)
    assert [p["id"] for p in payouts(sandbox)] == [again.id]


def test_a_call_without_a_reference_is_not_resent(sandbox: Sandbox, proxy: FaultProxy, wallet_id: str) -> None:
    with PayCombat(sandbox.token, sandbox.signature_key, proxy.url, timeout=0.4, retry=RETRY,
                   auto_reference=False) as client:
        proxy.plan("drop_fin")
        with pytest.raises(NetworkError) as caught:
            au_payout(client, "5.00", debit_wallet_id=wallet_id)
        assert "no idempotency reference" in str(caught.value)
        with pytest.raises(InvalidRequestError, match="could act twice"):
            client.resend(caught.value)
    assert len(payouts(sandbox)) == 1


def test_an_error_carries_no_secret_when_pickled_or_shown(sandbox: Sandbox, proxy: FaultProxy, client: PayCombat,
                                                          wallet_id: str) -> None:
    proxy.plan("drop_rst", times=3)
    with pytest.raises(NetworkError) as caught:
        au_payout(client, "1.00", debit_wallet_id=wallet_id)
    restored = pickle.loads(pickle.dumps(caught.value))
    assert restored.idempotency_reference == caught.value.idempotency_reference
    shown = pickle.dumps(caught.value) + repr(caught.value).encode() + str(caught.value).encode()
    assert sandbox.token.encode() not in shown and sandbox.signature_key.encode() not in shown


# -- finding 3: bad input stored -----------------------------------------------------------------------------

MEGABYTE = "x" * (1 << 20)


@pytest.mark.parametrize(("operation", "fields", "named"), [
    ("payouts.create", {"description": MEGABYTE}, "description"),
    ("payouts.create", {"order_id": MEGABYTE}, "order_id"),
    ("payouts.create", {"purpose_code": MEGABYTE}, "purpose_code"),
    ("payouts.create", {"metadata": {"note": MEGABYTE}}, "metadata"),
    ("beneficiaries.create", {"beneficiary_name": MEGABYTE}, "beneficiary_name"),
    ("beneficiaries.create", {"beneficiary_name": "Grace Ho", "currency": "XYZ"}, "currency"),
    ("beneficiaries.create", {"beneficiary_name": "Grace Ho", "metadata": {"n": float("nan")}}, "metadata"),
    ("beneficiaries.create", {"beneficiary_name": "Grace Ho", "metadata": {"n": float("inf")}}, "metadata"),
    ("beneficiaries.create", {"beneficiary_name": "Grace Ho", "metadata": {"n": 2**53 + 1}}, "metadata"),
    ("refunds.create", {"payin_id": "payin_1", "amount": "1.00", "currency": "AUD", "comment": "x"}, "comment"),
])
def test_oversized_or_unsendable_input_is_refused_before_sending(sandbox: Sandbox, client: PayCombat,
                                                                 operation: str, fields: dict[str, Any],
                                                                 named: str) -> None:
    if operation == "payouts.create":
        fields = {"sender_amount": "1.00", "sender_currency": "AUD", "beneficiary_amount": "1.00",
                  "beneficiary_currency": "AUD", "payout_method_name": "au_bank_acct", "purpose_code": "SELF",
                  "payout_beneficiary_param": AU_PAYOUT_BENEFICIARY, **fields}
    elif operation == "beneficiaries.create":
        fields = {"type": "individual", **fields}
    before = state_snapshot(sandbox)
    with pytest.raises(InvalidRequestError) as caught:
        client.operation(operation)(**fields)
    assert f"{named}:" in str(caught.value) and len(str(caught.value)) < 1000
    assert state_snapshot(sandbox) == before


@pytest.mark.parametrize(("item", "named"), [
    ({"product_name": "Mug", "quantity": 1, "unit_price": "-1.00"}, "order_items.0.unit_price"),
    ({"product_name": "Mug", "quantity": 1, "unit_price": "1.001"}, "order_items.0.unit_price"),
    ({"product_name": "Mug", "quantity": 1, "unit_price": "100000000000000000000"}, "order_items.0.unit_price"),
    ({"product_name": "Mug", "quantity": 0, "unit_price": "1.00"}, "order_items.0.quantity"),
    ({"product_name": "Mug", "quantity": -1, "unit_price": "1.00"}, "order_items.0.quantity"),
    ({"product_name": "M" * 300, "quantity": 1, "unit_price": "1.00"}, "order_items.0.product_name"),
])
def test_bad_line_items_are_refused_by_the_client_and_by_the_sandbox(sandbox: Sandbox, client: PayCombat,
                                                                     item: dict[str, Any], named: str) -> None:
    body = {"amount": "1.00", "currency": "AUD", "country_code": "AU", "order_items": [item]}
    before = state_snapshot(sandbox)
    with pytest.raises(InvalidRequestError, match=named.replace(".", r"\.")):
        client.checkouts.create_payment_request(**body)
    answer = raw_request(sandbox, "POST", "/api/v1/checkout/payment-request", canonical_json(body))
    assert answer.status_code == 422 and named in {e["field"] for e in answer.json()["errors"]}
    assert state_snapshot(sandbox) == before


def test_a_body_over_one_mebibyte_is_refused_on_both_sides(sandbox: Sandbox, client: PayCombat) -> None:
    before = state_snapshot(sandbox)
    padding = {f"k{i}": "y" * 1000 for i in range(1100)}
    with pytest.raises(InvalidRequestError, match="1 MiB"):
        client.checkouts.create_payment_request(amount=Decimal("1.00"), currency="AUD", country_code="AU",
                                                extra_body={"padding": padding})
    body = canonical_json({"amount": "1.00", "currency": "AUD", "country_code": "AU", "padding": padding})
    answer = raw_request(sandbox, "POST", "/api/v1/checkout/payment-request", body)
    assert answer.status_code == 413 and answer.json()["status"] is False
    assert state_snapshot(sandbox) == before


def test_the_sandbox_names_the_field_of_an_oversized_string(sandbox: Sandbox) -> None:
    body = {"amount": "1.00", "currency": "AUD", "country_code": "AU", "description": "d" * 256,
            "organization_reference_id": reference("r")}
    answer = raw_request(sandbox, "POST", "/api/v1/checkout/payment-request", canonical_json(body))
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "description", "message": "256 characters; at most 255 are allowed"}]


def test_nan_in_extra_body_is_an_invalid_request_not_a_value_error(client: PayCombat) -> None:
    with pytest.raises(InvalidRequestError, match="not a finite number"):
        client.checkouts.create_payment_request(amount=Decimal("1.00"), currency="AUD", country_code="AU",
                                                extra_body={"score": float("nan")})


def test_the_sandbox_refuses_what_the_client_refuses(sandbox: Sandbox) -> None:
    body = {"type": "individual", "beneficiary_name": "Grace Ho", "currency": "XYZ"}
    answer = raw_request(sandbox, "POST", "/api/v1/payout-beneficiary", canonical_json(body))
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "currency"
