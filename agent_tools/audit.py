"""``AuditLog``: an append-only, tamper-evident record of every proposal, decision and execution, without secrets.

Each entry carries ``prev``, the hash of the entry before it, and ``hash``, sha256 over its own canonical
encoding with ``prev``: rewriting, deleting, inserting or reordering any past entry breaks the chain, and
``AuditLog.verify()`` names the first entry that no longer fits. Two stores: SQLite (triggers refuse
UPDATE, DELETE and an INSERT OR REPLACE / REPLACE INTO over an existing row) or JSON lines (append mode,
a file lock around each append). Anything that looks like a credential is replaced by
``[redacted:<fingerprint>]`` before it is written, and the merchant token a checkout_url carries
(``identifier=``) is hidden (``paycombat_tools.redaction``) even when the log was never told the token.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from paycombat_tools.redaction import redact as hide_identifier

from .text import neutralise

__all__ = ["AuditLog", "AuditTampered", "Verified", "redact"]

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
    action_id TEXT, operation TEXT, digest TEXT, detail TEXT NOT NULL, prev TEXT, hash TEXT);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_replace BEFORE INSERT ON audit
WHEN NEW.seq IS NOT NULL AND EXISTS (SELECT 1 FROM audit WHERE seq = NEW.seq)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: an entry is never replaced'); END;
"""
_COLUMNS = ("seq", "at", "event", "actor", "action_id", "operation", "digest", "detail", "prev", "hash")
#: ``prev`` of the first entry.
GENESIS = "0" * 64


class AuditTampered(Exception):
    """The audit log no longer is what was written: ``seq`` names the first entry that does not fit."""

    def __init__(self, reason: str, *, seq: int | None) -> None:
        super().__init__(reason)
        self.reason, self.seq = reason, seq


@dataclass(frozen=True)
class Verified:
    """An intact chain: how many entries, and the last entry's hash (keep it elsewhere to detect a cut tail)."""

    entries: int
    head: str


def _detail_text(detail: Any) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True)


