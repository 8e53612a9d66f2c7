"""Child processes for tests that need the real thing as a separate program: the standalone sandbox
(``python -m paycombat_tools.sandbox`` or ``paycombat sandbox serve``) and long-running CLI commands.

A ``Child``'s stdout and stderr are read line by line in the background, so a test can wait for a line
(the sandbox's banner, ``listen``'s "Ready") and read everything printed once it stops. Children are
stopped with Ctrl-C (SIGINT) first, then terminated, then killed: only that process, by its pid.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from paycombat_tools import PayCombat

START_TIMEOUT = 20.0
STOP_TIMEOUT = 5.0
BANNER_END = "Press Ctrl-C"
CREDENTIALS = ("PAYCOMBAT_BASE_URL", "PAYCOMBAT_TOKEN", "PAYCOMBAT_SIGNATURE_KEY")


class Child:
    """A running program whose output lines are collected as they come."""

    def __init__(self, command: list[str], *, cwd: Path | str, env: Mapping[str, str] | None = None) -> None:
        self.command = command
        self.process = subprocess.Popen(
            command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1,
            env={**(env if env is not None else os.environ), "PYTHONUNBUFFERED": "1"},
            # a background job's children start with SIGINT ignored; they stop cleanly on Ctrl-C only
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        self.lines: list[str] = []
        self.errors: list[str] = []
        self._cond = threading.Condition()
        self._readers = [threading.Thread(target=self._read, args=(stream, sink), daemon=True)
                         for stream, sink in ((self.process.stdout, self.lines), (self.process.stderr, self.errors))]
        for reader in self._readers:
            reader.start()

    def _read(self, stream: object, sink: list[str]) -> None:
        for line in stream:  # type: ignore[attr-defined]
            with self._cond:
                sink.append(line.rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def wait_for_line(self, prefix: str, timeout: float = START_TIMEOUT) -> list[str]:
        """Every stdout line so far, once one starts with ``prefix``; RuntimeError if the child ends or stalls."""
        with self._cond:
            found = self._cond.wait_for(
                lambda: any(line.startswith(prefix) for line in self.lines) or self.process.poll() is not None,
                timeout)
            if found and any(line.startswith(prefix) for line in self.lines):
                return list(self.lines)
        self.stop()
        raise RuntimeError(f"{' '.join(self.command[:4])}... printed no {prefix!r} line within {timeout:g}s "
                           f"(exit code {self.process.returncode}); stdout:\n" + "\n".join(self.lines[-40:])
                           + "\nstderr:\n" + "\n".join(self.errors[-40:]))

    def wait_for_text(self, text: str, timeout: float = START_TIMEOUT) -> str:
        """The first stdout line containing ``text``, waiting for it."""
        with self._cond:
            if self._cond.wait_for(lambda: any(text in line for line in self.lines), timeout):
                return next(line for line in self.lines if text in line)
        raise AssertionError(f"no line with {text!r} within {timeout:g}s; stdout:\n" + "\n".join(self.lines[-40:]))

    def stop(self) -> int:
        """Ctrl-C, then terminate, then kill; returns the exit code once every line is read."""
        process = self.process
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.terminate()
                try:
                    process.wait(STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(STOP_TIMEOUT)
        for reader in self._readers:
            reader.join(STOP_TIMEOUT)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
        return process.returncode


@dataclass(frozen=True)
class StandaloneSandbox:
    url: str
    token: str
    key: str
    process: subprocess.Popen[str]

    def client(self) -> PayCombat:
        """The Python client on the same sandbox (to check what the foreign client did)."""
        return PayCombat(self.token, self.key, self.url)

    def env(self, **extra: str) -> dict[str, str]:
        """An environment for a foreign script or a CLI command: the credentials as PAYCOMBAT_* variables."""
        return {**os.environ, "PAYCOMBAT_BASE_URL": self.url, "PAYCOMBAT_TOKEN": self.token,
                "PAYCOMBAT_SIGNATURE_KEY": self.key, **extra}

    def __repr__(self) -> str:  # never show the credentials in a failure report
        return f"<StandaloneSandbox {self.url} pid={self.process.pid}>"


@contextmanager
def standalone(command: list[str], *, cwd: Path | str, env: Mapping[str, str] | None = None
               ) -> Iterator[StandaloneSandbox]:
    """Start a sandbox program, read the URL and credentials it prints, stop it afterwards."""
    child = Child(command, cwd=cwd, env=env)
    try:
        lines = child.wait_for_line(BANNER_END)
        printed = dict(line.split("=", 1) for line in lines if "=" in line and line.startswith("PAYCOMBAT_"))
        missing = set(CREDENTIALS) - printed.keys()
        if missing:
            raise RuntimeError(f"the standalone sandbox did not print {sorted(missing)}")
        if not printed["PAYCOMBAT_BASE_URL"].startswith("http://127.0.0.1:"):
            raise RuntimeError(f"the standalone sandbox is not on loopback: {printed['PAYCOMBAT_BASE_URL']}")
        yield StandaloneSandbox(*(printed[name] for name in CREDENTIALS), child.process)
    finally:
        child.stop()
