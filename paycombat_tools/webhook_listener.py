"""``WebhookListener``: a tiny local receiver that verifies and collects webhooks as they arrive."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .webhooks import SIGNATURE_HEADER, parse_webhook, verify_webhook


class WebhookListener:
    """Listens on a loopback port; every POST is checked with ``verify_webhook`` and kept in ``events``.

    ``with WebhookListener(signature_key) as listener: ... listener.wait_for(lambda e: e.status == "SUCCESS")``
    """

    def __init__(self, signature_key: str, *, host: str = "127.0.0.1", port: int = 0,
                 fail_first: int = 0) -> None:
        self._key = signature_key
        self.events: list[Any] = []
        self.rejected: list[bytes] = []
        self._fail_remaining = fail_first
        self._cond = threading.Condition()
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self.url = f"http://{host}:{self._server.server_port}/webhooks"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="webhook-listener", daemon=True)  # closes in ~50 ms, not 0.5 s
        self._thread.start()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(listener._receive(body, self.headers.get(SIGNATURE_HEADER)))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def _receive(self, body: bytes, signature: str | None) -> int:
        with self._cond:
            if self._fail_remaining > 0:  # lets tests watch the sender retry
                self._fail_remaining -= 1
                return 503
            if not verify_webhook(body, signature, self._key):
                self.rejected.append(body)
                return 401
            self.events.append(parse_webhook(body))
            self._cond.notify_all()
            return 200

    def wait_for(self, predicate: Callable[[Any], bool] = lambda event: True, timeout: float = 10.0) -> Any:
        """The first received event matching ``predicate``; raises TimeoutError if none arrives in time."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for event in self.events:
                    if predicate(event):
                        return event
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("no matching webhook arrived in time")
                self._cond.wait(remaining)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "WebhookListener":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<WebhookListener {self.url} events={len(self.events)}>"
