"""What a person approves: one line per action, rendered by templates from the recorded arguments.

The model never writes these. Free text that came from the model (a name, a description) is shown
quoted and shortened, so it reads as data; account numbers are masked to their last four digits;
the merchant token a checkout_url carries (``identifier=``) is hidden wherever it appears.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from paycombat_tools.money import MoneyError, to_decimal, with_minor_unit
from paycombat_tools.redaction import redact

from .text import neutralise

__all__ = ["ROUTING_FIELDS", "render_summary", "format_money", "mask", "quote"]

Args = Mapping[str, Any]
Shown = set[str]

#: Bank details that say where a payout goes, in the order shown; account numbers and IBANs are masked.
_BANK = (("bsb", "BSB"), ("bank_code", "bank code"), ("bank_name", "bank"), ("bank_country", "bank country"),
         ("branch_code", "branch"), ("bic_swift", "BIC"), ("sort_code", "sort code"), ("aba", "ABA"),
         ("ifsc", "IFSC"), ("pay_id_type", "PayID type"), ("pay_id", "PayID"), ("proxy_type", "proxy type"),
         ("proxy_value", "proxy"))
_MASKED = (("account_number", "acct"), ("iban", "IBAN"))
_MASKED_KEYS = frozenset(key for key, _ in _MASKED)

#: Arguments that change where money comes from, who receives it, or where data goes, with their label.
#: Every summary names each one present (at any depth) that its template did not already show.
ROUTING_FIELDS: dict[str, str] = {
    "debit_wallet_id": "paid from wallet", "fees_wallet_id": "fees from wallet", "credit_wallet_id": "into wallet",
    "webhook_url": "webhook to", "redirect_url": "payer redirected to", "advanced_redirect_url": "payer redirects",
    "receipt_email": "receipt to", "customer_email": "customer email", "customer_phone": "customer phone",
    "email": "email", "company_email": "company email", "phone_number": "phone", "phone_country_code": "phone code",
    "customer_id": "customer", "payer_id": "payer", "checkout_id": "payment request", "payin_id": "payin",
    "payout_id": "payout", "virtual_account_id": "virtual account", "beneficiary_id": "beneficiary",
    "payout_beneficiary_id": "saved beneficiary", "payout_method_name": "payout method",
    "payin_method_name": "payin method", "payout_method_param": "payout method details",
    "payin_method_param": "payin method details", "sender_country": "sender country",
    "beneficiary_country": "beneficiary country", "beneficiary_currency": "beneficiary currency",
    "beneficiary_amount": "beneficiary amount", "user_name": "account holder",
    **{key: label for key, label in _BANK}, **{key: label for key, label in _MASKED},
}
#: Capabilities (a checkout token pays or cancels a request): named, never shown.
_SECRET = re.compile(r"token|secret|password|signature", re.IGNORECASE)
_ESCAPE_START = "\u27e8"


def _plain(value: Any) -> str:
    """A value as one line of visible text: hidden characters (and newlines) as ``⟨U+XXXX⟩`` escapes."""
    if isinstance(value, (Mapping, list, tuple)):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return neutralise("" if value is None else value)


def format_money(amount: Any, currency: Any) -> str:
    """``AUD 40.00``: the amount with its currency's minor unit (never rounded)."""
    code = _plain(str(currency or "").upper())
    try:
        return f"{code} {with_minor_unit(to_decimal(amount), str(currency or ''))}"
    except (MoneyError, TypeError):
        return f"{code} {_plain(amount)}".strip()


def mask(value: Any) -> str:
    """``****5678``: only the last four characters of an account identifier (hidden ones as escapes)."""
    text = str(value or "")
    return "****" + neutralise(text[-4:]) if len(text) > 4 else "****"


def quote(text: Any, limit: int | None = 60) -> str:
    """Model-supplied text as a quoted single line, hidden characters shown; shortened to ``limit`` if given."""
    flat = " ".join(_plain(text).split())
    if limit is not None and len(flat) > limit:
        flat = flat[: limit - 1]
        if _ESCAPE_START in flat[-9:] and "\u27e9" not in flat[flat.rindex(_ESCAPE_START):]:
            flat = flat[: flat.rindex(_ESCAPE_START)]  # never cut an escape in half
        flat += "…"
    return '"' + flat.replace('"', "'") + '"'


def _full(value: Any) -> str:
    """A routing value (URL, wallet id, email) quoted in full: shortening could hide the part that matters."""
    return quote(value, None)


