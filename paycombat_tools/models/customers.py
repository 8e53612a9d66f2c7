"""Customers: the people and companies that hold wallets (Finmo customer fields)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ._base import EpochSeconds, ListParams, RequestModel, ResponseModel

CustomerType = Literal["individual", "company"]


class IndividualDetails(RequestModel):
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    dob: str | None = None
    nationality: str | None = None
    phone_country_code: str | None = None
    phone_number: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    address_city: str | None = None
    address_state: str | None = None
    address_country: str | None = None
    address_zip_code: str | None = None
    country_of_residence: str | None = None
    identification_type: str | None = None
    identification_value: str | None = None


class CompanyDetails(RequestModel):
    name: str | None = None
    registration_number: str | None = None
    nature_of_business: str | None = None
    country_of_incorporation: str | None = None
    email: str | None = None
    address_line1: str | None = None
    address_city: str | None = None
    address_country: str | None = None
    address_zip_code: str | None = None


class CustomerCreate(RequestModel):
    type: CustomerType
    account_usage_purpose: str
    description: str | None = None
    organization_reference_id: str | None = None
    individual: IndividualDetails | None = None
    company: CompanyDetails | None = None
    webhook_url: str | None = None
    metadata: dict[str, Any] | None = None


class CustomerUpdate(RequestModel):
    type: CustomerType | None = None
    account_usage_purpose: str | None = None
    description: str | None = None
    individual: IndividualDetails | None = None
    company: CompanyDetails | None = None
    webhook_url: str | None = None
    metadata: dict[str, Any] | None = None


class CustomerListParams(ListParams):
    type: CustomerType | None = None
    include_deleted: bool | None = None
    created_at: str | None = None
    start_time: EpochSeconds | None = None
    end_time: EpochSeconds | None = None


class Customer(ResponseModel):
    customer_id: str
    type: str | None = None
    status: str | None = None
    description: str | None = None
    account_usage_purpose: str | None = None
    organization_reference_id: str | None = None
    is_active: bool | None = None
    is_enabled: bool | None = None
    is_wallet_ready: bool | None = None
    individual: dict[str, Any] | None = None
    company: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    webhook_url: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None


class WalletReadiness(ResponseModel):
    customer_id: str | None = None
    is_wallet_ready: bool
    missing_fields: list[str] = []
