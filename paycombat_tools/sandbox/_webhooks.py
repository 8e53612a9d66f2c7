"""Webhook delivery: signed POSTs with ``X-Signature``, retried with backoff, every attempt recorded."""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Sequence
from typing import Any

import requests

from ..signing import sign
from ._registry import Outgoing
from ._store import Store, iso

DEFAULT_BACKOFF = (0.2, 0.5, 1.0, 2.0, 4.0)


class WebhookDispatcher:
    """A background thread that delivers events in order of due time and records each attempt."""

    def __init__(self, store: Store, signature_key: str, *, backoff: Sequence[float] = DEFAULT_BACKOFF,
                 timeout: float = 5.0) -> None:
        self.store = store
        self._key = signature_key
        self.backoff = tuple(backoff)
        self.timeout = timeout
        self._queue: list[tuple[float, int, str, Outgoing, int]] = []
        self._counter = itertools.count()
        self._cond = threading.Condition()
        self._inflight = 0
        self._closed = False
        #: how often the delivery thread woke up (a request that queues nothing never wakes it)
        self.wakeups = 0
        self._session = requests.Session()
        self._thread = threading.Thread(target=self._run, name="sandbox-webhooks", daemon=True)
        self._thread.start()

    def send(self, events: list[Outgoing]) -> None:
        """Queue deliveries; the thread sleeps until one is queued or a retry falls due (no wake per request)."""
        if not events:
            return
        with self._cond:
            for event in events:
                event_id = f"webhook_{self.store.hex32()}"
                heapq.heappush(self._queue, (time.monotonic(), next(self._counter), event_id, event, 1))
            self._cond.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every queued delivery (including retries) is done; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._queue or self._inflight:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(min(remaining, 0.05))
        return True

    def discard_pending(self, timeout: float = 10.0) -> None:
        """Drop every queued delivery and retry (a reset); an attempt already on the wire finishes first."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._queue.clear()
            while self._inflight and time.monotonic() < deadline:
                self._cond.wait(0.05)
            self._queue.clear()  # the retry that finished attempt may just have queued
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join(timeout=2)
        self._session.close()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._closed and (not self._queue or self._queue[0][0] > time.monotonic()):
                    wait = self._queue[0][0] - time.monotonic() if self._queue else None
                    self._cond.wait(wait)
                    self.wakeups += 1
                if self._closed:
                    return
                _, _, event_id, event, attempt = heapq.heappop(self._queue)
                self._inflight += 1
            try:
                delivered = self._attempt(event_id, event, attempt)
            finally:
                with self._cond:
                    self._inflight -= 1
                    if not delivered and attempt <= len(self.backoff):
                        due = time.monotonic() + self.backoff[attempt - 1]
                        heapq.heappush(self._queue, (due, next(self._counter), event_id, event, attempt + 1))
                    self._cond.notify_all()

    def _attempt(self, event_id: str, event: Outgoing, attempt: int) -> bool:
        status_code, error = None, None
        try:
            response = self._session.post(
                event.url, data=event.body, timeout=self.timeout,
                headers={"Content-Type": "application/json", "X-Signature": sign(event.body, self._key),
                         "X-Webhook-Id": event_id, "User-Agent": "PayCombat-Sandbox-Webhooks"},
            )
            status_code = response.status_code
        except requests.RequestException as exc:
            error = type(exc).__name__
        delivered = status_code is not None and 200 <= status_code < 300
        with self.store.transaction():
            self.store.db.execute(
                "INSERT INTO webhook_attempts (event_id, url, event_type, attempt, status_code, error, delivered, at, "
                "body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (event_id, event.url, event.event_type, attempt, status_code, error, int(delivered),
                 iso(self.store.now()), event.body.decode("utf-8")),
            )
        return delivered


def attempts(store: Store) -> list[dict[str, Any]]:
    """Every delivery attempt, oldest first."""
    rows = store.db.execute("SELECT * FROM webhook_attempts ORDER BY seq").fetchall()
    return [{**dict(row), "delivered": bool(row["delivered"])} for row in rows]
