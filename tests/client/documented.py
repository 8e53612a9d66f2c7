"""PayCombat's documented examples (``shared/api/EVIDENCE.md``), written out by hand for the tests.

Request bodies are the fields each docs page lists, with plausible values; response records are the
docs' examples with their documented types (``original_amount`` a string, ``customer_full_name`` an
integer, ...). Shared by the client tests and the sandbox tests (which send the same bodies to the
sandbox). Nothing here is derived from our models.
"""

from __future__ import annotations

from typing import Any

CHECKOUT_TOKEN = "9f" * 32  # 64 hex characters, as in S13
MERCHANT_TOKEN = "snd_documented_example_token_value"  # the docs' tokens start with snd_ (not reproduced)
CUSTOMER_ID = "customer_67d8a1b2c3d4e5f60718293a4b5c6d7e"

# -- the documented request lines (EVIDENCE §2: every CONFIRMED and CONTRADICTED row) ----------------

#: (operation, method, catalog path, confidence, positional args, fields, request line on the wire).
#: The wire paths are written out, not formatted from the catalog.
DOCUMENTED_ROUTES: list[tuple[str, str, str, str, tuple[str, ...], dict[str, Any], str]] = [
    # CONFIRMED rows
    ("payins.create", "POST", "/api/v1/payin/create", "confirmed", (),
     {"amount": 10, "currency": "AUD", "payin_method_name": "au_bank_npp"}, "/api/v1/payin/create"),
    ("payins.retrieve", "GET", "/api/v1/payin/retrieve-payin/{payin_id}", "confirmed", ("payin_1344",), {},
     "/api/v1/payin/retrieve-payin/payin_1344"),
    ("payins.create_virtual_account", "POST", "/api/v1/payin/create-va", "confirmed", (),
     {"payin_method_name": "KDB산업은행", "currency": "KRW", "country": "KR", "user_name": "Kim",
      "user_yymmdd": "900101"}, "/api/v1/payin/create-va"),
    ("payouts.create", "POST", "/api/v1/payout/create-payout", "confirmed", (),
     {"sender_amount": 10, "sender_currency": "AUD", "beneficiary_amount": 10, "beneficiary_currency": "AUD",
      "payout_method_name": "au_bank_acct", "purpose_code": "SELF", "payout_beneficiary_id": "pb_1"},
     "/api/v1/payout/create-payout"),
    ("checkouts.create_virtual_account_krw", "PATCH", "/api/v1/checkout/create-virtual-account", "confirmed", (),
     {"checkout_token": CHECKOUT_TOKEN, "payin_method_name": "KDB산업은행"}, "/api/v1/checkout/create-virtual-account"),
    ("checkouts.create_new_checkout", "PATCH", "/api/v1/checkout", "confirmed", (),
     {"checkout_token": CHECKOUT_TOKEN, "payin_method_name": "au_bank_npp"}, "/api/v1/checkout"),
    ("wallets.create", "POST", "/wallet/create", "confirmed", (),
     {"customer_id": "customer_1", "currency": "AUD", "currency_list": ["AUD"]}, "/wallet/create"),
    ("merchant.balance", "GET", "/api/v1/merchant/balance/{currency}", "confirmed", ("AUD",), {},
     "/api/v1/merchant/balance/AUD"),
    # CONTRADICTED rows: the documented path replaced our inferred one
    ("checkouts.create_payment_request", "POST", "/api/v1/checkout/payment-request", "confirmed", (),
     {"amount": 10, "currency": "AUD", "country_code": "AU"}, "/api/v1/checkout/payment-request"),
    ("checkouts.retrieve", "GET", "/api/v1/checkout/retrieve/{checkout_id}", "confirmed", ("86db9204",), {},
     "/api/v1/checkout/retrieve/86db9204"),
    ("customers.create", "POST", "/api/v1/customer/create", "confirmed", (),
     {"description": "d", "type": "individual",
      "individual": {"first_name": "A", "last_name": "B", "address_country": "AU"}}, "/api/v1/customer/create"),
    ("customers.update", "PATCH", "/api/v1/customer/update", "confirmed", ("customer_67d8",),
     {"description": "VIP"}, "/api/v1/customer/update"),
    ("customers.retrieve", "GET", "/api/v1/customer/customer/{customer_id}", "confirmed", ("customer_67d8",), {},
     "/api/v1/customer/customer/customer_67d8"),
    ("customers.disable", "PATCH", "/api/v1/customer/disable/{customer_id}", "confirmed", ("customer_d466",), {},
     "/api/v1/customer/disable/customer_d466"),
    ("customers.delete", "DELETE", "/api/v1/customer/customer/{customer_id}", "dev-docs", ("customer_d466",), {},
     "/api/v1/customer/customer/customer_d466"),
]


