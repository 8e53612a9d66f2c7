"""Run the sandbox on its own: ``python -m paycombat_tools.sandbox --port 8080 --db sandbox.db``."""

from __future__ import annotations

import argparse
import time

from ._server import Sandbox


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m paycombat_tools.sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (0 picks a free one)")
    parser.add_argument("--db", default=":memory:", help="SQLite file to keep state in (default: in memory)")
    parser.add_argument("--seed", type=int, default=None, help="seed for reproducible ids and credentials")
    parser.add_argument("--demo", action="store_true", help="fill a new database with the demo data set")
    parser.add_argument("--notification-url", default=None, help="default webhook URL for events")
    args = parser.parse_args(argv)
    sandbox = Sandbox(args.db, seed=args.seed, host=args.host, port=args.port,
                      notification_url=args.notification_url, demo=args.demo)
    print(f"PayCombat sandbox listening on {sandbox.url}")
    print(f"PAYCOMBAT_BASE_URL={sandbox.url}")
    print(f"PAYCOMBAT_TOKEN={sandbox.token}")
    print(f"PAYCOMBAT_SIGNATURE_KEY={sandbox.signature_key}")
    print("Press Ctrl-C to stop.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sandbox.close()


if __name__ == "__main__":
    main()
