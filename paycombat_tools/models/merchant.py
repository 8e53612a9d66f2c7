"""Merchant balances and refunds."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from ._base import Amount, Money, Reference, RequestModel, ResponseModel, Text


class MerchantBalance(ResponseModel):
    money_fields: ClassVar[dict[str, str]] = {"total_balance_available": "currency", "total_hold_balance": "currency", "total_balance_expected": "currency"}

    currency: str
    total_balance_available: Money = None
    total_hold_balance: Money = None
    total_balance_expected: Money = None


class RefundCreate(RequestModel):
    """Refund Create as in PayCombat's dev docs (PC-DEV api-12814498); ``comment`` exists only in the answer."""

    money_fields: ClassVar[dict[str, str]] = {"amount": "currency"}

    payin_id: str
    amount: Amount
    currency: str
    organization_reference_id: Reference | None = None
    webhook_url: str | None = None
    metadata: dict[str, Any] | None = None


class Refund(ResponseModel):
    money_fields: ClassVar[dict[str, str]] = {"amount": "currency"}

    id: str
    payin_id: str | None = None
    merchant_id: str | None = None
    amount: Money = None
    currency: str | None = None
    comment: str | None = None
    status: str | None = None
    organization_reference_id: Text = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