# -- request bodies --------------------------------------------------------------------------------

#: S2 Create Customer, individual: every documented ``individual`` field.
CUSTOMER_CREATE_INDIVIDUAL: dict[str, Any] = {
    "description": "Freelance designer paid out weekly",
    "type": "individual",
    "organization_reference_id": "crm-4711",
    "metadata": {"segment": "freelancers"},
    "individual": {
        "first_name": "Ada", "last_name": "Tan", "dob": "1990-05-17", "email": "ada.tan@example.com",
        "identification_type": "PASSPORT", "identification_value": "PA1234567",
        "address_line1": "1 George St", "address_line2": "Level 3", "address_city": "Sydney",
        "address_state": "NSW", "address_country": "AU", "address_zip_code": "2000",
        "country_of_residence": "AU", "nationality": "AU", "phone_country_code": "+61", "phone_number": "412345678",
    },
}

#: S2 Create Customer, company: PayCombat's names (incorporation_country, company_email, authorized_user).
CUSTOMER_CREATE_COMPANY: dict[str, Any] = {
    "description": "Wholesale buyer",
    "type": "company",
    "company": {
        "name": "Acme Pty Ltd", "registration_number": "ACN 000 000 019", "incorporation_country": "AU",
        "company_email": "accounts@acme.example", "address_line1": "2 Pitt St", "address_line2": "Suite 9",
        "address_city": "Sydney", "address_state": "NSW", "address_country": "AU", "address_zip_code": "2000",
        "phone_country_code": "+61", "phone_number": "298765432",
        "authorized_user": {
            "first_name": "Grace", "email": "grace@acme.example", "last_name": "Ho", "dob": "1985-02-01",
            "identification_type": "PASSPORT", "identification_value": "PB7654321", "nationality": "AU",
            "address_line1": "3 King St", "address_line2": "Unit 1", "address_state": "NSW",
            "address_city": "Sydney", "address_country": "AU", "address_zip_code": "2000",
            "country_of_residence": "AU", "phone_country_code": "+61", "phone_number": "411111111",
        },
    },
}


def customer_update(customer_id: str) -> dict[str, Any]:
    """S3 Update Customer: ``customer_id`` in the body; "To clear a field, set it to an empty string."."""
    return {"customer_id": customer_id, "description": "Freelance designer (paid monthly)", "type": "individual",
            "individual": {"address_line2": "", "phone_number": "498765432"}}


#: S12/S13 Create Payment Request for Europe: amount = Σ unit_price × quantity + Σ fee_amount (2 × 40 + 20).
PAYMENT_REQUEST_EU: dict[str, Any] = {
    "amount": 100, "currency": "EUR", "country_code": "EU", "payin_method_name": "eu_bank_sct_eur",
    "description": "Order #EU-1001",
    "redirect_url": "https://shop.example/thanks",
    "advanced_redirect_url": {"cancelled_url": "https://shop.example/cancelled",
                              "completed_url": "https://shop.example/completed",
                              "expired_url": "https://shop.example/expired",
                              "failed_url": "https://shop.example/failed"},
    "order_items": [{"product_name": "Espresso cups", "quantity": 2, "unit_price": 40}],
    "order_fees": [{"fee_name": "Shipping", "fee_amount": 20}],
    "additional_info": {"customer_name": "Jean Dupont", "customer_email": "jean@example.fr",
                        "transaction_date": "2025-04-29"},
}


