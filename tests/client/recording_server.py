"""A real HTTP/1.1 server on 127.0.0.1 that records every request and answers from a script.

Hand-written on ``socketserver`` (not ``http.server``) so a test controls every byte, including
"read the request, then drop the connection without answering". Keep-alive is supported, as
the client's ``requests.Session`` reuses connections.

Answers, in order of precedence:
1. the next queued :class:`Reply` (``server.queue(...)``, ``server.queue_drop()``),
2. ``server.responder(recorded)`` when set and it returns a reply,
3. the default: ``200 {"status": true, "message": "OK", "data": server.default_data}``.
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

from requests.structures import CaseInsensitiveDict

_REASONS = {
    200: "OK", 201: "Created", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
    404: "Not Found", 406: "Not Acceptable", 409: "Conflict", 422: "Unprocessable Entity",
    429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
    503: "Service Unavailable", 504: "Gateway Timeout",
}


@dataclass(frozen=True)
class Recorded:
    """One request exactly as it arrived."""

    method: str
    target: str  # the raw request target, still percent-encoded
    headers: CaseInsensitiveDict[str]
    body: bytes
    received_at: float

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.target).query, keep_blank_values=True)

    @property
    def params(self) -> dict[str, str]:
        """The query with one value per name (the last one)."""
        return {name: values[-1] for name, values in self.query.items()}

    def json(self) -> Any:
        """The body parsed with ``Decimal`` for non-integer numbers."""
        return json.loads(self.body, parse_float=Decimal)


@dataclass(frozen=True)
class Reply:
    """What the server says back (or ``drop=True``: close the socket without answering)."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False
    delay: float = 0.0

    @classmethod
    def envelope(cls, data: Any = None, *, status: int = 200, ok: bool = True, message: str = "OK",
                 headers: dict[str, str] | None = None, **extra: Any) -> "Reply":
        """The API's ``{status, message, data}`` envelope as JSON."""
        payload = {"status": ok, "message": message, "data": data, **extra}
        return cls.json(payload, status=status, headers=headers)

    @classmethod
    def error(cls, status: int, message: str, *, headers: dict[str, str] | None = None) -> "Reply":
        """An error envelope ``{status: false, message, data: null}`` with an HTTP status."""
        return cls.envelope(None, status=status, ok=False, message=message, headers=headers)

    @classmethod
    def json(cls, payload: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> "Reply":
        body = json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
        return cls(status, body, {"Content-Type": "application/json", **(headers or {})})

    @classmethod
    def raw(cls, body: bytes, *, status: int = 200, content_type: str = "text/plain",
            headers: dict[str, str] | None = None) -> "Reply":
        return cls(status, body, {"Content-Type": content_type, **(headers or {})})


DROP = Reply(drop=True)


class _Handler(socketserver.StreamRequestHandler):
    server: "_TCPServer"
    timeout = 30  # a stuck test fails instead of hanging forever

    def setup(self) -> None:
        super().setup()
        self.server.owner._connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        self.server.owner._connections.discard(self.connection)

    def handle(self) -> None:
        owner = self.server.owner
        while True:
            try:
                recorded, keep_alive = self._read_request()
            except (OSError, ValueError):
                return
            if recorded is None:
                return
            reply = owner._record_and_choose(recorded)
            if reply.delay:
                time.sleep(reply.delay)
            if reply.drop:
                self._drop()
                return
            try:
                self._write(reply, keep_alive)
            except OSError:
                return
            if not keep_alive:
                return

    def _read_request(self) -> tuple[Recorded | None, bool]:
        line = self.rfile.readline(65537)
        if not line:
            return None, False
        method, target, version = line.decode("latin-1").rstrip("\r\n").split(" ", 2)
        headers: CaseInsensitiveDict[str] = CaseInsensitiveDict()
        while True:
            header_line = self.rfile.readline(65537)
            if header_line in (b"\r\n", b"\n", b""):
                break
            name, _, value = header_line.decode("latin-1").partition(":")
            headers[name.strip()] = value.strip()
        if headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = self._read_chunked()
        else:
            body = self.rfile.read(int(headers.get("Content-Length") or 0))
        connection = headers.get("Connection", "").lower()
        keep_alive = connection != "close" and (version == "HTTP/1.1" or connection == "keep-alive")
        return Recorded(method, target, headers, body, time.monotonic()), keep_alive

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip(), 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _write(self, reply: Reply, keep_alive: bool) -> None:
        head = [f"HTTP/1.1 {reply.status} {_REASONS.get(reply.status, 'Status')}"]
        headers = {"Content-Length": str(len(reply.body)),
                   "Connection": "keep-alive" if keep_alive else "close", **reply.headers}
        head += [f"{name}: {value}" for name, value in headers.items()]
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + reply.body)
        self.wfile.flush()

    def _drop(self) -> None:
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.connection.close()


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False
    owner: "RecordingServer"


class RecordingServer:
    """A programmable loopback HTTP server; ``url`` is its base URL, ``requests`` what it saw."""

    def __init__(self) -> None:
        self._server = _TCPServer(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._lock = threading.Lock()
        self._requests: list[Recorded] = []
        self._queue: deque[Reply] = deque()
        self._connections: set[socket.socket] = set()
        self._thread: threading.Thread | None = None
        self.responder: Callable[[Recorded], Reply | None] | None = None
        self.default_data: Any = {}
        self.port: int = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"

    # -- scripting -------------------------------------------------------------------------------

    def queue(self, *replies: Reply) -> None:
        """Answer the next requests with these replies, in order."""
        with self._lock:
            self._queue.extend(replies)

    def queue_drop(self, times: int = 1) -> None:
        """Read the next ``times`` requests, then close their connections without answering."""
        self.queue(*([DROP] * times))

    def queue_envelope(self, data: Any, **options: Any) -> None:
        self.queue(Reply.envelope(data, **options))

    # -- what was seen ---------------------------------------------------------------------------

    @property
    def requests(self) -> list[Recorded]:
        with self._lock:
            return list(self._requests)

    @property
    def last(self) -> Recorded:
        with self._lock:
            return self._requests[-1]

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()
            self._queue.clear()

    def _record_and_choose(self, recorded: Recorded) -> Reply:
        with self._lock:
            self._requests.append(recorded)
            if self._queue:
                return self._queue.popleft()
        if self.responder is not None:
            reply = self.responder(recorded)
            if reply is not None:
                return reply
        return Reply.envelope(self.default_data)

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> "RecordingServer":
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"recording-server-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        for connection in list(self._connections):
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "RecordingServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
