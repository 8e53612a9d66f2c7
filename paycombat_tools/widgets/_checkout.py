"""``CheckoutForm``: create a payment request, show its hosted checkout link and live status, cancel it."""

from __future__ import annotations

import threading
import uuid
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ._common import INFO_STYLE, ClientWidget, InputProblem, badge, escape, format_money, labelled, parse_amount

if TYPE_CHECKING:
    from .._client import PayCombat
    from ..models.checkouts import Checkout
    from ..webhook_listener import WebhookListener

#: How long one wait on the webhook listener lasts before checking whether to stop.
_LISTENER_SLICE = 0.25
#: Consecutive failed status reads after which polling gives up (the Refresh button still works).
_MAX_POLL_FAILURES = 5


class CheckoutForm(ClientWidget):
    """A payment request form: amount + currency -> hosted checkout link -> live status -> cancel.

    The status follows the payment by itself: with a ``WebhookListener`` the request is created with
    the listener's URL as its ``webhook_url`` and the PAYIN webhook for this checkout triggers a
    refresh; without one, a daemon thread polls every ``poll_interval`` seconds while it is PENDING.
    Clicking Create twice with unchanged fields returns the same payment request (its
    ``organization_reference_id`` is fixed until a field changes).
    """

    def __init__(self, client: "PayCombat", *, listener: "WebhookListener | None" = None,
                 poll_interval: float = 1.0) -> None:
        super().__init__(client)
        self.poll_interval = poll_interval
        self._listener = listener
        self.checkout: "Checkout | None" = None
        self._reference: str | None = None
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None
        self._lock = threading.RLock()

        self.amount = widgets.Text(**labelled("Amount", placeholder="e.g. 120.50"))
        self.currency = widgets.Dropdown(**labelled("Currency", options=self._currency_options()))
        self.description = widgets.Text(**labelled("Description", placeholder="shown to the payer (optional)"))
        self.redirect_url = widgets.Text(**labelled("Redirect URL", placeholder="https://… (optional)"))
        self.create_button = widgets.Button(description="Create payment request", button_style="primary",
                                            layout=widgets.Layout(width="auto"))
        self.refresh_button = widgets.Button(description="Refresh status", icon="refresh", disabled=True,
                                             layout=widgets.Layout(width="auto"))
        self.cancel_button = widgets.Button(description="Cancel payment request", button_style="danger",
                                            disabled=True, layout=widgets.Layout(width="auto"))
        self.link = widgets.HTML()
        self.status_label = widgets.HTML()
        self._on_click(self.create_button, self.create)
        self._on_click(self.refresh_button, self.refresh_status)
        self._on_click(self.cancel_button, self.cancel)
        for field in (self.amount, self.currency, self.description, self.redirect_url):
            field.observe(self._new_draft, names="value")
        self.widget = widgets.VBox([
            widgets.HTML("<b>Payment request (hosted checkout)</b>"),
            self.amount, self.currency, self.description, self.redirect_url,
            widgets.HBox([self.create_button, self.refresh_button, self.cancel_button]),
            self.status, self.link, self.status_label,
        ])

    # -- actions --------------------------------------------------------------------------------------

    def create(self) -> "Checkout | None":
        """Create the payment request from the form, show its link and start following its status."""
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
            with self._lock:
                if self._reference is None:
                    self._reference = f"pct_{uuid.uuid4().hex}"
                fields["organization_reference_id"] = self._reference
                previous = self.checkout
                checkout = self._client.checkouts.create_payment_request(**fields)
                self._show(checkout)
            again = previous is not None and previous.id == checkout.id
            self._ok(("Unchanged form: this is the payment request created before. " if again else "Created: ")
                     + f"{format_money(checkout.amount, checkout.currency)}, send the payer the link below.")
            self._watch(checkout.id)
            return checkout
        return None

    def refresh_status(self) -> "Checkout | None":
        """Read the payment request again and show its status."""
        if self.checkout is None:
            self._error("Nothing to refresh yet: create a payment request first.")
            return None
        return self._refresh(self.checkout.id)

    def cancel(self) -> "Checkout | None":
        """Cancel the payment request (only while it is PENDING)."""
        if self.checkout is None or not self.checkout.checkout_token:
            self._error("Nothing to cancel: create a payment request first.")
            return None
        with self._action("Cancelling the payment request"):
            cancelled = self._client.checkouts.cancel(checkout_token=self.checkout.checkout_token)
            self._stop_watching()
            with self._lock:
                self._show(cancelled)
            self._ok("The payment request is cancelled; its link no longer takes payments.")
            return cancelled
        return None

    @property
    def watching(self) -> bool:
        """Whether a background thread is following the status."""
        return self._watcher is not None and self._watcher.is_alive()

    def close(self) -> None:
        """Stop following the status and close the widget."""
        self._stop_watching()
        super().close()

    # -- status ---------------------------------------------------------------------------------------

    def _refresh(self, checkout_id: str, *, background: bool = False) -> "Checkout | None":
        with self._action("Reading the payment request", background=background):
            checkout = self._client.checkouts.retrieve(checkout_id)
            with self._lock:
                if self.checkout is not None and self.checkout.id == checkout_id:
                    self._show(checkout)
            return checkout
        return None

    def _show(self, checkout: "Checkout") -> None:
        self.checkout = checkout
        pending = checkout.status == "PENDING"
        url = checkout.checkout_url or ""
        self.link.value = (
            f"<p>{escape(format_money(checkout.amount, checkout.currency))}"
            f"{' · ' + escape(checkout.description) if checkout.description else ''}<br>"
            f"<a href='{escape(url)}' target='_blank' rel='noopener'>Open the checkout page ↗</a> "
            f"<code style='font-size:11px'>{escape(url)}</code></p>"
        )
        self.status_label.value = (f"Status: {badge(checkout.status)} "
                                   f"<span style='{INFO_STYLE};font-size:11px'>id {escape(checkout.id)}"
                                   f"{' · payin ' + escape(checkout.payin_id) if checkout.payin_id else ''}</span>")
        self.cancel_button.disabled = not pending
        self.refresh_button.disabled = False

    def _watch(self, checkout_id: str) -> None:
        """Follow one checkout's status in a daemon thread until it leaves PENDING or the form closes."""
        self._stop_watching()
        if self.checkout is None or self.checkout.status != "PENDING":
            return
        stop = threading.Event()
        self._stop = stop
        target = self._wait_for_webhook if self._listener is not None else self._poll
        self._watcher = threading.Thread(target=target, args=(checkout_id, stop), daemon=True,
                                         name=f"checkout-status-{checkout_id[:8]}")
        self._watcher.start()

    def _stop_watching(self) -> None:
        self._stop.set()
        watcher = self._watcher
        if watcher is not None and watcher is not threading.current_thread():
            watcher.join(timeout=max(self.poll_interval, _LISTENER_SLICE) + 5)
        self._watcher = None

    def _poll(self, checkout_id: str, stop: threading.Event) -> None:
        failures = 0
        while not stop.wait(self.poll_interval):
            checkout = self._refresh(checkout_id, background=True)
            if checkout is not None and checkout.status != "PENDING":
                return
            failures = 0 if checkout is not None else failures + 1
            if failures >= _MAX_POLL_FAILURES:
                self._error(f"Stopped following the status after {failures} failed reads "
                            f"(last: {self.last_error}); press Refresh status to try again.")
                return

    def _wait_for_webhook(self, checkout_id: str, stop: threading.Event) -> None:
        listener = self._listener
        assert listener is not None

        def for_this_checkout(event: Any) -> bool:
            return getattr(event, "type", None) == "PAYIN" and getattr(event, "checkout_id", None) == checkout_id

        while not stop.is_set():
            try:
                listener.wait_for(for_this_checkout, timeout=_LISTENER_SLICE)
            except TimeoutError:
                continue
            if not stop.is_set():
                self._refresh(checkout_id, background=True)
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
