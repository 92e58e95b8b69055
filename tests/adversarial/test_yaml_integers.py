"""YAML numbers are bounded before they are converted, in every base, and refused with their place.

PyYAML turns ``0x...``, ``0...`` (octal), ``0b...`` and sexagesimal ``1:2:3`` scalars into
Python integers of any size: thousands of digits ended in a ``ValueError`` traceback (CPython
refuses to print such an integer), and sexagesimal arithmetic is quadratic in the number of
parts. silkcore counts the digits first. The time side is a benchmark
(``benchmarks/bench_yaml_linear.py``), not an assertion here.
"""

from __future__ import annotations

import math

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from silkcore import Limits
from silkcore._errors import DataError
from silkcore._jsonio import load_yaml
from silkcore._yaml_reader import _StrictYamlLoader

HUGE = [
    ("hexadecimal", "0x" + "f" * 5000, "hexadecimal digits"),
    ("hexadecimal with underscores", "0x" + "ff_" * 2000 + "f", "hexadecimal digits"),
    ("negative hexadecimal", "-0x" + "1" * 5000, "hexadecimal digits"),
    ("octal", "0" + "7" * 5000, "octal digits"),
    ("binary", "0b" + "1" * 5000, "binary digits"),
    ("decimal", "9" * 5000, "5000 digits"),
    ("decimal with underscores", "1_000" * 1500, "digits"),
    ("sexagesimal", "1" + ":59" * 5000, "sexagesimal"),
    ("sexagesimal, long head", "9" * 5000 + ":30", "sexagesimal"),
    ("explicit tag, 0o octal", "!!int 0o" + "7" * 5000, "octal digits"),
    ("explicit tag on a string", '!!int "' + "1" * 5000 + '"', "digits"),
    ("sexagesimal float", "1" + ":59" * 5000 + ".5", "too long"),
    ("long float", "1." + "5" * 5000, "too long"),
]


@pytest.mark.parametrize(("name", "scalar", "words"), HUGE, ids=[h[0] for h in HUGE])
def test_huge_integers_are_refused_with_pointer_line_and_column(name: str, scalar: str, words: str) -> None:
    text = f"id: test\nvalues:\n  - 1\n  - {scalar}\n"
    with pytest.raises(DataError) as caught:
        load_yaml(text, source="f.yaml")
    [issue] = caught.value.errors
    assert (issue.source, issue.pointer, issue.line, issue.column) == ("f.yaml", "/values/1", 4, 5)
    assert words in issue.message


@pytest.mark.parametrize(
    ("scalar", "value"),
    [
        ("0x7fffffffffffffff", 0x7FFFFFFFFFFFFFFF),
        ("-0x0000000000000000000000000000000000001", -1),  # leading zeros are not digits that count
        ("0b" + "1" * 63, 2**63 - 1),
        ("0777", 0o777),
        ("1:30:00", 5400),
        ("-1:30", -90),
        ("190:20:30", 685230),
        ("1_000_000", 1_000_000),
        ("9" * 19, int("9" * 19)),
        ("!!int 0o17", 15),
        ("1:30.5", 90.5),
        ("6.02e+23", 6.02e23),
    ],
)
def test_integers_in_range_are_read_as_before(scalar: str, value: float) -> None:
    assert load_yaml(f"a: {scalar}\n") == {"a": value}


@pytest.mark.parametrize(
    ("scalar", "words"),
    [
        ("0x" + "f" * 16, "out of range"),  # 16 hexadecimal digits, but 20 decimal ones
        ("1" + "0" * 19, "20 digits"),
        ("1:0:0:0:0:0:0:0:0:0:0:0", "out of range"),
        (".inf", "finite"),
        ("-.inf", "finite"),
        (".nan", "finite"),
        ("!!float 1e999", "infinity"),
        ("!!int zz", "not an integer"),
        ("!!int 0xg", "not an integer"),
        ("!!int 1:x", "not an integer"),
        ("!!float one", "not a number"),
    ],
)
def test_numbers_beyond_the_limits_or_malformed_are_located(scalar: str, words: str) -> None:
    with pytest.raises(DataError) as caught:
        load_yaml(f"a:\n  b: {scalar}\n", source="n.yaml")
    [issue] = caught.value.errors
    assert (issue.pointer, issue.line, issue.column) == ("/a/b", 2, 6)
    assert words in issue.message


def test_a_huge_integer_as_a_key_is_located() -> None:
    with pytest.raises(DataError) as caught:  # a plain key holds at most 1,024 characters in YAML
        load_yaml("a:\n  0x" + "f" * 1000 + ": 1\n")
    [issue] = caught.value.errors
    assert (issue.pointer, issue.line, issue.column) == ("/a", 2, 3) and "hexadecimal digits" in issue.message


def test_every_huge_number_is_reported_not_only_the_first() -> None:
    text = "".join(f"k{i}: 0b{'1' * 100}\n" for i in range(5))
    with pytest.raises(DataError) as caught:
        load_yaml(text)
    assert [(i.pointer, i.line) for i in caught.value.errors] == [(f"/k{i}", i + 1) for i in range(5)]


def test_the_limit_follows_max_int_digits() -> None:
    limits = Limits(max_int_digits=40)
    assert load_yaml("a: 0x" + "f" * 33, limits=limits) == {"a": int("f" * 33, 16)}
    assert load_yaml("a: 0x1869f", limits=Limits(max_int_digits=5)) == {"a": 99999}
    with pytest.raises(DataError, match="at most 5 hexadecimal digits"):
        load_yaml("a: 0x123456", limits=Limits(max_int_digits=5))
    with pytest.raises(DataError, match="out of range"):
        load_yaml("a: 0x186a0", limits=Limits(max_int_digits=5))  # 100000


def test_control_characters_are_located_by_character_not_byte() -> None:
    with pytest.raises(DataError) as caught:
        load_yaml("a:\n  - ééé\x07\n".encode(), source="c.yaml")
    [issue] = caught.value.errors
    assert (issue.line, issue.column) == (2, 8) and "U+0007" in issue.message


@given(
    base=st.sampled_from(["0x", "0b", "0", "", "sexagesimal"]),
    digits=st.integers(1, 3000),
    sign=st.sampled_from(["", "-", "+"]),
)
def test_any_integer_is_a_value_or_a_located_data_error(base: str, digits: int, sign: str) -> None:
    if base == "sexagesimal":
        scalar = sign + "1" + ":30" * digits
    else:
        scalar = sign + base + {"0x": "a", "0b": "1", "0": "7", "": "9"}[base] * digits
    try:
        value = load_yaml(f"n: {scalar}\n")
    except DataError as error:
        [issue] = error.errors
        assert (issue.pointer, issue.line, issue.column) == ("/n", 1, 4)
    else:
        assert isinstance(value["n"], int) and len(str(abs(value["n"]))) <= 19
        assert math.log10(abs(value["n"]) + 1) <= 19


@given(st.text(alphabet="0123456789:._-+xobeEaf", max_size=30))
def test_scalars_resolve_to_the_same_types_as_pyyamls_own_resolver(scalar: str) -> None:
    """The possessive sexagesimal group matches exactly what PyYAML's expression matches."""
    ours = _StrictYamlLoader("").resolve(yaml.ScalarNode, scalar, (True, False))
    theirs = yaml.SafeLoader("").resolve(yaml.ScalarNode, scalar, (True, False))
    assert ours == theirs
