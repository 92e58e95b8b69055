"""Strict JSON, JSON Lines and YAML parsing: every hostile input is a clear issue with a pointer."""

from __future__ import annotations

import io

import pytest

from silkcore._errors import DataError
from silkcore._jsonio import Limits, dumps, iter_json_lines, load_yaml, loads
from silkcore._locate import pointer_join


def issues_of(data: bytes | str, **kwargs: object) -> list[tuple[str, str]]:
    with pytest.raises(DataError) as caught:
        loads(data, source="doc.json", **kwargs)  # type: ignore[arg-type]
    for issue in caught.value.errors:
        assert issue.source == "doc.json"
    return [(i.pointer, i.message) for i in caught.value.errors]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_literals_are_rejected_at_their_pointer(literal: str) -> None:
    [(pointer, message)] = issues_of(f'{{"a": [1, {{"b": {literal}}}]}}')
    assert pointer == "/a/1/b"
    assert "finite" in message


def test_float_overflowing_to_infinity_is_rejected() -> None:
    [(pointer, message)] = issues_of('{"x": 1e400}')
    assert pointer == "/x" and "infinity" in message


def test_duplicate_keys_are_rejected_with_the_object_pointer() -> None:
    [(pointer, message)] = issues_of('{"outer": {"amount": "1", "amount": "1000000"}}')
    assert pointer == "/outer"
    assert "'amount'" in message and "duplicate" in message


def test_duplicate_keys_at_the_root() -> None:
    [(pointer, _)] = issues_of('{"a": 1, "a": 1}')
    assert pointer == ""


@pytest.mark.parametrize("depth", [65, 500, 1000, 100_000])
def test_deep_nesting_is_rejected_with_a_pointer(depth: int) -> None:
    [(pointer, message)] = issues_of("[" * depth + "]" * depth)
    assert "nesting deeper than 64" in message
    assert pointer == "/0" * 64


def test_deep_nesting_in_objects_names_the_keys() -> None:
    text = '{"k": ' * 2000 + "1" + "}" * 2000
    [(pointer, _)] = issues_of(text)
    assert pointer == "/k" * 64


def test_depth_limit_allows_exactly_the_limit() -> None:
    assert loads("[" * 64 + "]" * 64) is not None


@pytest.mark.parametrize("digits", [20, 4301, 100_000])
def test_huge_integers_are_out_of_range(digits: int) -> None:
    [(pointer, message)] = issues_of('{"n": ' + "9" * digits + "}")
    assert pointer == "/n" and "out of range" in message


def test_long_decimal_is_rejected() -> None:
    [(pointer, message)] = issues_of('{"d": 1.' + "0" * 10_000 + "}")
    assert pointer == "/d" and "too long" in message


def test_invalid_utf8_names_the_byte_offset() -> None:
    with pytest.raises(DataError) as caught:
        loads(b'{"a": "\xff"}', source="x.json")
    assert "byte offset 7" in str(caught.value)


def test_bom_is_accepted() -> None:
    assert loads(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}


def test_lone_surrogate_and_nul_are_rejected() -> None:
    assert issues_of('{"a": "\\ud800"}')[0][0] == "/a"
    assert issues_of('{"a": "x\\u0000y"}')[0][0] == "/a"
    assert issues_of('{"\\u0000": 1}')[0][0] == "/\x00"


def test_size_limit() -> None:
    [(pointer, message)] = issues_of(b'{"a": "' + b"x" * 200 + b'"}', limits=Limits(max_bytes=100))
    assert pointer == "" and "exceeds the limit" in message


def test_syntax_errors_carry_line_and_column() -> None:
    with pytest.raises(DataError) as caught:
        loads('{\n  "a": 1,\n  "b": }', source="bad.json")
    [issue] = caught.value.errors
    assert (issue.line, issue.column) == (3, 8)
    assert str(issue).startswith("bad.json:3:8:")


def test_json_lines_report_line_numbers_and_keep_good_lines() -> None:
    stream = io.BytesIO(b'{"a": 1}\r\n\n{"a": NaN}\n{"a": 2}\nnot json\n{"a": 3}')
    results = list(iter_json_lines(stream, source="in.jsonl"))
    good = [(n, d) for n, d in results if not isinstance(d, DataError)]
    bad = [(n, d) for n, d in results if isinstance(d, DataError)]
    assert good == [(1, {"a": 1}), (4, {"a": 2}), (6, {"a": 3})]
    assert [n for n, _ in bad] == [3, 5]
    assert bad[0][1].errors[0].line == 3 and bad[0][1].errors[0].pointer == "/a"


def test_json_lines_over_long_line_is_skipped_not_held() -> None:
    stream = io.BytesIO(b'{"a": "' + b"x" * 5000 + b'"}\n{"b": 1}\n')
    results = list(iter_json_lines(stream, limits=Limits(max_line_bytes=1000)))
    assert isinstance(results[0][1], DataError) and "longer than 1000" in str(results[0][1])
    assert results[1] == (2, {"b": 1})


def test_yaml_is_safe_and_strict() -> None:
    assert load_yaml("a: [1, 2]\n") == {"a": [1, 2]}
    with pytest.raises(DataError, match="aliases are not allowed"):
        load_yaml("a: &x [1]\nb: *x\n")
    with pytest.raises(DataError, match="duplicate key 'a'") as caught:
        load_yaml("a: 1\na: 2\n", source="f.yaml")
    assert caught.value.errors[0].line == 2
    with pytest.raises(DataError, match="invalid YAML"):
        load_yaml("!!python/object:os.system {}\n")
    with pytest.raises(DataError, match="finite"):
        load_yaml("a: .nan\n")


def test_pointer_escaping() -> None:
    assert pointer_join(["a/b", "c~d", 0]) == "/a~1b/c~0d/0"


def test_dumps_refuses_nan_and_is_stable() -> None:
    with pytest.raises(ValueError):
        dumps({"a": float("nan")})
    assert dumps({"b": 1, "a": "é"}, indent=None) == '{"b":1,"a":"é"}'
