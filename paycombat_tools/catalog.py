"""The operation catalog: every PayCombat operation as one row of data.

The client's resource methods, the sandbox's routes, the OpenAPI document and the agent tools'
risk classes are all generated from this table. ``confidence`` says how sure we are of the path:
``confirmed`` paths are seen in PayCombat's docs or code that calls the live API; ``inferred``
ones follow the reference's rule "public path = /api/v1 + dev path minus /finmo" or the resource's
naming, and can be overridden per client: ``PayCombat(..., paths={"payouts.list": "/real/path"})``.
Sources are the short names of ``shared/api/REFERENCE.md``.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from pydantic import BaseModel


Risk = Literal["read", "write", "money", "destructive"]
Confidence = Literal["confirmed", "inferred"]
Returns = Literal["object", "list", "pdf"]

_PATH_PARAM = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Operation:
    """One API operation: how to call it and what it means."""

    name: str
    method: Literal["GET", "POST", "PATCH", "DELETE"]
    path: str
    summary: str
    #: request/response models as "module:Class" under paycombat_tools.models, loaded on first use
    request: str | None = None
    response: str | None = None
    returns: Returns = "object"
    paginated: bool = False
    risk: Risk = "read"
    confidence: Confidence = "inferred"
    #: body field that makes a retried POST safe; the client fills it in when missing.
    idempotency_field: str | None = None
    sandbox_only: bool = False

    @property
    def request_model(self) -> "type[BaseModel] | None":
        return _load_model(self.request)

    @property
    def response_model(self) -> "type[BaseModel] | None":
        return _load_model(self.response)

    @property
    def resource(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def method_name(self) -> str:
        return self.name.split(".", 1)[1]

    @property
    def path_params(self) -> tuple[str, ...]:
        return tuple(_PATH_PARAM.findall(self.path))

    @property
    def has_body(self) -> bool:
        return self.method in ("POST", "PATCH")

    @property
    def moves_money(self) -> bool:
        return self.risk == "money"


@cache
def _load_model(reference: str | None) -> "type[BaseModel] | None":
    """Import a model only when an operation is first used, so ``import paycombat_tools`` stays light."""
    if reference is None:
        return None
    module_name, _, class_name = reference.partition(":")
    module = importlib.import_module(f"paycombat_tools.models.{module_name}")
    model: type[BaseModel] = getattr(module, class_name)
    return model


OPERATIONS: tuple[Operation, ...] = (
    # -- Master data, methods ---------------------------------------------------------------
    Operation("master_data.list_countries_currencies", "GET", "/api/v1/master-data/country-currency",
              "List every supported country with its currency.",
              response="methods:CountryCurrency", returns="list"),  # inferred: REFERENCE 5.1
    Operation("payout_methods.list", "GET", "/api/v1/payout-method",
              "List payout methods, optionally for one currency and country.",
              request="methods:MethodListParams", response="methods:PayoutMethod", returns="list"),  # inferred: 5.2
    Operation("payout_methods.required_fields", "GET",
              "/api/v1/payout-method/required-field/{payout_method_name}",
              "The beneficiary fields (with regexes) a payout method needs.",
              response="methods:PayoutRequiredFields"),  # inferred from PC-DEV /finmo/payout-method/required-field
    Operation("payin_methods.list", "GET", "/api/v1/payin-method",
              "List payin methods, optionally for one currency and country.",
              request="methods:MethodListParams", response="methods:PayinMethod", returns="list"),  # inferred: 5.3
    Operation("payin_methods.required_fields", "GET",
              "/api/v1/payin-method/required-field/{payin_method_name}",
              "The payer fields, limits and expiry rules of a payin method.",
              response="methods:PayinRequiredFields"),  # inferred from PC-DEV /finmo/payin-method/required-field
    # -- Payout beneficiaries ------------------------------------------------------------------
    Operation("beneficiaries.create", "POST", "/api/v1/payout-beneficiary",
              "Save a payout beneficiary (where future payouts can go).",
              request="beneficiaries:BeneficiaryCreate", response="beneficiaries:Beneficiary", risk="money",
              idempotency_field="organization_reference_id"),  # inferred: Finmo POST /payout-beneficiary
    Operation("beneficiaries.update", "PATCH", "/api/v1/payout-beneficiary/{beneficiary_id}",
              "Change a saved beneficiary's details.",
              request="beneficiaries:BeneficiaryUpdate", response="beneficiaries:Beneficiary", risk="money"),  # inferred: 5.4
    Operation("beneficiaries.list", "GET", "/api/v1/payout-beneficiary",
              "List saved payout beneficiaries.",
              request="beneficiaries:BeneficiaryListParams", response="beneficiaries:Beneficiary", returns="list",
              paginated=True),  # inferred: 5.4
    Operation("beneficiaries.retrieve", "GET", "/api/v1/payout-beneficiary/{beneficiary_id}",
              "Get one saved beneficiary.", response="beneficiaries:Beneficiary"),  # inferred: 5.4
    Operation("beneficiaries.validate", "POST", "/api/v1/payout-beneficiary/{beneficiary_id}/validate",
              "Check a saved beneficiary against a payout method's field rules.",
              request="beneficiaries:BeneficiaryValidateById", response="beneficiaries:BeneficiaryValidation"),  # inferred: 5.4
    Operation("beneficiaries.validate_body", "POST", "/api/v1/payout-beneficiary/validate",
              "Check beneficiary details against a payout method's field rules without saving them.",
              request="beneficiaries:BeneficiaryValidateBody", response="beneficiaries:BeneficiaryValidation"),  # inferred: 5.4
    # -- Payins ---------------------------------------------------------------------------------
    Operation("payins.create", "POST", "/api/v1/payin/create",
              "Create a payin: collect money from a payer into a wallet.",
              request="payins:PayinCreate", response="payins:Payin", risk="money", confidence="confirmed",
              idempotency_field="organization_reference_id"),  # PC-DOCS create-payin-12823303e0
    Operation("payins.retrieve", "GET", "/api/v1/payin/retrieve-payin/{payin_id}",
              "Get one payin and its status.", response="payins:Payin"),  # inferred from PC-DEV retrieve-payin
    Operation("payins.memo", "GET", "/api/v1/payin/memo/{payin_id}",
              "The payin's memo as a PDF.", returns="pdf"),  # inferred: nav item only
    Operation("payins.create_virtual_account", "POST", "/api/v1/payin/create-va",
              "Register a KRW virtual account for a payer (result arrives by callback).",
              request="payins:VirtualAccountCreate", response="payins:VirtualAccount", risk="write",
              confidence="confirmed",
              idempotency_field="organization_reference_id"),  # PC-DOCS create-virtual-account-16406617e0
    Operation("payins.simulate", "PATCH", "/api/v1/payin/simulate",
              "Sandbox only: complete (or fail/expire) a PENDING payin and send its webhook.",
              request="payins:PayinSimulate", response="payins:Payin", risk="money",
              sandbox_only=True),  # inferred path; PATCH per PC-DOCS simulate-payin-12814516e0
    # -- Payouts --------------------------------------------------------------------------------
    Operation("payouts.create", "POST", "/api/v1/payout/create-payout",
              "Send money from the payout wallet to a beneficiary.",
              request="payouts:PayoutCreate", response="payouts:Payout", risk="money", confidence="confirmed",
              idempotency_field="order_id"),  # given; PC-PHP, PC-DEV api-12836301
    Operation("payouts.simulate", "PATCH", "/api/v1/payout/simulate",
              "Sandbox only: complete or fail a PENDING payout and send its webhook.",
              request="payouts:PayoutSimulate", response="payouts:Payout", risk="money",
              sandbox_only=True),  # inferred path; PATCH per PC-DOCS simulate-payout-12814521e0
    Operation("payouts.memo", "GET", "/api/v1/payout/memo/{payout_id}",
              "The payout's memo (remittance advice) as a PDF.", returns="pdf"),  # inferred: nav only
    Operation("payouts.retrieve", "GET", "/api/v1/payout-method/retrieve-payout/{payout_id}",
              "Get one payout and its status.",
              response="payouts:Payout"),  # inferred from PC-DEV /finmo/payout-method/retrieve-payout
    Operation("payouts.list", "GET", "/api/v1/payout", "List payouts.",
              request="payouts:PayoutListParams", response="payouts:Payout", returns="list",
              paginated=True),  # inferred: 5.6
    # -- Checkout -------------------------------------------------------------------------------
    Operation("checkouts.create_payment_request", "POST", "/api/v1/checkout/create",
              "Create a payment request with a hosted checkout page for the payer.",
              request="checkouts:PaymentRequestCreate", response="checkouts:Checkout", risk="money",
              idempotency_field="organization_reference_id"),  # inferred: 5.7
    Operation("checkouts.list", "GET", "/api/v1/checkout", "List payment requests.",
              request="checkouts:CheckoutListParams", response="checkouts:Checkout", returns="list",
              paginated=True),  # inferred: 5.7
    Operation("checkouts.cancel", "PATCH", "/api/v1/checkout/cancel",
              "Cancel a payment request that has not been paid.",
              request="checkouts:CheckoutToken", response="checkouts:Checkout", risk="destructive"),  # inferred: 5.7
    Operation("checkouts.retrieve", "GET", "/api/v1/checkout/{checkout_id}",
              "Get one payment request by id or checkout token.",
              response="checkouts:Checkout"),  # inferred: 5.7
    Operation("checkouts.create_virtual_account_krw", "PATCH", "/api/v1/checkout/create-virtual-account",
              "Issue a KRW virtual account for a payment request at the chosen bank.",
              request="checkouts:CheckoutMethodChoice", response="checkouts:Checkout", risk="write",
              confidence="confirmed"),  # PC-DOCS create-virtual-account-krw-17354379e0
    Operation("checkouts.va_bank_information", "GET", "/api/v1/checkout/va-bank-information",
              "The banks that issue KRW virtual accounts, and a checkout's issued account.",
              request="checkouts:VaBankParams", response="checkouts:VaBankInformation"),  # inferred: 5.7
    Operation("checkouts.create_new_checkout", "PATCH", "/api/v1/checkout",
              "Choose the payin method for a payment request (creates its payin).",
              request="checkouts:CheckoutMethodChoice", response="checkouts:Checkout", risk="money",
              confidence="confirmed"),  # PC-DOCS create-new-checkout-15936347e0
    # -- Transactions ---------------------------------------------------------------------------
    Operation("transactions.retrieve", "GET", "/api/v1/transaction/{transaction_id}",
              "Get one ledger transaction.", response="transactions:Transaction"),  # inferred: 5.8
    Operation("transactions.list", "GET", "/api/v1/transaction",
              "List ledger transactions (every balance change).",
              request="transactions:TransactionListParams", response="transactions:Transaction", returns="list",
              paginated=True),  # inferred: 5.8
    # -- Wallets (no /api/v1 prefix, as on the documented Create Wallet page) ------------------
    Operation("wallets.create", "POST", "/wallet/create",
              "Create a customer wallet with one account per currency.",
              request="wallets:WalletCreate", response="wallets:Wallet", risk="write",
              confidence="confirmed"),  # given: paycombat-docs-create-wallet.txt
    Operation("wallets.list", "GET", "/wallet", "List wallets with their balances.",
              request="wallets:WalletListParams", response="wallets:Wallet", returns="list",
              paginated=True),  # inferred: sibling of the confirmed /wallet/create
    Operation("wallets.retrieve", "GET", "/wallet/{wallet_id}",
              "Get one wallet with its per-currency balances.",
              response="wallets:Wallet"),  # inferred: sibling of the confirmed /wallet/create
    # -- Customers ------------------------------------------------------------------------------
    Operation("customers.create", "POST", "/api/v1/customer", "Create a customer.",
              request="customers:CustomerCreate", response="customers:Customer", risk="write",
              idempotency_field="organization_reference_id"),  # inferred: Finmo POST /customer
    Operation("customers.update", "PATCH", "/api/v1/customer/{customer_id}",
              "Change a customer's details.",
              request="customers:CustomerUpdate", response="customers:Customer", risk="write"),  # inferred: 5.10
    Operation("customers.list", "GET", "/api/v1/customer", "List customers.",
              request="customers:CustomerListParams", response="customers:Customer", returns="list",
              paginated=True),  # inferred: 5.10
    Operation("customers.retrieve", "GET", "/api/v1/customer/{customer_id}",
              "Get one customer.", response="customers:Customer"),  # inferred: 5.10
    Operation("customers.is_wallet_ready", "GET", "/api/v1/customer/{customer_id}/is-wallet-ready",
              "Whether a wallet can be issued to the customer, and which fields are missing.",
              response="customers:WalletReadiness"),  # inferred: 5.10
    Operation("customers.enable", "PATCH", "/api/v1/customer/{customer_id}/enable",
              "Enable a customer.", response="customers:Customer", risk="write"),  # inferred: Finmo enable
    Operation("customers.disable", "PATCH", "/api/v1/customer/{customer_id}/disable",
              "Disable a customer (no new payins or payouts).",
              response="customers:Customer", risk="destructive"),  # inferred: Finmo disable
    Operation("customers.delete", "DELETE", "/api/v1/customer/{customer_id}",
              "Delete a customer (soft delete).",
              response="customers:Customer", risk="destructive"),  # inferred: 5.10
    # -- Other ----------------------------------------------------------------------------------
    Operation("payment_methods.list_by_currency", "GET", "/api/v1/payment-method",
              "List the payment methods offered for a currency.",
              request="methods:CurrencyParams", response="methods:PaymentMethod", returns="list"),  # inferred: 5.13
    Operation("merchant.balance", "GET", "/api/v1/merchant/balance/{currency}",
              "The merchant's available, held and expected balance in one currency.",
              response="merchant:MerchantBalance",
              confidence="confirmed"),  # PC-DOCS get-balance-payout-19032470e0 (param name cut off)
    Operation("refunds.create", "POST", "/api/v1/refund/create",
              "Refund all or part of a successful payin.",
              request="merchant:RefundCreate", response="merchant:Refund", risk="money",
              idempotency_field="organization_reference_id"),  # inferred from PC-DEV /finmo/refund/create
)

CATALOG: dict[str, Operation] = {operation.name: operation for operation in OPERATIONS}


def operation(name: str) -> Operation:
    """Look up one operation by its dotted name (``"payouts.create"``)."""
    try:
        return CATALOG[name]
    except KeyError:
        raise KeyError(f"unknown operation {name!r}; see paycombat_tools.catalog.CATALOG") from None


def resources() -> dict[str, list[Operation]]:
    """Operations grouped by resource, in catalog order."""
    grouped: dict[str, list[Operation]] = {}
    for entry in OPERATIONS:
        grouped.setdefault(entry.resource, []).append(entry)
    return grouped
