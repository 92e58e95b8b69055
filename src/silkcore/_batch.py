"""Streaming validation and scoring of JSON Lines: constant memory, one result per line.

Input is read one bounded line at a time (a file, a gzip file or stdin), so a file of any
size needs the same memory. Each non-blank input line gives exactly one output line: the
result, or an error record ``{"line": N, "errors": [...]}`` with JSON Pointers. With
``workers > 1`` lines are processed in chunks by worker processes and written back in the
input order.

Each line is parsed (orjson behind screens that prove the strict parser would agree; the
strict parser, which also explains, when they doubt), judged by the one check every surface
uses (:func:`~silkcore._documents.check`), and scored by the framework's scorer. Scoring
gives a score card per response set (the same document ``silk assess --json`` and the node
write, by the same writer) and a cell of the flow matrix per flow, with running totals
(:class:`~silkcore._flow_tally.FlowTally`).

A batch that cannot finish says so: a truncated or corrupt gzip input, or a worker process
that dies, stops it with a :class:`BatchError` that names the file and the compressed byte
offset reached, or the lines the dead worker held, and carries the counts of the lines
written before. Workers die with the process that started them (``PR_SET_PDEATHSIG`` on
Linux, a thread watching the parent elsewhere), so none outlives a killed ``silk batch``.
The workers live in :mod:`silkcore._batch_pool`, imported only when there are several; they
check and score with the caller's catalog, as one process does (where processes cannot fork
to inherit it, a batch given a catalog runs in one process).
"""

from __future__ import annotations

import gzip
import io
import sys
import warnings
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import attrs

from ._assessment import ResponseSet
from ._documents import answered_framework, check, to_document
from ._errors import DataError, Issue, SilkError
from ._fastpath import FAST_BUILDERS
from ._flow_tally import FlowTally, flow_score
from ._jsonio import DEFAULT_LIMITS, EntityDocument, dumps_line_bytes, iter_raw_lines, parse_line
from ._model import Flow
from ._scoring import GenericScorer, answers_of

__all__ = ["MAX_WORKERS", "BatchCounts", "BatchError", "LineProcessor", "open_input", "run_batch"]

CHUNK = 2000  # lines a worker takes at a time...
CHUNK_BYTES = 1 << 21  # ...or fewer, once they hold 2 MiB: large lines mean large results


#: The most worker processes a batch starts: far beyond what pays on any machine (each is a
#: whole Python process), and short of a fork storm from a mistyped number.
MAX_WORKERS = 256


@attrs.define
class BatchCounts:
    """How many lines were read, succeeded and failed; the scored flows' running totals."""

    lines: int = 0
    ok: int = 0
    failed: int = 0
    flows: FlowTally = attrs.field(factory=FlowTally)


class BatchError(DataError):
    """The batch stopped before the end of its input: the input is damaged (a truncated or
    corrupt gzip stream, a failed read) or a worker process died.

    Every line before the problem has its result written, and :attr:`counts` counts them,
    so a caller can still report ``N line(s): x ok, y failed``. :attr:`held` is the (first,
    last) line numbers a dead worker was processing, when known."""

    def __init__(self, issues: list[Issue], counts: BatchCounts, held: tuple[int, int] | None = None) -> None:
        super().__init__(issues)
        self.counts = counts
        self.held = held


def _name(path: str) -> str:
    return "<stdin>" if path == "-" else path


class _Counted:
    """A binary stream that counts the bytes read through it: the compressed offset."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.offset = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.offset += len(data)
        return data


class _GzipInput(gzip.GzipFile):
    """A gzip stream that knows how many compressed bytes it consumed, and closes its file."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.counted = _Counted(raw)
        super().__init__(fileobj=self.counted, mode="rb")  # type: ignore[call-overload]

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self._raw is not sys.stdin.buffer:
                self._raw.close()


