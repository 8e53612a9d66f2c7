"""Base classes for wire types: strict requests, tolerant responses, exact money."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, ClassVar

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, StrictInt, StrictStr,
                      ValidationInfo, field_validator, model_validator)

from ..redaction import redact_value
from .. import limits
from ..money import MoneyError, check_amount, minor_unit, to_decimal, with_minor_unit


def _amount(value: Any) -> Decimal:
    return to_decimal(value)


def _optional_decimal(value: Any) -> Any:
    """Responses: numbers arrive as Decimal (never float) or as numeric strings."""
    if value is None or value == "":
        return None
    if isinstance(value, float):  # only when a caller built a response by hand
        return Decimal(repr(value))
    return value


def _text(value: Any) -> Any:
    """Responses: an id or name the docs type as integer in places arrives as text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


#: An idempotency reference as real integrations send it: text, or an integer (a merchant's DB id).
Reference = Annotated[StrictStr | StrictInt, Field(union_mode="left_to_right")]
#: A response string that may arrive as a number (``order_id``, ``customer_full_name``): always ``str``.
Text = Annotated[str | None, BeforeValidator(_text)]
#: A request amount: Decimal, int or numeric str; floats refused.
Amount = Annotated[Decimal, BeforeValidator(_amount), PlainSerializer(lambda d: d, return_type=Decimal)]
#: Seconds since 1970 (UTC), up to the year 9999.
EpochSeconds = Annotated[int, Field(ge=0, le=253402300799)]
PageNumber = Annotated[int, Field(ge=1, le=2**31 - 1)]
PageSize = Annotated[int, Field(ge=1, le=10_000)]
#: A response amount: Decimal or None.
Money = Annotated[Decimal | None, BeforeValidator(_optional_decimal)]


def sandbox_only(what: str = "", default: Any = None) -> Any:
    """A field the docs don't show: kept, marked ``x-sandbox-only`` so nothing relies on it against the real API."""
    text = "Sandbox only (not in PayCombat's docs)" + (f": {what}" if what else "") + "."
    return Field(default=default, description=text, json_schema_extra={"x-sandbox-only": True})


class RequestModel(BaseModel):
    """A request body or query: unknown fields are refused so typos fail before sending."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_assignment=True)

    #: amount field -> currency field, checked against the currency's minor unit.
    money_fields: ClassVar[dict[str, str]] = {}

    @field_validator("*", mode="after")
    @classmethod
    def _check_limits(cls, value: Any, info: ValidationInfo) -> Any:
        """Every field within ``limits``; every currency field an ISO 4217 code we know."""
        name = info.field_name or ""
        if isinstance(value, bool) or value is None or isinstance(value, (BaseModel, Decimal)):
            return value
        if isinstance(value, (str, int)):
            limits.check_text(name, str(value))
            if _is_currency_field(name) and isinstance(value, str):
                minor_unit(value)
        elif isinstance(value, dict):
            limits.check_object(name, value)
        elif isinstance(value, list):
            if len(value) > limits.LIST_ITEMS:
                raise ValueError(f"{len(value)} items; at most {limits.LIST_ITEMS} are allowed")
            for index, item in enumerate(value):
                if isinstance(item, str):
                    limits.check_text(name, item)
                    if _is_currency_field(name):
                        try:
                            minor_unit(item)
                        except MoneyError as error:
                            raise ValueError(f"{index}: {error}") from None
        return value

    @model_validator(mode="after")
    def _check_money(self) -> "RequestModel":
        for amount_field, currency_field in self.money_fields.items():
            amount = getattr(self, amount_field)
            currency = getattr(self, currency_field)
            if currency is not None:
                try:
                    minor_unit(currency)
                except MoneyError as error:
                    raise MoneyError(f"{currency_field}: {error}") from None
            if amount is not None and currency is not None:
                check_amount(amount, currency, field=amount_field)
        return self

    def to_wire(self) -> dict[str, Any]:
        """The JSON-ready dict (Decimals kept) in field order, without unset optional fields."""
        return self.model_dump(mode="python", exclude_none=True, by_alias=True)


@lru_cache(maxsize=1024)
def _is_currency_field(name: str) -> bool:
    return name in ("currency", "currency_list") or name.endswith("_currency")


class ResponseModel(BaseModel):
    """A response record: unknown fields are kept (the API grows), money is Decimal."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    #: amount field -> currency field: amounts are shown with the currency's minor unit (120.5 -> 120.50).
    money_fields: ClassVar[dict[str, str]] = {}

    @model_validator(mode="after")
    def _to_minor_unit(self) -> "ResponseModel":
        for amount_field, currency_field in self.money_fields.items():
            amount, currency = getattr(self, amount_field, None), getattr(self, currency_field, None)
            if isinstance(amount, Decimal) and isinstance(currency, str):
                try:
                    object.__setattr__(self, amount_field, with_minor_unit(amount, currency))  # never rounds
                except MoneyError:
                    continue
        return self

    def __repr_args__(self) -> Any:
        """Reprs never show the merchant token a checkout_url carries (``identifier=``)."""
        for name, value in super().__repr_args__():
            yield name, redact_value(value)

    def _repr_html_(self) -> str:
        """A compact table: one row per field that has a value, nested lists as sub-tables."""
        from ..display import record_html

        return record_html(self, title=type(self).__name__)


def describe_validation_error(error: Any, *, client: bool = True) -> str:
    """One line naming every field a pydantic ``ValidationError`` complains about.

    ``client`` adds the client's way around an unknown field (``extra_body``); the sandbox says it plainly.
    """
    problems = []
    for item in error.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in item["loc"])
        text = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            text = "unknown field" if not client else ("unknown field (check the spelling; to send a field the models don't know yet, pass it "
                    "in extra_body={...})")
        problems.append(f"{where}: {text}" if where else text)
    return "invalid request: " + "; ".join(problems)


class ListParams(RequestModel):
    """Common paging parameters of the "Get All" endpoints (1-based pages)."""

    page: PageNumber | None = None
    limit: PageSize | None = None
    per_page: PageSize | None = None
