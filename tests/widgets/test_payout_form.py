from __future__ import annotations

import base64
import re
from decimal import Decimal

import pytest

from paycombat_tools import PayCombat
from paycombat_tools.sandbox import Sandbox
from paycombat_tools.widgets import PayoutForm

from .support import payout_count


def fill_valid(form: PayoutForm, amount: str = "40.00") -> None:
    form.currency.value = "AUD"
    form.method.value = "au_bank_acct"
    form.fields["bsb"].value = "062-000"
    form.fields["account_number"].value = "12345678"
    form.fields["individual.first_name"].value = "Grace"
    form.fields["individual.last_name"].value = "Ho"
    form.amount.value = amount
    form.purpose_code.value = "SELF"


@pytest.fixture
def form(client: PayCombat) -> PayoutForm:
    return PayoutForm(client)


def test_beneficiary_fields_come_from_the_methods_required_fields(client: PayCombat, form: PayoutForm) -> None:
    assert {"AUD", "SGD"} <= set(form.currency.options)
    form.currency.value = "AUD"
    assert form.method.value == "au_bank_acct"
    assert list(form.fields) == ["bsb", "account_number", "individual.first_name", "individual.last_name"]
    assert form.fields["bsb"].description.endswith("*")
    assert form.fields["individual.first_name"].description.endswith("*")
    assert not form.fields["individual.last_name"].description.endswith("*")
    assert "6 digits, e.g. 062-000" in form.field_hints["bsb"].value  # the docs' rule is shown next to the field
    assert set(form.field_errors) == {"bsb", "account_number", "individual.first_name"}  # empty mandatory ones

    form.currency.value = "SGD"  # another currency: other methods, other fields
    assert form.method.value == "sg_bank_fastpayment_sgd"
    assert list(form.fields) == ["bank_code", "account_number", "individual.first_name", "individual.last_name"]
    assert [w.description for w in form.fields_box.children[1].children[:1]] == ["Bank code *"]


def test_fields_are_checked_against_their_regex_as_you_type(form: PayoutForm) -> None:
    fill_valid(form)
    assert form.field_errors == {}
    form.fields["bsb"].value = "12-34"
    assert "6 digits, e.g. 062-000" in form.field_errors["bsb"]
    assert "✗" in form.field_hints["bsb"].value and "6 digits, e.g. 062-000" in form.field_hints["bsb"].value
    form.fields["bsb"].value = "062000"
    assert "bsb" not in form.field_errors and "✓" in form.field_hints["bsb"].value


def test_an_invalid_field_blocks_quote_and_confirm_and_sends_nothing(client: PayCombat, form: PayoutForm) -> None:
    before = payout_count(client)
    fill_valid(form)
    form.fields["bsb"].value = "12-34"
    form.quote_button.click()
    assert form.request is None and form.confirm_button.disabled and form.preview.value == ""
    assert "bsb" in (form.last_error or "") and "6 digits, e.g. 062-000" in form.status.value
    form.confirm_button.click()
    assert "Quote first" in (form.last_error or "")
    assert form.validate() is None  # validation refuses locally too
    assert payout_count(client) == before and form.payout is None


def test_quote_then_confirm_creates_exactly_one_payout_even_when_confirm_is_clicked_twice(
        sandbox: Sandbox, client: PayCombat, form: PayoutForm) -> None:
    before = payout_count(client)
    payout_wallet = sandbox.org_wallet_id("payout")
    available_before = sandbox.balance(payout_wallet, "AUD")[0]
    fill_valid(form)

    validation = form.validate()
    assert validation is not None and validation.is_valid and form.last_error is None

    form.quote_button.click()
    request = form.request
    assert request is not None and not form.confirm_button.disabled
    assert payout_count(client) == before  # a quote sends nothing that creates a payout
    preview = form.preview.value
    assert "40.00 AUD" in preview and "Grace Ho" in preview and "bsb 062-000" in preview
    assert request["order_id"] in preview and "fee" in preview.lower()
    assert "nothing has been sent" in preview

    form.confirm_button.click()
    form.confirm_button.click()  # the double click
    form.confirm()
    assert payout_count(client) == before + 1
    payout = form.payout
    assert payout is not None and payout.order_id == request["order_id"] and payout.status == "PENDING"
    assert client.payouts.retrieve(payout.id).wire_amount == Decimal("40.00")
    assert sandbox.balance(payout_wallet, "AUD")[0] == available_before - Decimal("41.00")  # amount + fee, once
    assert form.confirm_button.disabled and not form.simulate_button.disabled
    assert "Already sent" in form.status.value
    assert payout.id in form.result.value and "PENDING" in form.result.value


def test_changing_a_field_after_the_quote_disables_confirm(client: PayCombat, form: PayoutForm) -> None:
    before = payout_count(client)
    fill_valid(form)
    assert form.quote() is not None and not form.confirm_button.disabled
    form.amount.value = "41.00"
    assert form.confirm_button.disabled and form.request is None
    assert "quote again" in form.preview.value.lower()
    assert form.confirm() is None and form.last_error
    assert payout_count(client) == before

    assert form.quote() is not None  # a fresh quote of the new values can be confirmed
    form.fields["individual.last_name"].value = "Hopper"
    assert form.confirm_button.disabled and form.confirm() is None
    assert payout_count(client) == before


def test_each_quote_fixes_a_new_order_id(form: PayoutForm) -> None:
    fill_valid(form)
    first = form.quote()
    second = form.quote()
    assert first and second and first["order_id"] != second["order_id"]
    assert re.fullmatch(r"pct_[0-9a-f]{32}", second["order_id"])


