"""Servers for the sandbox benchmarks, each in its own OS process: the standalone sandbox and a bare Werkzeug hello.

The client loops run in the benchmark's process, so client and server never share a GIL.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

#: A bare Werkzeug app (same ``make_server(threaded=True)`` as the sandbox) answering a small JSON envelope.
HELLO = """
import logging, sys
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response
def app(environ, start_response):
    Request(environ).get_data()
    return Response(b'{"status":true,"message":"OK","data":{"id":"1"}}', 200,
                    content_type="application/json")(environ, start_response)
logging.getLogger("werkzeug").setLevel(logging.WARNING)
server = make_server("127.0.0.1", 0, app, threaded=True)
print(f"PAYCOMBAT_BASE_URL=http://127.0.0.1:{server.server_port}", flush=True)
server.serve_forever()
"""


class ServerProcess:
    """A server subprocess that prints ``PAYCOMBAT_*=value`` lines once it listens."""

    def __init__(self, command: list[str], wanted: tuple[str, ...] = ("PAYCOMBAT_BASE_URL",)) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, env=env)
        lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []

        def pump() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                self.output.append(line.rstrip("\n"))
                lines.put(line.rstrip("\n"))

        threading.Thread(target=pump, daemon=True).start()
        self.settings: dict[str, str] = {}
        while not set(wanted) <= set(self.settings):
            try:
                line = lines.get(timeout=120)
            except queue.Empty:
                self.stop()
                raise RuntimeError(f"server printed no settings: {self.output}") from None
            key, sep, value = line.partition("=")
            if sep and key.startswith("PAYCOMBAT_"):
                self.settings[key] = value

    @property
    def url(self) -> str:
        return self.settings["PAYCOMBAT_BASE_URL"]

    def client(self, **options: Any) -> Any:
        """A ``PayCombat`` client on this sandbox (its printed token and signature key)."""
        from paycombat_tools import PayCombat

        return PayCombat(self.settings["PAYCOMBAT_TOKEN"], self.settings["PAYCOMBAT_SIGNATURE_KEY"], self.url,
                         **options)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> "ServerProcess":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def hello() -> ServerProcess:
    return ServerProcess([sys.executable, "-c", HELLO])


def sandbox(db: str | None = None, *, seed: int | None = None) -> ServerProcess:
    """The standalone sandbox (in memory unless ``db`` names a file), once it prints its credentials."""
    command = [sys.executable, "-m", "paycombat_tools.sandbox", "--port", "0", *(["--db", db] if db else [])]
    if seed is not None:
        command += ["--seed", str(seed)]
    return ServerProcess(command, ("PAYCOMBAT_BASE_URL", "PAYCOMBAT_TOKEN", "PAYCOMBAT_SIGNATURE_KEY"))
