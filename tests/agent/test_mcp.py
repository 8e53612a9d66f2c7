"""The MCP server as a host sees it: the official SDK's client over stdio against ``python -m agent_tools.mcp``.

Tools, schemas and answers are the LangChain tools' own; guarded tools only propose; no tool or
argument approves; the client's *user* can decide through an elicitation, and only with a name.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import mcp.types as types
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from agent_tools.tools import describe, tool_specs

from .helpers import INJECTION, PAYOUT

ROOT = Path(__file__).resolve().parents[2]
Elicit = Callable[[Any, types.ElicitRequestParams], Awaitable[types.ElicitResult]]


def server(*options: str) -> StdioServerParameters:
    return StdioServerParameters(command=sys.executable, args=["-m", "agent_tools.mcp", "--sandbox", "--seed", "5",
                                                               *options], cwd=str(ROOT))


def with_session(story: Callable[[ClientSession], Awaitable[Any]], *options: str, elicit: Elicit | None = None) -> Any:
    async def run() -> Any:
        async with stdio_client(server(*options)) as (read, write):
            async with ClientSession(read, write, elicitation_callback=elicit) as session:
                await session.initialize()
                return await story(session)

    return asyncio.run(run())


async def answer(session: ClientSession, tool: str, **arguments: Any) -> dict[str, Any]:
    result = await session.call_tool(tool, arguments)
    block = result.content[0]
    assert isinstance(block, types.TextContent)
    data: dict[str, Any] = json.loads(block.text)
    return data


def test_the_tools_are_the_langchain_tools_own() -> None:
    async def story(session: ClientSession) -> list[types.Tool]:
        return (await session.list_tools()).tools

    listed = {tool.name: tool for tool in with_session(story)}
    specs = {spec.name: spec for spec in tool_specs()}
    assert set(listed) == set(specs)
    for name, tool in listed.items():
        assert tool.description == describe(specs[name])
        assert tool.inputSchema == specs[name].args_schema.model_json_schema()
        assert tool.annotations is not None and tool.annotations.readOnlyHint == (not specs[name].guarded)


def test_look_ups_and_searches_answer(tmp_path: Path) -> None:
    async def story(session: ClientSession) -> tuple[dict[str, Any], ...]:
        return (await answer(session, "get_merchant_balance", currency="AUD"),
                await answer(session, "list_payouts", status="FAILED"),
                await answer(session, "list_payouts", limit=1000))

    balance, payouts, too_many = with_session(story)
    assert balance["currency"] == "AUD" and balance["available"]
    assert payouts == {"rows": [], "count": 0, "more": False}
    assert too_many["error"] == "invalid_arguments"


def test_a_payout_is_only_proposed_and_no_tool_or_argument_approves_it() -> None:
    async def story(session: ClientSession) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
        proposal = await answer(session, "create_payout", **PAYOUT)
        attempts = [await answer(session, "create_payout", **PAYOUT, **{word: value})
                    for word, value in (("approved", True), ("action_id", proposal["action_id"]),
                                        ("confirm", "yes"), ("approver", "Alice"), ("note", INJECTION))]
        attempts.append(await answer(session, "get_action_status", action_id=proposal["action_id"], approve=True))
        attempts.append(await answer(session, "approve_action", action_id=proposal["action_id"]))
        status = await answer(session, "get_action_status", action_id=proposal["action_id"])
        payouts = await answer(session, "list_payouts")
        return proposal, attempts, status, payouts

    proposal, attempts, status, payouts = with_session(story)
    assert proposal["status"] == "awaiting_human_approval" and proposal["executed"] is False
    assert [a.get("error") for a in attempts] == ["invalid_arguments"] * 6 + ["unknown_tool"]
    assert status["status"] == "PENDING"
    assert payouts["count"] == 0


def test_the_users_elicitation_with_a_name_approves_once() -> None:
    asked: list[str] = []

    async def approve(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        asked.append(params.message)
        return types.ElicitResult(action="accept", content={"decision": "approve", "approver": "Alice Ops"})

    async def story(session: ClientSession) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        decided = await answer(session, "create_payout", **PAYOUT)
        return decided, await answer(session, "get_action_status", action_id=decided["action_id"]), \
            await answer(session, "list_payouts")

    decided, status, payouts = with_session(story, elicit=approve)
    assert len(asked) == 1 and "Grace Ho" in asked[0] and "AUD 40.00" in asked[0]
    assert decided["status"] == "EXECUTED" and decided["executed"] is True
    assert status["status"] == "EXECUTED"
    assert payouts["count"] == 1


def test_an_elicitation_without_a_name_decides_nothing_and_a_rejection_is_recorded() -> None:
    replies = iter([{"decision": "approve", "approver": "  "}, {"decision": "reject", "approver": "Bob",
                                                               "reason": "wrong payee"}])

    async def reply(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        return types.ElicitResult(action="accept", content=next(replies))

    async def story(session: ClientSession) -> tuple[dict[str, Any], ...]:
        nameless = await answer(session, "create_payout", **PAYOUT)
        rejected = await answer(session, "create_payin", amount="25.00", currency="AUD", payin_method_name="au_bank_npp")
        return nameless, rejected, await answer(session, "get_action_status", action_id=nameless["action_id"])

    nameless, rejected, status = with_session(story, elicit=reply)
    assert nameless["status"] == "awaiting_human_approval" and "still awaiting" in nameless["message"]
    assert status["status"] == "PENDING"
    assert rejected["status"] == "REJECTED" and rejected["executed"] is False


def test_read_only_and_allow_limit_what_is_served() -> None:
    async def names(session: ClientSession) -> set[str]:
        return {tool.name for tool in (await session.list_tools()).tools}

    read_only = with_session(names, "--read-only")
    assert read_only and not {"create_payout", "refund_payin", "get_action_status"} & read_only
    assert with_session(names, "--allow", "get_payout,list_payouts") == {"get_payout", "list_payouts"}


def test_langchain_mcp_adapters_load_the_tools_into_a_langchain_agent() -> None:
    from langchain_mcp_adapters.tools import load_mcp_tools

    async def story(session: ClientSession) -> dict[str, Any]:
        tools = {tool.name: tool for tool in await load_mcp_tools(session)}
        model = FakeMessagesListChatModel(responses=[AIMessage("", tool_calls=[
            {"name": "create_payout", "args": PAYOUT, "id": "c1", "type": "tool_call"}])])
        reply = model.invoke("Pay Grace Ho AUD 40")
        call = reply.tool_calls[0]  # type: ignore[attr-defined]
        message = await tools[call["name"]].ainvoke({**call, "type": "tool_call"})
        text = message.content if isinstance(message.content, str) else message.content[0]["text"]
        proposal: dict[str, Any] = json.loads(text)
        proposal["after"] = await answer(session, "get_action_status", action_id=proposal["action_id"])
        return proposal

    proposal = with_session(story)
    assert proposal["status"] == "awaiting_human_approval" and proposal["after"]["status"] == "PENDING"


def test_a_person_approves_through_the_cli_over_the_store_and_mcp_shows_it_executed_once(tmp_path: Path) -> None:
    """The approvals CLI — another process, no credentials — decides; the MCP server runs it once when asked."""
    import subprocess

    store = tmp_path / "actions.db"

    def cli(*words: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "agent_tools", "approvals", *words, "--store", str(store)],
                              cwd=str(ROOT), capture_output=True, text=True, timeout=120,
                              env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})

    async def story(session: ClientSession) -> tuple[dict[str, Any], ...]:
        proposal = await answer(session, "create_payout", **PAYOUT)
        listed = cli("list")
        assert proposal["action_id"] in listed.stdout and "Grace Ho" in listed.stdout, listed.stdout + listed.stderr
        approved = cli("approve", proposal["action_id"], "--as", "Alice Ops")
        assert approved.returncode == 0, approved.stderr
        first = await answer(session, "get_action_status", action_id=proposal["action_id"])
        again = await answer(session, "get_action_status", action_id=proposal["action_id"])
        return proposal, first, again, await answer(session, "list_payouts")

    proposal, first, again, payouts = with_session(story, "--store", str(store), "--no-elicit")
    assert proposal["status"] == "awaiting_human_approval"
    assert first["status"] == again["status"] == "EXECUTED"
    assert first["decided_by"] == "Alice Ops"
    assert payouts["count"] == 1
    assert cli("approve", proposal["action_id"], "--as", "Bob").returncode != 0  # no replays


def test_the_same_tools_answer_over_streamable_http() -> None:
    """``--http PORT``: the SDK's streamable HTTP client lists the tools and calls one on loopback."""
    import socket
    import subprocess
    import time

    from mcp.client.streamable_http import streamable_http_client

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "agent_tools.mcp", "--sandbox", "--seed", "5", "--http",
                                str(port)], cwd=str(ROOT), stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "the MCP server did not start"
                time.sleep(0.2)

        async def run() -> tuple[set[str], dict[str, Any]]:
            async with streamable_http_client(f"http://127.0.0.1:{port}/mcp") as (read, write, _):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    names = {tool.name for tool in (await session.list_tools()).tools}
                    return names, await answer(session, "get_merchant_balance", currency="AUD")

        names, balance = asyncio.run(run())
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert names == {spec.name for spec in tool_specs()}
    assert balance["currency"] == "AUD" and balance["available"]
