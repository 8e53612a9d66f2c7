"""The sandbox's bytes (``canonical_json(..., exact=False)``, orjson where exact) equal the reference serialiser's."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paycombat_tools._canonical_json import reference_canonical_json
from paycombat_tools.signing import canonical_json

#: keys like a record's, plus the awkward ones: digits first (JavaScript orders array indexes first),
#: non-ASCII, lone surrogates, empty
KEYS = st.one_of(st.sampled_from(["id", "status", "amount", "currency", "created_at", "data", "0", "1", "10",
                                  "01", "4294967295", "", "名前", "é"]),
                 st.text(max_size=6), st.integers(0, 20).map(str))
MONEY = st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**15, max_value=10**15)
NUMBERS = st.one_of(
    st.integers(-2**70, 2**70), st.integers(-2**53 - 2, -2**53 + 2), st.integers(2**53 - 2, 2**53 + 2),
    MONEY, st.decimals(allow_nan=True, allow_infinity=True),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([Decimal("1E+2"), Decimal("-0.00"), 1.0, 1e21,
                                                                     1e-7, 5e-324, Decimal("0.0000001")]),
)
TEXT = st.one_of(st.text(), st.sampled_from(["\ud800", "\udc00x", "\ud83d\ude00", "\x00\x1f\x7f\u2028\u2029", '"\\/']))
LEAVES = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT)
VALUES = st.recursive(LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.tuples(inner, inner), st.dictionaries(KEYS, inner, max_size=6),
    st.dictionaries(st.integers(0, 3), inner, max_size=2),  # non-str keys: refused by both
), max_leaves=30)


def reference(value: Any) -> bytes | str:
    try:
        return reference_canonical_json(value, exact=False)
    except Exception as error:  # the same refusal, for the same reason
        return f"{type(error).__name__}: {error}"


def fast(value: Any) -> bytes | str:
    try:
        return canonical_json(value, exact=False)
    except Exception as error:
        return f"{type(error).__name__}: {error}"


@given(VALUES)
@settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
def test_fast_path_bytes_equal_the_reference_serialiser(value: Any) -> None:
    assert fast(value) == reference(value)


RECORD = st.fixed_dictionaries({
    "id": st.text(min_size=1, max_size=40), "status": st.sampled_from(["PENDING", "SUCCESS", "FAILED"]),
    "amount": MONEY, "currency": st.sampled_from(["AUD", "KRW", "SGD"]), "metadata": st.dictionaries(KEYS, TEXT),
    "fee": st.one_of(st.none(), MONEY), "count": st.integers(-2**60, 2**60), "note": TEXT,
})


@given(st.lists(RECORD, max_size=20), st.integers(1, 10**6))
@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
def test_a_page_of_records_is_byte_identical(records: list[dict[str, Any]], total: int) -> None:
    body = {"status": True, "message": "OK", "data": {"current_page": 1, "per_page": 20, "total": total,
                                                      "last_page": 1, "data": records}}
    assert fast(body) == reference(body)


def test_plain_records_take_the_fast_path_and_awkward_values_fall_back() -> None:
    record = {"id": "p_1", "amount": Decimal("10.50"), "note": "名前", "tags": ["a"], "fee": None, "n": 2**53}
    assert canonical_json(record, exact=False) == reference_canonical_json(record, exact=False) == \
        '{"id":"p_1","amount":10.5,"note":"名前","tags":["a"],"fee":null,"n":9007199254740992}'.encode()
    for awkward in ({"1": "b", "a": 1}, {"x": 1.0}, {"x": "\ud800"}, {"x": 2**64}, {"x": Decimal("1E+21")}):
        assert canonical_json(awkward, exact=False) == reference_canonical_json(awkward, exact=False)
