"""The API coverage table (``docs/api-coverage.md``), rendered from the operation catalog.

``python -m paycombat_tools.coverage [path]`` writes it (default ``docs/api-coverage.md``, relative
to the current directory: run it from the repository root). ``tests/test_api_coverage.py`` fails
when the committed file differs from what the catalog renders.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import get_args

from .catalog import OPERATIONS, Confidence, Operation

DEFAULT_PATH = Path("docs") / "api-coverage.md"
COMMAND = "python -m paycombat_tools.coverage"

#: What each confidence level means; every level the catalog allows must be explained here.
CONFIDENCE_MEANING: dict[str, str] = {
    "confirmed": "method and path seen in PayCombat's public docs (docs.paycombat.com) or in code that "
                 "calls the live API",
    "dev-docs": "seen only in PayCombat's internal dev docs (apidoc.paycombat.dev), mapped by the rule "
                "\"public path = `/api/v1` + dev path minus `/finmo`\"; that rule held wherever both sides are "
                "visible, but these rows are unverified",
    "inferred": "our best guess: the docs' menu shows the operation (often its HTTP method), not its path",
}

_INTRO = """\
# PayCombat API coverage

<!-- Generated from paycombat_tools/catalog.py by `{command}`; do not edit by hand. -->

Every operation the client offers (`client.<resource>.<operation>(...)`), one row per entry of the
operation catalog (`paycombat_tools/catalog.py`), with the evidence its path rests on.

**Confidence**

{legend}

The *source* column names what a row rests on: a PayCombat docs page slug (PC-DOCS), a dev docs
page id (PC-DEV), code that calls the live API (PC-PHP), or the reason for an inference.

**A path is wrong?** Override it per client, without editing the package:

```python
client = PayCombat(token, signature_key, paths={{"payouts.list": "/api/v1/payout/list"}})
```

**Signing.** The client signs every request that has a body (HMAC-SHA256 over the exact bytes it
sends, in the `signature` header); GETs and the bodiless PATCH/DELETE calls send only `X-token`.
The *signature* column is the documented rule: `required` (the docs list the header as required,
or their rule "Each POST/PATCH Request requires a Signature in the header" applies), `optional`
(listed as optional) or `none` (GETs and bodiless calls). The sandbox refuses a missing signature
only where the column says `required`, and always refuses a wrong one.

*Sandbox only* marks the simulations: they drive a sandbox (this package's, or a PayCombat
sandbox account), and the production API may not offer them.
"""


def _cell(text: str) -> str:
    """Table-safe text: pipes escaped, line breaks flattened."""
    return " ".join(text.split()).replace("|", "\\|")


def _code(text: str) -> str:
    return f"`{text}`" if "`" not in text else f"`` {text} ``"


def _levels() -> tuple[str, ...]:
    levels = tuple(get_args(Confidence))
    unexplained = [level for level in levels if level not in CONFIDENCE_MEANING]
    if unexplained:
        raise ValueError(f"catalog confidence level(s) without a meaning in coverage.py: {', '.join(unexplained)}")
    return levels


def render(operations: Iterable[Operation] = OPERATIONS) -> str:
    """The whole Markdown document, deterministic (same catalog, same bytes)."""
    operations = list(operations)
    levels = _levels()
    legend = "\n".join(f"- **{level}**: {CONFIDENCE_MEANING[level]}." for level in levels)
    lines = [_INTRO.format(command=COMMAND, legend=legend), "## Operations", "",
             "| operation | method | path | confidence | signature | source | sandbox only |",
             "|---|---|---|---|---|---|---|"]
    for op in operations:
        if op.confidence not in levels:
            raise ValueError(f"{op.name}: unknown confidence {op.confidence!r}")
        lines.append(
            f"| {_code(op.name)} | {op.method} | {_code(op.path)} | {op.confidence} | {op.signature} "
            f"| {_cell(op.source)} | {'yes' if op.sandbox_only else ''} |"
        )
    notes = _notes(operations)
    if notes:
        lines += ["", "Notes:", "", *notes]
    counts: Counter[str] = Counter(op.confidence for op in operations)
    lines += [
        "",
        "## Counts",
        "",
        "| confidence | operations |",
        "|---|---|",
        *(f"| {level} | {counts[level]} |" for level in levels),
        f"| **total** | **{len(operations)}** |",
        "",
        f"Sandbox only: {sum(op.sandbox_only for op in operations)} of {len(operations)}.",
        "",
    ]
    return "\n".join(lines)


def _notes(operations: Sequence[Operation]) -> list[str]:
    """What the table's columns don't show: optional X-token, Finmo's nested envelope."""
    notes = []
    optional_token = [op.name for op in operations if op.token == "optional"]
    if optional_token:
        notes.append("- `X-token` is required everywhere except on " + ", ".join(map(_code, optional_token))
                     + " (the docs mark it optional).")
    nested = [op.name for op in operations if op.envelope == "nested"]
    if nested:
        notes.append("- Finmo's envelope nested inside `data` (`{request_id, request_time, success, status_code, "
                     "status_text, data}`), unwrapped by the client: " + ", ".join(map(_code, nested)) + ".")
    return notes


def write(path: str | Path = DEFAULT_PATH) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(), encoding="utf-8", newline="\n")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or (args and args[0] in ("-h", "--help")):
        print(f"usage: {COMMAND} [path]   (default: {DEFAULT_PATH})", file=sys.stderr)
        return 0 if args and args[0] in ("-h", "--help") else 2
    target = write(args[0] if args else DEFAULT_PATH)
    print(f"wrote {target} ({len(OPERATIONS)} operations)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
