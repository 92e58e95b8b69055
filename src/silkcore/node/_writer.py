"""The node's one writer of publications: group commit.

Each ``POST /documents`` that passed its checks hands its prepared record
(:func:`silkcore._store.prepare`: canonical form and version hash already computed) to the
:class:`Publisher` and waits. One writer thread takes whatever is queued - up to
:data:`MAX_BATCH` records - and stores it with :meth:`~silkcore._store.Store.put_records`
in one write transaction: one commit, one wait for the disk (``synchronous=FULL`` on
SQLite, a durable commit on PostgreSQL) for the whole batch. Publications arriving while a
commit is in flight form the next batch; nothing ever waits on a timer - the first
publication of an idle node starts its commit at once.

Each publication is answered only after the transaction holding its record committed: with
its own result (created, unchanged, new version, or its conflict), or - when the
transaction itself failed - with the store's error, every record of the batch alike, none
of them stored. Batches commit in the order their records were queued, so the change feed
follows that order with no gap.

The writer thread starts with the first publication and stops when the node closes
(:meth:`Publisher.close`); on SQLite it holds the node's write lock around each batch, so
the node's other writers (withdrawals, the web questionnaire) queue with it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
from collections import deque

from .._errors import StoreError
from .._store import PutOutcome, RecordPut
from ._storage import NodeStore

__all__ = ["MAX_BATCH", "Publisher"]

logger = logging.getLogger("silkcore.node")

#: The most records one transaction stores: a burst larger than this commits in several.
MAX_BATCH = 64

Result = PutOutcome | StoreError


#: Who waits for a record: a thread (a concurrent future) or a coroutine (its loop and future).
Waiter = concurrent.futures.Future[Result] | tuple[asyncio.AbstractEventLoop, "asyncio.Future[Result]"]
Settled = tuple[Waiter, Result | None, BaseException | None]


def _settle_future(future: concurrent.futures.Future[Result], result: Result | None, error: BaseException | None) -> None:
    if future.cancelled():  # cancelled before its batch was taken; stored all the same
        return
    if error is not None:
        future.set_exception(error)
    else:
        assert result is not None
        future.set_result(result)


def _settle_on_loop(settled: list[tuple[asyncio.Future[Result], Result | None, BaseException | None]]) -> None:
    """On a waiting coroutine's loop: hand each its result (once per batch and loop)."""
    for future, result, error in settled:
        if future.cancelled():  # its client went away; the record was stored all the same
            continue
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]


def _settle(settled: list[Settled]) -> None:
    """Answer every waiter of a batch: threads directly, coroutines with one wake-up of their
    loop for the whole batch (not one per record)."""
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Result], Result | None, BaseException | None]]] = {}
    for waiter, result, error in settled:
        if isinstance(waiter, concurrent.futures.Future):
            _settle_future(waiter, result, error)
        else:
            loop, future = waiter
            by_loop.setdefault(loop, []).append((future, result, error))
    for loop, waiting in by_loop.items():
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is left to answer
            loop.call_soon_threadsafe(_settle_on_loop, waiting)


class Publisher:
    """Queues prepared records and stores them in batches from one thread (see the module)."""

    def __init__(self, store: NodeStore, max_batch: int = MAX_BATCH) -> None:
        if max_batch < 1:
            raise ValueError(f"max_batch must be at least 1, not {max_batch!r}")
        self.store = store
        self.max_batch = max_batch
        self._queue: deque[tuple[RecordPut, Waiter]] = deque()
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def _enqueue(self, item: RecordPut, waiter: Waiter) -> None:
        with self._ready:
            if self._closed:
                raise StoreError("the node is closing: nothing more is stored")
            self._queue.append((item, waiter))
            if self._thread is None or not self._thread.is_alive():  # the first, or after a crash
                self._thread = threading.Thread(target=self._run, name="silkcore-publisher", daemon=True)
                self._thread.start()
            self._ready.notify()

    def submit(self, item: RecordPut) -> concurrent.futures.Future[Result]:
        """Queue ``item`` (from a thread); the future gets its result once its batch committed
        (a :class:`StoreError` result: this record was refused), or the batch's error."""
        future: concurrent.futures.Future[Result] = concurrent.futures.Future()
        self._enqueue(item, future)
        return future

    async def put(self, item: RecordPut) -> PutOutcome:
        """Store ``item`` with whatever else is queued; its outcome once committed, else the
        :class:`StoreError` refusing it (a :class:`~silkcore._store.RecordConflict`) or
        failing its whole batch."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Result] = loop.create_future()
        self._enqueue(item, (loop, future))
        result = await future
        if isinstance(result, StoreError):
            raise result
        return result

    def _next_batch(self) -> list[tuple[RecordPut, Waiter]] | None:
        with self._ready:
            while not self._queue and not self._closed:
                self._ready.wait()
            if not self._queue:
                return None  # closed, and everything queued was stored
            batch = [self._queue.popleft() for _ in range(min(len(self._queue), self.max_batch))]
        for _, waiter in batch:
            if isinstance(waiter, concurrent.futures.Future):
                # From here on the caller cannot cancel it: the record is stored all the same,
                # as a publication already received always was.
                waiter.set_running_or_notify_cancel()
        return batch

    def _run(self) -> None:
        try:
            while (batch := self._next_batch()) is not None:
                self._commit(batch)
        finally:
            self.store.close_thread()  # this thread's SQLite connection, closed in its own thread

    def _commit(self, batch: list[tuple[RecordPut, Waiter]]) -> None:
        try:
            with self.store.writing():
                results = self.store.backend().put_records([item for item, _ in batch])
        except StoreError as exc:
            # One error each: every caller raises its own.
            _settle([(waiter, None, StoreError(str(exc))) for _, waiter in batch])
            return
        except BaseException as exc:  # not the store's failure: a bug, answered 500 and logged by each route
            _settle([(waiter, None, exc) for _, waiter in batch])
            if not isinstance(exc, Exception):
                raise
            return
        _settle([(waiter, result, None) for (_, waiter), result in zip(batch, results, strict=True)])

    def close(self) -> None:
        """Store what is queued, then stop the writer thread (the node is shutting down)."""
        with self._ready:
            self._closed = True
            self._ready.notify()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()
