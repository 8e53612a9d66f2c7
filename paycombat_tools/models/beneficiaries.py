"""Payout beneficiaries: who a payout goes to, and the bank details that reach them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ._base import EpochSeconds, ListParams, Reference, RequestModel, ResponseModel, Text
from .customers import IndividualFields


class BeneficiaryIndividual(IndividualFields):
    """A person receiving payouts: the same fields as an individual customer (Finmo)."""


class BeneficiaryCompany(RequestModel):
    name: str | None = None
    registration_number: str | None = None
    address_line1: str | None = None
    address_city: str | None = None
    address_country: str | None = None


class BeneficiaryParams(RequestModel):
    """The beneficiary block of a payout; which fields are needed depends on the payout method."""

    individual: BeneficiaryIndividual | None = None
    company: BeneficiaryCompany | None = None
    account_number: str | None = None
    bsb: str | None = None
    bic_swift: str | None = None
    iban: str | None = None
    aba: str | None = None
    sort_code: str | None = None
    pay_id: str | None = None
    pay_id_type: str | None = None
    ifsc: str | None = None
    branch_code: str | None = None
    bank_code: str | None = None
    bank_name: str | None = None
    bank_country: str | None = None
    proxy_type: str | None = None
    proxy_value: str | None = None


class BeneficiaryCreate(BeneficiaryParams):
    type: Literal["individual", "company"]
    beneficiary_name: str
    currency: str | None = None
    payout_method_name: str | None = None
    description: str | None = None
    organization_reference_id: Reference | None = None
    metadata: dict[str, Any] | None = None


class BeneficiaryUpdate(BeneficiaryParams):
    beneficiary_name: str | None = None
    currency: str | None = None
    payout_method_name: str | None = None
    description: str | None = None
    is_active: bool | None = None
    metadata: dict[str, Any] | None = None


class BeneficiaryListParams(ListParams):
    type: Literal["individual", "company"] | None = None
    include_deleted: bool | None = None
    created_at: str | None = None
    start_time: EpochSeconds | None = None
    end_time: EpochSeconds | None = None


class BeneficiaryValidateById(RequestModel):
    payout_method_name: str | None = None


class BeneficiaryValidateBody(RequestModel):
    payout_method_name: str
    payout_beneficiary_param: BeneficiaryParams


class Beneficiary(ResponseModel):
    payout_beneficiary_id: str
    type: str | None = None
    beneficiary_name: str | None = None
    currency: str | None = None
    payout_method_name: str | None = None
    is_active: bool | None = None
    organization_reference_id: Text = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class FieldProblem(ResponseModel):
    field: str
    message: str


class BeneficiaryValidation(ResponseModel):
    is_valid: bool
    payout_method_name: str | None = None
    errors: list[FieldProblem] = []
