"""Strict reading and writing of JSON, JSON Lines and (safe) YAML.

Every document silkcore reads may come from another organisation's platform, so the
parser is deliberately less forgiving than Python's ``json`` module:

* ``NaN``, ``Infinity`` and numbers that overflow to infinity are rejected (RFC 8259 has none);
* a duplicate key anywhere is rejected - two parsers could otherwise "see" different documents;
* nesting deeper than :attr:`Limits.max_depth` and inputs larger than the byte limits are rejected;
* integers longer than :attr:`Limits.max_int_digits` are rejected before CPython's 4,300-digit guard;
* invalid UTF-8, lone surrogates and NUL characters are rejected; a leading UTF-8 BOM and
  CRLF line ends are accepted.

Problems are reported as :class:`~silkcore.errors.Issue` objects with a JSON Pointer. The
offending values are found after parsing: the parser's hooks plant marker objects where a
bad value was, and one walk over the result turns each marker into a pointer.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import IO, Any

import attrs
import yaml

from .errors import DataError, Issue

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "dumps",
    "iter_json_lines",
    "iter_raw_lines",
    "load_yaml",
    "loads",
    "parse_line",
    "pointer_join",
]


@attrs.frozen
class Limits:
    """Input limits; the defaults follow the project's reliability plan."""

    max_bytes: int = 16 * 1024 * 1024
    max_line_bytes: int = 1024 * 1024
    max_depth: int = 64
    max_int_digits: int = 19
    max_float_chars: int = 64


DEFAULT_LIMITS = Limits()
#: At most this many issues are reported for one document: enough to act on, never unbounded.
MAX_ISSUES = 100


def pointer_join(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """Build an RFC 6901 JSON Pointer from path parts, escaping ``~`` and ``/``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


class _Bad:
    """Marker planted by a parser hook where a forbidden value was."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


class _DupDict(dict[str, Any]):
    """A dict built from an object that repeated a key."""

    __slots__ = ("duplicates",)


def _pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        dups = sorted({k for k, _ in pairs if k in seen or seen.add(k)})  # type: ignore[func-returns-value]
        marked = _DupDict(result)
        marked.duplicates = dups  # type: ignore[attr-defined]
        return marked
    return result


def _make_decoder(limits: Limits, flagged: list[bool]) -> json.JSONDecoder:
    """A decoder whose hooks plant markers for forbidden values and note that they did, so a
    clean document needs no second walk."""

    def parse_constant(name: str) -> _Bad:
        flagged[0] = True
        return _Bad(f"{name} is not a JSON number; expected a finite number")

    def parse_float(text: str) -> float | _Bad:
        if len(text) > limits.max_float_chars:
            flagged[0] = True
            return _Bad(f"number with {len(text)} characters is too long; at most {limits.max_float_chars}")
        value = float(text)
        if not math.isfinite(value):
            flagged[0] = True
            return _Bad(f"number {text} overflows to infinity; expected a finite number")
        return value

    def parse_int(text: str) -> int | _Bad:
        digits = len(text) - (text[0] == "-")
        if digits > limits.max_int_digits:
            flagged[0] = True
            return _Bad(f"integer with {digits} digits is out of range; at most {limits.max_int_digits} digits")
        return int(text)

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = _pairs_hook(pairs)
        if type(result) is not dict:
            flagged[0] = True
        return result

    return json.JSONDecoder(
        object_pairs_hook=pairs_hook, parse_constant=parse_constant, parse_float=parse_float, parse_int=parse_int
    )


def _needs_walk(text: str, from_bytes: bool, limits: Limits) -> bool:
    """Whether a parsed document could still hide a problem only the walk finds: nesting
    deeper than the limit, or a NUL or lone surrogate (which only a \\u escape, a raw NUL, or
    text that did not come from UTF-8 bytes can produce). All checks run in C."""
    if text.count("[") + text.count("{") > limits.max_depth:
        return True
    if "\\u" in text or "\x00" in text:
        return True
    return not from_bytes


_SURROGATE_OR_NUL = re.compile("[\ud800-\udfff\x00]")


def _string_issue(text: str) -> str | None:
    match = _SURROGATE_OR_NUL.search(text)
    if match is None:
        return None
    if match.group() == "\x00":
        return "NUL character in text; expected printable text"
    return "lone UTF-16 surrogate in text; expected valid Unicode"


def check_tree(value: Any, limits: Limits = DEFAULT_LIMITS) -> list[Issue]:
    """Walk a parsed value once and report markers, over-deep nesting and bad strings.

    Iterative on purpose: recursion is what the depth limit guards against.
    """
    issues: list[Issue] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack and len(issues) < MAX_ISSUES:
        node, path = stack.pop()
        if isinstance(node, dict):
            if len(path) >= limits.max_depth:
                issues.append(Issue(pointer_join(path), f"nesting deeper than {limits.max_depth} levels"))
                continue
            dups = getattr(node, "duplicates", None)
            if dups:
                issues.append(Issue(pointer_join(path), f"duplicate key {', '.join(map(repr, dups))}; keys must be unique"))
            # Pushed in reverse, so the walk (and a capped report) follows document order.
            for key, child in reversed(list(node.items())):
                bad = _string_issue(key)
                if bad:
                    issues.append(Issue(pointer_join((*path, key)), f"in key: {bad}"))
                stack.append((child, (*path, key)))
        elif isinstance(node, list):
            if len(path) >= limits.max_depth:
                issues.append(Issue(pointer_join(path), f"nesting deeper than {limits.max_depth} levels"))
                continue
            stack.extend((child, (*path, i)) for i, child in reversed(list(enumerate(node))))
        elif isinstance(node, str):
            bad = _string_issue(node)
            if bad:
                issues.append(Issue(pointer_join(path), bad))
        elif isinstance(node, _Bad):
            issues.append(Issue(pointer_join(path), node.message))
        elif isinstance(node, float) and not math.isfinite(node):
            issues.append(Issue(pointer_join(path), "non-finite number; expected a finite number"))
    issues.sort(key=lambda i: i.pointer)
    if stack and len(issues) >= MAX_ISSUES:
        issues.append(Issue("", f"further problems are not listed: the report stops at {MAX_ISSUES}"))
    return issues


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]')


