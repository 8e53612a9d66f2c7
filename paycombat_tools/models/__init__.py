"""Wire types, one module per resource: requests forbid unknown fields, responses keep them.

Each resource's module loads on first use (``models.Payout`` imports ``models.payouts`` and what it
needs, nothing else), so using one operation does not build every resource's pydantic schemas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

#: Where each name of ``__all__`` lives.
_MODULE_OF: dict[str, str] = {
    name: module for module, names in {
        "_base": "Amount ListParams Money RequestModel ResponseModel",
        "beneficiaries": "Beneficiary BeneficiaryCreate BeneficiaryParams BeneficiaryValidation",
        "checkouts": "Checkout PaymentRequestCreate VaBankInformation",
        "customers": "Customer CustomerCreate WalletReadiness",
        "merchant": "MerchantBalance Refund RefundCreate",
        "methods": "CountryCurrency FieldSpec PayinMethod PaymentMethod PayoutMethod PayoutRequiredFields",
        "payins": "Payin PayinCreate VirtualAccount",
        "payouts": "Payout PayoutCreate",
        "transactions": "Transaction",
        "wallets": "Wallet WalletAccount WalletCreate",
        "webhooks": "PayinEvent PayinSuccess PayoutFailed PayoutSuccess VaRegistered WebhookEvent",
    }.items() for name in names.split()
}

__all__ = [
    "Amount", "Beneficiary", "BeneficiaryCreate", "BeneficiaryParams", "BeneficiaryValidation",
    "Checkout", "CountryCurrency", "Customer", "CustomerCreate", "FieldSpec", "ListParams",
    "MerchantBalance", "Money", "Payin", "PayinCreate", "PayinEvent", "PayinMethod", "PayinSuccess",
    "PaymentMethod", "PaymentRequestCreate", "Payout", "PayoutCreate", "PayoutFailed",
    "PayoutMethod", "PayoutRequiredFields", "PayoutSuccess", "Refund", "RefundCreate",
    "RequestModel", "ResponseModel", "Transaction", "VaBankInformation", "VaRegistered",
    "VirtualAccount", "Wallet", "WalletAccount", "WalletCreate", "WalletReadiness", "WebhookEvent",
]


def __getattr__(name: str) -> Any:
    """Load the one module that defines ``name`` (and keep the name here for next time)."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
