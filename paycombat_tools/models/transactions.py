"""Transactions: the ledger entries behind every balance change."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from ._base import EpochSeconds, ListParams, Money, ResponseModel


class TransactionListParams(ListParams):
    type: str | None = None
    status: str | None = None
    currency: str | None = None
    wallet_id: str | None = None
    reference_id: str | None = None
    created_at: str | None = None
    start_time: EpochSeconds | None = None
    end_time: EpochSeconds | None = None


class Transaction(ResponseModel):
    money_fields: ClassVar[dict[str, str]] = {"amount": "currency", "running_balance_available": "currency", "running_balance_actual": "currency"}

    transaction_id: str
    type: str | None = None
    direction: str | None = None
    status: str | None = None
    amount: Money = None
    currency: str | None = None
    wallet_id: str | None = None
    wallet_category: str | None = None
    reference_id: str | None = None
    balance_type: str | None = None
    running_balance_available: Money = None
    running_balance_actual: Money = None
    description: str | None = None
    created_at: datetime | None = None
