"""Reference data the sandbox serves: countries, methods, their field rules, banks and fees."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

COUNTRIES: list[dict[str, str]] = [
    {"country_code": "AU", "country_name": "AUSTRALIA", "currency": "AUD"},
    {"country_code": "SG", "country_name": "SINGAPORE", "currency": "SGD"},
    {"country_code": "NZ", "country_name": "NEW ZEALAND", "currency": "NZD"},
    {"country_code": "KR", "country_name": "KOREA, REPUBLIC OF", "currency": "KRW"},
    {"country_code": "TH", "country_name": "THAILAND", "currency": "THB"},
    {"country_code": "PH", "country_name": "PHILIPPINES", "currency": "PHP"},
    # the docs: "for all european countries please fill in country_code with "EU"" (EVIDENCE S12, S13)
    {"country_code": "EU", "country_name": "EUROPE", "currency": "EUR"},
]
COUNTRY_NAMES = {row["country_code"]: row["country_name"] for row in COUNTRIES}
COUNTRY_CURRENCY = {row["country_code"]: row["currency"] for row in COUNTRIES}

#: Finmo limits customer wallet accounts to these currencies.
CUSTOMER_WALLET_CURRENCIES = ("AUD", "SGD", "NZD", "THB", "PHP")
#: Organisation wallets hold every currency the sandbox knows.
ORG_CURRENCIES = ("AUD", "SGD", "NZD", "KRW", "THB", "PHP", "EUR")
#: Opening balance of the organisation payout wallet, so payouts work from the first minute.
OPENING_PAYOUT_BALANCE = {"AUD": "50000", "SGD": "50000", "NZD": "50000", "KRW": "50000000",
                          "THB": "1000000", "PHP": "1000000", "EUR": "50000"}

KRW_BANKS = ["KDB산업은행", "IBK기업은행", "KB국민은행", "신한은행", "우리은행", "하나은행", "NH농협은행"]

_NAME = r"^[ -~]{1,50}$"
_LONG_NAME = r"^[ -~]{1,100}$"


def _spec(name: str, regex: str, mandatory: bool, description: str, rule: str) -> dict[str, Any]:
    return {"name": name, "type": "text", "regex": regex, "mandatory": mandatory,
            "field_description": description, "regex_description": rule}


_PERSON = [
    _spec("first_name", _NAME, True, "First name of the beneficiary", "1-50 printable ASCII characters"),
    _spec("last_name", _NAME, False, "Last name of the beneficiary", "1-50 printable ASCII characters"),
]
_COMPANY = [_spec("name", _LONG_NAME, True, "Registered company name", "1-100 printable ASCII characters")]


def _payout_method(name: str, country: str, description: str, base: list[dict[str, Any]]) -> dict[str, Any]:
    currency = COUNTRY_CURRENCY[country]
    return {
        "payout_method_id": "pom_" + name.encode().hex()[:32].ljust(32, "0"),
        "payout_method_name": name,
        "payout_method_description": description,
        "payout_method_logo": None,
        "currency": currency,
        "sender_country": country,
        "sender_currency": currency,
        "beneficiary_country": country,
        "beneficiary_currency": currency,
        "payout_method_category": "BANK",
        "payout_method_class": "DOMESTIC",
        "payout_method_group": "NO_GROUP",
        "payout_method_param": {},
        "payout_beneficiary_param": {"company": _COMPANY, "base_param": base, "individual": _PERSON},
    }


PAYOUT_METHODS: dict[str, dict[str, Any]] = {
    method["payout_method_name"]: method
    for method in (
        _payout_method("au_bank_acct", "AU", "Payout using BSB & Account No", [
            _spec("bsb", r"^[0-9]{3}-?[0-9]{3}$", True, "Bank State Branch number", "6 digits, e.g. 062-000"),
            _spec("account_number", r"^[0-9]{6,12}$", True, "Bank account number", "6 to 12 digits"),
        ]),
        _payout_method("sg_bank_fastpayment_sgd", "SG", "Payout via FAST (Singapore)", [
            _spec("bank_code", r"^[0-9]{4}$", True, "Bank code", "4 digits, e.g. 7171"),
            _spec("account_number", r"^[0-9]{6,17}$", True, "Bank account number", "6 to 17 digits"),
        ]),
        _payout_method("nz_bank_directcredit_nzd", "NZ", "Payout via Direct Credit (New Zealand)", [
            _spec("account_number", r"^[0-9]{2}-?[0-9]{4}-?[0-9]{7}-?[0-9]{2,3}$", True,
                  "NZ bank account number", "bank-branch-account-suffix, e.g. 12-3140-0123456-00"),
        ]),
        _payout_method("th_bank_acct_thb", "TH", "Payout to a Thai bank account", [
            _spec("bank_code", r"^[0-9]{3}$", True, "Bank code", "3 digits"),
            _spec("account_number", r"^[0-9]{10,12}$", True, "Bank account number", "10 to 12 digits"),
        ]),
        _payout_method("ph_bank_instapay_php", "PH", "Payout via InstaPay (Philippines)", [
            _spec("bic_swift", r"^[A-Z0-9]{8}([A-Z0-9]{3})?$", True, "Bank BIC/SWIFT", "8 or 11 letters/digits"),
            _spec("account_number", r"^[0-9]{8,16}$", True, "Bank account number", "8 to 16 digits"),
        ]),
        _payout_method("kr_bank_transfer_krw", "KR", "Payout to a Korean bank account", [
            _spec("bank_name", r"^.{1,40}$", True, "Bank name", "1 to 40 characters"),
            _spec("account_number", r"^[0-9-]{10,16}$", True, "Bank account number", "10 to 16 digits or dashes"),
        ]),
    )
}


#: Valid beneficiary account fields per payout method (the demo's payouts and ``trigger``'s).
SAMPLE_BENEFICIARY_FIELDS: dict[str, dict[str, str]] = {
    "au_bank_acct": {"bsb": "062-000", "account_number": "12345678"},
    "sg_bank_fastpayment_sgd": {"bank_code": "7171", "account_number": "1234567890"},
    "nz_bank_directcredit_nzd": {"account_number": "12-3140-0123456-00"},
    "th_bank_acct_thb": {"bank_code": "002", "account_number": "1234567890"},
    "ph_bank_instapay_php": {"bic_swift": "BOPIPHMM", "account_number": "123456789012"},
    "kr_bank_transfer_krw": {"bank_name": "KB국민은행", "account_number": "123-456-789012"},
}


def _payin_method(name: str, country: str, description: str, *, instructions: list[str],
                  params: list[dict[str, Any]], va: bool = False, max_amount: str = "10000000") -> dict[str, Any]:
    return {
        "payin_method_id": "pim_" + name.encode("utf-8").hex()[:32].ljust(32, "0"),
        "payin_method_name": name,
        "payin_method_description": description,
        "payin_method_logo": None,
        "payin_method_instruction": instructions,
        "payin_method_category": "BANK",
        "payin_method_class": "DOMESTIC",
        "payin_method_group": "VIRTUAL_ACCOUNT" if va else "NO_GROUP",
        "country": country,
        "currency": COUNTRY_CURRENCY[country],
        "payin_method_param": params,
        "min_amount": Decimal(1),
        "max_amount": Decimal(max_amount),
        "is_sender_validation_enabled": False,
        "is_payin_method_available_24_7": True,
        "is_cancellable": True,
        "is_refundable": True,
        "is_multiple_refund_allowed": True,
        "is_partially_refundable": True,
        "is_over_refundable": False,
        "is_va_allowed": va,
        "is_payin_allowed": True,
        "max_expiration_time_in_seconds": "34560000",
        "default_expiry_time_seconds": "172800",
    }


PAYIN_METHODS: dict[str, dict[str, Any]] = {
    method["payin_method_name"]: method
    for method in [
        _payin_method("au_bank_npp", "AU", "New Payments Platform (NPP)",
                      instructions=["Open your banking app", "Pay to the PayID shown", "Use the reference given"],
                      params=[
                          {**_spec("payid_reference", r"^[a-z0-9_.+~-]{1,35}$", False, "PayID reference",
                                   "1-35 lowercase letters, digits or _.+~-"), "label": "PayID reference"},
                          {**_spec("payid_description", r"^[a-zA-Z0-9 ]{8,35}$", False, "PayID description",
                                   "8-35 letters, digits or spaces"), "label": "PayID description"},
                      ]),
        _payin_method("eu_bank_sct_eur", "EU", "SEPA Credit Transfer (EUR)",
                      instructions=["Transfer to the IBAN shown", "Use the reference given"], params=[]),
        _payin_method("sg_bank_paynow", "SG", "PayNow (Singapore)", instructions=["Scan the PayNow QR code"],
                      params=[]),
        _payin_method("nz_bank_transfer", "NZ", "Bank transfer (New Zealand)",
                      instructions=["Transfer to the account shown"], params=[]),
        _payin_method("th_promptpay", "TH", "PromptPay (Thailand)", instructions=["Scan the PromptPay QR code"],
                      params=[]),
        _payin_method("ph_instapay", "PH", "InstaPay (Philippines)", instructions=["Transfer via InstaPay"],
                      params=[]),
    ]
    + [
        _payin_method(bank, "KR", f"Virtual account at {bank}", va=True, max_amount="100000000",
                      instructions=["Transfer to the virtual account issued for you"], params=[])
        for bank in KRW_BANKS
    ]
}

#: Fees: a payin pays a percentage, a payout a flat fee in its currency.
PAYIN_FEE_RATE = Decimal("0.01")
PAYOUT_FEE = {"AUD": Decimal("1.00"), "SGD": Decimal("1.00"), "NZD": Decimal("1.00"), "KRW": Decimal("1000"),
              "THB": Decimal("25.00"), "PHP": Decimal("50.00")}


def method_summaries(methods: dict[str, dict[str, Any]], params: Any, *, country_field: str,
                     details: tuple[str, ...]) -> list[dict[str, Any]]:
    """The "Get All ... Method" rows: methods for the asked currency/country, without their field rules."""
    return [{key: value for key, value in method.items() if key not in details}
            for method in methods.values()
            if (not params.currency or method["currency"] == params.currency.upper())
            and (not params.country or method[country_field] == params.country.upper())]


def payment_methods() -> list[dict[str, Any]]:
    """"Get List Payment Method by Currency" rows, derived from the payin methods."""
    return [
        {
            "payment_code": method["payin_method_name"],
            "payment_name": method["payin_method_description"],
            "category": method["payin_method_category"],
            "country_code": method["country"],
            "country_name": COUNTRY_NAMES[method["country"]],
            "currency": method["currency"],
            "image_path": None,
            "is_active": True,
            "is_payin_allowed": True,
            "is_va_allowed": method["is_va_allowed"],
        }
        for method in PAYIN_METHODS.values()
    ]
