"""Run the sandbox on its own: ``python -m paycombat_tools.sandbox --port 8080 --db sandbox.db``
(or ``paycombat sandbox serve``)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from ._server import Sandbox


def serve(*, host: str = "127.0.0.1", port: int = 8080, db: str = ":memory:", seed: int | None = None,
          demo: bool = False, notification_url: str | None = None, echo: Callable[[str], None] = print) -> None:
    """Start a sandbox, print its URL and credentials (``NAME=value`` lines), serve until Ctrl-C."""
    sandbox = Sandbox(db, seed=seed, host=host, port=port, notification_url=notification_url, demo=demo)
    echo(f"PayCombat sandbox listening on {sandbox.url}")
    echo(f"PAYCOMBAT_BASE_URL={sandbox.url}")
    echo(f"PAYCOMBAT_TOKEN={sandbox.token}")
    echo(f"PAYCOMBAT_SIGNATURE_KEY={sandbox.signature_key}")
    echo(f"Control plane: {sandbox.url}/_sandbox/ (reset, clock, faults, trigger, webhooks; send the X-token)")
    echo("Press Ctrl-C to stop.")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sandbox.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m paycombat_tools.sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (0 picks a free one)")
    parser.add_argument("--db", default=":memory:", help="SQLite file to keep state in (default: in memory)")
    parser.add_argument("--seed", type=int, default=None, help="seed for reproducible ids and credentials")
    parser.add_argument("--demo", action="store_true", help="fill a new database with the demo data set")
    parser.add_argument("--notification-url", default=None, help="default webhook URL for events")
    args = parser.parse_args(argv)
    serve(host=args.host, port=args.port, db=args.db, seed=args.seed, demo=args.demo,
          notification_url=args.notification_url, echo=lambda line: print(line, flush=True))


if __name__ == "__main__":
    main()
