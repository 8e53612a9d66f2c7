"""Signed POSTs per second through the sandbox, against a bare Werkzeug hello-world on the same machine.

    .venv/bin/python bench/sandbox_throughput.py [--n 2000] [--demo-runs 1]

Three loops of N sequential requests from one ``requests.Session`` on loopback:
  1. bare Werkzeug (``make_server(..., threaded=True)``) answering a tiny JSON envelope to the same
     signed POST -- the ceiling for "HTTP round trip through Werkzeug from this client loop";
  2. the sandbox's ``customers.create`` from a bare session with a precomputed body and signature;
  3. the same operation through ``PayCombat`` (validation, reference, signing and typed result per call).
Ratio = sandbox req/s / bare req/s (goal >= 0.5). Then ``Sandbox(demo=True)`` is built and timed.
A report, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402
from werkzeug.wrappers import Request, Response  # noqa: E402

from paycombat_tools.catalog import CATALOG  # noqa: E402
from paycombat_tools.sandbox import Sandbox  # noqa: E402
from paycombat_tools.signing import canonical_json, sign  # noqa: E402

#: The documented Create Customer body: description, type and the block the type names.
BODY: dict[str, Any] = {
    "description": "Benchmark customer", "type": "individual",
    "individual": {"first_name": "Ada", "last_name": "Tan", "address_country": "AU", "email": "ada@example.com"},
}
PATH = CATALOG["customers.create"].path


def hello_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    request = Request(environ)
    request.get_data()
    return Response(b'{"status":true,"message":"OK","data":{"id":"1"}}', 200,
                    content_type="application/json")(environ, start_response)


def timed(label: str, n: int, send: Callable[[], Any]) -> float:
    for _ in range(min(50, n)):  # warm-up: connections, caches, code paths
        send()
    started = time.perf_counter()
    for _ in range(n):
        send()
    elapsed = time.perf_counter() - started
    rate = n / elapsed
    print(f"  {label:<56} {n} req in {elapsed:6.2f} s = {rate:7.0f} req/s ({elapsed / n * 1e3:.2f} ms/req)")
    return rate


def bare_werkzeug(n: int, raw: bytes, headers: dict[str, str]) -> float:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, hello_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}{PATH}"
    try:
        with requests.Session() as session:
            def send() -> None:
                response = session.post(url, data=raw, headers=headers, timeout=10)
                assert response.status_code == 200
            return timed("bare Werkzeug hello-world (signed POST)", n, send)
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="requests per loop (default 2000)")
    parser.add_argument("--demo-runs", type=int, default=1, help="how many demo builds to time (default 1)")
    args = parser.parse_args()

    print(f"Python {sys.version.split()[0]}, {args.n} sequential requests per loop, one requests.Session\n")
    with Sandbox(seed=1) as sandbox:
        raw = canonical_json(BODY)
        headers = {"X-token": sandbox.token, "Content-Type": "application/json",
                   "signature": sign(raw, sandbox.signature_key)}
        bare = bare_werkzeug(args.n, raw, headers)

        with requests.Session() as session:
            url = sandbox.url + PATH

            def send_raw() -> None:
                response = session.post(url, data=raw, headers=headers, timeout=10)
                assert response.status_code == 200, response.text

            direct = timed("sandbox customers.create, bare session + precomputed sig", args.n, send_raw)

        with sandbox.client() as client:
            through_client = timed("sandbox customers.create through PayCombat client", args.n,
                                   lambda: client.customers.create(**BODY))
        with sandbox.store.transaction():
            customers = sandbox.store.db.execute("SELECT COUNT(*) FROM records WHERE kind = 'customer'").fetchone()[0]

    print(f"\n  ratio sandbox(bare session) / bare Werkzeug = {direct / bare:.2f}  (goal >= 0.5)")
    print(f"  ratio sandbox(client)       / bare Werkzeug = {through_client / bare:.2f}")
    print(f"  ({customers} customers in the sandbox afterwards)\n")

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