def _open_raw(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    try:
        return Path(path).open("rb")
    except OSError as exc:
        raise DataError([Issue("", f"cannot read the input: {exc.strerror or exc}", path)]) from None
    except ValueError as exc:  # a NUL character in the path
        raise DataError([Issue("", f"cannot read the input: {exc}", path)]) from None


def open_input(path: str) -> IO[bytes]:
    """A binary stream for a path (``-`` is stdin); gzip is recognised by its magic bytes.

    A file that cannot be opened is a :class:`~silkcore._errors.DataError`; closing the
    stream closes the file (never stdin)."""
    raw = _open_raw(path)
    try:
        head = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
    except OSError as exc:  # a directory, or a device that refuses to be read
        if raw is not sys.stdin.buffer:
            raw.close()
        raise DataError([Issue("", f"cannot read the input: {exc.strerror or exc}", _name(path))]) from None
    if head == b"\x1f\x8b":
        return _GzipInput(raw)  # type: ignore[return-value]
    return raw


def _describe(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return "the gzip data is truncated (it ends before its end-of-stream marker)"
    if isinstance(exc, gzip.BadGzipFile):
        return f"the gzip data is damaged ({exc})"
    if isinstance(exc, zlib.error):
        return f"the gzip data is corrupt ({exc})"
    if isinstance(exc, OSError):
        return f"cannot read the input: {exc.strerror or exc}"
    return f"cannot read the input: {exc}"


class _Input:
    """An opened batch input: its lines, and - when reading stops early - what went wrong, where."""

    def __init__(self, path: str) -> None:
        self.name = _name(path)
        self.stream = open_input(path)
        self.damage: Issue | None = None

    def offset(self) -> int | None:
        """Bytes of the file consumed so far (compressed bytes, for gzip), when known."""
        if isinstance(self.stream, _GzipInput):
            return self.stream.counted.offset
        try:
            return self.stream.tell()
        except (OSError, ValueError):
            return None

    def lines(self) -> Iterator[tuple[int, bytes | DataError]]:
        """The raw lines; a read that fails ends them, with :attr:`damage` saying why."""
        last = 0
        try:
            for number, raw in iter_raw_lines(self.stream, source=self.name, limits=DEFAULT_LIMITS):
                last = number
                yield number, raw
        except (EOFError, zlib.error, OSError) as exc:  # gzip.BadGzipFile is an OSError
            offset = self.offset()
            where = "" if offset is None else f" at byte {offset}" + (" of the compressed file" if self.is_gzip else "")
            after = f" after line {last}" if last else " before the first line"
            self.damage = Issue("", f"{_describe(exc)}: reading stopped{where},{after}", self.name)

    @property
    def is_gzip(self) -> bool:
        return isinstance(self.stream, _GzipInput)

    def close(self) -> None:
        if self.stream is not sys.stdin.buffer:
            self.stream.close()


def _error(number: int, issues: list[Issue]) -> dict[str, Any]:
    return {"line": number, "errors": [{"pointer": i.pointer, "message": i.message} for i in issues]}


_CATALOG: list[Any] = []  # this process's catalog, built on first use


def _catalog() -> Any:
    if not _CATALOG:
        from ._catalog import build_catalog

        _CATALOG.append(build_catalog())
    return _CATALOG[0]


def _adopt_catalog(catalog: Any) -> None:
    """In a worker process: check and score with ``catalog`` (the caller's, inherited) from now
    on. The processors this process inherited were built over the default catalog: dropped."""
    _CATALOG[:] = [catalog]
    _PROCESSORS.clear()


class LineProcessor:
    """Turns raw JSON Lines lines into result records. Built once per process (and task):
    it keeps the catalog and the framework resolver."""

    def __init__(self, task: str, framework_ref: str | None = None, source: str = "<batch>", catalog: Any = None) -> None:
        self.task = task
        self.source = source
        # The caller's catalog when it has one (so its plugin failures are its own: the CLI's
        # --strict-plugins and --debug see them); a worker process builds its own once.
        self.catalog = catalog if catalog is not None else _catalog()
        # ``--framework``: an id or a file, resolved once per process; every response set is
        # then checked against it (as ``silk assess`` does), otherwise against the one it names.
        self.framework = None if framework_ref is None else self.catalog.resolve_framework(framework_ref)
        chosen = self.framework
        self.frameworks = self.catalog.framework_resolver() if chosen is None else (lambda _framework_id: chosen)
        self.registry = self.catalog.schemas
        #: framework id -> its scorer, and whether that is the generic one (which writes its
        #: card as a document at once): looked up once, not once a line.
        self._scorers: dict[str, tuple[Any, bool]] = {}

    def __call__(self, number: int, raw: bytes) -> dict[str, Any]:
        """The result or error record of one raw line."""
        try:
            document = parse_line(number, raw, self.source)  # the strict reader, its shortcut first
        except DataError as exc:
            return _error(number, list(exc.errors))
        return self.process(number, document)

    def process(self, number: int, document: Any) -> dict[str, Any]:
        """Validate (and type, and score) one parsed document; an error record on failure."""
        validating = self.task == "validate"
        try:
            # Scoring reads a response set as its document: its entity is not built.
            entity, issues = check(document, registry=self.registry, explain="rs", frameworks=self.frameworks, typed=validating)
        except DataError as exc:
            return _error(number, list(exc.errors))
        if issues:
            return _error(number, issues)
        if validating:
            return {"line": number, "valid": True, "schema": document["schema"]}
        if isinstance(entity, Flow):
            return EntityDocument(line=number, flow=flow_score(entity))  # (written from the entity: finite)
        if isinstance(entity, ResponseSet):  # one check() chose to build (evidence, a date-time)
            answers = answers_of(entity)
        elif type(entity) is dict and entity.get("schema") == ResponseSet.SCHEMA:
            answers = entity
        else:
            return _error(number, [Issue("/schema", "expected a response set or a flow to score")])
        try:
            framework = self.framework or answered_framework(self.frameworks, answers)  # the version check() used
            scorer, generic = self._scorer(framework.id)
            if generic:  # its card, written once
                card = scorer.score_document(framework, [answers], for_line=True)
            else:
                typed = entity if isinstance(entity, ResponseSet) else FAST_BUILDERS[ResponseSet.SCHEMA](entity)
                card = to_document(scorer.score(framework, [typed]))
        except SilkError as exc:
            return _error(number, list(getattr(exc, "errors", ())) or [Issue("", str(exc))])
        return EntityDocument(line=number, scorecard=card)  # a card's numbers are checked: no NaN to look for

    def _scorer(self, framework_id: str) -> tuple[Any, bool]:
        found = self._scorers.get(framework_id)
        if found is None:
            scorer = self.catalog.scorer(framework_id)
            found = self._scorers[framework_id] = (scorer, getattr(type(scorer), "score", None) is GenericScorer.score)
        return found


_PROCESSORS: dict[tuple[str, str | None, str], LineProcessor] = {}


def _processor(task: str, framework_id: str | None, source: str) -> LineProcessor:
    """This process's processor for a task (kept: a worker is handed chunk after chunk)."""
    key = (task, framework_id, source)
    if key not in _PROCESSORS:
        if len(_PROCESSORS) >= 64:  # a long-lived process batching many sources stays bounded
            _PROCESSORS.clear()
        _PROCESSORS[key] = LineProcessor(task, framework_id, source)
    return _PROCESSORS[key]


#: One finished line: (its number, its JSON text as UTF-8 with the newline, whether it failed).
#: A plain tuple, made once a line (a NamedTuple is built by a Python-level call, which a
#: million lines feel); finished lines sort by number, the input order.
_Written = tuple[int, bytes, bool]


def _finish(record: dict[str, Any], tally: FlowTally) -> _Written:
    failed = "errors" in record
    if not failed and "flow" in record:
        tally.add(record["flow"])
    return record["line"], dumps_line_bytes(record), failed


class _WorkerDied(Exception):
    """Internal: the pool broke. ``first`` is the first line without a result; ``why`` is
    set when a worker did not die but sent back what could not be received."""

    def __init__(self, first: int, held: tuple[int, int] | None, why: str | None) -> None:
        super().__init__(first)
        self.first = first
        self.held = held
        self.why = why


def _results(
    task: str, framework_id: str | None, source: str, reader: _Input, workers: int, tally: FlowTally, catalog: Any = None
) -> Iterator[_Written]:
    lines = reader.lines()
    if workers > 1:
        from ._batch_pool import can_share, pooled_results  # processes, pipes and signals: only when they are used

        if can_share(catalog):
            yield from pooled_results(task, framework_id, source, lines, workers, tally, catalog)
            return
        # Workers that checked with another catalog would give other verdicts: slower, not wrong.
        warnings.warn(
            "this platform cannot fork: worker processes cannot share the catalog given, so the batch runs in one process",
            RuntimeWarning,
            stacklevel=3,  # the caller of run_batch
        )
    process = (
        LineProcessor(task, framework_id, source, catalog) if catalog is not None else _processor(task, framework_id, source)
    )
    for number, raw in lines:
        yield _finish(_error(number, list(raw.errors)) if isinstance(raw, DataError) else process(number, raw), tally)


def run_batch(
    task: str,
    source: str,
    output: IO[str] | IO[bytes],
    *,
    framework_id: str | None = None,
    workers: int = 1,
    catalog: Any = None,
) -> BatchCounts:
    """Process ``source`` (a path, a gzip file, or ``-`` for stdin) line by line, writing one
    JSON line per input line to ``output`` (a text or, faster, a binary stream: lines are
    written as the UTF-8 bytes they are made of), in input order; returns the counts.

    Raises :class:`~silkcore._errors.DataError` when the source cannot be opened (nothing is
    written), and :class:`BatchError` - with the counts of the lines written so far - when
    the input turns out damaged or a worker process dies: every line before the problem
    has its result in ``output``, none after it. ``workers`` is 1 to :data:`MAX_WORKERS`
    (:class:`DataError` otherwise, before anything is read)."""
    if type(workers) is not int or not 1 <= workers <= MAX_WORKERS:
        raise DataError([Issue("", f"workers must be a whole number from 1 to {MAX_WORKERS}, got {workers!r:.40}")])
    counts = BatchCounts()
    reader = _Input(source)
    write = _line_writer(output)
    ok = failed = 0
    try:
        for _, data, line_failed in _results(task, framework_id, source, reader, workers, counts.flows, catalog):
            if line_failed:
                failed += 1
            else:
                ok += 1
            write(data)
    except _WorkerDied as died:
        counts.lines, counts.ok, counts.failed = ok + failed, ok, failed
        held = f" while it held lines {died.held[0]}-{died.held[1]}" if died.held else ""
        stop = f"; no results from line {died.first} on" if died.first else ""
        if died.why:
            message = f"a worker process failed: its results could not be received ({died.why}){stop}"
        else:
            message = f"a worker process died{held} (killed, or out of memory){stop}"
        raise BatchError([Issue("", message, reader.name)], counts, died.held) from None
    finally:
        counts.lines, counts.ok, counts.failed = ok + failed, ok, failed
        reader.close()
    if reader.damage is not None:
        raise BatchError([reader.damage], counts)
    return counts


def _line_writer(output: IO[str] | IO[bytes]) -> Callable[[bytes], Any]:
    """How a finished line reaches ``output``: as it is to a binary stream, decoded to any other."""
    binary = isinstance(output, io.RawIOBase | io.BufferedIOBase) or "b" in str(getattr(output, "mode", ""))
    if binary and not isinstance(output, io.TextIOBase):
        return output.write  # type: ignore[return-value]
    write_text = output.write

    def write(data: bytes) -> Any:
        return write_text(str(data, "utf-8"))  # type: ignore[call-overload]

    return write
