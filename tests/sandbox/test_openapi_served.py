"""The served OpenAPI document, the standalone CLI, and state that survives a restart."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from paycombat_tools import PayCombat
from paycombat_tools.openapi import build
from paycombat_tools.sandbox import Sandbox
from tests.sandbox.helpers import FAST_RETRY, au_payout, create_customer_wallet, fund_wallet

REPO = Path(__file__).resolve().parents[2]


def test_served_openapi_equals_build(sandbox: Sandbox) -> None:
    response = requests.get(f"{sandbox.url}/openapi.json", timeout=10)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
    assert response.json() == json.loads(json.dumps(build()))


class Cli:
    """``python -m paycombat_tools.sandbox`` in a subprocess, its stdout read line by line."""

    def __init__(self, db: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "paycombat_tools.sandbox", "--port", "0", "--db", str(db)],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        self.settings = self._read_settings(timeout=15)

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def _read_settings(self, timeout: float) -> dict[str, str]:
        settings: dict[str, str] = {}
        deadline = time.monotonic() + timeout
        while not {"PAYCOMBAT_BASE_URL", "PAYCOMBAT_TOKEN", "PAYCOMBAT_SIGNATURE_KEY"} <= set(settings):
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise AssertionError(f"the CLI printed no credentials in {timeout} s: {settings}") from None
            key, sep, value = line.partition("=")
            if sep and key.startswith("PAYCOMBAT_"):
                settings[key] = value
        return settings

    def client(self) -> PayCombat:
        return PayCombat(self.settings["PAYCOMBAT_TOKEN"], self.settings["PAYCOMBAT_SIGNATURE_KEY"],
                         self.settings["PAYCOMBAT_BASE_URL"], retry=FAST_RETRY)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def cli() -> Iterator[Callable[[Path], Cli]]:
    started: list[Cli] = []

    def start(db: Path) -> Cli:
        process = Cli(db)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.process.poll() is None:
            process.stop()


def test_cli_prints_url_and_credentials_and_serves(cli: Callable[[Path], Cli], tmp_path: Path) -> None:
    db = tmp_path / "tmp.db"
    first = cli(db)
    url = first.settings["PAYCOMBAT_BASE_URL"]
    assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
    assert first.settings["PAYCOMBAT_TOKEN"].startswith("snd_") and len(first.settings["PAYCOMBAT_SIGNATURE_KEY"]) == 64
    with first.client() as client:
        customer = client.customers.create(description="CLI check", type="individual",
                                           individual={"first_name": "Ada", "last_name": "Tan",
                                                       "address_country": "AU"},
                                           organization_reference_id="cli-1")
    first.stop()
    assert first.process.returncode is not None

    second = cli(db)  # same file: same merchant, same data
    assert second.settings["PAYCOMBAT_TOKEN"] == first.settings["PAYCOMBAT_TOKEN"]
    with second.client() as client:
        assert client.customers.retrieve(customer.customer_id).organization_reference_id == "cli-1"
    second.stop()


def test_file_database_survives_a_restart(tmp_path: Path) -> None:
    path = str(tmp_path / "sandbox.db")
    first = Sandbox(path, seed=5)
    try:
        with first.client(retry=FAST_RETRY) as client:
            wallet = create_customer_wallet(client, ("AUD",))
            fund_wallet(client, wallet.wallet_id, Decimal("100.00"))
            payout = au_payout(client, "20.00", debit_wallet_id=wallet.wallet_id)
        token, key = first.token, first.signature_key
    finally:
        first.close()

    reopened = Sandbox(path)  # no seed: the stored credentials win
    try:
        assert (reopened.token, reopened.signature_key) == (token, key)
        with reopened.client(retry=FAST_RETRY) as client:
            assert client.wallets.retrieve(wallet.wallet_id).customer_id == wallet.customer_id
            assert client.customers.retrieve(wallet.customer_id).is_wallet_ready
            assert client.payouts.retrieve(payout.id).status == "PENDING"
            assert client.payouts.simulate(payout_id=payout.id).status == "SUCCESS"
        assert reopened.balance(wallet.wallet_id, "AUD") == (Decimal("78.00"), Decimal("78.00"))
        reopened.check_ledger()
    finally:
        reopened.close()
