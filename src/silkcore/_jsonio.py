"""Strict reading and writing of JSON, JSON Lines and (safe) YAML, and strict reading of CSV.

Every document silkcore reads may come from another organisation's platform, so the
parser is deliberately less forgiving than Python's ``json`` module:

* ``NaN``, ``Infinity`` and numbers that overflow to infinity are rejected (RFC 8259 has none);
* a duplicate key anywhere is rejected - two parsers could otherwise "see" different documents;
* nesting deeper than :attr:`Limits.max_depth` and inputs larger than the byte limits are rejected;
* integers longer than :attr:`Limits.max_int_digits` are rejected before CPython's 4,300-digit guard;
* invalid UTF-8, lone surrogates and NUL characters are rejected; a leading UTF-8 BOM and
  CRLF line ends are accepted;
* YAML numbers follow the same limits, counted in every base before any conversion (the
  YAML reader itself is :mod:`silkcore._yaml_reader`, loaded by the first YAML read);
* CSV (:func:`parse_csv_rows`, for importers) has strict quoting and a field-size limit.

The limits are :class:`Limits`; :data:`DEFAULT_LIMITS` reads ``SILKCORE_MAX_*`` environment
variables (:data:`LIMIT_VARIABLES`), and :func:`body_limits` gives them for an input whose size
its receiver bounds (the node's request bodies, the answers ``silk sync`` fetches). Plugins
reach these readers as ``silkcore.parse_json``, ``silkcore.parse_yaml`` and ``silkcore.parse_csv_rows``.

Problems are reported as :class:`~silkcore._errors.Issue` objects with a JSON Pointer. The
offending values are found after parsing: the parser's hooks plant marker objects where a
bad value was, and one walk over the result turns each marker into a pointer.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import warnings
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import IO, Any

import attrs
import orjson

from ._errors import DataError, Issue
from ._fastparse import fast_loads
from ._locate import locate_json, pointer_join

__all__ = [
    "DEFAULT_LIMITS",
    "LIMIT_VARIABLES",
    "EntityDocument",
    "Limits",
    "body_limits",
    "dumps",
    "dumps_line",
    "dumps_line_bytes",
    "iter_json_lines",
    "iter_raw_lines",
    "load_yaml",
    "parse_yaml",
    "loads",
    "parse_csv_rows",
    "parse_json",
    "parse_line",
    "string_issue",
]


#: The environment variable that sets each limit of :data:`DEFAULT_LIMITS` (a whole number).
LIMIT_VARIABLES = {
    "max_bytes": "SILKCORE_MAX_BYTES",
    "max_line_bytes": "SILKCORE_MAX_LINE_BYTES",
    "max_depth": "SILKCORE_MAX_DEPTH",
    "max_int_digits": "SILKCORE_MAX_INT_DIGITS",
    "max_float_chars": "SILKCORE_MAX_FLOAT_CHARS",
    "max_csv_field": "SILKCORE_MAX_CSV_FIELD",
}
#: The largest value each limit may take, and why.
_LIMIT_CAPS = {
    # Python's own recursion (about 1,000 frames) must stay out of reach of every walk over a
    # document, including recursive validators that use several frames a level.
    "max_depth": 200,
    # CPython refuses to convert longer decimal text (sys.int_info.default_max_str_digits).
    "max_int_digits": 4300,
}


def _positive_limit(instance: Any, attribute: Any, value: Any) -> None:
    cap = _LIMIT_CAPS.get(attribute.name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or (cap is not None and value > cap):
        bound = f"1 to {cap}" if cap is not None else "at least 1"
        raise DataError([Issue("", f"limit {attribute.name} must be a whole number from {bound}; got {value!r}")])


@attrs.frozen
class Limits:
    """Input limits; the defaults follow the project's reliability plan.

    Every reader that takes ``limits`` applies them: documents, JSON Lines, YAML, and the
    importers' JSON and CSV. :data:`DEFAULT_LIMITS` reads the ``SILKCORE_MAX_*`` environment
    variables (:data:`LIMIT_VARIABLES`) once, when silkcore is imported.
    """

    #: Largest input, in bytes (a whole document, a file given to an importer).
    max_bytes: int = attrs.field(default=16 * 1024 * 1024, validator=_positive_limit)
    #: Longest line of a JSON Lines input, in bytes.
    max_line_bytes: int = attrs.field(default=1024 * 1024, validator=_positive_limit)
    #: Deepest nesting of objects and arrays (at most 200).
    max_depth: int = attrs.field(default=64, validator=_positive_limit)
    #: Most digits of an integer (in YAML also the same magnitude written in another base; at most 4,300).
    max_int_digits: int = attrs.field(default=19, validator=_positive_limit)
    #: Most characters of a number with a fraction or an exponent.
    max_float_chars: int = attrs.field(default=64, validator=_positive_limit)
    #: Most characters in one field of a CSV input.
    max_csv_field: int = attrs.field(default=64 * 1024, validator=_positive_limit)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The default limits, each replaced by its ``SILKCORE_MAX_*`` variable when that is set.

        :raises DataError: one issue per variable that is not a whole number in range.
        """
        limits, issues = _limits_from(os.environ if environ is None else environ)
        if issues:
            raise DataError(issues)
        return limits


