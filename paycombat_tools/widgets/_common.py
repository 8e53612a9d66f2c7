"""What every widget shares: a status area for readable messages, money formatting, amount parsing.

Widgets are thin views over a ``PayCombat`` client: they keep a reference to the client (which
keeps the credentials to itself) and never copy, show or store a token or signature key.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..errors import PayCombatError
from ..money import MoneyError, check_amount, minor_unit, to_decimal

if TYPE_CHECKING:
    from .._client import PayCombat

_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")

ERROR_STYLE = "color:#b00020"
OK_STYLE = "color:#1b7f3b"
INFO_STYLE = "color:#555"


class InputProblem(ValueError):
    """Something typed into a form that cannot be sent; shown as a message, nothing is sent."""


def escape(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def format_money(amount: Decimal | None, currency: str | None = None) -> str:
    """``Decimal('1234.5'), 'AUD'`` -> ``'1,234.50 AUD'``: exact, with the currency's minor unit."""
    if amount is None:
        return "—"
    if currency:
        try:
            places = minor_unit(currency)
            if amount == amount.quantize(Decimal(1).scaleb(-places)):
                amount = amount.quantize(Decimal(1).scaleb(-places))
        except MoneyError:
            pass
    text = f"{amount:,}"
    return f"{text} {currency}" if currency else text


def parse_amount(text: str, currency: str | None, *, field: str = "amount") -> Decimal:
    """An amount typed by a person, as an exact ``Decimal`` valid for ``currency``.

    Spaces are ignored and commas are accepted only as thousands separators (``1,234.50``), so
    ``1,5`` is refused rather than read as fifteen.
    """
    raw = (text or "").strip().replace(" ", "").replace("_", "")
    if not raw:
        raise InputProblem(f"{field}: enter an amount")
    if "," in raw:
        if not _THOUSANDS.match(raw):
            raise InputProblem(f"{field}: {text!r} is not an amount (use a dot for decimals, e.g. 1234.50)")
        raw = raw.replace(",", "")
    try:
        amount = to_decimal(raw, field=field)
        if currency:
            check_amount(amount, currency, field=field)
        elif amount <= 0:
            raise MoneyError(f"{field}: must be greater than zero")
    except MoneyError as error:
        raise InputProblem(str(error)) from None
    return amount


def describe_error(error: BaseException) -> str:
    """A one-line, human-readable message for an error (no traceback, no secrets)."""
    if isinstance(error, PayCombatError):
        details = [type(error).__name__]
        if error.status is not None:
            details.append(f"HTTP {error.status}")
        if error.request_id:
            details.append(f"request {error.request_id}")
        return f"{error.message} ({', '.join(details)})"
    return str(error)


def badge(text: str | None) -> str:
    """A coloured status badge (PENDING, COMPLETED, SUCCESS, FAILED, ...)."""
    value = (text or "—").upper()
    colour = {"COMPLETED": "#1b7f3b", "SUCCESS": "#1b7f3b", "PENDING": "#9a6700", "FAILED": "#b00020",
              "EXPIRED": "#b00020", "CANCELLED": "#666"}.get(value, "#444")
    return (f"<span style='display:inline-block;padding:1px 8px;border-radius:8px;color:#fff;"
            f"background:{colour};font-size:12px'>{escape(value)}</span>")


def table(headers: list[str], rows: list[list[str]], *, numeric: frozenset[int] = frozenset(),
          empty: str = "Nothing to show.") -> str:
    """A small HTML table; cells are already-escaped HTML, ``numeric`` column indexes align right."""
    if not rows:
        return f"<p style='{INFO_STYLE}'>{escape(empty)}</p>"

    def cell(tag: str, index: int, content: str) -> str:
        align = "right" if index in numeric else "left"
        return f"<{tag} style='text-align:{align};padding:2px 8px'>{content}</{tag}>"

    head = "".join(cell("th", i, escape(h)) for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table style='border-collapse:collapse'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class ClientWidget:
    """Base of every widget: ``.widget`` (root container), ``.status`` (messages), ``.last_error``."""

    widget: widgets.Box

    def __init__(self, client: "PayCombat") -> None:
        self._client = client
        self.status = widgets.HTML(value="")
        #: The message of the most recent action's error, or None when it went well.
        self.last_error: str | None = None

    # -- messages -------------------------------------------------------------------------------------

    def _say(self, message: str, style: str = INFO_STYLE) -> None:
        self.status.value = f"<div style='{style}'>{escape(message)}</div>"

    def _ok(self, message: str) -> None:
        self.last_error = None
        self._say(message, OK_STYLE)

    def _error(self, message: str) -> None:
        self.last_error = message
        self.status.value = f"<div style='{ERROR_STYLE}'>⚠ {escape(message)}</div>"

    @contextmanager
    def _action(self, what: str, *, background: bool = False) -> Iterator[None]:
        """Run one user action: API and input errors become a readable message, never a traceback.

        ``background`` work (a status poll) does not clear the message of the user's last action.
        """
        if not background:
            self.last_error = None
        try:
            yield
        except InputProblem as problem:
            self._error(str(problem))
        except PayCombatError as error:
            self._error(f"{what} failed: {describe_error(error)}")
        except MoneyError as error:
            self._error(f"{what}: {error}")

    def _on_click(self, button: widgets.Button, handler: Callable[[], Any]) -> None:
        button.on_click(lambda _button: handler())

    # -- display ----------------------------------------------------------------------------------------

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def close(self) -> None:
        """Close the widget and every widget inside it."""
        _close_tree(self.widget)


def _close_tree(widget: Any) -> None:
    for child in getattr(widget, "children", ()) or ():
        _close_tree(child)
    widget.close()


def labelled(description: str, **kwargs: Any) -> dict[str, Any]:
    """Common keyword arguments for a form field with a readable label width."""
    return {"description": description, "style": {"description_width": "initial"}, **kwargs}
