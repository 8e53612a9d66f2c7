"""The argument schemas a model sees: typed, described, closed (unknown fields are refused).

None of them has an approval, confirmation or idempotency field: the guard owns those.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from paycombat_tools.money import AMOUNT_PATTERN, MoneyError, parse_amount
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

__all__ = [
    "Amount", "BeneficiaryInput", "CancelPaymentRequestArgs", "CreateBeneficiaryArgs", "CurrencyCode",
    "CustomerIdArgs", "ListMethodsArgs", "OrderFeeInput", "OrderItemInput", "PayinArgs", "PaymentRequestArgs",
    "PaymentRequestLookupArgs", "PayoutArgs", "RefundArgs", "ToolArgs", "UpdateBeneficiaryArgs",
    "ValidateBeneficiaryArgs",
]


def _amount(value: Any) -> Any:
    """Text by the schema's own pattern (``parse_amount``); a JSON number by its shortest form, so 40.1 stays 40.1."""
    if isinstance(value, bool):
        raise ValueError("an amount is a number, not true/false")
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            return parse_amount(value)
        except MoneyError as error:
            raise ValueError(str(error).removeprefix("amount: ")) from None
    return value


#: A positive decimal amount, as a string such as "40.00" (numbers are accepted too).
Amount = Annotated[
    Decimal, BeforeValidator(_amount), Field(gt=0, allow_inf_nan=False),
    WithJsonSchema({"type": "string", "pattern": AMOUNT_PATTERN,
                    "description": "Decimal amount in the currency's units, e.g. \"40.00\""}),
]
#: A price that may be zero (a free item), as a decimal string.
Price = Annotated[
    Decimal, BeforeValidator(_amount), Field(ge=0, allow_inf_nan=False),
    WithJsonSchema({"type": "string", "pattern": AMOUNT_PATTERN,
                    "description": "Decimal amount in the currency's units, e.g. \"12.50\" (may be 0)"}),
]
#: An ISO 4217 currency code such as "AUD" (any case).
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Za-z]{3}$", description="ISO 4217 code, e.g. AUD"),
                         AfterValidator(str.upper)]
CountryCode = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2, e.g. AU (EU: Europe)"),
                        AfterValidator(str.upper)]
