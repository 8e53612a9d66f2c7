"""Foreign clients (PHP, Node.js) against the STANDALONE sandbox, as a separate process.

``standalone_sandbox`` starts ``python -m paycombat_tools.sandbox --host 127.0.0.1 --port 0 --db <tmp>``
(port 0: the sandbox binds a free loopback port itself, so there is no pick-then-bind race), reads the
URL and credentials it prints, and stops it with Ctrl-C (SIGINT) afterwards (``tests.standalone``).

``run_script`` runs a foreign script with the credentials in its environment (never on its command
line) and parses its stdout: one JSON object per line.

A missing interpreter fails the test in CI (``CI`` set) and skips it elsewhere, saying how to
install it (``bash scripts/install-foreign.sh``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.standalone import StandaloneSandbox, standalone

__all__ = ["StandaloneSandbox", "describe", "missing_tool", "run_script"]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SCRIPT_TIMEOUT = 30.0


def missing_tool(reason: str) -> None:
    """Fail in CI (the tool is part of the suite there), skip elsewhere with the reason."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip; "
                    f"CI must run `bash scripts/install-foreign.sh`)", pytrace=False)
    pytest.skip(f"{reason}; install it with `bash scripts/install-foreign.sh`")


@pytest.fixture(scope="module")
def php() -> str:
    """The ``php`` CLI, with the curl extension the gateway script needs."""
    executable = shutil.which("php")
    if executable is None:
        missing_tool("php is not on PATH (Debian: php-cli php-curl)")
    assert executable is not None
    probe = subprocess.run([executable, "-r", 'echo function_exists("curl_init") ? "yes" : "no";'],
                           capture_output=True, text=True, timeout=SCRIPT_TIMEOUT)
    if probe.stdout.strip() != "yes":
        missing_tool(f"php at {executable} has no curl extension (Debian: php-curl)")
    return executable


@pytest.fixture(scope="module")
def node() -> str:
    """``node`` >= 18 (global ``fetch``)."""
    executable = shutil.which("node")
    if executable is None:
        missing_tool("node is not on PATH (Node.js >= 18 is needed)")
    assert executable is not None
    version = subprocess.run([executable, "-p", "process.versions.node"], capture_output=True, text=True,
                             timeout=SCRIPT_TIMEOUT).stdout.strip()
    if int(version.split(".")[0] or 0) < 18:
        missing_tool(f"node {version} has no global fetch; Node.js >= 18 is needed")
    return executable


@pytest.fixture(scope="module")
def standalone_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StandaloneSandbox]:
    """A ``python -m paycombat_tools.sandbox`` process on a free loopback port with a temp SQLite db."""
    db = tmp_path_factory.mktemp("standalone") / "sandbox.db"
    with standalone([sys.executable, "-m", "paycombat_tools.sandbox", "--host", "127.0.0.1", "--port", "0",
                     "--db", str(db)], cwd=REPO) as sandbox:
        yield sandbox


@dataclass(frozen=True)
class ScriptRun:
    """A foreign script's output: one JSON object per line, keyed by its ``call`` name."""

    lines: list[dict[str, Any]]
    stderr: str
    seconds: float

    def by_call(self) -> dict[str, dict[str, Any]]:
        return {line["call"]: line for line in self.lines}


def run_script(command: list[str], sandbox: StandaloneSandbox, **env: str) -> ScriptRun:
    started = time.monotonic()
    finished = subprocess.run(command, cwd=HERE, env=sandbox.env(**env), capture_output=True, text=True,
                              timeout=SCRIPT_TIMEOUT)
    seconds = time.monotonic() - started
    if finished.returncode != 0:
        raise AssertionError(f"{Path(command[1]).name} exited {finished.returncode}\n"
                             f"stdout:\n{finished.stdout[-4000:]}\nstderr:\n{finished.stderr[-4000:]}")
    lines = []
    for number, text in enumerate(finished.stdout.splitlines(), 1):
        try:
            line = json.loads(text)
        except ValueError:
            raise AssertionError(f"{Path(command[1]).name} line {number} is not JSON: {text!r}") from None
        line["body"] = _parse_body(line.get("raw"))
        lines.append(line)
    return ScriptRun(lines, finished.stderr, seconds)


def _parse_body(raw: Any) -> Any:
    """The response text as JSON (numbers exact: Decimal, never float); the text itself if it is not JSON."""
    if not isinstance(raw, str):
        return None
    try:
        return json.loads(raw, parse_float=Decimal)
    except ValueError:
        return raw


def describe(line: dict[str, Any]) -> str:
    """A call's answer for an assertion message: what was sent, and what came back."""
    shown = {key: line.get(key) for key in ("call", "method", "url", "status", "raw", "error", "skipped")}
    return json.dumps(shown, ensure_ascii=False)[:3000]
