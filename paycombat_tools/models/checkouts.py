"""Checkout: payment requests, the hosted checkout page's steps, and KRW virtual accounts."""

from __future__ import annotations

from datetime import datetime
from decimal import Context, Decimal, localcontext
from typing import Annotated, Any, ClassVar

from pydantic import Field, model_validator

from ..money import check_amount
from ._base import Amount, EpochSeconds, ListParams, Money, Reference, RequestModel, ResponseModel, sandbox_only
from .payins import VirtualAccount


class OrderItem(RequestModel):
    product_name: str
    quantity: Annotated[int, Field(ge=1, le=1_000_000)]
    unit_price: Amount


class OrderFee(RequestModel):
    fee_name: str
    fee_amount: Amount


class PaymentRequestCreate(RequestModel):
    """Create Payment Request (EVIDENCE S12).

    When ``order_items`` / ``order_fees`` are given, ``amount`` must equal
    Σ unit_price × quantity + Σ fee_amount (the docs' rule), checked here and by the sandbox.
    ``country_code`` is ISO 3166 alpha-2, or ``"EU"`` for every European country.
    """

    money_fields: ClassVar[dict[str, str]] = {"amount": "currency"}

    amount: Amount
    currency: str
    country_code: str
    description: str | None = None
    customer_id: str | None = None
    payin_method_name: str | None = None
    redirect_url: str | None = None
    #: keys ``cancelled_url``, ``completed_url``, ``expired_url``, ``failed_url``
    advanced_redirect_url: dict[str, str] | None = None
    webhook_url: str | None = None
    expire_at: EpochSeconds | None = None
    organization_reference_id: Reference | None = None
    order_items: list[OrderItem] | None = None
    order_fees: list[OrderFee] | None = None
    #: e.g. customer information and transaction date, shown with the order
    additional_info: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _amount_matches_the_order(self) -> "PaymentRequestCreate":
        items, fees = self.order_items or [], self.order_fees or []
        for index, item in enumerate(items):
            check_amount(item.unit_price, self.currency, field=f"order_items.{index}.unit_price", allow_zero=True)
        for index, fee in enumerate(fees):
            check_amount(fee.fee_amount, self.currency, field=f"order_fees.{index}.fee_amount", allow_zero=True)
        if items or fees:
            total = order_total(items, fees)
            if total != self.amount:
                raise ValueError(f"amount: {self.amount} {self.currency} does not match the order: "
                                 f"Σ unit_price × quantity + Σ fee_amount = {total}")
        return self


def order_total(items: "list[OrderItem]", fees: "list[OrderFee]") -> Decimal:
    """Σ unit_price × quantity + Σ fee_amount, exactly."""
    with localcontext(Context(prec=60)):
        return sum((item.unit_price * item.quantity for item in items), Decimal(0)) + sum(
            (fee.fee_amount for fee in fees), Decimal(0))


class CheckoutToken(RequestModel):
    checkout_token: str


class CheckoutMethodChoice(RequestModel):
    checkout_token: str
    payin_method_name: str


class CheckoutListParams(ListParams):
    status: str | None = sandbox_only("filter on the sandbox's checkout status")
    currency: str | None = None


class VaBankParams(RequestModel):
    checkout_token: str | None = None


class Checkout(ResponseModel):
    """A payment request as Get Detail Checkout returns it (EVIDENCE S13); it has no status in the docs."""

    money_fields: ClassVar[dict[str, str]] = {"amount": "currency"}

    id: str
    checkout_token: str | None = None
    #: ``https://checkout.paycombat.com/?token=…&identifier=<X-token>``: it carries the merchant token
    checkout_url: str | None = None
    amount: Money = None
    currency: str | None = None
    country_code: str | None = None
    country_name: str | None = None
    payin_method_name: str | None = None
    payin_type: str | None = None
    description: str | None = None
    merchant_id: str | None = None
    customer_id: str | None = None
    redirect_url: str | None = None
    advanced_redirect_url: dict[str, Any] | None = None
    webhook_url: str | None = None
    expire_at: datetime | None = None
    additional_info: dict[str, Any] | None = None
    order_summary: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None
    status: str | None = sandbox_only("PENDING, COMPLETED, FAILED, CANCELLED or EXPIRED; learn the outcome "
                                      "from the PAYIN webhook or the payin instead")
    payin_id: str | None = sandbox_only("the payin opened for this checkout")


class CheckoutChoice(Checkout):
    """What Create New Checkout answers (EVIDENCE S11): the checkout, without ``checkout_url``."""


class VaBank(ResponseModel):
    payin_method_name: str
    bank_name: str | None = None
    bank_code: str | None = None


class VaBankInformation(ResponseModel):
    banks: list[VaBank] = []
    virtual_account: VirtualAccount | None = None
