"""Minimal valid arguments and response records, shared by the client tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

#: A valid AUD domestic payout (REFERENCE 5.6: AUD 5 sender / 15 beneficiary, au_bank_acct, SELF).
PAYOUT_KWARGS: dict[str, Any] = {
    "sender_amount": Decimal("10.00"),
    "sender_currency": "AUD",
    "beneficiary_amount": Decimal("10.00"),
    "beneficiary_currency": "AUD",
    "payout_method_name": "au_bank_acct",
    "purpose_code": "SELF",
    "payout_beneficiary_param": {
        "individual": {"first_name": "Jane", "last_name": "Citizen"},
        "account_number": "12345678",
        "bsb": "062000",
    },
}

#: A payout record as PC-DEV shows it (trimmed).
PAYOUT_RECORD: dict[str, Any] = {
    "id": "9b1f3c5e-0000-4000-8000-000000000001",
    "payout_id_finmo": "payout_0123456789abcdef0123456789abcdef",
    "merchant_id": "m_1",
    "status": "PENDING",
    "approval": "APPROVED",
    "order_id": "ord_1",
    "wire_amount": 10,
    "fee_taken": 0,
    "currency": "AUD",
    "beneficiary_bank": "au_bank_acct",
    "created_at": None,
    "updated_at": "2025-01-02T03:04:05.000Z",
}

#: One minimal record per response model class name (``"module:Class"`` -> ``Class``).
RECORDS: dict[str, dict[str, Any]] = {
    "CountryCurrency": {"country_code": "AU", "country_name": "AUSTRALIA", "currency": "AUD"},
    "PayoutMethod": {"payout_method_name": "au_bank_acct", "beneficiary_currency": "AUD"},
    "PayoutRequiredFields": {
        "payout_method_name": "au_bank_acct",
        "payout_beneficiary_param": {
            "individual": [{"name": "first_name", "mandatory": True, "regex": "^.{1,50}$"}],
            "base_param": [{"name": "bsb", "mandatory": True, "regex": "^[0-9]{6}$"}],
        },
    },
    "PayinMethod": {"payin_method_name": "au_bank_npp", "currency": "AUD", "min_amount": 1},
    "PayinRequiredFields": {
        "payin_method_name": "au_bank_npp",
        "payin_method_param": [{"name": "customer_email", "mandatory": False}],
        "default_expiry_time_seconds": "3600",
    },
    "Beneficiary": {"payout_beneficiary_id": "pb_1", "type": "individual", "beneficiary_name": "Jane Citizen"},
    "BeneficiaryValidation": {"is_valid": True, "payout_method_name": "au_bank_acct", "errors": []},
    "Payin": {"id": "pi_1", "status": "PENDING", "amount": 100, "amount_type": "AUD", "currency": "FIAT"},
    "VirtualAccount": {"id": "va_1", "status": "PENDING", "payin_method_name": "KDB산업은행"},
    "Payout": PAYOUT_RECORD,
    "Checkout": {"id": "ck_1", "checkout_token": "a" * 64, "amount": 25, "currency": "AUD",
                 "checkout_url": "https://checkout.paycombat.com/?token=" + "a" * 64 + "&identifier=snd_secret"},
    "CheckoutChoice": {"id": "ck_1", "checkout_token": "a" * 64, "amount": 25, "currency": "AUD",
                       "payin_method_name": "au_bank_npp"},
    "VaBankInformation": {"banks": [{"payin_method_name": "KDB산업은행", "bank_code": "002"}]},
    "Transaction": {"transaction_id": "txn_1", "type": "PAYIN", "amount": "12.50", "currency": "AUD"},
    "Wallet": {
        "wallet_id": "wallet_1",
        "customer_id": "customer_1",
        "wallet_account": [{"wallet_account_id": "wa_1", "currency": "AUD", "available_balance": "10.00"}],
    },
    "Customer": {"customer_id": "customer_1", "type": "individual", "is_active": True},
    "WalletReadiness": {"customer_id": "customer_1", "is_wallet_ready": False, "missing_field": ["dob"]},
    "PaymentMethod": {"payment_code": "au_bank_npp", "currency": "AUD"},
    "MerchantBalance": {"currency": "AUD", "total_balance_available": "100.50"},
    "Refund": {"id": "rf_1", "payin_id": "pi_1", "amount": 10, "currency": "AUD", "status": "PENDING"},
}

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)
