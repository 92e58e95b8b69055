"""iter_raw_lines reads blocks and cuts them into lines; these tests hold it to the plain
line-by-line reading it replaced (kept here as the oracle), whatever the block size and
however the stream hands its bytes out (a pipe gives a few at a time)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

import silkcore._jsonio as jsonio
from silkcore._errors import DataError, Issue
from silkcore._jsonio import Limits, iter_raw_lines


def line_by_line(stream: io.BytesIO, limit: int) -> Iterator[tuple[int, bytes | str]]:
    """The reading it replaced: one bounded readline at a time."""
    number = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        number += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while True:
                rest = stream.readline(limit)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, f"line longer than {limit} bytes"
            continue
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        raw = raw.rstrip(b"\r\n")
        if raw.strip():
            yield number, raw


class Dribbling(io.RawIOBase):
    """A stream that hands out at most ``step`` bytes a read, as a slow pipe does."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.position, self.step = data, 0, step

    def readable(self) -> bool:
        return True

    def read1(self, size: int = -1) -> bytes:
        chunk = self.data[self.position : self.position + min(size, self.step)]
        self.position += len(chunk)
        return chunk


def read(stream: io.RawIOBase | io.BytesIO, limit: int) -> list[tuple[int, bytes | str]]:
    found: list[tuple[int, bytes | str]] = []
    for number, raw in iter_raw_lines(stream, source="in.jsonl", limits=Limits(max_line_bytes=limit)):  # type: ignore[arg-type]
        if isinstance(raw, DataError):
            [issue] = raw.errors
            assert (issue.source, issue.line) == ("in.jsonl", number)
            found.append((number, issue.message))
        else:
            found.append((number, raw))
    return found


PIECES = st.sampled_from([b"", b" ", b"\t", b"\r", b"\xef\xbb\xbf", b"{}", b'{"a": 1}', b"x" * 7, b"y" * 23])
ENDS = st.sampled_from([b"\n", b"\r\n", b""])
TEXTS = st.lists(st.tuples(PIECES, ENDS), max_size=12).map(lambda pairs: b"".join(p + e for p, e in pairs))


@given(data=TEXTS, limit=st.integers(1, 30), block=st.integers(1, 40), step=st.integers(1, 9))
def test_block_reading_gives_the_lines_of_line_by_line_reading(data: bytes, limit: int, block: int, step: int) -> None:
    expected = list(line_by_line(io.BytesIO(data), limit))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsonio, "_LINE_BLOCK", block)
        assert read(io.BytesIO(data), limit) == expected
        assert read(Dribbling(data, step), limit) == expected


def test_an_over_long_line_is_reported_in_its_place_and_never_held() -> None:
    data = b'{"a": 1}\n' + b"z" * 300_000 + b"\n{}\n"
    assert read(io.BytesIO(data), 1000) == [(1, b'{"a": 1}'), (2, "line longer than 1000 bytes"), (3, b"{}")]


def test_over_long_error_names_the_line() -> None:
    [(number, error)] = list(iter_raw_lines(io.BytesIO(b"abcdef"), source="s", limits=Limits(max_line_bytes=3)))
    assert number == 1 and isinstance(error, DataError)
    assert list(error.errors) == [Issue("", "line longer than 3 bytes", "s", 1)]
