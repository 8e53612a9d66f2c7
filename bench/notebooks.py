"""The tutorials under nbmake, and pulling a large ledger into pandas, page size by page size.

    .venv/bin/python bench/notebooks.py [--rows 100000] [--page-sizes 100,500,1000] [--db FILE]
                                        [--skip-nbmake] [--skip-pull]

1. **Tutorial suite**: ``python -m pytest --nbmake notebooks/ -q`` in a subprocess, timed as a
   whole, with pytest's per-notebook durations.
2. **Ledger pull**: a sandbox database is filled with about ``--rows`` ledger entries by the demo
   seed (``build_demo`` with more days, customers and payments per day; the build is timed, about
   40 s for 100k rows here); ``--db ledger.db`` builds them once and keeps them. It is
   then served by a *separate* sandbox process, so this process measures only the client side:
   for each page size, ``analysis.pull_transactions`` is timed (best of ``--repeat``), and its peak
   Python memory is measured with ``tracemalloc`` in a separate run (tracing slows things down), next
   to the peak of merely streaming the same pages (``for t in client.transactions.list(limit=n)``),
   which is what "memory bounded by the page size while streaming" is about. Finally the first
   quarter, half and all of the ledger are pulled at the largest page size to show the cost per row
   stays flat (the sandbox's own per-request cost grows with the ledger: it counts and skips rows).

``--db FILE`` keeps the built database, and reuses it when it already has enough rows.
This is a report, not a test: it asserts nothing. Credentials of the sandbox process are read from
its output and never printed.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import math
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from paycombat_tools import PayCombat  # noqa: E402

#: Ledger rows the default demo seed writes per day for each payin per day (payouts scale along).
ROWS_PER_PAYIN_DAY = 4.2
DAYS = 180


# -- 1. the tutorial suite ------------------------------------------------------------------------


def bench_nbmake() -> None:
    command = [sys.executable, "-m", "pytest", "--nbmake", "notebooks/", "-q", "-p", "no:cacheprovider",
               "--durations=0", "--durations-min=0"]
    print(f"$ {' '.join(['python', *command[1:]])}")
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    durations = [line.split() for line in result.stdout.splitlines()
                 if re.match(r"^\d+\.\d+s (call|setup|teardown) ", line) and ".ipynb" in line]
    rows = [(words[2].split("::")[0], float(words[0].rstrip("s"))) for words in durations if words[1] == "call"]
    for name, seconds in sorted(rows):
        print(f"  {name:<45} {seconds:6.1f} s")
    summary = next((line for line in reversed(result.stdout.splitlines()) if line.strip()), "")
    print(f"  whole suite (wall, incl. pytest start-up): {elapsed:.1f} s  [{summary.strip('= ')}]")
    if result.returncode != 0:
        print(result.stdout[-3000:], result.stderr[-2000:], sep="\n")


# -- 2. building a large ledger --------------------------------------------------------------------


def build_database(path: Path, rows: int, seed: int) -> tuple[int, float | None]:
    """Fill ``path`` with about ``rows`` ledger entries (or reuse it); returns (rows, build seconds)."""
    from paycombat_tools.sandbox import Sandbox
    from paycombat_tools.sandbox._demo import build_demo

    if path.exists():
        with Sandbox(str(path), seed=seed) as existing_sandbox:
            existing = existing_sandbox.ledger.count()
        if existing >= rows * 0.9:
            print(f"reusing {path} with {existing:,} ledger rows")
            return existing, None
        path.unlink()
    # Built in memory (a file database commits every payment to disk: ~5x slower), then copied.
    sandbox = Sandbox(seed=seed)
    try:
        payins = max(1, math.ceil(rows / (DAYS * ROWS_PER_PAYIN_DAY)))
        payouts = max(1, round(payins * 10 / 24))
        customers = max(36, payins * 2)
        print(f"building ~{rows:,} ledger rows: {DAYS} days x {payins} payins + {payouts} payouts a day, "
              f"{customers} customers ...", flush=True)
        started = time.perf_counter()
        last = [started]

        def progress(day: int, days: int) -> None:
            if time.perf_counter() - last[0] > 15:
                last[0] = time.perf_counter()
                print(f"  day {day}/{days}: {sandbox.ledger.count():,} rows, {last[0] - started:.0f} s", flush=True)

        with _skip_unaffordable_payouts() as skipped:
            counts = build_demo(sandbox, seed=seed, days=DAYS, customers=customers, payins_per_day=payins,
                                payouts_per_day=payouts, progress=progress)
        elapsed = time.perf_counter() - started
        total = sandbox.ledger.count()
        target = sqlite3.connect(path)
        try:
            sandbox.store.db.backup(target)
        finally:
            target.close()
        print(f"built {total:,} ledger rows in {elapsed:.1f} s ({total / elapsed:,.0f} rows/s); "
              f"{counts['payins']:,} payins, {counts['payouts']:,} payouts, {counts['refunds']:,} refunds "
              f"({skipped[0]} payouts skipped: amount + fee above the wallet's balance)")
        return total, elapsed
    finally:
        sandbox.close()


@contextmanager
def _skip_unaffordable_payouts() -> Iterator[list[int]]:
    """Work around the demo seed picking a payout whose amount + fee exceeds the wallet's balance.

    ``_demo._payout`` checks only the amount against the available balance, so on long builds a
    small balance plus a flat fee (THB 25, PHP 50) raises "Insufficient balance" and aborts the
    build. Here such a payout is skipped and counted instead.
    """
    from paycombat_tools.sandbox import _demo
    from paycombat_tools.sandbox._errors import ApiError

    original, skipped = _demo._payout, [0]

    def payout_or_skip(*args: Any, **kwargs: Any) -> None:
        try:
            original(*args, **kwargs)
        except ApiError as error:
            if "Insufficient balance" not in error.message:
                raise
            skipped[0] += 1

    _demo._payout = payout_or_skip  # type: ignore[assignment]
    try:
        yield skipped
    finally:
        _demo._payout = original  # type: ignore[assignment]


@contextmanager
def sandbox_process(db: Path) -> Iterator[PayCombat]:
    """Serve ``db`` from a separate ``python -m paycombat_tools.sandbox`` and yield a client for it."""
    process = subprocess.Popen([sys.executable, "-m", "paycombat_tools.sandbox", "--db", str(db), "--port", "0"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        settings: dict[str, str] = {}
        assert process.stdout is not None
        for line in process.stdout:
            key, _, value = line.strip().partition("=")
            if key.startswith("PAYCOMBAT_"):
                settings[key] = value
            if len(settings) == 3:
                break
        if len(settings) != 3:
            raise RuntimeError("the sandbox process did not start")
        client = PayCombat(settings["PAYCOMBAT_TOKEN"], settings["PAYCOMBAT_SIGNATURE_KEY"],
                           settings["PAYCOMBAT_BASE_URL"], timeout=120)
        try:
            yield client
        finally:
            client.close()
    finally:
        process.terminate()
        process.wait(timeout=10)


# -- 3. pulling it ------------------------------------------------------------------------------------


def timed(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = math.inf, None
    for _ in range(repeat):
        result = None
        gc.collect()
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def traced_peak(function: Callable[[], Any]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        result = function()
        del result
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def mib(size: float) -> str:
    return f"{size / 2**20:8.1f}"


def bench_pull(client: PayCombat, page_sizes: list[int], repeat: int) -> None:
    from paycombat_tools import analysis

    def pull(size: int, **filters: Any) -> Any:
        return lambda: analysis.pull_transactions(client, page_size=size, progress=False, **filters)

    def stream(size: int) -> Callable[[], int]:
        def run() -> int:
            count = 0
            for _ in client.transactions.list(limit=size):
                count += 1
            return count
        return run

    print(f"\n{'page size':>9} {'requests':>8} {'rows':>8} {'pull s':>7} {'rows/s':>8} "
          f"{'frame MiB':>9} {'pull peak MiB':>13} {'stream peak MiB':>15}")
    rows = 0
    for size in page_sizes:
        seconds, frame = timed(pull(size), repeat)
        rows = len(frame)
        frame_bytes = int(frame.memory_usage(deep=True).sum())
        del frame
        pull_peak = traced_peak(pull(size))
        stream_peak = traced_peak(stream(size))
        print(f"{size:>9} {math.ceil(rows / size):>8} {rows:>8,} {seconds:>7.1f} {rows / seconds:>8,.0f} "
              f"{mib(frame_bytes):>9} {mib(pull_peak):>13} {mib(stream_peak):>15}")

    size = max(page_sizes)
    print(f"\nscaling at page size {size}: the first 25%, 50% and 100% of the ledger "
          "(to_dataframe over the pages, stopped after n rows)")
    print(f"{'share':>6} {'rows':>8} {'pull s':>7} {'µs/row':>7}")
    for share in (0.25, 0.5, 1.0):
        count = max(1, int(rows * share))

        def first_rows(count: int = count) -> Any:
            return analysis.to_dataframe(itertools.islice(client.transactions.list(limit=size), count))

        seconds, frame = timed(first_rows, repeat)
        print(f"{share:>6.0%} {len(frame):>8,} {seconds:>7.2f} {seconds / max(len(frame), 1) * 1e6:>7.1f}")
        del frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="ledger rows to build (default 100000)")
    parser.add_argument("--page-sizes", default="100,500,1000", help="comma-separated page sizes")
    parser.add_argument("--repeat", type=int, default=1, help="timed pulls per page size (best is shown)")
    parser.add_argument("--db", type=Path, default=None, help="keep/reuse the built database here")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--skip-nbmake", action="store_true")
    parser.add_argument("--skip-pull", action="store_true")
    args = parser.parse_args()

    print(f"python {sys.version.split()[0]} on {os.uname().sysname} {os.uname().machine}, {os.cpu_count()} CPUs\n")
    if not args.skip_nbmake:
        print("== tutorials under nbmake ==")
        bench_nbmake()
    if args.skip_pull:
        return
    print("\n== ledger -> DataFrame ==")
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db or Path(scratch) / "ledger.db"
        build_database(db, args.rows, args.seed)
        with sandbox_process(db) as client:
            bench_pull(client, [int(size) for size in args.page_sizes.split(",")], args.repeat)


if __name__ == "__main__":
    main()
