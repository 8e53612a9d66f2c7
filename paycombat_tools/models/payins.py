"""Payins: money collected from a payer into a wallet, and KRW virtual accounts."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal

from ._base import Amount, EpochSeconds, ListParams, Money, Reference, RequestModel, ResponseModel, Text


class PayinCreate(RequestModel):
    money_fields: ClassVar[dict[str, str]] = {"amount": "currency"}

    amount: Amount
    currency: str
    payin_method_name: str
    payin_method_param: dict[str, Any] | None = None
    customer_id: str | None = None
    credit_wallet_id: str | None = None
    fees_wallet_id: str | None = None
    payin_type: str | None = None
    payer_id: str | None = None
    checkout_id: str | None = None
    description: str | None = None
    organization_reference_id: Reference | None = None
    order_reference: str | None = None
    customer_full_name: str | None = None
    customer_email: str | None = None
    customer_phone: str | None = None
    receipt_email: str | None = None
    redirect_url: str | None = None
    webhook_url: str | None = None
    expire_at: EpochSeconds | None = None
    metadata: dict[str, Any] | None = None


class PayinSimulate(RequestModel):
    payin_id: str
    status: Literal["SUCCESS", "FAILED", "EXPIRED"] | None = None


class VirtualAccountCreate(RequestModel):
    money_fields: ClassVar[dict[str, str]] = {"amount": "currency"}

    payin_method_name: str
    currency: str
    country: str
    user_name: str
    user_yymmdd: str
    amount: Amount | None = None
    customer_id: str | None = None
    customer_email: str | None = None
    customer_phone: str | None = None
    organization_reference_id: Reference | None = None
    webhook_url: str | None = None


class Payin(ResponseModel):
    money_fields: ClassVar[dict[str, str]] = {"amount": "amount_type", "original_amount": "amount_type", "fee_taken": "amount_type", "fee_expected": "amount_type"}

    id: str
    payin_id_finmo: str | None = None
    merchant_id: str | None = None
    status: str | None = None
    amount: Money = None
    original_amount: Money = None
    amount_type: str | None = None
    currency: str | None = None
    fee_taken: Money = None
    fee_expected: Money = None
    payment_method: str | None = None
    order_reference: Text = None
    payer_id: str | None = None
    credit_type: str | None = None
    trx_type: str | None = None
    customer_full_name: Text = None  # typed integer in the PAYIN SUCCESS schema
    customer_email: str | None = None
    customer_phone: str | None = None
    checkout_id: str | None = None
    credit_wallet_id: str | None = None
    pay_code: str | None = None
    expire_at: datetime | None = None
    transaction_date: datetime | None = None
    payment_date: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class VirtualAccountSimulate(RequestModel):
    """Simulate Create VA: approve (default) or fail a PENDING virtual account's registration."""

    virtual_account_id: str
    status: Literal["APPROVED", "FAILED"] | None = None
    reason: str | None = None


class VirtualAccount(ResponseModel):
    money_fields: ClassVar[dict[str, str]] = {"amount": "currency"}

    id: str
    status: str | None = None
    payin_method_name: str | None = None
    account_bankname: str | None = None
    account_number: str | None = None
    account_holder: str | None = None
    user_name: str | None = None
    user_yymmdd: str | None = None
    currency: str | None = None
    amount: Money = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class PayinListParams(ListParams):
    status: str | None = None
    currency: str | None = None
