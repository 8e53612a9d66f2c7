"""List and search tools against the real sandbox: bounded rows, a cursor that continues, no silent stop."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from langchain_core.tools import BaseTool

from agent_tools import _listings
from paycombat_tools import PayCombat
from paycombat_tools.sandbox import Sandbox

from . import helpers as h
from .helpers import World, call


@pytest.fixture
def tools(client: PayCombat) -> dict[str, BaseTool]:
    return h.tools_by_name(client, None, allow=["list_payouts", "list_transactions", "list_payment_requests",
                                                "find_customers"])


def payout_to(client: PayCombat, first: str, last: str, amount: str = "3.00") -> Any:
    return client.payouts.create(
        sender_amount=Decimal(amount), sender_currency="AUD", beneficiary_amount=Decimal(amount),
        beneficiary_currency="AUD", payout_method_name="au_bank_acct", purpose_code="SELF",
        payout_beneficiary_param={"bsb": "062-000", "account_number": "12345678",
                                  "individual": {"first_name": first, "last_name": last}})


def test_why_did_the_last_payout_fail_starts_with_a_search(tools: dict[str, BaseTool], world: World) -> None:
    found = call(tools["list_payouts"], status="failed")
    assert found["count"] == 1 and found["more"] is False and "cursor" not in found
    (row,) = found["rows"]
    assert row["payout_id"] == world.failed_payout_id
    assert row["reason_for_failure"] == "Account closed" and row["amount"] == "AUD 25.00"
    assert set(row) <= set(_listings._ROW_FIELDS["payout"])


def test_payouts_by_part_of_the_payee_name(tools: dict[str, BaseTool], client: PayCombat) -> None:
    payout_to(client, "Grace", "Ho")
    payout_to(client, "Sam", "Lee")
    found = call(tools["list_payouts"], beneficiary="grace")
    assert [row["beneficiary"] for row in found["rows"]] == ["Grace Ho"]


def test_the_cursor_walks_every_row_once(tools: dict[str, BaseTool], client: PayCombat) -> None:
    made = {payout_to(client, "Ann", f"Lee{i}").id for i in range(23)}
    seen: list[str] = []
    answer = call(tools["list_payouts"], beneficiary="Ann", limit=10)
    while True:
        seen += [row["payout_id"] for row in answer["rows"]]
        if not answer["more"]:
            break
        answer = call(tools["list_payouts"], beneficiary="Ann", limit=10, cursor=answer["cursor"])
    assert len(seen) == 23 and set(seen) == made


def test_a_cursor_from_another_search_is_refused(tools: dict[str, BaseTool], client: PayCombat) -> None:
    for i in range(3):
        payout_to(client, "Bo", f"Kim{i}")
    first = call(tools["list_payouts"], beneficiary="Bo", limit=1)
    refused = call(tools["list_payouts"], beneficiary="Kim", limit=1, cursor=first["cursor"])
    assert refused["error"] == "invalid_cursor" and "different search" in refused["message"]
    assert call(tools["list_payouts"], cursor="not-a-cursor")["error"] == "invalid_cursor"


def test_a_long_scan_stops_with_a_cursor_not_silently(tools: dict[str, BaseTool], client: PayCombat,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(6):
        payout_to(client, "Cy", f"Ng{i}")
    monkeypatch.setattr(_listings, "PAGE_SIZE", 2)
    monkeypatch.setattr(_listings, "MAX_PAGES", 2)
    answer = call(tools["list_payouts"], beneficiary="nobody")
    assert answer["rows"] == [] and answer["more"] is True and "Stopped after reading 4" in answer["note"]
    again = call(tools["list_payouts"], beneficiary="nobody", cursor=answer["cursor"])
    assert again["rows"] == [] and again["more"] is False


def test_rows_are_bounded(tools: dict[str, BaseTool]) -> None:
    refused = call(tools["list_payouts"], limit=500)
    assert refused["error"] == "invalid_arguments"


def test_transactions_of_one_payout_or_wallet_only(tools: dict[str, BaseTool], world: World) -> None:
    entries = call(tools["list_transactions"], record_id=world.failed_payout_id)
    assert [row["type"] for row in entries["rows"]] == ["PAYOUT_HOLD", "PAYOUT_RELEASE"]
    assert call(tools["list_transactions"], type="FEE")["error"] == "invalid_arguments"


def test_customers_by_email_reference_or_name(tools: dict[str, BaseTool], client: PayCombat) -> None:
    grace = client.customers.create(description="VIP", type="individual", organization_reference_id="crm-77",
                                    individual={"first_name": "Grace", "last_name": "Ho", "address_country": "AU",
                                                "email": "grace@example.com"})
    for found in (call(tools["find_customers"], email="GRACE@example.com"),
                  call(tools["find_customers"], merchant_customer_id="crm-77"),
                  call(tools["find_customers"], name="grace ho")):
        assert [row["customer_id"] for row in found["rows"]] == [grace.customer_id]
    assert call(tools["find_customers"])["error"] == "invalid_arguments"


def test_payment_requests_by_customer_and_date(tools: dict[str, BaseTool], world: World, sandbox: Sandbox) -> None:
    found = call(tools["list_payment_requests"], customer_id=world.customer_id)
    assert [row["checkout_id"] for row in found["rows"]] == [world.paid_checkout_id]
    assert "identifier=" not in str(found)
    assert call(tools["list_payment_requests"], created_to="2000-01-01")["rows"] == []
