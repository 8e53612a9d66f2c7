"""End-to-end stories: hosted checkout, KRW virtual accounts, expiry, refunds, payouts, customers, idempotency."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest
import requests

from paycombat_tools import (
    ConflictError,
    NotFoundError,
    PayCombat,
    ValidationError,
)
from paycombat_tools.models.webhooks import (
    PayinExpired,
    PayinFailed,
    PayinSuccess,
    PayoutFailed,
    PayoutSuccess,
    VaRegistered,
)
from paycombat_tools.sandbox import ManualClock, Sandbox, hosted_pay_url
from paycombat_tools.sandbox._fixtures import PAYOUT_FEE
from paycombat_tools.testing import SandboxClock, WebhookInbox
from paycombat_tools.webhook_listener import WebhookListener
from tests.sandbox.helpers import au_payout, fund_wallet, reference

AUD_FEE = PAYOUT_FEE["AUD"]


def is_payin(payin_id: str, status: str) -> Callable[[Any], bool]:
    return lambda event: getattr(event, "type", None) == "PAYIN" and event.id == payin_id and event.status == status


def radio_values(html: str) -> list[str]:
    return re.findall(r"name='payin_method_name' value='([^']+)'", html)


def shown_amount(html: str) -> tuple[Decimal, str]:
    """The amount and currency the hosted page shows the payer."""
    match = re.search(r"<div class='amount'>([^<]+) ([A-Z]{3})</div>", html)
    assert match, "the page shows no amount"
    return Decimal(match.group(1)), match.group(2)


# -- hosted checkout ------------------------------------------------------------------------------------


def test_payment_request_paid_on_the_hosted_page(client: PayCombat, sandbox: Sandbox,
                                                 listener: WebhookListener) -> None:
    checkout = client.checkouts.create_payment_request(amount=Decimal("120.50"), currency="AUD", country_code="AU",
                                                       description="Order #1001", webhook_url=listener.url,
                                                       redirect_url="https://shop.example/thanks")
    page = requests.get(checkout.checkout_url, timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert radio_values(page.text) == ["au_bank_npp"]
    assert shown_amount(page.text) == (Decimal("120.50"), "AUD") and "Order #1001" in page.text

    paid = requests.post(hosted_pay_url(checkout.checkout_url), data={"payin_method_name": "au_bank_npp",
                                                               "outcome": "SUCCESS"}, timeout=10)
    assert paid.status_code == 200 and "Payment received." in paid.text
    assert "https://shop.example/thanks" in paid.text and radio_values(paid.text) == []

    done = client.checkouts.retrieve(checkout.id)
    assert done.status == "COMPLETED" and done.payin_method_name == "au_bank_npp"
    payin = client.payins.retrieve(done.payin_id)
    assert (payin.status, payin.trx_type, payin.checkout_id) == ("SUCCESS", "CHECKOUT_PAYIN", checkout.id)
    assert sandbox.balance(sandbox.org_wallet_id("payin"), "AUD") == (Decimal("119.29"), Decimal("119.29"))

    event = listener.wait_for(is_payin(payin.id, "SUCCESS"))
    assert isinstance(event, PayinSuccess) and event.amount == Decimal("120.50") and event.fee_taken == Decimal("1.21")
    assert listener.rejected == []  # every delivery carried a valid X-Signature


def test_payment_failed_on_the_hosted_page(client: PayCombat, sandbox: Sandbox, listener: WebhookListener) -> None:
    checkout = client.checkouts.create_payment_request(amount=Decimal("42.00"), currency="SGD", country_code="SG",
                                                       webhook_url=listener.url)
    assert radio_values(requests.get(checkout.checkout_url, timeout=10).text) == ["sg_bank_paynow"]
    failed = requests.post(hosted_pay_url(checkout.checkout_url), data={"payin_method_name": "sg_bank_paynow",
                                                                 "outcome": "FAILED"}, timeout=10)
    assert failed.status_code == 200 and "Payment failed." in failed.text

    done = client.checkouts.retrieve(checkout.checkout_token)
    assert done.status == "FAILED"
    assert client.payins.retrieve(done.payin_id).status == "FAILED"
    event = listener.wait_for(is_payin(done.payin_id, "FAILED"))
    assert isinstance(event, PayinFailed) and not isinstance(event, PayinSuccess)
    assert sandbox.balance(sandbox.org_wallet_id("payin"), "SGD") == (Decimal("0.00"), Decimal("0.00"))
    assert client.transactions.list(reference_id=done.payin_id).total == 0


def test_cancelled_checkout_cannot_be_paid(client: PayCombat) -> None:
    checkout = client.checkouts.create_payment_request(amount=Decimal("9.99"), currency="AUD", country_code="AU")
    cancelled = client.checkouts.cancel(checkout_token=checkout.checkout_token)
    assert cancelled.status == "CANCELLED"

    page = requests.get(checkout.checkout_url, timeout=10)
    assert "CANCELLED" in page.text and radio_values(page.text) == []
    refused = requests.post(hosted_pay_url(checkout.checkout_url), data={"payin_method_name": "au_bank_npp"}, timeout=10)
    assert refused.status_code == 409 and "only PENDING checkouts can change" in refused.text

    with pytest.raises(ConflictError) as caught:
        client.checkouts.create_new_checkout(checkout_token=checkout.checkout_token, payin_method_name="au_bank_npp")
    assert caught.value.status == 409
    with pytest.raises(ConflictError):
        client.checkouts.cancel(checkout_token=checkout.checkout_token)
    assert client.checkouts.retrieve(checkout.id).payin_id is None


# -- KRW virtual accounts ------------------------------------------------------------------------------


def test_krw_virtual_account_then_payin(client: PayCombat, sandbox: Sandbox, listener: WebhookListener) -> None:
    assert "KDB산업은행" in {m.payin_method_name for m in client.payin_methods.list(currency="KRW", country="KR")}
    account = client.payins.create_virtual_account(payin_method_name="KDB산업은행", user_name="Kim Minsu",
                                                   user_yymmdd="900101", currency="KRW", country="KR",
                                                   webhook_url=listener.url)
    callback = listener.wait_for(lambda e: isinstance(e, VaRegistered) and e.id == account.id)
    assert callback.status == "APPROVED"
    assert callback.account_number and re.fullmatch(r"\d{3}-\d{6}-\d{3}", callback.account_number)
    assert callback.account_holder == "PAYCOMBAT KIM MINSU" and callback.account_bankname == "KDB산업은행"

    payin = client.payins.create(amount=Decimal(50000), currency="KRW", payin_method_name="KDB산업은행",
                                 payer_id=account.id, webhook_url=listener.url)
    assert payin.status == "PENDING" and payin.payer_id == account.id and payin.fee_expected == Decimal(500)
    done = client.payins.simulate(payin_id=payin.id, status="SUCCESS")
    assert done.status == "SUCCESS"
    assert listener.wait_for(is_payin(payin.id, "SUCCESS")).amount == Decimal(50000)
    assert sandbox.balance(sandbox.org_wallet_id("payin"), "KRW") == (Decimal(49500), Decimal(49500))


def test_krw_failed_registration_refuses_payins(client: PayCombat, listener: WebhookListener) -> None:
    account = client.payins.create_virtual_account(payin_method_name="KDB산업은행", user_name="Kim Minsu",
                                                   user_yymmdd="901340", currency="KRW", country="KR",
                                                   webhook_url=listener.url)
    callback = listener.wait_for(lambda e: isinstance(e, VaRegistered) and e.id == account.id)
    assert callback.status == "FAILED" and callback.account_number is None
    assert "not a real date" in callback.model_extra["reason"]

    with pytest.raises(ValidationError) as caught:
        client.payins.create(amount=Decimal(50000), currency="KRW", payin_method_name="KDB산업은행",
                             payer_id=account.id)
    assert caught.value.status == 422
    assert "payer_id" in caught.value.message and "FAILED" in caught.value.message
    with pytest.raises(ValidationError, match="payer_id"):
        client.payins.create(amount=Decimal(50000), currency="KRW", payin_method_name="KDB산업은행")


def test_krw_checkout_issues_a_virtual_account(client: PayCombat, listener: WebhookListener) -> None:
    checkout = client.checkouts.create_payment_request(amount=Decimal(30000), currency="KRW", country_code="KR",
                                                       webhook_url=listener.url)
    banks = radio_values(requests.get(checkout.checkout_url, timeout=10).text)
    assert banks[0] == "KDB산업은행" and len(banks) == 7

    chosen = client.checkouts.create_virtual_account_krw(checkout_token=checkout.checkout_token,
                                                         payin_method_name="KDB산업은행")
    info = client.checkouts.va_bank_information(checkout_token=checkout.checkout_token)
    account = info.virtual_account
    assert account is not None and account.status == "APPROVED" and account.account_number
    assert account.account_bankname == "KDB산업은행" and account.amount == Decimal(30000)
    assert client.payins.retrieve(chosen.payin_id).payer_id == account.id

    with pytest.raises(ValidationError, match="not KRW"):
        aud = client.checkouts.create_payment_request(amount=Decimal(5), currency="AUD", country_code="AU")
        client.checkouts.create_virtual_account_krw(checkout_token=aud.checkout_token, payin_method_name="KDB산업은행")

    paid = requests.post(hosted_pay_url(checkout.checkout_url), data={"payin_method_name": "KDB산업은행"}, timeout=10)
    assert paid.status_code == 200
    assert listener.wait_for(is_payin(chosen.payin_id, "SUCCESS")).amount_type == "KRW"


# -- expiry --------------------------------------------------------------------------------------------


def read_payin(sandbox: Sandbox, payin_id: str) -> dict[str, Any]:
    """The stored payin, read without a request (a request would itself run the expiry tick)."""
    with sandbox.store.transaction():
        return sandbox.store.get("payin", payin_id)


def test_payin_expires_after_the_default_window(make_sandbox: Callable[..., Sandbox],
                                                make_client: Callable[..., PayCombat]) -> None:
    clock = ManualClock(datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc))
    sandbox = make_sandbox(clock=clock)
    client = make_client(sandbox)
    with WebhookListener(sandbox.signature_key) as listener:
        payin = client.payins.create(amount=Decimal("30.00"), currency="AUD", payin_method_name="au_bank_npp",
                                     webhook_url=listener.url)
        assert payin.expire_at == datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc)  # 172800 s later

        clock.advance(172799)
        assert client.payins.retrieve(payin.id).status == "PENDING"
        clock.advance(2)
        assert read_payin(sandbox, payin.id)["status"] == "PENDING"  # time alone changes nothing...
        client.master_data.list_countries_currencies()  # ...any next request runs the expiry
        assert read_payin(sandbox, payin.id)["status"] == "EXPIRED"

        event = listener.wait_for(is_payin(payin.id, "EXPIRED"))
        assert isinstance(event, PayinExpired) and event.amount == Decimal("30.00")
        with pytest.raises(ValidationError) as caught:
            client.payins.simulate(payin_id=payin.id, status="SUCCESS")
        assert caught.value.status == 406
    assert sandbox.balance(sandbox.org_wallet_id("payin"), "AUD") == (Decimal("0.00"), Decimal("0.00"))


def test_payin_expires_at_its_own_expire_at(paycombat_client: PayCombat, paycombat_clock: SandboxClock,
                                            paycombat_webhooks: WebhookInbox) -> None:
    client = paycombat_client  # the pytest plugin's fixtures: a fresh sandbox whose clock stands still
    expire_at = int(paycombat_clock.now.timestamp()) + 600
    payin = client.payins.create(amount=Decimal("5.00"), currency="AUD", payin_method_name="au_bank_npp",
                                 expire_at=expire_at)
    other = client.payins.create(amount=Decimal("6.00"), currency="AUD", payin_method_name="au_bank_npp")
    assert paycombat_clock.advance(seconds=601).expired_payins == [payin.id]
    assert client.payins.retrieve(payin.id).status == "EXPIRED"
    assert client.payins.retrieve(other.id).status == "PENDING"
    paycombat_webhooks.assert_received("PAYIN EXPIRED", id=payin.id, count=1)
    paycombat_webhooks.assert_nothing_received("PAYIN EXPIRED", id=other.id)
    with pytest.raises(ValidationError, match="expire_at"):
        client.payins.create(amount=Decimal("5.00"), currency="AUD", payin_method_name="au_bank_npp",
                             expire_at=int(paycombat_clock.now.timestamp()) - 1)


# -- refunds ---------------------------------------------------------------------------------------------


def test_refunds_full_partial_and_refused(client: PayCombat, sandbox: Sandbox, funded_wallet: Any) -> None:
    wallet_id = funded_wallet.wallet_id
    assert sandbox.balance(wallet_id, "AUD") == (Decimal("990.00"), Decimal("990.00"))
    payin = fund_wallet(client, wallet_id, Decimal("200.00"))
    assert sandbox.balance(wallet_id, "AUD") == (Decimal("1188.00"), Decimal("1188.00"))

    partial = client.refunds.create(payin_id=payin.id, amount=Decimal("50.00"), currency="AUD")
    assert partial.status == "SUCCESS" and partial.amount == Decimal("50.00")
    assert sandbox.balance(wallet_id, "AUD") == (Decimal("1138.00"), Decimal("1138.00"))

    with pytest.raises(ValidationError) as over:
        client.refunds.create(payin_id=payin.id, amount=Decimal("150.01"), currency="AUD")
    assert over.value.status == 422 and re.search(r"exceeds the refundable 150(\.00)? AUD", over.value.message)

    rest = client.refunds.create(payin_id=payin.id, amount=Decimal("150.00"), currency="AUD")
    assert rest.payin_id == payin.id
    assert sandbox.balance(wallet_id, "AUD") == (Decimal("988.00"), Decimal("988.00"))
    with pytest.raises(ValidationError, match=r"exceeds the refundable 0(\.00)? AUD"):
        client.refunds.create(payin_id=payin.id, amount=Decimal("0.01"), currency="AUD")

    ledger = client.transactions.list(reference_id=payin.id)
    assert [(t.type, t.direction, t.amount, t.wallet_id == wallet_id) for t in ledger] == [
        ("PAYIN", "CREDIT", Decimal("200.00"), True),
        ("FEE", "DEBIT", Decimal("2.00"), True),
        ("FEE", "CREDIT", Decimal("2.00"), False),
        ("REFUND", "DEBIT", Decimal("50.00"), True),
        ("REFUND", "DEBIT", Decimal("150.00"), True),
    ]
    assert ledger[-1].running_balance_actual == Decimal("988.00")
    sandbox.check_ledger()


def test_refund_of_a_payin_that_did_not_succeed_is_refused(client: PayCombat, sandbox: Sandbox) -> None:
    pending = client.payins.create(amount=Decimal("20.00"), currency="AUD", payin_method_name="au_bank_npp")
    with pytest.raises(ConflictError) as caught:
        client.refunds.create(payin_id=pending.id, amount=Decimal("20.00"), currency="AUD")
    assert caught.value.status == 409 and "PENDING" in caught.value.message

    failed = client.payins.simulate(payin_id=pending.id, status="FAILED")
    with pytest.raises(ConflictError, match="FAILED"):
        client.refunds.create(payin_id=failed.id, amount=Decimal("1.00"), currency="AUD")
    with pytest.raises(NotFoundError):
        client.refunds.create(payin_id="payin_" + "0" * 32, amount=Decimal("1.00"), currency="AUD")
    assert client.transactions.list(type="REFUND").total == 0


# -- simulate only from PENDING ---------------------------------------------------------------------------


def test_simulating_twice_is_refused_with_406(client: PayCombat) -> None:
    payin = client.payins.create(amount=Decimal("15.00"), currency="AUD", payin_method_name="au_bank_npp")
    client.payins.simulate(payin_id=payin.id, status="SUCCESS")
    with pytest.raises(ValidationError) as again:
        client.payins.simulate(payin_id=payin.id, status="FAILED")
    assert again.value.status == 406 and "only PENDING" in again.value.message
    assert client.payins.retrieve(payin.id).status == "SUCCESS"

    payout = au_payout(client, "10.00")
    client.payouts.simulate(payout_id=payout.id, status="FAILED")
    with pytest.raises(ValidationError) as twice:
        client.payouts.simulate(payout_id=payout.id, status="SUCCESS")
    assert twice.value.status == 406
    assert client.payouts.retrieve(payout.id).status == "FAILED"


# -- payouts and balances ----------------------------------------------------------------------------------


def test_payout_reserves_then_success_debits_actual(client: PayCombat, sandbox: Sandbox, funded_wallet: Any,
                                                    listener: WebhookListener) -> None:
    wallet_id = funded_wallet.wallet_id
    fees_before = sandbox.balance(sandbox.org_wallet_id("fees"), "AUD")
    payout = au_payout(client, "100.00", debit_wallet_id=wallet_id, webhook_url=listener.url)
    assert payout.wire_origin == wallet_id
    # reserved: available down by amount + fee, actual unchanged
    assert sandbox.balance(wallet_id, "AUD") == (Decimal("990.00") - 100 - AUD_FEE, Decimal("990.00"))
    assert client.wallets.retrieve(wallet_id).account("AUD").available_balance == Decimal("889.00")

    done = client.payouts.simulate(payout_id=payout.id, status="SUCCESS")
    assert done.status == "SUCCESS" and done.fee_taken == AUD_FEE
    assert sandbox.balance(wallet_id, "AUD") == (Decimal("889.00"), Decimal("889.00"))
    fees_after = sandbox.balance(sandbox.org_wallet_id("fees"), "AUD")
    assert fees_after[1] - fees_before[1] == AUD_FEE

    event = listener.wait_for(lambda e: isinstance(e, PayoutSuccess) and e.id == payout.id)
    assert event.wire_amount == Decimal("100.00") and event.order_id == payout.order_id
    assert [t.type for t in client.transactions.list(reference_id=payout.id)] == ["PAYOUT_HOLD", "PAYOUT", "FEE",
                                                                                  "FEE"]
    sandbox.check_ledger()


def test_failed_payout_returns_the_funds(client: PayCombat, sandbox: Sandbox, funded_wallet: Any,
                                         listener: WebhookListener) -> None:
    wallet_id = funded_wallet.wallet_id
    before = sandbox.balance(wallet_id, "AUD")
    payout = au_payout(client, "250.00", debit_wallet_id=wallet_id, webhook_url=listener.url)
    assert sandbox.balance(wallet_id, "AUD") == (before[0] - Decimal("251.00"), before[1])

    failed = client.payouts.simulate(payout_id=payout.id, status="FAILED", reason_for_failure="Account closed")
    assert (failed.status, failed.approval, failed.reason_for_failure) == ("FAILED", "FAILED", "Account closed")
    assert sandbox.balance(wallet_id, "AUD") == before
    event = listener.wait_for(lambda e: isinstance(e, PayoutFailed) and e.id == payout.id)
    assert event.reason_for_failure == "Account closed"
    assert [(t.type, t.direction) for t in client.transactions.list(reference_id=payout.id)] == [
        ("PAYOUT_HOLD", "DEBIT"), ("PAYOUT_RELEASE", "CREDIT")]
    sandbox.check_ledger()


# -- customers ------------------------------------------------------------------------------------------------


def test_customer_missing_wallet_ready_fields(client: PayCombat) -> None:
    customer = client.customers.create(description="Shop", type="individual",
                                       individual={"first_name": "Mia", "last_name": "Lim", "address_country": "SG",
                                                   "email": "mia@x.example"})
    readiness = client.customers.is_wallet_ready(customer.customer_id)
    missing = ["individual.dob", "individual.nationality", "individual.address_line1", "individual.address_city",
               "individual.identification_type", "individual.identification_value"]
    assert readiness.is_wallet_ready is False and readiness.missing_fields == missing

    with pytest.raises(ValidationError) as refused:
        client.wallets.create(customer_id=customer.customer_id, currency="AUD", currency_list=["AUD"])
    assert refused.value.status == 400
    assert all(name in refused.value.message for name in missing)
    assert [e["field"] for e in refused.value.body["errors"]] == missing
    assert client.wallets.list(customer_id=customer.customer_id).total == 0

    company = client.customers.create(description="B2B", type="company",
                                      company={"name": "Acme Pty Ltd", "registration_number": "ACN 000 000 019",
                                               "incorporation_country": "AU", "address_country": "AU"})
    assert client.customers.is_wallet_ready(company.customer_id).missing_fields == [
        "company.address_line1", "company.address_city"]


def test_disabled_customer_gets_no_wallet(client: PayCombat, wallet_ready_customer: Any) -> None:
    customer_id = wallet_ready_customer.customer_id
    client.customers.disable(customer_id)
    with pytest.raises(ValidationError, match="disabled"):
        client.wallets.create(customer_id=customer_id, currency="AUD", currency_list=["AUD"])
    client.customers.enable(customer_id)
    wallet = client.wallets.create(customer_id=customer_id, currency="AUD", currency_list=["AUD"])
    assert wallet.customer_id == customer_id


def test_deleted_customer_is_gone(client: PayCombat, wallet_ready_customer: Any) -> None:
    customer_id = wallet_ready_customer.customer_id
    client.customers.delete(customer_id)
    with pytest.raises(NotFoundError) as caught:
        client.customers.retrieve(customer_id)
    assert caught.value.status == 404 and customer_id in caught.value.message
    with pytest.raises(NotFoundError):
        client.wallets.create(customer_id=customer_id, currency="AUD", currency_list=["AUD"])
    with pytest.raises(NotFoundError):
        client.customers.delete(customer_id)


def test_unsupported_wallet_currency_is_refused(client: PayCombat, wallet_ready_customer: Any) -> None:
    with pytest.raises(ValidationError, match="KRW not supported"):
        client.wallets.create(customer_id=wallet_ready_customer.customer_id, currency="AUD",
                              currency_list=["AUD", "KRW"])


# -- idempotency ----------------------------------------------------------------------------------------------


def test_same_order_id_gives_the_same_payout(client: PayCombat, sandbox: Sandbox, funded_wallet: Any) -> None:
    wallet_id = funded_wallet.wallet_id
    order_id = reference("order")
    first = au_payout(client, "60.00", order_id=order_id, debit_wallet_id=wallet_id)
    again = au_payout(client, "60.00", order_id=order_id, debit_wallet_id=wallet_id)
    assert again.id == first.id and again.order_id == order_id
    assert client.payouts.list().total == 1
    assert sandbox.balance(wallet_id, "AUD") == (Decimal("990.00") - 60 - AUD_FEE, Decimal("990.00"))
    assert client.transactions.list(type="PAYOUT_HOLD").total == 1


def test_same_reference_gives_the_same_payin_refund_and_payment_request(client: PayCombat, sandbox: Sandbox,
                                                                         funded_wallet: Any) -> None:
    wallet_id = funded_wallet.wallet_id
    ref = reference("payin")
    payin = client.payins.create(amount=Decimal("80.00"), currency="AUD", payin_method_name="au_bank_npp",
                                 credit_wallet_id=wallet_id, organization_reference_id=ref)
    assert client.payins.create(amount=Decimal("80.00"), currency="AUD", payin_method_name="au_bank_npp",
                                credit_wallet_id=wallet_id, organization_reference_id=ref).id == payin.id
    client.payins.simulate(payin_id=payin.id)
    balance = sandbox.balance(wallet_id, "AUD")

    refund_ref = reference("refund")
    refund = client.refunds.create(payin_id=payin.id, amount=Decimal("30.00"), currency="AUD",
                                   organization_reference_id=refund_ref)
    repeat = client.refunds.create(payin_id=payin.id, amount=Decimal("30.00"), currency="AUD",
                                   organization_reference_id=refund_ref)
    assert repeat.id == refund.id
    assert sandbox.balance(wallet_id, "AUD") == (balance[0] - 30, balance[1] - 30)
    assert client.transactions.list(type="REFUND").total == 1

    checkout_ref = reference("checkout")
    checkout = client.checkouts.create_payment_request(amount=Decimal("12.00"), currency="AUD", country_code="AU",
                                                       organization_reference_id=checkout_ref)
    assert client.checkouts.create_payment_request(amount=Decimal("12.00"), currency="AUD", country_code="AU",
                                                   organization_reference_id=checkout_ref).id == checkout.id
    assert client.checkouts.list().total == 1

    customer_ref = reference("customer")
    person = {"first_name": "Ada", "last_name": "Tan", "address_country": "AU"}
    customer = client.customers.create(description="x", type="individual", individual=person,
                                       organization_reference_id=customer_ref)
    assert client.customers.create(description="x", type="individual", individual=person,
                                   organization_reference_id=customer_ref).customer_id == customer.customer_id


# -- bugs found ---------------------------------------------------------------------------------------------


def test_hosted_page_and_memo_show_amounts_in_the_currency_minor_unit(client: PayCombat,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by this suite, now fixed (sandbox/_pages.py checkout_page, sandbox/_memo.py payin_memo/payout_memo): amounts are rendered
    with ``str()`` of the JSON-round-tripped Decimal, so AUD 120.50 shows as "120.5 AUD" and 100.00 as
    "100 AUD". Expected the currency's minor unit: "120.50 AUD", "100.00 AUD" (KRW: no decimals)."""
    from paycombat_tools.sandbox import _memo

    checkout = client.checkouts.create_payment_request(amount=Decimal("120.50"), currency="AUD", country_code="AU")
    assert "<div class='amount'>120.50 AUD</div>" in requests.get(checkout.checkout_url, timeout=10).text

    rows: list[tuple[str, Any]] = []
    original = _memo.memo_pdf

    def capture(title: str, table: list[tuple[str, Any]]) -> bytes:
        rows.extend(table)
        return original(title, table)

    monkeypatch.setattr(_memo, "memo_pdf", capture)
    payin = client.payins.create(amount=Decimal("100.00"), currency="AUD", payin_method_name="au_bank_npp")
    client.payins.memo(payin.id)
    assert dict(rows)["Amount"] == "100.00 AUD"


