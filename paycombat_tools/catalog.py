"""The operation catalog: every PayCombat operation as one row of data.

The client's resource methods, the sandbox's routes, the OpenAPI document, ``docs/api-coverage.md``
and the agent tools' risk classes are all generated from this table. Each row carries its evidence
as data: ``confidence`` (``confirmed``: method and path seen in PayCombat's public docs or in code
that calls the live API; ``dev-docs``: seen only in PayCombat's internal dev docs, mapped by the rule
"public path = /api/v1 + dev path minus /finmo"; ``inferred``: our best guess) and ``source`` (the
docs page slug, dev page id or code it rests on; see ``shared/api/EVIDENCE.md``). Any path can be
overridden per client: ``PayCombat(..., paths={"payouts.list": "/real/path"})``.

``signature`` is the documented signing rule: ``required`` (the docs list the header as required,
or the docs' general rule "Each POST/PATCH Request requires a Signature in the header" applies),
``optional`` (listed as optional) or ``none`` (GETs, and the bodiless PATCH/DELETE calls whose curl
sends only ``X-token``). The client signs whenever it sends a body; the sandbox refuses a missing
signature only where it is required and always refuses a wrong one.
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
Confidence = Literal["confirmed", "dev-docs", "inferred"]
SignatureRule = Literal["required", "optional", "none"]
Returns = Literal["object", "list", "pdf"]
#: ``flat``: ``{status, message, data: record}``; ``nested``: Finmo's envelope inside ``data``
#: (``data: {request_id, request_time, success, status_code, status_text, data: record}``).
Envelope = Literal["flat", "nested"]

_PATH_PARAM = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Operation:
    """One API operation: how to call it, what it means, and how sure we are of it."""

    name: str
    method: Literal["GET", "POST", "PATCH", "DELETE"]
    path: str
    summary: str
    confidence: Confidence
    #: what the row rests on: docs page slug, dev page id, code, or the reason for the inference
    source: str
    #: request/response models as "module:Class" under paycombat_tools.models, loaded on first use
    request: str | None = None
    response: str | None = None
    returns: Returns = "object"
    paginated: bool = False
    risk: Risk = "read"
    signature: SignatureRule | None = None
    #: whether ``X-token`` is required (the docs mark it optional on one "Developing" page)
    token: Literal["required", "optional"] = "required"
    envelope: Envelope = "flat"
    #: body field that makes a retried POST safe; the client fills it in when missing.
    idempotency_field: str | None = None
    #: body fields the method also takes positionally, after the path parameters (``customers.update(id, ...)``)
    body_args: tuple[str, ...] = ()
    sandbox_only: bool = False

    def __post_init__(self) -> None:
        if self.signature is None:  # the docs' rule: writes with a body are signed, the rest are not
            object.__setattr__(self, "signature", "required" if self.has_body else "none")

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
    def positional(self) -> tuple[str, ...]:
        """The arguments the method takes by position: path parameters, then ``body_args``."""
        return self.path_params + self.body_args

    @property
    def has_body(self) -> bool:
        """POST/PATCH with a request model send a JSON body; bodiless PATCH and DELETE send none."""
        return self.method in ("POST", "PATCH") and self.request is not None

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


_NAV = "docs nav lists the method only; path follows REFERENCE"
_FINMO = "docs nav lists the method only; path is Finmo-shaped (EVIDENCE S21), low confidence"

OPERATIONS: tuple[Operation, ...] = (
    # -- Master data, methods ---------------------------------------------------------------
    Operation("master_data.list_countries_currencies", "GET", "/api/v1/master-data/country-currency",
              "List every supported country with its currency.", "inferred",
              "docs nav title 'Get All Country & Currency Code' only; path REFERENCE 5.1",
              response="methods:CountryCurrency", returns="list"),
    Operation("payout_methods.list", "GET", "/api/v1/payout-method",
              "List payout methods, optionally for one currency and country.", "inferred",
              "docs nav title 'Get All Payout Method' only; path REFERENCE 5.2",
              request="methods:MethodListParams", response="methods:PayoutMethod", returns="list"),
    Operation("payout_methods.required_fields", "GET",
              "/api/v1/payout-method/required-field/{payout_method_name}",
              "The beneficiary fields (with regexes) a payout method needs.", "dev-docs",
              "PC-DEV api-12823304 /finmo/payout-method/required-field/{payout_method_name}",
              response="methods:PayoutRequiredFields"),
    Operation("payin_methods.list", "GET", "/api/v1/payin-method",
              "List payin methods, optionally for one currency and country.", "inferred",
              "docs nav title 'Get All Payin Method' only; path REFERENCE 5.3",
              request="methods:MethodListParams", response="methods:PayinMethod", returns="list"),
    Operation("payin_methods.required_fields", "GET",
              "/api/v1/payin-method/required-field/{payin_method_name}",
              "The payer fields, limits and expiry rules of a payin method.", "dev-docs",
              "PC-DEV api-12823595 /finmo/payin-method/required-field/{payin_method_name}",
              response="methods:PayinRequiredFields"),
    # -- Payout beneficiaries ------------------------------------------------------------------
    Operation("beneficiaries.create", "POST", "/api/v1/payout-beneficiary",
              "Save a payout beneficiary (where future payouts can go).", "inferred",
              f"docs nav 'Create Payout Beneficiary POST'; {_FINMO}",
              request="beneficiaries:BeneficiaryCreate", response="beneficiaries:Beneficiary", risk="money",
              idempotency_field="organization_reference_id"),
    Operation("beneficiaries.update", "PATCH", "/api/v1/payout-beneficiary/{beneficiary_id}",
              "Change a saved beneficiary's details.", "inferred",
              f"docs nav 'Update Payout Beneficiary PATCH'; {_FINMO}",
              request="beneficiaries:BeneficiaryUpdate", response="beneficiaries:Beneficiary", risk="money"),
    Operation("beneficiaries.list", "GET", "/api/v1/payout-beneficiary",
              "List saved payout beneficiaries.", "inferred",
              f"docs nav 'Get All Payout Beneficiary GET'; {_FINMO}",
              request="beneficiaries:BeneficiaryListParams", response="beneficiaries:Beneficiary", returns="list",
              paginated=True),
    Operation("beneficiaries.retrieve", "GET", "/api/v1/payout-beneficiary/{beneficiary_id}",
              "Get one saved beneficiary.", "inferred", f"docs nav 'Get Payout Beneficiary by Id GET'; {_FINMO}",
              response="beneficiaries:Beneficiary"),
    Operation("beneficiaries.validate", "POST", "/api/v1/payout-beneficiary/{beneficiary_id}/validate",
              "Check a saved beneficiary against a payout method's field rules.", "inferred",
              f"docs nav 'Validation by Id POST'; {_FINMO}",
              request="beneficiaries:BeneficiaryValidateById", response="beneficiaries:BeneficiaryValidation"),
    Operation("beneficiaries.validate_body", "POST", "/api/v1/payout-beneficiary/validate",
              "Check beneficiary details against a payout method's field rules without saving them.", "inferred",
              f"docs nav 'Validation by Body POST' (validation-by-body-12786365e0); {_FINMO}",
              request="beneficiaries:BeneficiaryValidateBody", response="beneficiaries:BeneficiaryValidation"),
    # -- Payins ---------------------------------------------------------------------------------
    Operation("payins.create", "POST", "/api/v1/payin/create",
              "Create a payin: collect money from a payer into a wallet.", "confirmed",
              "PC-DOCS create-payin-12823303e0",
              request="payins:PayinCreate", response="payins:Payin", risk="money",
              idempotency_field="organization_reference_id"),
    Operation("payins.retrieve", "GET", "/api/v1/payin/retrieve-payin/{payin_id}",
              "Get one payin and its status (by PayCombat id or Finmo payin_... id).", "confirmed",
              "PC-DOCS retrieve-payin-12823155e0", response="payins:Payin"),
    Operation("payins.memo", "GET", "/api/v1/payin/memo/{payin_id}",
              "The payin's memo as a PDF.", "inferred",
              "docs nav A title 'Retrieve Payin Memo (PDF)' only; absent from nav B", returns="pdf"),
    Operation("payins.create_virtual_account", "POST", "/api/v1/payin/create-va",
              "Register a KRW virtual account for a payer (result arrives by callback).", "confirmed",
              "PC-DOCS create-virtual-account-16406617e0",
              request="payins:VirtualAccountCreate", response="payins:VirtualAccount", risk="write",
              idempotency_field="organization_reference_id"),
    Operation("payins.simulate", "PATCH", "/api/v1/payin/simulate",
              "Sandbox only: complete (or fail/expire) a PENDING payin and send its webhook.", "inferred",
              "docs nav B 'Simulate Payin PATCH' (simulate-payin-12814516e0); path not seen",
              request="payins:PayinSimulate", response="payins:Payin", risk="money", sandbox_only=True),
    Operation("payins.simulate_virtual_account", "POST", "/api/v1/payin/simulate-va",
              "Sandbox only: decide a PENDING KRW virtual account's registration (sends VA Register Callback).",
              "inferred", "docs nav B' 'Simulate Create VA POST'; path not seen",
              request="payins:VirtualAccountSimulate", response="payins:VirtualAccount", risk="write",
              sandbox_only=True),
    # -- Payouts --------------------------------------------------------------------------------
    Operation("payouts.create", "POST", "/api/v1/payout/create-payout",
              "Send money from the payout wallet to a beneficiary.", "confirmed",
              "PC-PHP PayoutRequestController (live API); PC-DEV api-12836301",
              request="payouts:PayoutCreate", response="payouts:Payout", risk="money", idempotency_field="order_id"),
    Operation("payouts.simulate", "PATCH", "/api/v1/payout/simulate",
              "Sandbox only: complete or fail a PENDING payout (or return a SUCCESS one) and send its webhook.",
              "inferred", "docs nav 'Simulate Payout PATCH' (simulate-payout-12814521e0); path not seen",
              request="payouts:PayoutSimulate", response="payouts:Payout", risk="money", sandbox_only=True),
    Operation("payouts.memo", "GET", "/api/v1/payout/memo/{payout_id}",
              "The payout's memo (remittance advice) as a PDF.", "inferred",
              "docs nav A 'Retrieve Payout Memo (PDF) GET'; absent from nav B", returns="pdf"),
    Operation("payouts.retrieve", "GET", "/api/v1/payout-method/retrieve-payout/{payout_id}",
              "Get one payout and its status.", "dev-docs",
              "PC-DEV api-12837100 /finmo/payout-method/retrieve-payout/{payout_id_finmo}",
              response="payouts:Payout"),
    Operation("payouts.list", "GET", "/api/v1/payout", "List payouts.", "inferred",
              f"docs nav 'Get All Payout GET'; {_NAV} 5.6",
              request="payouts:PayoutListParams", response="payouts:Payout", returns="list", paginated=True),
    # -- Checkout -------------------------------------------------------------------------------
    Operation("checkouts.create_payment_request", "POST", "/api/v1/checkout/payment-request",
              "Create a payment request with a hosted checkout page (checkout_url) for the payer.", "confirmed",
              "PC-DOCS create-payment-request-13142063e0 (signature required)",
              request="checkouts:PaymentRequestCreate", response="checkouts:Checkout", risk="money",
              idempotency_field="organization_reference_id"),
    Operation("checkouts.list", "GET", "/api/v1/checkout", "List payment requests.", "inferred",
              f"docs nav 'Get All Checkout GET'; {_NAV} 5.7",
              request="checkouts:CheckoutListParams", response="checkouts:Checkout", returns="list", paginated=True),
    Operation("checkouts.cancel", "PATCH", "/api/v1/checkout/cancel",
              "Cancel a payment request that has not been paid.", "inferred",
              "docs nav A 'Cancel Checkout PATCH' (cancel-checkout-13272513e0); path not seen; absent from nav B",
              request="checkouts:CheckoutToken", response="checkouts:Checkout", risk="destructive"),
    Operation("checkouts.retrieve", "GET", "/api/v1/checkout/retrieve/{checkout_id}",
              "Get one payment request (with its checkout_url) by id or checkout token.", "confirmed",
              "PC-DOCS get-detail-checkout-13145826e0 (path param 'id')", response="checkouts:Checkout"),
    Operation("checkouts.create_virtual_account_krw", "PATCH", "/api/v1/checkout/create-virtual-account",
              "Issue a KRW virtual account for a payment request at the chosen bank.", "confirmed",
              "PC-DOCS create-virtual-account-krw-17354379e0 (X-token and signature optional)",
              request="checkouts:CheckoutMethodChoice", response="checkouts:CheckoutChoice", risk="write",
              signature="optional", token="optional"),
    Operation("checkouts.va_bank_information", "GET", "/api/v1/checkout/va-bank-information",
              "The banks that issue KRW virtual accounts, and a checkout's issued account.", "inferred",
              f"docs nav 'Get VA Bank Information [KRW] GET'; {_NAV} 5.7",
              request="checkouts:VaBankParams", response="checkouts:VaBankInformation"),
    Operation("checkouts.create_new_checkout", "PATCH", "/api/v1/checkout",
              "Choose the payin method for a payment request (creates its payin).", "confirmed",
              "PC-DOCS create-new-checkout-15936347e0 (signature optional)",
              request="checkouts:CheckoutMethodChoice", response="checkouts:CheckoutChoice", risk="money",
              signature="optional"),
    # -- Transactions ---------------------------------------------------------------------------
    Operation("transactions.retrieve", "GET", "/api/v1/transaction/{transaction_id}",
              "Get one ledger transaction.", "inferred", f"docs nav A title 'Find Transaction by Id' only; {_NAV} 5.8",
              response="transactions:Transaction"),
    Operation("transactions.list", "GET", "/api/v1/transaction",
              "List ledger transactions (every balance change).", "inferred",
              f"docs nav A title 'Get All Transaction' only; {_NAV} 5.8",
              request="transactions:TransactionListParams", response="transactions:Transaction", returns="list",
              paginated=True),
    # -- Wallets (no /api/v1 prefix, as on the documented Create Wallet page) ------------------
    Operation("wallets.create", "POST", "/wallet/create",
              "Create a customer wallet with one account per currency.", "confirmed",
              "paycombat-docs-create-wallet.txt (signature required)",
              request="wallets:WalletCreate", response="wallets:Wallet", risk="write"),
    Operation("wallets.list", "GET", "/wallet", "List wallets with their balances.", "inferred",
              "docs nav 'Get All Wallet GET'; path: sibling of the documented /wallet/create",
              request="wallets:WalletListParams", response="wallets:Wallet", returns="list", paginated=True),
    Operation("wallets.retrieve", "GET", "/wallet/{wallet_id}",
              "Get one wallet with its per-currency balances.", "inferred",
              "docs nav 'Get by Wallet Id GET' (get-by-wallet-id-13953753e0); path: sibling of /wallet/create",
              response="wallets:Wallet"),
    # -- Customers ------------------------------------------------------------------------------
    Operation("customers.create", "POST", "/api/v1/customer/create", "Create a customer.", "confirmed",
              "PC-DOCS create-customer-12819564e0 (signature required)",
              request="customers:CustomerCreate", response="customers:Customer", risk="write",
              idempotency_field="organization_reference_id"),
    Operation("customers.update", "PATCH", "/api/v1/customer/update",
              "Change a customer's details (an empty string clears a field).", "confirmed",
              "PC-DOCS update-customer-12819581e0 (customer_id in the body; signature required)",
              request="customers:CustomerUpdate", response="customers:Customer", risk="write",
              body_args=("customer_id",)),
    Operation("customers.list", "GET", "/api/v1/customer/customer", "List customers.", "inferred",
              "docs nav 'Get All Customer GET'; path: the documented retrieve path without the id",
              request="customers:CustomerListParams", response="customers:Customer", returns="list", paginated=True),
    Operation("customers.retrieve", "GET", "/api/v1/customer/customer/{customer_id}",
              "Get one customer.", "confirmed", "PC-DOCS get-detail-customer-by-id-12819568e0",
              response="customers:Customer"),
    Operation("customers.is_wallet_ready", "GET", "/api/v1/customer/is-wallet-ready/{customer_id}",
              "Whether a wallet can be issued to the customer, and which fields are missing.", "inferred",
              "docs nav 'Check Is Customer Wallet Ready GET' (check-is-customer-wallet-ready-12819594e0); "
              "path: verb before the id, like the documented disable",
              response="customers:WalletReadiness"),
    Operation("customers.enable", "PATCH", "/api/v1/customer/enable/{customer_id}",
              "Enable a customer.", "inferred",
              "docs nav 'Enable Customer PATCH' (enable-customer-12823648e0); path and bodiless call mirror "
              "the documented disable",
              response="customers:Customer", risk="write", envelope="nested"),
    Operation("customers.disable", "PATCH", "/api/v1/customer/disable/{customer_id}",
              "Disable a customer (no new payins or payouts).", "confirmed",
              "PC-DOCS disable-customer-12823650e0 (no body, no signature; nested envelope)",
              response="customers:Customer", risk="destructive", envelope="nested"),
    Operation("customers.delete", "DELETE", "/api/v1/customer/customer/{customer_id}",
              "Delete a customer.", "dev-docs",
              "PC-DEV api-12823656 DELETE /customer/customer/{customer_id} (nested envelope); public nav "
              "'Delete Customer DELETE' (delete-customer-12823656e0)",
              response="customers:Customer", risk="destructive", envelope="nested"),
    # -- Other ----------------------------------------------------------------------------------
    Operation("payment_methods.list_by_currency", "GET", "/api/v1/payment-method",
              "List the payment methods offered for a currency.", "inferred",
              f"docs nav 'Get List Payment Method by Currency GET'; {_NAV} 5.13",
              request="methods:CurrencyParams", response="methods:PaymentMethod", returns="list"),
    Operation("merchant.balance", "GET", "/api/v1/merchant/balance/{currency}",
              "The merchant's available, held and expected balance in one currency.", "confirmed",
              "PC-DOCS get-balance-payout-19032470e0 (the page is cut inside the parameter name)",
              response="merchant:MerchantBalance"),
    Operation("refunds.create", "POST", "/api/v1/refund/create",
              "Refund all or part of a successful payin.", "dev-docs", "PC-DEV api-12814498 /finmo/refund/create",
              request="merchant:RefundCreate", response="merchant:Refund", risk="money",
              idempotency_field="organization_reference_id"),
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
