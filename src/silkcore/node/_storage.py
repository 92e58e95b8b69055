"""The node's view of its store: which :class:`~silkcore._store.Store` a request thread uses.

The node keeps its records in a store opened with :func:`~silkcore._store.open_store`: an
SQLite file or a PostgreSQL database. SQLite connections must not cross threads, so each
thread that serves requests opens its own SQLite store once and keeps it (WAL mode and the
busy timeout let these connections, and other processes, write concurrently without losing
anything). A PostgreSQL store is a thread-safe pool: one object serves every thread.
:meth:`NodeStore.backend` returns the right one; the node's routes call the records API on
it (:mod:`silkcore.node._records`), and the app closes it when it shuts down.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Any

from .._store import Store, StoreURL, open_store

__all__ = ["NodeStore"]


class NodeStore:
    """The node's store: one per thread (SQLite) or one shared by all (PostgreSQL)."""

    def __init__(self, location: str | Path | StoreURL) -> None:
        self.location = location
        self._local = threading.local()
        self._opened: list[Store] = []
        self._guard = threading.Lock()
        #: Bumped by :meth:`close`: a thread's store from before it is not used again.
        self._generation = 0
        first = open_store(location)  # fail now, not on the first request, if it is not a store
        self._shared: Store | None = first if first.thread_safe else None
        self._quick_reads = first.quick_reads
        if self._shared is None:
            first.close()
        # SQLite writers queue on this lock rather than in SQLite's busy loop; a pool needs none.
        self._write_lock: contextlib.AbstractContextManager[Any] = (
            threading.Lock() if self._shared is None else contextlib.nullcontext()
        )

    @property
    def quick_reads(self) -> bool:
        """Whether a read takes microseconds, so a route may run it on the event loop (SQLite)."""
        return self._quick_reads

    def backend(self) -> Store:
        """The store this thread should use."""
        if self._shared is not None:
            return self._shared
        store: Store | None = getattr(self._local, "store", None)
        if store is None or self._local.generation != self._generation:
            store = open_store(self.location)
            self._local.store, self._local.generation = store, self._generation
            with self._guard:
                self._opened.append(store)
        return store

    def writing(self) -> contextlib.AbstractContextManager[Any]:
        """Hold this around a write: SQLite writers of this process queue here, in order,
        rather than in SQLite's busy handler, which sleeps for growing intervals (1, 2, 5,
        10... ms) between tries; PostgreSQL needs no such lock."""
        return self._write_lock

    def close_thread(self) -> None:
        """Close this thread's own SQLite store, if it opened one (a thread that ends, such as
        the publications' writer, closes its connection in the thread that owns it)."""
        if self._shared is not None:
            return
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            return
        self._local.store = None
        with self._guard:
            if store in self._opened:
                self._opened.remove(store)
        store.close()

    def store(self) -> Store:
        """This thread's open store (the name routes used first; see :meth:`backend`)."""
        return self.backend()

    def close(self) -> None:
        """Close the shared store, or every thread's store opened so far."""
        if self._shared is not None:
            self._shared.close()
        with self._guard:
            opened, self._opened = self._opened, []
            self._generation += 1
        for store in opened:
            with contextlib.suppress(Exception):  # a thread's SQLite connection refuses other threads
                store.close()
