"""Every one of the catalog's 45 operations, called through the client against the sandbox.

Each test is a small story for one resource; the sandbox records which operations it served,
and the last test checks that together they covered the whole catalog (and the path aliases).
"""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from paycombat_tools import CATALOG, NotFoundError, Page, PayCombat, PdfDocument
from paycombat_tools.models.beneficiaries import Beneficiary, BeneficiaryValidation
from paycombat_tools.models.checkouts import Checkout, VaBankInformation
from paycombat_tools.models.customers import Customer, WalletReadiness
from paycombat_tools.models.merchant import MerchantBalance, Refund
from paycombat_tools.models.methods import (
    CountryCurrency,
    PaymentMethod,
    PayinMethod,
    PayinRequiredFields,
    PayoutMethod,
    PayoutRequiredFields,
)
from paycombat_tools.models.payins import Payin, VirtualAccount
from paycombat_tools.models.payouts import Payout
from paycombat_tools.models.transactions import Transaction
from paycombat_tools.models.wallets import Wallet
from paycombat_tools.sandbox import Sandbox

from tests.sandbox.helpers import (
    AU_PAYOUT_BENEFICIARY,
    au_payout,
    create_customer_wallet,
    create_wallet_ready_customer,
    fund_wallet,
)

#: Operation names the sandbox executed for this module (filled by the autouse fixture below).
SERVED: set[str] = set()
ALIAS_PATHS = {
    "wallets.create": "/api/v1/wallet/create",
    "payouts.retrieve": "/api/v1/payout/retrieve-payout/{payout_id}",
}
SERVED_ALIASES: set[str] = set()


