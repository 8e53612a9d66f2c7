"""Every catalog operation goes out on the wire as the catalog says, signed, and comes back typed."""

from __future__ import annotations

import hashlib
import hmac
from decimal import Decimal
from typing import Any

import pytest

from paycombat_tools import CATALOG, ConfigurationError, Page, PayCombat, PdfDocument, canonical_json

from .fixtures import FAST_RETRY, SIGNATURE_KEY, TOKEN, client, recording_server  # noqa: F401
from .recording_server import RecordingServer, Reply
from .samples import PAYOUT_KWARGS, PDF_BYTES, RECORDS

# The 44 operations of the issue plus Simulate Create VA (docs nav B\u2032), written out by hand
# (not derived from the catalog).
EXPECTED_NAMES = {
    "master_data.list_countries_currencies",
    "payout_methods.list", "payout_methods.required_fields",
    "payin_methods.list", "payin_methods.required_fields",
    "beneficiaries.create", "beneficiaries.update", "beneficiaries.list", "beneficiaries.retrieve",
    "beneficiaries.validate", "beneficiaries.validate_body",
    "payins.create", "payins.retrieve", "payins.memo", "payins.create_virtual_account", "payins.simulate",
    "payins.simulate_virtual_account",
    "payouts.create", "payouts.simulate", "payouts.memo", "payouts.retrieve", "payouts.list",
    "checkouts.create_payment_request", "checkouts.list", "checkouts.cancel", "checkouts.retrieve",
    "checkouts.create_virtual_account_krw", "checkouts.va_bank_information", "checkouts.create_new_checkout",
    "transactions.retrieve", "transactions.list",
    "wallets.create", "wallets.list", "wallets.retrieve",
    "customers.create", "customers.update", "customers.list", "customers.retrieve",
    "customers.is_wallet_ready", "customers.enable", "customers.disable", "customers.delete",
    "payment_methods.list_by_currency",
    "merchant.balance",
    "refunds.create",
}

TOKEN_KRW = "b" * 64

#: name -> (positional path args, minimal valid fields)
MINIMAL_CALLS: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "master_data.list_countries_currencies": ((), {}),
    "payout_methods.list": ((), {"currency": "AUD", "country": "AU"}),
    "payout_methods.required_fields": (("au_bank_acct",), {}),
    "payin_methods.list": ((), {"currency": "AUD"}),
    "payin_methods.required_fields": (("au_bank_npp",), {}),
    "beneficiaries.create": ((), {
        "type": "individual", "beneficiary_name": "Jane Citizen", "currency": "AUD",
        "payout_method_name": "au_bank_acct", "account_number": "12345678", "bsb": "062000",
    }),
    "beneficiaries.update": (("pb_1",), {"beneficiary_name": "Jane Roe"}),
    "beneficiaries.list": ((), {"limit": 10}),
    "beneficiaries.retrieve": (("pb_1",), {}),
    "beneficiaries.validate": (("pb_1",), {"payout_method_name": "au_bank_acct"}),
    "beneficiaries.validate_body": ((), {
        "payout_method_name": "au_bank_acct",
        "payout_beneficiary_param": {"account_number": "12345678", "bsb": "062000"},
    }),
    "payins.create": ((), {"amount": Decimal("100.00"), "currency": "AUD", "payin_method_name": "au_bank_npp"}),
    "payins.retrieve": (("pi_1",), {}),
    "payins.memo": (("pi_1",), {}),
    "payins.create_virtual_account": ((), {
        "payin_method_name": "KDB산업은행", "currency": "KRW", "country": "KR",
        "user_name": "홍길동", "user_yymmdd": "900101",
    }),
    "payins.simulate": ((), {"payin_id": "pi_1"}),
    "payins.simulate_virtual_account": ((), {"virtual_account_id": "va_1", "status": "APPROVED"}),
    "payouts.create": ((), PAYOUT_KWARGS),
    "payouts.simulate": ((), {"payout_id": "po_1"}),
    "payouts.memo": (("po_1",), {}),
    "payouts.retrieve": (("po_1",), {}),
    "payouts.list": ((), {"limit": 10}),
    "checkouts.create_payment_request": ((), {"amount": Decimal("25.00"), "currency": "AUD", "country_code": "AU"}),
    "checkouts.list": ((), {"status": "PENDING"}),
    "checkouts.cancel": ((), {"checkout_token": TOKEN_KRW}),
    "checkouts.retrieve": (("ck_1",), {}),
    "checkouts.create_virtual_account_krw": ((), {"checkout_token": TOKEN_KRW, "payin_method_name": "KDB산업은행"}),
    "checkouts.va_bank_information": ((), {"checkout_token": TOKEN_KRW}),
    "checkouts.create_new_checkout": ((), {"checkout_token": TOKEN_KRW, "payin_method_name": "au_bank_npp"}),
    "transactions.retrieve": (("txn_1",), {}),
    "transactions.list": ((), {"currency": "AUD"}),
    "wallets.create": ((), {"customer_id": "customer_1", "currency": "AUD", "currency_list": ["AUD", "SGD"]}),
    "wallets.list": ((), {"customer_id": "customer_1"}),
    "wallets.retrieve": (("wallet_1",), {}),
    "customers.create": ((), {"description": "Payroll", "type": "individual",
                              "individual": {"first_name": "Jane", "last_name": "Citizen", "address_country": "AU"}}),
    "customers.update": (("customer_1",), {"description": "VIP"}),  # the id goes in the body (body_args)
    "customers.list": ((), {"type": "individual"}),
    "customers.retrieve": (("customer_1",), {}),
    "customers.is_wallet_ready": (("customer_1",), {}),
    "customers.enable": (("customer_1",), {}),
    "customers.disable": (("customer_1",), {}),
    "customers.delete": (("customer_1",), {}),
    "payment_methods.list_by_currency": ((), {"currency": "AUD"}),
    "merchant.balance": (("AUD",), {}),
    "refunds.create": ((), {"payin_id": "pi_1", "amount": Decimal("10.00"), "currency": "AUD"}),
}


