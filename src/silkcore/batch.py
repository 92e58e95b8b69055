"""Streaming validation and scoring of JSON Lines: constant memory, one result per line.

Input is read one bounded line at a time (a file, a gzip file or stdin), so a file of any
size needs the same memory. Each non-blank input line gives exactly one output line: the
result, or an error record ``{"line": N, "errors": [...]}`` with JSON Pointers. With
``workers > 1`` lines are processed in chunks by worker processes and written back in the
input order.

Most lines take a fast lane that decides exactly as the general path does (orjson behind
screens that prove the strict parser would agree, the compiled validator, a hand-written
builder); a line the lane doubts takes the general path, which also writes the error
record. Scoring gives a score card per response set and a cell of the flow matrix per flow,
with running totals (:class:`~silkcore.flow_tally.FlowTally`).
"""

from __future__ import annotations

import gzip
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import IO, Any, NamedTuple

import attrs

from .assessment import ResponseSet
from .convert import unstructure
from .documents import check, semantic_issues
from .errors import DataError, Issue, SilkError
from .fastparse import dumps_line, fast_loads
from .fastpath import FAST_BUILDERS
from .flow_tally import FlowTally, flow_score
from .jsonio import DEFAULT_LIMITS, iter_raw_lines, parse_line
from .model import Flow

__all__ = ["BatchCounts", "LineProcessor", "open_input", "run_batch"]

CHUNK = 2000  # lines a worker takes at a time...
CHUNK_BYTES = 1 << 21  # ...or fewer, once they hold 2 MiB: large lines mean large results


@attrs.define
class BatchCounts:
    """How many lines were read, succeeded and failed; the scored flows' running totals."""

    lines: int = 0
    ok: int = 0
    failed: int = 0
    flows: FlowTally = attrs.field(factory=FlowTally)


def open_input(path: str) -> IO[bytes]:
    """A binary stream for a path (``-`` is stdin); gzip is recognised by its magic bytes."""
    raw: IO[bytes] = sys.stdin.buffer if path == "-" else Path(path).open("rb")  # noqa: SIM115 - closed by the caller
    head = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
    if head == b"\x1f\x8b":
        return gzip.open(raw, "rb")  # type: ignore[return-value]
    return raw


def _error(number: int, issues: list[Issue]) -> dict[str, Any]:
    return {"line": number, "errors": [{"pointer": i.pointer, "message": i.message} for i in issues]}


_CATALOG: list[Any] = []  # this process's catalog, built on first use


def _catalog() -> Any:
    if not _CATALOG:
        from .catalog import build_catalog

        _CATALOG.append(build_catalog())
    return _CATALOG[0]


class _Lane(NamedTuple):
    """The fast way for one document kind: its compiled validator, its hand-written builder,
    and the checks a schema cannot express."""

    is_valid: Callable[[Any], bool]
    build: Callable[[dict[str, Any]], Any]
    sound: Callable[[dict[str, Any], Any], bool]


class LineProcessor:
    """Turns raw JSON Lines lines into result records. Built once per process (and task):
    it keeps the catalog, and a fast lane per document kind that has a hand-written builder."""

    def __init__(self, task: str, framework_id: str | None = None, source: str = "<batch>") -> None:
        self.task = task
        self.framework_id = framework_id
        self.source = source
        self.catalog = _catalog()
        self._lanes: dict[Any, _Lane | None] = {}

    def __call__(self, number: int, raw: bytes) -> dict[str, Any]:
        """The result or error record of one raw line."""
        document = fast_loads(raw)
        if document is None:  # the shortcut had a doubt: the strict parser decides and explains
            try:
                document = parse_line(number, raw, self.source)
            except DataError as exc:
                return _error(number, list(exc.errors))
        return self.process(number, document)

    def typed(self, document: Any) -> Any:
        """The typed entity by the fast lane, or None to take the general path (which explains).

        The lane decides exactly as :func:`~silkcore.documents.check` does - the same compiled
        validator, the same builder, the same semantic checks - minus the general dispatch."""
        if type(document) is not dict:
            return None
        name = document.get("schema")
        try:
            lane = self._lanes[name]
        except KeyError:
            lane = self._lanes[name] = self._lane(name)
        except TypeError:  # an unhashable "schema" value: the general path explains
            return None
        if lane is None or not lane.is_valid(document):
            return None
        try:
            entity = lane.build(document)
        except (ValueError, KeyError, TypeError):
            return None
        return entity if lane.sound(document, entity) else None

    def _lane(self, name: Any) -> _Lane | None:
        if not isinstance(name, str) or name not in FAST_BUILDERS:
            return None
        schemas = self.catalog.schemas

        def sound(document: dict[str, Any], entity: Any) -> bool:
            return not semantic_issues(name, document, entity, schemas)

        return _Lane(schemas.rs_validator(name).is_valid, FAST_BUILDERS[name], sound)

    def process(self, number: int, document: Any) -> dict[str, Any]:
        """Validate (and type, and score) one parsed document; an error record on failure."""
        entity = self.typed(document)
        if entity is None:
            try:
                entity, issues = check(document, registry=self.catalog.schemas, explain="rs")
            except DataError as exc:
                return _error(number, list(exc.errors))
            if issues:
                return _error(number, issues)
        if self.task == "validate":
            return {"line": number, "valid": True, "schema": document["schema"]}
        if isinstance(entity, Flow):
            return {"line": number, "flow": flow_score(entity)}
        if not isinstance(entity, ResponseSet):
            return _error(number, [Issue("/schema", "expected a response set or a flow to score")])
        try:
            framework = self.catalog.framework(self.framework_id or entity.framework_id)
            card = self.catalog.scorer(framework.id).score(framework, [entity])
        except SilkError as exc:
            return _error(number, [Issue("", str(exc))])
        return {"line": number, "scorecard": {"schema": card.SCHEMA, **unstructure(card)}}


