"""The hosted checkout page: a real HTML page where a person picks a method and pays (or fails)."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from ..money import format_money
from ._fixtures import KRW_BANKS, PAYIN_METHODS

_STYLE = """
body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0}
main{max-width:440px;margin:48px auto;background:#fff;border-radius:12px;padding:28px;box-shadow:0 2px 12px #0002}
h1{font-size:20px;margin:0 0 4px} .amount{font-size:32px;font-weight:600;margin:16px 0}
.badge{display:inline-block;padding:2px 10px;border-radius:10px;background:#eef;font-size:13px}
label{display:block;padding:10px;border:1px solid #ddd;border-radius:8px;margin:8px 0;cursor:pointer}
button{font-size:16px;padding:10px 18px;border-radius:8px;border:0;margin:12px 8px 0 0;cursor:pointer}
#pay{background:#1f6feb;color:#fff} #fail{background:#eee} .note{color:#666;font-size:12px;margin-top:18px}
"""


def hosted_page_url(base_url: str, checkout_token: str, identifier: str) -> str:
    """The checkout_url in the documented shape: ``…/?token=<checkout_token>&identifier=<X-token>``."""
    return f"{base_url}/checkout/?{urlencode({'token': checkout_token, 'identifier': identifier})}"


def hosted_pay_url(checkout_url: str) -> str:
    """Where the sandbox's hosted page posts "Pay now" / "Fail payment" (for scripts and tests)."""
    parts = urlsplit(checkout_url)
    token = parse_qs(parts.query).get("token", [""])[0]
    return urlunsplit((parts.scheme, parts.netloc, "/checkout/pay", urlencode({"token": token}), ""))


def methods_for(currency: str) -> list[tuple[str, str]]:
    if currency == "KRW":
        return [(bank, f"Virtual account at {bank}") for bank in KRW_BANKS]
    return [(name, method["payin_method_description"]) for name, method in PAYIN_METHODS.items()
            if method["currency"] == currency and not method["is_va_allowed"]]


def checkout_page(checkout: dict[str, Any], *, message: str | None = None) -> str:
    """The page at a payment request's ``checkout_url``."""
    body = [f"<h1>{escape(checkout.get('description') or 'Payment request')}</h1>",
            f"<div class='amount'>{escape(format_money(checkout['amount'], checkout['currency']))}</div>",
            f"<span class='badge' id='status'>{escape(checkout['status'])}</span>"]
    if message:
        body.append(f"<p id='message'>{escape(message)}</p>")
    if checkout["status"] == "PENDING":
        body.append(_form(checkout))
    elif checkout.get("redirect_url"):
        body.append(f"<p><a id='return' href='{escape(checkout['redirect_url'])}'>Return to the merchant</a></p>")
    body.append("<p class='note'>PayCombat sandbox: no real money moves.</p>")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>PayCombat checkout</title>"
            f"<style>{_STYLE}</style></head><body><main>{''.join(body)}</main></body></html>")


def _form(checkout: dict[str, Any]) -> str:
    chosen = checkout.get("payin_method_name")
    options = "".join(
        f"<label><input type='radio' name='payin_method_name' value='{escape(name)}'"
        f"{' checked' if name == chosen or (not chosen and index == 0) else ''}> {escape(label)}</label>"
        for index, (name, label) in enumerate(methods_for(checkout["currency"]))
    )
    return (f"<form method='post' action='/checkout/pay?token={escape(checkout['checkout_token'])}'>{options}"
            "<button id='pay' name='outcome' value='SUCCESS'>Pay now</button>"
            "<button id='fail' name='outcome' value='FAILED'>Fail payment</button></form>")
