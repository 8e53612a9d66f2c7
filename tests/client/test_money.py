"""Exact money: minor units per currency, and the JSON number bytes that carry each amount."""

from __future__ import annotations

from decimal import Decimal

import pytest

from paycombat_tools import InvalidRequestError, MoneyError, PayCombat
from paycombat_tools.money import check_amount, minor_unit, to_decimal

from .fixtures import client, recording_server  # noqa: F401
from .recording_server import RecordingServer, Reply
from .samples import PAYOUT_KWARGS, PAYOUT_RECORD, RECORDS


@pytest.mark.parametrize(("currency", "places"), [("KRW", 0), ("JPY", 0), ("AUD", 2), ("SGD", 2), ("usd", 2),
                                                  ("KWD", 3), ("BHD", 3), ("CLF", 4)])
def test_minor_units(currency: str, places: int) -> None:
    assert minor_unit(currency) == places


@pytest.mark.parametrize("currency", ["XYZ", "", "AUDD", None])
def test_an_unknown_currency_is_refused(currency: str) -> None:
    with pytest.raises(MoneyError, match="unknown currency"):
        minor_unit(currency)


@pytest.mark.parametrize(
    ("amount", "currency", "wire"),
    [
        (Decimal("1.50"), "AUD", b'"sender_amount":1.5,'),
        (Decimal("100"), "AUD", b'"sender_amount":100,'),
        (Decimal("100.00"), "AUD", b'"sender_amount":100,'),
        (Decimal("0.01"), "AUD", b'"sender_amount":0.01,'),
        ("12.30", "AUD", b'"sender_amount":12.3,'),
        (15000, "KRW", b'"sender_amount":15000,'),
        (Decimal("1.234"), "KWD", b'"sender_amount":1.234,'),
        (Decimal("1E+2"), "AUD", b'"sender_amount":100,'),
    ],
)
def test_an_amount_goes_on_the_wire_as_javascript_would_write_it(
    amount: object, currency: str, wire: bytes, client: PayCombat, recording_server: RecordingServer
) -> None:
    recording_server.queue(Reply.envelope(PAYOUT_RECORD))

    client.payouts.create(**{**PAYOUT_KWARGS, "sender_amount": amount, "sender_currency": currency})

    body = recording_server.last.body
    assert body.startswith(b"{" + wire), body
    assert recording_server.last.json()["sender_amount"] == Decimal(amount)  # type: ignore[arg-type]


def test_a_payin_amount_of_1_50_aud_is_sent_as_1_5(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.envelope(RECORDS["Payin"]))

    client.payins.create(amount=Decimal("1.50"), currency="AUD", payin_method_name="au_bank_npp")

    assert recording_server.last.body.startswith(b'{"amount":1.5,"currency":"AUD",')


@pytest.mark.parametrize(
    ("currency", "amount", "problem"),
    [
        ("XYZ", Decimal("10.00"), "unknown currency"),
        ("KRW", Decimal("1000.5"), "more decimal places than KRW allows (0)"),
        ("AUD", Decimal("1.005"), "more decimal places than AUD allows (2)"),
        ("KWD", Decimal("1.0005"), "more decimal places than KWD allows (3)"),
        ("AUD", Decimal("0"), "greater than zero"),
        ("AUD", Decimal(2**60), "larger than an exact JSON number"),
    ],
)
def test_an_amount_its_currency_cannot_carry_is_refused_before_sending(
    currency: str, amount: Decimal, problem: str, client: PayCombat, recording_server: RecordingServer
) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        client.refunds.create(payin_id="pi_1", amount=amount, currency=currency)

    assert problem in str(caught.value)
    assert ("XYZ" if currency == "XYZ" else "amount:") in str(caught.value)  # names the culprit
    assert recording_server.requests == []


def test_trailing_zeros_beyond_the_minor_unit_are_fine(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.envelope(RECORDS["Refund"]))

    client.refunds.create(payin_id="pi_1", amount=Decimal("15000.000"), currency="KRW")

    assert b'"amount":15000,' in recording_server.last.body


@pytest.mark.parametrize("value", [1.5, True, float("nan"), "abc", Decimal("Infinity"), [1]])
def test_to_decimal_refuses_inexact_or_non_numbers(value: object) -> None:
    with pytest.raises(MoneyError):
        to_decimal(value)


def test_to_decimal_accepts_exact_forms() -> None:
    assert to_decimal("1.50") == Decimal("1.50")
    assert to_decimal(7) == Decimal(7)
    assert to_decimal(Decimal("0.10")) == Decimal("0.10")


def test_check_amount_keeps_the_amount() -> None:
    assert check_amount(Decimal("1.50"), "AUD") == Decimal("1.50")
    assert check_amount(Decimal("0"), "AUD", allow_zero=True) == 0


def test_response_money_is_decimal(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.raw(
        b'{"status":true,"message":"OK","data":{"id":"po_1","wire_amount":0.1,"fee_taken":"0.30","currency":"AUD"}}',
        content_type="application/json",
    ))

    payout = client.payouts.retrieve("po_1")

    assert payout.wire_amount == Decimal("0.1") and isinstance(payout.wire_amount, Decimal)
    assert payout.fee_taken == Decimal("0.30")
