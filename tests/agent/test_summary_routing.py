"""A summary names every argument that changes where money comes from, who gets it, or where data goes.

The walk is over the catalog itself: every guarded operation (risk other than read) and every field of
its request model (nested ones too) whose name says it routes money or data. A new field or operation
is covered without touching this file.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel

from agent_tools import ConfirmationGuard
from agent_tools.actions import normalise
from agent_tools.summaries import render_summary
from agent_tools.text import neutralise
from paycombat_tools.catalog import OPERATIONS, Operation

#: Field names that move the source of funds, the payee or where data goes (by what the name says).
ROUTING = re.compile(r"wallet|_url$|redirect|callback|email|phone|beneficiary|account|iban|bsb|bic|swift|"
                     r"^aba$|sort_code|ifsc|branch|bank|pay_id|proxy|customer_id|payer_id|checkout_id|_param$|"
                     r"(sender|beneficiary|bank)_country$|payin_id|payout_id|method_name|user_name")
#: Fields a summary never shows as text: capabilities (a checkout token pays or cancels a request).
NEVER_SHOWN = {"checkout_token"}
#: Valid minimal arguments for each guarded operation, before the routing field under test is added.
BASE: dict[str, dict[str, Any]] = {
    "beneficiaries.create": {"type": "individual", "beneficiary_name": "Grace Ho"},
    "beneficiaries.update": {"beneficiary_id": "pb_1"},
    "payins.create": {"amount": Decimal("5"), "currency": "AUD", "payin_method_name": "au_bank_npp"},
    "payins.create_virtual_account": {"payin_method_name": "KB", "currency": "KRW", "country": "KR",
                                      "user_name": "KIM", "user_yymmdd": "900101"},
    "payins.simulate": {"payin_id": "payin_1"},
    "payins.simulate_virtual_account": {"virtual_account_id": "va_1"},
    "payouts.create": {"sender_amount": Decimal("40"), "sender_currency": "AUD", "beneficiary_amount": Decimal("40"),
                       "beneficiary_currency": "AUD", "payout_method_name": "au_bank_acct", "purpose_code": "SELF",
                       "payout_beneficiary_id": "pb_1"},
    "payouts.simulate": {"payout_id": "payout_1"},
    "checkouts.create_payment_request": {"amount": Decimal("5"), "currency": "AUD", "country_code": "AU"},
    "checkouts.cancel": {"checkout_token": "tok"},
    "checkouts.create_virtual_account_krw": {"checkout_token": "tok", "payin_method_name": "KB"},
    "checkouts.create_new_checkout": {"checkout_token": "tok", "payin_method_name": "au_bank_npp"},
    "wallets.create": {"customer_id": "customer_1", "currency": "AUD", "currency_list": ["AUD"]},
    "customers.create": {"description": "shop", "type": "individual"},
    "customers.update": {"customer_id": "customer_1"},
    "customers.enable": {"customer_id": "customer_1"},
    "customers.disable": {"customer_id": "customer_1"},
    "customers.delete": {"customer_id": "customer_1"},
    "refunds.create": {"payin_id": "payin_1", "amount": Decimal("5"), "currency": "AUD"},
}
GUARDED = [op for op in OPERATIONS if op.risk != "read"]


def routing_fields(model: type[BaseModel] | None, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Paths of the routing fields of ``model``, descending into nested models."""
    found: list[tuple[str, ...]] = []
    for name, info in (model.model_fields.items() if model else ()):
        key = info.alias or name
        nested = next((arg for arg in getattr(info.annotation, "__args__", (info.annotation,))
                       if isinstance(arg, type) and issubclass(arg, BaseModel)), None)
        if nested is not None:
            found += routing_fields(nested, (*prefix, key))
        elif ROUTING.search(key) and key not in NEVER_SHOWN:
            found.append((*prefix, key))
    return found


def candidates(path: tuple[str, ...]) -> list[Any]:
    """Values to try for a field: a marked text first (a hidden character in it), then valid fallbacks."""
    key = path[-1]
    marked = f"{key[:6]}\u202e{abs(hash(path)) % 10_000:04d}"
    if key.endswith("_url"):
        marked = f"https://{key.replace('_', '-')}.example/\u202e{abs(hash(path)) % 10_000:04d}"
    if "email" in key:
        marked = f"{key[:6]}\u202e@elsewhere.example"
    return [marked, {"to": marked}, "SG", "SGD", Decimal("39.50"), "4155550123", "+65"]


