"""canonical_json must give the very bytes Node gives for ``JSON.stringify(JSON.parse(body))``.

PayCombat re-serialises the body it receives and checks our HMAC against *those* bytes, so
every test here asks a real Node (the ``node`` fixture) rather than trusting our reading of
the ECMAScript spec.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
from collections import UserString
from collections.abc import Mapping, Sequence
from decimal import Decimal, localcontext
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paycombat_tools._canonical_json import NotJsonSafe, canonical_json, js_number
from tests.node_oracle import NodeOracle

# --------------------------------------------------------------------------------------------
# A deliberately loose serialiser: what some other client might put on the wire.
# --------------------------------------------------------------------------------------------


def _is_array_index(key: str) -> bool:
    return key.isascii() and key.isdigit() and str(int(key)) == key and int(key) <= 2**32 - 2


def loose_json(value: Any, level: int = 0) -> str:
    """Valid but non-canonical JSON for ``value``.

    Indented, ASCII-only (so lone surrogates become ``\\udxxx`` escapes), Decimals written as
    their raw ``str()`` (``1.50``, ``1E+2``, ``0E-8``), floats as Python's ``repr`` (``1e-07``),
    and array-index keys written *last and descending* so Node has to reorder them.
    """
    pad, inner = "\n" + "  " * level, "\n" + "  " * (level + 1)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=True)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        keys = [k for k in value if not _is_array_index(k)]
        keys += sorted((k for k in value if _is_array_index(k)), key=int, reverse=True)
        if not keys:
            return "{ }"
        members = [f"{inner}{json.dumps(k, ensure_ascii=True)} : {loose_json(value[k], level + 1)}" for k in keys]
        return "{" + ",".join(members) + pad + "}"
    if isinstance(value, Sequence):
        if not value:
            return "[ ]"
        return "[" + ",".join(inner + loose_json(item, level + 1) for item in value) + pad + "]"
    raise TypeError(type(value))


def loose_bytes(value: Any) -> bytes:
    return loose_json(value).encode("ascii")


# --------------------------------------------------------------------------------------------
# Strategies for JSON-like payloads.
# --------------------------------------------------------------------------------------------

TRICKY_CHARS = [
    '"', "\\", "/", "\b", "\f", "\n", "\r", "\t", "\x00", "\x1f", "\x7f", "\x80",
    "\u2028", "\u2029", "\ufeff", "\uffff", "é", "ü", "€", "中", "😀", "👍🏽",
    "\ud800", "\udbff", "\udc00", "\udfff", "\ud83d", "\ude00",  # lone surrogate halves
]
KEY_LIKES = [
    "0", "1", "2", "10", "01", "00", "-1", "1.0", "1e3", " 1", "+1", "٣", "²",
    "4294967294", "4294967295", "4294967296", "9007199254740993",
    "__proto__", "constructor", "toString", "",
]
SPECIAL_DECIMALS = [
    "1.50", "100", "0.1", "1E+2", "-0.000001", "0.000001", "1e-7", "1e21", "1e20", "1E-6",
    "123456789012345678901234", "100000000000000000000", "999999999999999999999",
    "-0", "0E-8", "-0.00", "0.30", "12.345000", "5e-324", "1.7976931348623157e308",
    "9007199254740992", "9007199254740993", "-9007199254740991", "2.5e-7", "1.23e+21",
]


def _js_exact(number: int | float | Decimal) -> bool:
    try:
        js_number(number)
    except NotJsonSafe:
        return False
    return True


def _with_trailing_zeros(d: Decimal, extra: int) -> Decimal:
    """Same value, more digits: 1.5 -> 1.500."""
    sign, digits, exp = d.as_tuple()
    assert isinstance(exp, int)
    return Decimal((sign, digits + (0,) * extra, exp - extra))


finite_floats = st.floats(allow_nan=False, allow_infinity=False)
float_decimals = finite_floats.map(lambda f: Decimal(repr(f)))
decimals = st.one_of(
    float_decimals,
    st.builds(_with_trailing_zeros, float_decimals, st.integers(1, 6)),
    float_decimals.map(Decimal.normalize),  # 1E+2 style
    st.builds(  # money: minor units scaled by a currency exponent
        lambda units, places: Decimal(units).scaleb(-places),
        st.integers(-(2**53), 2**53),
        st.integers(0, 8),
    ),
    st.sampled_from(SPECIAL_DECIMALS).map(Decimal),
).filter(_js_exact)

numbers = st.one_of(st.integers(-(2**53), 2**53), finite_floats, decimals)
strings = st.lists(  # pieces, not characters: "👍🏽" is two code points
    st.one_of(st.sampled_from(TRICKY_CHARS), st.characters(exclude_categories=())), max_size=12
).map("".join)
keys = st.one_of(strings, st.sampled_from(KEY_LIKES), st.integers(0, 2**32 + 2).map(str))
scalars = st.one_of(st.none(), st.booleans(), numbers, strings)
payloads = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(keys, children, max_size=6),
    ),
    max_leaves=25,
)


# --------------------------------------------------------------------------------------------
# Property: our bytes are Node's bytes, whatever shape the payload has.
# --------------------------------------------------------------------------------------------


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(payload=payloads)
def test_node_reserialises_our_bytes_unchanged_and_a_loose_encoding_into_our_bytes(
    node: NodeOracle, payload: Any
) -> None:
    ours = canonical_json(payload)
    # What we send survives the server's JSON.parse/JSON.stringify byte for byte ...
    assert node.stringify_parse(ours) == ours
    # ... and is what the server makes of any other valid encoding of the same payload.
    assert node.stringify_parse(loose_bytes(payload)) == ours


@settings(max_examples=300, deadline=None)
@given(
    number=st.one_of(
        finite_floats.map(lambda f: Decimal(repr(f))),
        st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
            lambda d: abs(d) < Decimal("1e300") and (d == 0 or abs(d) > Decimal("1e-300"))
        ),
        st.integers(-(2**70), 2**70),
        st.builds(lambda units, places: Decimal(units).scaleb(-places), st.integers(-(10**25), 10**25), st.integers(0, 30)),
    )
)
def test_without_exact_any_number_is_rounded_just_as_node_rounds_it(node: NodeOracle, number: Any) -> None:
    """For checking what others signed, inexact numbers are rounded the way JSON.parse rounds them."""
    assert canonical_json({"amount": number}, exact=False) == node.stringify_parse(
        b'{"amount":' + str(number).encode() + b"}"
    )


# --------------------------------------------------------------------------------------------
# Examples: each one a claim about the wire format, confirmed by Node.
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(Decimal("1.50"), b"1.5", id="trailing-zero-dropped"),
        pytest.param(Decimal("100"), b"100", id="integer-decimal"),
        pytest.param(Decimal("1E+2"), b"100", id="exponent-decimal-written-plain"),
        pytest.param(Decimal("0.1"), b"0.1", id="point-one"),
        pytest.param(1e21, b"1e+21", id="float-1e21-goes-exponential"),
        pytest.param(Decimal("1e21"), b"1e+21", id="decimal-1e21-goes-exponential"),
        pytest.param(Decimal("1e20"), b"100000000000000000000", id="1e20-still-plain"),
        pytest.param(Decimal("1e-7"), b"1e-7", id="1e-7-goes-exponential"),
        pytest.param(Decimal("0.000001"), b"0.000001", id="1e-6-still-plain"),
        pytest.param(Decimal("-0.000001"), b"-0.000001", id="negative-small"),
        pytest.param(-0.0, b"0", id="negative-zero-float"),
        pytest.param(Decimal("-0.00"), b"0", id="negative-zero-decimal"),
        pytest.param(2**53, b"9007199254740992", id="2**53"),
        pytest.param(-(2**53), b"-9007199254740992", id="-2**53"),
        pytest.param(5e-324, b"5e-324", id="smallest-subnormal"),
        pytest.param(Decimal("1.23e+21"), b"1.23e+21", id="mantissa-with-exponent"),
    ],
)
def test_numbers_are_written_as_javascript_writes_them(node: NodeOracle, value: Any, expected: bytes) -> None:
    assert canonical_json(value) == expected
    assert node.stringify_parse(loose_bytes(value)) == expected


def test_array_index_keys_come_first_ascending_then_insertion_order(node: NodeOracle) -> None:
    assert canonical_json({"b": 1, "2": 2, "1": 3}) == b'{"1":3,"2":2,"b":1}'
    assert node.stringify_parse(b'{"b":1,"2":2,"1":3}') == b'{"1":3,"2":2,"b":1}'

    # "01" is not canonical and 4294967295 is past the last array index: both stay in place.
    payload = {"z": 0, "4294967295": 1, "01": 2, "10": 3, "4294967294": 4, "0": 5}
    expected = b'{"0":5,"10":3,"4294967294":4,"z":0,"4294967295":1,"01":2}'
    assert canonical_json(payload) == expected
    assert node.stringify_parse(loose_bytes(payload)) == expected


def test_non_ascii_and_slash_are_kept_raw_and_controls_escaped(node: NodeOracle) -> None:
    text = "é/ü\u2028\u2029😀"
    expected = ('"' + text + '"').encode("utf-8")
    assert canonical_json(text) == expected
    assert node.stringify_parse(loose_bytes(text)) == expected

    controls = '\x00\x1f\b\t\n\f\r"\\\x7f'
    expected = b'"\\u0000\\u001f\\b\\t\\n\\f\\r\\"\\\\\x7f"'
    assert canonical_json(controls) == expected
    assert node.stringify_parse(loose_bytes(controls)) == expected


def test_lone_surrogates_are_escaped_lowercase_but_a_split_pair_is_one_character(node: NodeOracle) -> None:
    lone = "a\ud83dz\udfff"
    assert canonical_json(lone) == b'"a\\ud83dz\\udfff"'
    assert node.stringify_parse(loose_bytes(lone)) == b'"a\\ud83dz\\udfff"'

    split_pair = "\ud83d\ude00"  # a surrogate pair held as two Python code points
    assert canonical_json(split_pair) == '"😀"'.encode("utf-8")
    assert node.stringify_parse(loose_bytes(split_pair)) == '"😀"'.encode("utf-8")


def test_keys_that_javascript_sees_as_the_same_string_are_not_sent_twice(node: NodeOracle) -> None:
    # Distinct in Python, identical once JavaScript reads them: a surrogate pair held as two
    # code points and the emoji itself. JSON.parse keeps only the last value, so sending both
    # would be signed over bytes the server never reproduces.
    payload = {"\ud83d\ude00": 1, "😀": 2}
    server_sees = node.stringify_parse(loose_bytes(payload))
    assert server_sees == '{"😀":2}'.encode("utf-8")
    try:
        ours = canonical_json(payload)
    except NotJsonSafe:
        return  # refusing is fine too
    assert ours == server_sees


def test_decimal_digits_do_not_depend_on_the_callers_decimal_context(node: NodeOracle) -> None:
    amount = Decimal("1.2345678")
    with localcontext() as ctx:
        ctx.prec = 6
        ours = canonical_json({"amount": amount})
    assert ours == node.stringify_parse(b'{"amount":1.2345678}') == b'{"amount":1.2345678}'


# --------------------------------------------------------------------------------------------
# Refusals: values that would not reach the server as written, named by their path.
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wire", "node_reads"),
    [
        pytest.param(str(2**53 + 1), "9007199254740992", id="2**53+1"),
        pytest.param("0.1000000000000000000001", "0.1", id="too-many-digits"),
        pytest.param("1e400", "null", id="overflow"),
        pytest.param("1e-400", "0", id="underflow"),
    ],
)
def test_node_really_would_change_these_numbers(node: NodeOracle, wire: str, node_reads: str) -> None:
    assert node.stringify_parse(wire.encode()) == node_reads.encode()


@pytest.mark.parametrize(
    "amount",
    [
        pytest.param(2**53 + 1, id="int-2**53+1"),
        pytest.param(-(2**53) - 1, id="int--2**53-1"),
        pytest.param(10**400, id="int-too-large-for-a-float"),
        pytest.param(Decimal("0.1000000000000000000001"), id="decimal-too-many-digits"),
        pytest.param(Decimal("123456789012345678901234"), id="decimal-big-integer"),
        pytest.param(float("nan"), id="float-nan"),
        pytest.param(float("inf"), id="float-inf"),
        pytest.param(float("-inf"), id="float--inf"),
        pytest.param(Decimal("NaN"), id="decimal-nan"),
        pytest.param(Decimal("sNaN"), id="decimal-snan"),
        pytest.param(Decimal("-Infinity"), id="decimal--inf"),
        pytest.param(Decimal("1e400"), id="decimal-overflow"),
        pytest.param(Decimal("1e-400"), id="decimal-underflow-to-zero"),
        pytest.param(Decimal("-1E-1000"), id="decimal-underflow-to-negative-zero"),
    ],
)
def test_numbers_javascript_cannot_hold_are_refused_naming_the_field(amount: Any) -> None:
    with pytest.raises(NotJsonSafe, match=r"\$\.amount"):
        canonical_json({"currency": "AUD", "amount": amount})


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        pytest.param({"items": [{"tags": {"a", "b"}}]}, r"\$\.items\[0\]\.tags", id="set"),
        pytest.param({"blob": b"\x00"}, r"\$\.blob", id="bytes"),
        pytest.param({"blob": bytearray(b"\x00")}, r"\$\.blob", id="bytearray"),
        pytest.param({"meta": {1: "x"}}, r"\$\.meta", id="non-str-key"),
        pytest.param({"meta": {None: "x"}}, r"\$\.meta", id="none-key"),
        pytest.param({"when": object()}, r"\$\.when", id="object"),
    ],
)
def test_values_json_cannot_carry_are_refused_naming_the_field(payload: Any, path: str) -> None:
    with pytest.raises(NotJsonSafe, match=path):
        canonical_json(payload)


def test_a_refusal_is_a_value_error() -> None:
    assert issubclass(NotJsonSafe, ValueError)
    with pytest.raises(NotJsonSafe):
        js_number(True)  # type: ignore[arg-type]


def test_a_string_like_sequence_is_written_as_a_string_not_recursed_forever() -> None:
    assert canonical_json(UserString("ab")) == b'"ab"'


# --------------------------------------------------------------------------------------------
# Signatures: our HMAC over canonical bytes is the one the PayCombat docs' Node recipe computes.
# --------------------------------------------------------------------------------------------

SIGNING_PAYLOADS = [
    {"amount": Decimal("1.50"), "currency": "AUD", "reference": "order/42"},
    {"amount": Decimal("100"), "currency": "KRW", "metadata": {"2": "b", "1": "a", "note": "café\u2028"}},
    {"amount": Decimal("0.001"), "currency": "KWD", "items": [{"sku": "😀", "qty": 3}], "tiny": Decimal("1e-7")},
    {"amount": 9007199254740991, "weird": "\ud800", "big": Decimal("1e21"), "neg": -0.0, "ok": True, "none": None},
]


@pytest.mark.parametrize("payload", SIGNING_PAYLOADS)
@pytest.mark.parametrize("key", ["sk_test_4eC39HqLyjWDarjtT1zdp7dc", "clé-🔑"])
def test_our_signature_matches_the_servers_recipe(node: NodeOracle, key: str, payload: Any) -> None:
    body = canonical_json(payload)
    ours = hmac.new(key.encode("utf-8"), body, hashlib.sha256).hexdigest()
    assert node.sign(key, body) == ours
    # The server signs what it re-serialises, so even a loosely encoded body verifies.
    assert node.sign(key, loose_bytes(payload)) == ours


def test_loose_encoder_is_really_loose() -> None:
    """Guard for the property test: the alternative encoding must actually differ."""
    payload = {"b": Decimal("1.50"), "1": ["é", 1e-7]}
    assert loose_bytes(payload) != canonical_json(payload)
    assert math.isclose(json.loads(loose_bytes(payload))["1"][1], 1e-7)
