"""The store's records on SQLite and PostgreSQL next to the raw driver floor, in one run.

Run: ``make bench-store`` (or ``.venv/bin/python benchmarks/bench_store.py [RECORDS]``).

For each backend and for 1, 2 and 4 worker processes (each with its own store, started
together at a barrier), RECORDS envelopes in all (default 2,000, split between the workers):

* ``put_record``: durable writes, one transaction each (SQLite WAL + ``synchronous=FULL``;
  PostgreSQL with ``fsync`` and ``synchronous_commit`` on), each appending its change under
  the feed lock;
* ``record()``: reads of random stored ids (as many as were written).

The raw floor runs in the same run on the same bytes (the envelope as the store writes it):
sqlite3 ``INSERT`` of (id, text) in its own ``BEGIN IMMEDIATE`` transaction with the same
pragmas, and psycopg ``INSERT`` in autocommit (one durable commit each); reads are ``SELECT``
by primary key. PostgreSQL is a throwaway server (``tests/_postgres.py``) on this machine,
reached over 127.0.0.1, unless ``SILKCORE_BENCH_POSTGRES`` names a server (its database must
allow ``CREATE DATABASE``). Throughput is records per second over the span from the first
worker's start to the last worker's end.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from silkcore._jsonio import dumps  # noqa: E402
from silkcore._store import open_store  # noqa: E402

ORGANISATION = json.loads((ROOT / "examples" / "documents" / "organisation-sol-del-valle.json").read_text())
WORKERS = (1, 2, 4)


def envelope(worker: int, n: int) -> dict[str, Any]:
    """A public organisation envelope of about 1.5 kB, its own record id."""
    return {
        "schema": "silkcore_envelope-v1.0.0",
        "record_id": f"urn:bench:{worker}:{n}",
        "payload_schema": ORGANISATION["schema"],
        "publisher": {"id": "https://publisher.example.org/"},
        "provenance": {"generated_at": "2026-01-01T00:00:00Z", "method": "self_declared"},
        "sharing": {"level": "public"},
        "payload": ORGANISATION,
    }


# -- workers (run in their own processes) -----------------------------------------------------------


def store_writes(location: str, worker: int, count: int) -> Callable[[], None]:
    store = open_store(location)

    def run() -> None:
        for n in range(count):
            store.put_record(
                envelope(worker, n),
                received_from="https://peer.example.org/",
                received_at="2026-02-01T00:00:00Z",
                subject=ORGANISATION["org_id"],
                publisher_verified=True,
            )
        store.close()

    return run


def store_reads(location: str, worker: int, ids: list[str]) -> Callable[[], None]:
    store = open_store(location)

    def run() -> None:
        for record_id in ids:
            assert store.record(record_id) is not None
        store.close()

    return run


def raw_sqlite(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None, timeout=30)
    db.execute("PRAGMA busy_timeout = 30000")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    return db


def raw_sqlite_writes(path: str, worker: int, count: int) -> Callable[[], None]:
    db = raw_sqlite(path)

    def run() -> None:
        for n in range(count):
            document = envelope(worker, n)
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO raw (id, body) VALUES (?, ?)", (document["record_id"], dumps(document, indent=None)))
            db.execute("COMMIT")
        db.close()

    return run


def raw_sqlite_reads(path: str, worker: int, ids: list[str]) -> Callable[[], None]:
    db = raw_sqlite(path)

    def run() -> None:
        for record_id in ids:
            assert db.execute("SELECT body FROM raw WHERE id = ?", (record_id,)).fetchone() is not None
        db.close()

    return run


def raw_pg_writes(url: str, worker: int, count: int) -> Callable[[], None]:
    import psycopg

    conn = psycopg.connect(url, autocommit=True)

    def run() -> None:
        for n in range(count):
            document = envelope(worker, n)
            conn.execute("INSERT INTO raw (id, body) VALUES (%s, %s)", (document["record_id"], dumps(document, indent=None)))
        conn.close()

    return run


def raw_pg_reads(url: str, worker: int, ids: list[str]) -> Callable[[], None]:
    import psycopg

    conn = psycopg.connect(url, autocommit=True)

    def run() -> None:
        for record_id in ids:
            assert conn.execute("SELECT body FROM raw WHERE id = %s", (record_id,)).fetchone() is not None
        conn.close()

    return run


def timed(prepare: Callable[..., Callable[[], None]], args: tuple[Any, ...], barrier: Any, queue: Any) -> None:
    """Prepare (open the store) outside the clock, wait for the others, then time the work."""
    run = prepare(*args)
    barrier.wait(timeout=120)
    start = time.monotonic()
    run()
    queue.put((start, time.monotonic()))


def throughput(prepare: Callable[..., Callable[[], None]], args_of: list[tuple[Any, ...]], total: int) -> float:
    """Records per second of ``len(args_of)`` processes, from the first start to the last end."""
    context = multiprocessing.get_context("spawn")
    barrier, queue = context.Barrier(len(args_of)), context.Queue()
    processes = [context.Process(target=timed, args=(prepare, args, barrier, queue)) for args in args_of]
    for process in processes:
        process.start()
    spans = [queue.get(timeout=600) for _ in processes]
    for process in processes:
        process.join()
        if process.exitcode != 0:
            raise RuntimeError(f"a worker failed ({process.exitcode})")
    return total / (max(end for _, end in spans) - min(start for start, _ in spans))


# -- the run ----------------------------------------------------------------------------------------


def split(total: int, workers: int) -> list[int]:
    return [total // workers + (1 if w < total % workers else 0) for w in range(workers)]


def reads_of(total: int, workers: int, counts: list[int]) -> list[list[str]]:
    rng = random.Random(20261202)
    stored = [f"urn:bench:{w}:{n}" for w, count in enumerate(counts) for n in range(count)]
    return [[rng.choice(stored) for _ in range(count)] for count in split(total, workers)]


def measure(backend: str, workers: int, total: int, new_location: Callable[[str], str]) -> dict[str, float]:
    counts = split(total, workers)
    location = new_location("store")
    open_store(location).close()  # created before the clock
    raw = new_location("raw")
    if backend == "sqlite":
        db = raw_sqlite(raw)
        db.execute("CREATE TABLE raw (id TEXT PRIMARY KEY, body TEXT NOT NULL)")
        db.close()
        raw_write, raw_read = raw_sqlite_writes, raw_sqlite_reads
    else:
        import psycopg

        with psycopg.connect(raw, autocommit=True) as conn:
            conn.execute("CREATE TABLE raw (id TEXT PRIMARY KEY, body TEXT NOT NULL)")
        raw_write, raw_read = raw_pg_writes, raw_pg_reads
    ids = reads_of(total, workers, counts)
    result = {
        "put_record": throughput(store_writes, [(location, w, c) for w, c in enumerate(counts)], total),
        "raw INSERT": throughput(raw_write, [(raw, w, c) for w, c in enumerate(counts)], total),
        "record()": throughput(store_reads, [(location, w, ids[w]) for w in range(workers)], total),
        "raw SELECT": throughput(raw_read, [(raw, w, ids[w]) for w in range(workers)], total),
    }
    with open_store(location) as store:  # the writes were all there, with a gap-free feed
        assert store.count_records() == total
        assert [c.seq for c in store.changes(0, total + 1)] == list(range(1, total + 1))
    return result


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    import psycopg
    from tests._postgres import benchmark_server, new_database

    rows: list[tuple[str, int, dict[str, float]]] = []
    with benchmark_server() as base_url, tempfile.TemporaryDirectory(prefix="silkcore-bench-store-") as scratch:
        with psycopg.connect(base_url) as conn:
            pg_version = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
            query = "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit')"
            settings = dict(conn.execute(query))

        def new_pg_database(_: str) -> str:
            return new_database(base_url, "bench")

        def new_file(kind: str) -> str:
            return str(Path(scratch) / f"{kind}-{uuid.uuid4().hex[:8]}.sqlite")

        for backend, new_location in (("sqlite", new_file), ("postgresql", new_pg_database)):
            for workers in WORKERS:
                rows.append((backend, workers, measure(backend, workers, total, new_location)))
                print(f"{backend} x{workers}: " + ", ".join(f"{k} {v:,.0f}/s" for k, v in rows[-1][2].items()), flush=True)
    print()
    print(f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, PostgreSQL {pg_version} "
          f"(fsync {settings.get('fsync')}, synchronous_commit {settings.get('synchronous_commit')}), "
          f"{os.cpu_count()} CPUs, {platform.machine()}, {total:,} records per configuration")  # fmt: skip
    print()
    print("| backend | workers | put_record/s | raw INSERT/s | put/raw | record()/s | raw SELECT/s | read/raw |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for backend, workers, r in rows:
        writes, reads = r["put_record"] / r["raw INSERT"], r["record()"] / r["raw SELECT"]
        print(
            f"| {backend} | {workers} | {r['put_record']:,.0f} | {r['raw INSERT']:,.0f} | {writes:.2f} "
            f"| {r['record()']:,.0f} | {r['raw SELECT']:,.0f} | {reads:.2f} |"
        )


if __name__ == "__main__":
    main()
