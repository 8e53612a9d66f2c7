"""The exact bytes of JavaScript's ``JSON.stringify(JSON.parse(text))``.

PayCombat re-serialises the parsed body before checking a signature, so the client must
produce the same bytes that Node would: compact, non-ASCII kept raw, array-index keys first,
and numbers in JavaScript's shortest round-trip form (``1.50`` -> ``1.5``, ``1e21`` -> ``1e+21``).

``canonical_json`` hands plain payloads (exact ``dict``/``list``/``tuple``/``str``/``int`` within
2**53/``bool``/``None``/``Decimal``, no key starting with a digit) to ``orjson``, Decimals written as
``orjson.Fragment`` in JavaScript's form; anything else (floats, array-index-like keys, lone
surrogates, big integers, other types) and every refusal go through ``reference_canonical_json``,
the pure-Python original, which gives the same bytes for everything.
"""

from __future__ import annotations

import math
import re
from collections import UserString
from collections.abc import Mapping, Sequence
from decimal import Context, Decimal, localcontext
from functools import lru_cache
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a core dependency; the reference path still works
    orjson = None  # type: ignore[assignment]

_ARRAY_INDEX_MAX = 2**32 - 2
_MAX_SAFE = 2**53
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class NotJsonSafe(ValueError):
    """A value JSON.parse/JSON.stringify would not carry through unchanged; ``path`` says where."""

    def __init__(self, problem: str, *, path: str = "$") -> None:
        super().__init__(f"{path}: {problem}")
        self.problem = problem
        self.path = path

    def under(self, step: str) -> "NotJsonSafe":
        """The same problem seen from the parent container (``step`` is ``.key`` or ``[i]``)."""
        return NotJsonSafe(self.problem, path="$" + step + self.path[1:])


def canonical_json(value: Any, *, exact: bool = True) -> bytes:
    """Serialise ``value`` exactly as Node's ``JSON.stringify(JSON.parse(...))`` would, as UTF-8.

    With ``exact`` (the default for what we send) a number JavaScript would round is refused;
    without it the number is rounded as JavaScript would (for checking what others signed).
    """
    if orjson is not None and _plain(value):
        try:
            return orjson.dumps(value, default=_exact_fragment if exact else _rounded_fragment,
                                option=orjson.OPT_STRICT_INTEGER)
        except (orjson.JSONEncodeError, RecursionError):
            pass  # an int beyond 2**53, a lone surrogate, a Decimal JavaScript can't hold, too deep
    return reference_canonical_json(value, exact=exact)


def reference_canonical_json(value: Any, *, exact: bool = True) -> bytes:
    """``canonical_json`` in pure Python: the reference the fast path is checked against, and its fallback."""
    parts: list[str] = []
    _write(value, parts, exact)
    return "".join(parts).encode("utf-8")


def _plain(value: Any) -> bool:
    """Whether orjson writes ``value`` as the reference does: exact types, no digit-led keys (orjson checks ints)."""
    try:
        return _plain_value(value)
    except RecursionError:
        return False


_LEAVES = frozenset({str, bool, type(None), Decimal, int})
#: key tuples already checked (records of one kind share theirs); bounded, cleared when full
_GOOD_KEYS: set[tuple[Any, ...]] = set()
_MAX_GOOD_KEYS = 4096


def _plain_value(value: Any) -> bool:
    kind = type(value)
    if kind is dict:
        keys = tuple(value)
        if keys not in _GOOD_KEYS:
            for key in keys:
                if type(key) is not str or "0" <= key[:1] <= "9":
                    return False
            if len(_GOOD_KEYS) >= _MAX_GOOD_KEYS:
                _GOOD_KEYS.clear()
            _GOOD_KEYS.add(keys)
        return _plain_items(value.values())
    if kind is list or kind is tuple:
        return _plain_items(value)
    return kind in _LEAVES


def _plain_items(items: Any) -> bool:
    """Every item of a container is plain (the loop inlines the leaf types: this runs on every request)."""
    for item in items:
        kind = type(item)
        if kind is str or kind is Decimal or kind is int or kind is bool or item is None:
            continue
        if not _plain_value(item):
            return False
    return True


def _exact_fragment(value: Any) -> Any:
    if type(value) is Decimal:
        return _decimal_fragment(value, True)
    raise TypeError  # never reached: _plain let only these through


def _rounded_fragment(value: Any) -> Any:
    if type(value) is Decimal:
        return _decimal_fragment(value, False)
    raise TypeError


def _decimal_fragment(value: Decimal, exact: bool) -> Any:
    """JavaScript's text for the number: a plain Decimal of at most 15 digits is its own shortest form.

    (Up to 15 significant digits a decimal round-trips through a double, so JavaScript writes those
    digits and ``exact`` has nothing to refuse; ``str`` writes plain notation from 1e-6 up, as
    JavaScript does below 1e21.) Anything else goes through ``js_number``.
    """
    text = str(value)
    plain = len(text) <= 17 and text.lstrip("-").replace(".", "", 1).isdigit()
    if plain and len(text) - ("." in text) - (text[0] == "-") <= 15:
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return orjson.Fragment("0" if text.strip("-0") == "" else text)
    return _js_number_fragment(value, exact)


