"""Where a ``ConfirmationGuard`` keeps its actions: in memory (the default) or in a SQLite file shared by processes.

A store holds each action's snapshot, its sealed bytes (what runs, byte for byte), its state and who
claimed its execution. Every decision happens inside ``store.transaction()``: for SQLite that is
``BEGIN IMMEDIATE`` (one writer across every process on the file), so a decision and the day cap it
is checked against are read and written together. ``claim`` is a single ``UPDATE … WHERE`` so two
executors can never both run one approved action.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from paycombat_tools.catalog import CATALOG
from paycombat_tools.redaction import redact_value

from .actions import ActionStatus, PendingAction
from .policy import Money

__all__ = ["ActionStore", "MemoryActionStore", "SqliteActionStore", "StoredAction"]


@dataclass
class StoredAction:
    """One action as stored: its snapshot, the sealed bytes, the intent digest and the executor's claim."""

    action: PendingAction
    sealed: bytes  # canonical JSON of {"operation", "arguments"[, "payee"]}: what runs, byte for byte
    intent: str  # digest without the idempotency reference, to spot repeated proposals
    claimed_by: str | None = None  # the executor that took the approved action to run it


@runtime_checkable
class ActionStore(Protocol):
    """What a guard needs from a store. ``durable`` stores can be shared by processes and survive restarts."""

    durable: bool

    def transaction(self) -> Any:
        """A context manager: everything inside is one atomic, exclusive unit (re-entrant in one thread)."""

    def add(self, stored: StoredAction) -> None: ...

    def save(self, stored: StoredAction) -> None: ...

    def get(self, action_id: str) -> StoredAction | None: ...

    def all(self) -> list[StoredAction]: ...

    def claim(self, action_id: str, executor: str) -> bool:
        """Atomically take an APPROVED, unclaimed action to execute it; False if someone else has."""

    def close(self) -> None: ...


def _copy(stored: StoredAction) -> StoredAction:
    return replace(stored, action=replace(stored.action, facts=dict(stored.action.facts)))


class MemoryActionStore:
    """Actions in this process's memory: lost on exit, seen only by guards holding this object."""

    durable = False

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._items: dict[str, StoredAction] = {}

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            yield

    def add(self, stored: StoredAction) -> None:
        with self._lock:
            if stored.action.action_id in self._items:
                raise ValueError(f"action {stored.action.action_id} is already stored")
            self._items[stored.action.action_id] = _copy(stored)

    def save(self, stored: StoredAction) -> None:
        with self._lock:
            self._items[stored.action.action_id] = _copy(stored)

    def get(self, action_id: str) -> StoredAction | None:
        with self._lock:
            found = self._items.get(action_id)
            return _copy(found) if found is not None else None

    def all(self) -> list[StoredAction]:
        with self._lock:
            return [_copy(stored) for stored in self._items.values()]

    def claim(self, action_id: str, executor: str) -> bool:
        with self._lock:
            found = self._items.get(action_id)
            if found is None or found.action.status is not ActionStatus.APPROVED or found.claimed_by is not None:
                return False
            found.claimed_by = executor
            return True

    def close(self) -> None:
        pass

    def __repr__(self) -> str:
        return f"<MemoryActionStore {len(self._items)} action(s)>"


