"""One amount grammar for the toolkit: what the schema shows the model is what every reader accepts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from agent_tools import ConfirmationGuard
from agent_tools.actions import ActionRefused
from agent_tools.schemas import PayoutArgs, RefundArgs
from paycombat_tools import PayCombat
from paycombat_tools.money import AMOUNT_PATTERN, MoneyError, parse_amount, to_decimal
from paycombat_tools.widgets._common import InputProblem
from paycombat_tools.widgets._common import parse_amount as widget_amount

from . import helpers as h
from .helpers import PAYOUT

#: Locale and other forms a person or a model may write, with the words the refusal must contain.
REFUSED = {
    "1,5": "use a dot for decimals and no thousands separators",
    "1.000,50": "use a dot for decimals and no thousands separators",
    "1,234.50": "use a dot for decimals and no thousands separators",
    "1 000": "use a dot for decimals and no thousands separators",
    "1\u00a0000": "use a dot for decimals and no thousands separators",
    "1'000": "use a dot for decimals and no thousands separators",
    "1_000": "use a dot for decimals and no thousands separators",
    "€5": "no currency symbol",
    "5 AUD": "no currency symbol",
    "\u0661\u0662": "only ASCII digits",
    "5e2": "without exponent notation",
    "+5": "without a sign",
    "-5": "without a sign",
    "": "it is empty",
    "   ": "it is empty",
    "NaN": "not a finite number",
    "Infinity": "not a finite number",
    "inf": "not a finite number",
    ".5": "a digit before the dot",
    "5.": "digits after the dot",
}


def test_comma_decimal_1_5_is_refused_not_read_as_fifteen() -> None:
    with pytest.raises(ValidationError, match="use a dot for decimals and no thousands separators"):
        PayoutArgs.model_validate({**PAYOUT, "amount": "1,5"})


@pytest.mark.parametrize("text", sorted(REFUSED))
def test_every_reader_refuses_locale_forms_naming_the_problem(text: str) -> None:
    words = REFUSED[text]
    with pytest.raises(MoneyError, match=words):
        parse_amount(text)
    with pytest.raises(MoneyError, match=words):
        to_decimal(text)  # the client's request models read text amounts through this
    with pytest.raises(ValidationError, match=words):
        RefundArgs.model_validate({"payin_id": "payin_1", "amount": text, "currency": "AUD"})
    with pytest.raises(InputProblem):
        widget_amount(text, "AUD")


@pytest.mark.parametrize("text, value", [("40.00", "40.00"), ("40", "40"), ("0.10", "0.10"), (" 12.5 ", "12.5"),
                                         ("1234567.89", "1234567.89")])
def test_the_schema_pattern_is_read_exactly(text: str, value: str) -> None:
    amount = parse_amount(text)
    assert amount == Decimal(value) and str(amount) == value
    assert RefundArgs.model_validate({"payin_id": "p", "amount": text, "currency": "AUD"}).amount == Decimal(value)
    assert widget_amount(text, "AUD") == Decimal(value)


def test_the_schema_shown_to_the_model_carries_the_same_pattern() -> None:
    schema = PayoutArgs.model_json_schema()
    assert schema["properties"]["amount"]["pattern"] == AMOUNT_PATTERN


def test_a_direct_propose_refuses_a_comma_amount_and_records_nothing(guard: ConfirmationGuard) -> None:
    arguments = {"sender_amount": "1,5", "sender_currency": "AUD", "beneficiary_amount": "1,5",
                 "beneficiary_currency": "AUD", "payout_method_name": "au_bank_acct", "purpose_code": "SELF",
                 "payout_beneficiary_param": {"bsb": "062-000", "account_number": "12345678",
                                              "individual": {"first_name": "Grace", "last_name": "Ho"}}}
    with pytest.raises(ActionRefused, match="use a dot for decimals"):
        guard.propose("payouts.create", arguments)
    assert guard.pending() == []


def test_a_model_sending_1_5_gets_a_refusal_and_no_payout(client: PayCombat, guard: ConfirmationGuard) -> None:
    tools = h.tools_by_name(client, guard)
    before = h.payout_count(client)
    answer = h.call(tools["create_payout"], **{**PAYOUT, "amount": "1,5"})
    assert "use a dot for decimals" in str(answer) and "action_id" not in answer
    assert guard.pending() == [] and h.payout_count(client) == before


def test_minor_units_still_apply_after_parsing() -> None:
    with pytest.raises(InputProblem, match="KRW"):
        widget_amount("1500.5", "KRW")
    with pytest.raises(InputProblem, match="decimal places"):
        widget_amount("1.005", "AUD")
