"""``silk batch --workers N``: lines processed in chunks by worker processes, written back in
the input order.

Each worker turns a chunk of raw lines into finished output lines with the same
:class:`~silkcore._batch.LineProcessor` one process uses. Workers die with the process that
started them (``PR_SET_PDEATHSIG`` on Linux, a thread watching the parent elsewhere), and a
worker that dies is named with the lines it held (a table shared with the parent). Imported
only by a batch with more than one worker: a single process needs none of this.

A caller's catalog (``run_batch(..., catalog=...)``, which ``silk batch`` passes) is the
workers' catalog too: they are forked, and inherit it (see :func:`_context`).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from typing import Any, NamedTuple

from ._batch import CHUNK, CHUNK_BYTES, _adopt_catalog, _error, _finish, _processor, _WorkerDied, _Written
from ._errors import DataError, SilkError
from ._flow_tally import FlowTally

__all__ = ["can_share", "pooled_results"]


# In a worker process: [the shared table, this worker's slot]. The table holds, per worker,
# its pid, the first and last line of the chunk it is working on (0: none) and whether the
# pool stopped it (SIGTERM): when a worker dies, the parent reads there which lines it held.
_SLOT: list[Any] = []
_FIELDS = 4


def _die_with_parent() -> None:
    """Make this worker exit when the process that started it dies (even by SIGKILL)."""
    parent = os.getppid()
    armed = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            armed = False
    if not armed:

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, name="silkcore-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _stopped_by_pool(signum: int, frame: Any) -> None:
    """SIGTERM: the pool is stopping this worker because another one died. Say so, then go."""
    table, slot = _SLOT
    table[slot * _FIELDS + 3] = 1
    os._exit(128 + signum)


def can_share(catalog: Any) -> bool:
    """Whether worker processes can check and score with ``catalog``: the default one (None),
    which each builds itself, or a caller's, which they inherit - where processes can fork."""
    return catalog is None or "fork" in multiprocessing.get_all_start_methods()


def _context(catalog: Any) -> BaseContext:
    """How the workers are started: by the platform's default without a catalog (each worker
    builds the default catalog itself), by fork with the caller's (see :func:`can_share`)."""
    # A caller's catalog reaches a worker only by fork, which copies it whole - plugins
    # registered, frameworks built, ``open_frameworks`` and ``strict`` applied - and pickles
    # nothing (the pool hands the initializer's arguments to a forked process as they are).
    # Spawn and forkserver would pickle it, and cannot: it holds a pluggy PluginManager, plugin
    # modules, hook functions, locks. Nor can a spawned worker rebuild it: a catalog does not
    # keep how it was built (its plugins may be objects made at run time), and its plugins
    # called again may register something else. So a catalog asks for fork even where the
    # default start method is another (spawn on macOS, forkserver on Linux from Python 3.14).
    return multiprocessing.get_context("fork" if catalog is not None else None)


def _worker_init(table: Any, counter: Any, catalog: Any) -> None:
    _die_with_parent()
    if catalog is not None:
        _adopt_catalog(catalog)
    with counter.get_lock():
        slot = counter.value
        counter.value += 1
    _SLOT[:] = [table, slot]
    table[slot * _FIELDS] = os.getpid()
    signal.signal(signal.SIGTERM, _stopped_by_pool)


def _chunk_work(
    task: str, framework_id: str | None, source: str, items: list[tuple[int, bytes]]
) -> tuple[list[_Written], FlowTally]:
    """Run in a worker process: one chunk of raw lines (bytes pickle cheaply) becomes finished
    text and the chunk's flow totals, so the main process only has to write."""
    held = None
    if _SLOT and items:
        table, slot = _SLOT
        held = slot * _FIELDS
        table[held + 1], table[held + 2] = items[0][0], items[-1][0]
    try:
        process = _processor(task, framework_id, source)
        tally = FlowTally()
        return [_finish(process(number, raw), tally) for number, raw in items], tally
    except SilkError as exc:
        raise _Carried.of(exc) from None
    finally:
        if held is not None:
            table[held + 1] = table[held + 2] = 0


