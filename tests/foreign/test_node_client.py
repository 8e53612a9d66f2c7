"""A Node.js client written from PayCombat's docs alone (global fetch + the docs' signing snippet
``crypto.createHmac('sha256', signatureKey).update(JSON.stringify(data)).digest('hex')``), run against
the standalone sandbox. Each documented call's answer is asserted as the docs show it (EVIDENCE S2-S5,
S11-S13, S18, S1).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.foreign.conftest import HERE, StandaloneSandbox, describe, run_script

CALLS = ["customers.create", "customers.update", "customers.retrieve", "wallets.create", "payin_methods.list",
         "checkouts.create_payment_request", "checkouts.retrieve", "checkouts.create_new_checkout",
         "customers.disable", "customers.retrieve_after_disable", "payouts.create"]
ADDITIONAL_INFO = {"customer_name": "Ada Lovelace", "customer_email": "ada@example.com",
                   "transaction_date": "2026-11-30"}


@pytest.fixture(scope="module")
def docs_client(node: str, standalone_sandbox: StandaloneSandbox) -> dict[str, dict[str, Any]]:
    run = run_script([node, str(HERE / "node" / "docs_client.mjs")], standalone_sandbox)
    calls = run.by_call()
    assert list(calls) == CALLS, run.lines
    return calls


def sent(calls: dict[str, dict[str, Any]], name: str) -> dict[str, Any]:
    """One call's line; a call the script could not make (an earlier answer lacked its input) fails here."""
    line = calls[name]
    assert "skipped" not in line, f"{name} was not sent: {line['skipped']}"
    return line


def answered(line: dict[str, Any]) -> Any:
    """The ``data`` of a successful flat envelope ``{status: true, message, data}``."""
    assert line["status"] == 200, describe(line)
    body = line["body"]
    assert isinstance(body, dict) and body.get("status") is True, describe(line)
    assert isinstance(body.get("message"), str), describe(line)
    assert "data" in body, describe(line)
    return body["data"]


def signed_json(line: dict[str, Any]) -> None:
    """A documented write: JSON body, signed (the docs' snippet)."""
    assert line["headers_sent"] == ["X-token", "signature", "Content-Type"], describe(line)


def test_customers_create(docs_client: dict[str, dict[str, Any]]) -> None:
    line = sent(docs_client, "customers.create")
    signed_json(line)
    customer = answered(line)
    assert re.fullmatch(r"customer_\w+", customer["customer_id"]), describe(line)
    assert customer["type"] == "individual"
    assert customer["description"] == "Café customer from the Node docs client"
    assert customer["is_active"] is True
    assert customer["is_wallet_ready"] is True, describe(line)  # every wallet-ready field was given
    assert customer["individual"]["first_name"] == "Ada"
    assert customer["individual"]["last_name"] == "Lovelace"
    assert customer["individual"]["address_country"] == "AU"
    assert customer["individual"]["address_line1"] == "Unit 4/12 George Street"


def test_customers_update_takes_customer_id_in_the_body(docs_client: dict[str, dict[str, Any]]) -> None:
    line = sent(docs_client, "customers.update")
    signed_json(line)
    customer = answered(line)
    assert customer["customer_id"] == docs_client["customers.create"]["body"]["data"]["customer_id"]
    assert customer["description"] == "Updated by the Node docs client"
    assert customer["individual"]["phone_number"] == "412345678"
    assert customer["individual"]["first_name"] == "Ada"  # fields left out stay


def test_customers_retrieve_is_flat(docs_client: dict[str, dict[str, Any]]) -> None:
    line = sent(docs_client, "customers.retrieve")
    assert line["headers_sent"] == ["X-token"] and line["sent"] is None
    customer = answered(line)
    assert customer["customer_id"] == docs_client["customers.create"]["body"]["data"]["customer_id"], describe(line)
    assert customer["description"] == "Updated by the Node docs client"
    assert customer["individual"]["phone_number"] == "412345678"
    assert customer["is_active"] is True
    assert customer["is_wallet_ready"] is True
    assert customer["gca_activation_status"] == "NOT_STARTED"


def test_wallets_create(docs_client: dict[str, dict[str, Any]]) -> None:
    line = sent(docs_client, "wallets.create")
    signed_json(line)
    wallet = answered(line)
    assert wallet["customer_id"] == docs_client["customers.create"]["body"]["data"]["customer_id"], describe(line)
    assert re.fullmatch(r"wallet_\w+", wallet["wallet_id"]), describe(line)
    assert [account["currency"] for account in wallet["wallet_account"]] == ["AUD"], describe(line)


def test_payin_methods_for_eur(docs_client: dict[str, dict[str, Any]]) -> None:
    line = sent(docs_client, "payin_methods.list")
    methods = answered(line)
    assert isinstance(methods, list) and methods, describe(line)
    assert {method["currency"] for method in methods} == {"EUR"}, describe(line)


