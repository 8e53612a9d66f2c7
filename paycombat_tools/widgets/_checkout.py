"""``CheckoutForm``: create a payment request, show its hosted checkout link, follow its payment, cancel it."""

from __future__ import annotations

import threading
import time
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..redaction import strip_identifier
from ._common import (
    ClientWidget,
    InputProblem,
    badge,
    escape,
    form_field,
    format_money,
    hint_html,
    link_html,
    parse_amount,
)
from ._theme import dangerous, strong, themed_root

if TYPE_CHECKING:
    from .._client import PayCombat
    from ..models.checkouts import Checkout
    from ..models.payins import Payin
    from ..webhook_listener import WebhookListener

#: How long one wait on the webhook listener lasts before checking whether to stop.
_LISTENER_SLICE = 0.25
#: Consecutive failed status reads after which the sandbox-only polling gives up (Refresh still works).
_MAX_POLL_FAILURES = 5
#: Payin statuses that end a payment (PAYIN SUCCESS / FAILED / EXPIRED webhooks).
FINAL_PAYIN_STATUSES = frozenset({"SUCCESS", "FAILED", "EXPIRED"})
#: The sandbox's own checkout statuses (not in PayCombat's docs), as the payment status the form shows.
_SANDBOX_CHECKOUT_STATUS = {"PENDING": "PENDING", "COMPLETED": "SUCCESS", "FAILED": "FAILED",
                            "EXPIRED": "EXPIRED", "CANCELLED": "CANCELLED"}


