"""What every widget shares: a status area for readable messages, money formatting, amount parsing.

Widgets are thin views over a ``PayCombat`` client: they keep a reference to the client (which
keeps the credentials to itself) and never copy, show or store a token or signature key.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..errors import PayCombatError
from ..money import MoneyError, check_amount, with_minor_unit
from ..money import parse_amount as money_amount
from ._theme import rerun_note

if TYPE_CHECKING:
    from .._client import PayCombat

#: Message kinds -> the class that marks them (a coloured border beside text in the theme's colour).
MESSAGE_CLASSES = {"info": "pct-msg--info", "ok": "pct-msg--ok", "error": "pct-msg--error", "wait": "pct-msg--wait"}
#: Status values -> badge kind.
BADGE_KINDS = {"COMPLETED": "ok", "SUCCESS": "ok", "ACTIVE": "ok", "APPROVED": "ok", "PENDING": "wait",
               "FAILED": "error", "EXPIRED": "error", "RETURNED": "error", "REJECTED": "error",
               "CANCELLED": "neutral", "INACTIVE": "neutral"}


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
            amount = with_minor_unit(amount, currency)
        except MoneyError:
            pass
    text = f"{amount:,}"
    return f"{text} {currency}" if currency else text


def parse_amount(text: str, currency: str | None, *, field: str = "amount") -> Decimal:
    """An amount typed by a person, as an exact ``Decimal`` valid for ``currency``.

    The toolkit's one grammar (``paycombat_tools.money.parse_amount``): digits and a dot, so ``1,5``,
    ``1,234.50`` or ``1 000`` are refused with what to type instead, never guessed at.
    """
    if not (text or "").strip():
        raise InputProblem(f"{field}: enter an amount")
    try:
        amount = money_amount(text, field=field)
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
    """A status badge (PENDING, COMPLETED, SUCCESS, FAILED, ...): a dot in the status colour, then the word."""
    value = (text or "—").upper()
    kind = BADGE_KINDS.get(value, "neutral")
    return f"<span class='pct-badge pct-badge--{kind}'>{escape(value)}</span>"


def message_html(message: str, kind: str = "info") -> str:
    """One message (``info``, ``ok``, ``error`` or ``wait``), escaped, in the theme's colours."""
    mark = "⚠ " if kind == "error" else ""
    return f"<div class='pct-msg {MESSAGE_CLASSES[kind]}' role='status'>{mark}{escape(message)}</div>"


def hint_html(text: str) -> str:
    """Secondary text (a rule, an id, a note) in the theme's secondary text colour."""
    return f"<span class='pct-hint'>{escape(text)}</span>"


def link_html(href: str, text: str) -> str:
    """A link that looks like one (theme link colour, underlined), opened in a new tab."""
    return f"<a href='{escape(href)}' target='_blank' rel='noopener'>{escape(text)}</a>"


def table(headers: list[str], rows: list[list[str]], *, numeric: frozenset[int] = frozenset(),
          empty: str = "Nothing to show.") -> str:
    """A compact HTML table for a few rows; cells are already-escaped HTML, ``numeric`` columns align right."""
    if not rows:
        return f"<p class='pct-hint'>{escape(empty)}</p>"

    def cell(tag: str, index: int, content: str) -> str:
        return f"<{tag} class='pct-num'>{content}</{tag}>" if index in numeric else f"<{tag}>{content}</{tag}>"

    head = "".join(cell("th", i, escape(h)) for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>" for row in rows)
    return (f"<div class='pct-scroll'><table class='pct-table'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>")


class ClientWidget:
    """Base of every widget: ``.widget`` (root container), ``.status`` (messages), ``.last_error``."""

    widget: widgets.Box

    def __init__(self, client: "PayCombat") -> None:
        self._client = client
        self.status = widgets.HTML(value="")
        #: The message of the most recent action's error, or None when it went well.
        self.last_error: str | None = None

    # -- messages -------------------------------------------------------------------------------------

    def _say(self, message: str, kind: str = "info") -> None:
        self.status.value = message_html(message, kind)

    def _ok(self, message: str) -> None:
        self.last_error = None
        self._say(message, "ok")

    def _error(self, message: str) -> None:
        self.last_error = message
        self._say(message, "error")

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
        display_with_rerun_note(self.widget, type(self).__name__)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def close(self) -> None:
        """Close the widget and every widget inside it."""
        _close_tree(self.widget)


def display_with_rerun_note(widget: Any, name: str) -> None:
    """Show ``widget`` after a note that only appears where the widget cannot (see ``_theme.rerun_note``)."""
    from IPython.display import HTML, display

    display(HTML(rerun_note(name)))
    display(widget)


def _close_tree(widget: Any) -> None:
    for child in getattr(widget, "children", ()) or ():
        _close_tree(child)
    widget.close()


def labelled(description: str, **kwargs: Any) -> dict[str, Any]:
    """Common keyword arguments for a control whose label takes the width it needs."""
    return {"description": description, "style": {"description_width": "initial"}, **kwargs}


#: Label column of a form (PayoutForm, CheckoutForm): every field's label has this width, so inputs align.
FIELD_LABEL_WIDTH = "215px"
FIELD_WIDTH = "500px"


def form_field(description: str, **kwargs: Any) -> dict[str, Any]:
    """Keyword arguments for a form field: aligned label column, a width that fits a narrow notebook."""
    return {"description": description, "description_allow_html": False,
            "style": {"description_width": FIELD_LABEL_WIDTH},
            "layout": widgets.Layout(width=FIELD_WIDTH, max_width="100%"), **kwargs}
