"""SQLite state of the sandbox: JSON records, wallet accounts and the ledger behind every balance.

Balances are integer minor units with CHECK constraints, so a wallet can never go negative, and
every change is one ledger row written in the same transaction as the balance it changes.
A file database runs in WAL mode with ``synchronous=NORMAL``: a committed (acknowledged) write
survives the process being killed; the last commits before a power loss or OS crash may be lost.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from ..money import minor_unit
from ..signing import canonical_json, parse_json
from ._errors import ApiError
from ._paging import Pager

Clock = Callable[[], datetime]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    kind TEXT NOT NULL, id TEXT NOT NULL, alt_id TEXT, ref TEXT, status TEXT, expire_at REAL,
    seq INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, id));
CREATE INDEX IF NOT EXISTS records_alt ON records (kind, alt_id);
CREATE INDEX IF NOT EXISTS records_seq ON records (kind, seq);
CREATE UNIQUE INDEX IF NOT EXISTS records_ref ON records (kind, ref) WHERE ref IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_expiry ON records (kind, status, expire_at);
CREATE INDEX IF NOT EXISTS records_status ON records (kind, status, seq);
CREATE INDEX IF NOT EXISTS records_payout_currency ON records (json_extract(data, '$.currency'), seq)
    WHERE kind = 'payout';
CREATE INDEX IF NOT EXISTS records_payout_bank ON records (json_extract(data, '$.beneficiary_bank'), seq)
    WHERE kind = 'payout';
CREATE INDEX IF NOT EXISTS records_checkout_currency ON records (json_extract(data, '$.currency'), seq)
    WHERE kind = 'checkout';
CREATE INDEX IF NOT EXISTS records_beneficiary_type ON records (json_extract(data, '$.type'), seq)
    WHERE kind = 'beneficiary';
CREATE INDEX IF NOT EXISTS records_customer_type ON records (json_extract(data, '$.type'), seq)
    WHERE kind = 'customer';
CREATE INDEX IF NOT EXISTS records_wallet_category ON records (json_extract(data, '$.category'), seq)
    WHERE kind = 'wallet';
CREATE INDEX IF NOT EXISTS records_wallet_customer ON records (json_extract(data, '$.customer_id'), seq)
    WHERE kind = 'wallet';
CREATE TABLE IF NOT EXISTS accounts (
    wallet_account_id TEXT PRIMARY KEY, wallet_id TEXT NOT NULL, currency TEXT NOT NULL,
    available INTEGER NOT NULL DEFAULT 0 CHECK (available >= 0),
    actual INTEGER NOT NULL DEFAULT 0 CHECK (actual >= 0),
    UNIQUE (wallet_id, currency));
CREATE TABLE IF NOT EXISTS ledger (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, transaction_id TEXT NOT NULL UNIQUE,
    wallet_id TEXT NOT NULL, currency TEXT NOT NULL, type TEXT NOT NULL, reference_id TEXT,
    delta_available INTEGER NOT NULL, delta_actual INTEGER NOT NULL,
    running_available INTEGER NOT NULL, running_actual INTEGER NOT NULL,
    description TEXT, created_at TEXT NOT NULL, created_ts REAL NOT NULL);
CREATE INDEX IF NOT EXISTS ledger_time ON ledger (created_ts);
CREATE INDEX IF NOT EXISTS ledger_wallet ON ledger (wallet_id, seq);
CREATE INDEX IF NOT EXISTS ledger_reference ON ledger (reference_id);
CREATE INDEX IF NOT EXISTS ledger_type ON ledger (type);
CREATE INDEX IF NOT EXISTS ledger_currency ON ledger (currency);
CREATE INDEX IF NOT EXISTS ledger_day ON ledger (substr(created_at, 1, 10));
CREATE TABLE IF NOT EXISTS idempotency (
    kind TEXT NOT NULL, ref TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, ref));
CREATE TABLE IF NOT EXISTS webhook_attempts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, url TEXT NOT NULL,
    event_type TEXT NOT NULL, attempt INTEGER NOT NULL, status_code INTEGER, error TEXT,
    delivered INTEGER NOT NULL, at TEXT NOT NULL, body TEXT NOT NULL);
"""
# (ledger.seq is the rowid, so an index on one column is already ordered by seq within each value)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    """ISO-8601 in UTC with milliseconds and a Z, as the API writes timestamps."""
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def to_minor(amount: Decimal, currency: str) -> int:
    return int(amount.scaleb(minor_unit(currency)))


def from_minor(units: int, currency: str) -> Decimal:
    """Minor units as a Decimal with the currency's places (``1050, "AUD"`` -> ``Decimal("10.50")``)."""
    places = minor_unit(currency)
    if places == 0:
        return Decimal(units)
    whole, part = divmod(abs(units), 10**places)
    return Decimal(f"{'-' if units < 0 else ''}{whole}.{part:0{places}d}")


