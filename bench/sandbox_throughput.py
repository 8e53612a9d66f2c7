"""Signed writes per second into a file-backed sandbox, against a bare Werkzeug hello, at 1/4/16 threads.

    .venv/bin/python bench/sandbox_throughput.py [--seconds 8] [--threads 1,4,16] [--demo-runs 1]

Both servers run in their own OS process (``python -m paycombat_tools.sandbox --db <file>`` and a bare
``werkzeug.serving.make_server(threaded=True)`` app); this process runs N client threads, each with its
own ``requests.Session``, sending the same signed ``customers.create`` POST (body and signature
precomputed) for ``--seconds`` in all, in four slices alternating with the hello's. Ratio = sandbox writes/s / bare hello req/s at the same thread count
(target >= 0.6). Every sandbox write is a committed SQLite transaction on the file. Then
``Sandbox(demo=True)`` is built and timed. A report, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from bench import _servers  # noqa: E402
from paycombat_tools.catalog import CATALOG  # noqa: E402
from paycombat_tools.signing import canonical_json, sign  # noqa: E402

#: The documented Create Customer body: description, type and the block the type names.
BODY: dict[str, Any] = {
    "description": "Benchmark customer", "type": "individual",
    "individual": {"first_name": "Ada", "last_name": "Tan", "address_country": "AU", "email": "ada@example.com"},
}
PATH = CATALOG["customers.create"].path


def load(url: str, headers: dict[str, str], raw: bytes, threads: int, seconds: float) -> tuple[float, list[float]]:
    """(timed seconds, latencies) of ``threads`` clients POSTing ``raw`` for ``seconds`` (after a warm-up)."""
    latencies: list[list[float]] = [[] for _ in range(threads)]
    ready, start, stop = threading.Barrier(threads + 1), threading.Event(), threading.Event()

    def client(index: int) -> None:
        with requests.Session() as session:
            def send() -> None:
                response = session.post(url, data=raw, headers=headers, timeout=60)
                assert response.status_code == 200, response.text[:300]
            for _ in range(20):
                send()
            ready.wait()
            start.wait()
            while not stop.is_set():
                began = time.perf_counter()
                send()
                latencies[index].append(time.perf_counter() - began)

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    ready.wait()  # every client warmed up (connection open, code paths hot)
    start.set()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for worker in workers:
        worker.join()
    return time.perf_counter() - began, [x for per in latencies for x in per]


def alternating(targets: list[tuple[str, dict[str, str]]], raw: bytes, threads: int, seconds: float,
                slices: int = 4) -> list[tuple[float, float, float]]:
    """(requests/s, p50 ms, p99 ms) per target, loaded in turn for ``seconds / slices`` each, ``slices`` times:
    on a shared, noisy machine every target sees the same stretches of load."""
    spent = [0.0] * len(targets)
    seen: list[list[float]] = [[] for _ in targets]
    for _ in range(slices):
        for index, (url, headers) in enumerate(targets):
            elapsed, latencies = load(url, headers, raw, threads, seconds / slices)
            spent[index] += elapsed
            seen[index] += latencies
    results = []
    for elapsed, latencies in zip(spent, seen):
        latencies.sort()
        results.append((len(latencies) / elapsed, statistics.median(latencies) * 1e3,
                        latencies[int(len(latencies) * 0.99)] * 1e3))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=8.0, help="timed seconds per server and thread count (default 8)")
    parser.add_argument("--threads", default="1,4,16", help="client thread counts (default 1,4,16)")
    parser.add_argument("--demo-runs", type=int, default=1, help="how many demo builds to time (default 1)")
    args = parser.parse_args()
    counts = [int(n) for n in args.threads.split(",")]
    db = str(Path(tempfile.mkdtemp(prefix="sandbox-throughput-")) / "sandbox.db")
    raw = canonical_json(BODY)

    print(f"Python {sys.version.split()[0]}; signed customers.create POSTs for {args.seconds:g} s per loop; "
          f"sandbox on file {db}\n")
    results: dict[int, tuple[tuple[float, float, float], tuple[float, float, float]]] = {}
    with _servers.hello() as hello, _servers.sandbox(db, seed=1) as server:
        headers = {"X-token": server.settings["PAYCOMBAT_TOKEN"], "Content-Type": "application/json",
                   "signature": sign(raw, server.settings["PAYCOMBAT_SIGNATURE_KEY"])}
        for threads in counts:
            bare, sandbox = alternating([(hello.url + PATH, headers), (server.url + PATH, headers)], raw, threads,
                                        args.seconds)
            results[threads] = (bare, sandbox)
    print(f"  {'threads':>7} {'hello req/s':>12} {'p50 ms':>7} {'sandbox writes/s':>17} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'ratio':>6}")
    for threads, (bare, sandbox) in results.items():
        print(f"  {threads:7d} {bare[0]:12.0f} {bare[1]:7.2f} {sandbox[0]:17.0f} {sandbox[1]:7.2f} {sandbox[2]:7.2f} "
              f"{sandbox[0] / bare[0]:6.2f}")
    print("\n  target: ratio >= 0.6 at 1 and 16 threads\n")

    from paycombat_tools.sandbox import Sandbox

    for run in range(args.demo_runs):
        started = time.perf_counter()
        with Sandbox(seed=3, demo=True) as demo:
            elapsed = time.perf_counter() - started
            with demo.store.transaction():
                rows = demo.store.db.execute("SELECT COUNT(*) FROM ledger").fetchone()[0]
                records = dict(demo.store.db.execute("SELECT kind, COUNT(*) FROM records GROUP BY kind").fetchall())
        print(f"  Sandbox(demo=True) build #{run + 1}: {elapsed:.2f} s, {rows} ledger rows, "
              + ", ".join(f"{count} {kind}s" for kind, count in sorted(records.items())))


if __name__ == "__main__":
    main()