def chain_hash(entry: Mapping[str, Any], detail_text: str, prev: str) -> str:
    """sha256 over the entry's canonical encoding (its stored fields, in order, and ``prev``)."""
    fields = [entry["seq"], entry["at"], entry["event"], entry["actor"], entry["action_id"], entry["operation"],
              entry["digest"], detail_text, prev]
    encoded = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


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
        self._head: tuple[int, str] | None = None  # the last entry this log wrote or saw: (seq, hash)
        if self._jsonl:
            assert self.path is not None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.touch()
        else:
            self._db = sqlite3.connect(str(self.path or ":memory:"), check_same_thread=False, isolation_level=None,
                                       timeout=30)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(audit)")}
            if columns and "hash" not in columns:  # a log written before the chain: add the columns
                self._db.execute("ALTER TABLE audit ADD COLUMN prev TEXT")
                self._db.execute("ALTER TABLE audit ADD COLUMN hash TEXT")
            self._db.executescript(_SCHEMA)

    def add_secret(self, value: str) -> None:
        """Never write this exact value (e.g. an API token), wherever it appears."""
        if value:
            self._secrets.add(value)

    def append(self, event: str, *, actor: str, action_id: str | None = None, operation: str | None = None,
               digest: str | None = None, at: datetime | None = None, **detail: Any) -> dict[str, Any]:
        """Write one entry, chained to the one before, and return it as stored (redacted)."""
        moment = (at or datetime.now(timezone.utc)).astimezone(timezone.utc)
        action_id = hide_identifier(action_id) if isinstance(action_id, str) else action_id
        with self._lock:
            entry: dict[str, Any] = {
                "seq": 0, "at": moment.isoformat(timespec="microseconds"), "event": event,
                "actor": redact(actor, self._secrets), "action_id": action_id, "operation": operation,
                "digest": digest, "detail": redact(detail, self._secrets),
            }
            text = _detail_text(entry["detail"])
            if self._db is not None:
                self._append_sqlite(entry, text)
            else:
                self._append_jsonl(entry, text)
            self._head = (entry["seq"], entry["hash"])
            return entry

    def _append_sqlite(self, entry: dict[str, Any], text: str) -> None:
        assert self._db is not None
        self._db.execute("BEGIN IMMEDIATE")  # other processes append to the same file: one chain, no forks
        try:
            last = self._db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
            entry["seq"], entry["prev"] = (last[0] + 1, last[1] or GENESIS) if last else (1, GENESIS)
            entry["hash"] = chain_hash(entry, text, entry["prev"])
            self._db.execute(f"INSERT INTO audit ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                             (entry["seq"], entry["at"], entry["event"], entry["actor"], entry["action_id"],
                              entry["operation"], entry["digest"], text, entry["prev"], entry["hash"]))
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _append_jsonl(self, entry: dict[str, Any], text: str) -> None:
        assert self.path is not None
        with self.path.open("a+", encoding="utf-8") as stream:
            _lock_file(stream)
            last = _last_line(self.path)
            entry["seq"], entry["prev"] = (last["seq"] + 1, last.get("hash") or GENESIS) if last else (1, GENESIS)
            entry["hash"] = chain_hash(entry, text, entry["prev"])
            stream.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
            stream.flush()
            os.fsync(stream.fileno())

    def entries(self, action_id: str | None = None) -> list[dict[str, Any]]:
        """Every entry, oldest first (optionally for one action)."""
        found = [entry for entry, _ in self._stored()]
        return [e for e in found if action_id is None or e["action_id"] == action_id]

    def _stored(self) -> list[tuple[dict[str, Any], str]]:
        """Every entry with its detail exactly as stored (the text the hash covers)."""
        with self._lock:
            if self._db is not None:
                rows = self._db.execute(f"SELECT {', '.join(_COLUMNS)} FROM audit ORDER BY seq").fetchall()
                return [({**dict(zip(_COLUMNS, row)), "detail": _parse(row[7], row[0])}, row[7]) for row in rows]
            assert self.path is not None
            lines = [line for line in self.path.read_text("utf-8").splitlines() if line.strip()]
            found = [_parse(line, number) for number, line in enumerate(lines, start=1)]
            return [(entry, _detail_text(entry.get("detail"))) for entry in found]

    def verify(self) -> Verified:
        """Check the whole chain; raises ``AuditTampered`` naming the first entry rewritten, missing or out of place."""
        try:
            stored = self._stored()
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            raise AuditTampered(f"the audit log cannot be read: {type(error).__name__}: {error}", seq=None) from None
        prev, position = GENESIS, 0
        for position, (entry, text) in enumerate(stored, start=1):
            seq = entry.get("seq")
            if seq != position:
                raise AuditTampered(f"audit entry {seq} is out of place: entry {position} was expected here "
                                    "(an entry was deleted, inserted or moved)", seq=seq)
            if entry.get("hash") is None:
                raise AuditTampered(f"audit entry {seq} has no chain hash (written before the log was chained, or "
                                    "its hash was removed): the log can be verified only from a new file", seq=seq)
            if entry.get("prev") != prev:
                raise AuditTampered(f"audit entry {seq} does not follow entry {position - 1}: the chain is broken "
                                    "(an entry before it was rewritten, deleted or inserted)", seq=seq)
            try:
                expected = chain_hash(entry, text, prev)
            except KeyError as missing:
                raise AuditTampered(f"audit entry {seq} lacks the field {missing}", seq=seq) from None
            if entry.get("hash") != expected:
                raise AuditTampered(f"audit entry {seq} was changed after it was written: its hash does not "
                                    "match its content", seq=seq)
            prev = expected
        head = self._head
        if head is not None and (position < head[0] or stored[head[0] - 1][0].get("hash") != head[1]):
            raise AuditTampered(f"audit entry {head[0]}, written by this log, is missing or different "
                                "(the log was cut or replaced)", seq=head[0])
        return Verified(position, prev)

    def render(self, action_id: str | None = None) -> str:
        """The entries as text for a person: one line each, hidden characters shown as ``⟨U+XXXX⟩`` escapes."""
        lines = []
        for entry in self.entries(action_id):
            who = " ".join(str(entry[key]) for key in ("action_id", "operation") if entry.get(key))
            detail = " ".join(f"{key}={value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}"
                              for key, value in sorted((entry["detail"] or {}).items()))
            lines.append(neutralise(f"{entry['seq']} {entry['at']} {entry['event']} by {entry['actor']}"
                                    f"{' ' + who if who else ''}{' ' + detail if detail else ''}"))
        return "\n".join(lines)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()

    def __repr__(self) -> str:
        kind = "jsonl" if self._jsonl else "sqlite"
        return neutralise(f"<AuditLog {kind} {self.path or ':memory:'}>")


def _parse(text: str, seq: int) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        raise AuditTampered(f"audit entry {seq} is damaged: it is not the JSON that was written", seq=seq) from None


def _lock_file(stream: Any) -> None:
    """An exclusive lock on the open file until it is closed (POSIX); elsewhere the thread lock alone."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return
    fcntl.flock(stream.fileno(), fcntl.LOCK_EX)


def _last_line(path: Path) -> dict[str, Any] | None:
    """The last entry of a JSON lines file, read from its end."""
    with path.open("rb") as stream:
        stream.seek(0, os.SEEK_END)
        end = stream.tell()
        chunk, position = b"", end
        while position > 0:
            step = min(4096, position)
            position -= step
            stream.seek(position)
            chunk = stream.read(step) + chunk
            lines = [line for line in chunk.split(b"\n") if line.strip()]
            if len(lines) > 1 or (lines and position == 0):
                last: dict[str, Any] = json.loads(lines[-1])
                return last
    return None
