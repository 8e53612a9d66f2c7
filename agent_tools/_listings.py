"""List and search tools: bounded rows, a cursor for "more", never a silent stop.

A support agent rarely has an id: "why did this customer's last payout fail?" starts with a search.
Each tool sends the filters the API takes, applies the others to the rows (names, e-mails, dates),
returns at most ``limit`` concise rows, and says ``more`` with a ``cursor`` when there are more (or
when it stopped after scanning ``MAX_PAGES`` pages without filling the answer).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from datetime import date, datetime, timezone
from typing import Any

from pydantic import Field, model_validator

from .results import shape
from .schemas import CurrencyCode, Identifier, ToolArgs
from .spec import ReadOnlyClient, ToolContext, ToolSpec

#: Rows read per API page, and pages read per tool call at most.
PAGE_SIZE = 100
MAX_PAGES = 10
DEFAULT_ROWS = 10
MAX_ROWS = 25

_ROW_FIELDS = {
    "payout": ("payout_id", "status", "amount", "beneficiary", "payout_method", "order_id", "created_at",
               "reason_for_failure"),
    "transaction": ("transaction_id", "type", "direction", "amount", "wallet_id", "reference_id", "created_at"),
    "checkout": ("checkout_id", "amount", "customer_id", "payin_method_name", "created_at", "expire_at"),
    "customer": ("customer_id", "type", "name", "is_active", "created_at"),
}


class ListArgs(ToolArgs):
    limit: int = Field(DEFAULT_ROWS, ge=1, le=MAX_ROWS, description=f"Rows to return (at most {MAX_ROWS})")
    cursor: str | None = Field(None, max_length=200,
                               description="The cursor a previous call returned, to continue the same search")
    created_from: date | None = Field(None, description="Only records created on or after this date (YYYY-MM-DD)")
    created_to: date | None = Field(None, description="Only records created on or before this date (YYYY-MM-DD)")


class ListPayoutsArgs(ListArgs):
    status: str | None = Field(None, pattern=r"^[A-Za-z_]{1,20}$", description="PENDING, SUCCESS, FAILED, RETURNED")
    currency: CurrencyCode | None = None
    beneficiary: str | None = Field(None, min_length=2, max_length=100,
                                    description="Part of the payee's name, or a saved beneficiary id")


class ListTransactionsArgs(ListArgs):
    wallet_id: Identifier | None = Field(None, description="Only this wallet's ledger entries")
    record_id: Identifier | None = Field(None, description="Only entries of this payin, payout or refund id")
    type: str | None = Field(None, pattern=r"^[A-Za-z_]{1,30}$", description="e.g. PAYIN, PAYOUT, FEE, REFUND")
    currency: CurrencyCode | None = None

    @model_validator(mode="after")
    def _one_scope(self) -> "ListTransactionsArgs":
        if not (self.wallet_id or self.record_id):
            raise ValueError("give a wallet_id or a record_id: the whole ledger is not a support question")
        return self


class ListCheckoutsArgs(ListArgs):
    currency: CurrencyCode | None = None
    customer_id: Identifier | None = None


class FindCustomersArgs(ListArgs):
    #: named so that no tool schema carries an idempotency-looking field; matched against organization_reference_id
    merchant_customer_id: str | None = Field(None, min_length=1, max_length=64, description=(
        "The merchant's own id for the customer (its organization_reference_id)"))
    email: str | None = Field(None, min_length=3, max_length=254, description="The customer's e-mail address")
    name: str | None = Field(None, min_length=2, max_length=100, description="Part of the customer's name")

    @model_validator(mode="after")
    def _something_to_find(self) -> "FindCustomersArgs":
        if not (self.merchant_customer_id or self.email or self.name):
            raise ValueError("give a merchant_customer_id, an email or a name to search for")
        return self


# -- the scan --------------------------------------------------------------------------------------------


def _digest(query: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(query, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _encode_cursor(query: dict[str, Any], page: int, skip: int) -> str:
    raw = json.dumps({"q": _digest(query), "p": page, "s": skip}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str | None, query: dict[str, Any]) -> tuple[int, int]:
    if not cursor:
        return 1, 0
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        page, skip, digest = int(data["p"]), int(data["s"]), str(data["q"])
    except (ValueError, KeyError, TypeError):
        raise ValueError("the cursor is not one this tool returned") from None
    if digest != _digest(query) or page < 1 or skip < 0:
        raise ValueError("the cursor belongs to a different search: repeat the same filters, or drop the cursor")
    return page, skip


def scan(reader: ReadOnlyClient, operation: str, api_filters: dict[str, Any], keep: Callable[[Any], bool],
         args: ListArgs, kind: str) -> dict[str, Any]:
    """Walk pages from the cursor, keep matching rows up to ``args.limit``; say where to go on."""
    query = {"op": operation, **api_filters, **args.model_dump(exclude={"limit", "cursor"}, mode="json")}
    try:
        page, skip = _decode_cursor(args.cursor, query)
    except ValueError as refused:
        return {"error": "invalid_cursor", "message": str(refused)}
    rows: list[dict[str, Any]] = []
    for _ in range(MAX_PAGES):
        result = reader.call(operation, page=page, limit=PAGE_SIZE, **api_filters)
        items = list(result.items)
        for index in range(skip, len(items)):
            if keep(items[index]):
                rows.append(_row(kind, items[index]))
                if len(rows) == args.limit:
                    more = index + 1 < len(items) or result.has_more
                    following = (page, index + 1) if index + 1 < len(items) else (page + 1, 0)
                    return _answer(rows, _encode_cursor(query, *following) if more else None)
        if not result.has_more:
            return _answer(rows, None)
        page, skip = page + 1, 0
    return _answer(rows, _encode_cursor(query, page, 0),
                   note=f"Stopped after reading {MAX_PAGES * PAGE_SIZE} records; more may match: call again "
                        "with the cursor, or narrow the filters.")


def _row(kind: str, record: Any) -> dict[str, Any]:
    shaped = shape(kind, record)
    return {key: shaped[key] for key in _ROW_FIELDS[kind] if key in shaped}


def _answer(rows: list[dict[str, Any]], cursor: str | None, note: str | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"rows": rows, "count": len(rows), "more": cursor is not None}
    if cursor:
        answer["cursor"] = cursor
    if note:
        answer["note"] = note
    return answer


def _created_within(args: ListArgs) -> Callable[[Any], bool]:
    def keep(record: Any) -> bool:
        created = getattr(record, "created_at", None)
        if created is None:
            return args.created_from is None and args.created_to is None
        day = (created.astimezone(timezone.utc) if isinstance(created, datetime) and created.tzinfo else created)
        day = day.date() if isinstance(day, datetime) else day
        return (args.created_from is None or day >= args.created_from) and (
            args.created_to is None or day <= args.created_to)

    return keep


def _contains(text: Any, part: str) -> bool:
    return isinstance(text, str) and part.casefold() in text.casefold()


# -- the tools -------------------------------------------------------------------------------------------


def list_payouts(ctx: ToolContext, p: ListPayoutsArgs) -> dict[str, Any]:
    filters = {k: v for k, v in {"status": p.status and p.status.upper(), "currency": p.currency}.items() if v}
    dated = _created_within(p)

    def keep(payout: Any) -> bool:
        if p.beneficiary and not (_contains(getattr(payout, "payee_name", None), p.beneficiary)
                                  or getattr(payout, "payout_beneficiary_id", None) == p.beneficiary):
            return False
        return dated(payout)

    return scan(ctx.reader, "payouts.list", filters, keep, p, "payout")


def list_transactions(ctx: ToolContext, p: ListTransactionsArgs) -> dict[str, Any]:
    filters = {k: v for k, v in {"wallet_id": p.wallet_id, "reference_id": p.record_id,
                                 "type": p.type and p.type.upper(), "currency": p.currency}.items() if v}
    return scan(ctx.reader, "transactions.list", filters, _created_within(p), p, "transaction")


def list_checkouts(ctx: ToolContext, p: ListCheckoutsArgs) -> dict[str, Any]:
    filters = {"currency": p.currency} if p.currency else {}
    dated = _created_within(p)

    def keep(checkout: Any) -> bool:
        return (p.customer_id is None or getattr(checkout, "customer_id", None) == p.customer_id) and dated(checkout)

    return scan(ctx.reader, "checkouts.list", filters, keep, p, "checkout")


def find_customers(ctx: ToolContext, p: FindCustomersArgs) -> dict[str, Any]:
    dated = _created_within(p)

    def keep(customer: Any) -> bool:
        details = {**(customer.individual or {}), **(customer.company or {})}
        if p.merchant_customer_id and str(customer.organization_reference_id or "") != p.merchant_customer_id:
            return False
        emails = {str(details.get(k) or "").casefold() for k in ("email", "company_email")}
        if p.email and p.email.casefold() not in emails:
            return False
        name = " ".join(str(details.get(k) or "") for k in ("name", "first_name", "last_name"))
        if p.name and not _contains(name, p.name):
            return False
        return dated(customer)

    return scan(ctx.reader, "customers.list", {}, keep, p, "customer")


_LIST_NOTE = (" Returns at most `limit` concise rows; when `more` is true, call again with the same filters and "
              "the returned `cursor`. Read-only.")

LISTING_SPECS: tuple[ToolSpec, ...] = (
    ToolSpec("list_payouts", "Search payouts by status, currency, payee name or saved beneficiary id, and "
             "creation dates, newest records as the API orders them." + _LIST_NOTE, ListPayoutsArgs, run=list_payouts),
    ToolSpec("list_transactions", "Ledger entries of one wallet or of one payin/payout/refund (record_id), by "
             "type, currency and dates." + _LIST_NOTE, ListTransactionsArgs, run=list_transactions),
    ToolSpec("list_payment_requests", "Search payment requests (checkouts) by currency, customer id and creation "
             "dates." + _LIST_NOTE, ListCheckoutsArgs, run=list_checkouts),
    ToolSpec("find_customers", "Find customers by the merchant's own customer id, e-mail or part of the "
             "name." + _LIST_NOTE, FindCustomersArgs, run=find_customers),
)
