"""The curated tools as an MCP client sees them, for running the tools' own stories through MCP.

``mcp_tools(client, guard)`` serves ``build_server(client, guard)`` in-process over the SDK's memory
streams (a real MCP session, on its own event loop thread) and returns objects a test calls like
LangChain tools: ``tool.invoke({"name", "args", "id", "type": "tool_call"})`` answers with a
message whose ``content`` is the tool's JSON text.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from dataclasses import dataclass
from typing import Any

import mcp.types as types
from mcp.shared.memory import create_connected_server_and_client_session

from agent_tools.guard import ConfirmationGuard
from agent_tools.mcp import build_server
from paycombat_tools import PayCombat


@dataclass
class Answer:
    content: str
    type: str = "tool"


class McpSession:
    """One MCP client session over memory streams, driven from synchronous tests."""

    def __init__(self, client: PayCombat, guard: ConfirmationGuard | None) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="mcp-bridge")
        self._thread.start()
        self._stack = contextlib.AsyncExitStack()
        server = build_server(client, guard, elicit=False)
        self.session: Any = self._run(self._stack.enter_async_context(create_connected_server_and_client_session(server)))
        self.tools = {tool.name: McpTool(self, tool) for tool in self._run(self.session.list_tools()).tools}

    def _run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=60)

    def call(self, name: str, arguments: dict[str, Any]) -> str:
        result = self._run(self.session.call_tool(name, arguments))
        block = result.content[0]
        assert isinstance(block, types.TextContent)
        return block.text

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._run(self._stack.aclose())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)


class McpTool:
    def __init__(self, session: McpSession, tool: types.Tool) -> None:
        self.name = tool.name
        self.description = tool.description
        self._session = session

    def invoke(self, call: dict[str, Any]) -> Answer:
        return Answer(self._session.call(self.name, dict(call.get("args") or {})))
