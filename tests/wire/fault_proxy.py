"""A loopback TCP proxy that breaks HTTP exchanges on purpose, between a real client and a real server.

Unlike the sandbox's own fault injection, the faults happen on the wire: the server really commits
and then the answer is lost (FIN or RST), cut in half, stalled past the client's timeout, or never
delivered because the connection is reset before the server sees the request; or the proxy answers
502/503/429 itself. ``plan(fault, times=n)`` applies a fault to the next ``n`` requests; every other
request passes through unchanged.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections import deque

#: Faults after which the server has committed (the request reached it).
AFTER_COMMIT = ("drop_fin", "drop_rst", "half_response", "stalled_body")
#: Faults the server never sees.
BEFORE_SERVER = ("reset_before", "proxy_502", "proxy_503", "proxy_429")
FAULTS = AFTER_COMMIT + BEFORE_SERVER

_CANNED = {
    "proxy_502": b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: 11\r\n\r\nbad gateway",
    "proxy_503": b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n",
    "proxy_429": b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 0\r\nContent-Length: 0\r\n\r\n",
}


class FaultProxy:
    """Listens on 127.0.0.1; forwards each request on its own upstream connection, faults as planned."""

    def __init__(self, upstream_url: str, *, stall_seconds: float = 1.0) -> None:
        host, _, port = upstream_url.removeprefix("http://").partition(":")
        self.upstream = (host, int(port.split("/")[0]))
        self.stall_seconds = stall_seconds
        self._plan: deque[str] = deque()
        self._lock = threading.Lock()
        self.applied: list[str] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._closed = False
        threading.Thread(target=self._accept, daemon=True, name="fault-proxy").start()

    def plan(self, fault: str, times: int = 1) -> None:
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}")
        with self._lock:
            self._plan.extend([fault] * times)

    def clear(self) -> None:
        with self._lock:
            self._plan.clear()
            self.applied.clear()

    def close(self) -> None:
        self._closed = True
        self._listener.close()

    # -- the proxy ------------------------------------------------------------------------------

    def _next_fault(self) -> str | None:
        with self._lock:
            fault = self._plan.popleft() if self._plan else None
            if fault:
                self.applied.append(fault)
            return fault

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with client:
            buffer = b""
            while True:
                fault = None
                try:
                    request, buffer = _read_request(client, buffer)
                    if request is None:
                        return
                    fault = self._next_fault()
                    if fault == "reset_before":
                        return _reset(client)
                    if fault in _CANNED:
                        client.sendall(_CANNED[fault])
                        continue
                    response = _exchange(self.upstream, request)
                    if fault == "drop_fin":
                        return  # the with-block closes: a FIN, no answer
                    if fault == "drop_rst":
                        return _reset(client)
                    if fault == "half_response":
                        client.sendall(response[: len(response) // 2])
                        return
                    if fault == "stalled_body":
                        head, _, body = response.partition(b"\r\n\r\n")
                        client.sendall(head + b"\r\n\r\n" + body[: len(body) // 2])
                        time.sleep(self.stall_seconds)
                        return
                    client.sendall(response)
                except OSError:
                    return


def _read_request(sock: socket.socket, buffer: bytes) -> tuple[bytes | None, bytes]:
    """One whole HTTP/1.1 request (headers + Content-Length body) from the client, or None at EOF."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            return None, b""
        buffer += chunk
    head, _, rest = buffer.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None, b""
        rest += chunk
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    request = b"\r\n".join(lines) + b"\r\nConnection: close\r\n\r\n" + rest[:length]
    return request, rest[length:]


def _exchange(upstream: tuple[str, int], request: bytes) -> bytes:
    """Send the request to the server on a fresh connection and read its whole answer (it closes)."""
    with socket.create_connection(upstream, timeout=30) as server:
        server.sendall(request)
        parts = []
        while chunk := server.recv(65536):
            parts.append(chunk)
    response = b"".join(parts)
    head, sep, body = response.partition(b"\r\n\r\n")  # tell the client the connection stays open
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    return b"\r\n".join(lines) + sep + body


def _reset(sock: socket.socket) -> None:
    """Close with RST instead of FIN (SO_LINGER 0)."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
