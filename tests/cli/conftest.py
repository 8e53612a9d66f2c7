"""The ``paycombat`` command as users run it: subprocesses against a standalone sandbox it served itself.

``cli(...)`` runs one command to completion; ``spawn(...)`` starts a long-running one (``listen``);
``served`` is ``paycombat sandbox serve --port 0`` on a temp database; ``app`` is a local web app
that records every request exactly (headers and bytes) and answers as the test scripts it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.standalone import Child, StandaloneSandbox, standalone

REPO = Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, "-m", "paycombat_tools.cli"]
TIMEOUT = 30.0


def environment(sandbox: StandaloneSandbox | None = None, **extra: str) -> dict[str, str]:
    """This checkout first on the path, no PAYCOMBAT_* from the outside, plus the sandbox's credentials."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PAYCOMBAT_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    if sandbox is not None:
        env.update({"PAYCOMBAT_BASE_URL": sandbox.url, "PAYCOMBAT_TOKEN": sandbox.token,
                    "PAYCOMBAT_SIGNATURE_KEY": sandbox.key})
    env.update(extra)
    return env


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``cli("call", "payouts.retrieve", id, env=environment(served))``: one finished command (cwd: a temp dir)."""

    def run(*args: str, env: dict[str, str] | None = None,
            stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*COMMAND, *args], cwd=tmp_path, env=env if env is not None else environment(),
                              input=stdin, capture_output=True, text=True, timeout=TIMEOUT)

    return run


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Callable[..., Child]]:
    """``spawn("listen", "--forward-to", url, env=...)``: a running command, stopped with Ctrl-C afterwards."""
    children: list[Child] = []

    def start(*args: str, env: dict[str, str]) -> Child:
        child = Child([*COMMAND, *args], cwd=tmp_path, env=env)
        children.append(child)
        return child

    yield start
    for child in children:
        child.stop()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StandaloneSandbox]:
    """``paycombat sandbox serve --port 0 --seed 7 --db <tmp>``, its printed credentials read back."""
    where = tmp_path_factory.mktemp("served")
    with standalone([*COMMAND, "sandbox", "serve", "--port", "0", "--seed", "7", "--db", str(where / "s.db")],
                    cwd=where, env=environment()) as sandbox:
        yield sandbox


class App:
    """A merchant's webhook endpoint: keeps (headers, bytes) of every POST and answers from ``answers``."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        #: (status, body) per request in turn; the last one repeats
        self.answers: list[tuple[int, bytes]] = [(200, b'{"received": true}')]
        self._cond = threading.Condition()
        app = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with app._cond:
                    app.received.append((dict(self.headers.items()), body))
                    status, answer = app.answers[min(len(app.received), len(app.answers)) - 1]
                    app._cond.notify_all()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}/payments/webhook"
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def wait(self, count: int, timeout: float = 10.0) -> list[tuple[dict[str, str], bytes]]:
        with self._cond:
            assert self._cond.wait_for(lambda: len(self.received) >= count, timeout), self.received
            return list(self.received)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def app() -> Iterator[App]:
    receiver = App()
    yield receiver
    receiver.close()
