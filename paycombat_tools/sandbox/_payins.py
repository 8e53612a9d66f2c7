"""Payins (create, simulate, expire), KRW virtual accounts, and refunds of successful payins."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..money import format_money, minor_unit
from ._customers import ensure_wallet_usable
from ._errors import ApiError, not_pending
from ._fixtures import COUNTRY_NAMES, KRW_BANKS, PAYIN_FEE_RATE, PAYIN_METHODS, method_summaries
from ._registry import Context, Result, handles, replay
from ._store import iso

DEFAULT_EXPIRY_SECONDS = 172800


def payin_method(name: str, currency: str | None = None) -> dict[str, Any]:
    method = PAYIN_METHODS.get(name)
    if method is None:
        raise ApiError(422, f"payin_method_name: unknown payin method {name!r}",
                       errors=[{"field": "payin_method_name", "message": "unknown payin method"}])
    if currency is not None and method["currency"] != currency.upper():
        raise ApiError(422, f"currency: {name} collects {method['currency']}, not {currency}")
    return method


def payin_fee(amount: Decimal, currency: str) -> Decimal:
    return (amount * PAYIN_FEE_RATE).quantize(Decimal(1).scaleb(-minor_unit(currency)), rounding=ROUND_HALF_UP)


def open_payin(ctx: Context, fields: dict[str, Any], *, ref: str | None) -> dict[str, Any]:
    """Create a PENDING payin from validated fields (used by Create Payin and the checkout)."""
    currency = fields["currency"].upper()
    amount = Decimal(fields["amount"])
    method = payin_method(fields["payin_method_name"], currency)
    if not method["min_amount"] <= amount <= method["max_amount"]:
        raise ApiError(422, f"amount: {amount} {currency} is outside {method['payin_method_name']}'s limits "
                            f"({method['min_amount']} to {method['max_amount']})")
    if currency == "KRW":
        _check_payer(ctx, fields.get("payer_id"))
    credit_wallet = fields.get("credit_wallet_id") or ctx.ledger.org_wallet_id("ORGANIZATION_PAYIN")
    ensure_wallet_usable(ctx, credit_wallet)
    ctx.ledger.balance(credit_wallet, currency)  # refuses a wallet without this currency
    now = ctx.now()
    expire_at = expiry(now, fields.get("expire_at"))
    finmo_id = f"payin_{ctx.store.hex32()}"
    payin = {
        "id": ctx.store.uuid(), "payin_id_finmo": finmo_id, "reply_code_id_pg": finmo_id,
        "merchant_id": ctx.store.meta("merchant_id"), "status": "PENDING",
        "amount": amount, "original_amount": amount, "amount_type": currency, "currency": "FIAT",
        "fee_taken": Decimal(0), "fee_expected": payin_fee(amount, currency),
        "payment_method": method["payin_method_name"], "order_reference": fields.get("order_reference"),
        "organization_reference_id": ref, "payer_id": fields.get("payer_id"),
        "credit_type": "PAYIN", "trx_type": "CHECKOUT_PAYIN" if fields.get("checkout_id") else "DIRECT_PAYIN",
        "customer_id": fields.get("customer_id"), "customer_full_name": fields.get("customer_full_name"),
        "customer_email": fields.get("customer_email"), "customer_phone": fields.get("customer_phone"),
        "checkout_id": fields.get("checkout_id"), "credit_wallet_id": credit_wallet,
        "description": fields.get("description"), "webhook_url": fields.get("webhook_url"),
        "pay_code": f"PAY-{finmo_id[-8:].upper()}", "billing_address_country": method["country"],
        "is_black_list": 0, "refunded_amount": Decimal(0), "expire_at": iso(expire_at),
        "transaction_date": iso(now), "payment_date": None, "created_at": iso(now), "updated_at": iso(now),
        "deleted_at": None,
    }
    return ctx.store.insert("payin", payin, alt_id=finmo_id, ref=ref, expire_at=expire_at.timestamp())


def expiry(now: datetime, expire_at: int | None) -> datetime:
    if expire_at is None:
        return now + timedelta(seconds=DEFAULT_EXPIRY_SECONDS)
    moment = datetime.fromtimestamp(expire_at, tz=timezone.utc)
    if moment <= now:
        raise ApiError(422, "expire_at: must be in the future (epoch seconds)")
    return moment


def _check_payer(ctx: Context, payer_id: str | None) -> None:
    if not payer_id:
        raise ApiError(422, "payer_id: KRW payins need the id of an APPROVED virtual account (Create Virtual Account)")
    account = ctx.store.get("virtual_account", payer_id, label="Virtual account")
    if account["status"] != "APPROVED":
        raise ApiError(422, f"payer_id: virtual account {payer_id} is {account['status']}, not APPROVED")


def settle_payin(ctx: Context, payin: dict[str, Any], status: str) -> dict[str, Any]:
    """Move a PENDING payin to SUCCESS (credit the wallet, take the fee), FAILED or EXPIRED; notify."""
    if payin["status"] != "PENDING":
        raise not_pending("Payin", payin["id"], payin["status"])
    currency, amount, now = payin["amount_type"], Decimal(payin["amount"]), iso(ctx.now())
    if status == "SUCCESS":
        fee = Decimal(payin["fee_expected"])
        wallet = payin["credit_wallet_id"]
        ctx.ledger.post(wallet, currency, amount, amount, kind="PAYIN", reference_id=payin["id"],
                        description=f"Payin {payin['payin_id_finmo']} via {payin['payment_method']}")
        if fee:
            ctx.ledger.post(wallet, currency, -fee, -fee, kind="FEE", reference_id=payin["id"],
                            description="Payin fee")
            ctx.ledger.post(ctx.ledger.org_wallet_id("ORGANIZATION_FEES"), currency, fee, fee, kind="FEE",
                            reference_id=payin["id"], description="Payin fee collected")
        payin.update(fee_taken=fee, payment_date=now)
    payin.update(status=status, updated_at=now)
    ctx.store.update("payin", payin["id"], payin)
    _update_checkout(ctx, payin)
    ctx.notify(payin.get("webhook_url") or _checkout_webhook(ctx, payin), f"PAYIN {status}",
               {**public_payin(payin), "type": "PAYIN"})
    return payin


def _update_checkout(ctx: Context, payin: dict[str, Any]) -> None:
    if not payin.get("checkout_id"):
        return
    checkout = ctx.store.get("checkout", payin["checkout_id"])
    checkout["status"] = {"SUCCESS": "COMPLETED"}.get(payin["status"], payin["status"])
    checkout["updated_at"] = payin["updated_at"]
    ctx.store.update("checkout", checkout["id"], checkout)


def _checkout_webhook(ctx: Context, payin: dict[str, Any]) -> str | None:
    if not payin.get("checkout_id"):
        return None
    return ctx.store.get("checkout", payin["checkout_id"]).get("webhook_url")  # type: ignore[no-any-return]


def public_payin(payin: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in payin.items() if key != "refunded_amount"}


def expire_due(ctx: Context) -> None:
    """Payins and payment requests past their expiry become EXPIRED (a scheduler tick before each request)."""
    now = ctx.now().timestamp()
    for payin in ctx.store.due_for_expiry("payin", now):
        settle_payin(ctx, payin, "EXPIRED")
    for checkout in ctx.store.due_for_expiry("checkout", now):  # those without a payin
        checkout.update(status="EXPIRED", updated_at=iso(ctx.now()))
        ctx.store.update("checkout", checkout["id"], checkout)


@handles("payins.create")
def create_payin(ctx: Context, path: dict[str, str], body: Any) -> Result:
    if earlier := replay(ctx, "payin", "Payin", body):
        return earlier[0], public_payin(earlier[1])
    return "Created", public_payin(open_payin(ctx, body.to_wire(), ref=body.organization_reference_id))


@handles("payins.retrieve")
def retrieve_payin(ctx: Context, path: dict[str, str], body: Any) -> Result:
    return "Success retrieve payin", public_payin(ctx.store.get("payin", path["payin_id"], label="Payin"))


@handles("payins.simulate")
def simulate_payin(ctx: Context, path: dict[str, str], body: Any) -> Result:
    payin = ctx.store.get("payin", body.payin_id, label="Payin")
    return "Payin simulated", public_payin(settle_payin(ctx, payin, body.status or "SUCCESS"))


# -- KRW virtual accounts -----------------------------------------------------------------------------


def issue_virtual_account(ctx: Context, fields: dict[str, Any], *, ref: str | None) -> dict[str, Any]:
    """Register a virtual account; the bank decides at once and the VA Register Callback follows."""
    bank = fields["payin_method_name"]
    if bank not in KRW_BANKS:
        raise ApiError(422, f"payin_method_name: {bank!r} does not issue virtual accounts "
                            f"(choose one of {', '.join(KRW_BANKS)})")
    now = iso(ctx.now())
    account = {
        "id": ctx.store.uuid(), "status": "PENDING", "payin_method_name": bank, "account_bankname": bank,
        "account_number": None, "account_holder": None, "user_name": fields.get("user_name"),
        "user_yymmdd": fields.get("user_yymmdd"), "currency": "KRW", "amount": fields.get("amount"),
        "checkout_id": fields.get("checkout_id"), "webhook_url": fields.get("webhook_url"),
        "reason": None, "created_at": now, "updated_at": now,
    }
    ctx.store.insert("virtual_account", account, ref=ref)
    return account


def register_virtual_account(ctx: Context, account: dict[str, Any], outcome: str | None = None,
                             reason: str | None = None) -> dict[str, Any]:
    """APPROVED when the holder's name and date of birth (YYMMDD) are plausible, else FAILED.

    ``outcome="FAILED"`` fails a plausible registration too (Simulate Create VA).
    """
    problem = _registration_problem(account)
    if outcome == "APPROVED" and problem:
        raise ApiError(422, f"cannot approve virtual account {account['id']}: {problem}")
    if outcome == "FAILED":
        problem = reason or "Registration refused by the bank (simulated)"
    account.update(status="FAILED" if problem else "APPROVED", reason=problem, updated_at=iso(ctx.now()))
    if not problem:
        digits = f"{int(ctx.store.hex32()[:12], 16) % 10**12:012d}"
        account.update(account_number=f"{digits[:3]}-{digits[3:9]}-{digits[9:]}",
                       account_holder=f"PAYCOMBAT {account['user_name']}".upper())
    ctx.store.update("virtual_account", account["id"], account)
    ctx.notify(account.get("webhook_url"), f"VA {account['status']}",
               {key: account[key] for key in ("id", "status", "payin_method_name", "account_bankname",
                                              "account_number", "account_holder", "user_name", "user_yymmdd",
                                              "currency", "amount", "reason", "created_at", "updated_at")})
    return account


def _registration_problem(account: dict[str, Any]) -> str | None:
    birth = account.get("user_yymmdd") or ""
    if not re.fullmatch(r"\d{6}", birth):
        return "user_yymmdd must be the holder's date of birth as YYMMDD"
    try:
        datetime.strptime(birth, "%y%m%d")
    except ValueError:
        return f"user_yymmdd {birth} is not a real date"
    if not (account.get("user_name") or "").strip():
        return "user_name is required"
    return None


@handles("payins.create_virtual_account")
def create_virtual_account(ctx: Context, path: dict[str, str], body: Any) -> Result:
    if body.currency.upper() != "KRW" or body.country.upper() != "KR":
        raise ApiError(422, "currency/country: virtual accounts are issued for KRW in KR only")
    if earlier := replay(ctx, "virtual_account", "Virtual account", body):
        return earlier
    account = issue_virtual_account(ctx, body.to_wire(), ref=body.organization_reference_id)
    response = dict(account)
    if ctx.store.meta("va_registration") != "manual":  # the bank decides at once unless a test drives it
        register_virtual_account(ctx, account)
    return "Created", response


@handles("payins.simulate_virtual_account")
def simulate_virtual_account(ctx: Context, path: dict[str, str], body: Any) -> Result:
    """Decide a PENDING registration: APPROVED needs a plausible holder, FAILED takes a reason."""
    account = ctx.store.get("virtual_account", body.virtual_account_id, label="Virtual account")
    if account["status"] != "PENDING":
        raise not_pending("Virtual account", account["id"], account["status"])
    return "Virtual account simulated", register_virtual_account(ctx, account, body.status, body.reason)


# -- refunds --------------------------------------------------------------------------------------------


@handles("refunds.create")
def create_refund(ctx: Context, path: dict[str, str], body: Any) -> Result:
    if earlier := replay(ctx, "refund", "Refund", body):
        return earlier
    payin = ctx.store.get("payin", body.payin_id, label="Payin")
    currency = payin["amount_type"]
    if payin["status"] != "SUCCESS":
        raise ApiError(409, f"Payin {payin['id']} is {payin['status']}; only SUCCESS payins can be refunded")
    if body.currency.upper() != currency:
        raise ApiError(422, f"currency: payin {payin['id']} was paid in {currency}")
    refundable = Decimal(payin["amount"]) - Decimal(payin["refunded_amount"])
    if body.amount > refundable:
        raise ApiError(422, f"amount: {format_money(body.amount, currency)} exceeds the refundable "
                            f"{format_money(refundable, currency)}")
    ctx.ledger.post(payin["credit_wallet_id"], currency, -body.amount, -body.amount, kind="REFUND",
                    reference_id=payin["id"], description=f"Refund of payin {payin['payin_id_finmo']}")
    payin.update(refunded_amount=Decimal(payin["refunded_amount"]) + body.amount, updated_at=iso(ctx.now()))
    ctx.store.update("payin", payin["id"], payin)
    now = iso(ctx.now())
    refund = {
        "id": ctx.store.uuid(), "payin_id": payin["id"], "merchant_id": ctx.store.meta("merchant_id"),
        "amount": body.amount, "currency": currency, "comment": None, "status": "SUCCESS",
        "organization_reference_id": body.organization_reference_id, "created_at": now, "updated_at": now,
        "deleted_at": None,
    }
    return "Created", ctx.store.insert("refund", refund, ref=body.organization_reference_id)


# -- methods ------------------------------------------------------------------------------------------------


@handles("payin_methods.list")
def list_payin_methods(ctx: Context, path: dict[str, str], params: Any) -> Result:
    return "OK", method_summaries(PAYIN_METHODS, params, country_field="country",
                                  details=("payin_method_param", "payin_method_instruction"))


@handles("payin_methods.required_fields")
def payin_required_fields(ctx: Context, path: dict[str, str], body: Any) -> Result:
    method = PAYIN_METHODS.get(path["payin_method_name"])
    if method is None:
        raise ApiError(404, f"Payin method {path['payin_method_name']!r} not found")
    return "OK", {**method, "country_name": COUNTRY_NAMES[method["country"]]}
