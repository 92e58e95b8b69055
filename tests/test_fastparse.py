"""The C-speed parse shortcut in front of the strict parser: it gives the strict parser's
value, or steps aside (and the strict parser decides and explains)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from silkcore._errors import DataError
from silkcore._fastparse import fast_loads as shortcut
from silkcore._jsonio import DEFAULT_LIMITS, Limits, loads


def fast_loads(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> Any:
    return shortcut(raw, limits)


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(codec="utf-8"), max_size=12)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=30,
)


def _same(left: Any, right: Any) -> bool:
    """Equal, and of the same JSON types all the way down (1 and 1.0 are not the same)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(_same(a, b) for a, b in zip(left, right, strict=True))
    return bool(left == right) or (left != left and right != right)


def _strict(raw: bytes) -> Any:
    try:
        return loads(raw)
    except DataError:
        return DataError


def _agrees(raw: bytes) -> None:
    fast = fast_loads(raw)
    if fast is not None:
        strict = _strict(raw)
        assert strict is not DataError, f"the shortcut accepted what the strict parser refuses: {raw[:200]!r}"
        assert _same(fast, strict)


@given(VALUES, st.booleans(), st.sampled_from([(",", ":"), (", ", ": "), (",", " : ")]))
def test_the_shortcut_gives_the_strict_value_or_steps_aside(value: Any, ascii_only: bool, separators: tuple[str, str]) -> None:
    _agrees(json.dumps(value, ensure_ascii=ascii_only, separators=separators).encode())


@given(st.binary(max_size=60) | VALUES.map(lambda v: json.dumps(v).encode()), st.data())
@example(b'{"a":1,"a":2}', None)
@example(b'{"a": 1, "a" : 2}', None)
@example(b'{"a":"x:y","a":1}', None)
def test_damaged_and_random_bytes_never_slip_through(raw: bytes, data: st.DataObject | None) -> None:
    if data is not None and raw:
        at = data.draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + data.draw(st.sampled_from([b":", b'"', b",", b"{", b"\\", b"0", b"\x00", b"\xff"])) + raw[at + 1 :]
    _agrees(raw)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a": 1, "a": 2}',  # duplicate key: orjson keeps the last one silently
        b'{"a": {"b": 1, "b": 1}}',
        b'{"a": "\\u0000"}',  # NUL through an escape
        b'{"a": 123456789012345678901234567890}',  # orjson would make it a float
        b'{"a": -9223372036854775809}',
        b'{"a": 1.' + b"1" * 80 + b"}",
        b"[" * 65 + b"]" * 65,  # one level over the limit
        b'{"a": NaN}',
        b'\xef\xbb\xbf{"a": 1}',
    ],
)
def test_every_known_trap_goes_the_strict_way(raw: bytes) -> None:
    assert fast_loads(raw) is None


@pytest.mark.parametrize("inner", [b"", b"1", b'"x"', b"[]", b"{}", b'{"k": 1}', b"[1, [2]]"])
def test_nesting_at_the_limit_is_taken_and_one_more_level_is_not(inner: bytes) -> None:
    for levels in (62, 63, 64, 65, 66):
        raw = b'{"a": ' * levels + inner + b"}" * levels
        strict_ok = _strict(raw) is not DataError
        fast = fast_loads(raw)
        assert (fast is not None) == strict_ok, (levels, inner)
    at_limit = b"[" * 64 + b"]" * 64
    assert fast_loads(at_limit) is not None and _strict(at_limit) is not DataError
    wide = json.dumps({"answers": [{"id": i, "v": [i]} for i in range(80)]}).encode()
    assert _same(fast_loads(wide), loads(wide))  # many brackets, shallow: measured, then taken


def test_limits_tighter_than_the_screens_or_a_larger_input_go_the_strict_way() -> None:
    raw = b'{"a": [1, 2, 3]}'
    assert fast_loads(raw) == {"a": [1, 2, 3]}
    assert fast_loads(raw, Limits(max_bytes=len(raw) - 1)) is None  # the strict parser says why
    assert fast_loads(raw, Limits(max_int_digits=5)) is None
    assert fast_loads(raw, Limits(max_float_chars=20)) is None


def test_nesting_past_orjsons_own_writing_limit_goes_the_strict_way() -> None:
    deep = b"[" * 300 + b"]" * 300  # orjson reads it, but will not write past 255 levels
    assert shortcut(deep, DEFAULT_LIMITS) is None
    with pytest.raises(DataError, match="nesting deeper"):
        loads(deep)