def _limits_from(environ: Mapping[str, str]) -> tuple[Limits, list[Issue]]:
    """The limits the variables set, and an issue for each variable that was not usable."""
    values: dict[str, int] = {}
    issues: list[Issue] = []
    for name, variable in LIMIT_VARIABLES.items():
        raw = environ.get(variable)
        if raw is None or not raw.strip():
            continue
        text = raw.strip()
        if not text.isascii() or not text.isdigit() or len(text) > 18:
            issues.append(Issue("", f"expected a whole number for limit {name}, got {raw[:40]!r}", variable))
            continue
        try:
            Limits(**{name: int(text)})
        except DataError as exc:
            issues += [issue.located(variable) for issue in exc.errors]
            continue
        values[name] = int(text)
    return Limits(**values), issues


def _default_limits() -> Limits:
    """:data:`DEFAULT_LIMITS`: a variable that is not usable is named in a warning and left out."""
    limits, issues = _limits_from(os.environ)
    for issue in issues:
        warnings.warn(f"{issue.source}: {issue.message}; the built-in default is used", stacklevel=2)
    return limits


DEFAULT_LIMITS = _default_limits()


def body_limits(max_bytes: int) -> Limits:
    """The limits for an input its receiver has already bounded to ``max_bytes`` (a request
    body of the node, an answer ``silk sync`` fetched): :data:`DEFAULT_LIMITS`, so the
    ``SILKCORE_MAX_*`` variables give one verdict through every door, with ``max_bytes``
    in place of theirs.

    Replaced rather than the smaller of the two: the receiver's bound is chosen for it (``silk
    serve --max-body`` and its kind, each answered 413 before any parsing), and the built-in
    16 MiB, which cannot be told from a chosen ``SILKCORE_MAX_BYTES``, would otherwise cap a
    larger ``--max-body`` with a different answer.
    """
    return attrs.evolve(DEFAULT_LIMITS, max_bytes=max_bytes)


#: At most this many issues are reported for one document: enough to act on, never unbounded.
MAX_ISSUES = 100


class _Bad:
    """Marker planted by a parser hook where a forbidden value was (with its place, when known)."""

    __slots__ = ("column", "line", "message")

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.message = message
        self.line = line
        self.column = column

    def issue(self, pointer: str) -> Issue:
        """The problem this marker stands for, at ``pointer``."""
        return Issue(pointer, self.message, line=self.line, column=self.column)


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


