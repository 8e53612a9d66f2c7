"""The public PHP/Laravel gateway's payout call (EVIDENCE S1), replayed by real PHP + curl against the
standalone sandbox.

The gateway sends ``json_encode($data)`` with default flags (``/`` as ``\\/``, non-ASCII as ``\\uXXXX``) and
signs either ``json_encode($data, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE)`` (bytes that differ from
the sent ones) or, in PayoutRequestController, the very bytes it sends. Both must be accepted; ``order_id`` is
the gateway's integer DB id and comes back as its string; the same id with the same body is the same payout.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.foreign.conftest import HERE, ScriptRun, StandaloneSandbox, describe, run_script

ORDER_ID_BASE = 27862467  # the gateway's DB id (the docs' PAYOUT SUCCESS example order_id)
DESCRIPTION = "Invoice 2026/11 for Zoë"
#: call -> (order_id, amount the payout must carry)
CREATED = {
    "int_amount": (ORDER_ID_BASE, Decimal("100")),
    "string_amount": (ORDER_ID_BASE + 1, Decimal("150.00")),
    "default_flags": (ORDER_ID_BASE + 2, Decimal("100")),
}


@pytest.fixture(scope="module")
def gateway(php: str, standalone_sandbox: StandaloneSandbox) -> dict[str, dict[str, Any]]:
    run: ScriptRun = run_script([php, str(HERE / "php" / "gateway_payout.php")], standalone_sandbox,
                                ORDER_ID_BASE=str(ORDER_ID_BASE))
    calls = run.by_call()
    assert list(calls) == ["int_amount", "int_amount_replay", "string_amount", "default_flags", "wrong_key"], \
        run.lines
    return calls


def test_the_script_sends_the_fields_the_au_method_requires(standalone_sandbox: StandaloneSandbox) -> None:
    """bsb / account_number / individual.first_name are au_bank_acct's beneficiary fields in the sandbox."""
    fields = standalone_sandbox.client().payout_methods.required_fields("au_bank_acct")
    groups = fields.payout_beneficiary_param
    assert {"bsb", "account_number"} <= {spec.name for spec in groups.base_param if spec.mandatory}
    assert "first_name" in {spec.name for spec in groups.individual}
    assert (fields.sender_currency, fields.beneficiary_currency) == ("AUD", "AUD")


def test_the_gateway_sends_escaped_bytes_and_signs_unescaped_ones(gateway: dict[str, dict[str, Any]]) -> None:
    """The premise: default json_encode on the wire, so the unescaped-flag signature covers other bytes."""
    for call in ("int_amount", "int_amount_replay", "string_amount"):
        sent, signed = gateway[call]["sent"], gateway[call]["signed"]
        assert "2026\\/11" in sent and "Zo\\u00eb" in sent, sent
        assert "2026/11" in signed and "Zoë" in signed, signed
        assert sent != signed
    assert gateway["default_flags"]["signed"] == gateway["default_flags"]["sent"]
    assert '"order_id":27862467,' in gateway["int_amount"]["sent"]  # an integer, not a string
    assert '"sender_amount":100,' in gateway["int_amount"]["sent"]
    assert '"sender_amount":"150.00",' in gateway["string_amount"]["sent"]


@pytest.mark.parametrize("call", list(CREATED))
def test_the_payout_is_created(call: str, gateway: dict[str, dict[str, Any]],
                               standalone_sandbox: StandaloneSandbox) -> None:
    order_id, amount = CREATED[call]
    line = gateway[call]
    assert line["status"] == 200, describe(line)
    body = line["body"]
    assert isinstance(body, dict) and body.get("status") is True, describe(line)
    data = body["data"]
    assert data["order_id"] == str(order_id), describe(line)  # the integer comes back as its string
    assert isinstance(data["id"], str) and data["id"], describe(line)

    payout = standalone_sandbox.client().payouts.retrieve(data["id"])
    assert payout.id == data["id"]
    assert payout.order_id == str(order_id)
    assert payout.original_amount == amount
    assert payout.currency == "AUD"
    assert payout.beneficiary_bank == "au_bank_acct"
    assert payout.beneficiary_account_number == "12345678"
    assert payout.purpose_code == "SELF"
    assert payout.model_dump().get("description") == DESCRIPTION  # the \/ and \u00eb were decoded


def test_the_same_order_id_and_body_is_the_same_payout(gateway: dict[str, dict[str, Any]],
                                                       standalone_sandbox: StandaloneSandbox) -> None:
    first, replay = gateway["int_amount"], gateway["int_amount_replay"]
    assert first["status"] == 200, describe(first)
    assert replay["status"] == 200, describe(replay)
    assert replay["body"]["status"] is True, describe(replay)
    assert replay["body"]["data"]["id"] == first["body"]["data"]["id"], describe(replay)
    assert replay["body"]["data"]["order_id"] == str(ORDER_ID_BASE), describe(replay)
    paid = [p for p in standalone_sandbox.client().payouts.list(limit=100) if p.order_id == str(ORDER_ID_BASE)]
    assert len(paid) == 1, [p.id for p in paid]


def test_a_wrong_signature_is_refused(gateway: dict[str, dict[str, Any]],
                                      standalone_sandbox: StandaloneSandbox) -> None:
    """Control: the sandbox really checks the signature, so the accepted calls above prove something."""
    line = gateway["wrong_key"]
    assert line["status"] == 401, describe(line)
    assert line["body"]["status"] is False, describe(line)
    unpaid = str(ORDER_ID_BASE + 3)
    assert not [p for p in standalone_sandbox.client().payouts.list(limit=100) if p.order_id == unpaid]
