"""Exact money: ``Decimal`` amounts checked against each currency's ISO 4217 minor unit."""

from __future__ import annotations

import re
from decimal import Context, Decimal, localcontext
from functools import lru_cache
from typing import Any

from ._canonical_json import NotJsonSafe, js_number

#: ISO 4217 minor-unit exponents that are not 2. Every other known code uses 2.
_EXPONENTS: dict[str, int] = {
    **dict.fromkeys(
        "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(), 0
    ),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
    **dict.fromkeys("CLF UYW".split(), 4),
}

_TWO_DECIMALS = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD
CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD
MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP
PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS
TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR ZMW ZWG
""".split()

CURRENCY_EXPONENTS: dict[str, int] = {**dict.fromkeys(_TWO_DECIMALS, 2), **_EXPONENTS}

#: Largest number of minor units a JavaScript number counts exactly (2**53 - 1).
MAX_MINOR_UNITS = 2**53 - 1


class MoneyError(ValueError):
    """An amount or currency that cannot be sent as exact money."""


#: The one amount grammar of the toolkit (and of every tool schema a model sees): ASCII digits, an optional
#: dot with digits after it. No sign, exponent, currency symbol, thousands separator or decimal comma.
AMOUNT_PATTERN = r"^[0-9]+(\.[0-9]+)?$"
_AMOUNT = re.compile(AMOUNT_PATTERN)  # used with fullmatch: a trailing newline is refused too
_NOT_FINITE = re.compile(r"[+-]?(nan|snan|inf|infinity)", re.IGNORECASE)
_EXPONENT = re.compile(r"[+-]?[0-9.]+[eE][+-]?[0-9]+")
_SEPARATORS = re.compile(r"[0-9][,\s'\u00a0\u2009\u202f_][0-9]")


def parse_amount(text: str, *, field: str = "amount") -> Decimal:
    """``"40.00"`` -> ``Decimal('40.00')``, exactly; any other form is refused with what to write instead.

    Surrounding spaces are ignored; inside, only ``AMOUNT_PATTERN``: ``"1,5"``, ``"1.000,50"``, ``"1 000"``,
    ``"€5"``, ``"5e2"``, ``"+5"``, ``""``, ``"NaN"`` are refused rather than guessed at.
    """
    if not isinstance(text, str):
        raise MoneyError(f"{field}: expected the amount as text such as '40.00', got {type(text).__name__}")
    raw = text.strip()
    if _AMOUNT.fullmatch(raw):
        return Decimal(raw)
    raise MoneyError(f"{field}: {text!r} is not an amount: {_problem(raw)}")


def _problem(raw: str) -> str:
    """What is wrong with an amount's text, in words, with the form to use."""
    if not raw:
        return "it is empty; write digits with an optional dot, e.g. 40.00"
    if _NOT_FINITE.fullmatch(raw):
        return "it is not a finite number; write digits with an optional dot, e.g. 40.00"
    if raw[0] in "+-\u2212":
        return "write it without a sign (an amount is positive), e.g. 5 or 5.00"
    if _EXPONENT.fullmatch(raw):
        return "write it without exponent notation, e.g. 500 rather than 5e2"
    if "," in raw or raw.count(".") > 1 or _SEPARATORS.search(raw):
        return "use a dot for decimals and no thousands separators, e.g. 1.5 or 1234.50"
    if raw.startswith("."):
        return "write a digit before the dot, e.g. 0.5"
    if raw.endswith("."):
        return "write digits after the dot, or leave the dot out, e.g. 5 or 5.00"
    if any(not (char.isascii() and (char.isdigit() or char == ".")) for char in raw):
        return ("only ASCII digits and a dot: no currency symbol, code or other characters "
                "(the currency is a separate field), e.g. 5.00")
    return "write digits with an optional dot, e.g. 40.00"  # pragma: no cover


def minor_unit(currency: str) -> int:
    """Number of decimal places the currency allows (KRW 0, AUD 2, KWD 3)."""
    code = currency.upper() if isinstance(currency, str) else currency
    try:
        return CURRENCY_EXPONENTS[code]
    except (KeyError, TypeError):
        raise MoneyError(f"unknown currency code {currency!r} (expected an ISO 4217 code such as 'AUD')") from None


def to_decimal(value: Any, *, field: str = "amount") -> Decimal:
    """Read an amount as ``Decimal``; floats are refused because they are not exact, text must be ``parse_amount``'s."""
    if isinstance(value, bool) or isinstance(value, float):
        raise MoneyError(
            f"pass money as Decimal, int or str, not {type(value).__name__} "
            f"({value!r} is not exact); e.g. Decimal('{value}')"
        )
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        amount = parse_amount(value, field=field)
    else:
        raise MoneyError(f"{field}: expected a Decimal amount, got {type(value).__name__}")
    if not amount.is_finite():
        raise MoneyError(f"{field}: {value!r} is not a finite amount")
    return amount


@lru_cache(maxsize=None)
def minor_quantum(places: int) -> Decimal:
    """The smallest unit for ``places`` decimal places: ``2`` -> ``Decimal('0.01')``."""
    return Decimal(1).scaleb(-places)


def with_minor_unit(amount: Decimal, currency: str) -> Decimal:
    """``Decimal('120.5'), 'AUD'`` -> ``Decimal('120.50')``: the currency's places when that only adds zeros.

    Never rounds: an amount with more places than the currency has is returned as it is. An unknown
    currency raises ``MoneyError``.
    """
    quantum = minor_quantum(minor_unit(currency))
    shown = amount.quantize(quantum)
    return shown if shown == amount else amount


def format_money(amount: Any, currency: str) -> str:
    """``Decimal('120.5'), 'AUD'`` -> ``'120.50 AUD'``: shown with the currency's minor unit."""
    value = Decimal(str(amount))
    try:
        return f"{with_minor_unit(value, currency)} {currency}"
    except MoneyError:
        return f"{value} {currency}"


def check_amount(amount: Decimal, currency: str, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """Validate ``amount`` for ``currency``: positive, within the minor unit, exactly sendable."""
    with localcontext(Context(prec=60)):  # independent of the caller's decimal context
        return _check_amount(amount, currency, field, allow_zero)


def _check_amount(amount: Decimal, currency: str, field: str, allow_zero: bool) -> Decimal:
    places = minor_unit(currency)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise MoneyError(f"{field}: {amount} {currency} must be greater than zero")
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        raise MoneyError(
            f"{field}: {amount} has more decimal places than {currency} allows ({places})"
        )
    if amount.scaleb(places) > MAX_MINOR_UNITS:
        raise MoneyError(f"{field}: {amount} {currency} is larger than an exact JSON number can carry")
    try:
        js_number(amount, path=field)
    except NotJsonSafe as error:
        raise MoneyError(str(error)) from None
    return amount
