"""What a handler gets (the request's context) and the table of handlers by operation name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ..signing import canonical_json, parse_json
from ._errors import ApiError
from ._ledger import Ledger
from ._paging import Listing
from ._store import Store, iso

Result = tuple[str, Any]
Handler = Callable[["Context", dict[str, str], Any], Result]

HANDLERS: dict[str, Handler] = {}


def handles(name: str) -> Callable[[Handler], Handler]:
    """Register the sandbox's implementation of one catalog operation."""

    def register(function: Handler) -> Handler:
        HANDLERS[name] = function
        return function

    return register


@dataclass
class Outgoing:
    url: str
    event_type: str
    body: bytes


@dataclass
class Context:
    """One request's view of the sandbox; webhooks wait in ``outbox`` until the commit."""

    store: Store
    ledger: Ledger
    base_url: str
    notification_url: str | None
    outbox: list[Outgoing] = field(default_factory=list)
    #: the merchant's X-token, which the documented checkout_url carries as ``identifier=``
    identifier: str = ""

    def now(self) -> datetime:
        return self.store.now()

    def notify(self, url: str | None, event_type: str, payload: dict[str, Any]) -> None:
        target = url or self.notification_url
        if target:
            self.outbox.append(Outgoing(target, event_type, canonical_json(payload, exact=False)))


DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 1000


def page_window(params: Any) -> tuple[int, int]:
    """(page, limit) from ``page`` and ``limit``/``per_page``; 1-based, limit capped."""
    page = max(int(getattr(params, "page", None) or 1), 1)
    limit = int(getattr(params, "limit", None) or getattr(params, "per_page", None) or DEFAULT_PAGE_SIZE)
    return page, min(max(limit, 1), MAX_PAGE_SIZE)


def page_envelope(items: list[Any], total: int, page: int, limit: int) -> dict[str, Any]:
    """A Laravel-style page: ``{current_page, per_page, total, last_page, data}``."""
    return {"current_page": page, "per_page": limit, "total": total,
            "last_page": max((total + limit - 1) // limit, 1), "data": items}


def json_field(name: str) -> str:
    """The SQL for a record's top-level field (the expression the per-kind indexes are built on)."""
    return f"json_extract(r.data, '$.{name}')"


def equal_to(params: Any, columns: dict[str, str]) -> list[tuple[str, Any]]:
    """``(SQL clause, value)`` for each equality filter given, as ``matches`` compares (None: not given)."""
    given = [(column, getattr(params, name, None) if params is not None else None) for name, column in columns.items()]
    return [(f"{column} = ?", value) for column, value in given if value is not None]


def created_between(params: Any) -> list[tuple[str, Any]]:
    """The documented list filters on a record's ``created_at``: ``created_at`` (a day, YYYY-MM-DD) and
    ``start_time`` / ``end_time`` (epoch seconds, from inclusive, to exclusive — as the ledger applies them)."""
    column = json_field("created_at")
    clauses: list[tuple[str, Any]] = []
    day = getattr(params, "created_at", None) if params is not None else None
    if day:
        clauses.append((f"substr({column}, 1, 10) = ?", str(day)))
    for name, op in (("start_time", ">="), ("end_time", "<")):
        value = getattr(params, name, None) if params is not None else None
        if value is not None:  # stored timestamps are one ISO format in UTC, so text order is time order
            clauses.append((f"{column} {op} ?", iso(datetime.fromtimestamp(value, timezone.utc))))
    return clauses


def record_page(ctx: Context, kind: str, params: Any, filters: list[tuple[str, Any]]) -> dict[str, Any]:
    """One page of ``kind`` records passing ``filters`` (SQL clause, value or None), in insertion order.

    A key seek on the records' per-kind sequence: only the page's rows are read, never every record.
    """
    assert kind.isidentifier()  # our own constant, written into the SQL so the partial indexes apply
    page, limit = page_window(params)
    filters = [*filters, *created_between(params)]
    clauses = [f"r.kind = '{kind}'", *(clause for clause, _ in filters)]
    values = tuple(value for _, value in filters if value is not None)
    listing = Listing("records r", "r.seq", " AND ".join(clauses), values, select="r.data")
    rows, total = ctx.store.pager.page(listing, page, limit)
    return page_envelope([parse_json(row["data"]) for row in rows], total, page, limit)


def replay(ctx: Context, kind: str, label: str, body: Any,
           field: str = "organization_reference_id") -> Result | None:
    """The record an earlier request with the same idempotency reference created, answered again.

    The same reference with a different body is a 409 naming the fields that differ, never the old
    record as if the new request were done (Stripe's rule; PayCombat's is not documented).
    """
    reference = getattr(body, field)
    if reference is None or reference == "":
        return None
    sent = _comparable(body.to_wire())
    first = ctx.store.remember_request(kind, reference, sent)
    differing = sorted(name for name in set(first) | set(sent) if first.get(name) != sent.get(name))
    if differing:
        raise ApiError(409, f"{field} {reference!r} was already used with a different request "
                            f"(differs in: {', '.join(differing)}); use a new {field} for a new {label.lower()}",
                       errors=[{"field": name, "message": f"differs from the first request with this {field}"}
                               for name in differing])
    existing = ctx.store.find_by_ref(kind, reference)
    return (f"{label} already exists for this {field}", existing) if existing else None


def _comparable(wire: dict[str, Any]) -> dict[str, Any]:
    """A body as JSON-ready data, references as text (42 and "42" are one reference)."""
    data: dict[str, Any] = parse_json(canonical_json(wire, exact=False))
    return {key: (str(value) if key in ("order_id", "organization_reference_id") else value)
            for key, value in data.items()}