_PROCESSORS: dict[tuple[str, str | None, str], LineProcessor] = {}


def _processor(task: str, framework_id: str | None, source: str) -> LineProcessor:
    """This process's processor for a task (kept: a worker is handed chunk after chunk)."""
    key = (task, framework_id, source)
    if key not in _PROCESSORS:
        if len(_PROCESSORS) >= 64:  # a long-lived process batching many sources stays bounded
            _PROCESSORS.clear()
        _PROCESSORS[key] = LineProcessor(task, framework_id, source)
    return _PROCESSORS[key]


class _Written(NamedTuple):
    """One finished line: its number, its JSON text (newline included), whether it failed."""

    line: int
    text: str
    failed: bool


def _finish(record: dict[str, Any], tally: FlowTally) -> _Written:
    failed = "errors" in record
    if not failed and "flow" in record:
        tally.add(record["flow"])
    return _Written(record["line"], dumps_line(record), failed)


def _chunk_work(
    task: str, framework_id: str | None, source: str, items: list[tuple[int, bytes]]
) -> tuple[list[_Written], FlowTally]:
    """Run in a worker process: one chunk of raw lines (bytes pickle cheaply) becomes finished
    text and the chunk's flow totals, so the main process only has to write."""
    process = _processor(task, framework_id, source)
    tally = FlowTally()
    return [_finish(process(number, raw), tally) for number, raw in items], tally


def _results(
    task: str, framework_id: str | None, stream: IO[bytes], source: str, workers: int, tally: FlowTally
) -> Iterator[_Written]:
    lines = iter_raw_lines(stream, source=source, limits=DEFAULT_LIMITS)
    if workers <= 1:
        process = _processor(task, framework_id, source)
        for number, raw in lines:
            yield _finish(_error(number, list(raw.errors)) if isinstance(raw, DataError) else process(number, raw), tally)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: list[tuple[list[_Written], Any]] = []
        chunk: list[tuple[int, bytes]] = []
        too_long: list[_Written] = []
        size = 0

        def submit() -> None:
            nonlocal size
            pending.append((list(too_long), pool.submit(_chunk_work, task, framework_id, source, list(chunk))))
            chunk.clear()
            too_long.clear()
            size = 0

        def merge(errors: list[_Written], future: Any) -> list[_Written]:
            written, chunk_tally = future.result()
            tally.merge(chunk_tally)
            return sorted(written + errors)  # by line number: the input order

        for number, raw in lines:
            if isinstance(raw, DataError):
                too_long.append(_finish(_error(number, list(raw.errors)), tally))
            else:
                chunk.append((number, raw))
                size += len(raw)
            if len(chunk) + len(too_long) >= CHUNK or size >= CHUNK_BYTES:
                submit()
                while len(pending) > workers * 2:  # bounded: memory stays flat on any input size
                    yield from merge(*pending.pop(0))
        submit()
        for errors, future in pending:
            yield from merge(errors, future)


def run_batch(task: str, source: str, output: IO[str], *, framework_id: str | None = None, workers: int = 1) -> BatchCounts:
    """Process ``source`` line by line, writing one JSON line per input line to ``output``."""
    counts = BatchCounts()
    stream = open_input(source)
    write = output.write
    try:
        for written in _results(task, framework_id, stream, source, workers, counts.flows):
            counts.lines += 1
            if written.failed:
                counts.failed += 1
            else:
                counts.ok += 1
            write(written.text)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    return counts
