"""200 concurrent retrieves: ``AsyncPayCombat`` on one event loop vs ``PayCombat`` in a thread pool.

    .venv/bin/python bench/async_vs_threads.py [--calls 200] [--rounds 5] [--threads 8 32 200]

The standalone sandbox runs in its own process (``python -m paycombat_tools.sandbox --port 0``), so
the clients under test do not share a GIL with the server. Per round: ``asyncio.gather`` of N
``customers.retrieve`` on one async client, then the same N calls submitted to a
``ThreadPoolExecutor`` sharing one blocking client, for each thread count (rounds interleave, so
load from elsewhere on the machine hits every contender alike). Every answer is checked. Reports
the median wall time per round and the ratio (threads / async; above 1 means async is faster).
A report, not a test: it asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import _servers  # noqa: E402
from paycombat_tools import AsyncPayCombat, PayCombat  # noqa: E402


async def async_round(client: AsyncPayCombat, customer_id: str, calls: int) -> float:
    started = time.perf_counter()
    found = await asyncio.gather(*(client.customers.retrieve(customer_id) for _ in range(calls)))
    elapsed = time.perf_counter() - started
    assert all(customer.customer_id == customer_id for customer in found)
    return elapsed


def threaded_round(client: PayCombat, pool: ThreadPoolExecutor, customer_id: str, calls: int) -> float:
    started = time.perf_counter()
    found = list(pool.map(lambda _: client.customers.retrieve(customer_id), range(calls)))
    elapsed = time.perf_counter() - started
    assert all(customer.customer_id == customer_id for customer in found)
    return elapsed


async def interleaved(credentials: tuple[str, str, str], customer_id: str, calls: int, rounds: int,
                      pools: list[int]) -> dict[str | int, list[float]]:
    """Each round runs the async client, then every pool size: a busy machine slows all of them alike."""
    times: dict[str | int, list[float]] = {"async": [], **{threads: [] for threads in pools}}
    blocking = {threads: (PayCombat(*credentials), ThreadPoolExecutor(max_workers=threads)) for threads in pools}
    try:
        async with AsyncPayCombat(*credentials) as client:
            for number in range(rounds + 1):  # round 0 warms connections and code paths up
                elapsed = await async_round(client, customer_id, calls)
                if number:
                    times["async"].append(elapsed)
                for threads, (paycombat, pool) in blocking.items():  # blocks the idle loop meanwhile
                    elapsed = threaded_round(paycombat, pool, customer_id, calls)
                    if number:
                        times[threads].append(elapsed)
    finally:
        for paycombat, pool in blocking.values():
            pool.shutdown()
            paycombat.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, nargs="+", default=[8, 32, 200])
    args = parser.parse_args()

    server = _servers.sandbox(seed=12)
    settings = server.settings
    try:
        credentials = (settings["PAYCOMBAT_TOKEN"], settings["PAYCOMBAT_SIGNATURE_KEY"],
                       settings["PAYCOMBAT_BASE_URL"])
        with PayCombat(*credentials) as blocking:
            customer_id = blocking.customers.create(type="individual", description="bench", individual={
                "first_name": "Ada", "last_name": "Tan", "address_country": "AU"}).customer_id
        print(f"{args.calls} concurrent customers.retrieve against the standalone sandbox "
              f"({credentials[2]}); median of {args.rounds} interleaved rounds after one warm-up round")
        times = asyncio.run(interleaved(credentials, customer_id, args.calls, args.rounds, args.threads))
        async_median = statistics.median(times["async"])
        print(f"  AsyncPayCombat, one event loop (httpx)          {async_median * 1e3:8.1f} ms "
              f"= {args.calls / async_median:6.0f} calls/s")
        for threads in args.threads:
            median = statistics.median(times[threads])
            print(f"  PayCombat in a pool of {threads:3d} threads               {median * 1e3:8.1f} ms "
                  f"= {args.calls / median:6.0f} calls/s   ratio threads/async = {median / async_median:4.2f}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
