"""How much the client costs over a bare ``requests.Session`` doing the same work, on loopback.

    .venv/bin/python bench/client_overhead.py [--n 2000] [--rounds 20] [--import-runs 7]

A threaded werkzeug server on 127.0.0.1 answers every request with a payout-like envelope.
We time N signed POSTs (``payouts.create``) and N GETs (``payouts.retrieve``) through the client,
and the same requests through a bare session (compact ``json.dumps`` + HMAC + post; get +
``.json()``). Runs are interleaved in rounds and medians taken, so drift hits both sides alike.
Then ``import paycombat_tools`` is timed against ``import requests, pydantic`` in fresh
interpreters. Goals: client/bare <= 1.15 per request kind; import ratio <= 1.3. This is a
report, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import logging
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from werkzeug.serving import WSGIRequestHandler, make_server  # noqa: E402

from paycombat_tools import PayCombat, RetryPolicy  # noqa: E402

TOKEN = "snd_bench_token_123456"
KEY = "bench-signature-key-abcdef"
POST_PATH = "/api/v1/payout/create-payout"
GET_PATH = "/api/v1/payout-method/retrieve-payout/po_1"

PAYOUT_RECORD = {
    "id": "9b1f3c5e-0000-4000-8000-000000000001",
    "payout_id_finmo": "payout_0123456789abcdef0123456789abcdef",
    "merchant_id": "3kqrchza3j",
    "reply_code_id_pg": "payout_0123456789abcdef0123456789abcdef",
    "status": "PENDING",
    "approval": "APPROVED",
    "wire_id": "123456",
    "order_id": "ord_bench_1",
    "due_date": "2025-01-03T00:00:00.000Z",
    "last_action": "CREATED",
    "process": "AUTO",
    "wire_amount": 10,
    "fee_taken": 0,
    "fee_expected": 1,
    "currency": "AUD",
    "payee_name": "Jane Citizen",
    "beneficiary": "Jane Citizen",
    "beneficiary_bank": "au_bank_acct",
    "beneficiary_account_number": "12345678",
    "beneficiary_account_iban": None,
    "wire_origin": "API",
    "conversion": None,
    "created_at": None,
    "updated_at": "2025-01-02T03:04:05.000Z",
    "approved_at": "2025-01-02T03:04:05.000Z",
    "denied_at": None,
    "pending_at": "2025-01-02T03:04:05.000Z",
}
RESPONSE = json.dumps({"status": True, "message": "Created", "data": PAYOUT_RECORD}).encode()

BENEFICIARY = {"individual": {"first_name": "Jane", "last_name": "Citizen"}, "account_number": "12345678",
               "bsb": "062000"}
CLIENT_FIELDS: dict[str, Any] = {
    "sender_amount": Decimal("10.00"), "sender_currency": "AUD",
    "beneficiary_amount": Decimal("10.00"), "beneficiary_currency": "AUD",
    "payout_method_name": "au_bank_acct", "purpose_code": "SELF",
    "payout_beneficiary_param": BENEFICIARY, "order_id": "ord_bench_1",
}
# The very body the client sends (its canonical JSON writes Decimal("10.00") as 10).
BARE_BODY: dict[str, Any] = {**CLIENT_FIELDS, "sender_amount": 10, "beneficiary_amount": 10}


LAST_BODY: list[bytes] = [b""]


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length:
        LAST_BODY[0] = environ["wsgi.input"].read(length)
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(RESPONSE)))])
    return [RESPONSE]


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:  # one stderr line per request skews timing
        pass


def start_server() -> tuple[Any, str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def timed(fn: Callable[[], Any], n: int) -> float:
    """Seconds per call over ``n`` calls."""
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n


def bench_requests(n: int, rounds: int) -> None:
    server, url = start_server()
    client = PayCombat(TOKEN, KEY, url, retry=RetryPolicy(max_retries=0))
    session = requests.Session()
    key = KEY.encode()

    def client_post() -> Any:
        return client.payouts.create(**CLIENT_FIELDS)

    def bare_post() -> Any:
        body = json.dumps(BARE_BODY, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        headers = {"X-token": TOKEN, "Content-Type": "application/json", "Accept": "application/json",
                   "signature": hmac.new(key, body, hashlib.sha256).hexdigest()}
        return session.post(url + POST_PATH, data=body, headers=headers, timeout=30).json()

    def client_get() -> Any:
        return client.payouts.retrieve("po_1")

    def bare_get() -> Any:
        return session.get(url + GET_PATH, headers={"X-token": TOKEN, "Accept": "application/json"},
                           timeout=30).json()

    # same bytes on the wire, or the comparison is not fair
    client_post()
    client_bytes = LAST_BODY[0]
    bare_post()
    assert client_bytes == LAST_BODY[0], (client_bytes, LAST_BODY[0])

    variants = {"client POST": client_post, "bare POST": bare_post, "client GET": client_get, "bare GET": bare_get}
    for fn in variants.values():  # warm up: connections, lazy imports, model schemas
        timed(fn, 100)

    per_round = max(1, n // rounds)
    samples: dict[str, list[float]] = {name: [] for name in variants}
    order = list(variants)
    for index in range(rounds):
        for name in order if index % 2 == 0 else reversed(order):
            samples[name].append(timed(variants[name], per_round))

    print(f"requests: {per_round * rounds} per kind, {rounds} interleaved rounds, loopback werkzeug (threaded)")
    for kind in ("POST", "GET"):
        ours, bare = samples[f"client {kind}"], samples[f"bare {kind}"]
        paired = [c / b for c, b in zip(ours, bare)]  # each round's pair ran back to back
        ratio = statistics.median(paired)
        extra = statistics.median(c - b for c, b in zip(ours, bare))
        verdict = "ok" if ratio <= 1.15 else "OVER GOAL"
        print(f"  {kind:<4} client {statistics.median(ours) * 1e6:6.0f} us/req   "
              f"bare {statistics.median(bare) * 1e6:6.0f} us/req   overhead {extra * 1e6:+5.0f} us/req   "
              f"ratio {ratio:.3f} (rounds {min(paired):.2f}..{max(paired):.2f})   goal <= 1.15: {verdict}")

    client.close()
    session.close()
    server.shutdown()


class CannedTransport:
    """The client's public ``transport=`` seam answering from memory: isolates the client's own CPU work."""

    def send(self, request: Any, timeout: float) -> Any:
        from paycombat_tools._transport import HttpResponse

        return HttpResponse(200, {"Content-Type": "application/json"}, RESPONSE)

    def close(self) -> None:
        pass


def bench_cpu(n: int) -> None:
    client = PayCombat(TOKEN, KEY, "http://unused.invalid", transport=CannedTransport())
    key = KEY.encode()

    def bare_post_work() -> Any:
        body = json.dumps(BARE_BODY, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        hmac.new(key, body, hashlib.sha256).hexdigest()
        return json.loads(RESPONSE)

    variants = {
        "POST": (lambda: client.payouts.create(**CLIENT_FIELDS), bare_post_work),
        "GET": (lambda: client.payouts.retrieve("po_1"), lambda: json.loads(RESPONSE)),
    }
    print(f"client-side CPU per call, no network ({n} calls; transport answers from memory):")
    for kind, (ours, bare) in variants.items():
        timed(ours, 200)
        timed(bare, 200)
        ours_s = statistics.median(timed(ours, n // 5) for _ in range(5))
        bare_s = statistics.median(timed(bare, n // 5) for _ in range(5))
        print(f"  {kind:<4} client {ours_s * 1e6:6.0f} us   bare-equivalent {bare_s * 1e6:5.0f} us")


IMPORT_SNIPPET = "import time;t=time.perf_counter();import {module};print(time.perf_counter()-t)"


def import_seconds(module: str) -> float:
    output = subprocess.run([sys.executable, "-c", IMPORT_SNIPPET.format(module=module)], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    return float(output.strip())


def bench_imports(runs: int) -> None:
    ours: list[float] = []
    deps: list[float] = []
    import_seconds("paycombat_tools")  # warm the file-system cache and bytecode
    import_seconds("requests, pydantic")
    for _ in range(runs):
        ours.append(import_seconds("paycombat_tools"))
        deps.append(import_seconds("requests, pydantic"))
    ours_median, deps_median = statistics.median(ours), statistics.median(deps)
    ratio = ours_median / deps_median
    verdict = "ok" if ratio <= 1.3 else "OVER GOAL"
    print(f"import: median of {runs} fresh interpreters")
    print(f"  import paycombat_tools      {ours_median * 1e3:6.1f} ms")
    print(f"  import requests, pydantic   {deps_median * 1e3:6.1f} ms")
    print(f"  ratio {ratio:.3f}   goal <= 1.3: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="requests per kind and side")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--import-runs", type=int, default=7)
    options = parser.parse_args()
    started = time.perf_counter()
    bench_requests(options.n, options.rounds)
    bench_cpu(options.n)
    bench_imports(options.import_runs)
    print(f"total {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