@lru_cache(maxsize=4096)
def _js_number_fragment(value: Decimal, exact: bool) -> Any:
    """The reference formatting (it depends on the value only: equal Decimals share an entry)."""
    return orjson.Fragment(js_number(value, exact=exact))


def js_number(value: int | float | Decimal, *, path: str = "$", exact: bool = True) -> str:
    """Format a number as JavaScript's ``Number.prototype.toString`` does.

    With ``exact``, refuses values a JavaScript number cannot hold exactly (e.g. ``2**53 + 1``
    or ``0.1000000000000000001``) instead of silently rounding them.
    """
    if isinstance(value, bool):
        raise NotJsonSafe("booleans are not numbers", path=path)
    if type(value) is int and -_MAX_SAFE <= value <= _MAX_SAFE:
        return str(value)
    as_float = _to_float(value, path)
    if exact and not isinstance(value, float) and Decimal(repr(as_float)) != Decimal(value):
        raise NotJsonSafe(
            f"{value} cannot be sent exactly as a JSON number (JavaScript would read it as {repr(as_float)})",
            path=path,
        )
    if as_float == 0:
        return "0"
    text = repr(as_float)
    if "e" not in text:  # Python and JavaScript agree on plain notation in this range
        return text[:-2] if text.endswith(".0") else text
    digits, exponent = _shortest_digits(as_float)
    sign = "-" if as_float < 0 else ""
    return sign + _format_js(digits, exponent)


def _to_float(value: int | float | Decimal, path: str) -> float:
    try:
        as_float = float(value)
    except OverflowError:
        raise NotJsonSafe(f"{value} is too large for a JSON number", path=path) from None
    except ValueError:  # Decimal('sNaN')
        raise NotJsonSafe(f"{value} is not a finite number", path=path) from None
    if not math.isfinite(as_float):
        raise NotJsonSafe(f"{value} is not a finite number", path=path)
    return as_float


def _shortest_digits(number: float) -> tuple[str, int]:
    """Shortest round-trip digits ``d1d2...dk`` and ``n`` such that number = 0.d1..dk * 10**n."""
    with localcontext(Context(prec=40)):  # independent of the caller's decimal context
        sign, digit_tuple, exp = Decimal(repr(abs(number))).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    assert isinstance(exp, int)
    return digits, len(digits) + exp


def _format_js(digits: str, n: int) -> str:
    """ECMAScript Number::toString for k digits and decimal exponent n (spec 6.1.6.1.20)."""
    k = len(digits)
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    exp_text = ("+" if e >= 0 else "-") + str(abs(e))
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return mantissa + "e" + exp_text


def _write(value: Any, out: list[str], exact: bool) -> None:
    if isinstance(value, str):
        out.append(_js_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, (int, float, Decimal)):
        out.append(js_number(value, exact=exact))
    elif isinstance(value, Mapping):
        _write_object(value, out, exact)
    elif isinstance(value, UserString):
        out.append(_js_string(str(value)))
    elif isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            try:
                _write(item, out, exact)
            except NotJsonSafe as error:
                raise error.under(f"[{index}]") from None
        out.append("]")
    else:
        raise NotJsonSafe(f"{type(value).__name__} is not JSON serialisable")


def _write_object(value: Mapping[Any, Any], out: list[str], exact: bool) -> None:
    members, keys = _members(value)
    out.append("{")
    for index, key in enumerate(keys):
        if index:
            out.append(",")
        out.append(_js_key(key))
        try:
            _write(members[key], out, exact)
        except NotJsonSafe as error:
            raise error.under(f".{key}") from None
    out.append("}")


def _members(value: Mapping[Any, Any]) -> tuple[Mapping[str, Any], list[str]]:
    """The object's members and their order as JavaScript would hold them after JSON.parse."""
    plain, numeric = True, False
    for key in value:
        if type(key) is not str or not key.isascii():
            plain = False
            break
        numeric = numeric or key[:1].isdigit()
    if plain:
        return value, _js_key_order(list(value)) if numeric else list(value)
    # Keys that JavaScript sees as the same string collapse: first position, last value (JSON.parse).
    members: dict[str, Any] = {}
    for key, item in value.items():
        if not isinstance(key, str):
            raise NotJsonSafe(f"object keys must be strings, got {key!r}")
        members[_js_text(key)] = item
    return members, _js_key_order(list(members))


def _js_key_order(keys: list[str]) -> list[str]:
    """JavaScript objects list array-index keys first, ascending, then the rest in insertion order."""
    indices = [key for key in keys if _is_array_index(key)]
    if not indices:
        return keys
    others = [key for key in keys if not _is_array_index(key)]
    return sorted(indices, key=int) + others


def _is_array_index(key: str) -> bool:
    return key.isascii() and key.isdigit() and str(int(key)) == key and int(key) <= _ARRAY_INDEX_MAX


def _js_text(text: str) -> str:
    """Python may hold a surrogate pair as two code points; JavaScript sees one character."""
    if _LONE_SURROGATE.search(text):
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return text


def _js_string(text: str) -> str:
    if not _LONE_SURROGATE.search(text):
        return str(encode_basestring(text))
    encoded = encode_basestring(_js_text(text))
    return _LONE_SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", encoded)


@lru_cache(maxsize=4096)
def _js_key(key: str) -> str:
    """A member name with its colon; keys repeat across payloads, so they are cached."""
    return _js_string(key) + ":"
