"""``trigger``: drive one outcome end to end through the sandbox's own operations, creating what it needs.

Every step is a real operation run in-process (validated like a request, one transaction each, webhooks
after the commit), so a triggered payout is the same record a client would have made.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..money import MoneyError, check_amount, minor_unit
from ..sandbox_control import TriggerRequest
from ._errors import ApiError
from ._fixtures import KRW_BANKS, PAYIN_METHODS, PAYOUT_METHODS, SAMPLE_BENEFICIARY_FIELDS

if TYPE_CHECKING:
    from ._app import SandboxApp

#: Default amounts, in the currency's minor unit (40.00 AUD, 40 KRW).
DEFAULT_PAYOUT_AMOUNT = Decimal(40)
DEFAULT_PAYIN_AMOUNT = Decimal(100)
DEFAULT_CURRENCY = "AUD"
#: The holder a triggered KRW virtual account is registered for (a plausible name and YYMMDD birth date).
VA_HOLDER = {"user_name": "Hong Gildong", "user_yymmdd": "900101"}


class _Run:
    """One trigger: the ids it created and the webhooks it sent, in order."""

    def __init__(self, app: "SandboxApp", request: TriggerRequest) -> None:
        self.app = app
        self.request = request
        self.ids: dict[str, str] = {}
        self.webhooks: list[str] = []
        self.target = request.webhook_url or app.notification_url
        self.currency = (request.currency or ("KRW" if request.event == "va.registered" else DEFAULT_CURRENCY)).upper()

    def call(self, name: str, **fields: Any) -> Any:
        if self.request.webhook_url and name.endswith(("create", "create_virtual_account")):
            fields["webhook_url"] = self.request.webhook_url
        return self.app.call(name, **fields)

    def notified(self, event_type: str) -> None:
        if self.target:
            self.webhooks.append(event_type)

    def amount(self, default: Decimal | None) -> Decimal | None:
        amount = self.request.amount
        if amount is None and default is not None:
            amount = default.quantize(Decimal(1).scaleb(-minor_unit(self.currency)))
        if amount is not None:
            try:
                check_amount(amount, self.currency)
            except MoneyError as error:
                raise ApiError(422, str(error), errors=[{"field": "amount", "message": str(error)}]) from None
        return amount

    def answer(self, record: dict[str, Any]) -> dict[str, Any]:
        return {"event": self.request.event, "ids": self.ids, "webhooks": self.webhooks,
                "webhook_url": self.target, "record": record}


def run_trigger(app: "SandboxApp", request: TriggerRequest) -> dict[str, Any]:
    """Drive ``request.event``; the answer names every id created and the webhooks sent."""
    run = _Run(app, request)
    kind, outcome = request.event.split(".")
    scenario: Callable[[_Run, str], dict[str, Any]] = {"payout": _payout, "payin": _payin, "va": _virtual_account}[kind]
    return run.answer(scenario(run, outcome))


def _payout(run: _Run, outcome: str) -> dict[str, Any]:
    """A payout from the organisation's payout wallet (it opens funded), then SUCCESS / FAILED / RETURNED."""
    method = _method_for(PAYOUT_METHODS, "sender_currency", run.currency, "payout method pays")
    amount = run.amount(DEFAULT_PAYOUT_AMOUNT)
    name = method["payout_method_name"]
    payout = run.call("payouts.create", sender_amount=amount, sender_currency=run.currency,
                      beneficiary_amount=amount, beneficiary_currency=run.currency, payout_method_name=name,
                      purpose_code="SELF", payout_beneficiary_param={
                          **SAMPLE_BENEFICIARY_FIELDS[name], "individual": {"first_name": "Grace", "last_name": "Ho"}})
    run.ids["payout_id"] = payout["id"]
    first = "FAILED" if outcome == "failed" else "SUCCESS"
    payout = run.app.call("payouts.simulate", payout_id=payout["id"], status=first)
    run.notified(f"PAYOUT {first}")
    if outcome == "returned":
        payout = run.app.call("payouts.simulate", payout_id=payout["id"], status="RETURNED")
        run.notified("PAYOUT RETURNED")
    return payout  # type: ignore[no-any-return]


def _payin(run: _Run, outcome: str) -> dict[str, Any]:
    """A payin into the organisation's payin wallet, then SUCCESS or EXPIRED (KRW: to a new virtual account)."""
    method = _method_for(PAYIN_METHODS, "currency", run.currency, "payin method collects")
    amount = run.amount(DEFAULT_PAYIN_AMOUNT)
    fields: dict[str, Any] = {"amount": amount, "currency": run.currency,
                              "payin_method_name": method["payin_method_name"], "description": "Triggered payin"}
    if run.currency == "KRW":  # KRW payins are paid into an APPROVED virtual account
        fields["payer_id"] = _approved_virtual_account(run, amount)["id"]
    payin = run.call("payins.create", **fields)
    run.ids["payin_id"] = payin["id"]
    status = "EXPIRED" if outcome == "expired" else "SUCCESS"
    payin = run.app.call("payins.simulate", payin_id=payin["id"], status=status)
    run.notified(f"PAYIN {status}")
    return payin  # type: ignore[no-any-return]


def _virtual_account(run: _Run, outcome: str) -> dict[str, Any]:
    if run.currency != "KRW":
        raise _unsupported("virtual accounts are issued for KRW only")
    return _approved_virtual_account(run, run.amount(None))


def _approved_virtual_account(run: _Run, amount: Decimal | None) -> dict[str, Any]:
    """Register a KRW virtual account and see it APPROVED (deciding it, when the sandbox waits to be told)."""
    fields: dict[str, Any] = {"payin_method_name": KRW_BANKS[0], "currency": "KRW", "country": "KR", **VA_HOLDER}
    if amount is not None:
        fields["amount"] = amount
    account = run.call("payins.create_virtual_account", **fields)
    run.ids["virtual_account_id"] = account["id"]
    store = run.app.store
    with store.transaction():
        account = store.get("virtual_account", account["id"])
    if account["status"] == "PENDING":  # Sandbox(va_registration="manual")
        account = run.app.call("payins.simulate_virtual_account", virtual_account_id=account["id"], status="APPROVED")
    run.notified("VA APPROVED")
    return account


def _method_for(methods: dict[str, dict[str, Any]], field: str, currency: str, does: str) -> dict[str, Any]:
    """The first method whose ``field`` is ``currency``, or the 422 naming the currencies there are."""
    method = next((m for m in methods.values() if m[field] == currency), None)
    if method is None:
        there = sorted({m[field] for m in methods.values()})
        raise _unsupported(f"no {does} {currency} (choose one of {', '.join(there)})")
    return method


def _unsupported(message: str) -> ApiError:
    return ApiError(422, f"currency: {message}", errors=[{"field": "currency", "message": message}])
