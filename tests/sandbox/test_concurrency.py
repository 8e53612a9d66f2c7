"""200 payouts race for a wallet that can cover exactly K of them: exactly K win, nobody overdraws."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

from paycombat_tools import InsufficientFundsError, PayCombat
from paycombat_tools.sandbox import Sandbox
from paycombat_tools.sandbox._fixtures import PAYOUT_FEE
from tests.sandbox.helpers import FAST_RETRY, au_payout, create_customer_wallet, fund_wallet, payin_fee

PAYOUTS = 200
WORKERS = 24
AMOUNT = Decimal("10.00")
COST = AMOUNT + PAYOUT_FEE["AUD"]  # what each payout reserves
K = 50


def test_concurrent_payouts_never_overdraw(sandbox: Sandbox, client: PayCombat) -> None:
    wallet = create_customer_wallet(client, ("AUD",))
    wallet_id = wallet.wallet_id
    gross = Decimal("560.00")  # nets 554.40: enough for 50 payouts of 11.00, 4.40 left over
    fund_wallet(client, wallet_id, gross)
    funded = gross - payin_fee(gross)
    assert sandbox.balance(wallet_id, "AUD") == (funded, funded)
    assert funded // COST == K

    local = threading.local()
    clients: list[PayCombat] = []
    lowest = [funded]
    running = threading.Event()
    running.set()

    def one_payout(index: int) -> Any:
        if not hasattr(local, "client"):
            local.client = sandbox.client(retry=FAST_RETRY)
            clients.append(local.client)
        try:
            return au_payout(local.client, AMOUNT, debit_wallet_id=wallet_id, description=f"race {index}")
        except InsufficientFundsError as refused:
            return refused

    def watch() -> None:
        while running.is_set():
            lowest[0] = min(lowest[0], sandbox.balance(wallet_id, "AUD")[0])

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            outcomes = list(pool.map(one_payout, range(PAYOUTS)))
    finally:
        running.clear()
        watcher.join()
        for each in clients:
            each.close()

    paid = [o for o in outcomes if not isinstance(o, InsufficientFundsError)]
    refused = [o for o in outcomes if isinstance(o, InsufficientFundsError)]
    assert len(paid) == K and len(refused) == PAYOUTS - K
    assert len({p.id for p in paid}) == K and all(p.status == "PENDING" for p in paid)
    for error in refused:
        assert error.message.startswith("Insufficient balance") and wallet_id in error.message
        assert f"{COST} AUD needed" in error.message and error.operation == "payouts.create"

    leftover = funded - K * COST
    assert lowest[0] >= 0
    assert sandbox.balance(wallet_id, "AUD") == (leftover, funded)
    assert client.payouts.list(status="PENDING").total == K
    assert client.transactions.list(wallet_id=wallet_id, type="PAYOUT_HOLD").total == K
    sandbox.check_ledger()

    with ThreadPoolExecutor(max_workers=8) as pool:
        settled = list(pool.map(lambda p: client.payouts.simulate(payout_id=p.id, status="SUCCESS"), paid))
    assert {p.status for p in settled} == {"SUCCESS"}
    assert sandbox.balance(wallet_id, "AUD") == (leftover, leftover)
    sandbox.check_ledger()


def test_reads_outside_a_transaction_never_deadlock_with_writes(sandbox: Sandbox) -> None:
    """Found by CI: a write's SQL trigger called back into Python, so a thread reading the same connection
    (``sandbox.token``) while a payout was being written could hang the whole process. Now it can't."""
    client = sandbox.client(retry=FAST_RETRY)
    wallet_id = next(iter(client.wallets.list(category="ORGANIZATION_PAYOUT"))).wallet_id
    running = threading.Event()
    running.set()
    reads = [0]

    def read() -> None:
        while running.is_set():
            assert sandbox.token and sandbox.client  # store.meta: a read without the store's lock
            reads[0] += 1

    readers = [threading.Thread(target=read, daemon=True) for _ in range(4)]
    for reader in readers:
        reader.start()
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            done = list(pool.map(lambda i: au_payout(sandbox.client(retry=FAST_RETRY), Decimal("1.00"),
                                                     debit_wallet_id=wallet_id, description=f"read race {i}"),
                                 range(120)))
    finally:
        running.clear()
        for reader in readers:
            reader.join(timeout=60)
    assert len({payout.id for payout in done}) == 120 and reads[0] > 0
    assert not any(reader.is_alive() for reader in readers)
