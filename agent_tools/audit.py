"""``AuditLog``: an append-only record of every proposal, decision and execution, without secrets.

Two stores: SQLite (a trigger refuses UPDATE and DELETE) or JSON lines (opened in append mode).
Anything that looks like a credential is replaced by ``[redacted:<fingerprint>]`` before it is written,
and the merchant token a checkout_url carries (``identifier=``) is hidden (``paycombat_tools.redaction``)
even when the log was never told the token.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from paycombat_tools.redaction import redact as hide_identifier

__all__ = ["AuditLog", "redact"]

#: Keys whose values are credentials wherever they appear.
_SECRET_KEY = re.compile(r"(token|secret|signature|password|passwd|authori[sz]ation|api[_-]?key|private[_-]?key)",
                         re.IGNORECASE)
#: Whole values that look like credentials: prefixed keys, long bare hex, bearer headers, JWTs.
_SECRET_VALUE = re.compile(
    r"^(?:(?:snd|sk|pk|rk|tok|key|whsec)_[A-Za-z0-9]{16,}"
    r"|[A-Fa-f0-9]{48,}"
    r"|(?:Bearer|Basic)\s+\S{8,}"
    r"|eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,})$"
)
#: Long hex runs inside text (keys, signatures, checkout tokens); our ids carry 32 hex digits at most.
_LONG_HEX = re.compile(r"[A-Fa-f0-9]{48,}")
_RUN = re.compile(r"[A-Za-z0-9_-]{16,}")
_MIN_SECRET_LENGTH = 8
_FRAGMENT = 16

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, event TEXT NOT NULL, actor TEXT NOT NULL,
    action_id TEXT, operation TEXT, digest TEXT, detail TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


def _fingerprint(text: str) -> str:
    return "[redacted:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8] + "]"


def redact(value: Any, secrets: Iterable[str] = ()) -> Any:
    """A JSON-ready copy of ``value`` with credentials (by key, by shape, or known values) replaced."""
    known = sorted((s for s in secrets if len(s) >= _MIN_SECRET_LENGTH), key=len, reverse=True)
    return _redact(value, known, secret_key=False)


def _redact(value: Any, known: list[str], *, secret_key: bool) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _redact(v, known, secret_key=bool(_SECRET_KEY.search(str(k)))) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redact(item, known, secret_key=secret_key) for item in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = hide_identifier(str(value))
    if secret_key or _SECRET_VALUE.match(text.strip()):
        return _fingerprint(text)
    for secret in known:
        if secret in text:
            text = text.replace(secret, _fingerprint(secret))
    text = _LONG_HEX.sub(lambda m: _fingerprint(m.group()), text)
    return _RUN.sub(lambda m: _fingerprint(m.group()) if _leaks(m.group(), known) else m.group(), text)


def _leaks(run: str, known: list[str]) -> bool:
    """Whether ``run`` carries 16 or more consecutive characters of a known secret."""
    return any(run[i:i + _FRAGMENT] in secret for secret in known for i in range(len(run) - _FRAGMENT + 1))


class AuditLog:
    """Append-only audit trail. ``AuditLog()`` is in memory; ``"audit.jsonl"`` or ``"audit.db"`` persist."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = None if path is None or str(path) == ":memory:" else Path(path)
        self._lock = threading.Lock()
        self._secrets: set[str] = set()
        self._jsonl = self.path is not None and self.path.suffix in (".jsonl", ".ndjson")
        self._db: sqlite3.Connection | None = None
        if self._jsonl:
            assert self.path is not None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.touch()
            self._seq = sum(1 for line in self.path.read_text("utf-8").splitlines() if line.strip())
        else:
            self._db = sqlite3.connect(str(self.path or ":memory:"), check_same_thread=False, isolation_level=None)
            self._db.executescript(_SCHEMA)
            self._seq = 0

    def add_secret(self, value: str) -> None:
        """Never write this exact value (e.g. an API token), wherever it appears."""
        if value:
            self._secrets.add(value)

    def append(self, event: str, *, actor: str, action_id: str | None = None, operation: str | None = None,
               digest: str | None = None, at: datetime | None = None, **detail: Any) -> dict[str, Any]:
        """Write one entry and return it as stored (redacted)."""
        moment = (at or datetime.now(timezone.utc)).astimezone(timezone.utc)
        action_id = hide_identifier(action_id) if isinstance(action_id, str) else action_id
        with self._lock:
            entry: dict[str, Any] = {
                "seq": 0, "at": moment.isoformat(timespec="microseconds"), "event": event,
                "actor": redact(actor, self._secrets), "action_id": action_id, "operation": operation,
                "digest": digest, "detail": redact(detail, self._secrets),
            }
            if self._db is not None:
                cursor = self._db.execute(
                    "INSERT INTO audit (at, event, actor, action_id, operation, digest, detail) VALUES (?,?,?,?,?,?,?)",
                    (entry["at"], event, entry["actor"], action_id, operation, digest,
                     json.dumps(entry["detail"], ensure_ascii=False, sort_keys=True)),
                )
                entry["seq"] = cursor.lastrowid
            else:
                assert self.path is not None
                self._seq += 1
                entry["seq"] = self._seq
                with self.path.open("a", encoding="utf-8") as stream:
                    stream.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
            return entry

    def entries(self, action_id: str | None = None) -> list[dict[str, Any]]:
        """Every entry, oldest first (optionally for one action)."""
        with self._lock:
            if self._db is not None:
                rows = self._db.execute(
                    "SELECT seq, at, event, actor, action_id, operation, digest, detail FROM audit ORDER BY seq"
                ).fetchall()
                found = [
                    {"seq": r[0], "at": r[1], "event": r[2], "actor": r[3], "action_id": r[4], "operation": r[5],
                     "digest": r[6], "detail": json.loads(r[7])}
                    for r in rows
                ]
            else:
                assert self.path is not None
                found = [json.loads(line) for line in self.path.read_text("utf-8").splitlines() if line.strip()]
        return [e for e in found if action_id is None or e["action_id"] == action_id]

    def close(self) -> None:
        if self._db is not None:
            self._db.close()

    def __repr__(self) -> str:
        kind = "jsonl" if self._jsonl else "sqlite"
        return f"<AuditLog {kind} {self.path or ':memory:'}>"
