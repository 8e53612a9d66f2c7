"""What a person approves: one line per action, rendered by templates from the recorded arguments.

The model never writes these. Free text that came from the model (a name, a description) is shown
quoted and shortened, so it reads as data; account numbers are masked to their last four digits;
the merchant token a checkout_url carries (``identifier=``) is hidden wherever it appears.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from paycombat_tools.money import MoneyError, minor_unit, to_decimal
from paycombat_tools.redaction import redact

__all__ = ["render_summary", "format_money", "mask", "quote"]

Args = Mapping[str, Any]


def format_money(amount: Any, currency: Any) -> str:
    """``AUD 40.00``: the amount with its currency's minor unit (never rounded)."""
    code = str(currency or "").upper()
    try:
        value = to_decimal(amount)
        places = minor_unit(code)
    except (MoneyError, TypeError):
        return f"{code} {amount}".strip()
    quantum = Decimal(1).scaleb(-places)
    return f"{code} {value.quantize(quantum) if value == value.quantize(quantum) else value}"


def mask(value: Any) -> str:
    """``****5678``: only the last four characters of an account identifier."""
    text = str(value or "")
    return "****" + text[-4:] if len(text) > 4 else "****"


def quote(text: Any, limit: int = 60) -> str:
    """Model-supplied text as a short, single-line, quoted string."""
    flat = " ".join(str(text).split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return '"' + flat.replace('"', "'") + '"'


def _holder(params: Args) -> str:
    company = params.get("company") or {}
    person = params.get("individual") or {}
    name = company.get("name") or " ".join(p for p in (person.get("first_name"), person.get("last_name")) if p)
    return quote(name) if name else "an unnamed holder"


def _account(params: Args) -> str:
    parts = []
    for key, label in (("bsb", "BSB"), ("bank_code", "bank code"), ("bank_name", "bank"), ("bic_swift", "BIC"),
                       ("sort_code", "sort code"), ("aba", "ABA"), ("ifsc", "IFSC")):
        if params.get(key):
            parts.append(f"{label} {quote(params[key], 20)[1:-1]}")
    if params.get("account_number"):
        parts.append(f"acct {mask(params['account_number'])}")
    if params.get("iban"):
        parts.append(f"IBAN {mask(params['iban'])}")
    return ", ".join(parts)


def _extras(args: Args, *fields: str) -> str:
    shown = [f"{name.replace('_', ' ')} {quote(args[name])}" for name in fields if args.get(name)]
    return (", " + ", ".join(shown)) if shown else ""


def _payout(args: Args, facts: Args) -> str:
    money = format_money(args.get("sender_amount"), args.get("sender_currency"))
    method = args.get("payout_method_name")
    params = args.get("payout_beneficiary_param")
    if params:
        account = _account(params)
        to = f"{_holder(params)} ({method}{', ' + account if account else ''})"
    else:
        name = f" {quote(facts['beneficiary_name'])}" if facts.get("beneficiary_name") else ""
        to = f"saved beneficiary {args.get('payout_beneficiary_id')}{name} ({method})"
    return f"Pay {money} to {to}, purpose {args.get('purpose_code')}" + _extras(args, "description")


def _payin(args: Args, facts: Args) -> str:
    who = f" from customer {args['customer_id']}" if args.get("customer_id") else ""
    return (f"Collect {format_money(args.get('amount'), args.get('currency'))} via {args.get('payin_method_name')}"
            f"{who}" + _extras(args, "customer_full_name", "description"))


def _count(items: Any, one: str, many: str) -> str:
    number = len(items or [])
    return f"{number} {one if number == 1 else many}" if number else ""


def _payment_request(args: Args, facts: Args) -> str:
    who = f" for customer {args['customer_id']}" if args.get("customer_id") else ""
    order = " + ".join(part for part in (_count(args.get("order_items"), "order item", "order items"),
                                         _count(args.get("order_fees"), "fee", "fees")) if part)
    method = f" via {args['payin_method_name']}" if args.get("payin_method_name") else ""
    return (f"Request {format_money(args.get('amount'), args.get('currency'))} from a payer in "
            f"{args.get('country_code')} with a hosted checkout page{method}{who}"
            + (f" ({order})" if order else "") + _extras(args, "description"))


def _cancel(args: Args, facts: Args) -> str:
    what = facts.get("checkout_id") or "(unknown id)"
    detail = ""
    if facts.get("amount") is not None:
        detail = f" for {format_money(facts['amount'], facts.get('currency'))}"
    if facts.get("description"):
        detail += f" {quote(facts['description'])}"
    return f"Cancel payment request {what}{detail} (the payer can no longer pay it)"


def _refund(args: Args, facts: Args) -> str:
    reason = f", reason {quote(facts['reason'])} (for the record; not sent)" if facts.get("reason") else ""
    return (f"Refund {format_money(args.get('amount'), args.get('currency'))} of payin {args.get('payin_id')}"
            + reason)


def _beneficiary_create(args: Args, facts: Args) -> str:
    account = _account(args)
    return (f"Save {args.get('type')} beneficiary {quote(args.get('beneficiary_name'))} for "
            f"{args.get('payout_method_name') or 'any method'} in {args.get('currency') or 'any currency'}"
            f"{': ' + account if account else ''}")


def _beneficiary_update(args: Args, facts: Args) -> str:
    changes = []
    if args.get("beneficiary_name"):
        changes.append(f"name {quote(args['beneficiary_name'])}")
    for key in ("payout_method_name", "currency"):
        if args.get(key):
            changes.append(f"{key.replace('_', ' ')} {args[key]}")
    if args.get("individual") or args.get("company"):
        changes.append(f"holder {_holder(args)}")
    account = _account(args)
    if account:
        changes.append(account)
    if args.get("is_active") is not None:
        changes.append("active" if args["is_active"] else "inactive")
    return f"Change beneficiary {args.get('beneficiary_id')}: " + ("; ".join(changes) or "no changes")


def _customer(verb: str, effect: str) -> Callable[[Args, Args], str]:
    def render(args: Args, facts: Args) -> str:
        name = f" {quote(facts['name'])}" if facts.get("name") else ""
        return f"{verb} customer {args.get('customer_id')}{name} ({effect})"

    return render


_TEMPLATES: dict[str, Callable[[Args, Args], str]] = {
    "payouts.create": _payout,
    "payins.create": _payin,
    "checkouts.create_payment_request": _payment_request,
    "checkouts.cancel": _cancel,
    "refunds.create": _refund,
    "beneficiaries.create": _beneficiary_create,
    "beneficiaries.update": _beneficiary_update,
    "customers.disable": _customer("Disable", "no new payins or payouts"),
    "customers.delete": _customer("Delete", "soft delete; the customer disappears from look-ups"),
}


def render_summary(operation: str, arguments: Args, facts: Args | None = None) -> str:
    """The approval line for an action; a generic one for operations without a template."""
    template = _TEMPLATES.get(operation)
    if template is None:
        fields = ", ".join(f"{key}={quote(value, 30)}" for key, value in arguments.items())
        return redact(f"Run {operation} with {fields or 'no arguments'}")
    return redact(template(arguments, facts or {}))
