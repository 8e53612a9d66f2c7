"""Helpers for the widget tests: real sandbox activity and a walk over every widget's shown state."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import ipywidgets
import requests

from paycombat_tools import PayCombat
from paycombat_tools.sandbox import hosted_pay_url


def open_customer_wallet(client: PayCombat, currencies: tuple[str, ...] = ("AUD", "SGD")) -> str:
    """A wallet-ready customer with a wallet in ``currencies``; returns the wallet id."""
    customer = client.customers.create(
        description="Ada Tan, online store seller", type="individual",
        individual={"first_name": "Ada", "last_name": "Tan", "dob": "1990-05-17", "nationality": "AU",
                    "address_line1": "1 George St", "address_city": "Sydney", "address_country": "AU",
                    "identification_type": "PASSPORT", "identification_value": "PA1234567"},
    )
    wallet = client.wallets.create(customer_id=customer.customer_id, currency=currencies[0],
                                   currency_list=list(currencies), description="Ada's wallet")
    return str(wallet.wallet_id)


def successful_payin(client: PayCombat, wallet_id: str, amount: str = "100.00", currency: str = "AUD") -> Any:
    method = {"AUD": "au_bank_npp", "SGD": "sg_bank_paynow"}[currency]
    payin = client.payins.create(amount=Decimal(amount), currency=currency, payin_method_name=method,
                                 credit_wallet_id=wallet_id)
    return client.payins.simulate(payin_id=payin.id, status="SUCCESS")


def pay_on_hosted_page(checkout_url: str, outcome: str = "SUCCESS", method: str = "au_bank_npp") -> requests.Response:
    """What a payer does on the sandbox's hosted checkout page: choose a method and press Pay (or Fail).

    ``checkout_url`` may be the full URL or the link a widget shows (without ``identifier``).
    """
    return requests.post(hosted_pay_url(checkout_url), data={"payin_method_name": method, "outcome": outcome},
                         timeout=10)


def payout_count(client: PayCombat) -> int:
    page = client.payouts.list(limit=1)
    return int(page.total if page.total is not None else len(list(page)))


def walk(widget: Any) -> Iterator[Any]:
    """The widget and every widget inside it."""
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from walk(child)


def shown_strings(widget: Any) -> list[str]:
    """Every string in every synced trait of every widget in the tree (values, descriptions, options...)."""
    found: list[str] = []

    def collect(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, (list, tuple, set)):
            for item in value:
                collect(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                collect(key)
                collect(item)

    for node in walk(widget):
        assert isinstance(node, ipywidgets.Widget)
        for name in node.keys:
            value = getattr(node, name, None)
            if not isinstance(value, ipywidgets.Widget):
                collect(value)
        collect(getattr(node, "_options_labels", ()))
    return found


def wait_until(condition: Any, timeout: float = 5.0, interval: float = 0.02) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


#: The Checkout fields the sandbox adds and PayCombat's docs do not show (``sandbox_only()`` on the model).
def sandbox_only_checkout_fields() -> frozenset[str]:
    from paycombat_tools.models.checkouts import Checkout

    return frozenset(name for name, info in Checkout.model_fields.items()
                     if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("x-sandbox-only"))


class DocumentedCheckouts:
    """A transport that answers like the real API: checkout records lose the sandbox-only fields.

    Every response of a ``/checkout`` path is parsed, each record with a ``checkout_token`` loses
    ``status`` and ``payin_id`` (whatever ``sandbox_only()`` marks), and is sent on re-serialised,
    so a widget that still relied on them would visibly stop working.
    """

    def __init__(self) -> None:
        from paycombat_tools._transport import RequestsTransport

        self._inner = RequestsTransport()
        self._hidden = sandbox_only_checkout_fields()
        self.stripped = 0

    def send(self, request: Any, timeout: float) -> Any:
        import json

        from paycombat_tools._transport import HttpResponse

        response = self._inner.send(request, timeout)
        if "/checkout" not in request.url or not response.content:
            return response
        payload = json.loads(response.content, parse_float=str)
        self._strip(payload.get("data"))
        return HttpResponse(response.status, response.headers, json.dumps(payload).encode())

    def _strip(self, value: Any) -> None:
        if isinstance(value, dict):
            if "checkout_token" in value:
                for name in self._hidden:
                    if name in value:
                        del value[name]
                        self.stripped += 1
            for item in value.values():
                self._strip(item)
        elif isinstance(value, list):
            for item in value:
                self._strip(item)

    def close(self) -> None:
        self._inner.close()