#: A customer's holder blocks need every required field (customers.create).
PERSON = {"first_name": "Ada", "last_name": "Tan", "dob": "1990-05-17", "nationality": "AU",
          "address_line1": "1 George St", "address_city": "Sydney", "address_country": "AU",
          "identification_type": "PASSPORT", "identification_value": "PA1234567"}
COMPANY = {"name": "Kettle & Co", "registration_number": "ACN 004 085 616", "incorporation_country": "AU",
           "address_country": "AU"}


def with_value(base: dict[str, Any], path: tuple[str, ...], value: Any, full: bool = False) -> dict[str, Any]:
    args = {**base}
    if path[0] == "payout_beneficiary_param":
        args.pop("payout_beneficiary_id", None)
    if full and path[0] == "company":
        args["type"] = "company"
    target = args
    for key in path[:-1]:
        start = {"individual": PERSON if full else {"first_name": "Grace"},
                 "company": COMPANY if full else {"name": "Kettle"}, "authorized_user": PERSON}.get(key, {})
        target[key] = dict(target.get(key) or start)
        target = target[key]
    target[path[-1]] = value
    return args


def cases() -> list[tuple[Operation, tuple[str, ...]]]:
    return [(op, path) for op in GUARDED for path in routing_fields(op.request_model) + [(p,) for p in op.path_params]
            if path[-1] not in BASE[op.name] or len(path) > 1 or op.path_params]


@pytest.mark.parametrize("op, path", cases(), ids=lambda value: value.name if isinstance(value, Operation)
                         else ".".join(value))
def test_the_summary_shows_every_routing_argument(op: Operation, path: tuple[str, ...]) -> None:
    for value, full in [(value, full) for full in (False, True) for value in candidates(path)]:
        try:
            arguments = normalise(op, with_value(BASE[op.name], path, value, full))
        except Exception:
            continue
        break
    else:
        pytest.fail(f"no valid value found for {op.name} {'.'.join(path)}")
    sent = arguments
    for key in path:
        sent = sent[key]
    summary = render_summary(op.name, arguments, {})
    text = neutralise(sent if isinstance(sent, str) else str(sent))
    if path[-1] in ("account_number", "iban"):
        assert "****" + neutralise(str(sent)[-4:]) in summary, summary
    elif isinstance(sent, dict):
        assert all(neutralise(str(item)) in summary for item in sent.values()), summary
    elif isinstance(sent, Decimal):
        assert str(sent) in summary, summary
    else:
        assert text in summary, (path, summary)
    assert "\u202e" not in summary


def test_every_guarded_operation_has_minimal_arguments_here() -> None:
    assert {op.name for op in GUARDED} == set(BASE)


def test_a_direct_propose_names_the_debit_wallet_and_the_webhook(guard: ConfirmationGuard) -> None:
    """The finding: the summary of a direct guard.propose left out debit_wallet_id and webhook_url."""
    payee = {key: value for key, value in BASE["payouts.create"].items() if key != "payout_beneficiary_id"}
    payee["payout_beneficiary_param"] = {"bsb": "062-000", "account_number": "12345678",
                                         "individual": {"first_name": "Grace", "last_name": "Ho"}}
    arguments = {**payee, "debit_wallet_id": "wallet_of_someone_else",
                 "webhook_url": "https://collector.example/hook", "fees_wallet_id": "wallet_fees",
                 "receipt_email": "copy@elsewhere.example"}
    summary = guard.propose("payouts.create", arguments).summary
    for shown in ('paid from wallet "wallet_of_someone_else"', 'webhook to "https://collector.example/hook"',
                  'fees from wallet "wallet_fees"', 'receipt to "copy@elsewhere.example"'):
        assert shown in summary, summary


def test_a_long_webhook_url_is_shown_in_full() -> None:
    url = "https://checkout.example.com/" + "a" * 80 + ".attacker.example/collect"
    summary = render_summary("wallets.create", {"customer_id": "c", "currency": "AUD", "currency_list": ["AUD"],
                                                "webhook_url": url})
    assert url in summary


def test_a_payout_in_another_currency_says_what_the_beneficiary_receives() -> None:
    arguments = {**BASE["payouts.create"], "beneficiary_amount": Decimal("35.10"), "beneficiary_currency": "SGD"}
    assert "the beneficiary receives SGD 35.10" in render_summary("payouts.create", arguments)


def test_a_generic_summary_never_shows_a_checkout_token() -> None:
    summary = render_summary("checkouts.create_new_checkout", {"checkout_token": "tok_capability_123",
                                                               "payin_method_name": "au_bank_npp"})
    assert "tok_capability_123" not in summary and "checkout_token=<hidden>" in summary
