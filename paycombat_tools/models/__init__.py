"""Wire types, one module per resource: requests forbid unknown fields, responses keep them."""

from ._base import Amount, ListParams, Money, RequestModel, ResponseModel
from .beneficiaries import Beneficiary, BeneficiaryCreate, BeneficiaryParams, BeneficiaryValidation
from .checkouts import Checkout, PaymentRequestCreate, VaBankInformation
from .customers import Customer, CustomerCreate, WalletReadiness
from .merchant import MerchantBalance, Refund, RefundCreate
from .methods import CountryCurrency, FieldSpec, PayinMethod, PaymentMethod, PayoutMethod, PayoutRequiredFields
from .payins import Payin, PayinCreate, VirtualAccount
from .payouts import Payout, PayoutCreate
from .transactions import Transaction
from .wallets import Wallet, WalletAccount, WalletCreate
from .webhooks import PayinEvent, PayinSuccess, PayoutFailed, PayoutSuccess, VaRegistered, WebhookEvent

__all__ = [
    "Amount", "Beneficiary", "BeneficiaryCreate", "BeneficiaryParams", "BeneficiaryValidation",
    "Checkout", "CountryCurrency", "Customer", "CustomerCreate", "FieldSpec", "ListParams",
    "MerchantBalance", "Money", "Payin", "PayinCreate", "PayinEvent", "PayinMethod", "PayinSuccess",
    "PaymentMethod", "PaymentRequestCreate", "Payout", "PayoutCreate", "PayoutFailed",
    "PayoutMethod", "PayoutRequiredFields", "PayoutSuccess", "Refund", "RefundCreate",
    "RequestModel", "ResponseModel", "Transaction", "VaBankInformation", "VaRegistered",
    "VirtualAccount", "Wallet", "WalletAccount", "WalletCreate", "WalletReadiness", "WebhookEvent",
]
