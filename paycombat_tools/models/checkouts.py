"""Checkout: payment requests, the hosted checkout page's steps, and KRW virtual accounts."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from ._base import Amount, EpochSeconds, ListParams, Money, RequestModel, ResponseModel
from .payins import VirtualAccount


class OrderItem(RequestModel):
    product_name: str
    quantity: int
    unit_price: Amount


class OrderFee(RequestModel):
    fee_name: str
    fee_amount: Amount


class PaymentRequestCreate(RequestModel):
    money_fields: ClassVar[dict[str, str]] = {"amount": "currency"}

    amount: Amount
    currency: str
    country_code: str
    description: str | None = None
    customer_id: str | None = None
    payin_method_name: str | None = None
    redirect_url: str | None = None
    advanced_redirect_url: dict[str, str] | None = None
    webhook_url: str | None = None
    expire_at: EpochSeconds | None = None
    organization_reference_id: str | None = None
    items: list[OrderItem] | None = None
    fees: list[OrderFee] | None = None


class CheckoutToken(RequestModel):
    checkout_token: str


class CheckoutMethodChoice(RequestModel):
    checkout_token: str
    payin_method_name: str


class CheckoutListParams(ListParams):
    status: str | None = None
    currency: str | None = None


class VaBankParams(RequestModel):
    checkout_token: str | None = None


class Checkout(ResponseModel):
    money_fields: ClassVar[dict[str, str]] = {"amount": "currency"}

    id: str
    checkout_token: str | None = None
    checkout_url: str | None = None
    status: str | None = None
    amount: Money = None
    currency: str | None = None
    country_code: str | None = None
    country_name: str | None = None
    payin_method_name: str | None = None
    payin_type: str | None = None
    payin_id: str | None = None
    description: str | None = None
    merchant_id: str | None = None
    customer_id: str | None = None
    redirect_url: str | None = None
    advanced_redirect_url: dict[str, Any] | None = None
    webhook_url: str | None = None
    expire_at: datetime | None = None
    additional_info: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class VaBank(ResponseModel):
    payin_method_name: str
    bank_name: str | None = None
    bank_code: str | None = None


class VaBankInformation(ResponseModel):
    banks: list[VaBank] = []
    virtual_account: VirtualAccount | None = None
