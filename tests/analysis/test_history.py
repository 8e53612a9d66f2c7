"""sync_history + query: monthly Parquet partitions that resume after an interruption, read by DuckDB."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from paycombat_tools import PayCombat
from paycombat_tools._transport import HttpRequest, HttpResponse, RequestsTransport
from paycombat_tools.analysis import daily_volume, query, sync_history
from paycombat_tools.sandbox import Sandbox

DAILY_VOLUME_SQL = """
SELECT date_trunc('day', created_at) AS date, currency, type, SUM(amount) AS amount, COUNT(*) AS count
FROM transactions
WHERE type IN ('PAYIN', 'PAYOUT') AND (status IS NULL OR status IN ('COMPLETED', 'SUCCESS'))
GROUP BY ALL ORDER BY date, currency, type
"""


class CountingTransport(RequestsTransport):
    """The real HTTP transport, counting requests; ``fail_at`` makes that request raise (the run is cut)."""

    def __init__(self, fail_at: int | None = None) -> None:
        super().__init__()
        self.sent = 0
        self.fail_at = fail_at

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        self.sent += 1
        if self.sent == self.fail_at:
            raise KeyboardInterrupt("cut mid-sync")
        return super().send(request, timeout)


def _client(demo: Sandbox, transport: CountingTransport) -> PayCombat:
    return PayCombat(demo.token, demo.signature_key, demo.url, transport=transport)


def test_an_interrupted_sync_resumes_with_no_duplicate_and_no_missing_row(
        demo: Sandbox, ledger: pd.DataFrame, tmp_path: Path) -> None:
    start = ledger["created_at"].min().to_pydatetime()
    cut = CountingTransport(fail_at=9)  # a month is ~3,000 rows: 7 pages of 500, so the cut is in the second month
    with pytest.raises(KeyboardInterrupt):
        sync_history(_client(demo, cut), tmp_path, start=start, page_size=500, progress=False)
    manifest = json.loads((tmp_path / "_manifest.json").read_text())
    assert 0 < len(manifest["windows"]) < 4  # some months were done before the cut
    assert not list(tmp_path.glob("month=*/.*tmp*"))  # the half-written month left no file behind

    resumed = CountingTransport()
    sync_history(_client(demo, resumed), tmp_path, start=start, page_size=500, progress=False)
    counts = query(tmp_path, "SELECT count(*) AS n, count(DISTINCT transaction_id) AS ids FROM transactions")
    assert counts["n"][0] == counts["ids"][0] == len(ledger)
    ids = query(tmp_path, "SELECT transaction_id FROM transactions")["transaction_id"]
    assert set(ids) == set(ledger["transaction_id"])

    again = CountingTransport()
    manifest = sync_history(_client(demo, again), tmp_path, start=start, page_size=500, progress=False)
    current = [label for label, window in manifest["windows"].items() if not window["complete"]]
    assert len(current) == 1  # only the month that is not over yet is pulled again
    assert again.sent == max(1, -(-manifest["windows"][current[0]]["rows"] // 500))
    assert query(tmp_path, "SELECT count(*) AS n FROM transactions")["n"][0] == len(ledger)


def test_duckdb_daily_volume_equals_the_pandas_daily_volume(demo_client: PayCombat, ledger: pd.DataFrame,
                                                            tmp_path: Path) -> None:
    sync_history(demo_client, tmp_path, start=ledger["created_at"].min().to_pydatetime(), progress=False)
    from_sql = query(tmp_path, DAILY_VOLUME_SQL)
    from_pandas = daily_volume(ledger)
    assert len(from_sql) == len(from_pandas) > 50
    assert list(from_sql["amount"]) == list(from_pandas["amount"])  # exact Decimals both ways
    assert list(from_sql["count"]) == list(from_pandas["count"])
    assert (from_sql["date"].to_numpy() == from_pandas["date"].to_numpy()).all()
    assert list(from_sql["currency"]) == list(from_pandas["currency"])


def test_months_are_hive_partitions_with_exact_money(demo_client: PayCombat, ledger: pd.DataFrame,
                                                     tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    sync_history(demo_client, tmp_path, start=ledger["created_at"].min().to_pydatetime(), progress=False)
    parts = sorted(p.parent.name for p in tmp_path.glob("month=*/part-0.parquet"))
    assert parts and all(len(name) == len("month=2026-01") for name in parts)
    schema = pq.read_schema(next(tmp_path.glob("month=*/part-0.parquet")))
    assert str(schema.field("amount").type) == "decimal128(38, 4)"


def test_a_history_with_other_filters_is_refused(demo_client: PayCombat, tmp_path: Path) -> None:
    sync_history(demo_client, tmp_path, start="2026-01-01", end="2026-02-01", progress=False)
    with pytest.raises(ValueError, match="filters"):
        sync_history(demo_client, tmp_path, start="2026-01-01", end="2026-02-01", progress=False, type="PAYIN")


def test_query_on_an_empty_folder_sees_an_empty_transactions_view(tmp_path: Path) -> None:
    assert query(tmp_path, "SELECT count(*) AS n FROM transactions")["n"][0] == 0
