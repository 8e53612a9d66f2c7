from __future__ import annotations

from decimal import Decimal

import pytest

from paycombat_tools import PayCombat, WebhookListener
from paycombat_tools.sandbox import Sandbox
from paycombat_tools.widgets import CheckoutForm

from .support import pay_on_hosted_page, wait_until


def _checkout_count(client: PayCombat) -> int:
    return int(client.checkouts.list(limit=1).total or 0)


@pytest.fixture
def form(client: PayCombat):
    form = CheckoutForm(client, poll_interval=60)  # polling too slow to matter: these tests refresh by hand
    yield form
    form.close()


def test_create_shows_the_hosted_link_and_refresh_status_follows_the_payment(client: PayCombat,
                                                                            form: CheckoutForm) -> None:
    assert "AUD" in [value for _, value in form.currency.options]
    form.amount.value, form.currency.value = "120.50", "AUD"
    form.description.value, form.redirect_url.value = "Order #1001", "https://shop.example/thanks"
    form.create_button.click()

    checkout = form.checkout
    assert checkout is not None and checkout.status == "PENDING"
    stored = client.checkouts.retrieve(checkout.id)
    assert (stored.amount, stored.currency, stored.country_code) == (Decimal("120.50"), "AUD", "AU")
    assert stored.description == "Order #1001" and stored.redirect_url == "https://shop.example/thanks"
    assert f"href='{checkout.checkout_url}'" in form.link.value and "target='_blank'" in form.link.value
    assert "PENDING" in form.status_label.value and not form.cancel_button.disabled

    assert pay_on_hosted_page(checkout.checkout_url).status_code == 200
    assert "PENDING" in form.status_label.value  # nothing changes until the status is read again
    refreshed = form.refresh_status()
    assert refreshed is not None and refreshed.status == "COMPLETED"
    assert "COMPLETED" in form.status_label.value and form.cancel_button.disabled
    assert form.last_error is None


def test_the_polling_thread_updates_the_status_by_itself(client: PayCombat) -> None:
    form = CheckoutForm(client, poll_interval=0.05)
    try:
        form.amount.value, form.currency.value = "15", "SGD"
        checkout = form.create()
        assert checkout is not None and form.watching
        pay_on_hosted_page(checkout.checkout_url, method="sg_bank_paynow")
        assert wait_until(lambda: "COMPLETED" in form.status_label.value)
        assert wait_until(lambda: not form.watching)  # the thread stops once the checkout is settled
        assert form.checkout is not None and form.checkout.status == "COMPLETED"
    finally:
        form.close()


def test_a_webhook_listener_drives_the_status(sandbox: Sandbox, client: PayCombat) -> None:
    with WebhookListener(sandbox.signature_key) as listener:
        form = CheckoutForm(client, listener=listener, poll_interval=60)
        try:
            form.amount.value, form.currency.value = "42.00", "AUD"
            checkout = form.create()
            assert checkout is not None and form.watching
            assert client.checkouts.retrieve(checkout.id).webhook_url == listener.url
            pay_on_hosted_page(checkout.checkout_url)
            assert wait_until(lambda: "COMPLETED" in form.status_label.value)
            event = listener.wait_for(lambda e: getattr(e, "checkout_id", None) == checkout.id)
            assert event.status == "SUCCESS"
            assert wait_until(lambda: not form.watching)
        finally:
            form.close()


def test_cancel_stops_the_payment_request(client: PayCombat) -> None:
    form = CheckoutForm(client, poll_interval=0.05)
    form.amount.value, form.currency.value = "30.00", "NZD"
    checkout = form.create()
    assert checkout is not None and form.watching
    form.cancel_button.click()
    assert client.checkouts.retrieve(checkout.id).status == "CANCELLED"
    assert "CANCELLED" in form.status_label.value and form.cancel_button.disabled
    assert not form.watching
    assert pay_on_hosted_page(checkout.checkout_url, method="nz_bank_transfer").status_code == 409
    form.cancel()  # cancelling again: the API refuses, the form says so readably
    assert form.last_error is not None and "CANCELLED" in form.last_error
    assert "Traceback" not in form.status.value
    form.close()


@pytest.mark.parametrize("typed", ["", "abc", "12.345", "-5", "0", "1,5"])
def test_an_invalid_amount_sends_nothing(client: PayCombat, form: CheckoutForm, typed: str) -> None:
    before = _checkout_count(client)
    form.amount.value, form.currency.value = typed, "AUD"
    assert form.create() is None
    assert form.checkout is None and form.last_error
    assert "⚠" in form.status.value
    assert _checkout_count(client) == before


def test_amount_parsing_accepts_thousands_separators_and_respects_the_minor_unit(client: PayCombat,
                                                                                 form: CheckoutForm) -> None:
    form.amount.value, form.currency.value = "1,234.50", "AUD"
    assert form.create().amount == Decimal("1234.50")
    form.amount.value, form.currency.value = "1500.5", "KRW"  # KRW has no minor unit
    assert form.create() is None and "KRW" in (form.last_error or "")


def test_create_twice_with_unchanged_fields_returns_the_same_request(client: PayCombat, form: CheckoutForm) -> None:
    form.amount.value, form.currency.value = "10.00", "AUD"
    first = form.create()
    form.create_button.click()
    assert form.checkout is not None and form.checkout.id == first.id
    assert "Unchanged form" in form.status.value
    form.description.value = "second order"
    second = form.create()
    assert second is not None and second.id != first.id
    assert _checkout_count(client) == 2


def test_refresh_and_cancel_without_a_checkout_explain_themselves(form: CheckoutForm) -> None:
    assert form.refresh_status() is None and "create a payment request first" in (form.last_error or "")
    assert form.cancel() is None and "Nothing to cancel" in (form.last_error or "")
