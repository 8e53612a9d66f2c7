"""``docs/api-coverage.md`` is exactly what the catalog renders (regenerate it when the catalog changes)."""

from __future__ import annotations

import difflib
from collections import Counter
from pathlib import Path

from paycombat_tools import coverage
from paycombat_tools.catalog import OPERATIONS

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "api-coverage.md"
REGENERATE = f"run `.venv/bin/{coverage.COMMAND} docs/api-coverage.md` from the repository root"


def test_coverage_doc_is_up_to_date() -> None:
    expected = coverage.render()
    assert DOC.is_file(), f"{DOC.relative_to(ROOT)} is missing: {REGENERATE}"
    actual = DOC.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(list(difflib.unified_diff(actual.splitlines(keepends=True), expected.splitlines(keepends=True),
                                                 "docs/api-coverage.md (committed)", "rendered from the catalog"))[:40])
        raise AssertionError(f"docs/api-coverage.md is stale: {REGENERATE}\n{diff}")


def test_every_operation_has_one_row_and_the_counts_add_up() -> None:
    text = coverage.render()
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == [op.name for op in OPERATIONS]
    for op, row in zip(OPERATIONS, rows):
        cells = [cell.strip() for cell in row.strip("|").split(" | ")]
        assert cells[1:5] == [op.method, f"`{op.path}`", op.confidence, op.signature]
        assert cells[-1] == ("yes" if op.sandbox_only else "")
    counts = Counter(op.confidence for op in OPERATIONS)
    for level in ("confirmed", "dev-docs", "inferred"):
        assert f"| {level} | {counts[level]} |" in text
    assert f"| **total** | **{len(OPERATIONS)}** |" in text


def test_the_command_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "api-coverage.md"
    assert coverage.main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == coverage.render()
