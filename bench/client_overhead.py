"""Per-call wall and CPU of the client against a bare ``requests.Session`` (and stripe-python), on loopback.

    .venv/bin/python bench/client_overhead.py [--n 2000] [--rounds 20] [--import-runs 7] [--no-stripe]

A canned HTTP/1.1 keep-alive server runs in its own process (``--serve``) and answers every POST and
GET with a payout-like envelope (Stripe's ``/v1/`` paths with a Stripe-like payout). The client
process times N signed POSTs (``payouts.create``) and N GETs (``payouts.retrieve``) through
``PayCombat`` with default settings, and the same requests through a bare default ``requests.Session``
(compact ``json.dumps`` + HMAC + post; get + ``.json()``), a bare session with ``trust_env=False``
(what reading the environment per request costs) and, when it is importable, stripe-python's
``StripeClient`` (``payouts.create`` / ``payouts.retrieve``). Kinds are interleaved in rounds; each
figure is the median over rounds of wall (``perf_counter``) and client-process CPU (``process_time``)
per call, and each ratio the median of the rounds' paired ratios. Then the client's own CPU with a
transport answering from memory, canonical JSON and response parsing alone, and
``import paycombat_tools`` against ``import requests, pydantic`` in fresh interpreters.
Goal: signed POST wall <= 1.00x bare requests. A report, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.server
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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
STRIPE_PAYOUT = {
    "id": "po_1", "object": "payout", "amount": 1000, "arrival_date": 1735689600, "automatic": False,
    "balance_transaction": "txn_1", "created": 1735689600, "currency": "aud", "description": "Jane Citizen",
    "destination": "ba_1", "failure_balance_transaction": None, "failure_code": None, "failure_message": None,
    "livemode": False, "metadata": {"order_id": "ord_bench_1"}, "method": "standard", "original_payout": None,
    "reversed_by": None, "source_type": "card", "statement_descriptor": None, "status": "pending", "type": "bank_account",
}
STRIPE_RESPONSE = json.dumps(STRIPE_PAYOUT).encode()

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
STRIPE_FIELDS = {"amount": 1000, "currency": "aud", "description": "Jane Citizen",
                 "metadata": {"order_id": "ord_bench_1"}}


# -- the canned server (its own process) ---------------------------------------------------------

class CannedHandler(http.server.BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive; one write per answer (Nagle off), so no delayed-ACK stalls on loopback."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    last_body = b""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if not self.path.startswith("/v1/"):
            CannedHandler.last_body = body
        self._answer()

    def do_GET(self) -> None:
        if self.path == "/__last_body":
            self._answer(CannedHandler.last_body)
        else:
            self._answer()

    def _answer(self, content: bytes | None = None) -> None:
        if content is None:
            content = STRIPE_RESPONSE if self.path.startswith("/v1/") else RESPONSE
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(content)}\r\n"
                f"X-Request-Id: req_canned\r\nRequest-Id: req_canned\r\n\r\n").encode("ascii")
        self.wfile.write(head + content)

    def log_message(self, format: str, *args: Any) -> None:  # one stderr line per request skews timing
        pass


def serve() -> None:
    """Print the URL, then answer until stdin closes (the parent exited or closed the pipe)."""
    import threading

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CannedHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    sys.stdin.read()
    server.shutdown()


def start_server() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen([sys.executable, __file__, "--serve"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


# -- measuring -----------------------------------------------------------------------------------

def timed(fn: Callable[[], Any], n: int) -> tuple[float, float]:
    """Wall seconds and client-process CPU seconds per call over ``n`` calls."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        fn()
    return (time.perf_counter() - wall) / n, (time.process_time() - cpu) / n


def stripe_variants(url: str) -> dict[str, Callable[[], Any]]:
    try:
        import stripe
    except ImportError:
        return {}
    client = stripe.StripeClient("sk_test_bench", base_addresses={"api": url}, max_network_retries=0)

    def post() -> Any:
        return client.v1.payouts.create(params=STRIPE_FIELDS)  # type: ignore[arg-type]

    def get() -> Any:
        return client.v1.payouts.retrieve("po_1")

    post()
    return {"stripe POST": post, "stripe GET": get}


