"""Ask a real Node.js what ``JSON.stringify(JSON.parse(text))`` gives, and how it signs it.

One long-lived ``node`` process serves every request. Each request and reply is one line of
base64, so any text (newlines, U+2028/U+2029, NUL, invalid UTF-8) crosses the pipe intact.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import threading

# Request line:  <op> <base64 key> <base64 UTF-8 text>   (op is "sp" or "sign")
# Reply line:    ok <base64 result>  |  err <base64 message>
_SCRIPT = r"""
'use strict';
const crypto = require('crypto');
const readline = require('readline');
const rl = readline.createInterface({ input: process.stdin, terminal: false, crlfDelay: Infinity });
const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');
rl.on('line', (line) => {
  let reply;
  try {
    const [op, key64, text64] = line.split(' ');
    const text = Buffer.from(text64, 'base64').toString('utf8');
    const out = JSON.stringify(JSON.parse(text));
    if (op === 'sp') {
      reply = 'ok ' + b64(out);
    } else if (op === 'sign') {
      const key = Buffer.from(key64, 'base64').toString('utf8');
      reply = 'ok ' + b64(crypto.createHmac('sha256', key).update(out).digest('hex'));
    } else {
      reply = 'err ' + b64('unknown op ' + op);
    }
  } catch (e) {
    reply = 'err ' + b64(String(e && e.stack || e));
  }
  process.stdout.write(reply + '\n');
});
"""


class NodeError(RuntimeError):
    """Node could not answer (not installed, crashed, or JSON.parse rejected the text)."""


class NodeOracle:
    """A ``node`` subprocess answering ``JSON.stringify(JSON.parse(text))`` questions."""

    def __init__(self, node: str = "node") -> None:
        executable = shutil.which(node)
        if executable is None:
            raise NodeError(
                f"{node!r} is not on PATH; the canonical JSON tests need Node.js (>= 18) as the oracle"
            )
        self._lock = threading.Lock()
        self._proc = subprocess.Popen(
            [executable, "-e", _SCRIPT],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.version = self._ask_version(executable)

    @staticmethod
    def _ask_version(executable: str) -> str:
        return subprocess.run(
            [executable, "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()

    def stringify_parse(self, text: bytes) -> bytes:
        """UTF-8 bytes of Node's ``JSON.stringify(JSON.parse(text))``."""
        return self._request("sp", "", text)

    def sign(self, key: str, text: bytes) -> str:
        """Node's ``createHmac('sha256', key).update(JSON.stringify(JSON.parse(text))).digest('hex')``."""
        return self._request("sign", key, text).decode("ascii")

    def _request(self, op: str, key: str, text: bytes) -> bytes:
        key64 = base64.b64encode(key.encode("utf-8")).decode("ascii")
        text64 = base64.b64encode(bytes(text)).decode("ascii")
        line = f"{op} {key64} {text64}\n"
        with self._lock:
            proc = self._proc
            if proc.poll() is not None:
                raise NodeError(f"node exited with {proc.returncode}: {self._stderr()}")
            assert proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.write(line.encode("ascii"))
                proc.stdin.flush()
                reply = proc.stdout.readline()
            except BrokenPipeError:
                reply = b""
            if not reply:
                proc.wait(timeout=5)
                raise NodeError(f"node exited with {proc.returncode}: {self._stderr()}")
        status, _, payload64 = reply.decode("ascii").rstrip("\n").partition(" ")
        payload = base64.b64decode(payload64)
        if status != "ok":
            raise NodeError(f"node refused {bytes(text)!r}: {payload.decode('utf-8', 'replace')}")
        return payload

    def _stderr(self) -> str:
        assert self._proc.stderr is not None
        return self._proc.stderr.read().decode("utf-8", "replace")

    def close(self) -> None:
        """Stop the node process (idempotent)."""
        proc = self._proc
        if proc.poll() is None:
            assert proc.stdin is not None
            proc.stdin.close()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()

    def __enter__(self) -> NodeOracle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