def _make_decoder(limits: Limits, flagged: list[bool], decimals: bool = False) -> json.JSONDecoder:
    """A decoder whose hooks plant markers for forbidden values and note that they did, so a
    clean document needs no second walk. With ``decimals``, numbers with a fraction or an
    exponent become exact :class:`~decimal.Decimal` values instead of floats."""

    def parse_constant(name: str) -> _Bad:
        flagged[0] = True
        return _Bad(f"{name} is not a JSON number; expected a finite number")

    def parse_float(text: str) -> float | Decimal | _Bad:
        if len(text) > limits.max_float_chars:
            flagged[0] = True
            return _Bad(f"number with {len(text)} characters is too long; at most {limits.max_float_chars}")
        value = float(text)
        if not math.isfinite(value):  # refused with exact decimals too: the verdict must not depend on the reader
            flagged[0] = True
            return _Bad(f"number {text} overflows to infinity; expected a finite number")
        return Decimal(text) if decimals else value

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


def string_issue(text: str) -> str | None:
    """Why ``text`` cannot be in a silkcore document (a NUL, a lone surrogate), or None."""
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
                bad = string_issue(key)
                if bad:
                    issues.append(Issue(pointer_join((*path, key)), f"in key: {bad}"))
                stack.append((child, (*path, key)))
        elif isinstance(node, list):
            if len(path) >= limits.max_depth:
                issues.append(Issue(pointer_join(path), f"nesting deeper than {limits.max_depth} levels"))
                continue
            stack.extend((child, (*path, i)) for i, child in reversed(list(enumerate(node))))
        elif isinstance(node, str):
            bad = string_issue(node)
            if bad:
                issues.append(Issue(pointer_join(path), bad))
        elif isinstance(node, _Bad):
            issues.append(node.issue(pointer_join(path)))
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
            message = f"input of {len(data)} characters exceeds the limit of {limits.max_bytes} bytes (SILKCORE_MAX_BYTES)"
            raise DataError([Issue("", message, source)])
        return data.removeprefix("\ufeff")
    if len(data) > limits.max_bytes:
        message = f"input of {len(data)} bytes exceeds the limit of {limits.max_bytes} bytes (SILKCORE_MAX_BYTES)"
        raise DataError([Issue("", message, source)])
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        before = data[line_start : exc.start].decode("utf-8").removeprefix("\ufeff")  # valid: the first error is at exc.start
        issue = Issue("", f"invalid UTF-8 at byte offset {exc.start}; expected UTF-8 text", source, line, len(before) + 1)
        raise DataError([issue]) from None


def loads(data: bytes | str, *, source: str | None = None, limits: Limits = DEFAULT_LIMITS, decimals: bool = False) -> Any:
    """Parse one JSON document strictly; raise :class:`DataError` listing every problem.

    ``decimals``: numbers with a fraction or an exponent become :class:`~decimal.Decimal`.

    Bytes go first through :func:`~silkcore._fastparse.fast_loads` (orjson behind screens that
    prove this reader would agree); only when it has a doubt does the reader below decide,
    and explain."""
    if not decimals and type(data) is bytes:
        value = fast_loads(data, limits)
        if value is not None:
            return value
    text = _decode(data, source, limits)
    flagged = [False]
    try:
        value = _make_decoder(limits, flagged, decimals).decode(text)
    except json.JSONDecodeError as exc:
        issue = Issue("", f"invalid JSON: {exc.msg}", source, exc.lineno, exc.colno)
        raise DataError([issue]) from None
    except RecursionError:
        raise DataError([_locate_deep_nesting(text, limits.max_depth).located(source)]) from None
    if flagged[0] or _needs_walk(text, isinstance(data, bytes), limits):
        issues = check_tree(value, limits)
        if issues:
            raise DataError([i.located(source) for i in locate_json(text, issues)])
    return value


