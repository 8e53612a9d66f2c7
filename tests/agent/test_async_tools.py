"""``ainvoke``: the same tools on the event loop, reading through ``AsyncPayCombat``, never in a thread.

Each story runs the loop with a default executor that refuses work, so a tool that fell back to a
thread (LangChain's default for tools without a coroutine) would fail loudly.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from langchain_core.tools import BaseTool

from agent_tools import ConfirmationGuard
from paycombat_tools import AsyncPayCombat, PayCombat
from paycombat_tools.sandbox import Sandbox

from . import helpers as h
from .helpers import FAST_RETRY, PAYOUT, World, call

R = TypeVar("R")


class NoThreads(ThreadPoolExecutor):
    """A default executor that refuses work: ``run_in_executor`` (a thread) fails the story."""

    def submit(self, *args: Any, **kwargs: Any) -> Future[Any]:
        raise AssertionError("ainvoke ran the tool in a thread")


def on_the_loop(story: Callable[[], Awaitable[R]]) -> R:
    async def guarded() -> R:
        asyncio.get_running_loop().set_default_executor(NoThreads())
        return await story()

    return asyncio.run(guarded())


async def acall(tool: BaseTool, **args: Any) -> dict[str, Any]:
    """``ainvoke`` a tool the way an async agent's tool call does, and parse its JSON answer."""
    message = await tool.ainvoke({"name": tool.name, "args": args, "id": "call_1", "type": "tool_call"})
    result: dict[str, Any] = json.loads(message.content)
    return result


@pytest.fixture
def async_client(sandbox: Sandbox) -> Iterator[AsyncPayCombat]:
    client = AsyncPayCombat(sandbox.token, sandbox.signature_key, sandbox.url, retry=FAST_RETRY)
    yield client
    asyncio.run(client.close())


@pytest.fixture
def unreachable(sandbox: Sandbox) -> Iterator[PayCombat]:
    """A blocking client whose every call fails: nothing listens where it points."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with PayCombat(sandbox.token, sandbox.signature_key, f"http://127.0.0.1:{port}", max_retries=0) as client:
        yield client


def test_ainvoke_reads_through_the_async_client_not_the_blocking_one_nor_a_thread(
        client: PayCombat, unreachable: PayCombat, async_client: AsyncPayCombat, world: World) -> None:
    reads = ("get_payout", "get_customer", "get_payment_request")
    blocking = h.tools_by_name(client, None, allow=reads)
    async_only = h.tools_by_name(unreachable, None, allow=reads, async_client=async_client)
    assert call(async_only["get_payout"], payout_id=world.failed_payout_id)["error"] == "network"

    answers = on_the_loop(lambda: asyncio.gather(
        acall(async_only["get_payout"], payout_id=world.failed_payout_id),
        acall(async_only["get_customer"], customer_id=world.customer_id),  # two reads in one tool
        acall(async_only["get_payment_request"], checkout_id=world.paid_checkout_id),
        acall(async_only["get_payout"], payout_id="po_missing")))

    assert answers[0] == call(blocking["get_payout"], payout_id=world.failed_payout_id)
    assert "Account closed" in json.dumps(answers[0])
    assert answers[1] == call(blocking["get_customer"], customer_id=world.customer_id)
    assert answers[2] == call(blocking["get_payment_request"], checkout_id=world.paid_checkout_id)
    assert answers[3] == call(blocking["get_payout"], payout_id="po_missing") and answers[3]["error"] == "not_found"


def test_a_quote_walks_the_wallet_pages_through_the_async_client(
        client: PayCombat, guard: ConfirmationGuard, sandbox: Sandbox, world: World) -> None:
    tools = h.tools_by_name(client, guard)  # the async client is made from the blocking one's settings
    before = h.snapshot(sandbox)

    quote = on_the_loop(lambda: acall(tools["quote_payout"], **PAYOUT))

    assert quote == call(tools["quote_payout"], **PAYOUT) and quote["ready"] is True
    assert h.snapshot(sandbox) == before and guard.actions() == []


def test_ainvoke_of_a_guarded_tool_reads_then_only_proposes(
        client: PayCombat, guard: ConfirmationGuard, sandbox: Sandbox, world: World) -> None:
    tools = h.tools_by_name(client, guard)
    before = h.snapshot(sandbox)

    proposal = on_the_loop(lambda: acall(tools["create_payout"], **{**PAYOUT, "beneficiary": None,
                                                                     "beneficiary_id": world.beneficiary_id}))

    assert proposal["status"] == "awaiting_human_approval" and proposal["executed"] is False
    assert f'saved beneficiary {world.beneficiary_id} "Grace Ho"' in proposal["summary"]  # read on the loop
    assert h.snapshot(sandbox) == before
    assert h.unapproved_executions(sandbox, guard, before) == []


def test_the_no_threads_loop_catches_a_tool_that_would_run_in_a_thread() -> None:
    from langchain_core.tools import StructuredTool

    threaded = StructuredTool.from_function(func=lambda text: text, name="echo", description="Echo the text back.")
    with pytest.raises(AssertionError, match="in a thread"):
        on_the_loop(lambda: threaded.ainvoke({"text": "hi"}))
