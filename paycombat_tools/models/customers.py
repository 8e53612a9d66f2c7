"""Customers: the people and companies that hold wallets, with PayCombat's documented field names.

Create and update bodies follow PayCombat's Create Customer and Update Customer pages
(EVIDENCE S2, S3). On update, an empty string clears a field ("To clear a field, set it to an
empty string"); leaving a field out (``None``) keeps it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AliasChoices, Field, model_validator

from ._base import EpochSeconds, ListParams, Reference, RequestModel, ResponseModel, Text, sandbox_only

CustomerType = Literal["individual", "company"]

#: The fields the docs mark required in each block (create only; update may leave any out).
REQUIRED_DETAILS: dict[str, tuple[str, ...]] = {
    "individual": ("first_name", "last_name", "address_country"),
    "company": ("name", "registration_number", "incorporation_country", "address_country"),
}


class IndividualFields(RequestModel):
    """A person's details, every field optional (updates, payout beneficiaries)."""

    first_name: str | None = None
    last_name: str | None = None
    dob: str | None = None
    email: str | None = None
    identification_type: str | None = None
    identification_value: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    address_city: str | None = None
    address_state: str | None = None
    address_country: str | None = None
    address_zip_code: str | None = None
    country_of_residence: str | None = None
    nationality: str | None = None
    phone_country_code: str | None = None
    phone_number: str | None = None


class IndividualDetails(IndividualFields):
    """The ``individual`` block of Create Customer: first name, last name and country are required."""

    first_name: str
    last_name: str
    address_country: str


class AuthorizedUser(IndividualFields):
    """The person acting for a company customer (``company.authorized_user``): the same fields as an individual."""


class CompanyFields(RequestModel):
    """A company's details, every field optional (updates)."""

    name: str | None = None
    registration_number: str | None = None
    incorporation_country: str | None = None
    company_email: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    address_city: str | None = None
    address_state: str | None = None
    address_country: str | None = None
    address_zip_code: str | None = None
    phone_country_code: str | None = None
    phone_number: str | None = None
    authorized_user: AuthorizedUser | None = None


class CompanyDetails(CompanyFields):
    """The ``company`` block of Create Customer: name, registration number and countries are required."""

    name: str
    registration_number: str
    incorporation_country: str
    address_country: str


class CustomerCreate(RequestModel):
    """Create Customer: ``description`` and ``type`` are required, plus the block that ``type`` names."""

    description: str
    type: CustomerType
    organization_reference_id: Reference | None = None
    metadata: dict[str, Any] | None = None
    individual: IndividualDetails | None = None
    company: CompanyDetails | None = None

    @model_validator(mode="after")
    def _has_its_block(self) -> "CustomerCreate":
        if getattr(self, self.type) is None:
            raise ValueError(f"a {self.type} customer needs the {self.type!r} block")
        return self


class CustomerUpdate(RequestModel):
    """Update Customer: ``customer_id`` goes in the body; ``""`` clears a field, ``None`` keeps it."""

    customer_id: str
    description: str | None = None
    type: CustomerType | None = None
    organization_reference_id: Reference | None = None
    metadata: dict[str, Any] | None = None
    individual: IndividualFields | None = None
    company: CompanyFields | None = None


class CustomerListParams(ListParams):
    type: CustomerType | None = None
    include_deleted: bool | None = sandbox_only()
    created_at: str | None = None
    start_time: EpochSeconds | None = None
    end_time: EpochSeconds | None = None


class Customer(ResponseModel):
    """A customer record as Get Detail Customer returns it (EVIDENCE S4)."""

    customer_id: str
    org_id: str | None = None
    type: str | None = None
    description: str | None = None
    webhook_url: str | None = None
    metadata: dict[str, Any] | None = None
    is_active: bool | None = None
    is_wallet_ready: bool | None = None
    organization_reference_id: Text = None
    is_gca_enabled: bool | None = None
    gca_activation_status: str | None = None
    gca_activated_at: datetime | None = None
    is_sender_validation_enabled: bool | None = None
    payin_sender_id_list: list[Any] | None = None
    company_domain: str | None = None
    individual: dict[str, Any] | None = None
    company: dict[str, Any] | None = None
    created_by: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = sandbox_only("when the sandbox deleted the customer")


class WalletReadiness(ResponseModel):
    """Check Is Customer Wallet Ready: the docs' schema names the list ``missing_field``."""

    customer_id: str | None = None
    is_wallet_ready: bool
    missing_fields: list[str] = Field(default=[], validation_alias=AliasChoices("missing_field", "missing_fields"),
                                      serialization_alias="missing_field")
