"""The OpenAPI document's hand-written part: one request body per operation that sends one and one
record per response model. The tests check each against both the schemas and the models; sandbox-only
fields stay out of them.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

_T0, _T1, _T2 = "2026-01-05T09:30:00.000Z", "2026-01-05T09:31:12.000Z", "2026-01-07T09:30:00.000Z"
#: the time the examples' answers were given
ANSWERED_AT = _T1
_ORG = "org_e4b06ce60741c7a87ce42c8218072e8c"
_MERCHANT = "35bf992d-c9e9-4616-a12e-7696a6cecc1b"
_CUSTOMER = "customer_d92a4aa2b410d93c4efbc8d60b21fbac"
_WALLET = "wallet_9403560d97dae38d9d643c25fbb230bb"
_PAYOUT_WALLET = "wallet_c381e88f38c0c8fd8712b8bc076f3787"
_PAYIN = "eb8ac8ce-8a24-4e6b-b313-8131c541013d"
_PAYOUT = "62397bc7-0176-4741-bab9-f87ff5059285"
_CHECKOUT = "f463b337-d20b-4d59-9b61-0487c89da11b"
_CHECKOUT_TOKEN = "9be3cecb8c497c68a8c24d4244ef7feb62397bc701762741bab9f87ff5059285"
_BENEFICIARY = "pb_f320cd576d14475b349aae908fb5262c"
_VIRTUAL_ACCOUNT = "0067dba8-5898-4008-aa17-b9af5b569643"
_AU_ACCOUNT = {"bsb": "062-000", "account_number": "12345678",
               "individual": {"first_name": "Grace", "last_name": "Ho"}}

#: One request body per operation that sends one: valid for the request model, amounts as strings.
REQUEST_EXAMPLES: dict[str, Schema] = {
    "beneficiaries.create": {"type": "individual", "beneficiary_name": "Grace Ho", "currency": "AUD",
                             "payout_method_name": "au_bank_acct", **_AU_ACCOUNT,
                             "organization_reference_id": "ben-1001"},
    "beneficiaries.update": {"beneficiary_name": "Grace Ho", "description": "Grace's everyday account"},
    "beneficiaries.validate": {"payout_method_name": "au_bank_acct"},
    "beneficiaries.validate_body": {"payout_method_name": "au_bank_acct", "payout_beneficiary_param": _AU_ACCOUNT},
    "payins.create": {"amount": "100.00", "currency": "AUD", "payin_method_name": "au_bank_npp",
                      "credit_wallet_id": _WALLET, "description": "Top-up",
                      "organization_reference_id": "payin-1001"},
    "payins.create_virtual_account": {"payin_method_name": "KB국민은행", "currency": "KRW", "country": "KR",
                                      "user_name": "Hong Gildong", "user_yymmdd": "900517",
                                      "organization_reference_id": "va-1001"},
    "payins.simulate": {"payin_id": _PAYIN, "status": "SUCCESS"},
    "payins.simulate_virtual_account": {"virtual_account_id": _VIRTUAL_ACCOUNT, "status": "APPROVED"},
    "payouts.create": {"sender_amount": "40.00", "sender_currency": "AUD", "beneficiary_amount": "40.00",
                       "beneficiary_currency": "AUD", "payout_method_name": "au_bank_acct", "purpose_code": "SELF",
                       "payout_beneficiary_param": _AU_ACCOUNT, "order_id": "order-1001"},
    "payouts.simulate": {"payout_id": _PAYOUT, "status": "SUCCESS"},
    "checkouts.create_payment_request": {
        "amount": "30.00", "currency": "AUD", "country_code": "AU", "description": "Order 1001",
        "redirect_url": "https://shop.example.com/orders/1001",
        "order_items": [{"product_name": "T-shirt", "quantity": 2, "unit_price": "12.50"}],
        "order_fees": [{"fee_name": "Shipping", "fee_amount": "5.00"}],
        "organization_reference_id": "order-1001",
    },
    "checkouts.cancel": {"checkout_token": _CHECKOUT_TOKEN},
    "checkouts.create_virtual_account_krw": {"checkout_token": _CHECKOUT_TOKEN, "payin_method_name": "KB국민은행"},
    "checkouts.create_new_checkout": {"checkout_token": _CHECKOUT_TOKEN, "payin_method_name": "au_bank_npp"},
    "wallets.create": {"customer_id": _CUSTOMER, "currency": "AUD", "currency_list": ["AUD", "SGD"],
                       "description": "Ada's wallet"},
    # the Create Customer page's example body
    "customers.create": {"description": "Ada Tan, marketplace seller", "type": "individual",
                         "individual": {"first_name": "Ada", "last_name": "Tan", "address_country": "AU"}},
    "customers.update": {"customer_id": _CUSTOMER, "individual": {"email": "ada.tan@example.com",
                                                                  "phone_number": ""}},
    "refunds.create": {"payin_id": _PAYIN, "amount": "10.00", "currency": "AUD",
                       "organization_reference_id": "refund-1001"},
}

_FIELD_SPEC = {"type": "text", "mandatory": True}
_PAYOUT_METHOD = {
    "payout_method_id": "pom_61755f62616e6b5f6163637400000000", "payout_method_name": "au_bank_acct",
    "payout_method_description": "Payout using BSB & Account No", "currency": "AUD", "sender_country": "AU",
    "sender_currency": "AUD", "beneficiary_country": "AU", "beneficiary_currency": "AUD",
    "payout_method_category": "BANK", "payout_method_class": "DOMESTIC", "payout_method_group": "NO_GROUP",
}
_PAYIN_METHOD = {
    "payin_method_id": "pim_61755f62616e6b5f6e70700000000000", "payin_method_name": "au_bank_npp",
    "payin_method_description": "New Payments Platform (NPP)", "payin_method_category": "BANK",
    "payin_method_class": "DOMESTIC", "payin_method_group": "NO_GROUP", "country": "AU", "currency": "AUD",
    "min_amount": 1, "max_amount": 10000000, "is_va_allowed": False, "is_payin_allowed": True, "is_refundable": True,
}
_CHECKOUT_RECORD = {
    "id": _CHECKOUT, "checkout_token": _CHECKOUT_TOKEN,
    "checkout_url": f"https://checkout.paycombat.com/?token={_CHECKOUT_TOKEN}&identifier=snd_your_x_token",
    "amount": 30, "currency": "AUD", "country_code": "AU", "country_name": "AUSTRALIA",
    "description": "Order 1001", "merchant_id": _MERCHANT, "redirect_url": "https://shop.example.com/orders/1001",
    "expire_at": _T2, "additional_info": {},
    "order_summary": {"order_items": [{"product_name": "T-shirt", "quantity": 2, "unit_price": 12.5}],
                      "order_fees": [{"fee_name": "Shipping", "fee_amount": 5}], "total_amount": 30},
    "created_at": _T0, "updated_at": _T0,
}
_VIRTUAL_ACCOUNT_RECORD = {
    "id": _VIRTUAL_ACCOUNT, "status": "PENDING", "payin_method_name": "KB국민은행", "account_bankname": "KB국민은행",
    "user_name": "Hong Gildong", "user_yymmdd": "900517", "currency": "KRW", "created_at": _T0, "updated_at": _T0,
}
_CUSTOMER_RECORD = {
    "customer_id": _CUSTOMER, "org_id": _ORG, "type": "individual", "description": "Ada Tan, marketplace seller",
    "metadata": {}, "is_active": True, "is_wallet_ready": False, "is_gca_enabled": False,
    "gca_activation_status": "NOT_STARTED", "is_sender_validation_enabled": False, "payin_sender_id_list": [],
    "individual": {"first_name": "Ada", "last_name": "Tan", "address_country": "AU"},
    "created_by": "api_access_key:sandbox", "created_at": _T0, "updated_at": _T0,
}

#: One record per response model (by class name): what ``data`` holds, or one item of a list.
RECORD_EXAMPLES: dict[str, Schema] = {
    "CountryCurrency": {"country_code": "AU", "country_name": "AUSTRALIA", "currency": "AUD"},
    "PayoutMethod": _PAYOUT_METHOD,
    "PayoutRequiredFields": {**_PAYOUT_METHOD, "payout_method_param": {}, "payout_beneficiary_param": {
        "company": [{**_FIELD_SPEC, "name": "name", "regex": "^[ -~]{1,100}$",
                     "field_description": "Registered company name"}],
        "base_param": [{**_FIELD_SPEC, "name": "bsb", "regex": "^[0-9]{3}-?[0-9]{3}$",
                        "field_description": "Bank State Branch number", "regex_description": "6 digits, e.g. 062-000"},
                       {**_FIELD_SPEC, "name": "account_number", "regex": "^[0-9]{6,12}$",
                        "field_description": "Bank account number", "regex_description": "6 to 12 digits"}],
        "individual": [{**_FIELD_SPEC, "name": "first_name", "regex": "^[ -~]{1,50}$",
                        "field_description": "First name of the beneficiary"}],
    }},
    "PayinMethod": _PAYIN_METHOD,
    "PayinRequiredFields": {
        **_PAYIN_METHOD,
        "payin_method_instruction": ["Open your banking app", "Pay to the PayID shown", "Use the reference given"],
        "payin_method_param": [{"name": "payid_reference", "type": "text", "label": "PayID reference",
                                "regex": "^[a-z0-9_.+~-]{1,35}$", "mandatory": False}],
        "max_expiration_time_in_seconds": "34560000", "default_expiry_time_seconds": "172800",
    },
    "Beneficiary": {"payout_beneficiary_id": _BENEFICIARY, "type": "individual", "beneficiary_name": "Grace Ho",
                    "currency": "AUD", "payout_method_name": "au_bank_acct", "is_active": True,
                    "organization_reference_id": "ben-1001", **_AU_ACCOUNT, "created_at": _T0, "updated_at": _T0},
    "BeneficiaryValidation": {"is_valid": False, "payout_method_name": "au_bank_acct",
                              "errors": [{"field": "account_number", "message": "is required (Bank account number)"}]},
    "Payin": {
        "id": _PAYIN, "payin_id_finmo": "payin_0326324dfb695ffb3a1890c78092b4d4", "merchant_id": _MERCHANT,
        "status": "PENDING", "amount": 100, "original_amount": 100, "amount_type": "AUD", "currency": "FIAT",
        "fee_taken": 0, "fee_expected": 1, "payment_method": "au_bank_npp", "credit_type": "PAYIN",
        "trx_type": "DIRECT_PAYIN", "credit_wallet_id": _WALLET, "pay_code": "PAY-8092B4D4",
        "expire_at": _T2, "transaction_date": _T0, "created_at": _T0, "updated_at": _T0,
    },
    "VirtualAccount": _VIRTUAL_ACCOUNT_RECORD,
    "Payout": {
        "id": _PAYOUT, "payout_id_finmo": "payout_f463b337d20b5d59db610487c89da11b", "merchant_id": _MERCHANT,
        "status": "PENDING", "approval": "APPROVED", "wire_id": "w_txn_83333218bd91a1b7f03edca7e2dcaa37",
        "order_id": "order-1001", "due_date": "2026-01-06T00:00:00.000Z", "last_action": "CREATED",
        "process": "PAYOUT", "wire_amount": 40, "original_amount": 40, "fee_taken": 0, "fee_expected": 1,
        "currency": "AUD", "payee_name": "Grace Ho", "beneficiary": "Grace Ho", "beneficiary_bank": "au_bank_acct",
        "beneficiary_account_number": "12345678", "wire_origin": _PAYOUT_WALLET, "purpose_code": "SELF",
        "created_at": _T0, "updated_at": _T0, "approved_at": _T0, "pending_at": _T0,
    },
    "Checkout": _CHECKOUT_RECORD,
    "CheckoutChoice": {**{k: v for k, v in _CHECKOUT_RECORD.items() if k != "checkout_url"},
                       "payin_method_name": "au_bank_npp", "payin_type": "CHECKOUT_PAYIN", "updated_at": _T1},
    "VaBankInformation": {"banks": [{"payin_method_name": "KB국민은행", "bank_name": "KB국민은행", "bank_code": "003"},
                                    {"payin_method_name": "신한은행", "bank_name": "신한은행", "bank_code": "004"}],
                          "virtual_account": None},
    "Transaction": {"transaction_id": "w_txn_aa2ca1af6a107b75677f6cbdcc22af58", "type": "PAYIN",
                    "direction": "CREDIT", "status": "COMPLETED", "amount": 99, "currency": "AUD",
                    "wallet_id": _WALLET, "wallet_category": "CUSTOMER", "reference_id": _PAYIN,
                    "balance_type": "actual", "running_balance_available": 99, "running_balance_actual": 99,
                    "description": "Top-up", "created_at": _T1},
    "Wallet": {"wallet_id": _WALLET, "wallet_alias": _WALLET, "category": "CUSTOMER", "scope": "CUSTOMER",
               "customer_id": _CUSTOMER, "description": "Ada's wallet", "is_active": True, "is_deleted": False,
               "metadata": {}, "org_id": _ORG,
               "wallet_account": [{"wallet_account_id": "wallet_account_2b28fef02b9c014ea5ac06d864c2f2e3",
                                   "wallet_id": _WALLET, "currency": "AUD", "actual_balance": 0,
                                   "available_balance": 0, "is_settlement_allowed": True, "is_active": True,
                                   "is_deleted": False, "created_at": _T0, "updated_at": _T0}],
               "created_at": _T0, "updated_at": _T0},
    "Customer": _CUSTOMER_RECORD,
    "WalletReadiness": {"customer_id": _CUSTOMER, "is_wallet_ready": False,
                        "missing_field": ["individual.dob", "individual.nationality", "individual.address_line1",
                                          "individual.address_city", "individual.identification_type",
                                          "individual.identification_value"]},
    "PaymentMethod": {"payment_code": "au_bank_npp", "payment_name": "New Payments Platform (NPP)",
                      "category": "BANK", "country_code": "AU", "country_name": "AUSTRALIA", "currency": "AUD",
                      "is_active": True, "is_payin_allowed": True, "is_va_allowed": False},
    "MerchantBalance": {"currency": "AUD", "total_balance_available": 50000, "total_hold_balance": 40,
                        "total_balance_expected": 49960},
    "Refund": {"id": "f0e642f4-3328-4d08-8ded-3c9691eb79fa", "payin_id": _PAYIN, "merchant_id": _MERCHANT,
               "amount": 10, "currency": "AUD", "status": "SUCCESS", "organization_reference_id": "refund-1001",
               "created_at": _T1, "updated_at": _T1},
}

#: Where one operation's answer differs from its model's record (fields replaced).
RESPONSE_OVERRIDES: dict[str, Schema] = {
    "payins.simulate": {"status": "SUCCESS", "fee_taken": 1, "payment_date": _T1, "updated_at": _T1},
    "payins.simulate_virtual_account": {"status": "APPROVED", "account_number": "38290100012345",
                                        "account_holder": "Hong Gildong", "updated_at": _T1},
    "payouts.simulate": {"status": "SUCCESS", "last_action": "COMPLETED", "fee_taken": 1, "updated_at": _T1},
    "customers.disable": {"is_active": False, "updated_at": _T1},
    "customers.update": {"individual": {"first_name": "Ada", "last_name": "Tan", "address_country": "AU",
                                        "email": "ada.tan@example.com"}, "updated_at": _T1},
}