def bench_requests(n: int, rounds: int, with_stripe: bool) -> None:
    import requests

    from paycombat_tools import PayCombat

    server, url = start_server()
    client = PayCombat(TOKEN, KEY, url)  # default settings
    session = requests.Session()  # default: trust_env=True, as most code uses it
    quiet = requests.Session()
    quiet.trust_env = False
    key = KEY.encode()

    def bare_post(using: requests.Session) -> Callable[[], Any]:
        def post() -> Any:
            body = json.dumps(BARE_BODY, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
            headers = {"X-token": TOKEN, "Content-Type": "application/json", "Accept": "application/json",
                       "signature": hmac.new(key, body, hashlib.sha256).hexdigest()}
            return using.post(url + POST_PATH, data=body, headers=headers, timeout=30).json()
        return post

    def bare_get(using: requests.Session) -> Callable[[], Any]:
        def get() -> Any:
            return using.get(url + GET_PATH, headers={"X-token": TOKEN, "Accept": "application/json"},
                             timeout=30).json()
        return get

    # same bytes on the wire, or the comparison is not fair
    def last_body() -> bytes:
        return quiet.get(url + "/__last_body", timeout=30).content

    client.payouts.create(**CLIENT_FIELDS)
    client_bytes = last_body()
    bare_post(session)()
    assert client_bytes == last_body(), (client_bytes, last_body())

    variants: dict[str, Callable[[], Any]] = {
        "client POST": lambda: client.payouts.create(**CLIENT_FIELDS), "bare POST": bare_post(session),
        "bare-noenv POST": bare_post(quiet),
        "client GET": lambda: client.payouts.retrieve("po_1"), "bare GET": bare_get(session),
        "bare-noenv GET": bare_get(quiet),
    }
    if with_stripe:
        variants.update(stripe_variants(url))
    for fn in variants.values():  # warm up: connections, lazy imports, model schemas
        timed(fn, 100)

    per_round = max(1, n // rounds)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    order = list(variants)
    for index in range(rounds):
        for name in order if index % 2 == 0 else reversed(order):
            samples[name].append(timed(variants[name], per_round))

    print(f"per call: {per_round * rounds} per kind, {rounds} interleaved rounds, canned HTTP/1.1 server in "
          f"its own process (pid {server.pid}); wall and client CPU in us, ratio = median of paired rounds")
    print(f"  {'':<16}{'wall':>7}{'cpu':>7}   {'wall/bare':>9}{'cpu/bare':>9}")
    for kind in ("POST", "GET"):
        bare = samples[f"bare {kind}"]
        for side in ("client", "bare", "bare-noenv", "stripe"):
            name = f"{side} {kind}"
            if name not in samples:
                continue
            ours = samples[name]
            wall = statistics.median(ratio_of(a[0], b[0]) for a, b in zip(ours, bare))
            cpu = statistics.median(ratio_of(a[1], b[1]) for a, b in zip(ours, bare))
            print(f"  {name:<16}{statistics.median(s[0] for s in ours) * 1e6:7.0f}"
                  f"{statistics.median(s[1] for s in ours) * 1e6:7.0f}   {wall:9.3f}{cpu:9.3f}")
    if with_stripe and "stripe POST" not in samples:
        print("  stripe-python not installed: skipped")
    post_wall = statistics.median(ratio_of(a[0], b[0]) for a, b in zip(samples["client POST"], samples["bare POST"]))
    print(f"  signed POST wall / bare requests {post_wall:.3f}   goal <= 1.00: {'ok' if post_wall <= 1.0 else 'OVER GOAL'}")

    client.close()
    session.close()
    quiet.close()
    assert server.stdin is not None
    server.stdin.close()
    server.wait(timeout=10)


def ratio_of(a: float, b: float) -> float:
    return a / b if b else float("nan")


class CannedTransport:
    """The client's public ``transport=`` seam answering from memory: isolates the client's own CPU work."""

    def send(self, request: Any, timeout: float) -> Any:
        from paycombat_tools._transport import HttpResponse

        return HttpResponse(200, {"Content-Type": "application/json"}, RESPONSE)

    def close(self) -> None:
        pass


def bench_cpu(n: int) -> None:
    from paycombat_tools import PayCombat, canonical_json
    from paycombat_tools.signing import parse_json

    client = PayCombat(TOKEN, KEY, "http://unused.invalid", transport=CannedTransport())
    key = KEY.encode()

    def bare_post_work() -> Any:
        body = json.dumps(BARE_BODY, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        hmac.new(key, body, hashlib.sha256).hexdigest()
        return json.loads(RESPONSE)

    wire_body = {**CLIENT_FIELDS, "sender_amount": Decimal("10.00"), "beneficiary_amount": Decimal("10.00")}
    variants = {
        "POST": (lambda: client.payouts.create(**CLIENT_FIELDS), bare_post_work),
        "GET": (lambda: client.payouts.retrieve("po_1"), lambda: json.loads(RESPONSE)),
        "canonical_json": (lambda: canonical_json(wire_body),
                           lambda: json.dumps(BARE_BODY, separators=(",", ":"), ensure_ascii=False).encode()),
        "parse_json": (lambda: parse_json(RESPONSE), lambda: json.loads(RESPONSE)),
    }
    print(f"client-side CPU per call, no network ({n} calls; transport answers from memory):")
    for kind, (ours, bare) in variants.items():
        timed(ours, 200)
        timed(bare, 200)
        ours_s = statistics.median(timed(ours, n // 5)[0] for _ in range(5))
        bare_s = statistics.median(timed(bare, n // 5)[0] for _ in range(5))
        print(f"  {kind:<15} client {ours_s * 1e6:6.1f} us   bare-equivalent {bare_s * 1e6:5.1f} us")


IMPORT_SNIPPET = "import time;t=time.perf_counter();import {module};print(time.perf_counter()-t)"


def import_seconds(module: str) -> float:
    output = subprocess.run([sys.executable, "-c", IMPORT_SNIPPET.format(module=module)], cwd=ROOT,
                            capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout
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
    print(f"import: median of {runs} fresh interpreters")
    print(f"  import paycombat_tools      {ours_median * 1e3:6.1f} ms")
    print(f"  import requests, pydantic   {deps_median * 1e3:6.1f} ms   ratio {ours_median / deps_median:.3f}")


FIRST_CALL_SNIPPET = f"""
import sys, time
sys.argv = ["bench"]
t = time.perf_counter()
from paycombat_tools import PayCombat
from paycombat_tools._transport import HttpResponse
class Canned:
    def send(self, request, timeout):
        return HttpResponse(200, {{}}, {RESPONSE!r})
    def close(self):
        pass
client = PayCombat("{TOKEN}", "{KEY}", "http://unused.invalid", transport=Canned())
client.payouts.create(**{{**{CLIENT_FIELDS!r}}})
print(time.perf_counter() - t, sum(m.startswith("paycombat_tools.models.") for m in sys.modules))
"""


def bench_first_call(runs: int) -> None:
    results = []
    for _ in range(runs + 1):
        output = subprocess.run([sys.executable, "-c", "from decimal import Decimal\n" + FIRST_CALL_SNIPPET],
                                cwd=ROOT, capture_output=True, text=True, check=True,
                                env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout.split()
        results.append((float(output[0]), int(output[1])))
    seconds = statistics.median(r[0] for r in results[1:])
    print(f"first call in a fresh interpreter (import + client + one payouts.create, canned transport): "
          f"{seconds * 1e3:.1f} ms, {results[-1][1]} model modules loaded")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="requests per kind and side")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--import-runs", type=int, default=7)
    parser.add_argument("--no-stripe", action="store_true", help="leave stripe-python out even if installed")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve:
        serve()
        return
    started = time.perf_counter()
    bench_requests(options.n, options.rounds, not options.no_stripe)
    bench_cpu(options.n)
    bench_imports(options.import_runs)
    bench_first_call(options.import_runs)
    print(f"total {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
