"""parse_json's orjson path reads every text exactly as the standard library with ``parse_float=Decimal`` does.

Non-integer numbers must stay exact ``Decimal``s (never float), so a text with one is read again by
``reference_parse_json``; so is a text orjson refuses, so every error is the reference's too.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paycombat_tools.signing import parse_json, reference_parse_json

from .test_canonical_json import loose_bytes, payloads


def outcome(body: bytes | str, read: Any) -> tuple[str, str]:
    try:
        return "value", repr(read(body))  # repr: types (Decimal, int) and key order count
    except Exception as error:
        return type(error).__name__, str(error)


def assert_same(body: bytes | str) -> None:
    assert outcome(body, parse_json) == outcome(body, reference_parse_json)


texts = st.one_of(
    payloads.map(loose_bytes),
    payloads.map(lambda value: json.dumps(value, ensure_ascii=False, default=str)),
    st.binary(max_size=40),
    st.text(max_size=40),
    st.lists(st.sampled_from(['{', '}', '[', ']', ',', ':', '"a"', '1', '-0', '1.5', '1e2', '2E-3', 'null', 'true',
                              'NaN', 'Infinity', '"\\ud800"', '"\\ud83d\\ude00"', ' ', '18446744073709551616',
                              '-9223372036854775809', '1e400']), max_size=12).map("".join),
)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=texts)
def test_the_fast_path_reads_any_text_as_the_reference_does(body: bytes | str) -> None:
    assert_same(body)
    if isinstance(body, str):
        assert_same(body.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("body", [
    b'{"amount": 10.50, "fee": 0.1}', b'{"a": 1, "a": 2, "b": 3}', b'[NaN, Infinity]', b'\xef\xbb\xbf{"a": 1}',
    '{"a": 1}'.encode("utf-16"), b'{"big": 18446744073709551616, "neg": -9223372036854775809}', b'1e400',
    b'"\\ud800"', b'{"a": "\xff"}', b"[" * 2000 + b"]" * 2000, b"", b"  ", b'{"a": 1} x',
])
def test_texts_orjson_reads_differently_or_refuses_are_read_by_the_reference(body: bytes) -> None:
    assert_same(body)


def test_a_non_integer_amount_is_an_exact_decimal() -> None:
    assert parse_json(b'{"data": {"amount": 10.50, "count": 2}}') == {"data": {"amount": Decimal("10.50"), "count": 2}}
    assert type(parse_json(b'{"amount": 0.1}')["amount"]) is Decimal