def _reply_for(name: str) -> Reply:
    """A response shaped like the operation's response model."""
    op = CATALOG[name]
    if op.returns == "pdf":
        return Reply.raw(PDF_BYTES, content_type="application/pdf")
    record = RECORDS[op.response.partition(":")[2]]  # type: ignore[union-attr]
    if op.paginated:
        return Reply.envelope({"current_page": 1, "per_page": 10, "total": 1, "last_page": 1, "data": [record]})
    if op.returns == "list":
        return Reply.envelope([record])
    return Reply.envelope(record)


def test_the_catalog_holds_exactly_the_44_operations_of_the_issue_and_simulate_create_va() -> None:
    assert set(CATALOG) == EXPECTED_NAMES
    assert len(CATALOG) == 45
    assert set(MINIMAL_CALLS) == EXPECTED_NAMES  # the table below covers every one


@pytest.mark.parametrize(
    ("name", "method", "path"),
    [
        ("wallets.create", "POST", "/wallet/create"),
        ("payouts.create", "POST", "/api/v1/payout/create-payout"),
        ("payins.create", "POST", "/api/v1/payin/create"),
        ("checkouts.create_new_checkout", "PATCH", "/api/v1/checkout"),
    ],
)
def test_confirmed_paths_are_the_documented_ones(name: str, method: str, path: str) -> None:
    op = CATALOG[name]
    assert (op.method, op.path, op.confidence) == (method, path, "confirmed")


