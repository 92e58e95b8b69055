"""Hostile input beyond tests/test_jsonio.py: huge decimals in money, UTF-16/32, CRLF and
unterminated JSON Lines, very wide documents, a 64 MiB line and an oversized document.

Every case ends in a defined behaviour: accepted, or a DataError/SchemaValidationError whose
issues carry a JSON Pointer (and the line, for JSON Lines) - never a raw Python exception.
The time bounds are the reliability plan's, with head-room for a loaded CI machine.
"""

from __future__ import annotations

import io
import json
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest

from silkcore._documents import load_document
from silkcore._errors import DataError, SchemaValidationError, SilkError
from silkcore._jsonio import DEFAULT_LIMITS, iter_json_lines, loads

from ..conftest import EXAMPLES

FLOW = json.loads((EXAMPLES / "documents" / "flow-cotton-import.json").read_text())
MIB = 1024 * 1024


def outcome(action: Callable[[], Any]) -> Any:
    """The result, or the SilkError raised (speed is measured in benchmarks, not asserted here)."""
    try:
        result: Any = action()
    except SilkError as exc:
        result = exc
    return result


def flow_with_amount(amount: Any) -> bytes:
    return json.dumps(dict(FLOW, amount={"amount": amount, "currency": "EUR"})).encode()


# -- money --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount",
    ["1" + "0" * 10_000, "1" + "0" * 18, "0.1234567", "1e5", "1E+999999999", "NaN", "-Infinity", "sNaN", " 1", "١٢٣", "0x10"],
)
def test_money_strings_out_of_range_or_not_decimal_are_refused_at_their_pointer(amount: str) -> None:
    error = outcome(lambda: load_document(flow_with_amount(amount)))
    assert isinstance(error, SchemaValidationError), error
    assert [i.pointer for i in error.errors] == ["/amount/amount"]


@pytest.mark.parametrize(("amount", "words"), [("1" + "0" * 10_000, "out of range"), ("1e400", "infinity"), ("0.1", "")])
def test_money_as_a_json_number_never_reaches_decimal(amount: str, words: str) -> None:
    data = json.dumps(dict(FLOW, amount={"amount": 0, "currency": "EUR"})).replace('"amount": 0', f'"amount": {amount}').encode()
    error = outcome(lambda: load_document(data))
    assert isinstance(error, DataError | SchemaValidationError), error
    assert [i.pointer for i in error.errors] == ["/amount/amount"]
    assert words in str(error)


def test_largest_money_amount_the_schema_allows_is_exact() -> None:
    flow = load_document(flow_with_amount("-999999999999999999.999999"))
    assert str(flow.amount.amount) == "-999999999999999999.999999"


# -- encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"])
def test_utf16_and_utf32_are_refused_cleanly(encoding: str) -> None:
    data = json.dumps(FLOW).encode(encoding)
    with pytest.raises(DataError) as caught:
        loads(data, source="x.json")
    [issue] = caught.value.errors
    assert issue.pointer == "" and issue.line == 1 and issue.source == "x.json"
    if encoding in ("utf-16", "utf-32"):  # with a byte order mark: named as not UTF-8
        assert "invalid UTF-8 at byte offset 0" in issue.message
    with pytest.raises(SilkError):  # unnamed bytes may take the YAML road: still a silkcore error
        load_document(data)


def test_utf16_json_lines_report_each_line() -> None:
    stream = io.BytesIO('{"a": 1}\n{"a": 2}\n'.encode("utf-16"))
    results = list(iter_json_lines(stream, source="in.jsonl"))
    assert results and all(isinstance(item, DataError) for _, item in results)
    for number, item in results:
        assert all(i.line == number and i.pointer == "" for i in item.errors)


# -- JSON Lines line ends -----------------------------------------------------------------


def lines_of(data: bytes) -> list[tuple[int, Any]]:
    return [
        (n, d if not isinstance(d, DataError) else [(i.pointer, i.line) for i in d.errors])
        for n, d in iter_json_lines(io.BytesIO(data))
    ]


def test_crlf_everywhere_and_no_final_newline() -> None:
    data = b'{"a": 1}\r\n\r\n{"a": NaN}\r\n{"a": 3}'
    assert lines_of(data) == [(1, {"a": 1}), (3, [("/a", 3)]), (4, {"a": 3})]


def test_final_line_ending_in_a_lone_cr_or_crlf_without_newline() -> None:
    assert lines_of(b'{"a": 1}\n{"a": 2}\r') == [(1, {"a": 1}), (2, {"a": 2})]
    assert lines_of(b'{"a": 1}\r\n') == [(1, {"a": 1})]


def test_a_lone_cr_is_not_a_line_end() -> None:
    """Only LF (or CRLF) ends a line: two documents joined by a bare CR are one bad line."""
    [(number, issues)] = lines_of(b'{"a": 1}\r{"b": 2}\n')
    assert number == 1 and issues == [("", 1)]


def test_bom_is_accepted_on_the_first_line_only_where_it_can_be_a_file_mark() -> None:
    results = lines_of(b'\xef\xbb\xbf{"a": 1}\n{"a": 2}\n')
    assert results == [(1, {"a": 1}), (2, {"a": 2})]


def test_every_kind_of_bad_line_names_its_line_and_keeps_the_rest() -> None:
    bad = [b'{"a": NaN}', b'{"a": 1, "a": 2}', b'{"a": "\\ud800"}', b"[" * 100 + b"]" * 100, b'{"a": 1e400}', b"\xff", b"{"]
    good = b'{"ok": true}'
    data = b"\r\n".join(x for pair in zip([good] * len(bad), bad, strict=True) for x in pair) + b"\r\n" + good
    results = list(iter_json_lines(io.BytesIO(data)))
    assert [n for n, d in results if not isinstance(d, DataError)] == list(range(1, 2 * len(bad) + 2, 2))
    for number, item in results:
        if isinstance(item, DataError):
            assert number % 2 == 0 and all(i.line == number for i in item.errors)