def parse_json(data: bytes | str, *, source: str | None = None, limits: Limits = DEFAULT_LIMITS, decimals: bool = False) -> Any:
    """One JSON text read by silkcore's strict reader: what every importer should parse with.

    Refused, each as an :class:`~silkcore._errors.Issue` with a JSON Pointer (and the line and
    column for syntax errors): invalid UTF-8, input over ``limits.max_bytes``, syntax errors,
    duplicate keys, ``NaN``/``Infinity`` and numbers that overflow, integers longer than
    ``limits.max_int_digits`` digits, nesting deeper than ``limits.max_depth``, NUL characters
    and lone UTF-16 surrogates in keys and strings. A leading UTF-8 byte order mark is allowed.

    ``source`` names the input in the issues. With ``decimals``, numbers with a fraction or an
    exponent are returned as exact :class:`~decimal.Decimal` values instead of floats.

    :raises DataError: listing every problem found.
    """
    _text_argument(data, source)
    return loads(data, source=source, limits=limits, decimals=decimals)


def _text_argument(data: Any, source: str | None) -> None:
    """A :class:`DataError` unless ``data`` is text (bytes or str): a path given in its place
    is said to be one (the readers of files are ``load_document`` and ``read_plugin_data``)."""
    if not isinstance(data, bytes | str):
        hint = " (a path: read files with load_document or read_plugin_data)" if isinstance(data, os.PathLike) else ""
        raise DataError([Issue("", f"expected the text to read, as bytes or str, got {type(data).__name__}{hint}", source)])