def create_new_checkout(checkout_token: str) -> dict[str, Any]:
    """S11 Create New Checkout (PATCH /api/v1/checkout): the documented example method."""
    return {"checkout_token": checkout_token, "payin_method_name": "au_bank_npp"}


def create_virtual_account_krw(checkout_token: str) -> dict[str, Any]:
    """S10 Create VA [KRW] (PATCH /api/v1/checkout/create-virtual-account): the bank's name is the method."""
    return {"checkout_token": checkout_token, "payin_method_name": "KDB산업은행"}


def wallet_create(customer_id: str) -> dict[str, Any]:
    """S18 Create Wallet: every documented field."""
    return {"customer_id": customer_id, "currency": "AUD", "currency_list": ["AUD", "SGD"],
            "description": "Ada's wallet", "webhook_url": "https://shop.example/hooks/wallet"}


def payout_s1(order_id: int | str, amount: int | str) -> dict[str, Any]:
    """S1 (the public PHP gateway that calls the live API): exactly its keys, ``order_id`` a DB id.

    As in S1, ``sender_country`` is given a currency code; the amounts are an int (``100``) or the
    string a decimal DB column gives (``"100.00"``).
    """
    return {
        "payout_beneficiary_param": {"individual": {"first_name": "Aroha"}, "account_number": "12-3140-0123456-00"},
        "sender_amount": amount, "sender_currency": "NZD", "sender_country": "NZD",
        "beneficiary_amount": amount, "beneficiary_currency": "NZD",
        "payout_method_name": "nz_bank_directcredit_nzd", "order_id": order_id, "purpose_code": "SELF",
    }


def refund_dev(payin_id: str) -> dict[str, Any]:
    """S19 Refund Create (dev docs): ``amount`` an integer; no ``comment`` in the request."""
    return {"payin_id": payin_id, "amount": 10, "currency": "AUD", "organization_reference_id": "refund-0001",
            "webhook_url": "https://shop.example/hooks/refund", "metadata": {"reason": "damaged"}}


# -- response records --------------------------------------------------------------------------------

#: S4 Get Detail Customer by Id: the flat record, every documented field.
CUSTOMER_S4: dict[str, Any] = {
    "customer_id": CUSTOMER_ID, "org_id": "org_3kqrchza3j", "type": "individual",
    "description": "Freelance designer", "webhook_url": None, "metadata": {}, "is_active": True,
    "is_wallet_ready": False, "organization_reference_id": "crm-4711", "is_gca_enabled": False,
    "gca_activation_status": "NOT_STARTED", "gca_activated_at": None, "is_sender_validation_enabled": False,
    "payin_sender_id_list": [], "company_domain": None,
    "individual": {"first_name": "Ada", "last_name": "Tan", "address_country": "AU"},
    "created_by": "api_access_key:AK_SBX_example", "created_at": "2025-03-18T02:11:09.000Z",
    "updated_at": "2025-03-18T02:11:09.000Z",
}


def finmo_envelope(record: dict[str, Any], *, success: bool = True, status_code: int = 200,
                   status_text: str = "OK") -> dict[str, Any]:
    """S5/S19: the whole answer, Finmo's envelope inside PayCombat's ``data``."""
    return {"status": True, "message": "OK",
            "data": {"request_id": "req_0123456789abcdef", "request_time": "2025-03-18T02:12:00.000Z",
                     "success": success, "status_code": status_code, "status_text": status_text,
                     "data": record}}


#: S5 Disable Customer: the inner record (``is_active`` false; the schema's ``missing_field`` list).
CUSTOMER_S5_DISABLED: dict[str, Any] = {**CUSTOMER_S4, "customer_id": "customer_d466a1b2c3d4e5f60718293a4b5c6d7e",
                                        "is_active": False, "is_wallet_ready": False, "missing_field": []}

#: S19 dev Delete customer: the inner record (dev fields in ``individual``).
CUSTOMER_S19_DELETED: dict[str, Any] = {
    **CUSTOMER_S4, "is_active": False,
    "individual": {"first_name": "Ada", "last_name": "Tan", "address_country": "AU",
                   "phone_number_e164": "+61412345678", "identification_type": "NATIONAL_ID",
                   "identification_custom_type": None},
    "created_by": "api_access_key:AK_FINMO_SBX_example",
}

