"""The store: the assessment history and the node's federation records, on SQLite or PostgreSQL.

>>> from silkcore._store import open_store
>>> with open_store("history.sqlite") as store:  # doctest: +SKIP
...     store.record_assessment(response_sets, card)

``open_store(location)`` (or ``Store(location)``) opens an SQLite file for a path and a
PostgreSQL database for a ``postgresql://`` URL; both offer the one interface of
:class:`~silkcore._store.base.Store`. The modules: :mod:`.base` (the interface and all its
SQL), :mod:`.records` (the records' rules), :mod:`.migrations` (numbered schema versions),
:mod:`.sqlite` and :mod:`.postgres` (the dialects), :mod:`.location` (paths and URLs).
"""

from __future__ import annotations

import sqlite3 as sqlite3  # the SQLite dialect's driver, reachable here as before the split

from .base import APPLICATION_ID, AssessmentRecord, Location, Store, history, open_store
from .location import StoreURL, check_store_path, default_store_path, is_store_url, store_location
from .migrations import LATEST as SCHEMA_VERSION
from .records import UNKNOWN_SENDER, Change, PutOutcome, RecordConflict, RecordHead, RecordPut, StoredRecord, prepare
from .sqlite import _read_identity as _read_identity  # looked up here on open (.sqlite._check_existing)

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "UNKNOWN_SENDER",
    "AssessmentRecord",
    "Change",
    "Location",
    "PutOutcome",
    "RecordConflict",
    "RecordHead",
    "RecordPut",
    "Store",
    "StoreURL",
    "StoredRecord",
    "check_store_path",
    "default_store_path",
    "history",
    "is_store_url",
    "open_store",
    "prepare",
    "store_location",
]