def _holder(params: Args) -> str:
    company = params.get("company") or {}
    person = params.get("individual") or {}
    name = company.get("name") or " ".join(str(p) for p in (person.get("first_name"), person.get("last_name")) if p)
    return quote(name) if name else "an unnamed holder"


def _account(params: Args, shown: Shown | None = None, prefix: str = "") -> str:
    parts = []
    for key, label in _BANK:
        if params.get(key):
            parts.append(f"{label} {quote(params[key], 40)[1:-1]}")
    for key, label in _MASKED:
        if params.get(key):
            parts.append(f"{label} {mask(params[key])}")
    if shown is not None:
        shown.update(prefix + key for key, _ in (*_BANK, *_MASKED))
    return ", ".join(parts)


def _extras(args: Args, *fields: str, shown: Shown | None = None) -> str:
    shown_here = [f"{name.replace('_', ' ')} {quote(args[name])}" for name in fields if args.get(name)]
    if shown is not None:
        shown.update(fields)
    return (", " + ", ".join(shown_here)) if shown_here else ""


def _walk(value: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    """(dotted path, key, value) of every field, depth first."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            yield where, str(key), item
            if isinstance(item, Mapping):
                yield from _walk(item, where)
            elif isinstance(item, (list, tuple)):
                for index, element in enumerate(item):
                    yield from _walk(element, f"{where}[{index}]")


def _routing(args: Args, shown: Shown) -> str:
    """``; also: webhook to "https://…", paid from wallet "w_…"``: the routing fields the template left out."""
    extra = []
    for path, key, value in _walk(args):
        if key not in ROUTING_FIELDS or path in shown or value is None or value == "":
            continue
        where = path.rsplit(".", 1)[0].split(".")[-1].replace("_", " ") + " " if "." in path else ""
        shown_value = mask(value) if key in _MASKED_KEYS else _full(value)
        extra.append(f"{_plain(where)}{ROUTING_FIELDS[key]} {shown_value}")
    return ("; also: " + ", ".join(extra)) if extra else ""


def _payout(args: Args, facts: Args, shown: Shown) -> str:
    money = format_money(args.get("sender_amount"), args.get("sender_currency"))
    method = _plain(args.get("payout_method_name"))
    params = args.get("payout_beneficiary_param")
    shown.update({"sender_amount", "sender_currency", "payout_method_name", "purpose_code",
                  "payout_beneficiary_id", "payout_beneficiary_param.individual.first_name",
                  "payout_beneficiary_param.individual.last_name", "payout_beneficiary_param.company.name"})
    if params:
        account = _account(params, shown, "payout_beneficiary_param.")
        to = f"{_holder(params)} ({method}{', ' + account if account else ''})"
    else:
        name = f" {quote(facts['beneficiary_name'])}" if facts.get("beneficiary_name") else ""
        to = f"saved beneficiary {_plain(args.get('payout_beneficiary_id'))}{name} ({method})"
    received = ""
    if (args.get("beneficiary_amount"), str(args.get("beneficiary_currency") or "").upper()) == (
            args.get("sender_amount"), str(args.get("sender_currency") or "").upper()):
        shown.update({"beneficiary_amount", "beneficiary_currency"})
    elif args.get("beneficiary_amount") is not None:
        paid = format_money(args["beneficiary_amount"], args.get("beneficiary_currency"))
        received = f", the beneficiary receives {paid}"
        shown.update({"beneficiary_amount", "beneficiary_currency"})
    return (f"Pay {money} to {to}{received}, purpose {_plain(args.get('purpose_code'))}"
            + _extras(args, "description", shown=shown))


def _payin(args: Args, facts: Args, shown: Shown) -> str:
    who = f" from customer {_plain(args['customer_id'])}" if args.get("customer_id") else ""
    who += f" from payer {_plain(args['payer_id'])} (virtual account)" if args.get("payer_id") else ""
    shown.update({"amount", "currency", "payin_method_name", "customer_id", "payer_id"})
    return (f"Collect {format_money(args.get('amount'), args.get('currency'))} via "
            f"{_plain(args.get('payin_method_name'))}{who}"
            + _extras(args, "customer_full_name", "description", shown=shown))


def _count(items: Any, one: str, many: str) -> str:
    number = len(items or [])
    return f"{number} {one if number == 1 else many}" if number else ""


def _payment_request(args: Args, facts: Args, shown: Shown) -> str:
    who = f" for customer {_plain(args['customer_id'])}" if args.get("customer_id") else ""
    order = " + ".join(part for part in (_count(args.get("order_items"), "order item", "order items"),
                                         _count(args.get("order_fees"), "fee", "fees")) if part)
    method = f" via {_plain(args['payin_method_name'])}" if args.get("payin_method_name") else ""
    shown.update({"amount", "currency", "country_code", "payin_method_name", "customer_id"})
    return (f"Request {format_money(args.get('amount'), args.get('currency'))} from a payer in "
            f"{_plain(args.get('country_code'))} with a hosted checkout page{method}{who}"
            + (f" ({order})" if order else "") + _extras(args, "description", shown=shown))


def _cancel(args: Args, facts: Args, shown: Shown) -> str:
    what = _plain(facts["checkout_id"]) if facts.get("checkout_id") else "(unknown id)"
    detail = ""
    if facts.get("amount") is not None:
        detail = f" for {format_money(facts['amount'], facts.get('currency'))}"
    if facts.get("description"):
        detail += f" {quote(facts['description'])}"
    return f"Cancel payment request {what}{detail} (the payer can no longer pay it)"


def _refund(args: Args, facts: Args, shown: Shown) -> str:
    reason = f", reason {quote(facts['reason'])} (for the record; not sent)" if facts.get("reason") else ""
    shown.update({"amount", "currency", "payin_id"})
    return (f"Refund {format_money(args.get('amount'), args.get('currency'))} of payin {_plain(args.get('payin_id'))}"
            + reason)


def _beneficiary_create(args: Args, facts: Args, shown: Shown) -> str:
    account = _account(args, shown)
    shown.update({"payout_method_name", "currency"})
    return (f"Save {_plain(args.get('type'))} beneficiary {quote(args.get('beneficiary_name'))} for "
            f"{_plain(args.get('payout_method_name') or 'any method')} in "
            f"{_plain(args.get('currency') or 'any currency')}{': ' + account if account else ''}")


def _beneficiary_update(args: Args, facts: Args, shown: Shown) -> str:
    changes = []
    if args.get("beneficiary_name"):
        changes.append(f"name {quote(args['beneficiary_name'])}")
    for key in ("payout_method_name", "currency"):
        if args.get(key):
            changes.append(f"{key.replace('_', ' ')} {_plain(args[key])}")
    if args.get("individual") or args.get("company"):
        changes.append(f"holder {_holder(args)}")
    account = _account(args, shown)
    if account:
        changes.append(account)
    if args.get("is_active") is not None:
        changes.append("active" if args["is_active"] else "inactive")
    shown.update({"beneficiary_id", "payout_method_name", "currency"})
    return f"Change beneficiary {_plain(args.get('beneficiary_id'))}: " + ("; ".join(changes) or "no changes")


def _customer(verb: str, effect: str) -> Callable[[Args, Args, Shown], str]:
    def render(args: Args, facts: Args, shown: Shown) -> str:
        name = f" {quote(facts['name'])}" if facts.get("name") else ""
        shown.add("customer_id")
        return f"{verb} customer {_plain(args.get('customer_id'))}{name} ({effect})"

    return render


def _generic(operation: str, arguments: Args, shown: Shown) -> str:
    """Every argument: routing values in full, other text shortened, capabilities (tokens) named only."""
    fields = []
    for key, value in arguments.items():
        if _SECRET.search(str(key)):
            shown_value = "<hidden>"
        elif key in _MASKED_KEYS:
            shown_value = mask(value)
        elif key in ROUTING_FIELDS:
            shown_value = _full(value)
        else:
            shown_value = quote(value, 30)
        fields.append(f"{_plain(key)}={shown_value}")
        shown.add(str(key))
    return f"Run {_plain(operation)} with {', '.join(fields) or 'no arguments'}"


_TEMPLATES: dict[str, Callable[[Args, Args, Shown], str]] = {
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
    """The approval line for an action (a generic one for operations without a template), hidden characters shown.

    It names every argument that changes the source of funds, the payee or where data goes
    (``ROUTING_FIELDS``), at any depth, even when the template has no words for it.
    """
    shown: Shown = set()
    template = _TEMPLATES.get(operation)
    text = (_generic(operation, arguments, shown) if template is None
            else template(arguments, facts or {}, shown))
    return redact(neutralise(text + _routing(arguments, shown)))