_SCHEMA = """
CREATE TABLE IF NOT EXISTS actions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id TEXT NOT NULL UNIQUE,
    intent TEXT NOT NULL,
    status TEXT NOT NULL,
    sealed BLOB NOT NULL,
    snapshot TEXT NOT NULL,
    result TEXT,
    claimed_by TEXT
);
CREATE INDEX IF NOT EXISTS actions_by_status ON actions (status, intent);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class SqliteActionStore:
    """Actions in a SQLite file (WAL, busy timeout): every guard over the same file, in any process, sees them.

    Results are kept as the operation's response model data with anything secret-looking redacted
    (a checkout_url's merchant token), and rebuilt as that model when read.
    """

    durable = True

    def __init__(self, path: str | Path, *, busy_timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._depth = 0
        self._db = sqlite3.connect(str(self.path), timeout=busy_timeout, isolation_level=None,
                                   check_same_thread=False)
        self._db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")
        with self.transaction():
            for statement in _statements(_SCHEMA):
                self._db.execute(statement)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """``BEGIN IMMEDIATE`` … ``COMMIT`` (rolled back on error); nested calls join the outer one."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._depth = 0
                self._db.execute("ROLLBACK")
                raise
            self._depth = 0
            self._db.execute("COMMIT")

    def add(self, stored: StoredAction) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT INTO actions (action_id, intent, status, sealed, snapshot, result, claimed_by) "
                "VALUES (?,?,?,?,?,?,?)",
                (stored.action.action_id, stored.intent, stored.action.status.value, stored.sealed,
                 _snapshot_json(stored.action), _result_json(stored.action), stored.claimed_by))

    def save(self, stored: StoredAction) -> None:
        with self.transaction():
            self._db.execute(
                "UPDATE actions SET status = ?, sealed = ?, snapshot = ?, result = ?, claimed_by = ? "
                "WHERE action_id = ?",
                (stored.action.status.value, stored.sealed, _snapshot_json(stored.action),
                 _result_json(stored.action), stored.claimed_by, stored.action.action_id))

    def get(self, action_id: str) -> StoredAction | None:
        with self._lock:
            row = self._db.execute("SELECT intent, status, sealed, snapshot, result, claimed_by FROM actions "
                                   "WHERE action_id = ?", (action_id,)).fetchone()
        return _row(row) if row else None

    def all(self) -> list[StoredAction]:
        with self._lock:
            rows = self._db.execute("SELECT intent, status, sealed, snapshot, result, claimed_by FROM actions "
                                    "ORDER BY seq").fetchall()
        return [_row(row) for row in rows]

    def claim(self, action_id: str, executor: str) -> bool:
        with self.transaction():
            cursor = self._db.execute("UPDATE actions SET claimed_by = ? WHERE action_id = ? AND status = ? "
                                      "AND claimed_by IS NULL", (executor, action_id, ActionStatus.APPROVED.value))
            return cursor.rowcount == 1

    def save_policy(self, data: Mapping[str, Any]) -> None:
        """Keep the guard's policy with the actions: a guard opened without one (the approvals CLI) uses it."""
        with self.transaction():
            self._db.execute("INSERT INTO settings (key, value) VALUES ('policy', ?) ON CONFLICT (key) DO UPDATE "
                             "SET value = excluded.value", (json.dumps(dict(data), sort_keys=True),))

    def load_policy(self) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM settings WHERE key = 'policy'").fetchone()
        data: dict[str, Any] | None = json.loads(row[0]) if row else None
        return data

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __repr__(self) -> str:
        return f"<SqliteActionStore {self.path}>"


def _statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]


# -- (de)serialising snapshots -------------------------------------------------------------------------

def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$decimal": format(value, "f")}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if hasattr(value, "model_dump"):
        return _encode(value.model_dump(mode="python"))
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and "$decimal" in value:
            return Decimal(value["$decimal"])
        if len(value) == 1 and "$datetime" in value:
            return datetime.fromisoformat(value["$datetime"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


_SKIP = {"arguments", "result"}  # arguments come from the sealed bytes; results have their own column


def _snapshot_json(action: PendingAction) -> str:
    data = {f.name: getattr(action, f.name) for f in fields(action) if f.name not in _SKIP}
    data["status"] = action.status.value
    data["money"] = {"amount": action.money.amount, "currency": action.money.currency} if action.money else None
    return json.dumps(_encode(data), ensure_ascii=False, sort_keys=True)


def _result_json(action: PendingAction) -> str | None:
    if action.result is None:
        return None
    dumped = action.result.model_dump(mode="json") if hasattr(action.result, "model_dump") else action.result
    return json.dumps(redact_value(dumped), ensure_ascii=False, sort_keys=True)


def _result(operation: str, text: str | None) -> Any:
    if text is None:
        return None
    data = json.loads(text)
    model = CATALOG[operation].response_model
    if model is not None and isinstance(data, dict):
        try:
            return model.model_validate(data)
        except ValueError:
            pass
    return data


def _row(row: tuple[Any, ...]) -> StoredAction:
    intent, status, sealed, snapshot, result, claimed_by = row
    data = _decode(json.loads(snapshot))
    money = data.pop("money")
    data["status"] = ActionStatus(status)
    data["money"] = Money(Decimal(money["amount"]), money["currency"]) if money else None
    action = PendingAction(arguments={}, result=_result(data["operation"], result), **data)
    return StoredAction(action, bytes(sealed), intent, claimed_by)
