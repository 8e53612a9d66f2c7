"""Bulk ledger reads and the Parquet history, client and standalone sandbox in separate processes.

    PYTHONPATH=$PWD python bench/bulk_history.py [--rows 10000,100000] [--history-rows 1000000]

Ledger rows are written straight into the sandbox's SQLite file in its own format (one organisation
wallet, spread over 24 months), then ``python -m paycombat_tools.sandbox`` serves that file. Printed,
from one run: client CPU µs/row to a typed frame (before: models + ``to_dataframe``; after: the bulk
columns, pandas and Arrow) against the floor of ``orjson.loads`` of the same page bytes; pull wall at
page 100 and 1000; ``sync_history`` peak RSS growth (measured in its own subprocess); DuckDB daily volume.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import _servers  # noqa: E402

DAILY_VOLUME_SQL = ("SELECT date_trunc('day', created_at) AS date, currency, type, SUM(amount) AS amount, "
                    "COUNT(*) AS count FROM transactions WHERE type IN ('PAYIN', 'PAYOUT') GROUP BY ALL ORDER BY 1")


def build_database(path: Path, rows: int) -> None:
    """``rows`` ledger entries on the sandbox's payout wallet, inserted in its own row format."""
    from paycombat_tools.sandbox import Sandbox

    sandbox = Sandbox(str(path), seed=11)
    store, wallet = sandbox.store, sandbox.org_wallet_id("payout")
    end = datetime.now(timezone.utc) - timedelta(days=1)
    start = end - timedelta(days=730)
    step = (end - start) / max(rows, 1)
    kinds = ("PAYIN", "PAYOUT", "TOPUP", "FEE")

    def entries():  # type: ignore[no-untyped-def]
        running = 0
        for index in range(rows):
            delta = (index % 9_973 + 1) * (1 if index % 4 != 1 else -1)
            running += delta
            moment = start + step * index
            yield (f"w_txn_{index:032x}", wallet, "AUD", kinds[index % 4], f"ref_{index}", 0, delta, 0, running,
                   "bench entry", moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z", moment.timestamp())

    with store.transaction():
        store.db.executemany(
            "INSERT INTO ledger (transaction_id, wallet_id, currency, type, reference_id, delta_available, "
            "delta_actual, running_available, running_actual, description, created_at, created_ts) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", entries())
    sandbox.close()


def timed(action):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def orjson_floor(client, rows: int, page: int) -> float:  # type: ignore[no-untyped-def]
    """µs/row for ``orjson.loads`` of the very page bytes the pull reads."""
    import orjson

    from paycombat_tools._arguments import checked_call
    from paycombat_tools.catalog import CATALOG

    core, requester = client._requester.core, client._requester
    bodies = []
    for number in range(1, -(-rows // page) + 1):
        exchange = core.exchange(checked_call(CATALOG["transactions.list"], (), {"limit": page, "page": number}))
        bodies.append(requester._send(exchange).content)
    started = time.process_time()
    for body in bodies:
        orjson.loads(body)
    return (time.process_time() - started) / rows * 1e6


def pulls(db: Path, rows: int) -> dict[str, float]:
    from paycombat_tools.analysis import pull_transactions, to_dataframe

    build_database(db, rows)
    server = _servers.sandbox(str(db))
    try:
        client = server.client(timeout=600)
        out = {"floor": orjson_floor(client, rows, 1000)}
        _, wall, cpu = timed(lambda: to_dataframe(client.transactions.list(limit=1000)))
        out.update(before_cpu=cpu / rows * 1e6, before_wall=wall)
        _, wall, cpu = timed(lambda: pull_transactions(client, page_size=1000, progress=False))
        out.update(pandas_cpu=cpu / rows * 1e6, pandas_wall=wall)
        _, wall, cpu = timed(lambda: pull_transactions(client, page_size=1000, progress=False, backend="arrow"))
        out.update(arrow_cpu=cpu / rows * 1e6, arrow_wall=wall)
        if rows <= 100_000:
            _, wall, _ = timed(lambda: pull_transactions(client, page_size=100, progress=False))
            out.update(page100_wall=wall)
        return out
    finally:
        server.stop()


def current_rss_kib() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def history_child(url_token_key: str, folder: str) -> None:
    """In its own process: RSS growth of one ``sync_history`` run, and the DuckDB daily volume time."""
    from paycombat_tools import PayCombat
    from paycombat_tools.analysis import query, sync_history

    url, token, key = url_token_key.split(" ")
    client = PayCombat(token, key, url, timeout=600)
    client.transactions.list(limit=1)  # connections and imports warmed
    import pyarrow.parquet  # noqa: F401
    import duckdb  # noqa: F401

    baseline = current_rss_kib()  # what the process holds now (not its import-time high-water mark)
    _, wall, cpu = timed(lambda: sync_history(client, folder, start=datetime.now(timezone.utc) - timedelta(days=800),
                                              progress=False))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    count = int(query(folder, "SELECT count(*) AS n FROM transactions")["n"][0])
    query(folder, DAILY_VOLUME_SQL)  # warm
    _, duck, _ = timed(lambda: query(folder, DAILY_VOLUME_SQL))
    print(json.dumps({"rows": count, "rss_growth_mib": (peak - baseline) / 1024, "baseline_mib": baseline / 1024,
                      "sync_wall": wall,
                      "sync_cpu_us_row": cpu / max(count, 1) * 1e6, "duckdb_daily_volume_s": duck}))


def history(db: Path, rows: int) -> dict[str, float]:
    build_database(db, rows)
    server = _servers.sandbox(str(db))
    try:
        s = server.settings
        with tempfile.TemporaryDirectory() as folder:
            done = subprocess.run([sys.executable, __file__, "--child", " ".join(
                (s["PAYCOMBAT_BASE_URL"], s["PAYCOMBAT_TOKEN"], s["PAYCOMBAT_SIGNATURE_KEY"])), folder],
                cwd=REPO, capture_output=True, text=True, check=True)
            return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", default="10000,100000")
    parser.add_argument("--history-rows", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        history_child(*args.child)
        return
    with tempfile.TemporaryDirectory() as folder:
        for rows in [int(n) for n in args.rows.split(",") if n]:
            r = pulls(Path(folder) / f"pull{rows}.db", rows)
            print(f"{rows:>9,} rows  floor orjson {r['floor']:.2f} µs/row | client CPU µs/row: before "
                  f"{r['before_cpu']:.1f} ({r['before_cpu'] / r['floor']:.1f}x), after pandas {r['pandas_cpu']:.1f} "
                  f"({r['pandas_cpu'] / r['floor']:.1f}x), arrow {r['arrow_cpu']:.1f} ({r['arrow_cpu'] / r['floor']:.1f}x)"
                  f" | wall page 1000: before {r['before_wall']:.2f} s, after {r['pandas_wall']:.2f} s"
                  + (f", page 100 after {r['page100_wall']:.2f} s" if "page100_wall" in r else ""), flush=True)
        if args.history_rows:
            h = history(Path(folder) / "history.db", args.history_rows)
            print(f"sync_history {h['rows']:,} rows: peak RSS growth {h['rss_growth_mib']:.1f} MiB (over "
                  f"{h['baseline_mib']:.0f} MiB after imports), wall "
                  f"{h['sync_wall']:.1f} s, client CPU {h['sync_cpu_us_row']:.1f} µs/row; DuckDB daily volume "
                  f"{h['duckdb_daily_volume_s'] * 1000:.0f} ms", flush=True)


if __name__ == "__main__":
    main()
