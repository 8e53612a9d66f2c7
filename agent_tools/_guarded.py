"""Guarded tools: each turns the model's arguments into one catalog operation's arguments to propose.

Which tools are guarded is not decided here: ``ToolSpec`` derives it from the catalog's risk class
(``money`` or ``destructive``) and refuses a spec that would let such an operation run directly.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from paycombat_tools.errors import NotFoundError

from . import schemas as s
from .guard import ActionRefused
from .results import is_sandbox_only
from .spec import ReadOnlyClient, ToolSpec

Prepared = tuple[dict[str, Any], dict[str, Any]]


def _payout(reader: ReadOnlyClient, p: s.PayoutArgs) -> Prepared:
    facts: dict[str, Any] = {}
    if p.beneficiary_id is not None:
        saved = reader.call("beneficiaries.retrieve", p.beneficiary_id)
        facts["beneficiary_name"] = saved.beneficiary_name
    return p.to_arguments(), facts


def _payin(reader: ReadOnlyClient, p: s.PayinArgs) -> Prepared:
    return p.model_dump(exclude_none=True), {}


def _payment_request(reader: ReadOnlyClient, p: s.PaymentRequestArgs) -> Prepared:
    return p.model_dump(exclude_none=True), {}


def _cancel(reader: ReadOnlyClient, p: s.CancelPaymentRequestArgs) -> Prepared:
    """Refuse what cannot be cancelled when it is visible; otherwise PayCombat decides at execution.

    PayCombat's checkout has no status: an expired one shows in ``expire_at``. The local sandbox
    also sends a ``status`` and ``payin_id`` (sandbox-only); they are used here only to refuse early.
    """
    checkout = reader.call("checkouts.retrieve", p.checkout_id)
    if checkout.expire_at is not None and checkout.expire_at <= datetime.now(timezone.utc):
        raise ActionRefused(f"payment request {checkout.id} expired at {checkout.expire_at.isoformat()}; there is "
                            "nothing to cancel", code="invalid_state")
    if is_sandbox_only(checkout, "payin_id") and checkout.payin_id:
        try:
            payin = reader.call("payins.retrieve", checkout.payin_id)
        except NotFoundError:
            payin = None
        if payin is not None and payin.status == "SUCCESS":
            raise ActionRefused(f"payment request {checkout.id} was paid (payin {payin.id} is SUCCESS); refund "
                                "the payin instead of cancelling", code="invalid_state")
    if is_sandbox_only(checkout, "status") and checkout.status not in (None, "PENDING"):
        raise ActionRefused(f"payment request {checkout.id} can no longer be cancelled (the sandbox reports it "
                            f"{checkout.status})", code="invalid_state")
    facts = {"checkout_id": checkout.id, "amount": checkout.amount, "currency": checkout.currency,
             "description": checkout.description, "expire_at": checkout.expire_at}
    return {"checkout_token": checkout.checkout_token}, {k: v for k, v in facts.items() if v is not None}


def _refund(reader: ReadOnlyClient, p: s.RefundArgs) -> Prepared:
    payin = reader.call("payins.retrieve", p.payin_id)
    if payin.status != "SUCCESS":
        raise ActionRefused(f"payin {payin.id} is {payin.status}; only successful payins can be refunded",
                            code="invalid_state")
    facts = {"payin_amount": payin.amount, "payin_currency": payin.amount_type}
    if p.reason:  # kept for the approver and the audit log; the refund request has no such field
        facts["reason"] = p.reason
    return p.to_arguments(), facts


def _beneficiary_create(reader: ReadOnlyClient, p: s.CreateBeneficiaryArgs) -> Prepared:
    return p.to_arguments(), {}


def _beneficiary_update(reader: ReadOnlyClient, p: s.UpdateBeneficiaryArgs) -> Prepared:
    return p.to_arguments(), {}


def _customer(reader: ReadOnlyClient, p: s.CustomerIdArgs) -> Prepared:
    customer = reader.call("customers.retrieve", p.customer_id)
    details = customer.company or customer.individual or {}
    name = details.get("name") or " ".join(x for x in (details.get("first_name"), details.get("last_name")) if x)
    return {"customer_id": customer.customer_id}, {"name": name or None, "is_active": customer.is_active}


def _disable(reader: ReadOnlyClient, p: s.CustomerIdArgs) -> Prepared:
    arguments, facts = _customer(reader, p)
    if facts["is_active"] is False:
        raise ActionRefused(f"customer {p.customer_id} is already disabled (is_active is false)",
                            code="invalid_state")
    return arguments, facts


GUARDED_SPECS: tuple[ToolSpec, ...] = (
    ToolSpec("create_payout", "Propose sending money from the payout wallet to a beneficiary, in one currency: "
             "give new bank details (beneficiary) or a saved beneficiary_id. Check first with quote_payout.",
             s.PayoutArgs, operation="payouts.create", prepare=_payout),
    ToolSpec("create_payin", "Propose collecting money from a payer with a payin method (e.g. au_bank_npp) into "
             "the payin wallet.", s.PayinArgs, operation="payins.create", prepare=_payin),
    ToolSpec("create_payment_request", "Propose a payment request: a hosted checkout page where a payer pays "
             "the amount, optionally itemised (order_items, order_fees; amount must equal their total).",
             s.PaymentRequestArgs, operation="checkouts.create_payment_request",
             prepare=_payment_request),
    ToolSpec("cancel_payment_request", "Propose cancelling a payment request that has not been paid yet.",
             s.CancelPaymentRequestArgs, operation="checkouts.cancel", prepare=_cancel),
    ToolSpec("refund_payin", "Propose refunding all or part of a successful payin to the payer. reason is shown "
             "to the approver and kept in the audit log, not sent to PayCombat.", s.RefundArgs,
             operation="refunds.create", prepare=_refund),
    ToolSpec("create_beneficiary", "Propose saving a payout beneficiary (a person or company and their bank "
             "details) for future payouts.", s.CreateBeneficiaryArgs, operation="beneficiaries.create",
             prepare=_beneficiary_create),
    ToolSpec("update_beneficiary", "Propose changing a saved beneficiary's name, method, currency or bank "
             "details.", s.UpdateBeneficiaryArgs, operation="beneficiaries.update", prepare=_beneficiary_update),
    ToolSpec("disable_customer", "Propose disabling a customer: no new payins or payouts for them.",
             s.CustomerIdArgs, operation="customers.disable", prepare=_disable),
    ToolSpec("delete_customer", "Propose deleting a customer (soft delete).", s.CustomerIdArgs,
             operation="customers.delete", prepare=_customer),
)
