"""The sandbox's cost per listed row, early vs late in a 100k-row ledger, against a bare Werkzeug hello.

    .venv/bin/python bench/sandbox_paging.py [--rows 100000] [--limit 100] [--pages 30]

Builds a file-backed sandbox with ``--rows`` ledger rows (spread over 3 wallets, 7 currencies and 3
types), then serves it with ``python -m paycombat_tools.sandbox`` in its own process. From this
process, one ``requests.Session`` (raw GETs, bodies not parsed) walks ``GET /api/v1/transaction``
page by page, as a bulk pull does; the first and the last ``--pages`` pages are timed. Then pages
near the end are asked for directly (no walk before them, a filter never used before: a cold seek),
and one late page of ``wallets.list`` / ``customers.list``-style record lists.

"sandbox µs/row" = (wall per page - wall per bare-hello GET) / rows per page: what the sandbox adds
over an HTTP round trip through Werkzeug from the same client. A report, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from bench import _servers  # noqa: E402

TYPES = ("TOPUP", "FEE", "PAYIN")
CURRENCIES = ("AUD", "SGD", "NZD", "KRW", "THB", "PHP", "EUR")


def build(db: str, rows: int) -> None:
    """A sandbox database whose ledger holds ``rows`` postings (written in-process, then closed)."""
    from paycombat_tools.sandbox import Sandbox

    with Sandbox(db, seed=1) as sandbox:
        wallets = [sandbox.org_wallet_id(kind) for kind in ("payin", "payout", "fees")]
        existing = sandbox.store.db.execute("SELECT COUNT(*) FROM ledger").fetchone()[0]
        with sandbox.store.transaction():
            for index in range(existing, rows):
                amount = Decimal(1 + index % 97)
                sandbox.ledger.post(wallets[index % 3], CURRENCIES[index % 7], amount, amount,
                                    kind=TYPES[index % 3], reference_id=f"ref_{index // 4}",
                                    description=f"Benchmark posting {index}")


def timed_get(session: requests.Session, url: str, params: dict[str, object], token: str) -> float:
    started = time.perf_counter()
    response = session.get(url, params=params, headers={"X-token": token}, timeout=60)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.text[:300]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--pages", type=int, default=30, help="pages timed at each end of the walk")
    parser.add_argument("--db", default=None, help="reuse this database file (built if it has fewer rows)")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="sandbox-paging-")
    db = args.db or str(Path(folder) / "ledger.db")
    started = time.perf_counter()
    build(db, args.rows)
    print(f"Python {sys.version.split()[0]}; ledger of {args.rows} rows in {db} "
          f"(built in {time.perf_counter() - started:.1f} s); page size {args.limit}\n")

    with _servers.hello() as hello, requests.Session() as session:
        for _ in range(50):
            timed_get(session, hello.url + "/api/v1/transaction", {"page": 1, "limit": args.limit}, "x")
        floor = statistics.median(timed_get(session, hello.url + "/api/v1/transaction", {"page": 1}, "x")
                                  for _ in range(300))
    print(f"  bare Werkzeug hello GET: {floor * 1e3:.2f} ms per request (the floor)")

    last = (args.rows + args.limit - 1) // args.limit
    with _servers.sandbox(db) as server, requests.Session() as session:
        token = server.settings["PAYCOMBAT_TOKEN"]
        url = server.url + "/api/v1/transaction"
        for _ in range(20):
            timed_get(session, url, {"page": 1, "limit": args.limit}, token)
        walk: list[float] = []
        walk_started = time.perf_counter()
        for page in range(1, last + 1):
            walk.append(timed_get(session, url, {"page": page, "limit": args.limit}, token))
        walk_total = time.perf_counter() - walk_started
        early, late = statistics.median(walk[:args.pages]), statistics.median(walk[-args.pages:])

        cold = [timed_get(session, url, {"page": last - 5 - i, "limit": args.limit // 7 + i,
                                         "currency": CURRENCIES[i % 7]}, token) for i in range(args.pages)]
        cold_rows = [args.limit // 7 + i for i in range(args.pages)]
        cold_per_row = statistics.median((t - floor) / n for t, n in zip(cold, cold_rows))
        filtered = [timed_get(session, url, {"page": page, "limit": args.limit, "type": "FEE"}, token)
                    for page in range(1, last // 3 + 1)]

    def per_row(seconds: float) -> float:
        return (seconds - floor) / args.limit * 1e6

    print(f"  walk of {last} pages: {walk_total:.1f} s ({args.rows / walk_total:,.0f} rows/s end to end)")
    print(f"  {'':34} {'ms/page':>8} {'wall µs/row':>12} {'sandbox µs/row':>15}")
    for label, seconds in ((f"early pages 1-{args.pages}", early), (f"late pages {last - args.pages + 1}-{last}", late),
                           ("type=FEE, early", statistics.median(filtered[:args.pages])),
                           ("type=FEE, late", statistics.median(filtered[-args.pages:]))):
        print(f"  {label:<34} {seconds * 1e3:8.2f} {seconds / args.limit * 1e6:12.1f} {per_row(seconds):15.1f}")
    print(f"  {'cold seek near the end (new filter)':<34} {statistics.median(cold) * 1e3:8.2f} {'':>12} "
          f"{cold_per_row * 1e6:15.1f}")
    print(f"\n  ratio late / early (sandbox µs/row) = {per_row(late) / per_row(early):.2f}  (flat: ~1.0); "
          f"target <= 15 µs/row")


if __name__ == "__main__":
    main()
