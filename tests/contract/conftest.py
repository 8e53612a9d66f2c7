"""Targets for the contract tests: the embedded sandbox always, a real PayCombat sandbox account with ``--live``.

Every test that takes the ``target`` fixture runs once per target:

* ``sandbox``: ``paycombat_tools.sandbox.Sandbox(seed=...)``, one per session, over real HTTP on loopback;
* ``live`` (only with ``--live``): ``PayCombat.from_env(dotenv=None)``, i.e. PAYCOMBAT_TOKEN,
  PAYCOMBAT_SIGNATURE_KEY and PAYCOMBAT_BASE_URL from the environment (a ``.env`` file is not read, so a
  stray one cannot point the suite somewhere unexpected). A missing variable skips the live target,
  naming it; a token that does not start with ``snd_`` (not a sandbox account) stops the run before
  any test talks to the API. Without ``--live`` no live parameter is generated at all.

Each target's client records its exchanges (``target.wire``), so a test can check what went over the
wire (the envelope the catalog promises, a bodiless unsigned call) as well as the typed result.
Nothing in a failure message prints the token or the signature key.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest

from paycombat_tools import PayCombat, RetryPolicy
from paycombat_tools._transport import HttpRequest, HttpResponse, RequestsTransport
from paycombat_tools.catalog import Operation
from paycombat_tools.signing import parse_json

#: What the live target needs, all from the environment.
LIVE_ENV = ("PAYCOMBAT_TOKEN", "PAYCOMBAT_SIGNATURE_KEY", "PAYCOMBAT_BASE_URL")
#: PayCombat sandbox tokens start with this (EVIDENCE S1, §5 "Auth headers"); anything else may move real money.
SANDBOX_TOKEN_PREFIX = "snd_"
CONTRACT_SEED = 20260214
#: The embedded sandbox answers in milliseconds; retries need not wait long.
FAST_RETRY = RetryPolicy(max_retries=2, backoff_base=0.01, backoff_max=0.5, jitter=0.0)
#: The README's payout beneficiary for au_bank_acct (BSB + account number), used by test_payouts.py and
#: checked against the method's published field rules by test_methods.py.
AU_BENEFICIARY: dict[str, Any] = {"bsb": "062-000", "account_number": "12345678",
                                  "individual": {"first_name": "Grace", "last_name": "Ho"}}


def live_skip_reason(environ: Mapping[str, str]) -> str | None:
    """Why the live target cannot run (a variable is missing), or None."""
    missing = [name for name in LIVE_ENV if not environ.get(name, "").strip()]
    if not missing:
        return None
    return (f"--live needs {', '.join(missing)} in the environment (the credentials and base URL of a "
            f"PayCombat sandbox account; the token starts with {SANDBOX_TOKEN_PREFIX})")


def live_refusal(environ: Mapping[str, str]) -> str | None:
    """Why the suite refuses to talk to this account at all (not a sandbox token), or None."""
    token = environ.get("PAYCOMBAT_TOKEN", "").strip()
    if token and not token.startswith(SANDBOX_TOKEN_PREFIX):
        return (f"refusing to run the contract tests live: PAYCOMBAT_TOKEN does not start with "
                f"{SANDBOX_TOKEN_PREFIX!r}, so it is not a PayCombat sandbox account and the payout and payin "
                f"flows could move real money. Use a sandbox account's credentials.")
    return None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "target" not in metafunc.fixturenames:
        return
    params = [pytest.param("sandbox", id="sandbox")]
    if metafunc.config.getoption("--live"):
        # a refused token stops the run in pytest_collection_modifyitems, before any test starts
        reason = live_refusal(os.environ) or live_skip_reason(os.environ)
        params.append(pytest.param("live", id="live", marks=[pytest.mark.skip(reason=reason)] if reason else []))
    metafunc.parametrize("target", params, indirect=True, scope="session")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    refusal = live_refusal(os.environ) if config.getoption("--live") else None
    if refusal and any("target" in getattr(item, "fixturenames", ()) for item in items):
        pytest.exit(refusal, returncode=pytest.ExitCode.USAGE_ERROR)  # not one test, sandbox or live, runs


# -- the wire --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exchange:
    """One request the client sent and the answer it got (credentials stay inside ``request.headers``)."""

    request: HttpRequest
    response: HttpResponse

    @property
    def method(self) -> str:
        return self.request.method

    @property
    def path(self) -> str:
        return urlsplit(self.request.url).path

    @property
    def sent_json(self) -> Any:
        return None if self.request.body is None else parse_json(self.request.body)

    @property
    def envelope(self) -> Any:
        return parse_json(self.response.content) if self.response.content else None

    def header_names(self) -> set[str]:
        return {name.lower() for name in self.request.headers}

    def __repr__(self) -> str:  # never the headers: they carry X-token and signature
        return f"<{self.method} {self.path} -> {self.response.status}>"


class RecordingTransport:
    """The client's normal transport, keeping every exchange for the test to inspect."""

    def __init__(self) -> None:
        self._inner = RequestsTransport()
        self.exchanges: list[Exchange] = []

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        response = self._inner.send(request, timeout)
        self.exchanges.append(Exchange(request, response))
        return response

    def last(self) -> Exchange:
        assert self.exchanges, "the client sent nothing"
        return self.exchanges[-1]

    def close(self) -> None:
        self._inner.close()


def envelope_problem(exchange: Exchange, operation: Operation) -> str | None:
    """How the answer's envelope differs from the catalog's ``envelope`` for the operation, or None."""
    body = exchange.envelope
    if not isinstance(body, dict) or body.get("status") is not True or "data" not in body:
        return f"{operation.name}: answer is not the API's {{status: true, message, data}} envelope: {_keys(body)}"
    data = body["data"]
    nested = isinstance(data, dict) and "data" in data and ("status_code" in data or "success" in data)
    if operation.envelope == "nested" and not nested:
        return (f"{operation.name}: the catalog says Finmo's envelope is nested in data "
                f"({{request_id, request_time, success, status_code, status_text, data}}), "
                f"but data is flat: {_keys(data)}")
    if operation.envelope == "flat" and nested:
        return f"{operation.name}: the catalog says a flat envelope, but data is nested: {_keys(data)}"
    return None


def _keys(value: Any) -> str:
    return f"keys {sorted(value)}" if isinstance(value, dict) else type(value).__name__


# -- targets ---------------------------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    client: PayCombat
    wire: RecordingTransport
    closers: list[Any] = field(default_factory=list)

    @property
    def live(self) -> bool:
        return self.name == "live"

    def __repr__(self) -> str:
        return f"<Target {self.name}>"


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest) -> Iterator[Target]:
    wire = RecordingTransport()
    if request.param == "sandbox":
        from paycombat_tools.sandbox import Sandbox

        sandbox = Sandbox(seed=CONTRACT_SEED)
        client = sandbox.client(transport=wire, retry=FAST_RETRY)
        made = Target("sandbox", client, wire, closers=[client.close, sandbox.close])
    else:
        # checked again here, so no path reaches a client without the sandbox-token guard
        refusal = live_refusal(os.environ) or live_skip_reason(os.environ)
        if refusal:
            pytest.fail(refusal, pytrace=False)
        client = PayCombat.from_env(dotenv=None, transport=wire)
        made = Target("live", client, wire, closers=[client.close])
    yield made
    for close in made.closers:
        close()
