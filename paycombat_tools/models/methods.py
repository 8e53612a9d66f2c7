"""Payin/payout methods, their required fields, master data and payment methods by currency."""

from __future__ import annotations

from typing import Any

from ._base import Money, RequestModel, ResponseModel


class MethodListParams(RequestModel):
    currency: str | None = None
    country: str | None = None


class CurrencyParams(RequestModel):
    currency: str | None = None


class FieldSpec(ResponseModel):
    """One field a method needs: its regex and whether it is mandatory."""

    name: str
    type: str | None = "text"
    label: str | None = None
    regex: str | None = None
    mandatory: bool = False
    field_description: str | None = None
    regex_description: str | None = None


class BeneficiaryFieldGroups(ResponseModel):
    company: list[FieldSpec] = []
    base_param: list[FieldSpec] = []
    individual: list[FieldSpec] = []


class PayoutMethod(ResponseModel):
    payout_method_id: str | None = None
    payout_method_name: str
    payout_method_description: str | None = None
    payout_method_logo: str | None = None
    currency: str | None = None
    sender_country: str | None = None
    sender_currency: str | None = None
    beneficiary_country: str | None = None
    beneficiary_currency: str | None = None
    payout_method_category: str | None = None
    payout_method_class: str | None = None
    payout_method_group: str | None = None


class PayoutRequiredFields(PayoutMethod):
    payout_method_param: dict[str, Any] | None = None
    payout_beneficiary_param: BeneficiaryFieldGroups = BeneficiaryFieldGroups()


class PayinMethod(ResponseModel):
    payin_method_id: str | None = None
    payin_method_name: str
    payin_method_description: str | None = None
    payin_method_logo: str | None = None
    payin_method_category: str | None = None
    payin_method_class: str | None = None
    payin_method_group: str | None = None
    country: str | None = None
    currency: str | None = None
    min_amount: Money = None
    max_amount: Money = None
    is_va_allowed: bool | None = None
    is_payin_allowed: bool | None = None
    is_refundable: bool | None = None


class PayinRequiredFields(PayinMethod):
    payin_method_instruction: list[str] = []
    payin_method_param: list[FieldSpec] = []
    max_expiration_time_in_seconds: str | None = None
    default_expiry_time_seconds: str | None = None


class CountryCurrency(ResponseModel):
    country_code: str
    country_name: str | None = None
    currency: str | None = None


class PaymentMethod(ResponseModel):
    payment_code: str
    payment_name: str | None = None
    category: str | None = None
    country_code: str | None = None
    country_name: str | None = None
    currency: str | None = None
    image_path: str | None = None
    is_active: bool | None = None
    is_payin_allowed: bool | None = None
    is_va_allowed: bool | None = None
