"""Writer processes for test_concurrency.py (not a test module): each opens its own store and
puts records, starting together with the others at a barrier."""

from __future__ import annotations

import time
from typing import Any


def write_records(location: str, worker: int, count: int, barrier: Any, results: Any, pause: float = 0.001) -> None:
    """Put ``count`` new records (ids ``urn:test:WORKER:N``); sends (worker, each outcome's
    status) to ``results``. The ``pause`` after each put lets the other writers in: SQLite's
    busy handler sleeps between retries, so without it one writer would take every turn and
    the writes would not interleave at all."""
    from silkcore._store import open_store

    from .conftest import envelope, put

    statuses: list[str] = []
    try:
        with open_store(location) as store:
            barrier.wait(timeout=60)
            for n in range(count):
                statuses.append(put(store, envelope(f"urn:test:{worker}:{n}", name=f"w{worker} n{n}")).status)
                time.sleep(pause)
    except BaseException as exc:  # reported at once: the test fails now rather than at a timeout
        statuses.append(f"{type(exc).__name__}: {exc}")
    results.put((worker, statuses))
