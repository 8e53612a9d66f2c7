"""The orjson fast path of canonical_json gives the reference's bytes, or the reference's refusal, for any input.

``reference_canonical_json`` is the pure-Python original (checked against Node in
``test_canonical_json``); the fast path must never differ from it, byte for byte and error for error.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict, UserString
from decimal import Decimal
from enum import Enum
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paycombat_tools._canonical_json import _plain, canonical_json, reference_canonical_json
from tests.node_oracle import NodeOracle

from .test_canonical_json import KEY_LIKES, decimals, payloads, strings


def outcome(function: Any, value: Any, exact: bool) -> tuple[str, Any]:
    try:
        return "bytes", function(value, exact=exact)
    except Exception as error:  # the refusal must be the same one, naming the same place
        return type(error).__name__, str(error)


def assert_same(value: Any) -> None:
    for exact in (True, False):
        assert outcome(canonical_json, value, exact) == outcome(reference_canonical_json, value, exact)


big_ints = st.one_of(st.integers(), st.sampled_from([2**53, 2**53 + 1, -(2**53) - 1, 2**63, 2**64, -(2**64), 2**60]))
any_decimals = st.one_of(decimals, st.sampled_from(["NaN", "sNaN", "-Infinity", "1e400", "0.1000000000000000001",
                                                    "1E-400", "-0.0"]).map(Decimal))
any_floats = st.floats(allow_nan=True, allow_infinity=True)
odd_scalars = st.one_of(st.none(), st.booleans(), big_ints, any_floats, any_decimals, strings,
                        strings.map(UserString), st.just(uuid.UUID(int=7)), st.just(b"bytes"))
any_keys = st.one_of(strings, st.sampled_from(KEY_LIKES), st.integers(0, 2**32 + 2).map(str),
                     st.sampled_from([1, None, 2.5, True]))
any_payloads = st.recursive(
    odd_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.lists(children, max_size=5).map(tuple),
        st.dictionaries(any_keys, children, max_size=6),
        st.dictionaries(strings, children, max_size=4).map(OrderedDict),
    ),
    max_leaves=25,
)

#: What the client really sends: exact types, Decimals, no digit-led keys (the fast path's domain).
plain_keys = st.one_of(strings, st.sampled_from(KEY_LIKES)).filter(lambda key: not "0" <= key[:1] <= "9")
plain_scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**53), 2**53), decimals, strings)
plain_payloads = st.recursive(
    plain_scalars,
    lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(plain_keys, children, max_size=6)),
    max_leaves=25,
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(value=any_payloads)
def test_the_fast_path_gives_the_references_bytes_or_its_refusal_for_anything(value: Any) -> None:
    assert_same(value)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(value=payloads)
def test_the_fast_path_matches_the_reference_on_the_node_checked_payloads(value: Any) -> None:
    assert_same(value)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(value=plain_payloads)
def test_plain_payloads_are_what_node_makes_of_them(node: NodeOracle, value: Any) -> None:
    ours = canonical_json(value)
    assert ours == reference_canonical_json(value)
    assert node.stringify_parse(ours) == ours


def test_a_payout_body_takes_the_fast_path() -> None:
    body = {"sender_amount": Decimal("40.00"), "sender_currency": "AUD", "order_id": "pct_1",
            "payout_beneficiary_param": {"bsb": "062-000", "individual": {"first_name": "Grace"}}, "tags": ["a", 1]}
    assert _plain(body)
    assert canonical_json(body) == reference_canonical_json(body)
    assert canonical_json(body).startswith(b'{"sender_amount":40,')


class Colour(Enum):
    RED = (1, 2)


@pytest.mark.parametrize("value", [
    {"10": "a", "2": "b", "x": "c"},       # array-index keys are reordered
    {"a": "\ud83d\ude00", "\ud800": 1},    # a split pair is one character, a lone half is escaped
    {"a": 2**53 + 1}, {"a": 2**60},        # refused / exact beyond 2**53
    {"a": 1.0, "b": 1e21, "c": -0.0},      # floats in JavaScript's form
    {1: "non-str key"}, {"a": Decimal("NaN")}, {"a": [Decimal("0.1000000000000000001")]},
    {"a": uuid.UUID(int=1)}, {"a": Colour.RED}, {"a": UserString("u")}, ("a", Decimal("1.50")),
    [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],
])
def test_what_orjson_would_write_differently_or_refuse_goes_the_reference_way(value: Any) -> None:
    assert_same(value)


def test_nesting_deeper_than_orjson_allows_gives_the_references_bytes() -> None:
    value: Any = "x"
    for _ in range(300):
        value = {"a": [value]}
    assert_same(value)
