"""The sandbox's JSON bytes: ``orjson`` where it writes exactly what ``canonical_json(exact=False)`` writes.

Responses, stored records and webhook bodies are ``JSON.stringify`` bytes. ``orjson`` gives the same
bytes for dicts, lists, strings, bools, None, safe integers and (through a fragment) Decimals; anything
else falls back to the reference serialiser: floats (JavaScript writes ``1`` for ``1.0``), keys that
start with a digit (JavaScript puts array-index keys first), lone surrogates, integers beyond 2**53,
non-str keys, other types. A quick type walk decides; ``orjson`` refusing anything also falls back.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

import orjson

from .._canonical_json import canonical_json, js_number

_LEAVES = frozenset({str, bool, type(None), Decimal, int})
_CONTAINERS = (dict, list, tuple)
#: key tuples already checked (records of one kind share theirs); bounded, cleared when full
_GOOD_KEYS: set[tuple[str, ...]] = set()
_MAX_GOOD_KEYS = 4096


def dumps(value: Any) -> bytes:
    """``canonical_json(value, exact=False)``, byte for byte, through ``orjson`` when that is exact."""
    try:
        if _plain(value):
            return orjson.dumps(value, default=_decimal, option=orjson.OPT_STRICT_INTEGER)
    except (TypeError, ValueError, RecursionError):  # orjson.JSONEncodeError is a TypeError
        pass
    return canonical_json(value, exact=False)


def _decimal(value: Any) -> orjson.Fragment:
    if type(value) is Decimal:
        return _decimal_text(value)
    raise TypeError(f"{type(value).__name__} is left to the reference serialiser")


def _decimal_text(value: Decimal) -> orjson.Fragment:
    """JavaScript's text for the number: a plain Decimal of at most 15 digits is its own shortest form.

    (Up to 15 significant digits a decimal round-trips through a double, so JavaScript writes those
    digits; ``str`` writes plain notation from 1e-6 up, as JavaScript does below 1e21.)
    """
    text = str(value)
    plain = len(text) <= 17 and text.lstrip("-").replace(".", "", 1).isdigit()
    if plain and len(text) - ("." in text) - (text[0] == "-") <= 15:
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return orjson.Fragment("0" if text.strip("-0") == "" else text)
    return _js_number_text(value)


@lru_cache(maxsize=4096)
def _js_number_text(value: Decimal) -> orjson.Fragment:
    """The reference formatting (it depends on the value only: equal Decimals share it)."""
    return orjson.Fragment(js_number(value, exact=False))


def _plain(value: Any) -> bool:
    """Whether every node is a type ``orjson`` writes as JavaScript would (ints are checked by orjson)."""
    kind = type(value)
    if kind is dict:
        keys = tuple(value)
        if keys not in _GOOD_KEYS:
            if not all(type(key) is str and not key[:1].isdigit() for key in keys):
                return False
            if len(_GOOD_KEYS) >= _MAX_GOOD_KEYS:
                _GOOD_KEYS.clear()
            _GOOD_KEYS.add(keys)
        return _plain_items(value.values())
    if kind is list or kind is tuple:
        return _plain_items(value)
    return kind in _LEAVES


def _plain_items(items: Any) -> bool:
    kinds = set(map(type, items))
    if kinds <= _LEAVES:
        return True
    if not kinds <= _LEAVES | {dict, list, tuple}:
        return False
    return all(_plain(item) for item in items if isinstance(item, _CONTAINERS))
