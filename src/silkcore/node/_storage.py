"""The node's view of the history store: one SQLite connection per worker thread.

Every record the node keeps is an *envelope* (``silkcore_envelope-v1.0.0``): a received
envelope is stored as it came, and a bare document is wrapped in a ``private`` envelope
(:mod:`silkcore.node._intake`). So audience, purposes, expiry and redactions live in the
stored body and are applied on every read (:mod:`silkcore.node._access`); the store's
``sharing_level`` column mirrors the envelope's level. A body that is not an envelope (a
score card written by ``silk assess``, say) is treated as private.

SQLite connections must not cross threads, so each thread that serves requests opens its
own :class:`~silkcore._store.Store` once and keeps it; WAL mode and the store's busy timeout
let these connections (and other processes) write concurrently without losing anything.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from .._store import Store, history

__all__ = ["NodeStore"]

ENVELOPE_SCHEMA = "silkcore_envelope-v1.0.0"
#: How many records about one organisation a profile request reads at most.
MAX_RECORDS_ABOUT = 1000


class NodeStore:
    """Thread-local access to one store file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        with Store(self.path):  # fail now, not on the first request, if the file is not a store
            pass

    def store(self) -> Store:
        """This thread's open store."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.path)
            self._local.store = store
        return store

    def put(self, envelope: dict[str, Any], subject: str | None) -> str:
        """Store an envelope (already validated); returns its record id in this store."""
        store = self.store()
        with self._write_lock:
            return store.put_document(envelope, subject=subject, level=envelope["sharing"]["level"])

    def get(self, record_id: str) -> dict[str, Any] | None:
        """A stored body by record id, or None."""
        return self.store().find(record_id)

    def envelopes_about(self, subject: str) -> list[dict[str, Any]]:
        """Stored envelopes about one organisation, oldest first."""
        return [body for _, body in self.store().documents_about(subject, ENVELOPE_SCHEMA, MAX_RECORDS_ABOUT)]

    def history(self, org_id: str) -> list[dict[str, Any]]:
        """An organisation's assessments over time (as ``silk history --json`` lists them)."""
        return history(self.store().assessments(org_id))
