"""The audit log is tamper-evident: each entry carries the hash of the one before, and SQLite refuses REPLACE."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from agent_tools import AuditLog, ConfirmationGuard, ConfirmationPolicy
from agent_tools.audit import GENESIS, AuditTampered
from agent_tools.policy import spent_today
from paycombat_tools import PayCombat
from paycombat_tools.sandbox import ManualClock

from .helpers import PAYOUT, call, tools_by_name

COLUMNS = ("at", "event", "actor", "action_id", "operation", "digest", "detail", "prev", "hash")


def a_day(log: AuditLog) -> AuditLog:
    log.append("proposed", actor="assistant", action_id="act_1", operation="payouts.create", digest="d1",
               amount=Decimal("400.00"), currency="AUD", summary="Pay AUD 400.00 to \"Grace Ho\"")
    log.append("approved", actor="alice", action_id="act_1", operation="payouts.create", digest="d1",
               amount=Decimal("400.00"), currency="AUD")
    log.append("executed", actor="alice", action_id="act_1", operation="payouts.create", digest="d1",
               result={"id": "payout_1", "status": "PENDING"})
    log.append("proposed", actor="assistant", action_id="act_2", operation="refunds.create", digest="d2",
               amount=Decimal("5"), currency="AUD")
    return log


def raw(path: Path) -> sqlite3.Connection:
    """What an attacker with the file has: a plain connection, triggers dropped."""
    connection = sqlite3.connect(path, isolation_level=None)
    for name in ("audit_no_update", "audit_no_delete", "audit_no_replace"):
        connection.execute(f"DROP TRIGGER IF EXISTS {name}")
    return connection


@pytest.mark.parametrize("where", ["memory", "db", "jsonl"])
def test_an_untouched_log_verifies_and_each_entry_names_the_one_before(where: str, tmp_path: Path) -> None:
    log = a_day(AuditLog(None if where == "memory" else tmp_path / f"audit.{where}"))
    entries = log.entries()
    assert entries[0]["prev"] == GENESIS
    assert [e["prev"] for e in entries[1:]] == [e["hash"] for e in entries[:-1]]
    verified = log.verify()
    assert verified.entries == 4 and verified.head == entries[-1]["hash"]


@pytest.mark.parametrize("statement", [
    "INSERT OR REPLACE INTO audit (seq, at, event, actor, detail) VALUES (2, 'x', 'approved', 'alice', '{}')",
    "REPLACE INTO audit (seq, at, event, actor, detail) VALUES (2, 'x', 'approved', 'alice', '{}')",
    "INSERT INTO audit (seq, at, event, actor, detail) VALUES (2, 'x', 'approved', 'alice', '{}') "
    "ON CONFLICT(seq) DO UPDATE SET detail = '{}'",
    "UPDATE audit SET detail = '{}' WHERE seq = 2",
    "UPDATE OR REPLACE audit SET seq = 1 WHERE seq = 2",
    "DELETE FROM audit WHERE seq = 2",
])
def test_sqlite_refuses_every_statement_that_rewrites_a_stored_entry(statement: str, tmp_path: Path) -> None:
    path = tmp_path / "audit.db"
    log = a_day(AuditLog(path))
    before = log.entries()
    connection = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute(statement)
    connection.close()
    assert log.entries() == before and log.verify().entries == 4


def test_rewriting_an_approved_amount_to_zero_by_replace_is_refused_and_the_day_cap_holds(
        tmp_path: Path, client: PayCombat, clock: ManualClock) -> None:
    """The finding: REPLACE INTO an approved row with amount 0 let a second payout pass the day cap."""
    path = tmp_path / "audit.db"
    policy = ConfirmationPolicy(per_call_caps={"AUD": "500"}, per_day_caps={"AUD": "60"},
                                allowed_currencies={"AUD"}, allowed_payout_methods={"au_bank_acct"})
    guard = ConfirmationGuard(policy, AuditLog(path), clock=clock, client=client)
    tools = tools_by_name(client, guard)
    first = call(tools["create_payout"], **PAYOUT)["action_id"]
    guard.approve(first, approver="alice")
    approved = next(e for e in guard.audit.entries(first) if e["event"] == "approved")
    forged = json.dumps({**approved["detail"], "amount": "0"}, sort_keys=True)
    connection = sqlite3.connect(path)
    for verb in ("INSERT OR REPLACE INTO", "REPLACE INTO"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute(f"{verb} audit (seq, at, event, actor, action_id, operation, digest, detail, prev, "
                               "hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
                               (approved["seq"], approved["at"], "approved", approved["actor"], first,
                                approved["operation"], approved["digest"], forged, approved["prev"],
                                approved["hash"]))
    connection.close()
    assert spent_today(guard.audit.entries(), "AUD", clock()) == Decimal("40.00")
    second = call(tools["create_payout"], **PAYOUT)
    assert second["status"] == "refused" and "day" in json.dumps(second)
    assert guard.audit.verify().entries == len(guard.audit.entries())


@pytest.mark.parametrize("column", COLUMNS)
def test_changing_one_byte_of_a_past_entry_in_the_sqlite_file_fails_verify_naming_it(column: str,
                                                                                     tmp_path: Path) -> None:
    path = tmp_path / "audit.db"
    log = a_day(AuditLog(path))
    original = raw(path).execute(f"SELECT {column} FROM audit WHERE seq = 2").fetchone()[0]
    changed = original[:-2] + chr(ord(original[-2]) ^ 1) + original[-1:]  # one byte, the JSON still parses
    attacker = raw(path)
    attacker.execute(f"UPDATE audit SET {column} = ? WHERE seq = 2", (changed,))
    attacker.close()
    with pytest.raises(AuditTampered, match=r"entry [23]\b") as caught:
        AuditLog(path).verify()
    assert caught.value.seq in (2, 3)  # a changed prev/hash shows at 2 or where the chain no longer follows


def test_a_byte_flipped_in_the_file_itself_fails_verify(tmp_path: Path) -> None:
    path = tmp_path / "audit.db"
    a_day(AuditLog(path)).close()
    data = bytearray(path.read_bytes())
    at = data.index(b"400.00", data.index(b"alice"))  # the approved entry's amount, in the database page
    data[at] = ord("0")
    path.write_bytes(bytes(data))
    with pytest.raises(AuditTampered, match="entry 2 was changed"):
        AuditLog(path).verify()


@pytest.mark.parametrize("attack", ["delete", "insert", "reorder"])
def test_deleting_inserting_or_reordering_entries_fails_verify(attack: str, tmp_path: Path) -> None:
    path = tmp_path / "audit.db"
    a_day(AuditLog(path)).close()
    attacker = raw(path)
    if attack == "delete":
        attacker.execute("DELETE FROM audit WHERE seq = 2")
    elif attack == "insert":
        attacker.execute("UPDATE audit SET seq = seq + 10 WHERE seq >= 2")
        attacker.execute("UPDATE audit SET seq = seq - 9 WHERE seq >= 12")
        attacker.execute("INSERT INTO audit (seq, at, event, actor, detail, prev, hash) "
                         "SELECT 2, at, 'approved', 'mallory', detail, prev, hash FROM audit WHERE seq = 1")
    else:
        attacker.execute("UPDATE audit SET seq = 100 WHERE seq = 2")
        attacker.execute("UPDATE audit SET seq = 2 WHERE seq = 3")
        attacker.execute("UPDATE audit SET seq = 3 WHERE seq = 100")
    attacker.close()
    with pytest.raises(AuditTampered, match="entry"):
        AuditLog(path).verify()


def test_a_cut_tail_is_found_by_the_log_that_wrote_it(tmp_path: Path) -> None:
    path = tmp_path / "audit.db"
    log = a_day(AuditLog(path))
    raw(path).execute("DELETE FROM audit WHERE seq = 4")
    with pytest.raises(AuditTampered, match="entry 4, written by this log, is missing"):
        log.verify()


@pytest.mark.parametrize("attack", ["rewrite", "delete", "reorder", "insert"])
def test_jsonl_rewrites_fail_verify(attack: str, tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    a_day(AuditLog(path))
    lines = path.read_text("utf-8").splitlines()
    if attack == "rewrite":
        lines[1] = lines[1].replace('"400.00"', '"0"')
    elif attack == "delete":
        del lines[1]
    elif attack == "reorder":
        lines[1], lines[2] = lines[2], lines[1]
    else:
        lines.insert(1, lines[0])
    path.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(AuditTampered, match="entry 2"):
        AuditLog(path).verify()


@pytest.mark.parametrize("suffix", ["db", "jsonl"])
def test_two_logs_on_one_file_keep_one_chain(suffix: str, tmp_path: Path) -> None:
    """A second process (here: a second log object on the same file) appends to the same chain, not a fork."""
    path = tmp_path / f"audit.{suffix}"
    first, second = AuditLog(path), AuditLog(path)
    for index in range(6):
        (first if index % 2 else second).append("proposed", actor="assistant", action_id=f"act_{index}")
    assert [e["seq"] for e in first.entries()] == [1, 2, 3, 4, 5, 6]
    assert first.verify() == second.verify()


def test_secrets_stay_redacted_in_a_chained_log(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.db")
    log.add_secret("supersecretvalue123")
    log.append("proposed", actor="assistant", note="key supersecretvalue123", checkout_token="tok_abc")
    assert b"supersecretvalue123" not in (tmp_path / "audit.db").read_bytes()
    assert "[redacted:" in log.entries()[0]["detail"]["checkout_token"]
    assert log.verify().entries == 1


def test_a_log_written_before_the_chain_opens_appends_and_says_why_it_cannot_be_verified(tmp_path: Path) -> None:
    path = tmp_path / "audit.db"
    old = sqlite3.connect(path, isolation_level=None)
    old.executescript("CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, "
                      "event TEXT NOT NULL, actor TEXT NOT NULL, action_id TEXT, operation TEXT, digest TEXT, "
                      "detail TEXT NOT NULL);"
                      "INSERT INTO audit (at, event, actor, detail) VALUES ('2026-01-01T00:00:00', 'proposed', "
                      "'assistant', '{}');")
    old.close()
    log = AuditLog(path)
    log.append("approved", actor="alice")
    assert [(e["seq"], e["event"]) for e in log.entries()] == [(1, "proposed"), (2, "approved")]
    with pytest.raises(AuditTampered, match="entry 1 has no chain hash"):
        log.verify()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        sqlite3.connect(path).execute("REPLACE INTO audit (seq, at, event, actor, detail) "
                                      "VALUES (1, 'x', 'y', 'z', '{}')")