def parse_yaml(data: bytes | str, *, source: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Any:
    """One YAML document read by silkcore's strict reader (libyaml's parser when it is installed):
    what plugins should read their data files with.

    Refused, each as an :class:`~silkcore._errors.Issue` with its line and column or JSON
    Pointer: tags, aliases, duplicate keys, numbers beyond ``limits``, and what
    :func:`parse_json` refuses in the data it gives.

    :raises DataError: listing every problem found.
    """
    from ._yaml_reader import read_yaml  # PyYAML and the strict loader: loaded by the first YAML read

    _text_argument(data, source)
    return read_yaml(data, source=source, limits=limits)


def _position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset."""
    offset = max(0, min(offset, len(text)))
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


class _RecordLines:
    """The lines of a text for :mod:`csv`, keeping those of the record being read (for locating errors)."""

    def __init__(self, text: str) -> None:
        self._lines = iter(io.StringIO(text, newline=""))
        self.record: list[str] = []

    def __iter__(self) -> _RecordLines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.record.append(line)
        return line


def _cell_starts(record: str, delimiter: str) -> list[tuple[int, int]]:
    """Where each cell of a (possibly incomplete) CSV record starts: 0-based line within the
    record and 1-based column. Errors only: a character loop."""
    starts = [(0, 1)]
    line, column = 0, 1
    quoted, at_start = False, True
    index, size = 0, len(record)
    while index < size:
        char = record[index]
        if quoted:
            if char == '"':
                if record[index + 1 : index + 2] == '"':
                    index, column = index + 1, column + 1
                else:
                    quoted = False
        elif char == '"' and at_start:
            quoted = True
        elif char == delimiter:
            starts.append((line, column + 1))
            at_start = True
            index, column = index + 1, column + 1
            continue
        at_start = False
        if char == "\n" or (char == "\r" and record[index + 1 : index + 2] != "\n"):
            line, column = line + 1, 0
        index, column = index + 1, column + 1
    return starts


def _ensure_csv_field_limit(limit: int) -> None:
    """Let :mod:`csv` read fields one character longer than ``limit``, so the limit is ours to
    report with its place. The module's limit is global: it is only ever raised, never lowered."""
    if csv.field_size_limit() <= limit:
        csv.field_size_limit(limit + 1)


def parse_csv_rows(
    data: bytes | str, *, source: str | None = None, delimiter: str = ",", limits: Limits = DEFAULT_LIMITS
) -> list[tuple[int, list[str]]]:
    """Every record of a CSV text, as ``(line the record starts on, cells)``; a blank line
    gives an empty list of cells.

    Read strictly (RFC 4180 quoting, ``"`` doubled inside quotes): refused, as a
    :class:`DataError` naming the line (and column where known), are invalid UTF-8, input
    over ``limits.max_bytes``, NUL characters and lone surrogates, a field longer than
    ``limits.max_csv_field`` characters, a quote that is never closed and text after a
    closing quote. A leading UTF-8 byte order mark is allowed.
    """
    text = _decode(data, source, limits)
    bad = _SURROGATE_OR_NUL.search(text)
    if bad is not None:
        line, column = _position(text, bad.start())
        raise DataError([Issue("", string_issue(bad.group()) or "", source, line, column)])
    limit = limits.max_csv_field
    _ensure_csv_field_limit(limit)
    lines = _RecordLines(text)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    while True:
        start = reader.line_num + 1
        lines.record = []
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            if str(exc).startswith("field larger than field limit"):
                line, column = _cell_starts("".join(lines.record), delimiter)[-1]
                raise DataError([_field_too_long(limit, source, start + line, column)]) from None
            message = f"invalid CSV: {exc} (quote a field holding a quote, a delimiter or a line break, and double its quotes)"
            raise DataError([Issue("", message, source, reader.line_num)]) from None
        for index, cell in enumerate(row):
            if len(cell) > limit:
                line, column = _cell_starts("".join(lines.record), delimiter)[index]
                raise DataError([_field_too_long(limit, source, start + line, column)])
        rows.append((start, row))


def _field_too_long(limit: int, source: str | None, line: int, column: int) -> Issue:
    return Issue("", f"CSV field longer than {limit} characters, the limit (SILKCORE_MAX_CSV_FIELD)", source, line, column)


#: Bytes read at a time by :func:`iter_raw_lines`: lines are then cut from the block in C.
_LINE_BLOCK = 1 << 16


def iter_raw_lines(
    stream: IO[bytes], *, source: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Iterator[tuple[int, bytes | DataError]]:
    """Yield ``(line_number, raw line or DataError)`` for each non-blank line, unparsed.

    Reads a bounded block at a time (``read1`` where the stream has it, so a pipe's lines
    come out as they arrive) and cuts it into lines in one C call: a quarter of the cost of
    reading line by line. Memory stays constant whatever the input size: an over-long line is
    skipped to its end and reported, never held in memory.
    """
    limit = limits.max_line_bytes
    read = getattr(stream, "read1", None) or stream.read
    number = 0
    started: list[bytes] = []  # the parts read so far of a line whose end is still to come
    skipping = False  # inside an over-long line, dropped up to its end
    while True:
        block = read(_LINE_BLOCK)
        if not block:
            break
        if skipping:
            end = block.find(b"\n")
            if end < 0:
                continue
            skipping = False
            yield number, _over_long(number, source, limit)
            block = block[end + 1 :]
        lines = block.split(b"\n")
        if started:
            started.append(lines[0])
            lines[0] = b"".join(started)
            started.clear()
        rest = lines.pop()  # the start of the next line (empty when the block ends one)
        for raw in lines:
            number += 1
            if len(raw) > limit:
                yield number, _over_long(number, source, limit)
                continue
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark
            if raw[-1:] == b"\r":
                raw = raw.rstrip(b"\r")
            if raw and not raw.isspace():
                yield number, raw
        if len(rest) > limit:  # the line in progress is already too long: drop it as it comes
            number += 1
            skipping = True
        elif rest:  # (what was started before is in the lines above, or is this rest)
            started.append(rest)
    if skipping:
        yield number, _over_long(number, source, limit)
    elif started:
        number += 1
        raw = b"".join(started).rstrip(b"\r")
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if raw and not raw.isspace():
            yield number, raw


def _over_long(number: int, source: str | None, limit: int) -> DataError:
    return DataError([Issue("", f"line longer than {limit} bytes", source, number)])


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


# A date-time or a dataclass is not JSON data: refused (TypeError), as any other foreign type.
_STRICT = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_OPTIONS = {None: _STRICT, 2: _STRICT | orjson.OPT_INDENT_2}
_LINE = _STRICT | orjson.OPT_APPEND_NEWLINE
_INF = float("inf")


def dumps(value: Any, *, indent: int | None = 2) -> str:
    """The one JSON writer: every document, score card, JSON Lines record and answer silkcore
    writes goes through it (or :func:`dumps_line`, the same with a newline), so one value
    always gives the same bytes (``silk assess --json``, each ``silk batch`` line, the
    node's answers).

    Deterministic: keys in their order, UTF-8 text (non-ASCII characters as they are), no
    spaces with ``indent=None``, two spaces per level with ``indent=2`` (the only indentation).
    Numbers are written as orjson writes them: an integer exactly, a float in the shortest
    form that reads back the same (``0.1``, ``5e-6``, ``1e+16``). What is not JSON data is
    refused: a NaN or infinite float (:class:`ValueError`), a key that is not a string, or a
    type JSON has no word for (:class:`TypeError`).
    """
    try:
        option = _OPTIONS[indent]
    except KeyError:
        raise ValueError(f"indent must be 2 or None, not {indent!r}") from None
    return str(_written(value, option), "utf-8")


def dumps_line(value: Any) -> str:
    """One JSON Lines line: ``dumps(value, indent=None)`` and a newline, written in one go."""
    return str(dumps_line_bytes(value), "utf-8")


def dumps_line_bytes(value: Any) -> bytes:
    """:func:`dumps_line` as the UTF-8 bytes it is made of: what a writer of binary output
    (a batch writing a score card a line) takes without decoding and encoding it again."""
    return _written(value, _LINE)


def written_once(value: Any) -> orjson.Fragment:
    """``value`` written now as it is written in a line (:func:`dumps_line` without the
    newline), to be held inside values written later by :func:`dumps_line`: its bytes then go
    in as they are. What a value written in many lines (a trace entry compiled once, shared by
    every score card with that answer) is serialised once as. Only for lines: an indented
    document would keep these bytes compact."""
    return orjson.Fragment(_written(value, _STRICT))


def _written(value: Any, option: int) -> bytes:
    try:
        text: bytes = orjson.dumps(value, option=option)
    except orjson.JSONEncodeError as exc:
        if str(exc) != "Integer exceeds 64-bit range":
            raise
        # orjson writes integers of at most 64 bits; a longer one (a JSON number may have any
        # number of digits) is written from its exact text, in the same output.
        text = orjson.dumps(_long_integers_written(value), option=option)
    # orjson writes a non-finite float as null: only a value with a null in it is looked at
    # (never a document written from entities, whose numbers were checked as they were built).
    if type(value) is not EntityDocument and b"null" in text and not _finite(value):
        raise ValueError("Out of range float values are not JSON compliant: NaN and infinity have no JSON number")
    return text


class EntityDocument(dict[str, Any]):
    """A document just written from an entity (``to_document``), about to be written out.

    Entities check their numbers when they are built (a score card's are all finite, from 0
    to 1, or counts), so :func:`dumps` does not walk such a document again looking for NaN:
    a batch writes a score card a line, each with a hundred numbers. The bytes are those
    of the plain dict."""

    __slots__ = ()


def _long_integers_written(value: Any) -> Any:
    """``value`` with each integer beyond 64 bits replaced by its JSON text (an orjson Fragment)."""
    if isinstance(value, dict):
        return {key: _long_integers_written(child) for key, child in value.items()}
    if isinstance(value, list | tuple):
        return [_long_integers_written(child) for child in value]
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**64:
        return orjson.Fragment(str(int(value)))
    return value


def _finite(value: Any) -> bool:
    """Whether no float inside ``value`` is NaN or infinite (iterative: no recursion limit);
    an :class:`EntityDocument` is known to hold none."""
    stack = [value]
    pop = stack.pop
    push = stack.extend
    while stack:
        node = pop()
        if isinstance(node, dict):
            if type(node) is not EntityDocument:
                push(node.values())
        elif isinstance(node, list | tuple):
            push(node)
        elif isinstance(node, float) and not -_INF < node < _INF:
            return False
    return True


#: The name the document readers use.
load_yaml = parse_yaml
