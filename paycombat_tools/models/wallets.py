"""Wallets and their per-currency wallet accounts (the one fully documented page)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Any

from ._base import EpochSeconds, ListParams, Money, RequestModel, ResponseModel


class WalletCreate(RequestModel):
    customer_id: str
    currency: str
    currency_list: list[str]
    description: str | None = None
    webhook_url: str | None = None


class WalletListParams(ListParams):
    category: str | None = None
    customer_id: str | None = None
    created_at: str | None = None
    start_time: EpochSeconds | None = None
    end_time: EpochSeconds | None = None


class WalletAccount(ResponseModel):
    money_fields: ClassVar[dict[str, str]] = {"actual_balance": "currency", "available_balance": "currency"}

    wallet_account_id: str
    wallet_id: str | None = None
    currency: str
    actual_balance: Money = None
    available_balance: Money = None
    is_settlement_allowed: bool | None = None
    is_active: bool | None = None
    is_deleted: bool | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class Wallet(ResponseModel):
    wallet_id: str
    wallet_alias: str | None = None
    category: str | None = None
    scope: str | None = None
    customer_id: str | None = None
    description: str | None = None
    is_active: bool | None = None
    is_deleted: bool | None = None
    metadata: dict[str, Any] | None = None
    org_id: str | None = None
    webhook_url: str | None = None
    wallet_account: list[WalletAccount] = []
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None

    def account(self, currency: str) -> WalletAccount:
        """The wallet account for one currency."""
        for account in self.wallet_account:
            if account.currency == currency.upper():
                return account
        raise KeyError(f"wallet {self.wallet_id} has no {currency} account")
