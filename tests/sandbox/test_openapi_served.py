"""The served OpenAPI document, the standalone CLI, and state that survives a restart."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests

from paycombat_tools.openapi import build
from paycombat_tools.sandbox import Sandbox
from tests.sandbox.helpers import FAST_RETRY, au_payout, create_customer_wallet, fund_wallet
from tests.sandbox.sandbox_process import SandboxProcess


def test_served_openapi_equals_build(sandbox: Sandbox) -> None:
    response = requests.get(f"{sandbox.url}/openapi.json", timeout=10)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
    assert response.json() == json.loads(json.dumps(build()))


def test_cli_prints_url_and_credentials_and_serves(start_sandbox_process: Callable[..., SandboxProcess],
                                                    tmp_path: Path) -> None:
    db = tmp_path / "tmp.db"
    first = start_sandbox_process(db)
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

    second = start_sandbox_process(db)  # same file: same merchant, same data
    assert second.settings["PAYCOMBAT_TOKEN"] == first.settings["PAYCOMBAT_TOKEN"]
    with second.client() as client:
        assert client.customers.retrieve(customer.customer_id).organization_reference_id == "cli-1"
    second.stop()


def first_life(path: str, payout_amount: str) -> tuple[Any, Any, str, str]:
    """A seeded sandbox on ``path`` that funds a wallet and pays out once, then closes:
    (wallet, payout, token, signature key)."""
    first = Sandbox(path, seed=5)
    try:
        with first.client(retry=FAST_RETRY) as client:
            wallet = create_customer_wallet(client, ("AUD",))
            fund_wallet(client, wallet.wallet_id, Decimal("100.00"))
            payout = au_payout(client, payout_amount, debit_wallet_id=wallet.wallet_id)
        return wallet, payout, first.token, first.signature_key
    finally:
        first.close()


def test_file_database_survives_a_restart(tmp_path: Path) -> None:
    path = str(tmp_path / "sandbox.db")
    wallet, payout, token, key = first_life(path, "20.00")

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


def test_a_seeded_sandbox_reopened_on_its_file_never_repeats_an_id_or_shows_its_credentials(tmp_path: Path) -> None:
    def payout_ids_after_reopening(path: str) -> tuple[set[str], set[str]]:
        wallet, before, token, key = first_life(path, "5.00")
        secrets = {token.removeprefix("snd_"), key[:32], key[32:]}
        reopened = Sandbox(path, seed=5)  # the same command again, as after a crash
        try:
            with reopened.client(retry=FAST_RETRY) as client:
                after = au_payout(client, "5.00", debit_wallet_id=wallet.wallet_id)
        finally:
            reopened.close()
        drawn = {before.id, before.payout_id_finmo, before.wire_id}
        again = {after.id, after.payout_id_finmo, after.wire_id}
        assert not again & drawn
        assert not {value.replace("-", "").split("_")[-1] for value in again} & secrets
        return drawn, again

    # ... and a seed still means the same ids, run after run
    assert payout_ids_after_reopening(str(tmp_path / "a.db")) == payout_ids_after_reopening(str(tmp_path / "b.db"))