class _Carried(Exception):
    """A SilkError raised in a worker, carried whole to the parent. Pickle alone would rebuild
    it wrongly or not at all: most of these classes take other arguments than their message
    (a DataError would come back with its message's characters as its issues)."""

    @classmethod
    def of(cls, error: SilkError) -> _Carried:
        kind: type[SilkError] = type(error)
        state = dict(vars(error))
        try:
            pickle.dumps((kind, error.args, state))
        except Exception:  # a class pickle cannot name, or state it cannot hold: the message survives
            kind, state = SilkError, {}
        return cls(kind, error.args, state)

    def revive(self) -> SilkError:
        kind, args, state = self.args
        error: SilkError = kind.__new__(kind)
        BaseException.__init__(error, *args)
        error.__dict__.update(state)
        return error


class _Chunk(NamedTuple):
    """A chunk in flight: the error records of its over-long lines, its future, its first line."""

    errors: list[_Written]
    future: Future[tuple[list[_Written], FlowTally]] | None
    first: int


def _held_by_the_dead(table: Any, workers: int) -> tuple[int, int] | None:
    """The lines a worker was holding when it died: one the pool did not stop itself first."""
    held: list[tuple[int, int]] = []
    stopped: list[tuple[int, int]] = []
    for slot in range(workers):
        base = slot * _FIELDS
        if table[base + 1]:
            (stopped if table[base + 3] else held).append((int(table[base + 1]), int(table[base + 2])))
    found = held or stopped
    return min(found) if found else None


def pooled_results(
    task: str,
    framework_id: str | None,
    source: str,
    lines: Iterator[tuple[int, bytes | DataError]],
    workers: int,
    tally: FlowTally,
    catalog: Any = None,
) -> Iterator[_Written]:
    """The finished lines of ``lines``, in the input order, processed by ``workers`` worker
    processes a chunk at a time (at most ``2 x workers`` chunks in flight: memory stays flat).
    The workers check and score with ``catalog`` (default: the default catalog), which
    :func:`can_share` must allow. A worker that dies stops the batch with
    :class:`_WorkerDied`, after the lines finished before it."""
    if catalog is not None:
        # The plugins register here, once, so their failures are recorded in the caller's
        # catalog (as with one worker) and not in copies of it that die with the workers.
        catalog.ensure_registered()
    context = _context(catalog)
    table = context.RawArray("q", workers * _FIELDS)
    counter = context.Value("i", 0)
    initargs = (table, counter, catalog)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init, initargs=initargs)
    pending: list[_Chunk] = []
    chunk: list[tuple[int, bytes]] = []
    too_long: list[_Written] = []
    size = 0

    def first_unsent() -> int:
        return min([number for number, _ in chunk[:1]] + [line for line, _, _ in too_long[:1]], default=0)

    def submit() -> None:
        nonlocal size
        first = first_unsent()
        future = pool.submit(_chunk_work, task, framework_id, source, list(chunk)) if chunk else None
        pending.append(_Chunk(list(too_long), future, first))
        chunk.clear()
        too_long.clear()
        size = 0

    def merge_first() -> list[_Written]:
        done = pending[0]
        written: list[_Written] = []
        if done.future is not None:
            try:
                written, chunk_tally = done.future.result()  # BrokenProcessPool leaves the chunk pending
            except _Carried as carried:
                raise carried.revive() from None
            tally.merge(chunk_tally)
        pending.pop(0)
        return sorted(written + done.errors)  # by line number: the input order

    def salvage(broken: BrokenProcessPool) -> Iterator[_Written]:
        """After a worker died: the chunks finished before it, in order, then the report."""
        pool.shutdown(wait=True)  # every worker has stopped: the futures and the table are final
        while pending and (pending[0].future is None or pending[0].future.exception() is None):
            yield from merge_first()
        first = pending[0].first if pending else first_unsent()
        cause = str(broken.__cause__ or "").strip().strip("'").strip()
        why = cause.splitlines()[-1] if cause else None
        raise _WorkerDied(first, None if why else _held_by_the_dead(table, workers), why)

    try:
        try:
            for number, raw in lines:
                if isinstance(raw, DataError):
                    too_long.append(_finish(_error(number, list(raw.errors)), tally))
                else:
                    chunk.append((number, raw))
                    size += len(raw)
                if len(chunk) + len(too_long) >= CHUNK or size >= CHUNK_BYTES:
                    submit()
                    while len(pending) > workers * 2:  # bounded: memory stays flat on any input size
                        yield from merge_first()
            if chunk or too_long:
                submit()
            while pending:
                yield from merge_first()
        except BrokenProcessPool as broken:
            yield from salvage(broken)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