def _locate_deep_nesting(text: str, max_depth: int) -> Issue:
    """Find where nesting first exceeds ``max_depth`` without recursing (slow path, errors only)."""
    stack: list[list[Any]] = []  # per open container: [kind, current key or index]
    last_string: str | None = None
    line = 1
    pos = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            if len(stack) >= max_depth:
                line += text.count("\n", pos, match.start())
                parts = [entry[1] for entry in stack]
                return Issue(pointer_join(parts), f"nesting deeper than {max_depth} levels", line=line)
            stack.append(["[", 0] if token == "[" else ["{", ""])
        elif token in "]}":
            if stack:
                stack.pop()
        elif token == ",":
            if stack and stack[-1][0] == "[":
                stack[-1][1] += 1
        elif token == ":":
            if stack and last_string is not None:
                stack[-1][1] = last_string
        else:
            try:
                last_string = json.loads(token)
            except ValueError:
                last_string = token[1:-1]
    return Issue("", f"nesting deeper than {max_depth} levels")


def _decode(data: bytes | str, source: str | None, limits: Limits) -> str:
    if isinstance(data, str):
        if len(data) > limits.max_bytes:
            raise DataError([Issue("", f"input of {len(data)} characters exceeds the limit of {limits.max_bytes} bytes", source)])
        return data.removeprefix("\ufeff")
    if len(data) > limits.max_bytes:
        raise DataError([Issue("", f"input of {len(data)} bytes exceeds the limit of {limits.max_bytes} bytes", source)])
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataError([Issue("", f"invalid UTF-8 at byte offset {exc.start}; expected UTF-8 text", source, line)]) from None


def loads(data: bytes | str, *, source: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Any:
    """Parse one JSON document strictly; raise :class:`DataError` listing every problem."""
    text = _decode(data, source, limits)
    flagged = [False]
    try:
        value = _make_decoder(limits, flagged).decode(text)
    except json.JSONDecodeError as exc:
        issue = Issue("", f"invalid JSON: {exc.msg}", source, exc.lineno, exc.colno)
        raise DataError([issue]) from None
    except RecursionError:
        raise DataError([_locate_deep_nesting(text, limits.max_depth).located(source)]) from None
    if flagged[0] or _needs_walk(text, isinstance(data, bytes), limits):
        issues = check_tree(value, limits)
        if issues:
            raise DataError([i.located(source) for i in issues])
    return value


_YamlBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~7x faster


class _StrictYamlLoader(_YamlBase):  # type: ignore[misc]
    """Safe YAML without aliases (no billion-laughs) and with duplicate keys refused."""

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        # An alias is the same node met twice: refuse it before it is shared.
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(None, None, "YAML aliases are not allowed", node.start_mark)
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}; keys must be unique", key_node.start_mark
                )
            seen.add(key)
        # The keys were built above; forget them so building the mapping does not see "aliases".
        for key_node, _ in node.value:
            self.constructed_objects.pop(key_node, None)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


