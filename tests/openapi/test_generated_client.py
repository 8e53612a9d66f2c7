"""A client generated from ``openapi.json`` works against the sandbox, and its signatures are the docs'.

openapi-python-client generates the package once per session (``conftest.generated``). Requests are
signed the simplest way a user of a generated client would: an httpx request hook that signs the
bytes the client is about to send (``request.content``). PayCombat's server signs
``JSON.stringify(JSON.parse(body))``; the sandbox accepts either, so every signature is also checked
against a real Node.js: the two agree only when the generated client's bytes survive that round trip,
which is why the document describes request amounts as decimal strings.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any

import httpx
import pytest

from paycombat_tools.sandbox import Sandbox
from tests.node_oracle import NodeOracle
from tests.openapi.conftest import Generated


class Signer:
    """An httpx request hook: ``X-token`` on every request, ``signature`` over the body when there is one."""

    def __init__(self, token: str, key: str) -> None:
        self.token, self.key = token, key
        self.sent: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> None:
        body = request.content
        request.headers["X-token"] = self.token
        if body:
            request.headers["signature"] = hmac.new(self.key.encode("utf-8"), body, hashlib.sha256).hexdigest()
        self.sent.append(request)

    def last(self) -> httpx.Request:
        return self.sent[-1]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=1) as sb:
        yield sb


@pytest.fixture
def signer(sandbox: Sandbox) -> Signer:
    return Signer(sandbox.token, sandbox.signature_key)


@pytest.fixture
def client(generated: Generated, sandbox: Sandbox, signer: Signer) -> Iterator[Any]:
    api_client = generated.module("client").AuthenticatedClient(
        base_url=sandbox.url, token=sandbox.token, prefix="", auth_header_name="X-token",
        raise_on_unexpected_status=True, httpx_args={"event_hooks": {"request": [signer]}},
    )
    with api_client as opened:
        yield opened


def _assert_signed_as_the_docs_sign(request: httpx.Request, key: str, node: NodeOracle) -> None:
    """The hook signed the raw bytes; a server (Node) signing JSON.stringify(JSON.parse(body)) gets the same."""
    body = request.content
    assert node.stringify_parse(body) == body, body
    assert node.sign(key, body) == request.headers["signature"]


def test_generation_prints_no_warnings(generated: Generated) -> None:
    assert "Warning" not in generated.output and "WARNING" not in generated.output, generated.output
    assert "Skipping" not in generated.output, generated.output  # the ruff post-hooks ran
    assert hasattr(generated.module("client"), "AuthenticatedClient")


def test_reads_payin_methods_and_merchant_balance(generated: Generated, client: Any, signer: Signer) -> None:
    methods = generated.module("api.payin_methods.payin_methods_list").sync_detailed(client=client, currency="AUD")
    assert methods.status_code == HTTPStatus.OK, methods.content
    assert methods.parsed.status is True
    assert "au_bank_npp" in {method.payin_method_name for method in methods.parsed.data}
    request = signer.last()
    assert request.url.params["currency"] == "AUD"
    assert request.headers["X-token"] == client.token and "signature" not in request.headers

    balance = generated.module("api.merchant.merchant_balance").sync_detailed("AUD", client=client)
    assert balance.status_code == HTTPStatus.OK, balance.content
    assert balance.parsed.data.currency == "AUD"
    assert float(balance.parsed.data.total_balance_available) > 0


def test_create_customer_with_the_documented_body(generated: Generated, client: Any, signer: Signer,
                                                  sandbox: Sandbox, node: NodeOracle) -> None:
    models = generated.module("models")
    body = models.CustomerCreate(
        description="Ada Tan, marketplace seller", type_=models.CustomerCreateType.INDIVIDUAL,
        individual=models.IndividualDetails(first_name="Ada", last_name="Tan", address_country="AU"),
    )
    created = generated.module("api.customers.customers_create").sync_detailed(client=client, body=body)
    assert created.status_code == HTTPStatus.OK, created.content
    request = signer.last()
    assert request.content == (b'{"description":"Ada Tan, marketplace seller","type":"individual",'
                               b'"individual":{"first_name":"Ada","last_name":"Tan","address_country":"AU"}}')
    _assert_signed_as_the_docs_sign(request, sandbox.signature_key, node)
    customer = created.parsed.data
    assert customer.customer_id and customer.type_ == "individual" and customer.is_active is True

    retrieved = generated.module("api.customers.customers_retrieve").sync_detailed(customer.customer_id, client=client)
    assert retrieved.status_code == HTTPStatus.OK, retrieved.content
    assert retrieved.parsed.data.description == "Ada Tan, marketplace seller"

    # a bodiless PATCH with the nested (Finmo) envelope: no body, so nothing to sign
    disabled = generated.module("api.customers.customers_disable").sync_detailed(customer.customer_id, client=client)
    assert disabled.status_code == HTTPStatus.OK, disabled.content
    assert signer.last().content == b"" and "signature" not in signer.last().headers
    assert disabled.parsed.data.success is True and disabled.parsed.data.status_code == 200
    assert disabled.parsed.data.data.customer_id == customer.customer_id
    assert disabled.parsed.data.data.is_active is False


def test_payout_with_string_amounts(generated: Generated, client: Any, signer: Signer, sandbox: Sandbox,
                                    node: NodeOracle) -> None:
    models = generated.module("models")
    body = models.PayoutCreate(
        sender_amount="40.00", sender_currency="AUD", beneficiary_amount="40.00", beneficiary_currency="AUD",
        payout_method_name="au_bank_acct", purpose_code="SELF", order_id="generated-client-1",
        payout_beneficiary_param=models.BeneficiaryParams(
            bsb="062-000", account_number="12345678",
            individual=models.BeneficiaryIndividual(first_name="Grace", last_name="Ho"),
        ),
    )
    created = generated.module("api.payouts.payouts_create").sync_detailed(client=client, body=body)
    assert created.status_code == HTTPStatus.OK, created.content
    request = signer.last()
    sent = json.loads(request.content)
    assert (sent["sender_amount"], sent["beneficiary_amount"]) == ("40.00", "40.00")
    _assert_signed_as_the_docs_sign(request, sandbox.signature_key, node)
    payout = created.parsed.data
    assert payout.status == "PENDING" and payout.currency == "AUD"
    assert float(payout.wire_amount) == 40

    memo = generated.module("api.payouts.payouts_memo").sync_detailed(payout.id, client=client)
    assert memo.status_code == HTTPStatus.OK
    assert memo.headers["Content-Type"] == "application/pdf"
    assert memo.parsed.payload.read().startswith(b"%PDF")


def test_a_validation_error_parses_into_the_error_envelope(generated: Generated, client: Any) -> None:
    models = generated.module("models")
    body = models.CustomerCreate(description="no individual block", type_=models.CustomerCreateType.INDIVIDUAL)
    refused = generated.module("api.customers.customers_create").sync_detailed(client=client, body=body)
    assert refused.status_code == HTTPStatus.UNPROCESSABLE_ENTITY, refused.content
    envelope = refused.parsed
    assert isinstance(envelope, models.Envelope)
    assert envelope.status is False and envelope.message
    assert envelope.errors and all(problem.field and problem.message for problem in envelope.errors)


def test_a_float_amount_is_why_amounts_are_strings(node: NodeOracle, sandbox: Sandbox) -> None:
    """The float a number-typed schema would let a client send is rewritten by JSON.stringify, so its
    raw-bytes signature is not the server's; the string form survives unchanged."""
    as_float = b'{"sender_amount":30.0}'
    assert node.stringify_parse(as_float) == b'{"sender_amount":30}'
    assert node.sign(sandbox.signature_key, as_float) != hmac.new(
        sandbox.signature_key.encode(), as_float, hashlib.sha256).hexdigest()
    as_string = b'{"sender_amount":"30.00"}'
    assert node.stringify_parse(as_string) == as_string
