"""Payment requests and the hosted checkout's steps (choose a method, KRW virtual account, cancel)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ._errors import ApiError
from ._fixtures import COUNTRY_CURRENCY, COUNTRY_NAMES, KRW_BANKS
from ._pages import hosted_page_url
from ._payins import expiry, issue_virtual_account, open_payin, payin_method, register_virtual_account
from ._registry import Context, Result, equal_to, handles, json_field, record_page, replay
from ._store import iso


def checkout_by_token(ctx: Context, token: str) -> dict[str, Any]:
    return ctx.store.get("checkout", token, label="Checkout")


def _open(checkout: dict[str, Any]) -> None:
    if checkout["status"] != "PENDING":
        raise ApiError(409, f"Checkout {checkout['id']} is {checkout['status']}; only PENDING checkouts can change")


@handles("checkouts.create_payment_request")
def create_payment_request(ctx: Context, path: dict[str, str], body: Any) -> Result:
    if earlier := replay(ctx, "checkout", "Payment request", body):
        return earlier
    country, currency = body.country_code.upper(), body.currency.upper()
    if COUNTRY_CURRENCY.get(country) != currency:
        raise ApiError(422, f"country_code: {country} does not use {currency}",
                       errors=[{"field": "country_code", "message": f"{country} does not use {currency}"}])
    if body.payin_method_name:
        payin_method(body.payin_method_name, currency)
    now = ctx.now()
    expire_at = expiry(now, body.expire_at)
    token = ctx.store.hex32() + ctx.store.hex32()
    wire = body.to_wire()
    checkout = {
        "id": ctx.store.uuid(), "checkout_token": token,
        "checkout_url": hosted_page_url(ctx.base_url, token, ctx.identifier),
        "amount": body.amount, "currency": currency, "country_code": country,
        "country_name": COUNTRY_NAMES[country], "payin_method_name": body.payin_method_name, "payin_type": None,
        "description": body.description, "merchant_id": ctx.store.meta("merchant_id"),
        "customer_id": body.customer_id, "redirect_url": body.redirect_url,
        "advanced_redirect_url": body.advanced_redirect_url, "webhook_url": body.webhook_url,
        "expire_at": iso(expire_at), "additional_info": body.additional_info or {},
        "order_summary": {"order_items": wire.get("order_items", []), "order_fees": wire.get("order_fees", []),
                          "total_amount": body.amount},
        "created_at": iso(now), "updated_at": iso(now), "deleted_at": None,
        # sandbox only: the docs show no checkout status and no payin link
        "status": "PENDING", "payin_id": None, "organization_reference_id": body.organization_reference_id,
    }
    return "Created", ctx.store.insert("checkout", checkout, alt_id=token, ref=body.organization_reference_id,
                                       expire_at=expire_at.timestamp())


#: What Create New Checkout answers (EVIDENCE S11), plus the sandbox-only status and payin link.
_CHOICE_FIELDS = ("id", "checkout_token", "amount", "currency", "country_code", "country_name", "payin_method_name",
                  "payin_type", "description", "merchant_id", "customer_id", "redirect_url", "advanced_redirect_url",
                  "expire_at", "additional_info", "created_at", "updated_at", "deleted_at", "status", "payin_id")


def choice_answer(checkout: dict[str, Any]) -> dict[str, Any]:
    return {name: checkout.get(name) for name in _CHOICE_FIELDS}


def choose_method(ctx: Context, token: str, method_name: str) -> dict[str, Any]:
    """The hosted page's "pay with X": opens the checkout's payin (once; repeats return it)."""
    checkout = checkout_by_token(ctx, token)
    if checkout.get("payin_id") and checkout["payin_method_name"] == method_name:
        return checkout
    _open(checkout)
    if checkout.get("payin_id"):
        raise ApiError(409, f"Checkout {checkout['id']} already has a payin with {checkout['payin_method_name']}")
    fields = {"amount": checkout["amount"], "currency": checkout["currency"], "payin_method_name": method_name,
              "checkout_id": checkout["id"], "customer_id": checkout.get("customer_id"),
              "description": checkout.get("description")}
    if checkout["currency"] == "KRW":
        account = issue_virtual_account(ctx, {"payin_method_name": method_name, "user_name": "CHECKOUT PAYER",
                                              "user_yymmdd": "900101", "amount": checkout["amount"],
                                              "checkout_id": checkout["id"]}, ref=None)
        register_virtual_account(ctx, account)
        fields["payer_id"] = account["id"]
        checkout["virtual_account_id"] = account["id"]
    expire = datetime.fromisoformat(checkout["expire_at"].replace("Z", "+00:00"))
    fields["expire_at"] = int(expire.timestamp())
    payin = open_payin(ctx, fields, ref=None)
    checkout.update(payin_method_name=method_name, payin_id=payin["id"], payin_type="CHECKOUT_PAYIN",
                    updated_at=iso(ctx.now()))
    return ctx.store.update("checkout", checkout["id"], checkout)


@handles("checkouts.create_new_checkout")
def create_new_checkout(ctx: Context, path: dict[str, str], body: Any) -> Result:
    checkout = checkout_by_token(ctx, body.checkout_token)
    payin_method(body.payin_method_name, checkout["currency"])
    return "OK", choice_answer(choose_method(ctx, body.checkout_token, body.payin_method_name))


@handles("checkouts.create_virtual_account_krw")
def create_virtual_account_krw(ctx: Context, path: dict[str, str], body: Any) -> Result:
    checkout = checkout_by_token(ctx, body.checkout_token)
    if checkout["currency"] != "KRW":
        raise ApiError(422, f"checkout_token: checkout {checkout['id']} is in {checkout['currency']}, not KRW")
    if body.payin_method_name not in KRW_BANKS:
        raise ApiError(422, f"payin_method_name: choose one of {', '.join(KRW_BANKS)}")
    return "OK", choice_answer(choose_method(ctx, body.checkout_token, body.payin_method_name))


@handles("checkouts.va_bank_information")
def va_bank_information(ctx: Context, path: dict[str, str], params: Any) -> Result:
    banks = [{"payin_method_name": bank, "bank_name": bank, "bank_code": f"{index + 1:03d}"}
             for index, bank in enumerate(KRW_BANKS)]
    account = None
    if params.checkout_token:
        checkout = checkout_by_token(ctx, params.checkout_token)
        if checkout.get("virtual_account_id"):
            account = ctx.store.get("virtual_account", checkout["virtual_account_id"])
    return "OK", {"banks": banks, "virtual_account": account}


@handles("checkouts.cancel")
def cancel_checkout(ctx: Context, path: dict[str, str], body: Any) -> Result:
    checkout = checkout_by_token(ctx, body.checkout_token)
    _open(checkout)
    now = iso(ctx.now())
    if checkout.get("payin_id"):
        payin = ctx.store.get("payin", checkout["payin_id"])
        payin.update(status="CANCELLED", updated_at=now)
        ctx.store.update("payin", payin["id"], payin)
    checkout.update(status="CANCELLED", updated_at=now)
    return "Checkout cancelled", ctx.store.update("checkout", checkout["id"], checkout)


@handles("checkouts.retrieve")
def retrieve_checkout(ctx: Context, path: dict[str, str], body: Any) -> Result:
    return "OK", checkout_by_token(ctx, path["checkout_id"])


@handles("checkouts.list")
def list_checkouts(ctx: Context, path: dict[str, str], params: Any) -> Result:
    filters = equal_to(params, {"status": "r.status", "currency": json_field("currency")})
    return "OK", record_page(ctx, "checkout", params, filters)