def watch(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """Note every operation the sandbox runs for an HTTP request (instance attribute, package untouched)."""
    app = sandbox.app
    original_execute, original_handle = app.execute, app.handle

    def execute(operation: Any, path: Any, payload: Any) -> Any:
        SERVED.add(operation.name)
        return original_execute(operation, path, payload)

    def handle(request: Any) -> Any:
        for name, alias in ALIAS_PATHS.items():
            prefix = alias.split("{")[0]
            if request.path.startswith(prefix) and request.path != CATALOG[name].path:
                SERVED_ALIASES.add(name)
        return original_handle(request)

    monkeypatch.setattr(app, "execute", execute)
    monkeypatch.setattr(app, "handle", handle)
    return sandbox


@pytest.fixture(autouse=True)
def record_served(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    watch(sandbox, monkeypatch)


def test_master_data_and_method_catalogues(client: PayCombat) -> None:
    countries = client.master_data.list_countries_currencies()
    assert all(isinstance(row, CountryCurrency) for row in countries)
    assert {(c.country_code, c.currency) for c in countries} >= {("AU", "AUD"), ("SG", "SGD"), ("KR", "KRW")}
    assert next(c for c in countries if c.country_code == "AU").country_name == "AUSTRALIA"

    payout_methods = client.payout_methods.list(currency="AUD", country="AU")
    assert [m.payout_method_name for m in payout_methods] == ["au_bank_acct"]
    assert isinstance(payout_methods[0], PayoutMethod)
    rules = client.payout_methods.required_fields("au_bank_acct")
    assert isinstance(rules, PayoutRequiredFields)
    base = {spec.name: spec for spec in rules.payout_beneficiary_param.base_param}
    assert base["bsb"].mandatory and base["bsb"].regex == r"^[0-9]{3}-?[0-9]{3}$"
    assert base["account_number"].regex == r"^[0-9]{6,12}$"
    assert [s.name for s in rules.payout_beneficiary_param.individual] == ["first_name", "last_name"]

    payin_methods = client.payin_methods.list(currency="KRW")
    assert isinstance(payin_methods[0], PayinMethod)
    assert "KDB산업은행" in {m.payin_method_name for m in payin_methods}
    assert all(m.is_va_allowed for m in payin_methods)
    npp = client.payin_methods.required_fields("au_bank_npp")
    assert isinstance(npp, PayinRequiredFields)
    assert npp.default_expiry_time_seconds == "172800"
    assert npp.min_amount == Decimal(1) and npp.max_amount == Decimal(10000000)
    assert {p.name for p in npp.payin_method_param} == {"payid_reference", "payid_description"}

    methods = client.payment_methods.list_by_currency(currency="SGD")
    assert [m.payment_code for m in methods] == ["sg_bank_paynow"]
    assert isinstance(methods[0], PaymentMethod) and methods[0].country_name == "SINGAPORE"


def test_beneficiaries_lifecycle(client: PayCombat) -> None:
    created = client.beneficiaries.create(type="individual", beneficiary_name="Grace Ho", currency="AUD",
                                          payout_method_name="au_bank_acct", bsb="062-000",
                                          account_number="12345678",
                                          individual={"first_name": "Grace", "last_name": "Ho"})
    assert isinstance(created, Beneficiary) and created.payout_beneficiary_id.startswith("pb_")
    assert created.is_active is True and created.organization_reference_id  # filled in by the client

    updated = client.beneficiaries.update(created.payout_beneficiary_id, beneficiary_name="Grace H. Ho",
                                          account_number="87654321")
    assert updated.beneficiary_name == "Grace H. Ho"
    assert updated.model_extra and updated.model_extra["account_number"] == "87654321"

    fetched = client.beneficiaries.retrieve(created.payout_beneficiary_id)
    assert fetched.beneficiary_name == "Grace H. Ho"

    page = client.beneficiaries.list(type="individual")
    assert isinstance(page, Page) and page.total == 1
    assert [b.payout_beneficiary_id for b in page] == [created.payout_beneficiary_id]

    check = client.beneficiaries.validate(created.payout_beneficiary_id)
    assert isinstance(check, BeneficiaryValidation) and check.is_valid and check.errors == []

    bad = client.beneficiaries.validate_body(payout_method_name="au_bank_acct",
                                             payout_beneficiary_param={"bsb": "62", "account_number": "1234",
                                                                       "individual": {"last_name": "Ho"}})
    assert not bad.is_valid
    assert {problem.field for problem in bad.errors} == {"bsb", "account_number", "individual.first_name"}
    good = client.beneficiaries.validate_body(payout_method_name="au_bank_acct",
                                              payout_beneficiary_param=AU_PAYOUT_BENEFICIARY)
    assert good.is_valid


def test_payins_create_retrieve_simulate_and_memo(client: PayCombat, sandbox: Sandbox) -> None:
    payin = client.payins.create(amount=Decimal("120.50"), currency="AUD", payin_method_name="au_bank_npp",
                                 customer_full_name="Ada Tan", order_reference="ORDER-1001")
    assert isinstance(payin, Payin) and payin.payin_id_finmo
    assert (payin.status, payin.amount, payin.amount_type, payin.currency) == ("PENDING", Decimal("120.50"),
                                                                             "AUD", "FIAT")
    assert payin.fee_expected == Decimal("1.21") and payin.payin_id_finmo.startswith("payin_")

    by_finmo_id = client.payins.retrieve(payin.payin_id_finmo)
    assert by_finmo_id.id == payin.id and by_finmo_id.order_reference == "ORDER-1001"

    done = client.payins.simulate(payin_id=payin.id, status="SUCCESS")
    assert done.status == "SUCCESS" and done.fee_taken == Decimal("1.21") and done.payment_date is not None
    assert sandbox.balance(sandbox.org_wallet_id("payin"), "AUD") == (Decimal("119.29"), Decimal("119.29"))

    memo = client.payins.memo(payin.id)
    assert isinstance(memo, PdfDocument) and memo.startswith(b"%PDF")
    assert memo.page_count >= 1 and len(memo) > 1000


def test_virtual_account_registration(client: PayCombat) -> None:
    account = client.payins.create_virtual_account(payin_method_name="KDB산업은행", currency="KRW", country="KR",
                                                   user_name="Kim Minsu", user_yymmdd="900101",
                                                   amount=Decimal(50000))
    assert isinstance(account, VirtualAccount)
    assert account.status == "PENDING"  # the answer comes by callback
    assert (account.account_bankname, account.currency, account.amount) == ("KDB산업은행", "KRW", Decimal(50000))


def test_simulate_create_va_decides_a_pending_virtual_account(make_sandbox: Any, make_client: Any,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    client = make_client(watch(make_sandbox(va_registration="manual"), monkeypatch))
    account = client.payins.create_virtual_account(payin_method_name="KDB산업은행", currency="KRW", country="KR",
                                                   user_name="Kim Minsu", user_yymmdd="900101")
    decided = client.payins.simulate_virtual_account(virtual_account_id=account.id, status="APPROVED")
    assert isinstance(decided, VirtualAccount)
    assert decided.id == account.id and decided.status == "APPROVED" and decided.account_number


def test_payouts_create_retrieve_list_simulate_memo_and_refund(client: PayCombat, sandbox: Sandbox) -> None:
    payout = au_payout(client, "40.00", description="Weekly settlement")
    assert isinstance(payout, Payout)
    assert (payout.status, payout.approval, payout.wire_amount, payout.fee_expected) == (
        "PENDING", "APPROVED", Decimal("40.00"), Decimal("1.00"))
    assert payout.payee_name == "Grace Ho" and payout.beneficiary_bank == "au_bank_acct"

    assert client.payouts.retrieve(payout.id).order_id == payout.order_id
    assert client.payouts.retrieve(payout.payout_id_finmo).id == payout.id

    page = client.payouts.list(status="PENDING", currency="AUD")
    assert isinstance(page, Page) and [p.id for p in page] == [payout.id]

    done = client.payouts.simulate(payout_id=payout.id, status="SUCCESS")
    assert done.status == "SUCCESS" and done.fee_taken == Decimal("1.00")
    assert client.payouts.list(status="PENDING").total == 0

    memo = client.payouts.memo(payout.id)
    assert isinstance(memo, PdfDocument) and memo.startswith(b"%PDF")
    assert memo.page_count >= 1 and len(memo) > 1000

    wallet = create_customer_wallet(client, ("AUD",))
    payin = fund_wallet(client, wallet.wallet_id, Decimal("200.00"))
    refund = client.refunds.create(payin_id=payin.id, amount=Decimal("50.00"), currency="AUD",
                                   metadata={"reason": "Damaged item"})
    assert isinstance(refund, Refund)
    assert (refund.status, refund.amount, refund.payin_id) == ("SUCCESS", Decimal("50.00"), payin.id)
    assert sandbox.balance(wallet.wallet_id, "AUD") == (Decimal("148.00"), Decimal("148.00"))


def test_checkouts_payment_request_method_choice_list_retrieve_cancel(client: PayCombat) -> None:
    checkout = client.checkouts.create_payment_request(
        amount=Decimal("75.00"), currency="AUD", country_code="AU", description="Order #2002",
        order_items=[{"product_name": "Mug", "quantity": 3, "unit_price": Decimal("25.00")}],
        additional_info={"customer_name": "Ada Tan"})
    assert isinstance(checkout, Checkout)
    assert checkout.status == "PENDING" and checkout.country_name == "AUSTRALIA"  # status: sandbox only
    assert checkout.checkout_url and checkout.checkout_token
    assert checkout.checkout_url == (f"{client.config.base_url}/checkout/?token={checkout.checkout_token}"
                                     f"&identifier={client.config.token.reveal()}")
    assert checkout.additional_info == {"customer_name": "Ada Tan"}
    assert checkout.order_summary and checkout.order_summary["order_items"][0]["product_name"] == "Mug"

    chosen = client.checkouts.create_new_checkout(checkout_token=checkout.checkout_token,
                                                  payin_method_name="au_bank_npp")
    assert chosen.payin_method_name == "au_bank_npp" and chosen.payin_id and chosen.payin_type == "CHECKOUT_PAYIN"

    assert client.checkouts.retrieve(checkout.id).payin_id == chosen.payin_id
    assert client.checkouts.retrieve(checkout.checkout_token).id == checkout.id

    other = client.checkouts.create_payment_request(amount=Decimal("5.00"), currency="SGD", country_code="SG")
    listed = client.checkouts.list(currency="AUD")
    assert isinstance(listed, Page) and [c.id for c in listed] == [checkout.id]
    assert client.checkouts.list().total == 2

    cancelled = client.checkouts.cancel(checkout_token=other.checkout_token)
    assert cancelled.status == "CANCELLED"
    assert [c.id for c in client.checkouts.list(status="CANCELLED")] == [other.id]


def test_checkouts_krw_virtual_account_and_bank_information(client: PayCombat) -> None:
    banks = client.checkouts.va_bank_information()
    assert isinstance(banks, VaBankInformation)
    assert [b.bank_name for b in banks.banks][:2] == ["KDB산업은행", "IBK기업은행"]
    assert banks.virtual_account is None

    checkout = client.checkouts.create_payment_request(amount=Decimal(30000), currency="KRW", country_code="KR")
    issued = client.checkouts.create_virtual_account_krw(checkout_token=checkout.checkout_token,
                                                         payin_method_name="KDB산업은행")
    assert issued.payin_method_name == "KDB산업은행" and issued.payin_id

    info = client.checkouts.va_bank_information(checkout_token=checkout.checkout_token)
    assert info.virtual_account is not None and info.virtual_account.status == "APPROVED"
    assert info.virtual_account.account_number and info.virtual_account.account_bankname == "KDB산업은행"


def test_transactions_list_and_retrieve(client: PayCombat) -> None:
    payin = client.payins.create(amount=Decimal("10.00"), currency="AUD", payin_method_name="au_bank_npp")
    client.payins.simulate(payin_id=payin.id)
    page = client.transactions.list(reference_id=payin.id)
    assert isinstance(page, Page) and page.total == 3
    assert [(t.type, t.direction, t.amount) for t in page] == [
        ("PAYIN", "CREDIT", Decimal("10.00")), ("FEE", "DEBIT", Decimal("0.10")), ("FEE", "CREDIT", Decimal("0.10"))]
    first = client.transactions.retrieve(page[0].transaction_id)
    assert isinstance(first, Transaction)
    assert first.wallet_category == "ORGANIZATION_PAYIN" and first.running_balance_actual == Decimal("10.00")
    # the opening balances of the organisation payout wallet are transactions too
    topups = client.transactions.list(type="TOPUP", limit=2)
    assert topups.total == 7 and len(topups.items) == 2 and topups.has_more  # AUD SGD NZD KRW THB PHP EUR


def test_wallets_create_list_retrieve(client: PayCombat) -> None:
    customer = create_wallet_ready_customer(client)
    wallet = client.wallets.create(customer_id=customer.customer_id, currency="AUD", currency_list=["AUD", "SGD"],
                                   description="Ada's wallet")
    assert isinstance(wallet, Wallet) and wallet.wallet_id.startswith("wallet_")
    assert (wallet.category, wallet.scope, wallet.customer_id) == ("CUSTOMER", "CUSTOMER", customer.customer_id)
    assert [a.currency for a in wallet.wallet_account] == ["AUD", "SGD"]
    assert wallet.account("SGD").available_balance == Decimal("0.00")

    assert client.wallets.retrieve(wallet.wallet_id).description == "Ada's wallet"
    mine = client.wallets.list(customer_id=customer.customer_id)
    assert [w.wallet_id for w in mine] == [wallet.wallet_id]
    organisation = client.wallets.list(category="ORGANIZATION_PAYOUT")
    assert organisation.total == 1
    assert organisation[0].account("AUD").available_balance == Decimal("50000.00")


def test_customers_lifecycle(client: PayCombat) -> None:
    customer = client.customers.create(description="Freelance income", type="individual",
                                       individual={"first_name": "Ravi", "last_name": "K", "address_country": "SG",
                                                   "email": "ravi@example.com"})
    assert isinstance(customer, Customer)
    assert (customer.is_wallet_ready, customer.is_active) == (False, True)
    assert customer.gca_activation_status == "NOT_STARTED" and customer.description == "Freelance income"

    readiness = client.customers.is_wallet_ready(customer.customer_id)
    assert isinstance(readiness, WalletReadiness) and not readiness.is_wallet_ready
    assert "individual.dob" in readiness.missing_fields and "individual.first_name" not in readiness.missing_fields

    updated = client.customers.update(customer.customer_id, individual={
        "last_name": "Kumar", "dob": "1985-02-01", "nationality": "SG", "address_line1": "2 Orchard Rd",
        "address_city": "Singapore", "identification_type": "PASSPORT", "identification_value": "K1234567"})
    assert updated.is_wallet_ready
    assert updated.individual["first_name"] == "Ravi"  # a partial update keeps the other fields

    assert client.customers.retrieve(customer.customer_id).individual["last_name"] == "Kumar"
    assert client.customers.disable(customer.customer_id).is_active is False
    assert client.customers.enable(customer.customer_id).is_active is True

    other = create_wallet_ready_customer(client)
    assert {c.customer_id for c in client.customers.list()} == {customer.customer_id, other.customer_id}
    deleted = client.customers.delete(other.customer_id)
    assert deleted.deleted_at is not None and deleted.is_active is False
    assert [c.customer_id for c in client.customers.list()] == [customer.customer_id]
    assert client.customers.list(include_deleted=True).total == 2
    with pytest.raises(NotFoundError):
        client.customers.retrieve(other.customer_id)


def test_merchant_balance(client: PayCombat) -> None:
    balance = client.merchant.balance("AUD")
    assert isinstance(balance, MerchantBalance)
    assert (balance.total_balance_available, balance.total_hold_balance) == (Decimal("50000.00"), Decimal("0.00"))
    au_payout(client, "100")
    client.payins.create(amount=Decimal("20.00"), currency="AUD", payin_method_name="au_bank_npp")
    held = client.merchant.balance("aud")
    assert held.currency == "AUD"
    assert held.total_balance_available == Decimal("49899.00") and held.total_hold_balance == Decimal("101.00")
    assert held.total_balance_expected == Decimal("50020.00")


def test_path_aliases_reach_the_same_operations(sandbox: Sandbox, client: PayCombat) -> None:
    aliased = PayCombat(sandbox.token, sandbox.signature_key, sandbox.url, paths=ALIAS_PATHS)
    try:
        customer = create_wallet_ready_customer(client)
        wallet = aliased.wallets.create(customer_id=customer.customer_id, currency="NZD", currency_list=["NZD"])
        assert isinstance(wallet, Wallet) and wallet.account("NZD").currency == "NZD"
        assert client.wallets.retrieve(wallet.wallet_id).customer_id == customer.customer_id

        payout = au_payout(client, "12.34")
        fetched = aliased.payouts.retrieve(payout.id)
        assert isinstance(fetched, Payout) and fetched.wire_amount == Decimal("12.34")
        assert "/api/v1/payout/retrieve-payout/" in repr(aliased.payouts)  # the resource shows its paths
    finally:
        aliased.close()
    assert SERVED_ALIASES >= {"wallets.create", "payouts.retrieve"}


def _called_operations() -> set[str]:
    """``client.<resource>.<method>(`` calls written in this file (and its helpers)."""
    here = Path(__file__)
    found = set()
    for source in (here, here.with_name("helpers.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                if isinstance(owner, ast.Attribute):
                    found.add(f"{owner.attr}.{node.func.attr}")
    return found & set(CATALOG)


def test_this_file_calls_every_catalog_operation() -> None:
    assert len(CATALOG) == 45
    assert sorted(set(CATALOG) - _called_operations()) == []


def test_every_catalog_operation_was_served_over_http(request: pytest.FixtureRequest) -> None:
    """Runs last in this module: every operation above really reached the sandbox's handler."""
    module_tests = [item for item in request.session.items if getattr(item, "module", None) is request.module]
    if len(module_tests) != len([n for n in globals() if n.startswith("test_")]):
        pytest.skip("only part of this module was selected")
    assert sorted(set(CATALOG) - SERVED) == []
