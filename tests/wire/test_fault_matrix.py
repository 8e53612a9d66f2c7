"""Every money-moving call under every wire fault, with the caller's reference, the automatic one and none.

A loopback proxy (``fault_proxy.py``) sits between the real client and the real sandbox. The rule
checked per call: exactly one record when the client reported success; at most one when it raised,
and then an error that names the reference, after which ``client.resend(error)`` (where it is safe)
leaves exactly one. The blocking client and ``AsyncPayCombat`` (httpx) both run the whole matrix: they share
one core, and only the transport differs. The matrix of outcomes is written to ``test-artifacts/fault-matrix.txt``.
"""

from __future__ import annotations

import asyncio
import collections
import inspect
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from paycombat_tools import AsyncPayCombat, InvalidRequestError, NetworkError, PayCombat, PayCombatError, RetryPolicy
from paycombat_tools.sandbox import Sandbox
from tests.sandbox.helpers import SEED, au_payout, create_customer_wallet, fund_wallet, reference
from tests.wire.fault_proxy import AFTER_COMMIT, FAULTS, FaultProxy

TIMEOUT = 0.4
RETRY = RetryPolicy(max_retries=2, backoff_base=0.01, backoff_max=0.05, jitter=0.0)
REFERENCE_KINDS = ("caller", "automatic", "none")
PERSISTENCE = {"once": 1, "every attempt": RETRY.max_retries + 1}

CLIENTS = ("sync", "async")

Outcome = collections.Counter[tuple[str, str, str, str, str, str]]


def finished(result: Any) -> Any:
    """A sync client's result as it is; an async client's awaited on a fresh event loop."""
    return asyncio.run(result) if inspect.isawaitable(result) else result


class World:
    """One sandbox behind one proxy, a funded wallet and a paid payin, shared by the whole matrix."""

    def __init__(self) -> None:
        self.sandbox = Sandbox(seed=SEED)
        self.proxy = FaultProxy(self.sandbox.url, stall_seconds=TIMEOUT * 2)
        direct = self.sandbox.client()
        wallet = create_customer_wallet(direct, ("AUD",))
        fund_wallet(direct, wallet.wallet_id, Decimal("5000.00"))
        self.wallet_id = wallet.wallet_id
        self.payin_id = fund_wallet(direct, wallet.wallet_id, Decimal("500.00")).id
        direct.close()
        options: dict[str, Any] = {"timeout": TIMEOUT, "retry": RETRY}
        self.clients: dict[tuple[str, bool], Any] = {
            (name, auto): kind(self.sandbox.token, self.sandbox.signature_key, self.proxy.url, auto_reference=auto,
                               **options)
            for name, kind in (("sync", PayCombat), ("async", AsyncPayCombat)) for auto in (True, False)
        }
        self.outcomes: Outcome = collections.Counter()

    def count(self, kind: str) -> int:
        with self.sandbox.store.transaction():
            return len(self.sandbox.store.all(kind))

    def close(self) -> None:
        for client in self.clients.values():
            finished(client.close())
        self.proxy.close()
        self.sandbox.close()


#: operation -> (stored kind, idempotency field, call(client, world, **reference))
OPERATIONS: dict[str, tuple[str, str, Callable[..., Any]]] = {
    "payouts.create": ("payout", "order_id", lambda c, w, **ref: au_payout(
        c, "1.00", debit_wallet_id=w.wallet_id, **ref)),
    "payins.create": ("payin", "organization_reference_id", lambda c, w, **ref: c.payins.create(
        amount=Decimal("2.00"), currency="AUD", payin_method_name="au_bank_npp", credit_wallet_id=w.wallet_id, **ref)),
    "refunds.create": ("refund", "organization_reference_id", lambda c, w, **ref: c.refunds.create(
        payin_id=w.payin_id, amount=Decimal("0.01"), currency="AUD", **ref)),
    "checkouts.create_payment_request": ("checkout", "organization_reference_id", lambda c, w, **ref:
                                         c.checkouts.create_payment_request(
                                             amount=Decimal("3.00"), currency="AUD", country_code="AU", **ref)),
}


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    world = World()
    yield world
    world.close()
    _write_matrix(world.outcomes)


