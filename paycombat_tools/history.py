"""A ledger history beyond memory: monthly Parquet partitions synced from time-windowed pulls, read by DuckDB.

``sync_history(client, "history/", start=..., end=...)`` writes ``history/month=YYYY-MM/part-0.parquet``
(hive style) from pulls filtered by ``start_time``/``end_time`` (the filters ``TransactionListParams``
declares; the list operation itself is inferred, see EVIDENCE.md), each file written to a temporary
name and renamed. ``history/_manifest.json`` records the completed months: a re-run pulls only months
that are missing, incomplete, or not over yet (the current month is always pulled again). Every row is
checked to lie in its month, so a server that ignored the filters fails loudly instead of duplicating.
Money is ``decimal128(38, 4)`` (the widest ISO 4217 minor unit, so every month has one schema).
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._client import PayCombat

__all__ = ["MONEY_SCALE", "query", "sync_history"]

#: Decimal places of every amount column in a history dataset.
MONEY_SCALE = 4
#: Rows buffered before a Parquet row group is written (bounds memory whatever the month's size).
ROW_GROUP_ROWS = 32_768
MANIFEST = "_manifest.json"
OPERATION = "transactions.list"


def sync_history(client: "PayCombat", path: str | os.PathLike[str], *, start: date | datetime | str,
                 end: date | datetime | str | None = None, page_size: int = 1000, progress: bool = True,
                 **filters: Any) -> dict[str, Any]:
    """Bring the monthly Parquet dataset at ``path`` up to date for [``start``, ``end``); returns the manifest."""
    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
    for stale in root.glob("month=*/.*.tmp*"):
        stale.unlink()
    now = datetime.now(timezone.utc)
    lower, upper = _moment(start), _moment(end) if end is not None else now
    manifest = _read_manifest(root, filters)
    months = _months(lower, upper)
    todo = [month for month in months if not _done(root, manifest["windows"].get(month[0]), month[0])]
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(todo), unit="months", desc="Syncing")
    try:
        for label, window_start, window_end in todo:
            rows = _sync_month(client, root, label, max(window_start, lower), min(window_end, upper),
                               page_size, filters)
            manifest["windows"][label] = {"rows": rows, "complete": window_end <= now and upper >= window_end,
                                          "start_time": int(window_start.timestamp()),
                                          "end_time": int(window_end.timestamp()),
                                          "synced_at": now.isoformat()}
            _write_json(root / MANIFEST, manifest)
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return manifest


def _sync_month(client: "PayCombat", root: Path, label: str, start: datetime, end: datetime, page_size: int,
                filters: dict[str, Any]) -> int:
    """Pull one month to a temporary file, then rename it over the month's partition; the row count."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from ._columns import Columns, raw_pages
    from .catalog import CATALOG

    model = CATALOG[OPERATION].response_model
    folder = root / f"month={label}"
    folder.mkdir(exist_ok=True)
    final = folder / "part-0.parquet"
    temp = folder / f".part-0.parquet.tmp{os.getpid()}"
    writer: pq.ParquetWriter | None = None
    columns = Columns(model, operation=OPERATION, money_scale=MONEY_SCALE, extras=False)
    total = 0
    low = pa.scalar(start, pa.timestamp("us", tz="UTC"))
    high = pa.scalar(end, pa.timestamp("us", tz="UTC"))

    def flush() -> None:
        nonlocal writer, columns, total
        if not columns.count:
            return
        table = columns.to_arrow()
        times = table["created_at"]
        if times.null_count or not pc.all(pc.and_(pc.greater_equal(times, low), pc.less(times, high))).as_py():
            raise ValueError(f"the server returned rows outside {label} for start_time/end_time: "
                             "it may not support these filters, so no month can be synced safely")
        if writer is None:
            writer = pq.ParquetWriter(temp, table.schema)
        writer.write_table(table)
        total += table.num_rows
        columns = Columns(model, operation=OPERATION, money_scale=MONEY_SCALE, extras=False)

    try:
        for page in raw_pages(client, OPERATION, limit=page_size, start_time=int(start.timestamp()),
                              end_time=int(end.timestamp()), **filters):
            columns.add(page.items, page.context)
            if columns.count >= ROW_GROUP_ROWS:
                flush()
        flush()
        if writer is not None:
            writer.close()
            writer = None
            os.replace(temp, final)
        else:
            final.unlink(missing_ok=True)
            folder.rmdir()
    finally:
        if writer is not None:
            writer.close()
        temp.unlink(missing_ok=True)
    return total


def query(path: str | os.PathLike[str], sql: str, *, backend: str = "pandas") -> Any:
    """Run DuckDB ``sql`` over the dataset at ``path`` (a view named ``transactions``); a DataFrame with
    exact Decimals (via Arrow, never float), or a ``pyarrow.Table`` with ``backend="arrow"``."""
    import duckdb

    root = Path(path)
    connection = duckdb.connect()
    try:
        connection.execute("SET TimeZone = 'UTC'")
        if any(root.glob("month=*/*.parquet")):
            pattern = str(root / "month=*" / "*.parquet").replace("'", "''")
            connection.execute(f"CREATE VIEW transactions AS SELECT * FROM read_parquet('{pattern}', "
                               "hive_partitioning = true)")
        else:
            connection.register("transactions", _empty_table())
        table = connection.sql(sql).to_arrow_table()
    finally:
        connection.close()
    if backend == "arrow":
        return table
    import pandas as pd
    import pyarrow as pa

    return table.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)


def _empty_table() -> Any:
    from ._columns import Columns
    from .catalog import CATALOG

    table = Columns(CATALOG[OPERATION].response_model, operation=OPERATION, money_scale=MONEY_SCALE).to_arrow()
    import pyarrow as pa

    return table.append_column("month", pa.array([], pa.string()))


def _done(root: Path, window: dict[str, Any] | None, label: str) -> bool:
    """A month the manifest calls complete, whose file is there (or that had no rows)."""
    if not window or not window.get("complete"):
        return False
    return not window["rows"] or (root / f"month={label}" / "part-0.parquet").exists()


def _months(start: datetime, end: datetime) -> list[tuple[str, datetime, datetime]]:
    months = []
    cursor = datetime(start.year, start.month, 1, tzinfo=timezone.utc)
    while cursor < end:
        following = datetime(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1, tzinfo=timezone.utc)
        months.append((f"{cursor.year:04d}-{cursor.month:02d}", cursor, following))
        cursor = following
    return months


def _moment(value: date | datetime | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _read_manifest(root: Path, filters: dict[str, Any]) -> dict[str, Any]:
    wanted = {key: str(value) for key, value in sorted(filters.items())}
    try:
        manifest: dict[str, Any] = json.loads((root / MANIFEST).read_text())
    except FileNotFoundError:
        return {"version": 1, "operation": OPERATION, "filters": wanted, "windows": {}}
    if manifest.get("filters") != wanted:
        raise ValueError(f"{root} holds a history synced with filters {manifest.get('filters')}, not {wanted}; "
                         "use another folder")
    return manifest


def _write_json(target: Path, data: dict[str, Any]) -> None:
    temp = target.with_name(f".{target.name}.tmp{os.getpid()}")
    temp.write_text(json.dumps(data, indent=1, sort_keys=True))
    os.replace(temp, target)
