"""What the API says no with becomes one typed error; bad input is refused before anything is sent.

Every story runs with the blocking client and with ``AsyncPayCombat``: the errors come from their one core.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from paycombat_tools import (
    AuthenticationError,
    ConflictError,
    InsufficientFundsError,
    InvalidRequestError,
    NotFoundError,
    PayCombat,
    PayCombatError,
    RateLimitError,
    ServerError,
    SignatureError,
    ValidationError,
)

from .fixtures import connect, recording_server  # noqa: F401
from .fixtures import either_client as client  # noqa: F401
from .recording_server import RecordingServer, Reply
from .samples import PAYOUT_KWARGS


@pytest.mark.parametrize(
    ("status", "message", "error_class"),
    [
        (400, "beneficiary_amount must be a number", ValidationError),
        (401, "Unauthorized", AuthenticationError),
        (403, "Token is not allowed for this merchant", AuthenticationError),
        (404, "Payout not found", NotFoundError),
        (409, "Payout already exists for this order_id", ConflictError),
        (422, "purpose_code is invalid", ValidationError),
    ],
)
def test_an_error_status_maps_to_its_error_class(
    status: int, message: str, error_class: type[PayCombatError], client: PayCombat, recording_server: RecordingServer
) -> None:
    recording_server.queue(Reply.error(status, message))

    with pytest.raises(error_class) as caught:
        client.payouts.retrieve("po_1")

    error = caught.value
    assert type(error) is error_class  # not a subclass such as SignatureError
    assert (error.status, error.message, error.operation) == (status, message, "payouts.retrieve")
    assert error.request_id == recording_server.last.headers["X-Request-Id"]
    assert error.body == {"status": False, "message": message, "data": None}
    assert len(recording_server.requests) == 1  # 4xx other than 429 is final


def test_a_401_about_the_signature_is_a_signature_error(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.error(401, "Invalid signature"))

    with pytest.raises(SignatureError) as caught:
        client.payouts.create(**PAYOUT_KWARGS)

    assert isinstance(caught.value, AuthenticationError)
    assert (caught.value.status, caught.value.message, caught.value.operation) == (
        401, "Invalid signature", "payouts.create")


def test_insufficient_funds_is_a_conflict(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.error(409, "Insufficient balance in payout wallet"))

    with pytest.raises(InsufficientFundsError) as caught:
        client.payouts.create(**PAYOUT_KWARGS)

    assert isinstance(caught.value, ConflictError)


def test_the_servers_request_id_wins_when_it_sends_one(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.error(404, "Payout not found", headers={"X-Request-Id": "srv_req_42"}))

    with pytest.raises(NotFoundError) as caught:
        client.payouts.retrieve("po_404")

    assert caught.value.request_id == "srv_req_42"
    assert "srv_req_42" in str(caught.value) and "HTTP 404" in str(caught.value)


def test_an_error_message_may_be_a_list_of_validation_messages(
    client: PayCombat, recording_server: RecordingServer
) -> None:
    recording_server.queue(Reply.json({"status": False, "message": ["amount is required", "currency is invalid"]},
                                      status=422))

    with pytest.raises(ValidationError) as caught:
        client.payouts.retrieve("po_1")

    assert caught.value.message == "amount is required; currency is invalid"


def test_429_is_retried_then_raises_rate_limit_with_retry_after(
    client: PayCombat, recording_server: RecordingServer
) -> None:
    # max_retries=2: three tries in all; the last answer's Retry-After is what the caller sees.
    recording_server.queue(
        Reply.error(429, "Too many requests", headers={"Retry-After": "0"}),
        Reply.error(429, "Too many requests", headers={"Retry-After": "0"}),
        Reply.error(429, "Too many requests", headers={"Retry-After": "7"}),
    )

    with pytest.raises(RateLimitError) as caught:
        client.payouts.list(limit=2)

    error = caught.value
    assert (error.status, error.message, error.operation) == (429, "Too many requests", "payouts.list")
    assert error.retry_after == 7.0
    assert error.request_id == recording_server.last.headers["X-Request-Id"]
    assert len(recording_server.requests) == 3


def test_429_without_retry_after_has_none(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(*[Reply.error(429, "Slow down")] * 3)

    with pytest.raises(RateLimitError) as caught:
        client.merchant.balance("AUD")

    assert caught.value.retry_after is None


def test_500_is_retried_then_raises_server_error(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(*[Reply.error(500, "Internal error, try later")] * 3)

    with pytest.raises(ServerError) as caught:
        client.payouts.retrieve("po_1")

    error = caught.value
    assert (error.status, error.message, error.operation) == (500, "Internal error, try later", "payouts.retrieve")
    assert error.request_id
    assert len(recording_server.requests) == 3
    # every retry is the same request: same request id, same path
    assert len({seen.headers["X-Request-Id"] for seen in recording_server.requests}) == 1


def test_an_html_body_is_a_server_error_saying_it_is_not_json(
    client: PayCombat, recording_server: RecordingServer
) -> None:
    recording_server.queue(Reply.raw(b"<html><body><h1>Welcome to nginx</h1></body></html>",
                                     content_type="text/html; charset=utf-8"))

    with pytest.raises(ServerError) as caught:
        client.payouts.retrieve("po_1")

    error = caught.value
    assert "not JSON" in error.message and "text/html" in error.message
    assert (error.status, error.operation) == (200, "payouts.retrieve")
    assert error.request_id


def test_a_json_body_that_is_not_the_envelope_is_a_server_error(
    client: PayCombat, recording_server: RecordingServer
) -> None:
    recording_server.queue(Reply.json(["not", "an", "envelope"]))

    with pytest.raises(ServerError, match="envelope"):
        client.payouts.retrieve("po_1")


def test_a_response_of_the_wrong_shape_is_a_server_error(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.envelope({"no_id_here": True}))

    with pytest.raises(ServerError, match="unexpected response shape for payouts.retrieve"):
        client.payouts.retrieve("po_1")


def test_200_with_status_false_is_an_error_with_the_apis_message(
    client: PayCombat, recording_server: RecordingServer
) -> None:
    recording_server.queue(Reply.envelope(None, ok=False, message="Payout method not available"))

    with pytest.raises(PayCombatError) as caught:
        client.payouts.create(**PAYOUT_KWARGS)

    error = caught.value
    assert error.message == "Payout method not available"
    assert error.operation == "payouts.create"
    assert error.status == 200
    assert error.request_id == recording_server.last.headers["X-Request-Id"]
    assert len(recording_server.requests) == 1


def test_a_nested_error_message_is_used_when_there_is_no_top_level_one(
    client: PayCombat, recording_server: RecordingServer
) -> None:
    recording_server.queue(Reply.json({"status": False, "error": {"message": "currency not supported"}}, status=400))

    with pytest.raises(ValidationError) as caught:
        client.payouts.retrieve("po_1")

    assert caught.value.message == "currency not supported"


# -- refused before sending -------------------------------------------------------------------------


_MISSING = object()


def _payout(**changes: Any) -> dict[str, Any]:
    """The valid payout with some fields changed (or removed with ``_MISSING``)."""
    fields = {**PAYOUT_KWARGS, **changes}
    return {key: value for key, value in fields.items() if value is not _MISSING}


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        (_payout(sender_amount=10.5), "sender_amount"),  # float: not exact
        (_payout(sender_amount=Decimal("10.005")), "sender_amount"),  # 3 decimals for AUD
        (_payout(beneficiary_currency="KRW", beneficiary_amount=Decimal("15000.5")), "beneficiary_amount"),
        (_payout(sender_amout=Decimal("10.00")), "sender_amout"),  # unknown field (a typo)
        (_payout(purpose_code=_MISSING), "purpose_code"),  # missing required field
        (_payout(sender_amount=Decimal(2**60)), "sender_amount"),  # more than a JS number holds
        (_payout(sender_amount=Decimal("-5")), "sender_amount"),
        (_payout(sender_currency="XYZ"), "XYZ"),  # unknown currency
    ],
    ids=["float", "aud-3-decimals", "krw-1-decimal", "unknown-field", "missing-field", "2**60", "negative",
         "unknown-currency"],
)
def test_invalid_input_is_refused_naming_the_field_and_nothing_is_sent(
    fields: dict[str, Any], named: str, client: PayCombat, recording_server: RecordingServer
) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        client.payouts.create(**fields)

    assert named in str(caught.value)
    assert caught.value.operation == "payouts.create"
    assert recording_server.requests == []


def test_a_path_param_is_required(client: PayCombat, recording_server: RecordingServer) -> None:
    with pytest.raises(InvalidRequestError, match="payout_id"):
        client.payouts.retrieve()
    with pytest.raises(InvalidRequestError, match="payout_id"):
        client.payouts.retrieve("   ")
    with pytest.raises(InvalidRequestError, match="takes 1 positional"):
        client.payouts.retrieve("po_1", "po_2")
    assert recording_server.requests == []


def test_an_operation_without_fields_refuses_fields(client: PayCombat, recording_server: RecordingServer) -> None:
    with pytest.raises(InvalidRequestError, match="takes no fields"):
        client.customers.enable("customer_1", reason="asked")
    assert recording_server.requests == []


# -- defects found by these tests, now fixed ------------------------------------------------------------


def test_a_wrong_shape_error_still_carries_status_and_request_id(
    client: PayCombat, recording_server: RecordingServer
) -> None:
    recording_server.queue(Reply.envelope({"no_id_here": True}))

    with pytest.raises(ServerError) as caught:
        client.payouts.retrieve("po_1")

    assert caught.value.status == 200
    assert caught.value.request_id == recording_server.last.headers["X-Request-Id"]


@pytest.mark.parametrize(("status", "error_class"), [(401, AuthenticationError), (404, NotFoundError),
                                                     (429, RateLimitError)])
def test_a_non_json_error_page_is_classified_by_its_status(
    status: int, error_class: type[PayCombatError], client: PayCombat, recording_server: RecordingServer
) -> None:
    page = Reply.raw(b"<html><body>gateway says no</body></html>", status=status, content_type="text/html",
                     headers={"Retry-After": "0"})
    recording_server.queue(*[page] * 3)

    with pytest.raises(PayCombatError) as caught:
        client.payouts.retrieve("po_1")

    assert isinstance(caught.value, error_class)
    assert caught.value.status == status and "not JSON" in caught.value.message
