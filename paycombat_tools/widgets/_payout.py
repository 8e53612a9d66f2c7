"""``PayoutForm``: beneficiary fields generated from the payout method's rules, quote, then explicit confirm.

Steps: currency -> method -> beneficiary fields (from "Get Required Fields by Payout method", each
checked against its regex as you type) -> amount and purpose -> Validate (the API checks the
beneficiary) -> Quote (shows exactly what will be sent, nothing is created) -> Confirm (creates the
payout once, with the ``order_id`` fixed at quote time) -> Simulate (sandbox) -> memo PDF.
"""

from __future__ import annotations

import base64
import threading
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import ipywidgets as widgets

from ..errors import PayCombatError
from ._common import (
    FIELD_LABEL_WIDTH,
    ClientWidget,
    InputProblem,
    badge,
    describe_error,
    escape,
    form_field,
    format_money,
    hint_html,
    message_html,
    parse_amount,
    table,
)
from ._fields import HOLDER_GROUPS, BeneficiaryFields
from ._theme import dangerous, strong, themed_root

if TYPE_CHECKING:
    from .._client import PayCombat
    from ..documents import PdfDocument
    from ..models.methods import PayoutMethod
    from ..models.payouts import Payout

#: Purpose codes offered by default. PayCombat's full list is not published (REFERENCE: SELF and
#: PROL are seen in examples); pass ``purpose_codes=`` to offer others.
PURPOSE_CODES: tuple[tuple[str, str], ...] = (
    ("SELF — transfer to your own account", "SELF"),
    ("PROL — payroll", "PROL"),
    ("GDDS — purchase of goods", "GDDS"),
    ("SERV — payment for services", "SERV"),
    ("SUPP — supplier payment", "SUPP"),
)

#: What happens next, by payout status (the messages follow the payout).
_NEXT_STEP = {"PENDING": "The bank has not paid it yet: the amount and fee are reserved in the payout wallet "
                         "(in the sandbox, Simulate plays the bank).",
              "SUCCESS": "The bank paid it; the memo below is the remittance advice.",
              "FAILED": "The bank refused it: the reserved amount and fee are back in the payout wallet.",
              "RETURNED": "The bank sent it back: the funds are in the payout wallet again."}

_FEE_UNKNOWN = ("set by PayCombat when the payout is created: shown here right after Confirm, "
                "before the bank pays (the payout wallet needs the amount plus the fee available)")