def test_checkouts_create_payment_request(docs_client: dict[str, dict[str, Any]],
                                          standalone_sandbox: StandaloneSandbox) -> None:
    line = sent(docs_client, "checkouts.create_payment_request")
    signed_json(line)
    checkout = answered(line)
    assert isinstance(checkout["id"], str) and checkout["id"], describe(line)
    assert re.fullmatch(r"[0-9a-f]{64}", checkout["checkout_token"]), describe(line)
    assert checkout["amount"] == Decimal(65)
    assert checkout["currency"] == "EUR"
    assert checkout["country_code"] == "EU"
    assert checkout["additional_info"] == ADDITIONAL_INFO
    # "…/?token=<checkout_token>&identifier=<X-token>" (S13)
    query = parse_qs(urlsplit(checkout["checkout_url"]).query)
    assert query.get("token") == [checkout["checkout_token"]], checkout["checkout_url"]
    assert query.get("identifier") == [standalone_sandbox.token]


def test_checkouts_retrieve(docs_client: dict[str, dict[str, Any]]) -> None:
    line = sent(docs_client, "checkouts.retrieve")
    assert line["headers_sent"] == ["X-token"] and line["sent"] is None
    created = docs_client["checkouts.create_payment_request"]["body"]["data"]
    checkout = answered(line)
    assert checkout["id"] == created["id"], describe(line)
    assert checkout["checkout_token"] == created["checkout_token"]
    assert checkout["checkout_url"] == created["checkout_url"]
    assert checkout["amount"] == Decimal(65)
    assert (checkout["currency"], checkout["country_code"]) == ("EUR", "EU")
    assert checkout["additional_info"] == ADDITIONAL_INFO
    assert isinstance(checkout["order_summary"], dict), describe(line)


def test_checkouts_create_new_checkout(docs_client: dict[str, dict[str, Any]]) -> None:
    line = sent(docs_client, "checkouts.create_new_checkout")
    signed_json(line)
    created = docs_client["checkouts.create_payment_request"]["body"]["data"]
    chosen = docs_client["payin_methods.list"]["body"]["data"][0]["payin_method_name"]
    checkout = answered(line)
    assert checkout["id"] == created["id"], describe(line)
    assert checkout["checkout_token"] == created["checkout_token"]
    assert checkout["payin_method_name"] == chosen
    assert checkout["amount"] == Decimal(65)
    assert (checkout["currency"], checkout["country_code"]) == ("EUR", "EU")


def test_customers_disable_bodiless_unsigned_nested_envelope(docs_client: dict[str, dict[str, Any]]) -> None:
    line = sent(docs_client, "customers.disable")
    assert line["headers_sent"] == ["X-token"] and line["sent"] is None  # as the docs' curl: no body, no signature
    body = line["body"]
    assert line["status"] == 200, describe(line)
    assert isinstance(body, dict) and body.get("status") is True and body.get("message") == "OK", describe(line)
    inner = body["data"]
    assert isinstance(inner, dict), describe(line)
    assert isinstance(inner.get("request_id"), str) and inner["request_id"], describe(line)
    assert isinstance(inner.get("request_time"), str) and inner["request_time"], describe(line)
    assert inner.get("success") is True, describe(line)
    assert inner.get("status_code") == 200, describe(line)
    assert inner.get("status_text") == "OK", describe(line)
    customer = inner.get("data")
    assert isinstance(customer, dict), describe(line)
    assert customer["customer_id"] == docs_client["customers.create"]["body"]["data"]["customer_id"]
    assert customer["is_active"] is False


def test_customers_retrieve_after_disable(docs_client: dict[str, dict[str, Any]]) -> None:
    line = sent(docs_client, "customers.retrieve_after_disable")
    customer = answered(line)
    assert customer["customer_id"] == docs_client["customers.create"]["body"]["data"]["customer_id"], describe(line)
    assert customer["is_active"] is False


def test_payouts_create(docs_client: dict[str, dict[str, Any]], standalone_sandbox: StandaloneSandbox) -> None:
    line = sent(docs_client, "payouts.create")
    signed_json(line)
    payout = answered(line)
    assert payout["order_id"] == "node-docs-0001", describe(line)
    assert payout["status"] == "PENDING"
    assert payout["original_amount"] == Decimal(40)
    assert payout["currency"] == "AUD"
    assert payout["beneficiary_bank"] == "au_bank_acct"
    retrieved = standalone_sandbox.client().payouts.retrieve(payout["id"])
    assert (retrieved.id, retrieved.order_id, retrieved.original_amount) == (payout["id"], "node-docs-0001",
                                                                            Decimal(40))
