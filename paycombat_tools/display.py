"""Short records as compact HTML tables in a notebook: one row per field, nested lists as sub-tables.

``Table(data)`` wraps a dict, a list of dicts or a pydantic model (a tool's JSON answer, a webhook, a
payout); the models' own ``_repr_html_`` uses the same rendering. No colours are set here: JupyterLab
styles output tables with its theme. The merchant token a ``checkout_url`` carries is always hidden.
"""

from __future__ import annotations

import html
import json
from decimal import Decimal
from typing import Any

from .redaction import redact_value

__all__ = ["Table", "record_html"]

#: Text longer than this is cut (with …) in a cell; the full value stays on the record.
CELL_LIMIT = 120
#: Nesting shown as sub-tables down to this depth; deeper values are shown as compact JSON.
MAX_DEPTH = 3


class Table:
    """A record shown as a compact table (``_repr_html_``); ``repr`` is indented JSON-like text."""

    def __init__(self, data: Any, title: str | None = None) -> None:
        self.data = data
        self.title = title

    def _repr_html_(self) -> str:
        return record_html(self.data, title=self.title)

    def __repr__(self) -> str:
        return json.dumps(_plain(self.data), indent=2, ensure_ascii=False, default=str)


def record_html(data: Any, *, title: str | None = None) -> str:
    """``data`` as an HTML table: a mapping one row per field (``None`` left out), a list of mappings
    one row each with their keys as columns, other lists as a plain list; all text escaped."""
    body = _value(_plain(data), 0)
    caption = f"<caption style='text-align:left;font-weight:600'>{html.escape(title)}</caption>" if title else ""
    if body.startswith("<table"):
        return body.replace("<table>", f"<table>{caption}", 1)
    return f"<table>{caption}<tr><td>{body}</td></tr></table>"


def _plain(data: Any) -> Any:
    if hasattr(data, "model_dump"):
        data = data.model_dump(mode="python")
    if isinstance(data, dict):
        return {str(key): _plain(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [_plain(item) for item in data]
    return redact_value(data)


def _value(value: Any, depth: int) -> str:
    if isinstance(value, dict):
        if depth >= MAX_DEPTH:
            return _text(json.dumps(value, ensure_ascii=False, default=str))
        rows = "".join(f"<tr><th style='text-align:left'>{html.escape(key)}</th>"
                       f"<td style='text-align:left'>{_value(item, depth + 1)}</td></tr>"
                       for key, item in value.items() if item is not None)
        return f"<table>{rows}</table>" if rows else "—"
    if isinstance(value, list):
        if not value:
            return "—"
        if all(isinstance(item, dict) for item in value) and depth < MAX_DEPTH:
            columns: list[str] = []
            for item in value:
                columns += [key for key in item if key not in columns and item[key] is not None]
            head = "".join(f"<th style='text-align:left'>{html.escape(c)}</th>" for c in columns)
            rows = "".join("<tr>" + "".join(f"<td style='text-align:left'>{_value(item.get(c), depth + 1)}</td>"
                                            for c in columns) + "</tr>" for item in value)
            return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        return ", ".join(_value(item, depth + 1) for item in value)
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return html.escape(f"{value:,}")
    return _text(str(value))


def _text(text: str) -> str:
    shown = text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1] + "…"
    return html.escape(shown)
