"""PayCombat records as pandas DataFrames: ledger pulls, balance history, daily volume, success rates, plots.

Money stays exact. Every column that holds an amount (any ``Decimal`` value) is an ``object`` column
of ``decimal.Decimal`` (missing values are ``None``): sums such as ``frame["amount"].sum()`` or
:func:`sum_decimal` are exact, and ``to_csv`` writes the exact digits. Nothing here turns money into
``float``, except the ``plot_*`` functions, which convert to float only to draw (a chart has no cents).
Timestamps (``created_at`` and every other ``*_at`` or datetime column) are tz-aware UTC
``datetime64`` columns; text columns (ids, types, statuses) use the ``string`` dtype.

Needs the ``notebook`` extra (pandas, matplotlib, tqdm); ``import paycombat_tools`` does not load it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from .history import query, sync_history

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ._client import PayCombat

__all__ = [
    "balance_history", "daily_volume", "percent_table", "plot_balance_history", "plot_daily_volume",
    "plot_success_rate", "pull_payouts", "pull_transactions", "success_rate_by_method", "sum_decimal",
    "query", "sync_history", "to_dataframe", "wallet_balances",
]

#: Ledger entry types that count as volume: money in (successful payins) and money out (paid payouts).
VOLUME_TYPES = ("PAYIN", "PAYOUT")
#: Statuses that count as success / failure in :func:`success_rate_by_method` (others: still open).
SUCCESS_STATUSES = frozenset({"SUCCESS", "COMPLETED"})
FAILED_STATUSES = frozenset({"FAILED", "EXPIRED", "REJECTED"})
#: Where the payout/payin method is found, in order of preference.
METHOD_COLUMNS = ("payout_method_name", "payin_method_name", "payment_method", "beneficiary_bank", "method")


# -- records to frames ------------------------------------------------------------------------------


def to_dataframe(items: Iterable[Any], *, progress: bool = False, total: int | None = None) -> pd.DataFrame:
    """A typed DataFrame from any iterable of pydantic models or dicts (a ``Page`` walks every page).

    Records are consumed one at a time (pages are fetched as the iteration reaches them), and
    ``progress=True`` shows a ``tqdm`` bar (its total is the page's ``total`` when known). Column
    types: Decimal amounts as ``object`` (exact), datetimes as UTC ``datetime64``, text as ``string``,
    integers as ``Int64``, booleans as ``boolean``; nested values (dicts, lists) and all-empty
    columns stay ``object``. ``frame.attrs["decimal_columns"]`` names the exact-money columns.
    """
    iterable: Iterable[Any] = items
    if progress:
        from tqdm.auto import tqdm

        iterable = tqdm(items, total=total if total is not None else getattr(items, "total", None),
                        unit="rows", desc="Reading")
    columns: dict[str, list[Any]] = {}
    count = 0
    for item in iterable:
        record = _record(item)
        for key in record:
            if key not in columns:
                columns[key] = [None] * count
        for key, values in columns.items():
            values.append(record.get(key))
        count += 1
    frame = pd.DataFrame({key: _typed(key, values) for key, values in columns.items()}, index=pd.RangeIndex(count))
    frame.attrs["decimal_columns"] = [key for key, values in columns.items() if _has_decimal(values)]
    return frame


def pull_transactions(client: "PayCombat", *, page_size: int = 500, progress: bool = True,
                      backend: Literal["pandas", "arrow"] = "pandas", **filters: Any) -> Any:
    """Every ledger transaction matching ``filters`` (``type``, ``currency``, ``wallet_id``,
    ``start_time``/``end_time`` epoch seconds, ...), ``page_size`` per request.

    Columns are built straight from each page's records (checked in bulk; a bad value raises a
    ``ServerError`` naming the field and row), holding one raw page at a time. ``backend="pandas"``
    gives the frame :func:`to_dataframe` gives (Decimal objects); ``"arrow"`` a ``pyarrow.Table``
    with ``decimal128`` money (scale: the largest minor unit of the currencies present).
    """
    return _pull(client, "transactions.list", page_size, progress, backend, filters)


def pull_payouts(client: "PayCombat", *, page_size: int = 500, progress: bool = False,
                 backend: Literal["pandas", "arrow"] = "pandas", **filters: Any) -> Any:
    """Every payout matching ``filters`` (``status``, ``currency``, ``payout_method_name``, ...)."""
    return _pull(client, "payouts.list", page_size, progress, backend, filters)


def _pull(client: "PayCombat", operation: str, page_size: int, progress: bool, backend: str,
          filters: dict[str, Any]) -> Any:
    if backend not in ("pandas", "arrow"):
        raise ValueError(f"backend must be 'pandas' or 'arrow', not {backend!r}")
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        pyarrow = None
    if pyarrow is None or not hasattr(client, "_requester"):  # without the bulk extra: the model path
        if backend == "arrow":
            raise ImportError("backend='arrow' needs pyarrow (pip install 'paycombat-tools[bulk]')")
        resource = getattr(client, operation.split(".")[0])
        page = resource.list(limit=page_size, **filters)
        return to_dataframe(page, progress=progress, total=page.total)
    from ._columns import pull_columns
    from .catalog import CATALOG

    model = CATALOG[operation].response_model
    columns = pull_columns(client, operation, model, page_size=page_size, progress=progress, **filters)
    return columns.to_pandas() if backend == "pandas" else columns.to_arrow()


def wallet_balances(source: "PayCombat | Iterable[Any]") -> pd.DataFrame:
    """One row per wallet and currency: wallet_id, category, customer_id, currency, actual, available."""
    wallets = source.wallets.list(limit=100) if hasattr(source, "wallets") else source
    rows = []
    for wallet in wallets:
        data = wallet.model_dump(mode="python") if hasattr(wallet, "model_dump") else dict(wallet)
        for account in data.get("wallet_account") or []:
            rows.append({"wallet_id": data.get("wallet_id"), "category": data.get("category"),
                         "customer_id": data.get("customer_id"), "currency": account.get("currency"),
                         "actual": account.get("actual_balance"), "available": account.get("available_balance")})
    frame = to_dataframe(rows)
    if frame.empty:
        frame = pd.DataFrame(columns=["wallet_id", "category", "customer_id", "currency", "actual", "available"])
    return frame


def sum_decimal(values: Iterable[Any]) -> Decimal:
    """The exact sum of an amount column (``None`` skipped); ``Decimal(0)`` when empty."""
    return sum((Decimal(v) if not isinstance(v, Decimal) else v for v in values if not _missing(v)), Decimal(0))


# -- derived frames ---------------------------------------------------------------------------------


def balance_history(source: "PayCombat | pd.DataFrame", wallet_id: str, currency: str) -> pd.DataFrame:
    """One wallet account's running balances after every ledger entry, indexed by ``created_at`` (UTC).

    Columns: ``available`` and ``actual`` (exact Decimals, from the ledger's running balances), and
    the entry's ``type``, ``direction``, ``balance_type``, ``amount`` and ``transaction_id``. Pass a
    transactions frame (e.g. from :func:`pull_transactions`) or a client to pull just that account.
    """
    currency = currency.upper()
    if isinstance(source, pd.DataFrame):
        _require(source, ("wallet_id", "currency", "created_at", "running_balance_available",
                          "running_balance_actual"), "balance_history")
        frame = source[(source["wallet_id"] == wallet_id) & (source["currency"] == currency)]
    else:
        frame = pull_transactions(source, wallet_id=wallet_id, currency=currency, progress=False)
    if frame.empty:
        history = pd.DataFrame(columns=["available", "actual", "type", "direction", "balance_type", "amount",
                                        "transaction_id"], index=pd.DatetimeIndex([], tz="UTC", name="created_at"))
    else:
        frame = frame.sort_values("created_at", kind="stable")
        history = pd.DataFrame({
            "available": frame["running_balance_available"].to_numpy(dtype=object),
            "actual": frame["running_balance_actual"].to_numpy(dtype=object),
            **{name: frame[name].to_numpy() for name in ("type", "direction", "balance_type", "amount",
                                                          "transaction_id") if name in frame},
        }, index=pd.DatetimeIndex(frame["created_at"], name="created_at"))
    history.attrs.update(wallet_id=wallet_id, currency=currency, decimal_columns=["available", "actual", "amount"])
    return history


def daily_volume(frame: pd.DataFrame, *, by: str | Sequence[str] = "currency") -> pd.DataFrame:
    """Per UTC day, the exact sum of successful PAYIN and PAYOUT ledger amounts by ``by`` and type.

    ``frame`` is a transactions (ledger) frame: the ledger records a PAYIN when a payin succeeds and
    a PAYOUT when a payout is paid, so these entries are exactly the successful ones (entries with a
    ``status`` other than COMPLETED/SUCCESS are left out too). Columns: ``date`` (UTC midnight),
    the ``by`` columns, ``type``, ``amount`` (Decimal) and ``count``.
    """
    _require(frame, ("type", "amount", "created_at"), "daily_volume")
    keys = [by] if isinstance(by, str) else list(by)
    if "type" not in keys:
        keys.append("type")
    rows = frame[frame["type"].isin(VOLUME_TYPES)]
    if "status" in rows:
        rows = rows[rows["status"].isna() | rows["status"].isin(sorted(SUCCESS_STATUSES))]
    columns = ["date", *keys, "amount", "count"]
    if rows.empty:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
    rows = rows.assign(date=pd.to_datetime(rows["created_at"], utc=True).dt.floor("D"))
    volume = (rows.groupby(["date", *keys], sort=True, observed=True, dropna=False)
                  .agg(amount=("amount", sum_decimal), count=("amount", "size"))
                  .reset_index())
    volume["amount"] = volume["amount"].astype(object)
    volume.attrs["decimal_columns"] = ["amount"]
    return volume[columns]


def success_rate_by_method(source: "PayCombat | pd.DataFrame", *, method_column: str | None = None) -> pd.DataFrame:
    """Per payin/payout method: ``total``, ``success``, ``failed``, ``open`` and ``rate``.

    ``source`` is a payins or payouts frame (anything with a status and a method column, found in
    :data:`METHOD_COLUMNS` order unless ``method_column`` is given) or a client, whose payouts are
    pulled (the API has no payin list). ``rate = success / (success + failed)``: open records
    (PENDING, CANCELLED, ...) are counted in ``total`` and ``open`` but not in the rate; a method with
    nothing settled has rate NaN. The rate is a plain float (a ratio, not money).
    """
    frame = source if isinstance(source, pd.DataFrame) else pull_payouts(source)
    column = method_column or next((name for name in METHOD_COLUMNS if name in frame), None)
    if column is None or "status" not in frame:
        raise ValueError("success_rate_by_method needs a 'status' column and a method column "
                         f"(one of {', '.join(METHOD_COLUMNS)}, or pass method_column=)")
    status = frame["status"].astype("string").str.upper()
    counts = pd.DataFrame({
        "method": frame[column].astype("string"),
        "success": status.isin(sorted(SUCCESS_STATUSES)).astype(int),
        "failed": status.isin(sorted(FAILED_STATUSES)).astype(int),
    })
    result = counts.groupby("method", sort=True).agg(total=("success", "size"), success=("success", "sum"),
                                                      failed=("failed", "sum")).reset_index()
    result["open"] = result["total"] - result["success"] - result["failed"]
    settled = result["success"] + result["failed"]
    result["rate"] = (result["success"] / settled.where(settled > 0)).astype(float)
    return result.sort_values(["total", "method"], ascending=[False, True], kind="stable").reset_index(drop=True)


# -- plots (float only here, to draw) ---------------------------------------------------------------


def plot_daily_volume(frame: pd.DataFrame, ax: "Axes | None" = None, *, currency: str | None = None) -> "Axes":
    """Lines of daily volume per currency and type, from a transactions frame or :func:`daily_volume`'s."""
    volume = frame if {"date", "amount", "count"} <= set(frame.columns) else daily_volume(frame)
    if currency is not None and "currency" in volume:
        volume = volume[volume["currency"] == currency.upper()]
    ax = _axes(ax)
    series_keys = [c for c in volume.columns if c not in ("date", "amount", "count")]
    if not volume.empty:
        for key, group in volume.groupby(series_keys, sort=True):
            label = " ".join(str(part) for part in (key if isinstance(key, tuple) else (key,)))
            ax.plot(_dates(group["date"]), _floats(group["amount"]), marker=".", label=label)
        ax.legend(fontsize="small")
    ax.set_title("Daily volume" + (f" ({currency.upper()})" if currency else ""))
    ax.set_xlabel("day (UTC)")
    ax.set_ylabel("amount")
    ax.figure.autofmt_xdate()
    return ax


def plot_balance_history(frame: pd.DataFrame, ax: "Axes | None" = None) -> "Axes":
    """Step lines of available and actual balance from :func:`balance_history`."""
    ax = _axes(ax)
    times = _dates(frame.index.to_series())
    for column in ("available", "actual"):
        if column in frame:
            ax.step(times, _floats(frame[column]), where="post", label=column)
    wallet, currency = frame.attrs.get("wallet_id"), frame.attrs.get("currency")
    ax.set_title("Balance history" + (f" · {wallet} {currency}" if wallet else ""))
    ax.set_xlabel("time (UTC)")
    ax.set_ylabel(f"balance{f' ({currency})' if currency else ''}")
    ax.legend(fontsize="small")
    ax.figure.autofmt_xdate()
    return ax


def plot_success_rate(frame: pd.DataFrame, ax: "Axes | None" = None) -> "Axes":
    """Bars of success rate per method (from :func:`success_rate_by_method`, or a payins/payouts frame).

    The axis is in percent and starts just below the lowest rate (:func:`rate_axis_floor`), so rates
    of 92% and 97% look different; the title says where it starts. Each bar is labelled with its rate
    and ``successes/settled``.
    """
    from matplotlib.ticker import PercentFormatter

    rates = frame if {"method", "rate", "success", "failed"} <= set(frame.columns) else success_rate_by_method(frame)
    ax = _axes(ax)
    methods = [str(m) for m in rates["method"]]
    values = [0.0 if math.isnan(r) else float(r) for r in rates["rate"]]
    floor = rate_axis_floor(values)
    bars = ax.bar(methods, values)
    for bar, rate, success, failed in zip(bars, values, rates["success"], rates["failed"]):
        ax.annotate(f"{rate:.1%}\n{success}/{success + failed}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center", va="bottom", fontsize="small")
    ax.set_ylim(floor, 1.0 + (1.0 - floor) * 0.15)  # room above 100% for the labels, no ticks there
    ax.set_yticks([tick for tick in ax.get_yticks() if floor <= tick <= 1.0 + 1e-9])
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylabel("success rate (of settled)")
    ax.set_title("Success rate by method" + (f" (axis from {floor:.0%})" if floor > 0 else ""))
    ax.tick_params(axis="x", labelrotation=30)
    return ax


def rate_axis_floor(rates: Sequence[float]) -> float:
    """Where a rate axis starts: 0 when a rate is below 50%, else 5% steps below the lowest rate."""
    present = [r for r in rates if not math.isnan(r)]
    lowest = min(present, default=0.0)
    if lowest < 0.5:
        return 0.0
    return max(0.0, math.floor((lowest - 0.02) * 20) / 20)


def percent_table(frame: pd.DataFrame, columns: Sequence[str] = ("rate",), *, decimals: int = 1) -> Any:
    """``frame`` for reading (a pandas ``Styler``): ``columns`` as percentages (``0.9335`` -> ``93.4%``),
    missing as "—", no index. The frame itself keeps the plain floats."""
    shown = [name for name in columns if name in frame]
    return (frame.style.format({name: f"{{:.{decimals}%}}" for name in shown}, na_rep="—")
            .hide(axis="index"))


# -- helpers ----------------------------------------------------------------------------------------


def _record(item: Any) -> dict[str, Any]:
    if hasattr(item, "model_dump"):
        return item.model_dump(mode="python")  # type: ignore[no-any-return]
    if isinstance(item, dict):
        return item
    raise TypeError(f"to_dataframe takes pydantic models or dicts, not {type(item).__name__}")


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT


def _has_decimal(values: list[Any]) -> bool:
    return any(isinstance(v, Decimal) for v in values)


def _is_temporal_name(name: str) -> bool:
    return name.endswith(("_at", "_date")) or name == "date"


def _typed(name: str, values: list[Any]) -> pd.Series:
    present = [v for v in values if not _missing(v)]
    raw = pd.Series(values, dtype=object)
    if not present:
        if _is_temporal_name(name):
            return pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us, UTC]")
        return raw.where(raw.notna(), None)
    if any(isinstance(v, Decimal) for v in present):
        return pd.Series([None if _missing(v) else _decimal(v) for v in values], dtype=object)
    if all(isinstance(v, datetime) for v in present) or (_is_temporal_name(name)
                                                        and all(isinstance(v, (str, datetime)) for v in present)):
        try:
            return pd.to_datetime(raw, utc=True, format="ISO8601")
        except (ValueError, TypeError):
            pass
    if all(isinstance(v, bool) for v in present):
        return raw.astype("boolean")
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return raw.astype("Int64")
    if all(isinstance(v, str) for v in present):
        return raw.astype("string")
    return raw


def _decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame]
    if missing:
        raise ValueError(f"{what} needs a transactions frame with columns {', '.join(columns)}; "
                         f"missing: {', '.join(missing)}")


def _axes(ax: "Axes | None") -> "Axes":
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _figure, new_ax = plt.subplots(figsize=(9, 4))
    return new_ax


def _floats(values: Iterable[Any]) -> list[float]:
    """Decimal -> float, for drawing only."""
    return [math.nan if _missing(v) else float(v) for v in values]


def _dates(values: pd.Series) -> Any:
    """Timestamps as tz-aware (UTC) datetime objects, which matplotlib draws without pandas' converters."""
    return pd.to_datetime(values, utc=True).dt.to_pydatetime()