class CheckoutForm(ClientWidget):
    """A payment request form: amount + currency -> hosted checkout link -> payment outcome -> cancel.

    **How the form learns the outcome.** PayCombat's checkout responses carry no status, so the form
    follows the *payin* the payer's payment creates, as an integration with the real API does:

    - with ``listener=`` (a ``WebhookListener``) the request is created with the listener's URL as its
      ``webhook_url``; the PAYIN webhook for it (``PayinSuccess``, ``PayinFailed`` or ``PayinExpired``)
      settles the form. A webhook belongs to this request when its ``checkout_id`` is the request's id;
      a PAYIN webhook without a ``checkout_id`` is taken when it arrived after the request was created
      and has the request's amount and currency (and is not a direct payin). The form then reads that
      payin (``payins.retrieve(<the webhook's id>)``) and keeps it in ``.payin``;
    - **Refresh status** reads the payin again once its id is known (from the webhook);
    - *sandbox-only fallback*: without a listener, when the checkout record carries the sandbox's own
      ``status`` field (marked sandbox-only in ``models/checkouts.py``; the real API does not send it),
      a daemon thread polls ``checkouts.retrieve`` every ``poll_interval`` seconds and Refresh reads it.
      The status line then says it comes from the sandbox. Against the real API without a listener
      the form cannot learn the outcome and says so: pass a listener (or your own webhook endpoint's
      events) to follow payments.

    ``.payment_status`` is ``PENDING`` until an outcome is known, then the payin's ``SUCCESS``,
    ``FAILED`` or ``EXPIRED``, or ``CANCELLED`` after **Cancel**. ``wait()`` blocks until it settles.

    **The link never shows the merchant token.** The documented ``checkout_url`` is
    ``…/?token=<checkout_token>&identifier=<X-token>``: its ``identifier`` is your merchant token. The
    form shows ``strip_identifier(checkout_url)`` (``.checkout_link``) as both the link's href and its
    text, and no widget state ever contains ``identifier=``; the sandbox's hosted page works without
    it. The full URL stays on ``.checkout.checkout_url`` for code that hands it to the payer — never
    display or log it.

    Clicking Create twice with unchanged fields returns the same payment request (its
    ``organization_reference_id`` is fixed until a field changes).
    """

    def __init__(self, client: "PayCombat", *, listener: "WebhookListener | None" = None,
                 poll_interval: float = 1.0) -> None:
        super().__init__(client)
        self.poll_interval = poll_interval
        self._listener = listener
        self.checkout: "Checkout | None" = None
        #: PENDING, SUCCESS, FAILED, EXPIRED (the payin's outcome) or CANCELLED; None before Create.
        self.payment_status: str | None = None
        #: The payin behind the payment, once a PAYIN webhook has named it.
        self.payin: "Payin | None" = None
        self.payin_id: str | None = None
        #: Where ``payment_status`` came from: "webhook", "payin", "cancel" or "sandbox checkout status".
        self.status_source: str | None = None
        self._reference: str | None = None
        self._created_at = 0.0
        self._events_before: set[int] = set()
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None
        self._lock = threading.RLock()

        self.amount = widgets.Text(**form_field("Amount *", placeholder="e.g. 120.50"))
        self.currency = widgets.Dropdown(**form_field("Currency *", options=self._currency_options()))
        self.description = widgets.Text(**form_field("Description", placeholder="shown to the payer (optional)"))
        self.redirect_url = widgets.Text(**form_field("Redirect URL", placeholder="https://… (optional)"))
        self.create_button = strong(widgets.Button(description="Create payment request", icon="plus",
                                                   layout=widgets.Layout(width="auto")))
        self.refresh_button = widgets.Button(description="Refresh status", icon="refresh", disabled=True,
                                             layout=widgets.Layout(width="auto"))
        self.cancel_button = dangerous(widgets.Button(description="Cancel payment request", icon="times",
                                                      disabled=True, layout=widgets.Layout(width="auto")))
        self.link = widgets.HTML()
        self.status_label = widgets.HTML()
        self._on_click(self.create_button, self.create)
        self._on_click(self.refresh_button, self.refresh_status)
        self._on_click(self.cancel_button, self.cancel)
        for field in (self.amount, self.currency, self.description, self.redirect_url):
            field.observe(self._new_draft, names="value")
        self.widget = themed_root([
            widgets.HTML("<div class='pct-title'>Payment request (hosted checkout)</div>"
                         "<div class='pct-hint'>Fields marked * are required.</div>"),
            self.amount, self.currency, self.description, self.redirect_url,
            widgets.HBox([self.create_button, self.refresh_button, self.cancel_button],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.status, self.link, self.status_label,
        ], name="checkout")

    # -- actions --------------------------------------------------------------------------------------

    def create(self) -> "Checkout | None":
        """Create the payment request from the form, show its link and start following its payment."""
        with self._action("Creating the payment request"):
            currency = self.currency.value
            if not currency:
                raise InputProblem("Choose a currency first.")
            amount = parse_amount(self.amount.value, currency)
            fields: dict[str, Any] = {"amount": amount, "currency": currency,
                                      "country_code": self._countries[currency]}
            if self.description.value.strip():
                fields["description"] = self.description.value.strip()
            if self.redirect_url.value.strip():
                fields["redirect_url"] = self.redirect_url.value.strip()
            if self._listener is not None:
                fields["webhook_url"] = self._listener.url
            self._stop_watching()
            with self._lock:
                if self._reference is None:
                    self._reference = f"pct_{uuid.uuid4().hex}"
                fields["organization_reference_id"] = self._reference
                previous = self.checkout
                before = self._event_ids()
                checkout = self._client.checkouts.create_payment_request(**fields)
                again = previous is not None and previous.id == checkout.id
                if not again:
                    self._events_before = before
                    self._created_at = time.time()
                    self.payin, self.payin_id = None, None
                    self._set_outcome("PENDING", None)
                self._show(checkout)
            self.last_error = None
            if self.payment_status == "PENDING":
                self._say(("Unchanged form: this is the payment request created before. " if again else "Created: ")
                          + f"{format_money(checkout.amount, checkout.currency)}. Send the payer the link below; "
                          "the status follows their payment.", "ok")
                self._learn_from_listener()
            else:
                self._say_outcome(prefix="Unchanged form: this is the payment request created before. ")
            self._watch(checkout)
            return checkout
        return None

    def refresh_status(self) -> "Checkout | None":
        """Learn the payment's outcome now: from the webhooks received, the payin, or (sandbox only) the checkout."""
        if self.checkout is None:
            self._error("Nothing to refresh yet: create a payment request first.")
            return None
        checkout = self.checkout
        with self._action("Reading the payment"):
            if self.payment_status == "CANCELLED":
                self._say_outcome()
                return checkout
            self._learn_from_listener()
            if self.payin_id is not None:
                self._read_payin(self.payin_id, checkout.id)
                self._say_outcome()
                return checkout
            fresh = self._client.checkouts.retrieve(checkout.id)
            with self._lock:
                if self.checkout is not None and self.checkout.id == fresh.id:
                    sandbox_status = _sandbox_checkout_status(fresh)
                    if sandbox_status is not None and self._listener is None:
                        self._set_outcome(sandbox_status, "sandbox checkout status")
                    self._show(fresh)
            if self.payment_status == "PENDING":
                self._say("No payment yet: PayCombat reports it with the PAYIN webhook"
                          + ("." if self._listener is not None else
                             " (create the form with listener=WebhookListener(...) to receive it)."), "wait")
            else:
                self._say_outcome()
            return fresh
        return None

    def cancel(self) -> "Checkout | None":
        """Cancel the payment request (only before it is paid)."""
        if self.checkout is None or not self.checkout.checkout_token:
            self._error("Nothing to cancel: create a payment request first.")
            return None
        with self._action("Cancelling the payment request"):
            cancelled = self._client.checkouts.cancel(checkout_token=self.checkout.checkout_token)
            self._stop_watching()
            with self._lock:
                self._set_outcome("CANCELLED", "cancel")
                self._show(cancelled)
            self.last_error = None
            return cancelled
        return None

    def wait(self, timeout: float = 10.0) -> str | None:
        """Block until the payment settles (or ``timeout`` seconds pass); returns ``payment_status``."""
        watcher = self._watcher
        if watcher is not None and watcher is not threading.current_thread():
            watcher.join(timeout)
        return self.payment_status

    @property
    def checkout_link(self) -> str | None:
        """The checkout page's URL without its ``identifier`` (the merchant token): safe to show."""
        url = self.checkout.checkout_url if self.checkout is not None else None
        return strip_identifier(url) if url else None

    @property
    def watching(self) -> bool:
        """Whether a background thread is following the payment."""
        return self._watcher is not None and self._watcher.is_alive()

    def close(self) -> None:
        """Stop following the payment and close the widget."""
        self._stop_watching()
        super().close()

    # -- learning the outcome -------------------------------------------------------------------------

    def _event_ids(self) -> set[int]:
        listener = self._listener
        return {id(event) for event in list(listener.events)} if listener is not None else set()

    def _is_ours(self, event: Any, checkout: "Checkout") -> bool:
        """Whether a webhook is the PAYIN outcome of ``checkout`` (by checkout_id, else amount/currency)."""
        from ..models.webhooks import PayinEvent

        if not isinstance(event, PayinEvent) or event.status not in FINAL_PAYIN_STATUSES:
            return False
        if event.checkout_id:
            return event.checkout_id == checkout.id
        # no checkout_id in the payload: a later payin of the same amount and currency, not a direct payin
        if id(event) in self._events_before or (event.trx_type and "CHECKOUT" not in event.trx_type.upper()):
            return False
        currency = (checkout.currency or "").upper()
        return (event.amount is not None and checkout.amount is not None
                and Decimal(event.amount) == Decimal(checkout.amount)
                and currency in ((event.amount_type or "").upper(), (event.currency or "").upper()))

    def _learn_from_listener(self) -> bool:
        """Settle from a matching webhook already received; True when one was found."""
        listener, checkout = self._listener, self.checkout
        if listener is None or checkout is None:
            return False
        event = next((event for event in list(listener.events) if self._is_ours(event, checkout)), None)
        if event is None:
            return False
        self._settle_from_event(event, checkout.id)
        return True

    def _settle_from_event(self, event: Any, checkout_id: str) -> None:
        with self._lock:
            if self.checkout is None or self.checkout.id != checkout_id or self.payment_status == "CANCELLED":
                return
            self.payin_id = event.id
            self._set_outcome(event.status, "webhook")
            self._show(self.checkout)
        self._read_payin(event.id, checkout_id, background=True)

    def _read_payin(self, payin_id: str, checkout_id: str, *, background: bool = False) -> None:
        """Read the payin (the authority on the outcome) and show it; a PENDING read keeps the webhook's word."""
        with self._action("Reading the payin", background=background):
            payin = self._client.payins.retrieve(payin_id)
            with self._lock:
                if self.checkout is None or self.checkout.id != checkout_id or self.payment_status == "CANCELLED":
                    return
                self.payin = payin
                if payin.status in FINAL_PAYIN_STATUSES:
                    self._set_outcome(payin.status, "payin")
                self._show(self.checkout)

    def _set_outcome(self, status: str, source: str | None) -> None:
        settled = status != self.payment_status and status != "PENDING"
        self.payment_status, self.status_source = status, source
        if settled:
            self._say_outcome()

    def _say_outcome(self, prefix: str = "") -> None:
        """The message follows the payment: what happened and what (if anything) to do next."""
        status = self.payment_status or ""
        checkout = self.checkout
        amount = format_money(checkout.amount, checkout.currency) if checkout is not None else ""
        payin = f" (payin {self.payin_id})" if self.payin_id else ""
        kind, text = {
            "SUCCESS": ("ok", f"Paid: the payer paid {amount}{payin}. Nothing more to do; the link no longer "
                              "takes payments."),
            "FAILED": ("error", f"The payer's payment failed{payin}. Create a new payment request to let them "
                                "try again."),
            "EXPIRED": ("error", f"The payment request expired unpaid{payin}. Create a new one if the payer "
                                 "still wants to pay."),
            "CANCELLED": ("info", "Cancelled: the link no longer takes payments."),
        }.get(status, ("wait", f"Waiting for the payer to pay {amount}."))
        self._say(prefix + text, kind)

    # -- drawing --------------------------------------------------------------------------------------

    def _show(self, checkout: "Checkout") -> None:
        self.checkout = checkout
        link = self.checkout_link or ""
        self.link.value = (
            f"<div>{escape(format_money(checkout.amount, checkout.currency))}"
            f"{' · ' + escape(checkout.description) if checkout.description else ''}</div>"
            f"<div>{link_html(link, 'Open the checkout page')} {hint_html('(new tab)')}</div>"
            f"<div><code class='pct-url'>{escape(link)}</code></div>"
        )
        source = {"webhook": "from the PAYIN webhook", "payin": "from the payin",
                  "cancel": "cancelled by you",
                  "sandbox checkout status": "from the sandbox-only checkout status"}.get(self.status_source or "")
        waiting = ("waiting for the PAYIN webhook" if self._listener is not None else
                   "following the sandbox-only checkout status" if _sandbox_checkout_status(checkout) else
                   "no webhook listener: the outcome arrives with the PAYIN webhook")
        details = [f"id {checkout.id}"]
        if self.payin_id:
            details.append(f"payin {self.payin_id}")
        details.append(waiting if self.payment_status == "PENDING" else source or "")
        self.status_label.value = (f"<div>Status: {badge(self.payment_status)} "
                                   f"{hint_html(' · '.join(part for part in details if part))}</div>")
        self.cancel_button.disabled = self.payment_status != "PENDING"
        self.refresh_button.disabled = False

    # -- following the payment --------------------------------------------------------------------------

    def _watch(self, checkout: "Checkout") -> None:
        """Follow one payment in a daemon thread until it settles or the form closes."""
        self._stop_watching()
        if self.payment_status != "PENDING":
            return
        if self._listener is not None:
            target = self._wait_for_webhook
        elif _sandbox_checkout_status(checkout) is not None:
            target = self._poll_sandbox_status  # sandbox only: the real API's checkout has no status
        else:
            return
        stop = threading.Event()
        self._stop = stop
        self._watcher = threading.Thread(target=target, args=(checkout.id, stop), daemon=True,
                                         name=f"checkout-payment-{checkout.id[:8]}")
        self._watcher.start()

    def _stop_watching(self) -> None:
        self._stop.set()
        watcher = self._watcher
        if watcher is not None and watcher is not threading.current_thread():
            watcher.join(timeout=max(self.poll_interval, _LISTENER_SLICE) + 5)
        self._watcher = None

    def _wait_for_webhook(self, checkout_id: str, stop: threading.Event) -> None:
        listener, checkout = self._listener, self.checkout
        assert listener is not None and checkout is not None
        while not stop.is_set():
            try:
                event = listener.wait_for(lambda e: self._is_ours(e, checkout), timeout=_LISTENER_SLICE)
            except TimeoutError:
                continue
            if not stop.is_set():
                self._settle_from_event(event, checkout_id)
            return

    def _poll_sandbox_status(self, checkout_id: str, stop: threading.Event) -> None:
        """SANDBOX ONLY: poll the sandbox's checkout ``status`` (PayCombat's docs show none)."""
        failures = 0
        while not stop.wait(self.poll_interval):
            checkout = None
            with self._action("Reading the payment request", background=True):
                checkout = self._client.checkouts.retrieve(checkout_id)
            if checkout is not None:
                failures = 0
                status = _sandbox_checkout_status(checkout)
                with self._lock:
                    if stop.is_set() or self.checkout is None or self.checkout.id != checkout_id:
                        return
                    if status is None or self.payment_status == "CANCELLED":
                        return
                    if status != "PENDING":
                        self._set_outcome(status, "sandbox checkout status")
                    self._show(checkout)
                if status != "PENDING":
                    return
            else:
                failures += 1
                if failures >= _MAX_POLL_FAILURES:
                    self._error(f"Stopped following the status after {failures} failed reads "
                                f"(last: {self.last_error}); press Refresh status to try again.")
                    return

    def _new_draft(self, change: dict[str, Any]) -> None:
        """A changed field makes the next Create a new payment request."""
        self._reference = None

    def _currency_options(self) -> list[tuple[str, str]]:
        self._countries: dict[str, str] = {}
        options: list[tuple[str, str]] = []
        with self._action("Reading currencies"):
            for row in self._client.master_data.list_countries_currencies():
                if row.currency and row.currency not in self._countries:
                    self._countries[row.currency] = row.country_code
                    options.append((f"{row.currency} · {(row.country_name or row.country_code).title()}",
                                    row.currency))
        return options


def _sandbox_checkout_status(checkout: "Checkout") -> str | None:
    """SANDBOX ONLY: the sandbox's checkout status as a payment status, or None when the record has none.

    PayCombat's documented checkout responses carry no ``status`` (it is ``sandbox_only()`` on the
    model), so against the real API this is always None and nothing depends on it.
    """
    if "status" not in checkout.model_fields_set or not checkout.status:
        return None
    return _SANDBOX_CHECKOUT_STATUS.get(checkout.status.upper(), checkout.status.upper())
