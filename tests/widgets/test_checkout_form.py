from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests

from paycombat_tools import PayCombat, PayinExpired, PayinFailed, PayinSuccess, WebhookListener
from paycombat_tools.redaction import strip_identifier
from paycombat_tools.sandbox import ManualClock, Sandbox
from paycombat_tools.signing import canonical_json, parse_json, sign
from paycombat_tools.webhooks import SIGNATURE_HEADER
from paycombat_tools.widgets import CheckoutForm

from .support import DocumentedCheckouts, pay_on_hosted_page, shown_strings, wait_until


def _checkout_count(client: PayCombat) -> int:
    return int(client.checkouts.list(limit=1).total or 0)


@pytest.fixture
def form(client: PayCombat) -> Iterator[CheckoutForm]:
    form = CheckoutForm(client, poll_interval=60)  # polling too slow to matter: these tests refresh by hand
    yield form
    form.close()


@pytest.fixture
def listener(sandbox: Sandbox) -> Iterator[WebhookListener]:
    with WebhookListener(sandbox.signature_key) as listener:
        yield listener


@pytest.fixture
def documented(sandbox: Sandbox) -> Iterator[tuple[PayCombat, DocumentedCheckouts]]:
    """A client whose checkout answers look like the real API's: no status, no payin_id."""
    transport = DocumentedCheckouts()
    with PayCombat(sandbox.token, sandbox.signature_key, sandbox.url, transport=transport) as client:
        yield client, transport


# -- the link ------------------------------------------------------------------------------------------


def test_the_link_is_the_checkout_url_without_the_merchant_token(sandbox: Sandbox, client: PayCombat,
                                                                 form: CheckoutForm) -> None:
    form.amount.value, form.currency.value = "120.50", "AUD"
    form.description.value, form.redirect_url.value = "Order #1001", "https://shop.example/thanks"
    form.create_button.click()

    checkout = form.checkout
    assert checkout is not None and form.payment_status == "PENDING"
    stored = client.checkouts.retrieve(checkout.id)
    assert (stored.amount, stored.currency, stored.country_code) == (Decimal("120.50"), "AUD", "AU")
    assert stored.description == "Order #1001" and stored.redirect_url == "https://shop.example/thanks"

    assert f"identifier={sandbox.token}" in (checkout.checkout_url or "")  # the documented URL carries it
    link = form.checkout_link
    assert link == strip_identifier(checkout.checkout_url) and "identifier" not in link and "token=" in link
    assert f"href='{link}'" in form.link.value and f"<code class='pct-url'>{link}</code>" in form.link.value
    assert "target='_blank'" in form.link.value
    for text in shown_strings(form.widget):
        assert "identifier=" not in text and sandbox.token not in text
    assert sandbox.token not in repr(checkout)  # the model's repr hides it too
    page = requests.get(link, timeout=10)  # the page works without the identifier
    assert page.status_code == 200 and "120.50" in page.text
    assert "PENDING" in form.status_label.value and not form.cancel_button.disabled


# -- the real API's way: the PAYIN webhook -----------------------------------------------------------------


def test_the_payin_webhook_settles_the_form_and_names_the_payin(sandbox: Sandbox, client: PayCombat,
                                                                listener: WebhookListener) -> None:
    form = CheckoutForm(client, listener=listener, poll_interval=60)
    try:
        form.amount.value, form.currency.value = "42.00", "AUD"
        checkout = form.create()
        assert checkout is not None and form.watching
        assert client.checkouts.retrieve(checkout.id).webhook_url == listener.url
        assert "waiting for the PAYIN webhook" in form.status_label.value
        pay_on_hosted_page(form.checkout_link)
        assert form.wait(10) == "SUCCESS"
        event = listener.wait_for(lambda e: getattr(e, "checkout_id", None) == checkout.id)
        assert isinstance(event, PayinSuccess)
        assert form.payin_id == event.id and form.payin is not None and form.payin.status == "SUCCESS"
        assert form.payin.amount == Decimal("42.00") and form.status_source == "payin"
        assert "SUCCESS" in form.status_label.value and event.id in form.status_label.value
        assert form.cancel_button.disabled and not form.watching and form.last_error is None
        assert form.refresh_status() is not None and form.payment_status == "SUCCESS"
    finally:
        form.close()


def test_works_when_checkouts_have_no_status_as_in_the_real_api(sandbox: Sandbox, listener: WebhookListener,
                                                                documented: tuple[PayCombat, DocumentedCheckouts]) -> None:
    client, transport = documented
    form = CheckoutForm(client, listener=listener, poll_interval=0.05)
    try:
        form.amount.value, form.currency.value = "15.00", "SGD"
        checkout = form.create()
        assert checkout is not None and transport.stripped > 0
        assert "status" not in checkout.model_fields_set and "payin_id" not in checkout.model_fields_set
        pay_on_hosted_page(form.checkout_link, method="sg_bank_paynow")
        assert form.wait(10) == "SUCCESS" and form.payin is not None
        assert form.checkout is not None and form.checkout.status is None  # never came from the checkout
    finally:
        form.close()


