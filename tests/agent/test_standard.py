"""LangChain's standard tool tests (``langchain-tests``), unit and integration, for every tool.

One ``ToolsUnitTests`` and one ``ToolsIntegrationTests`` subclass per tool is generated below; the
tools run against one real sandbox world shared by this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from langchain_core.tools import BaseTool

# langchain-tests is in the dev extra: a missing install fails here instead of skipping silently.
from langchain_tests.integration_tests import ToolsIntegrationTests  # noqa: E402
from langchain_tests.unit_tests import ToolsUnitTests  # noqa: E402

from agent_tools import AuditLog, ConfirmationGuard, ConfirmationPolicy, tool_specs  # noqa: E402
from paycombat_tools.sandbox import Sandbox  # noqa: E402

from . import helpers as h  # noqa: E402


class _Shared:
    """One sandbox, world, guard and tool set for every generated test class."""

    def __init__(self) -> None:
        self.sandbox = Sandbox(seed=5)
        self.client = self.sandbox.client(retry=h.FAST_RETRY)
        self.world = h.build_world(self.sandbox, self.client)
        self.guard = ConfirmationGuard(ConfirmationPolicy(per_call_caps={"AUD": "1000"}), AuditLog())
        self.tools = h.tools_by_name(self.client, self.guard)
        self.action_id = h.call(self.tools["create_payout"], **h.PAYOUT)["action_id"]
        self.before = h.snapshot(self.sandbox)

    def examples(self) -> dict[str, dict[str, Any]]:
        w = self.world
        return {
            "get_customer": {"customer_id": w.customer_id},
            "get_wallet_balances": {"wallet_id": w.wallet_id},
            "get_transaction": {"transaction_id": w.transaction_id},
            "get_payin": {"payin_id": w.payin_id},
            "get_payout": {"payout_id": w.failed_payout_id},
            "get_payment_request": {"checkout_id": w.paid_checkout_id},
            "list_payout_methods": {"currency": "AUD", "country": "AU"},
            "list_payin_methods": {"currency": "KRW"},
            "get_payout_required_fields": {"payout_method_name": "au_bank_acct"},
            "get_merchant_balance": {"currency": "AUD"},
            "validate_beneficiary": {"payout_method_name": "au_bank_acct", "beneficiary": h.GRACE},
            "quote_payout": h.PAYOUT,
            "get_action_status": {"action_id": self.action_id},
            "create_payout": h.PAYOUT,
            "create_payin": {"amount": "25.00", "currency": "AUD", "payin_method_name": "au_bank_npp"},
            "create_payment_request": {"amount": "99.90", "currency": "AUD", "country_code": "AU"},
            "cancel_payment_request": {"checkout_id": w.open_checkout_id},
            "refund_payin": {"payin_id": w.payin_id, "amount": "20.00", "currency": "AUD"},
            "create_beneficiary": {"type": "company", "beneficiary_name": "Kettle & Co", "currency": "AUD",
                                   "payout_method_name": "au_bank_acct",
                                   "details": {"company_name": "Kettle and Co", "bsb": "062-000",
                                               "account_number": "10203040"}},
            "update_beneficiary": {"beneficiary_id": w.beneficiary_id, "beneficiary_name": "Grace H. Ho"},
            "disable_customer": {"customer_id": w.customer_id},
            "delete_customer": {"customer_id": w.other_customer_id},
            "list_payouts": {"status": "FAILED", "limit": 5},
            "list_transactions": {"wallet_id": w.wallet_id},
            "list_payment_requests": {"currency": "AUD"},
            "find_customers": {"name": "Kettle"},
        }

    def close(self) -> None:
        self.client.close()
        self.sandbox.close()


@cache
def shared() -> _Shared:
    return _Shared()


@pytest.fixture(scope="module", autouse=True)
def _close_shared() -> Iterator[None]:
    yield
    if shared.cache_info().currsize:
        state = shared()
        # the standard tests invoked every guarded tool: none of them may have moved anything
        assert h.unapproved_executions(state.sandbox, state.guard, state.before) == []
        state.close()
        shared.cache_clear()


def test_every_tool_has_an_example() -> None:
    assert set(shared().examples()) == {spec.name for spec in tool_specs()}


def _tool(self: Any) -> BaseTool:
    return shared().tools[self.tool_name]


def _example(self: Any) -> dict[str, Any]:
    return shared().examples()[self.tool_name]


_ASYNC_ON_SYNC = pytest.mark.filterwarnings("ignore:The test <Function.*is marked with '@pytest.mark.asyncio'")

for _spec in tool_specs():
    _members = {"tool_name": _spec.name, "tool_constructor": property(_tool),
                "tool_invoke_params_example": property(_example), "__module__": __name__}
    _camel = "".join(part.title() for part in _spec.name.split("_"))
    globals()[f"Test{_camel}Unit"] = type(f"Test{_camel}Unit", (ToolsUnitTests,), dict(_members))
    globals()[f"Test{_camel}Integration"] = type(
        f"Test{_camel}Integration", (ToolsIntegrationTests,),
        {**_members, "pytestmark": [pytest.mark.asyncio, _ASYNC_ON_SYNC]})