def test_disabled_customer_wallet_takes_no_new_payins_or_payouts(client: PayCombat, sandbox: Sandbox,
                                                                 funded_wallet: Any) -> None:
    """Found by this suite, now fixed (sandbox/_payins.py open_payin, sandbox/_payouts.py create_payout): the catalog says
    ``customers.disable`` means "no new payins or payouts", but a disabled (or deleted) customer's wallet
    still accepts ``payins.create(credit_wallet_id=...)`` and ``payouts.create(debit_wallet_id=...)``.
    Expected: both refused (4xx naming the disabled customer), nothing reserved."""
    client.customers.disable(funded_wallet.customer_id)
    before = sandbox.balance(funded_wallet.wallet_id, "AUD")
    with pytest.raises(ConflictError, match="disabled"):
        au_payout(client, "10.00", debit_wallet_id=funded_wallet.wallet_id)
    with pytest.raises(ConflictError, match="disabled"):
        client.payins.create(amount=Decimal("10.00"), currency="AUD", payin_method_name="au_bank_npp",
                             credit_wallet_id=funded_wallet.wallet_id)
    assert sandbox.balance(funded_wallet.wallet_id, "AUD") == before


def test_expired_payment_request_is_marked_expired(paycombat_client: PayCombat,
                                                   paycombat_clock: SandboxClock) -> None:
    """Found by this suite, now fixed (sandbox/_payins.py expire_due_payins only expires payins; _checkouts.choose_method): a payment
    request whose ``expire_at`` passed before a method was chosen stays PENDING, its page still offers
    "Pay now", and paying answers 422 "expire_at: must be in the future (epoch seconds)" (a message about a
    field the payer never sent). Expected: status EXPIRED, no form, paying refused with 409."""
    client = paycombat_client
    checkout = client.checkouts.create_payment_request(amount=Decimal("10.00"), currency="AUD", country_code="AU",
                                                       expire_at=int(paycombat_clock.now.timestamp()) + 60)
    paycombat_clock.advance(seconds=120)
    assert client.checkouts.retrieve(checkout.id).status == "EXPIRED"
    assert radio_values(requests.get(checkout.checkout_url, timeout=10).text) == []
    paid = requests.post(hosted_pay_url(checkout.checkout_url), data={"payin_method_name": "au_bank_npp"}, timeout=10)
    assert paid.status_code == 409