def test_without_a_listener_against_the_real_api_the_form_says_what_it_needs(
        documented: tuple[PayCombat, DocumentedCheckouts]) -> None:
    client, _ = documented
    form = CheckoutForm(client, poll_interval=0.05)
    try:
        form.amount.value, form.currency.value = "15.00", "AUD"
        checkout = form.create()
        assert checkout is not None and not form.watching  # nothing to poll: the real checkout has no status
        pay_on_hosted_page(form.checkout_link)
        assert form.refresh_status() is not None
        assert form.payment_status == "PENDING" and "PAYIN webhook" in form.status.value
        assert "listener=" in form.status.value and form.last_error is None
    finally:
        form.close()


def test_a_failed_payment_arrives_as_payin_failed(client: PayCombat, listener: WebhookListener) -> None:
    form = CheckoutForm(client, listener=listener)
    try:
        form.amount.value, form.currency.value = "9.00", "AUD"
        checkout = form.create()
        assert checkout is not None
        pay_on_hosted_page(form.checkout_link, outcome="FAILED")
        assert form.wait(10) == "FAILED" and "FAILED" in form.status_label.value
        assert isinstance(listener.wait_for(lambda e: getattr(e, "checkout_id", None) == checkout.id), PayinFailed)
        assert form.cancel_button.disabled
    finally:
        form.close()


def test_an_expired_payment_arrives_as_payin_expired() -> None:
    clock = ManualClock()
    with Sandbox(seed=12, clock=clock) as sandbox, sandbox.client() as client, \
            WebhookListener(sandbox.signature_key) as listener:
        form = CheckoutForm(client, listener=listener)
        try:
            form.amount.value, form.currency.value = "20.00", "AUD"
            checkout = form.create()
            assert checkout is not None and checkout.checkout_token
            client.checkouts.create_new_checkout(checkout_token=checkout.checkout_token,
                                                 payin_method_name="au_bank_npp")  # the payer chose, never paid
            clock.advance(days=3)
            client.checkouts.list(limit=1)  # any request: the sandbox expires what is due first
            assert form.wait(10) == "EXPIRED"
            assert isinstance(listener.wait_for(lambda e: getattr(e, "checkout_id", None) == checkout.id),
                              PayinExpired)
        finally:
            form.close()


class _SplitListener:
    """The form's listener, whose URL points elsewhere: the test delivers the webhooks itself."""

    def __init__(self, events: WebhookListener, sink: WebhookListener) -> None:
        self.url, self._events = sink.url, events

    @property
    def events(self) -> list[Any]:
        return self._events.events

    def wait_for(self, predicate: Any, timeout: float = 10.0) -> Any:
        return self._events.wait_for(predicate, timeout)


def test_a_payin_webhook_without_checkout_id_is_matched_by_amount_and_currency(sandbox: Sandbox,
                                                                              client: PayCombat) -> None:
    with WebhookListener(sandbox.signature_key) as events, WebhookListener(sandbox.signature_key) as sink:
        form = CheckoutForm(client, listener=_SplitListener(events, sink))  # type: ignore[arg-type]
        try:
            form.amount.value, form.currency.value = "33.30", "AUD"
            checkout = form.create()
            assert checkout is not None
            pay_on_hosted_page(form.checkout_link)
            sink.wait_for(lambda e: getattr(e, "checkout_id", None) == checkout.id)
            assert sandbox.wait_for_webhooks()
            real = next(a for a in sandbox.webhook_attempts() if a["url"] == sink.url)
            payload = parse_json(real["body"])

            def deliver(changes: dict[str, Any]) -> None:
                body = canonical_json({key: value for key, value in {**payload, **changes}.items()
                                       if value is not None})
                answer = requests.post(events.url, data=body, timeout=10,
                                       headers={SIGNATURE_HEADER: sign(body, sandbox.signature_key)})
                assert answer.status_code == 200

            deliver({"checkout_id": None, "amount": Decimal("33.31")})                 # another amount: not ours
            deliver({"checkout_id": None, "amount_type": "SGD"})              # another currency: not ours
            deliver({"checkout_id": None, "trx_type": "DIRECT_PAYIN"})        # a direct payin: not ours
            deliver({"checkout_id": "someone-else"})                          # another checkout: not ours
            assert wait_until(lambda: len(events.events) == 4)
            assert form.payment_status == "PENDING" and form.payin_id is None
            deliver({"checkout_id": None})                                    # same amount and currency
            assert form.wait(10) == "SUCCESS" and form.payin_id == payload["id"]
            assert form.payin is not None and form.payin.checkout_id == checkout.id
        finally:
            form.close()


def test_a_payin_webhook_from_before_the_request_is_not_taken_for_it(sandbox: Sandbox, client: PayCombat,
                                                                     listener: WebhookListener) -> None:
    direct = client.payins.create(amount=Decimal("18.00"), currency="AUD", payin_method_name="au_bank_npp",
                                  webhook_url=listener.url)
    client.payins.simulate(payin_id=direct.id, status="SUCCESS")
    listener.wait_for(lambda e: e.id == direct.id)
    form = CheckoutForm(client, listener=listener)
    try:
        form.amount.value, form.currency.value = "18.00", "AUD"
        assert form.create() is not None
        assert form.payment_status == "PENDING" and form.watching
    finally:
        form.close()


