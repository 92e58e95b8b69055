"""A C-speed shortcut for the strict JSON parser, taken only when it provably agrees.

:func:`silkcore._jsonio.loads` runs Python hooks for every number and object, which makes it
several times slower than parsing alone. orjson parses in C and already refuses what the
strict parser refuses about bytes and literals (invalid UTF-8, NaN and Infinity, numbers
that overflow, unescaped control characters, lone surrogates). What it lets through is
screened here with a few scans of the raw bytes, all in C:

* a ``\\u`` escape could spell a NUL or hide a colon: the line goes the strict way;
* a run of 19 or more digits could be an integer beyond the limit (orjson would turn it
  into a float) or an over-long number: the strict way;
* more brackets than the depth limit: the nesting is measured (see :func:`_written_back`);
* a duplicate key: orjson keeps the last value silently. Every key adds exactly one colon
  outside strings and escapes cannot produce one (no ``\\u``), so the line has a duplicate
  exactly when it holds more colons than the parsed value serialised again.

:func:`fast_loads` returns None whenever any screen has a doubt: the caller then uses the
strict parser, which also writes the error messages. It is a shortcut in front of the strict
parser, never a parser of its own: property tests prove it gives the strict parser's value
or steps aside. This module imports nothing of silkcore's, so the strict reader itself
(:func:`silkcore._jsonio.loads`) can take the shortcut first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from ._jsonio import Limits

__all__ = ["fast_loads"]

# One C pass keeps what the screens look at: digits (all as "0"), colons, commas (which keep
# two numbers of a list apart), backslashes and opening brackets (all as "["). The screens
# then scan a short string.
_SCREEN = bytes(48 if 48 <= byte <= 57 else 91 if byte == 123 else byte for byte in range(256))
_UNSCREENED = bytes(byte for byte in range(256) if byte not in b"0123456789:,\\[{")
_LONG_NUMBER = b"0" * 19


def _depth_within(container: Any, levels: int) -> bool:
    """Whether ``container`` nests at most ``levels`` containers deep, itself included."""
    children = container.values() if type(container) is dict else container
    for child in children:
        kind = type(child)
        if (kind is dict or kind is list) and (levels <= 1 or not _depth_within(child, levels - 1)):
            return False
    return True


def _written_back(value: Any, brackets: int, max_depth: int) -> bytes | None:
    """The value serialised again (for the colon count), or None if it nests too deep.

    With more brackets than the limit the dump is indented by two spaces, which also proves
    the depth in C: the children of a container at level L (the root is level 1) sit on lines
    indented 2L spaces, and a string never holds a raw newline. A container past the limit is
    the child of one at the limit, so its line is indented at least 2 x max_depth: no such
    line, no such container. A line that deep can also be a scalar at the limit, so then the
    containers are walked and counted exactly. Indenting adds no colon."""
    try:
        if brackets <= max_depth:
            return orjson.dumps(value)
        written: bytes = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except TypeError:  # orjson will not write past 255 levels: far too deep, the strict reader explains
        return None
    if b"\n" + b" " * (2 * max_depth) in written and not _depth_within(value, max_depth):
        return None
    return written


def _screens_hold(limits: Limits) -> bool:
    """Whether the number screen proves what ``limits`` ask. A run of 19 digits sends a line
    the strict way, so any integer of more than 18 digits is caught; a number text of more
    than 58 characters holds at most 4 signs, points and exponents, so 3 digit runs, one of
    them over 18 digits: caught too. Tighter limits (set by SILKCORE_MAX_*) go the strict way."""
    return limits.max_int_digits >= _SCREENED_DIGITS and limits.max_float_chars >= _SCREENED_CHARS


_SCREENED_DIGITS = len(_LONG_NUMBER)
_SCREENED_CHARS = 4 + 3 * (_SCREENED_DIGITS - 1)


def fast_loads(raw: bytes, limits: Limits) -> Any | None:
    """The value of one JSON text when the strict parser, reading it with ``limits``, would
    give the same; else None."""
    if len(raw) > limits.max_bytes or limits.max_int_digits < _SCREENED_DIGITS or limits.max_float_chars < _SCREENED_CHARS:
        return None  # tighter limits than the number screen proves (see _screens_hold)
    screened = raw.translate(_SCREEN, _UNSCREENED)
    if _LONG_NUMBER in screened or (b"\\" in screened and b"\\u" in raw):
        return None
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None  # the strict parser explains the error
    kind = type(value)
    if kind is dict or kind is list:
        brackets = screened.count(b"[")
        if brackets <= limits.max_depth:  # no deeper than the number of brackets: one compact dump
            written: bytes | None = orjson.dumps(value)
        else:
            written = _written_back(value, brackets, limits.max_depth)
            if written is None:
                return None  # nested too deep
        if screened.count(b":") != written.count(b":"):  # type: ignore[union-attr]
            return None  # a repeated key
    return value