class PayoutForm(ClientWidget):
    """Send a payout in explicit steps: nothing moves money until Confirm, and Confirm pays at most once."""

    def __init__(self, client: "PayCombat", *,
                 purpose_codes: tuple[tuple[str, str], ...] = PURPOSE_CODES) -> None:
        super().__init__(client)
        self.payout: "Payout | None" = None
        self.memo: "PdfDocument | None" = None
        self.validation: Any = None
        #: The exact payout request of the current quote (None until quoted, or after a change).
        self.request: dict[str, Any] | None = None
        self.beneficiary = BeneficiaryFields(self._changed)
        self._methods: dict[str, "PayoutMethod"] = {}
        self._quoted: tuple[Any, ...] | None = None
        self._sent_order_id: str | None = None
        self._lock = threading.Lock()
        self._loading = False

        self.currency = widgets.Dropdown(**form_field("Currency *"))
        self.method = widgets.Dropdown(**form_field("Payout method *"))
        self.method_info = widgets.HTML()
        self.fields_box = self.beneficiary.box
        self.amount = widgets.Text(**form_field("Amount *", placeholder="e.g. 40.00"))
        self.purpose_code = widgets.Dropdown(**form_field("Purpose of the payout *", options=list(purpose_codes)))
        self.validate_button = widgets.Button(description="Validate beneficiary", icon="check",
                                              tooltip="Ask the API whether the details fit the method; sends no money",
                                              layout=widgets.Layout(width="auto"))
        self.quote_button = strong(widgets.Button(description="Quote", icon="eye",
                                                  tooltip="Show exactly what will be sent; sends nothing"))
        self.confirm_button = dangerous(widgets.Button(description="Confirm payout", icon="paper-plane",
                                                       disabled=True, tooltip="Creates the payout (moves money)",
                                                       layout=widgets.Layout(width="auto")))
        self.preview = widgets.HTML()
        self.result = widgets.HTML()
        self.simulate_status = widgets.Dropdown(description="Sandbox outcome", options=["SUCCESS", "FAILED"],
                                                style={"description_width": "initial"},
                                                layout=widgets.Layout(width="auto"))
        self.simulate_button = widgets.Button(description="Simulate", icon="flask", disabled=True,
                                              tooltip="Sandbox only: complete or fail the pending payout")
        self.memo_link = widgets.HTML()

        self._on_click(self.validate_button, self.validate)
        self._on_click(self.quote_button, self.quote)
        self._on_click(self.confirm_button, self.confirm)
        self._on_click(self.simulate_button, lambda: self.simulate(self.simulate_status.value))

        self._load_currencies()
        self.currency.observe(self._currency_changed, names="value")
        self.method.observe(self._method_changed, names="value")
        for field in (self.amount, self.purpose_code):
            field.observe(self._changed, names="value")

        self.widget = themed_root([
            widgets.HTML("<div class='pct-title'>Payout</div>"
                         "<div class='pct-hint'>Fields marked * are required. Quote sends nothing; "
                         "only Confirm creates the payout, once.</div>"),
            self.currency, self.method, self.method_info,
            self.fields_box, widgets.HTML("<div class='pct-section'>Payment</div>"), self.amount, self.purpose_code,
            widgets.HBox([self.validate_button, self.quote_button, self.confirm_button],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.status, self.preview, self.result,
            widgets.HBox([self.simulate_status, self.simulate_button], layout=widgets.Layout(flex_flow="row wrap")),
            self.memo_link,
        ], name="payout")

    @property
    def fields(self) -> dict[str, widgets.Text]:
        """The beneficiary inputs, keyed ``"bsb"``, ``"account_number"``, ``"individual.first_name"``..."""
        return self.beneficiary.inputs

    @property
    def field_errors(self) -> dict[str, str]:
        """What is wrong with each beneficiary field now (empty mandatory fields included)."""
        return self.beneficiary.errors

    @property
    def field_hints(self) -> dict[str, widgets.HTML]:
        """The rule (``regex_description``) or error shown next to each beneficiary field."""
        return self.beneficiary.hints

    # -- steps ----------------------------------------------------------------------------------------

    def validate(self) -> Any:
        """Ask the API whether the beneficiary details fit the payout method (nothing is saved or sent)."""
        with self._action("Validating the beneficiary"):
            self.beneficiary.insist()
            method = self._require_method()
            self._require_valid_fields()
            result = self._client.beneficiaries.validate_body(payout_method_name=method,
                                                              payout_beneficiary_param=self.beneficiary.params())
            self.validation = result
            if result.is_valid:
                self._ok(f"The beneficiary details are valid for {method}.")
            else:
                self._server_problems(result.errors)
            return result
        return None

    def quote(self) -> dict[str, Any] | None:
        """Check everything and show the exact payout request; enables Confirm. Creates nothing."""
        with self._action("Preparing the quote"):
            self._invalidate_quote()
            self.preview.value = ""
            self.beneficiary.insist()
            request = self._build_request()
            validation = self._client.beneficiaries.validate_body(
                payout_method_name=request["payout_method_name"],
                payout_beneficiary_param=request["payout_beneficiary_param"])
            self.validation = validation
            if not validation.is_valid:
                self._server_problems(validation.errors)
                return None
            request["order_id"] = f"pct_{uuid.uuid4().hex}"  # fixed now: a second Confirm cannot pay twice
            self.request = request
            self._quoted = self._snapshot()
            self.preview.value = self._preview_html(request, sent=False)
            self.confirm_button.disabled = False
            self._ok("Quote ready: check it below, then press Confirm payout to send it.")
            return request
        return None

    def confirm(self) -> "Payout | None":
        """Create the quoted payout (once: the quote's ``order_id`` makes repeats return the same payout)."""
        if not self._lock.acquire(blocking=False):
            self._say("The payout is being sent already.")
            return self.payout
        try:
            with self._action("Sending the payout"):
                request = self.request
                if request is None or self._quoted is None:
                    raise InputProblem("Quote first: Confirm sends exactly what the quote shows.")
                if self._snapshot() != self._quoted:
                    self._invalidate_quote()
                    raise InputProblem("The form changed after the quote: quote again before confirming.")
                if self._sent_order_id == request["order_id"]:
                    self._say(f"Already sent: payout {self.payout.id if self.payout else ''} for order "
                              f"{request['order_id']} (nothing sent again).")
                    return self.payout
                if self.field_errors:
                    raise InputProblem(self._field_problem_text())
                self.confirm_button.disabled = True
                try:
                    payout = self._client.payouts.create(**request)
                except PayCombatError:
                    self.confirm_button.disabled = False  # retrying is safe: same order_id
                    raise
                self._sent_order_id = request["order_id"]
                self._show_payout(payout)
                self.preview.value = self._preview_html(request, sent=True)
                self.simulate_button.disabled = payout.status != "PENDING"
                self._ok(f"Payout {payout.id} created: {payout.status}, "
                         f"{format_money(request['sender_amount'], request['sender_currency'])} to the beneficiary"
                         + (f", fee {format_money(payout.fee_expected, payout.currency)}" if payout.fee_expected
                            is not None else "") + ". " + _NEXT_STEP.get(payout.status or "", ""))
                self._load_memo()
                return payout
            return None
        finally:
            self._lock.release()

    def simulate(self, status: Literal["SUCCESS", "FAILED"] = "SUCCESS") -> "Payout | None":
        """Sandbox only: complete (SUCCESS) or fail (FAILED) the pending payout, then refresh the memo."""
        with self._action("Simulating the payout"):
            if self.payout is None:
                raise InputProblem("Nothing to simulate: confirm a payout first.")
            payout = self._client.payouts.simulate(payout_id=self.payout.id, status=status)
            self._show_payout(payout)
            self.simulate_button.disabled = payout.status != "PENDING"
            self._ok(f"Payout {payout.id}: {payout.status}. " + _NEXT_STEP.get(payout.status or "", ""))
            self._load_memo()
            return payout
        return None

    # -- building the request -------------------------------------------------------------------------

    def _require_method(self) -> str:
        if not self.method.value:
            raise InputProblem("Choose a currency and a payout method first.")
        return str(self.method.value)

    def _require_valid_fields(self) -> None:
        if self.beneficiary.check_all():
            raise InputProblem(self._field_problem_text())

    def _field_problem_text(self) -> str:
        problems = "; ".join(f"{key}: {message}" for key, message in self.field_errors.items())
        return f"Fix the beneficiary fields first (nothing was sent): {problems}"

    def _build_request(self) -> dict[str, Any]:
        from pydantic import ValidationError

        from ..models._base import describe_validation_error
        from ..models.payouts import PayoutCreate

        name = self._require_method()
        self._require_valid_fields()
        method = self._methods[name]
        sender_currency = (method.sender_currency or method.currency or self.currency.value or "").upper()
        beneficiary_currency = (method.beneficiary_currency or sender_currency).upper()
        if sender_currency != beneficiary_currency:
            raise InputProblem(f"{name} pays {sender_currency} to {beneficiary_currency}: cross-currency "
                               "payouts need an FX quote, which this form does not offer.")
        amount = parse_amount(self.amount.value, sender_currency)
        if not self.purpose_code.value:
            raise InputProblem("Choose a purpose code.")
        request: dict[str, Any] = {
            "sender_amount": amount, "sender_currency": sender_currency,
            "beneficiary_amount": amount, "beneficiary_currency": beneficiary_currency,
            "payout_method_name": name, "purpose_code": self.purpose_code.value,
            "payout_beneficiary_param": self.beneficiary.params(),
        }
        try:
            PayoutCreate.model_validate(request)  # the client's own rules, checked before anything is shown
        except ValidationError as error:
            raise InputProblem(describe_validation_error(error)) from None
        return request

    @staticmethod
    def _wire_body(request: dict[str, Any]) -> str:
        """The JSON body the client will send for ``request`` (the same model, the same serialiser)."""
        from ..models.payouts import PayoutCreate
        from ..signing import canonical_json

        wire = PayoutCreate.model_validate(request).model_dump(mode="python", exclude_none=True, by_alias=True)
        return canonical_json(wire).decode("utf-8")

    def _snapshot(self) -> tuple[Any, ...]:
        return (self.currency.value, self.method.value, self.amount.value, self.purpose_code.value,
                self.beneficiary.values())

    # -- reacting to changes --------------------------------------------------------------------------

    def _changed(self, change: dict[str, Any] | None = None) -> None:
        """Any change after a quote withdraws it: Confirm needs a fresh quote of the new values."""
        if self.request is not None and self._snapshot() != self._quoted:
            self._invalidate_quote()
            self.preview.value = message_html("The form changed after the quote: press Quote again to "
                                              "review and confirm.", "wait")

    def _invalidate_quote(self) -> None:
        self.request = None
        self._quoted = None
        self.confirm_button.disabled = True

    def _currency_changed(self, change: dict[str, Any]) -> None:
        if not self._loading:
            self._load_methods(change["new"])
            self._changed()

    def _method_changed(self, change: dict[str, Any]) -> None:
        if not self._loading:
            self._load_fields(change["new"])
            self._changed()

    # -- loading methods and their fields -------------------------------------------------------------

    def _load_currencies(self) -> None:
        with self._action("Reading payout methods"):
            currencies: list[str] = []
            for method in self._client.payout_methods.list():
                currency = (method.sender_currency or method.currency or "").upper()
                if currency and currency not in currencies:
                    currencies.append(currency)
            self._loading = True
            try:
                self.currency.options = currencies
                self.currency.value = currencies[0] if currencies else None
            finally:
                self._loading = False
        self._load_methods(self.currency.value)

    def _load_methods(self, currency: str | None) -> None:
        self._methods = {}
        options: list[tuple[str, str]] = []
        if currency:
            with self._action("Reading payout methods"):
                for method in self._client.payout_methods.list(currency=currency):
                    self._methods[method.payout_method_name] = method
                    label = method.payout_method_description or method.payout_method_name
                    options.append((label, method.payout_method_name))
        self._loading = True
        try:
            self.method.options = options
            self.method.value = options[0][1] if options else None
        finally:
            self._loading = False
        self._load_fields(self.method.value)

    def _load_fields(self, method_name: str | None) -> None:
        self.method_info.value = ""
        required = None
        if method_name:
            with self._action("Reading the method's required fields"):
                required = self._client.payout_methods.required_fields(method_name)
                self.method_info.value = (
                    f"<div class='pct-hint' style='margin-left:{FIELD_LABEL_WIDTH}'>"
                    f"{escape(required.payout_method_description or method_name)} · "
                    f"pays {escape(required.sender_currency or '')} to a {escape(required.beneficiary_currency or '')}"
                    f" account · <code>{escape(method_name)}</code></div>")
        self.beneficiary.load(required)

    def _server_problems(self, problems: list[Any]) -> None:
        """Show the API's field complaints next to the fields they name."""
        self.beneficiary.show_problems(problems)
        listed = "; ".join(f"{p.field}: {p.message}" for p in problems) or "no details given"
        self._error(f"The API says the beneficiary details are not valid (nothing was sent): {listed}")

    # -- showing results ------------------------------------------------------------------------------

    def _preview_html(self, request: dict[str, Any], *, sent: bool) -> str:
        currency = request["sender_currency"]
        beneficiary = request["payout_beneficiary_param"]
        holder = " ".join(str(v) for group in HOLDER_GROUPS for v in (beneficiary.get(group) or {}).values())
        account = ", ".join(f"{k} {v}" for k, v in beneficiary.items() if not isinstance(v, dict))
        amount = request["sender_amount"]
        rows = [
            ["Amount", escape(format_money(amount, currency))],
            ["Beneficiary receives", escape(format_money(request["beneficiary_amount"],
                                                         request["beneficiary_currency"]))],
        ]
        fee = self.payout.fee_expected if sent and self.payout is not None else None
        if fee is not None:
            rows += [["Fee", escape(format_money(fee, currency))],
                     ["Total debited", f"<b>{escape(format_money(amount + fee, currency))}</b>"]]
        else:
            rows += [["Fee", escape(_FEE_UNKNOWN)], ["Total debited", escape("the amount plus that fee")]]
        rows += [
            ["Method", escape(request["payout_method_name"])],
            ["Beneficiary", escape(holder or "—")],
            ["Account", escape(account or "—")],
            ["Purpose", escape(request["purpose_code"])],
            ["Order id", f"<code>{escape(request['order_id'])}</code><br>"
                         + hint_html("fixed at quote time: confirming twice pays once")],
        ]
        available = None if sent else self._payout_wallet_available(currency)
        if available is not None:
            warning = (" " + message_html("less than the amount: the API will refuse it", "error")
                       if available < amount else "")
            rows.append(["Payout wallet available", escape(format_money(available, currency)) + warning])
        body = self._wire_body(request)
        heading = (f"<b>Sent</b> — this request created payout <code>{escape(self.payout.id)}</code>:"
                   if sent and self.payout is not None else
                   "<b>Quote — nothing has been sent yet.</b> Confirm payout sends exactly this request:")
        return (f"<div>{heading}</div>" + table(["Payout request", ""], rows)
                + "<details><summary>Request body (JSON, as signed and sent)</summary>"
                + f"<pre style='white-space:pre-wrap'>{escape(body)}</pre></details>")

    def _payout_wallet_available(self, currency: str) -> Decimal | None:
        """The organisation payout wallet's available balance, when the API can tell (best effort)."""
        try:
            page = self._client.wallets.list(category="ORGANIZATION_PAYOUT", limit=1)
            wallet = page.items[0] if page.items else None
            return wallet.account(currency).available_balance if wallet else None
        except (PayCombatError, KeyError):
            return None

    def _show_payout(self, payout: "Payout") -> None:
        self.payout = payout
        currency = payout.currency
        rows = [
            ["Status", badge(payout.status)],
            ["Payout id", f"<code>{escape(payout.id)}</code>"],
            ["Order id", f"<code>{escape(payout.order_id)}</code>"],
            ["Amount", escape(format_money(payout.wire_amount, currency))],
            ["Fee", escape(format_money(payout.fee_expected, currency))],
            ["Total debited", escape(format_money(payout.wire_amount + payout.fee_expected, currency)
                                     if payout.wire_amount is not None and payout.fee_expected is not None else "—")],
            ["Beneficiary", escape(payout.beneficiary or payout.payee_name)],
        ]
        if payout.reason_for_failure:
            rows.append(["Failure reason", escape(payout.reason_for_failure)])
        self.result.value = "<div class='pct-section'>The payout</div>" + table(["Payout", ""], rows)

    def _load_memo(self) -> None:
        if self.payout is None:
            return
        try:
            memo = self._client.payouts.memo(self.payout.id)
        except PayCombatError as error:
            self.memo_link.value = hint_html(f"Memo not available: {describe_error(error)}")
            return
        self.memo = memo
        data = base64.b64encode(bytes(memo)).decode("ascii")
        self.memo_link.value = (
            f"<a download='payout-{escape(self.payout.id)}.pdf' href='data:application/pdf;base64,{data}' "
            f"target='_blank'>Download the payout memo (PDF, {max(len(memo) // 1024, 1)} KB, "
            f"status {escape(self.payout.status)})</a>")