#: S11 Create New Checkout's answer: no status, no checkout_url, no payin_id.
CHECKOUT_S11: dict[str, Any] = {
    "id": "86db9204-1b2c-4d3e-8f90-a1b2c3d4e5f6", "checkout_token": CHECKOUT_TOKEN, "amount": 100,
    "currency": "AUD", "country_code": "AU", "country_name": "AUSTRALIA", "payin_method_name": "au_bank_npp",
    "payin_type": None, "description": "Order #1001", "merchant_id": "3kqrchza3j", "customer_id": None,
    "redirect_url": "https://shop.example/thanks", "advanced_redirect_url": None,
    "expire_at": "2025-05-01T10:00:00.000Z", "additional_info": {}, "created_at": "2025-04-29T10:00:00.000Z",
    "updated_at": "2025-04-29T10:05:00.000Z", "deleted_at": None,
}

#: S13 Get Detail Checkout: checkout_url carries the merchant token as identifier=; no status.
CHECKOUT_S13: dict[str, Any] = {
    "id": "86db9204-1b2c-4d3e-8f90-a1b2c3d4e5f6", "checkout_token": CHECKOUT_TOKEN, "amount": 100,
    "currency": "EUR", "country_code": "EU", "payin_method_name": "eu_bank_sct_eur", "payin_type": None,
    "customer_id": CUSTOMER_ID,
    "checkout_url": f"https://checkout.paycombat.com/?token={CHECKOUT_TOKEN}&identifier={MERCHANT_TOKEN}",
    "advanced_redirect_url": None, "expire_at": "2025-05-01T10:00:00.000Z", "additional_info": {},
    "created_at": "2025-04-29T10:00:00.000Z", "updated_at": "2025-04-29T10:00:00.000Z", "deleted_at": None,
    "order_summary": {}, "country_name": "EUROPE", "description": "Order #EU-1001", "merchant_id": "3kqrchza3j",
    "redirect_url": "https://shop.example/thanks", "webhook_url": None,
}

#: S15 Webhook PAYOUT SUCCESS example.
PAYOUT_SUCCESS_S15: dict[str, Any] = {
    "id": "a2c4e6f8-1b3d-4f5a-8c7e-9d0b1a2c3e4f", "merchant_id": "3kqrchza3j", "status": "SUCCESS",
    "wire_id": "w_txn_6d1f0c2b9a8e7d6c5b4a39281706f5e4", "order_id": "27862467", "original_amount": "50",
    "wire_amount": 50, "fee_taken": 1, "fee_expected": 1, "currency": "SGD",
    "beneficiary_bank": "sg_bank_fastpayment_sgd", "approval": "APPROVED", "type": "PAYOUT",
}

#: S15 Webhook PAYIN FAILED example: the page shows a *payout* record, with order_id null.
PAYIN_FAILED_PAGE_S15: dict[str, Any] = {
    "id": "c0ffee00-1b3d-4f5a-8c7e-9d0b1a2c3e4f", "merchant_id": "3kqrchza3j", "status": "FAILED",
    "approval": "FAILED", "original_amount": "31", "wire_amount": 31, "fee_taken": 0, "fee_expected": 1,
    "currency": "NZD", "beneficiary_bank": "nz_bank_directcredit_nzd", "order_id": None, "type": "PAYOUT",
}

#: S15 Webhook PAYIN SUCCESS: schema types as documented (customer_full_name integer,
#: transaction_date integer, amount number); currency "FIAT" with the real currency in amount_type.
PAYIN_SUCCESS_S15: dict[str, Any] = {
    "id": "5b0c2a4e-7d2b-4b35-9a51-2f0f2f6b9c11", "merchant_id": "3kqrchza3j", "status": "SUCCESS",
    "amount": 100.5, "amount_type": "AUD", "currency": "FIAT", "trx_type": "DIRECT_PAYIN", "credit_type": "PAYIN",
    "type": "PAYIN", "customer_full_name": 1234567, "transaction_date": 1718093730,
}
