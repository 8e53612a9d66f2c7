"""Bulk reads: a list operation's raw page dicts (through the signed path) turned into typed columns.

Pages are fetched exactly as ``client.<resource>.list`` fetches them (same signed request, retries
and error mapping), but their records are not turned into pydantic models one by one: each page's
values are checked column by column (a bad value raises a ``ServerError`` naming the field and the
row) and appended to per-column chunks, so only one raw page is held at a time. Needs pyarrow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from ._arguments import checked_call
from ._envelope import unwrap
from .catalog import CATALOG
from .errors import PayCombatError, ServerError
from .money import MoneyError, minor_quantum, minor_unit
from .pagination import _PageFacts, page_meta
from .signing import reference_parse_json

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from ._client import PayCombat

_UNSET: Any = object()


@dataclass(frozen=True)
class RawPage:
    """One page's records as parsed dicts, its paging facts and the context errors carry."""

    items: list[dict[str, Any]]
    meta: dict[str, Any]
    context: dict[str, Any]


def raw_pages(client: "PayCombat", operation: str, **fields: Any) -> Iterator[RawPage]:
    """Every page of ``operation`` (a paginated catalog name) as dicts, fetched one at a time."""
    requester = client._requester
    core = requester.core
    exchange = core.exchange(checked_call(CATALOG[operation], (), fields))
    number = int(fields.get("page") or 1)
    previous: _PageFacts[Any] | None = None
    while True:
        try:
            data, context = unwrap(exchange.operation, requester._send(exchange), exchange.request,
                                   parse=reference_parse_json)
            try:
                items, meta = page_meta(data, number, fields.get("limit"))
            except ValueError as error:
                raise ServerError(f"unexpected response shape for {operation}: {error}", **context) from None
        except PayCombatError as error:
            raise core.failure(exchange, error) from None
        facts = _PageFacts(items, **meta)  # the same paging rules as client.<resource>.list pages
        if previous is not None and previous._repeats(facts):
            return
        yield RawPage(items, meta, context)
        if not facts.has_more:
            return
        previous, number = facts, facts.page + 1
        exchange = core.exchange(core.page_call(exchange, number))


@dataclass(frozen=True)
class Field:
    """A model field as a column: ``kind`` is string, text (ints read as text), money, timestamp or value."""

    name: str
    kind: str
    required: bool
    currency: str | None = None


def fields_of(model: Any) -> tuple[Field, ...]:
    """The columns a response model declares, in its field order."""
    money = getattr(model, "money_fields", {})
    result = []
    for name, info in model.model_fields.items():
        annotation = str(info.annotation)
        if name in money:
            kind = "money"
        elif annotation in ("datetime.datetime | None", "<class 'datetime.datetime'>"):
            kind = "timestamp"
        elif annotation in ("str | None", "<class 'str'>"):
            kind = "text" if any("_text" in repr(m) for m in info.metadata) else "string"
        else:
            kind = "value"
        result.append(Field(name, kind, info.is_required(), money.get(name)))
    return tuple(result)


