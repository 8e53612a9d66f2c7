"""Payouts: money sent from the payout wallet to a beneficiary."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal

from pydantic import model_validator

from ._base import Amount, EpochSeconds, ListParams, Money, Reference, RequestModel, ResponseModel, Text
from .beneficiaries import BeneficiaryParams


class PayoutCreate(RequestModel):
    money_fields: ClassVar[dict[str, str]] = {
        "sender_amount": "sender_currency",
        "beneficiary_amount": "beneficiary_currency",
    }

    sender_amount: Amount
    sender_currency: str
    beneficiary_amount: Amount
    beneficiary_currency: str
    payout_method_name: str
    purpose_code: str
    sender_country: str | None = None
    beneficiary_country: str | None = None
    payout_beneficiary_param: BeneficiaryParams | None = None
    payout_beneficiary_id: str | None = None
    #: the idempotency reference; an integer (a merchant's DB id, as the public PHP gateway sends) is fine
    order_id: Reference | None = None
    debit_wallet_id: str | None = None
    fees_wallet_id: str | None = None
    description: str | None = None
    payout_method_param: dict[str, Any] | None = None
    payout_reference: str | None = None
    receipt_email: str | None = None
    webhook_url: str | None = None
    metadata: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _names_a_beneficiary(self) -> "PayoutCreate":
        if self.payout_beneficiary_param is None and self.payout_beneficiary_id is None:
            raise ValueError("give payout_beneficiary_param or payout_beneficiary_id")
        return self


class PayoutSimulate(RequestModel):
    payout_id: str
    #: SUCCESS or FAILED from PENDING; RETURNED from SUCCESS (the funds come back to the wallet)
    status: Literal["SUCCESS", "FAILED", "RETURNED"] | None = None
    reason_for_failure: str | None = None


class PayoutListParams(ListParams):
    status: str | None = None
    payout_method_name: str | None = None
    currency: str | None = None
    created_at: str | None = None
    start_time: EpochSeconds | None = None
    end_time: EpochSeconds | None = None


class Payout(ResponseModel):
    money_fields: ClassVar[dict[str, str]] = {"wire_amount": "currency", "original_amount": "currency", "fee_taken": "currency", "fee_expected": "currency"}

    id: str
    payout_id_finmo: str | None = None
    merchant_id: str | None = None
    reply_code_id_pg: str | None = None
    status: str | None = None
    approval: str | None = None
    wire_id: str | None = None
    order_id: Text = None
    due_date: datetime | None = None
    last_action: str | None = None
    process: str | None = None
    wire_amount: Money = None
    original_amount: Money = None
    fee_taken: Money = None
    fee_expected: Money = None
    currency: str | None = None
    payee_name: str | None = None
    beneficiary: str | None = None
    beneficiary_bank: str | None = None
    beneficiary_account_number: str | None = None
    beneficiary_account_iban: str | None = None
    wire_origin: str | None = None
    conversion: str | None = None
    reason_for_failure: str | None = None
    purpose_code: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    approved_at: datetime | None = None
    denied_at: datetime | None = None
    pending_at: datetime | None = None
