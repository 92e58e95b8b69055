"""Concurrent writers on both backends: nothing lost, and a gap-free feed whose order a reader
can trust while the writes happen (a reader that has seen change N never later finds a new
change numbered N or less)."""

from __future__ import annotations

import multiprocessing
import threading
import time

from silkcore._store import Change, open_store

from ._writers import write_records

WORKERS = 2
PER_WORKER = 200
TOTAL = WORKERS * PER_WORKER


def follow(location: str, seen: list[Change], stop: threading.Event) -> None:
    """Read the feed as a syncing peer does, from the last change seen, until all are seen."""
    with open_store(location) as store:
        after = 0
        while len(seen) < TOTAL and not stop.is_set():
            batch = store.changes(after, 50)
            seen.extend(batch)
            if batch:
                after = batch[-1].seq
            else:
                time.sleep(0.002)


def test_two_processes_lose_nothing_and_the_feed_has_no_gap(store_location: str) -> None:
    open_store(store_location).close()  # created once, before the writers race
    seen: list[Change] = []
    stop = threading.Event()
    reader = threading.Thread(target=follow, args=(store_location, seen, stop))
    context = multiprocessing.get_context("spawn")  # no pool, thread or connection crosses a fork
    barrier, queue = context.Barrier(WORKERS), context.Queue()
    writers = [
        context.Process(target=write_records, args=(store_location, w, PER_WORKER, barrier, queue)) for w in range(WORKERS)
    ]
    reader.start()
    try:
        for writer in writers:
            writer.start()
        results = dict(queue.get(timeout=300) for _ in writers)
        for writer in writers:
            writer.join(timeout=60)
        if any(statuses != ["created"] * PER_WORKER for statuses in results.values()):
            stop.set()  # the reader would wait for changes that will never come
    finally:
        reader.join(timeout=120)
        stop.set()
        for writer in writers:
            if writer.is_alive():
                writer.kill()
    assert [writer.exitcode for writer in writers] == [0] * WORKERS
    assert all(statuses == ["created"] * PER_WORKER for statuses in results.values()) and len(results) == WORKERS
    with open_store(store_location) as store:
        assert store.count_records() == TOTAL
        changes = store.changes(0, 10 * TOTAL)
        assert [c.seq for c in changes] == list(range(1, TOTAL + 1))
        assert {c.record_id for c in changes} == {f"urn:test:{w}:{n}" for w in range(WORKERS) for n in range(PER_WORKER)}
        for worker in range(WORKERS):  # each writer's own records appear in the order it wrote them
            mine = [int(c.record_id.rsplit(":", 1)[1]) for c in changes if c.record_id.startswith(f"urn:test:{worker}:")]
            assert mine == list(range(PER_WORKER))
    # What the reader saw while the writers ran: every change once, in order, none skipped.
    assert [c.seq for c in seen] == list(range(1, TOTAL + 1))
