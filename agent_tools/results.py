"""Concise, structured tool results: amounts as strings, dates as ISO text, plain-language status.

Explanations are our own fixed sentences chosen from the status and reason; text that came from
records (descriptions, reasons) is passed through in its own field, as data.

Results are built from the fields PayCombat documents. A field only the sandbox sends (marked
``x-sandbox-only`` on the model, e.g. a checkout's ``status`` and ``payin_id``) is never needed to
make sense of a result; where one is shown it sits under ``sandbox_only``. Every string goes through
``paycombat_tools.redaction.redact``: the merchant token a checkout_url carries (``identifier=``)
never reaches a model, and links are shown with ``strip_identifier``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from paycombat_tools.redaction import redact, strip_identifier

from .summaries import format_money, mask

__all__ = ["to_json", "explain_checkout", "explain_payout", "explain_payin", "is_sandbox_only", "payment_link",
           "shape"]

#: Said next to every sandbox-only value shown to a model.
SANDBOX_NOTE = "Only the local sandbox sends these; PayCombat's API does not. Do not rely on them."

#: (words that must all appear in the reason, what it means and what to do next)
_PAYOUT_REASONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("closed",), "the beneficiary's account is closed. Ask the beneficiary for an open account and send a "
                  "new payout; do not resend to the same account."),
    (("account", "not found"), "the bank could not find the account. Check the account number and branch/BSB "
                               "with the beneficiary before paying again."),
    (("invalid", "account"), "the account details are invalid. Check them with the beneficiary (see "
                             "get_payout_required_fields for the formats) before paying again."),
    (("name",), "the name did not match the account holder. Confirm the holder's exact name on the account."),
    (("limit",), "a bank or scheme limit was exceeded. Try a smaller amount or another payout method."),
    (("compliance",), "it was stopped by compliance screening. Escalate to the compliance team; do not retry."),
    (("sanction",), "it was stopped by sanctions screening. Escalate to the compliance team; do not retry."),
    (("insufficient",), "there were not enough funds when it was processed. Check the payout wallet balance."),
    (("timeout",), "the bank did not answer in time. It is usually safe to send a new payout later."),
    (("rejected",), "the beneficiary's bank rejected the transfer without giving a specific cause. Confirm the "
                    "bank details with the beneficiary, then send a new payout."),
)


def to_json(data: Any) -> str:
    """Compact JSON for a model: Decimals and dates as strings, never floats, ``identifier=`` hidden."""
    return json.dumps(_plain(data), ensure_ascii=False, separators=(",", ":"))


def is_sandbox_only(record: Any, name: str) -> bool:
    """Whether ``name`` is a field the record's model marks ``x-sandbox-only`` (absent from PayCombat's docs)."""
    fields = getattr(type(record), "model_fields", None) or {}
    extra = fields[name].json_schema_extra if name in fields else None
    return isinstance(extra, dict) and bool(extra.get("x-sandbox-only"))


def payment_link(url: Any) -> str | None:
    """A checkout_url safe to show: without its ``identifier`` (the merchant token)."""
    return redact(strip_identifier(url)) if isinstance(url, str) and url else None


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if hasattr(value, "model_dump"):
        return _plain(value.model_dump(mode="python"))
    return value


def explain_payout(status: str | None, reason: str | None) -> str:
    """Why a payout is where it is, in plain language for a support agent."""
    status = (status or "").upper()
    if status == "SUCCESS":
        return "The payout completed: the beneficiary's bank accepted the money."
    if status == "PENDING":
        return ("The payout is in progress: it was accepted and the amount plus fee is reserved in the payout "
                "wallet while the beneficiary's bank processes it. Nothing has failed yet.")
    if status == "FAILED":
        text = (reason or "").lower()
        cause = next((meaning for words, meaning in _PAYOUT_REASONS if all(w in text for w in words)),
                     "the bank gave a reason we do not recognise (see reason_for_failure).")
        return ("The payout failed and the reserved amount and fee went back to the payout wallet, so no money "
                f"left the account. Likely cause: {cause}")
    if status in ("CANCELLED", "CANCELED"):
        return "The payout was cancelled before it was sent; the reserved funds were released."
    return f"The payout's status is {status or 'unknown'}; there is no standard explanation for it."


def explain_payin(status: str | None) -> str:
    """Where a payin stands, in plain language."""
    return {
        "PENDING": "Waiting for the payer to pay; it expires at expire_at if they do not.",
        "SUCCESS": "Paid: the amount (less the fee) was credited to the wallet. It can be refunded.",
        "FAILED": "The payment failed; no money was collected.",
        "EXPIRED": "The payer did not pay before the expiry time; no money was collected.",
        "CANCELLED": "The payment was cancelled (e.g. its payment request was cancelled); no money was collected.",
    }.get((status or "").upper(), f"The payin's status is {status or 'unknown'}.")


def explain_checkout(checkout: Mapping[str, Any], payin: Mapping[str, Any] | None, *,
                     now: datetime | None = None) -> str:
    """A payment request's outcome from documented fields: its payin's status, or whether one was opened.

    PayCombat's checkout record has no status: a payment shows as the payin it created (whose
    PAYIN webhook names the checkout_id).
    """
    if payin is not None:
        status = (payin.get("status") or "").upper()
        lead = f"The payer chose {payin.get('payment_method') or 'a payin method'}; its payin {payin.get('id')} is " \
               f"{status or 'of unknown status'}. "
        return lead + explain_payin(status)
    expire_at = checkout.get("expire_at")
    expired = isinstance(expire_at, datetime) and expire_at <= (now or datetime.now(expire_at.tzinfo))
    if checkout.get("payin_type"):
        return ("The payer chose a payin method, so a payin exists: look it up with get_payin (its id is in the PAYIN "
                "webhook for this checkout_id) or pass payin_id here; its status is this request's outcome.")
    if expired:
        return "It expired without a payment: no payin method was chosen before expire_at. Nothing was collected."
    return ("Not paid yet: the payer has not chosen a payin method. The link works until expire_at; a payment shows "
            "as a payin (get_payin) named in the PAYIN webhook for this checkout_id.")


def _pick(data: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    return {key: data.get(key) for key in keys}


def shape(kind: str, record: Any, **extra: Any) -> dict[str, Any]:
    """The fields a support agent needs from one record (``kind`` names the resource)."""
    data: dict[str, Any] = record.model_dump(mode="python") if hasattr(record, "model_dump") else dict(record)
    if kind == "payout":
        result = {"payout_id": data.get("id"), "status": data.get("status"),
                  "amount": format_money(data.get("wire_amount"), data.get("currency")),
                  "fee": format_money(data.get("fee_taken") or data.get("fee_expected"), data.get("currency")),
                  "beneficiary": data.get("payee_name"), "payout_method": data.get("beneficiary_bank"),
                  "account": mask(data.get("beneficiary_account_number") or data.get("beneficiary_account_iban")),
                  **_pick(data, "order_id", "purpose_code", "created_at", "updated_at", "reason_for_failure",
                          "description"),
                  "explanation": explain_payout(data.get("status"), data.get("reason_for_failure"))}
    elif kind == "payin":
        result = {"payin_id": data.get("id"), "status": data.get("status"),
                  "amount": format_money(data.get("amount"), data.get("amount_type")),
                  "fee": format_money(data.get("fee_taken") or data.get("fee_expected"), data.get("amount_type")),
                  "payin_method": data.get("payment_method"),
                  **_pick(data, "checkout_id", "credit_wallet_id", "customer_full_name", "expire_at", "payment_date",
                          "created_at", "description"),
                  "explanation": explain_payin(data.get("status"))}
    elif kind == "checkout":
        result = {"checkout_id": data.get("id"),
                  "amount": format_money(data.get("amount"), data.get("currency")),
                  **_pick(data, "country_code", "payin_method_name", "payin_type", "customer_id"),
                  "checkout_link": payment_link(data.get("checkout_url")),
                  **_pick(data, "expire_at", "created_at", "description")}
    elif kind == "transaction":
        result = {**_pick(data, "transaction_id", "type", "direction", "status"),
                  "amount": format_money(data.get("amount"), data.get("currency")),
                  **_pick(data, "wallet_id", "wallet_category", "reference_id", "created_at", "description"),
                  "available_after": data.get("running_balance_available"),
                  "actual_after": data.get("running_balance_actual")}
    elif kind == "customer":
        details = data.get("company") or data.get("individual") or {}
        name = details.get("name") or " ".join(p for p in (details.get("first_name"), details.get("last_name")) if p)
        result = {**_pick(data, "customer_id", "type"), "name": name or None,
                  **_pick(data, "description", "is_active", "is_wallet_ready", "created_at")}
    elif kind == "wallet":
        result = {**_pick(data, "wallet_id", "category", "customer_id", "is_active"),
                  "balances": [{"currency": a.get("currency"), "available": a.get("available_balance"),
                                "actual": a.get("actual_balance"), "held": _held(a)}
                               for a in data.get("wallet_account") or []]}
    else:
        result = {key: value for key, value in data.items() if not is_sandbox_only(record, key)}
    result.update(extra)
    return {key: value for key, value in result.items() if value not in (None, "", [], {})}


def _held(account: Mapping[str, Any]) -> Decimal | None:
    available, actual = account.get("available_balance"), account.get("actual_balance")
    if isinstance(available, Decimal) and isinstance(actual, Decimal):
        return actual - available
    return None


def methods(rows: Iterable[Any], kind: str) -> list[dict[str, Any]]:
    """Payout or payin methods as name/description/currency/country rows."""
    shaped = []
    for row in rows:
        data = row.model_dump(mode="python")
        shaped.append({"name": data.get(f"{kind}_method_name"), "description": data.get(f"{kind}_method_description"),
                       "currency": data.get("currency"),
                       "country": data.get("country") or data.get("beneficiary_country")})
    return shaped