class Store:
    """One SQLite database; every request runs in one serialised transaction."""

    def __init__(self, path: str = ":memory:", *, seed: int | None = None, clock: Clock | None = None) -> None:
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        if path not in ("", ":memory:"):  # a file: WAL, and fsync at checkpoints rather than at every commit
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.executescript(_SCHEMA)
        self._epoch = 0  # bumped by every rollback: what it undid may have been read since
        self.pager = Pager(self)
        self.lock = threading.RLock()
        self.clock: Clock = clock or utc_now
        self._rng = random.Random(self._stream_seed(seed))
        self._seeded = seed is not None
        self._depth = 0

    def _stream_seed(self, seed: int | None) -> int | str | None:
        """The id stream for this opening of the database: the seed itself for a new one.

        A reopened file mixes in how often it was opened before, so a restart with the same ``--seed``
        stays reproducible without drawing again the ids already stored (and the credentials drawn first).
        """
        opened = int(self.meta("times_opened") or 0)
        self.set_meta("times_opened", str(opened + 1))
        return seed if seed is None or opened == 0 else f"{seed}:{opened}"

    # -- transactions and ids --------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing: a failure anywhere rolls back every record and balance change."""
        with self.lock:
            outermost = self._depth == 0
            if outermost:
                self.db.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if outermost:
                    self.db.execute("ROLLBACK")
                    self._epoch += 1
                raise
            self._depth -= 1
            if outermost:
                self.db.execute("COMMIT")

    def reseed(self, seed: int | None) -> None:
        """Draw ids from ``seed`` again, as a fresh store would (a reset to the seed)."""
        with self.lock:
            self._rng = random.Random(seed)
            self._seeded = seed is not None

    def secret_hex32(self) -> str:
        """32 hex digits for a credential: from the OS's CSPRNG unless the store is seeded (then reproducible).

        Public ids come from the id stream; a credential drawn from the same stream could be worked out
        from enough ids, so an unseeded sandbox never does that.
        """
        if self._seeded:
            return self.hex32()
        import secrets

        return secrets.token_hex(16)

    def hex32(self) -> str:
        with self.lock:
            return f"{self._rng.getrandbits(128):032x}"

    def uuid(self) -> str:
        with self.lock:
            return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def now(self) -> datetime:
        return self.clock()

    # -- write generation ---------------------------------------------------------------------------

    def generation(self) -> tuple[int, ...]:
        """Changes whenever any stored row may have changed (cached page positions go stale with it).

        Any write on this connection moves ``total_changes``; ``data_version`` moves when another
        connection commits to the same file; a rollback moves ``_epoch``. No SQL function
        calls back into Python during a write: a callback that needs the GIL while SQLite holds the
        connection's mutex deadlocks with a thread that holds the GIL and waits for that mutex.
        """
        version = int(self.db.execute("PRAGMA data_version").fetchone()[0])
        return self._epoch, version, self.db.total_changes

    # -- meta --------------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- records -----------------------------------------------------------------------------------

    def insert(self, kind: str, record: dict[str, Any], *, id_field: str = "id", alt_id: str | None = None,
               ref: str | None = None, expire_at: float | None = None) -> dict[str, Any]:
        seq = self.db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM records WHERE kind = ?", (kind,)).fetchone()[0]
        self.db.execute(
            "INSERT INTO records (kind, id, alt_id, ref, status, expire_at, seq, data) VALUES (?,?,?,?,?,?,?,?)",
            (kind, record[id_field], alt_id, _ref(ref), record.get("status"), expire_at, seq, _dump(record)),
        )
        return record

    def update(self, kind: str, record_id: str, record: dict[str, Any]) -> dict[str, Any]:
        self.db.execute("UPDATE records SET data = ?, status = ? WHERE kind = ? AND id = ?",
                        (_dump(record), record.get("status"), kind, record_id))
        return record

    def get(self, kind: str, record_id: str, *, label: str | None = None) -> dict[str, Any]:
        """A record by id or alternative id, or the API's 404."""
        row = self.db.execute("SELECT data FROM records WHERE kind = ? AND id = ?", (kind, record_id)).fetchone()
        if row is None:
            row = self.db.execute("SELECT data FROM records WHERE kind = ? AND alt_id = ? ORDER BY seq LIMIT 1",
                                  (kind, record_id)).fetchone()
        if row is None:
            raise ApiError(404, f"{label or kind.replace('_', ' ').capitalize()} {record_id!r} not found")
        return _load(row["data"])

    def find_by_ref(self, kind: str, ref: str | int | None) -> dict[str, Any] | None:
        if _ref(ref) is None:
            return None
        row = self.db.execute("SELECT data FROM records WHERE kind = ? AND ref = ?", (kind, _ref(ref))).fetchone()
        return _load(row["data"]) if row else None

    def remember_request(self, kind: str, ref: str | int, body: dict[str, Any]) -> dict[str, Any]:
        """The body first sent with an idempotency reference (stored on first use, returned after)."""
        row = self.db.execute("SELECT body FROM idempotency WHERE kind = ? AND ref = ?", (kind, _ref(ref))).fetchone()
        if row is not None:
            return _load(row["body"])
        self.db.execute("INSERT INTO idempotency (kind, ref, body) VALUES (?, ?, ?)", (kind, _ref(ref), _dump(body)))
        return body

    def all(self, kind: str) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT data FROM records WHERE kind = ? ORDER BY seq", (kind,)).fetchall()
        return [_load(row["data"]) for row in rows]

    def with_status(self, kind: str, status: str) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT data FROM records WHERE kind = ? AND status = ? ORDER BY seq",
                               (kind, status)).fetchall()
        return [_load(row["data"]) for row in rows]

    def due_for_expiry(self, kind: str, now: float) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT data FROM records WHERE kind = ? AND status = 'PENDING' AND expire_at <= ?", (kind, now)
        ).fetchall()
        return [_load(row["data"]) for row in rows]


def _ref(ref: str | int | None) -> str | None:
    """References match as text: an integer order_id 42 and "42" are the same reference."""
    return None if ref is None or ref == "" else str(ref)


def _dump(record: dict[str, Any]) -> str:
    return canonical_json(record, exact=False).decode("utf-8")


def _load(text: str) -> dict[str, Any]:
    value = parse_json(text)
    assert isinstance(value, dict)
    return value
