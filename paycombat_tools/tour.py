"""A guided tour against the embedded sandbox: ``python -m paycombat_tools.tour``.

customer -> wallet -> payment request -> paid on the hosted page -> payout -> simulate ->
balances -> webhooks seen. No credentials needed; nothing leaves this machine.

The checkout's outcome is learned the way it is against the real API: from the PAYIN webhook
(matched to the payment request by ``checkout_id``) and the payin it names. The checkout link is
printed without its ``identifier`` (the merchant token, see ``paycombat_tools.redaction``).
"""

from __future__ import annotations

import re
import time
from decimal import Decimal

import requests

from . import PayCombat, PayinEvent, WebhookListener
from .redaction import strip_identifier
from .sandbox import Sandbox, hosted_pay_url


def step(number: int, text: str) -> None:
    print(f"\n{number}. {text}")


def main() -> None:
    started = time.perf_counter()
    with Sandbox() as sandbox, WebhookListener(sandbox.signature_key) as listener:
        client: PayCombat = sandbox.client()
        print(f"Sandbox running at {sandbox.url} (credentials stay hidden: {client!r})")

        step(1, "Create a customer with the details a wallet needs")
        customer = client.customers.create(
            description="Ada Tan, online store seller", type="individual",
            individual={"first_name": "Ada", "last_name": "Tan", "dob": "1990-05-17", "nationality": "AU",
                        "address_line1": "1 George St", "address_city": "Sydney", "address_country": "AU",
                        "identification_type": "PASSPORT", "identification_value": "PA1234567"},
        )
        print(f"   {customer.customer_id} active={customer.is_active} wallet ready={customer.is_wallet_ready}")

        step(2, "Open an AUD + SGD wallet for the customer")
        wallet = client.wallets.create(customer_id=customer.customer_id, currency="AUD", currency_list=["AUD", "SGD"],
                                       webhook_url=listener.url)
        for account in wallet.wallet_account:
            print(f"   {account.currency}: available {account.available_balance}")

        step(3, "Ask for AUD 120.50 with a payment request (hosted checkout page)")
        checkout = client.checkouts.create_payment_request(
            amount=Decimal("120.50"), currency="AUD", country_code="AU", description="Order #1001",
            customer_id=customer.customer_id, webhook_url=listener.url,
            order_items=[{"product_name": "Espresso beans 1 kg", "quantity": 2, "unit_price": Decimal("50.25")}],
            order_fees=[{"fee_name": "Shipping", "fee_amount": Decimal("20.00")}],
        )
        if checkout.checkout_url is None:
            raise RuntimeError("the payment request came back without its checkout_url")
        link = strip_identifier(checkout.checkout_url)  # the URL carries the merchant token: never show it
        print(f"   2 x 50.25 + 20.00 shipping = {checkout.amount} {checkout.currency}; checkout page: {link}")

        step(4, "The payer opens the page and pays with PayID (NPP)")
        page = requests.get(link, timeout=10).text
        print(f"   page offers: {', '.join(re.findall(r'value=.(au_[a-z_]+)', page))}")
        requests.post(hosted_pay_url(link), data={"payin_method_name": "au_bank_npp", "outcome": "SUCCESS"},
                      timeout=10).raise_for_status()  # the sandbox's page only: the payer presses "Pay now"
        event = listener.wait_for(lambda e: isinstance(e, PayinEvent) and e.checkout_id == checkout.id)
        print(f"   webhook received and verified: PAYIN {event.status} for {event.amount} {event.amount_type}")
        payin = client.payins.retrieve(event.id)
        print(f"   payin {payin.status}: {payin.amount} {payin.amount_type}, fee {payin.fee_taken}")

        step(5, "Pay AUD 40 out to a bank account (BSB + account number)")
        fields = client.payout_methods.required_fields("au_bank_acct")
        print("   au_bank_acct needs: " + ", ".join(
            f"{spec.name}{'*' if spec.mandatory else ''}" for spec in fields.payout_beneficiary_param.base_param))
        payout = client.payouts.create(
            sender_amount=Decimal("40"), sender_currency="AUD", beneficiary_amount=Decimal("40"),
            beneficiary_currency="AUD", payout_method_name="au_bank_acct", purpose_code="SELF",
            payout_beneficiary_param={"bsb": "062-000", "account_number": "12345678",
                                      "individual": {"first_name": "Grace", "last_name": "Ho"}},
            webhook_url=listener.url,
        )
        print(f"   payout {payout.id} {payout.status}, reference {payout.order_id}")
        available, actual = sandbox.balance(sandbox.org_wallet_id("payout"), "AUD")
        print(f"   payout wallet while pending: available {available}, actual {actual} (amount + fee reserved)")

        step(6, "Simulate the bank completing the payout")
        done = client.payouts.simulate(payout_id=payout.id, status="SUCCESS")
        event = listener.wait_for(lambda e: getattr(e, "type", None) == "PAYOUT")
        print(f"   payout {done.status}; webhook PAYOUT {event.status} verified")
        memo = client.payouts.memo(payout.id)
        print(f"   memo PDF: {len(memo)} bytes, {memo.page_count} page")

        step(7, "Balances and the ledger behind them")
        for currency in ("AUD",):
            balance = client.merchant.balance(currency)
            print(f"   merchant {currency}: available {balance.total_balance_available}, "
                  f"held {balance.total_hold_balance}")
        recent = list(client.transactions.list(limit=50))
        print(f"   {len(recent)} ledger entries so far; the last: "
              f"{recent[-1].type} {recent[-1].direction} {recent[-1].amount} {recent[-1].currency}")
        sandbox.check_ledger()
        print("   every balance equals the sum of its ledger entries")

        sandbox.wait_for_webhooks()
        delivered = [a for a in sandbox.webhook_attempts() if a["delivered"]]
        print(f"\nDone in {time.perf_counter() - started:.1f}s: {len(delivered)} webhooks delivered and verified.")


if __name__ == "__main__":
    main()