@pytest.mark.parametrize("persistence", PERSISTENCE)
@pytest.mark.parametrize("kind", REFERENCE_KINDS)
@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("client_kind", CLIENTS)
def test_a_faulty_wire_never_pays_twice_or_loses_the_reference(world: World, client_kind: str, operation: str,
                                                               fault: str, kind: str, persistence: str) -> None:
    stored, field, call = OPERATIONS[operation]
    client = world.clients[(client_kind, kind != "none")]
    given = {field: reference("wire")} if kind == "caller" else {}
    before = world.count(stored)
    world.proxy.clear()
    world.proxy.plan(fault, times=PERSISTENCE[persistence])
    try:
        finished(call(client, world, **given))
    except PayCombatError as error:
        world.proxy.clear()
        after = world.count(stored)
        assert after - before <= 1, f"{after - before} records for one call"
        assert not isinstance(error, InvalidRequestError)
        if fault in AFTER_COMMIT and isinstance(error, NetworkError):
            assert error.sent and error.outcome_unknown
        outcome = _after_an_error(world, client, error, kind, field, given)
        if outcome == "resent":
            assert world.count(stored) == before + 1, "resend made a second record or none"
    else:
        outcome = "succeeded"
        assert world.count(stored) == before + 1, "success reported, but not exactly one record"
    world.outcomes[(client_kind, operation, fault, kind, persistence, outcome)] += 1


def _after_an_error(world: World, client: PayCombat | AsyncPayCombat, error: PayCombatError, kind: str, field: str,
                    given: dict[str, Any]) -> str:
    """The error names the reference; re-sending is offered only where it cannot act twice."""
    if kind == "none":
        assert error.idempotency_reference is None
        if error.outcome_unknown:
            assert "no idempotency reference" in str(error)
        with pytest.raises(InvalidRequestError, match="could act twice"):
            finished(client.resend(error))
        return "raised, not resendable"
    assert error.idempotency_field == field
    if kind == "caller":
        assert error.idempotency_reference == given[field]
    else:
        assert str(error.idempotency_reference).startswith("pct_")
    assert str(error.idempotency_reference) in str(error)
    if error.outcome_unknown:
        assert "outcome is unknown" in str(error) and "client.resend(error)" in str(error)
    finished(client.resend(error))
    return "resent"


def _write_matrix(outcomes: Outcome) -> None:
    """operations × faults × reference kinds, with how many calls ended each way."""
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    lines = [f"{'client':6} {'operation':34} {'fault':14} {'reference':10} {'fault lasts':14} outcome"]
    lines += [f"{client:6} {op:34} {fault:14} {kind:10} {persistence:14} {outcome}"
              for (client, op, fault, kind, persistence, outcome), _ in sorted(outcomes.items())]
    totals: collections.Counter[str] = collections.Counter()
    for (_, _, fault, kind, _, outcome), calls in outcomes.items():
        totals[outcome] += calls
    lines.append("totals: " + ", ".join(f"{outcome}: {calls}" for outcome, calls in sorted(totals.items())))
    (artifacts / "fault-matrix.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_both_clients_end_every_cell_of_the_matrix_the_same_way(world: World) -> None:
    """One core: under the same fault the blocking and the async client succeed, raise or resend alike."""
    by_client: dict[str, dict[tuple[str, ...], str]] = {name: {} for name in CLIENTS}
    for (client, *cell, outcome) in world.outcomes:
        by_client[client][tuple(cell)] = outcome
    shared = set(by_client["sync"]) & set(by_client["async"])
    assert {cell: by_client["sync"][cell] for cell in shared} == {cell: by_client["async"][cell] for cell in shared}
