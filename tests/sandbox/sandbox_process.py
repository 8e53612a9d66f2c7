"""``python -m paycombat_tools.sandbox`` as a real OS process: the settings it prints, clients on it, stop or kill -9."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from paycombat_tools import PayCombat
from tests.sandbox.helpers import FAST_RETRY

REPO = Path(__file__).resolve().parents[2]
SETTINGS = ("PAYCOMBAT_BASE_URL", "PAYCOMBAT_TOKEN", "PAYCOMBAT_SIGNATURE_KEY")


class SandboxProcess:
    """The standalone sandbox on ``db`` (``--port 0``), started and ready once its credentials are printed."""

    def __init__(self, db: Path, *, seed: int | None = None, startup_timeout: float = 30) -> None:
        command = [sys.executable, "-m", "paycombat_tools.sandbox", "--port", "0", "--db", str(db)]
        if seed is not None:
            command += ["--seed", str(seed)]
        self.command = command
        self.process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.output: list[str] = []  # everything it printed, for failure messages
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        self.settings = self._read_settings(startup_timeout)

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line.rstrip("\n"))
            self._lines.put(line.rstrip("\n"))

    def _read_settings(self, timeout: float) -> dict[str, str]:
        settings: dict[str, str] = {}
        deadline = time.monotonic() + timeout
        while not set(SETTINGS) <= set(settings):
            try:
                line = self._lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                self.kill()
                raise AssertionError(f"the sandbox printed no credentials in {timeout} s: {self.output}") from None
            key, sep, value = line.partition("=")
            if sep and key.startswith("PAYCOMBAT_"):
                settings[key] = value
        return settings

    @property
    def url(self) -> str:
        return self.settings["PAYCOMBAT_BASE_URL"]

    def client(self, **options: Any) -> PayCombat:
        """A client on this process (fast retries unless ``retry=`` says otherwise)."""
        options.setdefault("retry", FAST_RETRY)
        return PayCombat(self.settings["PAYCOMBAT_TOKEN"], self.settings["PAYCOMBAT_SIGNATURE_KEY"], self.url,
                         **options)

    def kill(self) -> None:
        """``kill -9``: no shutdown code runs; returns once the process is gone."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not gone within 10 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