Identifier = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.:-]+$")]
Text = Annotated[str, Field(min_length=1, max_length=140)]
#: A method name as listed by list_payin_methods / list_payout_methods (KRW banks have Korean names).
MethodName = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[^\s/?#]+$")]


class ToolArgs(BaseModel):
    """Closed schema: a field the schema does not name (``approved``, ``action_id`` ...) is an error."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CustomerIdArgs(ToolArgs):
    customer_id: Identifier = Field(description="Customer id, e.g. customer_3f2a...")


class WalletIdArgs(ToolArgs):
    wallet_id: Identifier = Field(description="Wallet id")


class TransactionIdArgs(ToolArgs):
    transaction_id: Identifier = Field(description="Ledger transaction id")


class PayinIdArgs(ToolArgs):
    payin_id: Identifier = Field(description="Payin id (uuid or payin_...)")


class PayoutIdArgs(ToolArgs):
    payout_id: Identifier = Field(description="Payout id (uuid or payout_...)")


class CheckoutIdArgs(ToolArgs):
    checkout_id: Identifier = Field(description="Payment request (checkout) id or checkout token")


class PaymentRequestLookupArgs(CheckoutIdArgs):
    payin_id: Identifier | None = Field(None, description="The payin a payment of this request created, if known "
                                                          "(the PAYIN webhook names it with this checkout_id)")


class PayoutMethodArgs(ToolArgs):
    payout_method_name: Identifier = Field(description="Payout method, e.g. au_bank_acct")


class ActionIdArgs(ToolArgs):
    action_id: Identifier = Field(description="Action id returned by a guarded tool, e.g. act_...")


class CurrencyArgs(ToolArgs):
    currency: CurrencyCode


class ListMethodsArgs(ToolArgs):
    currency: CurrencyCode | None = None
    country: CountryCode | None = None


class BeneficiaryInput(ToolArgs):
    """Who receives the money and the bank details a payout method needs (see get_payout_required_fields)."""

    first_name: Text | None = Field(None, description="Individual's first name")
    last_name: Text | None = Field(None, description="Individual's last name")
    company_name: Text | None = Field(None, description="Company name, for a company beneficiary")
    account_number: Text | None = None
    bsb: Text | None = Field(None, description="Australian BSB, e.g. 062-000")
    bank_code: Text | None = None
    bank_name: Text | None = None
    bic_swift: Text | None = None
    iban: Text | None = None
    sort_code: Text | None = None

    def to_params(self) -> dict[str, Any]:
        """The API's ``payout_beneficiary_param`` block."""
        params: dict[str, Any] = {}
        if self.company_name:
            params["company"] = {"name": self.company_name}
        if self.first_name or self.last_name:
            params["individual"] = {k: v for k, v in (("first_name", self.first_name),
                                                      ("last_name", self.last_name)) if v}
        for key in ("account_number", "bsb", "bank_code", "bank_name", "bic_swift", "iban", "sort_code"):
            if getattr(self, key):
                params[key] = getattr(self, key)
        return params


class ValidateBeneficiaryArgs(ToolArgs):
    payout_method_name: Identifier = Field(description="Payout method, e.g. au_bank_acct")
    beneficiary: BeneficiaryInput


class PayoutArgs(ToolArgs):
    amount: Amount
    currency: CurrencyCode
    payout_method_name: Identifier = Field(description="Payout method, e.g. au_bank_acct (see list_payout_methods)")
    purpose_code: Identifier = Field(description="Purpose of the payment, e.g. SELF, SALA, SUPP")
    beneficiary: BeneficiaryInput | None = Field(None, description="New beneficiary details, or give beneficiary_id")
    beneficiary_id: Identifier | None = Field(None, description="A saved beneficiary's id (pb_...)")
    description: Text | None = Field(None, description="Reference shown to the beneficiary")

    @model_validator(mode="after")
    def _one_beneficiary(self) -> "PayoutArgs":
        if (self.beneficiary is None) == (self.beneficiary_id is None):
            raise ValueError("give exactly one of beneficiary or beneficiary_id")
        return self

    def to_arguments(self) -> dict[str, Any]:
        """``payouts.create`` arguments: a same-currency payout of ``amount``."""
        args: dict[str, Any] = {
            "sender_amount": self.amount, "sender_currency": self.currency, "beneficiary_amount": self.amount,
            "beneficiary_currency": self.currency, "payout_method_name": self.payout_method_name,
            "purpose_code": self.purpose_code,
        }
        if self.beneficiary is not None:
            args["payout_beneficiary_param"] = self.beneficiary.to_params()
        if self.beneficiary_id is not None:
            args["payout_beneficiary_id"] = self.beneficiary_id
        if self.description:
            args["description"] = self.description
        return args


class PayinArgs(ToolArgs):
    amount: Amount
    currency: CurrencyCode
    payin_method_name: MethodName = Field(description="Payin method, e.g. au_bank_npp (see list_payin_methods)")
    customer_id: Identifier | None = None
    payer_id: Identifier | None = Field(None, description="KRW only: the payer's approved virtual account id")
    customer_full_name: Text | None = None
    customer_email: Text | None = None
    description: Text | None = None


class OrderItemInput(ToolArgs):
    product_name: Text
    quantity: int = Field(ge=1, le=1_000_000)
    unit_price: Price


class OrderFeeInput(ToolArgs):
    fee_name: Text = Field(description="e.g. Shipping")
    fee_amount: Price


class PaymentRequestArgs(ToolArgs):
    amount: Amount = Field(description="Total to pay; with order_items/order_fees it must equal "
                                       "sum(unit_price * quantity) + sum(fee_amount)")
    currency: CurrencyCode
    country_code: CountryCode
    description: Text | None = None
    customer_id: Identifier | None = None
    payin_method_name: MethodName | None = Field(None, description="Offer only this payin method (optional)")
    order_items: list[OrderItemInput] | None = Field(None, max_length=50, description="What is being paid for")
    order_fees: list[OrderFeeInput] | None = Field(None, max_length=20, description="Fees on top of the items")

    @model_validator(mode="after")
    def _amount_matches_the_order(self) -> "PaymentRequestArgs":
        items, fees = self.order_items or [], self.order_fees or []
        if items or fees:
            total = sum((i.unit_price * i.quantity for i in items), Decimal(0)) + sum(
                (f.fee_amount for f in fees), Decimal(0))
            if total != self.amount:
                raise ValueError(f"amount {self.amount} does not match the order: sum(unit_price * quantity) + "
                                 f"sum(fee_amount) = {total}")
        return self


class CancelPaymentRequestArgs(ToolArgs):
    checkout_id: Identifier = Field(description="Payment request (checkout) id")


class RefundArgs(ToolArgs):
    payin_id: Identifier = Field(description="The successful payin to refund")
    amount: Amount = Field(description="Amount to refund (at most what is left of the payin)")
    currency: CurrencyCode
    reason: Text | None = Field(None, description="Why, for the person approving and the audit log only: "
                                                  "PayCombat's refund request has no such field, so it is not sent")

    def to_arguments(self) -> dict[str, Any]:
        """``refunds.create`` arguments (the documented body; ``reason`` stays out)."""
        return self.model_dump(exclude_none=True, exclude={"reason"})


class CreateBeneficiaryArgs(ToolArgs):
    type: Literal["individual", "company"]
    beneficiary_name: Text
    currency: CurrencyCode
    payout_method_name: Identifier
    details: BeneficiaryInput

    def to_arguments(self) -> dict[str, Any]:
        return {"type": self.type, "beneficiary_name": self.beneficiary_name, "currency": self.currency,
                "payout_method_name": self.payout_method_name, **self.details.to_params()}


class UpdateBeneficiaryArgs(ToolArgs):
    beneficiary_id: Identifier
    beneficiary_name: Text | None = None
    currency: CurrencyCode | None = None
    payout_method_name: Identifier | None = None
    details: BeneficiaryInput | None = None
    is_active: bool | None = None

    def to_arguments(self) -> dict[str, Any]:
        args = self.model_dump(exclude_none=True, exclude={"details"})
        if self.details is not None:
            args.update(self.details.to_params())
        return args
