"""Payouts (reserve, complete or fail and return the funds), beneficiaries and payout methods."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

from ._customers import ensure_wallet_usable
from ._errors import ApiError, not_pending
from ._fixtures import PAYOUT_FEE, PAYOUT_METHODS, method_summaries
from ._registry import Context, Result, equal_to, handles, json_field, record_page, replay
from ._store import iso


def payout_method(name: str) -> dict[str, Any]:
    method = PAYOUT_METHODS.get(name)
    if method is None:
        raise ApiError(422, f"payout_method_name: unknown payout method {name!r}",
                       errors=[{"field": "payout_method_name", "message": "unknown payout method"}])
    return method


def beneficiary_problems(method: dict[str, Any], params: dict[str, Any], kind: str) -> list[dict[str, str]]:
    """Check beneficiary details against the method's required-field rules (the docs' regexes)."""
    groups = method["payout_beneficiary_param"]
    checks = [(spec, params.get(spec["name"]), spec["name"]) for spec in groups["base_param"]]
    holder = params.get(kind) or {}
    checks += [(spec, holder.get(spec["name"]), f"{kind}.{spec['name']}") for spec in groups[kind]]
    problems = []
    for spec, value, where in checks:
        if value in (None, ""):
            if spec["mandatory"]:
                problems.append({"field": where, "message": f"is required ({spec['field_description']})"})
        elif not re.fullmatch(spec["regex"], str(value)):
            problems.append({"field": where, "message": f"must match {spec['regex']}: {spec['regex_description']}"})
    return problems


def _holder_kind(params: dict[str, Any]) -> str:
    return "company" if params.get("company") and not params.get("individual") else "individual"


def _refuse(problems: list[dict[str, str]]) -> None:
    if problems:
        text = "; ".join(f"{p['field']} {p['message']}" for p in problems)
        raise ApiError(422, f"payout_beneficiary_param: {text}", errors=problems)


def _holder_name(params: dict[str, Any]) -> str:
    if params.get("company"):
        return str(params["company"].get("name") or "")
    person = params.get("individual") or {}
    return " ".join(part for part in (person.get("first_name"), person.get("last_name")) if part)


@handles("payouts.create")
def create_payout(ctx: Context, path: dict[str, str], body: Any) -> Result:
    if earlier := replay(ctx, "payout", "Payout", body, "order_id"):
        return earlier
    method = payout_method(body.payout_method_name)
    currency = body.sender_currency.upper()
    if currency != method["sender_currency"] or body.beneficiary_currency.upper() != method["beneficiary_currency"]:
        raise ApiError(422, f"sender_currency/beneficiary_currency: {method['payout_method_name']} pays "
                            f"{method['sender_currency']} to {method['beneficiary_currency']}")
    if body.sender_amount != body.beneficiary_amount:
        raise ApiError(422, "beneficiary_amount: must equal sender_amount for a same-currency payout")
    params = _beneficiary_params(ctx, body)
    _refuse(beneficiary_problems(method, params, _holder_kind(params)))
    wallet = body.debit_wallet_id or ctx.ledger.org_wallet_id("ORGANIZATION_PAYOUT")
    ensure_wallet_usable(ctx, wallet)
    fee = PAYOUT_FEE.get(currency, Decimal(1))
    now = ctx.now()
    payout_id, finmo_id = ctx.store.uuid(), f"payout_{ctx.store.hex32()}"
    hold = ctx.ledger.post(wallet, currency, -(body.sender_amount + fee), Decimal(0), kind="PAYOUT_HOLD",
                           reference_id=payout_id, description=f"Funds reserved for payout {finmo_id}")
    payout = {
        "id": payout_id, "payout_id_finmo": finmo_id, "merchant_id": ctx.store.meta("merchant_id"),
        "reply_code_id_pg": finmo_id, "status": "PENDING", "approval": "APPROVED",
        "wire_id": hold["transaction_id"], "order_id": None if body.order_id is None else str(body.order_id),
        "due_date": iso((now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)),
        "last_action": "CREATED", "process": "PAYOUT", "wire_amount": body.sender_amount,
        "original_amount": body.sender_amount, "fee_taken": Decimal(0), "fee_expected": fee,
        "currency": currency, "payee_name": _holder_name(params), "beneficiary": _holder_name(params),
        "beneficiary_bank": method["payout_method_name"],
        "beneficiary_account_number": params.get("account_number"), "beneficiary_account_iban": params.get("iban"),
        "wire_origin": wallet, "conversion": None, "reason_for_failure": None,
        "purpose_code": body.purpose_code, "description": body.description, "webhook_url": body.webhook_url,
        "created_at": iso(now), "updated_at": iso(now), "approved_at": iso(now), "denied_at": None,
        "pending_at": iso(now), "deleted_at": None,
    }
    return "Created", ctx.store.insert("payout", payout, alt_id=finmo_id, ref=body.order_id)


def _beneficiary_params(ctx: Context, body: Any) -> dict[str, Any]:
    if body.payout_beneficiary_param is not None:
        return body.payout_beneficiary_param.to_wire()  # type: ignore[no-any-return]
    saved = ctx.store.get("beneficiary", body.payout_beneficiary_id, label="Beneficiary")
    return saved


def settle_payout(ctx: Context, payout: dict[str, Any], status: str, reason: str | None = None) -> dict[str, Any]:
    """PENDING -> SUCCESS (debit the reserved funds, collect the fee) or FAILED (return them);
    SUCCESS -> RETURNED (the beneficiary's bank sent the amount back). Each change is notified."""
    if status == "RETURNED":
        return _return_payout(ctx, payout, reason)
    if payout["status"] != "PENDING":
        raise not_pending("Payout", payout["id"], payout["status"])
    currency, wallet = payout["currency"], payout["wire_origin"]
    amount, fee = Decimal(payout["wire_amount"]), Decimal(payout["fee_expected"])
    now = iso(ctx.now())
    if status == "SUCCESS":
        ctx.ledger.post(wallet, currency, Decimal(0), -amount, kind="PAYOUT", reference_id=payout["id"],
                        description=f"Payout {payout['payout_id_finmo']} to {payout['beneficiary']}")
        ctx.ledger.post(wallet, currency, Decimal(0), -fee, kind="FEE", reference_id=payout["id"],
                        description="Payout fee")
        ctx.ledger.post(ctx.ledger.org_wallet_id("ORGANIZATION_FEES"), currency, fee, fee, kind="FEE",
                        reference_id=payout["id"], description="Payout fee collected")
        payout.update(status="SUCCESS", approval="APPROVED", fee_taken=fee, last_action="COMPLETED")
    else:
        ctx.ledger.post(wallet, currency, amount + fee, Decimal(0), kind="PAYOUT_RELEASE",
                        reference_id=payout["id"], description=f"Payout {payout['payout_id_finmo']} failed")
        payout.update(status="FAILED", approval="FAILED", denied_at=now, last_action="FAILED",
                      reason_for_failure=reason or "Beneficiary bank rejected the transfer")
    payout["updated_at"] = now
    ctx.store.update("payout", payout["id"], payout)
    ctx.notify(payout.get("webhook_url"), f"PAYOUT {payout['status']}", {**payout, "type": "PAYOUT"})
    return payout


def _return_payout(ctx: Context, payout: dict[str, Any], reason: str | None) -> dict[str, Any]:
    """The amount comes back to the wallet it left (the fee stays taken, as a bank return costs)."""
    if payout["status"] != "SUCCESS":
        raise ApiError(406, f"Payout {payout['id']} is {payout['status']}; only SUCCESS payouts can be returned")
    currency, amount = payout["currency"], Decimal(payout["wire_amount"])
    ctx.ledger.post(payout["wire_origin"], currency, amount, amount, kind="PAYOUT_RETURN", reference_id=payout["id"],
                    description=f"Payout {payout['payout_id_finmo']} returned by the beneficiary's bank")
    payout.update(status="RETURNED", last_action="RETURNED", updated_at=iso(ctx.now()),
                  reason_for_failure=reason or "Returned by the beneficiary's bank")
    ctx.store.update("payout", payout["id"], payout)
    ctx.notify(payout.get("webhook_url"), "PAYOUT RETURNED", {**payout, "type": "PAYOUT"})
    return payout


@handles("payouts.simulate")
def simulate_payout(ctx: Context, path: dict[str, str], body: Any) -> Result:
    payout = ctx.store.get("payout", body.payout_id, label="Payout")
    return "Payout simulated", settle_payout(ctx, payout, body.status or "SUCCESS", body.reason_for_failure)


@handles("payouts.retrieve")
def retrieve_payout(ctx: Context, path: dict[str, str], body: Any) -> Result:
    return "Success retrieve payout", ctx.store.get("payout", path["payout_id"], label="Payout")


@handles("payouts.list")
def list_payouts(ctx: Context, path: dict[str, str], params: Any) -> Result:
    filters = equal_to(params, {"status": "r.status", "currency": json_field("currency")})
    if params.payout_method_name:
        filters.append((f"{json_field('beneficiary_bank')} = ?", params.payout_method_name))
    return "OK", record_page(ctx, "payout", params, filters)


# -- payout methods ---------------------------------------------------------------------------------


@handles("payout_methods.list")
def list_payout_methods(ctx: Context, path: dict[str, str], params: Any) -> Result:
    return "OK", method_summaries(PAYOUT_METHODS, params, country_field="beneficiary_country",
                                  details=("payout_method_param", "payout_beneficiary_param"))


@handles("payout_methods.required_fields")
def payout_required_fields(ctx: Context, path: dict[str, str], body: Any) -> Result:
    method = PAYOUT_METHODS.get(path["payout_method_name"])
    if method is None:
        raise ApiError(404, f"Payout method {path['payout_method_name']!r} not found")
    return "OK", method


# -- beneficiaries -------------------------------------------------------------------------------------


@handles("beneficiaries.create")
def create_beneficiary(ctx: Context, path: dict[str, str], body: Any) -> Result:
    if earlier := replay(ctx, "beneficiary", "Beneficiary", body):
        return earlier
    wire = body.to_wire()
    if body.payout_method_name:
        _refuse(beneficiary_problems(payout_method(body.payout_method_name), wire, body.type))
    now = iso(ctx.now())
    beneficiary = {"payout_beneficiary_id": f"pb_{ctx.store.hex32()}", **wire, "is_active": True,
                   "org_id": ctx.store.meta("org_id"), "created_at": now, "updated_at": now}
    return "Created", ctx.store.insert("beneficiary", beneficiary, id_field="payout_beneficiary_id",
                                       ref=body.organization_reference_id)


@handles("beneficiaries.update")
def update_beneficiary(ctx: Context, path: dict[str, str], body: Any) -> Result:
    beneficiary = ctx.store.get("beneficiary", path["beneficiary_id"], label="Beneficiary")
    updated = {**beneficiary, **body.to_wire(), "updated_at": iso(ctx.now())}
    if updated.get("payout_method_name"):
        _refuse(beneficiary_problems(payout_method(updated["payout_method_name"]), updated, updated["type"]))
    return "Updated", ctx.store.update("beneficiary", beneficiary["payout_beneficiary_id"], updated)


@handles("beneficiaries.list")
def list_beneficiaries(ctx: Context, path: dict[str, str], params: Any) -> Result:
    return "OK", record_page(ctx, "beneficiary", params, equal_to(params, {"type": json_field("type")}))


@handles("beneficiaries.retrieve")
def retrieve_beneficiary(ctx: Context, path: dict[str, str], body: Any) -> Result:
    return "OK", ctx.store.get("beneficiary", path["beneficiary_id"], label="Beneficiary")


def _validation(method_name: str, params: dict[str, Any], kind: str) -> dict[str, Any]:
    problems = beneficiary_problems(payout_method(method_name), params, kind)
    return {"is_valid": not problems, "payout_method_name": method_name, "errors": problems}


@handles("beneficiaries.validate")
def validate_beneficiary(ctx: Context, path: dict[str, str], body: Any) -> Result:
    beneficiary = ctx.store.get("beneficiary", path["beneficiary_id"], label="Beneficiary")
    method_name = body.payout_method_name or beneficiary.get("payout_method_name")
    if not method_name:
        raise ApiError(422, "payout_method_name: required (the beneficiary has none saved)")
    return "OK", _validation(method_name, beneficiary, beneficiary["type"])


@handles("beneficiaries.validate_body")
def validate_beneficiary_body(ctx: Context, path: dict[str, str], body: Any) -> Result:
    params = body.payout_beneficiary_param.to_wire()
    return "OK", _validation(body.payout_method_name, params, _holder_kind(params))