# -- the sandbox-only fallback ---------------------------------------------------------------------------


def test_sandbox_only_refresh_reads_the_sandbox_checkout_status(client: PayCombat, form: CheckoutForm) -> None:
    form.amount.value, form.currency.value = "12.00", "AUD"
    checkout = form.create()
    assert checkout is not None
    assert "following the sandbox-only checkout status" in form.status_label.value
    assert pay_on_hosted_page(form.checkout_link).status_code == 200
    assert form.payment_status == "PENDING"  # nothing changes until the status is read again
    assert form.refresh_status() is not None
    assert form.payment_status == "SUCCESS" and form.status_source == "sandbox checkout status"
    assert "sandbox-only" in form.status_label.value and form.cancel_button.disabled
    assert form.last_error is None


def test_sandbox_only_polling_updates_the_status_by_itself(client: PayCombat) -> None:
    form = CheckoutForm(client, poll_interval=0.05)
    try:
        form.amount.value, form.currency.value = "15", "SGD"
        checkout = form.create()
        assert checkout is not None and form.watching
        pay_on_hosted_page(form.checkout_link, method="sg_bank_paynow")
        assert wait_until(lambda: "SUCCESS" in form.status_label.value)
        assert wait_until(lambda: not form.watching)  # the thread stops once the payment is settled
        assert form.payment_status == "SUCCESS" and "sandbox-only" in form.status_label.value
    finally:
        form.close()


# -- cancel, input, idempotency ----------------------------------------------------------------------------


def test_cancel_stops_the_payment_request(client: PayCombat) -> None:
    form = CheckoutForm(client, poll_interval=0.05)
    form.amount.value, form.currency.value = "30.00", "NZD"
    checkout = form.create()
    assert checkout is not None and form.watching
    form.cancel_button.click()
    assert form.payment_status == "CANCELLED" and form.status_source == "cancel"
    assert "CANCELLED" in form.status_label.value and form.cancel_button.disabled
    assert not form.watching
    assert pay_on_hosted_page(form.checkout_link, method="nz_bank_transfer").status_code == 409
    form.cancel()  # cancelling again: the API refuses, the form says so readably
    assert form.last_error is not None and "CANCELLED" in form.last_error
    assert "Traceback" not in form.status.value
    form.close()


def test_cancel_works_against_the_real_api_shape(listener: WebhookListener,
                                                 documented: tuple[PayCombat, DocumentedCheckouts]) -> None:
    client, _ = documented
    form = CheckoutForm(client, listener=listener)
    try:
        form.amount.value, form.currency.value = "30.00", "AUD"
        assert form.create() is not None and form.watching
        assert form.cancel() is not None
        assert form.payment_status == "CANCELLED" and not form.watching and form.cancel_button.disabled
    finally:
        form.close()


@pytest.mark.parametrize("typed", ["", "abc", "12.345", "-5", "0", "1,5", "1,234.50", "1.000,50", "1 000", "€5",
                                   "5e2", "+5", "NaN", "Infinity"])
def test_an_invalid_amount_sends_nothing(client: PayCombat, form: CheckoutForm, typed: str) -> None:
    before = _checkout_count(client)
    form.amount.value, form.currency.value = typed, "AUD"
    assert form.create() is None
    assert form.checkout is None and form.last_error
    assert "⚠" in form.status.value
    assert _checkout_count(client) == before


def test_amount_parsing_takes_one_grammar_and_respects_the_minor_unit(client: PayCombat, form: CheckoutForm) -> None:
    form.amount.value, form.currency.value = "1,234.50", "AUD"  # a decimal comma elsewhere: refused, not guessed
    assert form.create() is None and "use a dot for decimals and no thousands separators" in (form.last_error or "")
    form.amount.value = " 1234.50 "
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


# -- messages that follow the payment (issue 13) -----------------------------------------------------------


def test_the_message_follows_the_payment(client: PayCombat, listener: WebhookListener) -> None:
    form = CheckoutForm(client, listener=listener, poll_interval=60)
    try:
        form.amount.value, form.currency.value = "42.00", "AUD"
        form.create()
        assert "Send the payer the link" in form.status.value
        pay_on_hosted_page(form.checkout_link)
        assert form.wait(10) == "SUCCESS"
        assert wait_until(lambda: "Paid" in form.status.value)
        assert "Send the payer" not in form.status.value and form.payin_id in form.status.value

        form.amount.value = "9.00"
        form.create()
        pay_on_hosted_page(form.checkout_link, outcome="FAILED")
        assert form.wait(10) == "FAILED"
        assert wait_until(lambda: "payment failed" in form.status.value)
        assert "Create a new payment request" in form.status.value and form.last_error is None
    finally:
        form.close()
