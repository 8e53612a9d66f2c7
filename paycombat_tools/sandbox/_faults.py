"""Fault injection for tests: latency, 5xx and 429 answers, and "commit, then drop the connection"."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field


@dataclass
class Faults:
    """Rates are probabilities per API request; ``operations`` limits them to some operations."""

    latency: float = 0.0
    error_rate: float = 0.0
    rate_limit_rate: float = 0.0
    drop_after_commit_rate: float = 0.0
    retry_after: float = 0.0
    operations: frozenset[str] | None = None
    seed: int | None = None
    _planned: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def plan(self, operation: str, *faults: str) -> None:
        """Queue one-shot faults ("drop_after_commit", "error", "rate_limit") for an operation's next calls."""
        with self._lock:
            self._planned.setdefault(operation, []).extend(faults)

    def planned(self) -> dict[str, list[str]]:
        """The one-shot faults still queued, per operation."""
        with self._lock:
            return {operation: list(faults) for operation, faults in self._planned.items() if faults}

    def clear_plan(self) -> None:
        """Drop every queued one-shot fault."""
        with self._lock:
            self._planned.clear()

    def draw(self, operation: str) -> str | None:
        """The fault to apply to this call of ``operation``, if any."""
        with self._lock:
            planned = self._planned.get(operation)
            if planned:
                return planned.pop(0)
            if self.operations is not None and operation not in self.operations:
                return None
            roll = self._rng.random()
        for name, rate in (("rate_limit", self.rate_limit_rate), ("error", self.error_rate),
                           ("drop_after_commit", self.drop_after_commit_rate)):
            if roll < rate:
                return name
            roll -= rate
        return None