@pytest.mark.parametrize("name", sorted(EXPECTED_NAMES))
def test_operation_goes_out_signed_on_its_route_and_returns_its_type(
    name: str, client: PayCombat, recording_server: RecordingServer
) -> None:
    op = CATALOG[name]
    args, fields = MINIMAL_CALLS[name]
    recording_server.queue(_reply_for(name))

    result = client.operation(name)(*args, **fields)

    # -- the wire: one request, catalog method, exact path with the path params filled in
    [seen] = recording_server.requests
    path_args, body_args = args[:len(op.path_params)], args[len(op.path_params):]
    expected_path = op.path.format(**dict(zip(op.path_params, path_args)))
    assert (seen.method, seen.path) == (op.method, expected_path)
    assert seen.headers["X-token"] == TOKEN
    if op.has_body:
        assert seen.headers["Content-Type"] == "application/json"
        expected_signature = hmac.new(SIGNATURE_KEY.encode(), seen.body, hashlib.sha256).hexdigest()
        assert seen.headers["signature"] == expected_signature
        assert canonical_json(seen.json()) == seen.body, "body is not the canonical (Node) serialisation"
        sent = seen.json()
        for key, value in {**fields, **dict(zip(op.body_args, body_args))}.items():
            assert sent[key] == value
        if op.idempotency_field:
            assert sent[op.idempotency_field].startswith("pct_")  # filled in before the first try
        assert seen.query == {}
    else:
        # GETs and the bodiless PATCH/DELETE calls: X-token only, as the docs' curl (EVIDENCE S4, S5)
        assert seen.body == b"" and op.signature == "none"
        assert "signature" not in seen.headers and "Content-Type" not in seen.headers
        assert seen.params == {key: str(value) for key, value in fields.items()}

    # -- the result: typed as the catalog promises
    model = op.response_model
    if op.returns == "pdf":
        assert isinstance(result, PdfDocument)
        assert bytes(result) == PDF_BYTES
    elif op.paginated:
        assert isinstance(result, Page)
        assert len(result) == 1 and isinstance(result[0], model)  # type: ignore[arg-type]
    elif op.returns == "list":
        assert isinstance(result, list) and len(result) == 1
        assert isinstance(result[0], model)  # type: ignore[arg-type]
    else:
        assert isinstance(result, model)  # type: ignore[arg-type]


def test_resource_methods_are_the_catalog_operations(client: PayCombat) -> None:
    for name in EXPECTED_NAMES:
        resource, _, method = name.partition(".")
        assert getattr(getattr(client, resource), method).operation is CATALOG[name]


def test_path_params_are_percent_encoded_and_may_be_given_by_name(
    client: PayCombat, recording_server: RecordingServer
) -> None:
    recording_server.queue(_reply_for("payouts.retrieve"), _reply_for("payouts.retrieve"))

    client.payouts.retrieve("po/1 x?y")
    client.payouts.retrieve(payout_id="po_2")

    first, second = recording_server.requests
    assert first.target == "/api/v1/payout-method/retrieve-payout/po%2F1%20x%3Fy"
    assert second.path == "/api/v1/payout-method/retrieve-payout/po_2"


def test_typed_results_carry_money_as_decimal(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.envelope(RECORDS["Wallet"]), Reply.envelope(RECORDS["MerchantBalance"]))

    wallet = client.wallets.retrieve("wallet_1")
    balance = client.merchant.balance("AUD")

    assert wallet.account("aud").available_balance == Decimal("10.00")
    assert isinstance(balance.total_balance_available, Decimal)
    assert balance.total_balance_available == Decimal("100.50")


def test_a_path_override_is_used_on_the_wire(recording_server: RecordingServer) -> None:
    recording_server.queue(_reply_for("payouts.list"))
    with PayCombat(TOKEN, SIGNATURE_KEY, recording_server.url, retry=FAST_RETRY,
                   paths={"payouts.list": "/custom/payouts"}) as overridden:
        page = overridden.payouts.list(limit=5)

    [seen] = recording_server.requests
    assert (seen.method, seen.path, seen.params) == ("GET", "/custom/payouts", {"limit": "5"})
    assert isinstance(page, Page)


def test_a_path_override_for_an_unknown_operation_is_refused(recording_server: RecordingServer) -> None:
    with pytest.raises(ConfigurationError, match="payouts.lsit"):
        PayCombat(TOKEN, SIGNATURE_KEY, recording_server.url, paths={"payouts.lsit": "/x"})
    assert recording_server.requests == []


def test_a_base_url_with_a_trailing_slash_gives_no_double_slash(recording_server: RecordingServer) -> None:
    recording_server.queue(_reply_for("merchant.balance"))
    with PayCombat(TOKEN, SIGNATURE_KEY, recording_server.url + "/", retry=FAST_RETRY) as slashed:
        slashed.merchant.balance("AUD")
    assert recording_server.last.target == "/api/v1/merchant/balance/AUD"