# -- wide documents -----------------------------------------------------------------------


def test_100000_key_object_is_accepted() -> None:
    text = "{" + ",".join(f'"k{i}": {i}' for i in range(100_000)) + "}"
    value = outcome(lambda: loads(text))
    assert isinstance(value, dict) and len(value) == 100_000


def test_100000_key_object_with_one_repeated_key_is_refused_at_the_root() -> None:
    text = "{" + ",".join(f'"k{i}": {i}' for i in range(100_000)) + ', "k7": 0}'
    error = outcome(lambda: loads(text))
    assert isinstance(error, DataError)
    assert [(i.pointer, "'k7'" in i.message) for i in error.errors] == [("", True)]


def test_million_element_array_is_accepted_within_the_size_limit() -> None:
    text = "[" + ",".join(["0"] * 10**6) + "]"
    assert len(text) < DEFAULT_LIMITS.max_bytes
    value = outcome(lambda: loads(text))
    assert isinstance(value, list) and len(value) == 10**6


def test_many_bad_values_give_a_bounded_report() -> None:
    cap = getattr(DEFAULT_LIMITS, "max_issues", 10_000)  # the limit the proposed fix adds
    text = "[" + ",".join(["NaN"] * 10 * cap) + "]"
    error = outcome(lambda: loads(text))
    assert isinstance(error, DataError)
    assert error.errors[0].pointer == "/0"
    assert len(error.errors) <= cap + 1 and "not listed" in error.errors[-1].message


# -- size limits ----------------------------------------------------------------------------


class _Generated(io.RawIOBase):
    """A read-only stream made on demand from ``(piece, repeat)`` parts, so a 64 MiB input is
    never held in memory by the test itself."""

    def __init__(self, *parts: tuple[bytes, int]) -> None:
        self.parts = [(piece, len(piece) * repeat) for piece, repeat in parts]
        self.offset = 0  # into the current part

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        written = 0
        while written < len(view) and self.parts:
            piece, size = self.parts[0]
            take = min(size - self.offset, len(view) - written)
            if len(piece) == 1:
                view[written : written + take] = piece * take
            else:  # short pieces are given whole, once
                view[written : written + take] = piece[self.offset : self.offset + take]
            written += take
            self.offset += take
            if self.offset == size:
                self.parts.pop(0)
                self.offset = 0
        return written


def read_long_line(megabytes: int) -> tuple[list[tuple[int, Any]], int]:
    """JSON Lines with a ``megabytes``-long line 3: (results, peak bytes allocated)."""
    raw = _Generated((b'{"before": 1}\n\n{"a": "', 1), (b"x", megabytes * MIB), (b'"}\n{"after": true}\n', 1))
    stream = io.BufferedReader(raw, buffer_size=64 * 1024)
    tracemalloc.start()
    try:
        results = list(iter_json_lines(stream, source="big.jsonl"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return results, peak


def test_64_mib_json_lines_line_is_refused_with_its_line_in_bounded_memory() -> None:
    results, peak = read_long_line(64)
    assert results[0] == (1, {"before": 1})
    number, error = results[1]
    assert number == 3 and isinstance(error, DataError)
    [issue] = error.errors
    assert (issue.pointer, issue.line, issue.source) == ("", 3, "big.jsonl") and "longer than" in issue.message
    assert results[2] == (4, {"after": True})
    # Memory does not grow with the line: a few line-limit buffers (BufferedReader.readline
    # itself needs twice what it returns), the same for an 8 MiB and a 64 MiB line.
    _, small_peak = read_long_line(8)
    assert peak < 5 * DEFAULT_LIMITS.max_line_bytes, f"peak {peak / MIB:.1f} MiB"
    assert peak < small_peak + MIB // 2, f"{peak / MIB:.1f} MiB for 64 MiB vs {small_peak / MIB:.1f} MiB for 8 MiB"


def test_oversized_document_is_refused_before_parsing(tmp_path: Any) -> None:
    data = b'{"a": "' + b"x" * (DEFAULT_LIMITS.max_bytes + 1) + b'"}'
    for action in (lambda: loads(data, source="big.json"), lambda: loads(data.decode(), source="big.json")):
        error = outcome(action)
        assert isinstance(error, DataError)
        [issue] = error.errors
        assert issue.pointer == "" and "exceeds the limit" in issue.message and issue.source == "big.json"
    path = tmp_path / "big.json"
    path.write_bytes(data)
    error = outcome(lambda: load_document(path))
    assert isinstance(error, DataError) and "exceeds the limit" in str(error) and str(path) in str(error)
    error = outcome(lambda: load_document(data))
    assert isinstance(error, DataError) and "exceeds the limit" in str(error)


def test_document_exactly_at_the_limit_is_read() -> None:
    head, tail = b'{"a": "', b'"}'
    data = head + b"x" * (DEFAULT_LIMITS.max_bytes - len(head) - len(tail)) + tail
    assert len(loads(data)["a"]) == DEFAULT_LIMITS.max_bytes - len(head) - len(tail)


def test_issue_messages_stay_short_whatever_the_value() -> None:
    error = outcome(lambda: load_document(flow_with_amount("1" + "0" * 10_000)))
    assert isinstance(error, SchemaValidationError)
    assert max(len(i.message) for i in error.errors) < 1000