class Columns:
    """Typed column chunks built page by page from record dicts; ``to_pandas`` / ``to_arrow`` at the end."""

    def __init__(self, model: Any, *, operation: str, money_scale: int | None = None,
                 extras: bool = True) -> None:
        self.fields = fields_of(model)
        self.operation = operation
        self.money_scale = money_scale
        self.keep_extras = extras
        self.count = 0
        self.chunks: dict[str, list[Any]] = {f.name: [] for f in self.fields}
        self.money: dict[str, list[Decimal | None]] = {f.name: [] for f in self.fields if f.kind == "money"}
        self.extras: dict[str, list[Any]] = {}
        self.scales: dict[str, int] = {}

    # -- one page ----------------------------------------------------------------------------------

    def add(self, rows: list[dict[str, Any]], context: dict[str, Any] | None = None) -> None:
        """Check and append one page's records (a bad value raises before anything is appended)."""
        context = context or {"operation": self.operation}
        built: dict[str, Any] = {}
        currencies: dict[str, list[Any]] = {}
        for field in self.fields:
            name = field.name
            values = [row.get(name) for row in rows]
            if field.required and None in values:
                self._fail(context, field.name, values.index(None), "a value is required")
            if field.kind in ("string", "text"):
                built[field.name] = self._strings(field, values, context)
            elif field.kind == "timestamp":
                built[field.name] = self._timestamps(field.name, values, context)
            elif field.kind == "money":
                assert field.currency is not None
                codes = currencies.setdefault(field.currency, [row.get(field.currency) for row in rows])
                built[field.name], scale = self._decimals(field.name, values, codes, context)
                self.scales[field.name] = max(self.scales.get(field.name, 0), scale)
            else:
                built[field.name] = values
        known = {f.name for f in self.fields}
        extra_names = [key for key in dict.fromkeys(k for row in rows for k in row) if key not in known] \
            if self.keep_extras and not set().union(*rows) <= known else []
        for field in self.fields:
            value = built[field.name]
            if field.kind == "money":
                self.money[field.name].extend(value)
            else:
                self.chunks[field.name].append(value)
        for name in extra_names:
            self.extras.setdefault(name, [None] * self.count)
        for name, column in self.extras.items():
            column.extend(row.get(name) for row in rows)
        self.count += len(rows)

    def _strings(self, field: Field, values: list[Any], context: dict[str, Any]) -> "pa.Array":
        import pyarrow as pa

        try:
            return pa.array(values, pa.string())
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            pass
        fixed = []
        for row, value in enumerate(values):
            if field.kind == "text" and isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            if value is not None and not isinstance(value, str):
                self._fail(context, field.name, row, f"expected text, got {type(value).__name__}")
            fixed.append(value)
        return pa.array(fixed, pa.string())

    def _timestamps(self, name: str, values: list[Any], context: dict[str, Any]) -> "pa.Array":
        import pyarrow as pa

        unit = pa.timestamp("us", tz="UTC")
        try:
            return pa.array(values, pa.string()).cast(unit)
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            pass
        import pandas as pd

        for row, value in enumerate(values):
            if value is not None and not isinstance(value, (str, datetime)):
                self._fail(context, name, row, f"expected a date-time, got {type(value).__name__}")
            try:
                pd.to_datetime(value, utc=True, format="ISO8601")
            except (ValueError, TypeError):
                self._fail(context, name, row, f"{value!r} is not an ISO 8601 date-time")
        series = pd.to_datetime(pd.Series(values, dtype=object), utc=True, format="ISO8601")
        return pa.Array.from_pandas(series.astype("datetime64[us, UTC]")).cast(unit)

    def _decimals(self, name: str, values: list[Any], codes: list[Any],
                  context: dict[str, Any]) -> tuple[list[Decimal | None], int]:
        """Exact amounts, shown with their currency's minor unit when that adds only zeros (as the models do),
        and the decimal places they need."""
        quanta: dict[Any, tuple[Decimal, int] | None] = {}
        scale = 0
        out: list[Decimal | None] = []
        for row, (value, code) in enumerate(zip(values, codes)):
            kind = type(value)
            if kind is Decimal:
                amount = value
            elif kind is int:
                amount = Decimal(value)
            elif value is None or value == "":
                out.append(None)
                continue
            elif kind is str:
                try:
                    amount = Decimal(value)
                except InvalidOperation:
                    self._fail(context, name, row, f"{value!r} is not a number")
            else:
                self._fail(context, name, row, f"expected an exact number, got {kind.__name__}")
            if not amount.is_finite():
                self._fail(context, name, row, f"{value!r} is not a finite amount")
            unit = quanta.get(code, _UNSET)
            if unit is _UNSET:
                unit = quanta[code] = _quantum(code)
            shown = amount
            if unit is not None:
                try:
                    shown = amount.quantize(unit[0])
                except InvalidOperation:
                    pass
            if unit is not None and shown == amount:
                amount, places = shown, unit[1]
            else:
                places = _places(amount)
            if places > scale:
                scale = places
            out.append(amount)
        return out, scale

    def _fail(self, context: dict[str, Any], name: str, row: int, problem: str) -> Any:
        raise ServerError(f"unexpected response shape for {self.operation}: row {self.count + row + 1} "
                          f"field {name!r}: {problem}", **{"operation": self.operation, **context})

    # -- the whole pull ------------------------------------------------------------------------------

    def to_pandas(self) -> "pd.DataFrame":
        """The frame ``analysis.to_dataframe`` would build from the same records (same dtypes, same Decimals)."""
        import pandas as pd
        import pyarrow as pa

        from .analysis import _typed

        data: dict[str, Any] = {}
        decimal_columns = []
        for field in self.fields:
            if field.kind == "money":
                values = self.money[field.name]
                if any(v is not None for v in values):
                    decimal_columns.append(field.name)
                data[field.name] = pd.Series(values, dtype=object)
            elif field.kind == "value":
                data[field.name] = _typed(field.name, [v for chunk in self.chunks[field.name] for v in chunk])
            else:
                column = pa.chunked_array(self.chunks[field.name], pa.string() if field.kind != "timestamp"
                                          else pa.timestamp("us", tz="UTC"))
                if field.kind != "timestamp" and column.null_count == len(column):
                    data[field.name] = pd.Series([None] * len(column), dtype=object)
                elif field.kind != "timestamp":
                    data[field.name] = column.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)
                else:
                    data[field.name] = column.to_pandas()
        for name, values in self.extras.items():
            data[name] = _typed(name, values)
            if any(isinstance(v, Decimal) for v in values):
                decimal_columns.append(name)
        frame = pd.DataFrame(data, index=pd.RangeIndex(self.count))
        frame.attrs["decimal_columns"] = decimal_columns
        return frame

    def to_arrow(self) -> "pa.Table":
        """An Arrow table: text as ``string``, money as ``decimal128(38, scale)`` (never float), times UTC."""
        import pyarrow as pa

        arrays: dict[str, Any] = {}
        for field in self.fields:
            if field.kind == "money":
                scale = self.money_scale if self.money_scale is not None else max(self.scales.get(field.name, 2), 0)
                try:
                    arrays[field.name] = pa.array(self.money[field.name], pa.decimal128(38, scale))
                except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
                    raise ServerError(f"{field.name}: an amount does not fit decimal128(38, {scale}): {error}",
                                      operation=self.operation) from None
            elif field.kind == "value":
                arrays[field.name] = pa.array([v for chunk in self.chunks[field.name] for v in chunk])
            else:
                arrays[field.name] = pa.chunked_array(
                    self.chunks[field.name], pa.timestamp("us", tz="UTC") if field.kind == "timestamp" else pa.string())
        for name, values in self.extras.items():
            arrays[name] = pa.array(values)
        return pa.table(arrays)


def _quantum(code: Any) -> tuple[Decimal, int] | None:
    """The currency's smallest unit (``Decimal('0.01')``) and its places, or None for an unknown code."""
    if not isinstance(code, str):
        return None
    try:
        places = minor_unit(code)
    except MoneyError:
        return None
    return minor_quantum(places), places


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def pull_columns(client: "PayCombat", operation: str, model: Any, *, page_size: int, progress: bool,
                 on_page: Callable[[int], None] | None = None, **filters: Any) -> Columns:
    """Every record of ``operation`` matching ``filters``, as ``Columns`` (one raw page held at a time)."""
    columns = Columns(model, operation=operation)
    bar = None
    try:
        for page in raw_pages(client, operation, limit=page_size, **filters):
            if progress and bar is None:
                from tqdm.auto import tqdm

                bar = tqdm(total=page.meta.get("total"), unit="rows", desc="Reading")
            columns.add(page.items, page.context)
            if bar is not None:
                bar.update(len(page.items))
            if on_page is not None:
                on_page(len(page.items))
    finally:
        if bar is not None:
            bar.close()
    return columns
