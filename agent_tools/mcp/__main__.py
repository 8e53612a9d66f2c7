"""``python -m agent_tools.mcp --sandbox | --env [--http PORT] [--read-only] [--allow A,B] [--store FILE] [--audit FILE]``.

With ``--store FILE`` the guard keeps its actions in that SQLite file (and, unless ``--audit`` says
otherwise, its audit log beside it, where the approvals CLI looks): a person approves with
``python -m agent_tools approvals approve ID --as NAME --store FILE`` from any process, with no
credentials, and this server runs the action once when ``get_action_status`` next asks about it.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m agent_tools.mcp", description=(
        "Serve PayCombat's curated support tools over MCP. Money and destructive tools only propose; "
        "a person approves outside the model."))
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--sandbox", action="store_true", help="use an embedded PayCombat sandbox (offline)")
    where.add_argument("--env", action="store_true",
                       help="use PAYCOMBAT_TOKEN / PAYCOMBAT_SIGNATURE_KEY / PAYCOMBAT_BASE_URL (or .env)")
    parser.add_argument("--http", type=int, metavar="PORT", default=None,
                        help="serve streamable HTTP on 127.0.0.1:PORT instead of stdio")
    parser.add_argument("--read-only", action="store_true", help="serve only the look-up and search tools")
    parser.add_argument("--allow", default=None, help="comma-separated tool names to serve (default: all)")
    parser.add_argument("--store", default=None, metavar="FILE",
                        help="keep pending actions in this SQLite file, shared with the approvals CLI")
    parser.add_argument("--audit", default=None, metavar="FILE",
                        help="append the guard's audit log to FILE (default with --store: STORE.audit.jsonl)")
    parser.add_argument("--no-elicit", action="store_true", help="never ask the MCP client's user to decide")
    parser.add_argument("--seed", type=int, default=None, help="with --sandbox: reproducible ids and credentials")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    from paycombat_tools import PayCombat

    from . import build_server

    sandbox: Any = None
    if args.sandbox:
        from paycombat_tools.sandbox import Sandbox

        sandbox = Sandbox(seed=args.seed)
        client = sandbox.client()
    else:
        client = PayCombat.from_env()
    guard = None if args.read_only else _guard(args, client)
    allow = [name.strip() for name in args.allow.split(",") if name.strip()] if args.allow else None
    try:
        server = build_server(client, guard, allow=allow, read_only=args.read_only, elicit=not args.no_elicit)
    except ValueError as refused:
        print(f"agent_tools.mcp: {refused}", file=sys.stderr)
        return 2
    try:
        _serve_http(server, args.http) if args.http is not None else _serve_stdio(server)
    finally:
        client.close()
        if sandbox is not None:
            sandbox.close()
    return 0


def _guard(args: argparse.Namespace, client: Any) -> Any:
    """The guard: in memory, or over ``--store`` (whose saved policy it then uses)."""
    from pathlib import Path

    from .. import AuditLog, ConfirmationGuard, SqliteActionStore

    if args.store is None:
        return ConfirmationGuard(None, AuditLog(args.audit) if args.audit else None, client=client)
    store = Path(args.store)
    audit = Path(args.audit) if args.audit else store.with_suffix(".audit.jsonl")
    return ConfirmationGuard(None, AuditLog(audit), client=client, store=SqliteActionStore(store))


def _serve_stdio(server: Any) -> None:
    import anyio
    from mcp.server.stdio import stdio_server

    async def run() -> None:
        async with stdio_server() as (read, write):
            await server.run(read, write, server.create_initialization_options())

    anyio.run(run)


def _serve_http(server: Any, port: int) -> None:
    """Streamable HTTP at ``http://127.0.0.1:PORT/mcp`` (loopback only)."""
    import contextlib

    import uvicorn
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
    from starlette.applications import Starlette
    from starlette.routing import Mount

    manager = StreamableHTTPSessionManager(app=server, stateless=False)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        async with manager.run():
            yield

    app = Starlette(routes=[Mount("/mcp", app=manager.handle_request)], lifespan=lifespan)
    print(f"PayCombat MCP server on http://127.0.0.1:{port}/mcp", file=sys.stderr, flush=True)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    sys.exit(main())