def test_payment_request_with_past_expire_at_is_refused(client: PayCombat) -> None:
    """Found by this suite, now fixed (sandbox/_checkouts.py create_payment_request): ``expire_at`` in the past is accepted (Create Payin
    refuses it with 422), producing a payment request that can never be paid. Expected: 422 naming expire_at."""
    with pytest.raises(ValidationError, match="expire_at"):
        client.checkouts.create_payment_request(amount=Decimal("10.00"), currency="AUD", country_code="AU",
                                                expire_at=1_000_000)


def test_merchant_expected_balance_counts_only_payins_into_merchant_wallets(client: PayCombat,
                                                                           funded_wallet: Any) -> None:
    """Found by this suite, now fixed (sandbox/_reference.py merchant_balance): ``total_balance_expected`` adds every PENDING payin in the
    currency, including payins into customer wallets, while available/hold count only the organisation's
    payin and payout wallets. A 500 AUD payin into a customer wallet raises the merchant's expected balance
    by 500, yet when it succeeds the merchant's balance does not move (expected drops back).
    Expected: expected = actual + PENDING payins credited to the organisation payin wallet only."""
    before = client.merchant.balance("AUD")
    payin = client.payins.create(amount=Decimal("500.00"), currency="AUD", payin_method_name="au_bank_npp",
                                 credit_wallet_id=funded_wallet.wallet_id)
    pending = client.merchant.balance("AUD")
    client.payins.simulate(payin_id=payin.id)
    after = client.merchant.balance("AUD")
    assert after.total_balance_available == before.total_balance_available  # the money went to the customer
    assert pending.total_balance_expected == before.total_balance_expected
