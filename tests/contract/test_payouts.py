"""A payout on a sandbox account: Create Payout, then Simulate Payout, then Retrieve Payout.

On the live target this runs only on a sandbox account (``snd_`` token, checked in conftest.py):
the payout is completed by Simulate Payout, never by a bank.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from paycombat_tools.catalog import CATALOG
from paycombat_tools.models.payouts import Payout
from tests.contract.conftest import AU_BENEFICIARY, Target, envelope_problem


def test_payout_created_simulated_and_retrieved(target: Target) -> None:
    client = target.client
    order_id = f"contract-{uuid.uuid4().hex}"
    payout = client.payouts.create(sender_amount=Decimal("40.00"), sender_currency="AUD",
                                   beneficiary_amount=Decimal("40.00"), beneficiary_currency="AUD",
                                   payout_method_name="au_bank_acct", purpose_code="SELF",
                                   payout_beneficiary_param=AU_BENEFICIARY, order_id=order_id)
    created = target.wire.last()
    assert (created.method, created.path.endswith("/api/v1/payout/create-payout")) == ("POST", True)
    assert "signature" in created.header_names()
    assert isinstance(payout, Payout) and payout.id
    assert payout.status == "PENDING" and payout.order_id == order_id

    done = client.payouts.simulate(payout_id=payout.id, status="SUCCESS")
    assert (done.id, done.status) == (payout.id, "SUCCESS")

    fetched = client.payouts.retrieve(payout.id)
    assert envelope_problem(target.wire.last(), CATALOG["payouts.retrieve"]) is None
    assert (fetched.id, fetched.status, fetched.order_id) == (payout.id, "SUCCESS", order_id)
    # the PAYOUT SUCCESS record's documented shape (EVIDENCE S15): currency, method as beneficiary_bank, APPROVED
    assert (fetched.currency, fetched.beneficiary_bank, fetched.approval) == ("AUD", "au_bank_acct", "APPROVED")
    assert fetched.original_amount == Decimal("40.00")
