"""Streaming validation and scoring of JSON Lines: constant memory, one result per line.

Input is read one bounded line at a time (a file, a gzip file or stdin), so a file of any
size needs the same memory. Each non-blank input line gives exactly one output line: the
result, or an error record ``{"line": N, "errors": [...]}`` with JSON Pointers. With
``workers > 1`` lines are processed in chunks by worker processes and written back in the
input order.
"""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import IO, Any, ClassVar

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

__all__ = ["BatchCounts", "open_input", "run_batch"]

CHUNK = 2000


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


class _Worker:
    """What one process needs, built once per process: the catalog and the fast lanes."""

    _catalog: Any = None
    _lanes: ClassVar[dict[str, Any]] = {}

    @classmethod
    def catalog(cls) -> Any:
        if cls._catalog is None:
            from .catalog import build_catalog

            cls._catalog = build_catalog()
        return cls._catalog

    @classmethod
    def lane(cls, name: Any) -> Any:
        """(is_valid, builder) for a schema with a fast builder; None for any other."""
        lane = cls._lanes.get(name)
        if lane is None and name in FAST_BUILDERS:
            lane = cls._lanes[name] = (cls.catalog().schemas.rs_validator(name).is_valid, FAST_BUILDERS[name])
        return lane


def _typed(document: Any) -> Any:
    """The typed entity by the fast lane, or None to take the general path (which explains).

    The lane decides exactly as :func:`~silkcore.documents.check` does - the same compiled
    validator, the same builder, the same semantic checks - minus the general dispatch."""
    if type(document) is not dict:
        return None
    name = document.get("schema")
    lane = _Worker.lane(name)
    if lane is None or not lane[0](document):  # a lane exists only for a known schema name
        return None
    try:
        entity = lane[1](document)
    except (ValueError, KeyError, TypeError):
        return None
    return None if semantic_issues(str(name), document, entity, _Worker.catalog().schemas) else entity


def process_line(task: str, framework_id: str | None, number: int, document: Any) -> dict[str, Any]:
    """Validate (and type, and score) one parsed document; an error record on failure."""
    entity = _typed(document)
    if entity is None:
        try:
            entity, issues = check(document, registry=_Worker.catalog().schemas, explain="rs")
        except DataError as exc:
            return _error(number, list(exc.errors))
        if issues:
            return _error(number, issues)
    if task == "validate":
        return {"line": number, "valid": True, "schema": document["schema"]}
    if isinstance(entity, Flow):
        return {"line": number, "flow": flow_score(entity)}
    if not isinstance(entity, ResponseSet):
        return _error(number, [Issue("/schema", "expected a response set or a flow to score")])
    catalog = _Worker.catalog()
    try:
        framework = catalog.framework(framework_id or entity.framework_id)
        card = catalog.scorer(framework.id).score(framework, [entity])
    except SilkError as exc:
        return _error(number, [Issue("", str(exc))])
    return {"line": number, "scorecard": {"schema": card.SCHEMA, **unstructure(card)}}


def _handle(task: str, framework_id: str | None, source: str, number: int, raw: bytes) -> dict[str, Any]:
    document = fast_loads(raw)
    if document is None:  # the shortcut had a doubt: the strict parser decides and explains
        try:
            document = parse_line(number, raw, source)
        except DataError as exc:
            return _error(number, list(exc.errors))
    return process_line(task, framework_id, number, document)


def _chunk_work(task: str, framework_id: str | None, source: str, items: list[tuple[int, bytes]]) -> list[dict[str, Any]]:
    """Run in a worker process: parse and process one chunk of raw lines (bytes pickle cheaply)."""
    return [_handle(task, framework_id, source, number, raw) for number, raw in items]


def _results(task: str, framework_id: str | None, stream: IO[bytes], source: str, workers: int) -> Iterator[dict[str, Any]]:
    lines = iter_raw_lines(stream, source=source, limits=DEFAULT_LIMITS)
    if workers <= 1:
        for number, raw in lines:
            yield (
                _error(number, list(raw.errors))
                if isinstance(raw, DataError)
                else _handle(task, framework_id, source, number, raw)
            )
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: list[Any] = []
        chunk: list[tuple[int, bytes]] = []
        too_long: dict[int, dict[str, Any]] = {}

        def submit() -> None:
            pending.append((dict(too_long), pool.submit(_chunk_work, task, framework_id, source, list(chunk))))
            chunk.clear()
            too_long.clear()

        for number, raw in lines:
            if isinstance(raw, DataError):
                too_long[number] = _error(number, list(raw.errors))
            else:
                chunk.append((number, raw))
            if len(chunk) + len(too_long) >= CHUNK:
                submit()
                while len(pending) > workers * 2:  # bounded: memory stays flat on any input size
                    yield from _merge(*pending.pop(0))
        submit()
        for errors, future in pending:
            yield from _merge(errors, future)


def _merge(errors: dict[int, dict[str, Any]], future: Any) -> Iterator[dict[str, Any]]:
    results = future.result() + list(errors.values())
    yield from sorted(results, key=lambda r: r["line"])


def run_batch(task: str, source: str, output: IO[str], *, framework_id: str | None = None, workers: int = 1) -> BatchCounts:
    """Process ``source`` line by line, writing one JSON line per input line to ``output``."""
    counts = BatchCounts()
    stream = open_input(source)
    try:
        for record in _results(task, framework_id, stream, source, workers):
            counts.lines += 1
            if "errors" in record:
                counts.failed += 1
            else:
                counts.ok += 1
                if "flow" in record:
                    counts.flows.add(record["flow"])
            output.write(dumps_line(record))
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    return counts
