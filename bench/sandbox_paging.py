"""The sandbox's cost per listed row, early vs late in a 100k-row ledger, against a bare Werkzeug hello.

    .venv/bin/python bench/sandbox_paging.py [--rows 100000] [--limit 100] [--pages 30]

Builds a file-backed sandbox with ``--rows`` ledger rows (spread over 3 wallets, 7 currencies and 3
types), then serves it with ``python -m paycombat_tools.sandbox`` in its own process. From this
process, one ``requests.Session`` (raw GETs, bodies not parsed) walks ``GET /api/v1/transaction``
page by page, as a bulk pull does; the first and the last ``--pages`` pages are timed. Then pages
near the end are asked for directly (no walk before them, a filter never used before: a cold seek),
and one late page of ``wallets.list`` / ``customers.list``-style record lists.

"sandbox µs/row" = (wall per page - wall per bare-hello GET) / rows per page: what the sandbox adds
over an HTTP round trip through Werkzeug from the same client. Each sandbox GET is followed by one
hello GET (its own process and session), so both medians come from the same stretch of machine load. A report, not a test: it asserts nothing.
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

    last = (args.rows + args.limit - 1) // args.limit
    with _servers.hello() as hello, _servers.sandbox(db) as server, requests.Session() as bare, \
            requests.Session() as session:
        token = server.settings["PAYCOMBAT_TOKEN"]
        url, hello_url = server.url + "/api/v1/transaction", hello.url + "/api/v1/transaction"

        def pair(params: dict[str, object]) -> tuple[float, float]:
            """(sandbox GET, bare hello GET right after it): both see the same moment's machine load."""
            return timed_get(session, url, params, token), timed_get(bare, hello_url, params, "x")

        for _ in range(30):
            pair({"page": 1, "limit": args.limit})
        walk_started = time.perf_counter()
        walk = [pair({"page": page, "limit": args.limit}) for page in range(1, last + 1)]
        walk_total = time.perf_counter() - walk_started - sum(h for _, h in walk)
        filtered = [pair({"page": page, "limit": args.limit, "type": "FEE"}) for page in range(1, last // 3 + 1)]
        jumps = [(pair({"page": last - 5 - i, "limit": args.limit // 7 + i, "currency": CURRENCIES[i % 7]}),
                  args.limit // 7 + i) for i in range(args.pages)]

    def row(label: str, timings: list[tuple[float, float]], rows: int) -> float:
        wall, floor = statistics.median(t for t, _ in timings), statistics.median(h for _, h in timings)
        net = (wall - floor) / rows * 1e6
        print(f"  {label:<38} {wall * 1e3:8.2f} {floor * 1e3:9.2f} {wall / rows * 1e6:12.1f} {net:15.1f}")
        return net

    print(f"  walk of {last} pages: {walk_total:.1f} s of sandbox GETs ({args.rows / walk_total:,.0f} rows/s end to end)")
    print(f"  {'':38} {'ms/page':>8} {'hello ms':>9} {'wall µs/row':>12} {'sandbox µs/row':>15}")
    early = row(f"early pages 1-{args.pages}", walk[:args.pages], args.limit)
    late = row(f"late pages {last - args.pages + 1}-{last}", walk[-args.pages:], args.limit)
    row("type=FEE, early", filtered[:args.pages], args.limit)
    row("type=FEE, late", filtered[-args.pages:], args.limit)
    rows = round(statistics.median(n for _, n in jumps))
    row(f"jump near the end, currency=, ~{rows}/page", [t for t, _ in jumps], rows)
    print(f"\n  ratio late / early (sandbox µs/row) = {late / early:.2f}  (flat: ~1.0); target <= 15 µs/row")


if __name__ == "__main__":
    main()