_JSON_TYPES = (dict, list, str, int, float, bool, type(None))


def _yaml_types(value: Any, limits: Limits = DEFAULT_LIMITS) -> list[Issue]:
    """YAML can hold dates, sets, bytes and non-string keys; a silkcore document cannot."""
    issues: list[Issue] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack and len(issues) < MAX_ISSUES:
        node, path = stack.pop()
        if not isinstance(node, _JSON_TYPES):
            issues.append(Issue(pointer_join(path), f"a YAML {type(node).__name__} is not JSON data; quote it as a string"))
        elif isinstance(node, int) and not isinstance(node, bool) and len(str(abs(node))) > limits.max_int_digits:
            issues.append(Issue(pointer_join(path), f"integer out of range; at most {limits.max_int_digits} digits"))
        elif isinstance(node, dict):
            for key, child in node.items():
                if not isinstance(key, str):
                    issues.append(Issue(pointer_join(path), f"key {key!r} is not a string; quote it"))
                else:
                    stack.append((child, (*path, key)))
        elif isinstance(node, list):
            stack.extend((child, (*path, i)) for i, child in enumerate(node))
    return issues


def load_yaml(data: bytes | str, *, source: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Any:
    """Parse a YAML document safely (no tags, no aliases, no duplicate keys)."""
    text = _decode(data, source, limits)
    try:
        value = yaml.load(text, Loader=_StrictYamlLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise DataError([Issue("", f"invalid YAML: {exc.problem or exc}", source, line, column)]) from None
    except yaml.YAMLError as exc:
        raise DataError([Issue("", f"invalid YAML: {str(exc)[:300]}", source)]) from None
    except RecursionError:
        raise DataError([Issue("", f"nesting deeper than {limits.max_depth} levels", source)]) from None
    except Exception as exc:  # PyYAML's constructors raise many kinds (impossible dates, unhashable keys...)
        raise DataError([Issue("", f"invalid YAML value: {type(exc).__name__}: {str(exc)[:300]}", source)]) from None
    issues = _yaml_types(value, limits) or check_tree(value, limits)
    if issues:
        raise DataError([i.located(source) for i in issues])
    return value


def iter_raw_lines(
    stream: IO[bytes], *, source: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Iterator[tuple[int, bytes | DataError]]:
    """Yield ``(line_number, raw line or DataError)`` for each non-blank line, unparsed.

    Reads one bounded line at a time, so memory stays constant whatever the input size;
    an over-long line is skipped to its end and reported, not held in memory.
    """
    number = 0
    while True:
        raw = stream.readline(limits.max_line_bytes + 1)
        if not raw:
            return
        number += 1
        if len(raw) > limits.max_line_bytes and not raw.endswith(b"\n"):
            while True:  # discard the rest of the over-long line in bounded chunks
                rest = stream.readline(limits.max_line_bytes)
                if not rest or rest.endswith(b"\n"):
                    break
            issue = Issue("", f"line longer than {limits.max_line_bytes} bytes", source, number)
            yield number, DataError([issue])
            continue
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        raw = raw.rstrip(b"\r\n")
        if raw.strip():
            yield number, raw


def parse_line(number: int, raw: bytes, source: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Any:
    """Parse one JSON Lines line; a :class:`DataError` located at that line on failure."""
    try:
        return loads(raw, source=source, limits=limits)
    except DataError as exc:
        raise DataError([i.located(source, number) for i in exc.errors]) from None


def iter_json_lines(
    stream: IO[bytes], *, source: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Iterator[tuple[int, Any | DataError]]:
    """Yield ``(line_number, document or DataError)`` for each non-blank line (see :func:`iter_raw_lines`)."""
    for number, raw in iter_raw_lines(stream, source=source, limits=limits):
        if isinstance(raw, DataError):
            yield number, raw
            continue
        try:
            yield number, parse_line(number, raw, source, limits)
        except DataError as exc:
            yield number, exc


def dumps(value: Any, *, indent: int | None = 2) -> str:
    """Serialise deterministically (no NaN, UTF-8 text, stable separators)."""
    if indent is None:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return json.dumps(value, ensure_ascii=False, allow_nan=False, indent=indent)