def test_an_api_refusal_is_shown_readably_and_changes_nothing(client: PayCombat, form: PayoutForm) -> None:
    before = payout_count(client)
    fill_valid(form, amount="1000000.00")  # more than the payout wallet holds
    assert form.quote() is not None
    assert "the API will refuse it" in form.preview.value
    form.confirm_button.click()
    assert form.payout is None and payout_count(client) == before
    assert form.last_error is not None and "InsufficientFundsError" in form.last_error
    assert "Insufficient balance" in form.status.value and "Traceback" not in form.status.value
    assert not form.confirm_button.disabled  # retrying is safe: the same order_id


def test_simulate_completes_the_payout_and_the_memo_can_be_downloaded(client: PayCombat, form: PayoutForm) -> None:
    fill_valid(form)
    form.quote()
    payout = form.confirm()
    assert payout is not None
    assert "data:application/pdf;base64," in form.memo_link.value  # a memo right after creation

    form.simulate_status.value = "SUCCESS"
    form.simulate_button.click()
    assert client.payouts.retrieve(payout.id).status == "SUCCESS"
    assert form.payout is not None and form.payout.status == "SUCCESS" and form.simulate_button.disabled
    assert "SUCCESS" in form.result.value
    data = re.search(r"base64,([A-Za-z0-9+/=]+)", form.memo_link.value)
    assert data is not None and base64.b64decode(data.group(1)).startswith(b"%PDF")
    assert form.memo is not None and bytes(form.memo).startswith(b"%PDF")
    assert "download=" in form.memo_link.value and "SUCCESS" in form.memo_link.value

    form.simulate("FAILED")  # no longer pending: the API says no, readably
    assert form.last_error is not None and "SUCCESS" in form.last_error


def test_a_failed_payout_returns_the_funds(sandbox: Sandbox, client: PayCombat, form: PayoutForm) -> None:
    payout_wallet = sandbox.org_wallet_id("payout")
    before = sandbox.balance(payout_wallet, "AUD")
    fill_valid(form)
    form.quote()
    form.confirm()
    payout = form.simulate("FAILED")
    assert payout is not None and payout.status == "FAILED" and "FAILED" in form.result.value
    assert sandbox.balance(payout_wallet, "AUD") == before


def test_simulate_without_a_payout_explains_itself(form: PayoutForm) -> None:
    assert form.simulate() is None and "confirm a payout first" in (form.last_error or "")


def test_an_amount_with_too_many_decimals_is_refused_before_anything_is_sent(client: PayCombat,
                                                                            form: PayoutForm) -> None:
    fill_valid(form, amount="10.001")
    assert form.quote() is None and "decimal places" in (form.last_error or "")
    assert form.confirm_button.disabled and payout_count(client) == 0


# -- reading well (issue 13) ----------------------------------------------------------------------------


def test_labels_are_the_field_descriptions_with_required_marks(form: PayoutForm) -> None:
    labels = {key: text.description for key, text in form.fields.items()}
    assert labels == {"bsb": "Bank State Branch number *", "account_number": "Bank account number *",
                      "individual.first_name": "First name of the beneficiary *",
                      "individual.last_name": "Last name of the beneficiary"}
    widths = {text.style.description_width for text in (*form.fields.values(), form.amount, form.currency)}
    assert len(widths) == 1  # one label column: the inputs line up
    assert form.fields["bsb"].placeholder == "e.g. 062-000"


def test_the_purpose_codes_show_their_whole_meaning(form: PayoutForm) -> None:
    assert ("SELF — transfer to your own account", "SELF") in form.purpose_code.options
    assert form.purpose_code.layout.width == form.amount.layout.width  # as wide as the other fields


def test_empty_required_fields_are_marked_after_quote(client: PayCombat, form: PayoutForm) -> None:
    assert "required" not in form.field_hints["bsb"].value  # not before the person has tried
    form.amount.value = "40.00"
    assert form.quote() is None
    for key in ("bsb", "account_number", "individual.first_name"):
        assert "✗ required" in form.field_hints[key].value and "pct-field-error" in form.field_hints[key].value
    assert "required" not in form.field_hints["individual.last_name"].value  # optional
    form.fields["bsb"].value = "062-000"
    assert "✓" in form.field_hints["bsb"].value


def test_the_quote_says_when_the_fee_is_known_and_confirm_shows_fee_and_total(form: PayoutForm) -> None:
    fill_valid(form)
    form.quote()
    assert "set by PayCombat when the payout is created" in form.preview.value
    assert "Total debited" in form.preview.value and "the amount plus that fee" in form.preview.value
    payout = form.confirm()
    assert payout is not None and payout.fee_expected == Decimal("1.00")
    assert "1.00 AUD" in form.preview.value and "<b>41.00 AUD</b>" in form.preview.value
    assert "41.00 AUD" in form.result.value


def test_after_confirm_the_messages_say_what_was_sent(form: PayoutForm) -> None:
    fill_valid(form)
    form.quote()
    assert "Quote — nothing has been sent yet." in form.preview.value
    payout = form.confirm()
    assert payout is not None
    assert "nothing has been sent" not in form.preview.value
    assert f"created payout <code>{payout.id}</code>" in form.preview.value  # the payout just created
    assert payout.id in form.status.value and "reserved in the payout wallet" in form.status.value
    form.simulate("SUCCESS")
    assert "The bank paid it" in form.status.value
