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
from typing import IO, Any

import attrs

from .documents import check
from .errors import DataError, Issue, SilkError
from .jsonio import DEFAULT_LIMITS, dumps, iter_raw_lines, parse_line

__all__ = ["BatchCounts", "open_input", "run_batch"]

CHUNK = 2000


@attrs.define
class BatchCounts:
    """How many lines were read, succeeded and failed."""

    lines: int = 0
    ok: int = 0
    failed: int = 0


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
    """What one process needs: a catalog (built once per process) and the task."""

    _catalog: Any = None

    @classmethod
    def catalog(cls) -> Any:
        if cls._catalog is None:
            from .catalog import build_catalog

            cls._catalog = build_catalog()
        return cls._catalog


def process_line(task: str, framework_id: str | None, number: int, document: Any) -> dict[str, Any]:
    """Validate (and type, and score) one parsed document; an error record on failure."""
    from .convert import unstructure

    catalog = _Worker.catalog()
    try:
        entity, issues = check(document, registry=catalog.schemas, explain="rs")
    except DataError as exc:
        return _error(number, list(exc.errors))
    if issues:
        return _error(number, issues)
    if task == "validate":
        return {"line": number, "valid": True, "schema": document["schema"]}
    from .assessment import ResponseSet

    if not isinstance(entity, ResponseSet):
        return _error(number, [Issue("/schema", "expected a response set to score")])
    try:
        framework = catalog.framework(framework_id or entity.framework_id)
        card = catalog.scorer(framework.id).score(framework, [entity])
    except SilkError as exc:
        return _error(number, [Issue("", str(exc))])
    return {"line": number, "scorecard": {"schema": card.SCHEMA, **unstructure(card)}}


def _handle(task: str, framework_id: str | None, source: str, number: int, raw: bytes) -> dict[str, Any]:
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
            output.write(dumps(record, indent=None) + "\n")
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    return counts
