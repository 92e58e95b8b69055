"""A C-speed shortcut for the strict JSON parser, taken only when it provably agrees.

:func:`silkcore.jsonio.loads` runs Python hooks for every number and object, which makes it
several times slower than parsing alone. orjson parses in C and already refuses what the
strict parser refuses about bytes and literals (invalid UTF-8, NaN and Infinity, numbers
that overflow, unescaped control characters, lone surrogates). What it lets through is
screened here with a few scans of the raw bytes, all in C:

* a ``\\u`` escape could spell a NUL or hide a colon: the line goes the strict way;
* a run of 19 or more digits could be an integer beyond the limit (orjson would turn it
  into a float) or an over-long number: the strict way;
* more brackets than the depth limit: the nesting is measured, containers only;
* a duplicate key: orjson keeps the last value silently. Every key adds exactly one colon
  outside strings and escapes cannot produce one (no ``\\u``), so the line has a duplicate
  exactly when it holds more colons than the parsed value serialised again.

:func:`fast_loads` returns None whenever any screen has a doubt (or orjson is not
installed): the caller then uses the strict parser, which also writes the error messages.
A property test keeps the two parsers' results equal.
"""

from __future__ import annotations

import re
from typing import Any

from .jsonio import DEFAULT_LIMITS, Limits

try:  # orjson is a dependency, but a platform without its wheels still works, just slower
    import orjson
except ImportError:  # pragma: no cover - exercised by a test that hides the module
    orjson = None

__all__ = ["fast_loads"]

_DOUBT = re.compile(rb"\\u|[0-9]{19}")


def _depth_within(container: Any, levels: int) -> bool:
    """Whether ``container`` nests at most ``levels`` containers deep, itself included."""
    children = container.values() if type(container) is dict else container
    for child in children:
        kind = type(child)
        if (kind is dict or kind is list) and (levels <= 1 or not _depth_within(child, levels - 1)):
            return False
    return True


def fast_loads(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> Any | None:
    """The value of one JSON text when the strict parser would give the same; else None."""
    if orjson is None or _DOUBT.search(raw) is not None:
        return None
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None  # the strict parser explains the error
    kind = type(value)
    if kind is dict or kind is list:
        if raw.count(b"[") + raw.count(b"{") > limits.max_depth and not _depth_within(value, limits.max_depth):
            return None
        if raw.count(b":") != orjson.dumps(value).count(b":"):
            return None  # a repeated key
    return value
