"""The SQLite dialect: an embedded store file, one connection per thread.

Durability settings: WAL journal, ``synchronous=FULL`` (a committed transaction survives a
power cut), foreign keys on, a busy timeout for concurrent writers, and ``BEGIN IMMEDIATE``
for every write, which also serialises the writers of the change feed (so it needs no other
lock). A file is only used if it carries silkcore's application id; anything else is refused
with a clear error and left untouched - the check reads the file only, never writing a page.
The schema version is SQLite's ``user_version``.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from .._errors import StoreError
from . import migrations
from .base import APPLICATION_ID, Location, Store
from .location import StoreURL, check_store_path
from .protocol import Db

__all__ = ["SQLiteStore"]

_OPEN_TIMEOUT = 30.0  # seconds a writer waits for others before giving up
_SQLITE_MAGIC = b"SQLite format 3\x00"


def _read_identity(uri: str, *, uri_mode: bool) -> tuple[int, set[str]]:
    probe = sqlite3.connect(uri, uri=uri_mode, timeout=_OPEN_TIMEOUT, isolation_level=None)
    try:
        # One read transaction for both answers: read apart, another writer creating the store
        # could commit in between, and tables without the id would look like a foreign file.
        probe.execute("BEGIN")
        application_id = probe.execute("PRAGMA application_id").fetchone()[0]
        tables = {row[0] for row in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        probe.execute("ROLLBACK")
    finally:
        probe.close()
    return int(application_id), tables


def _needs_recovery(exc: sqlite3.Error, path: Path) -> bool:
    """A read-only probe refused because the WAL index must be rebuilt after a crash.

    SQLite answers SQLITE_READONLY_RECOVERY (or a sibling READONLY code) when the last writer
    was killed mid-transaction: only a read-write connection may run the recovery. The file
    is then known to be SQLite by its 16-byte magic header, so a second, read-write probe is
    safe: it replays nothing into the database itself, it rebuilds the ``-shm`` index.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None or code & 0xFF != sqlite3.SQLITE_READONLY:
        return False
    with path.open("rb") as handle:
        return handle.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC


def _is_lock(exc: sqlite3.Error) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED: another connection holds the file for now."""
    code = getattr(exc, "sqlite_errorcode", None)
    return (code is not None and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)) or "locked" in str(exc)


def _check_existing(path: Path) -> None:
    """Refuse a file that is not a silkcore store, reading it only (never writing its pages)."""
    # Looked up on the package, where the tests stand in for it to simulate a busy probe.
    from . import _read_identity as read_identity

    try:
        try:
            application_id, tables = read_identity(f"file:{path}?mode=ro", uri_mode=True)
        except sqlite3.OperationalError as exc:
            if not _needs_recovery(exc, path):
                raise
            application_id, tables = read_identity(str(path), uri_mode=False)
    except sqlite3.DatabaseError as exc:
        if _is_lock(exc):
            raise  # another writer holds the file: the caller waits, this says nothing about it
        raise StoreError(f"{path} is not a silkcore store ({exc}); it was left untouched") from None
    if application_id != APPLICATION_ID and not (application_id == 0 and not tables):
        raise StoreError(f"{path} is an SQLite database but not a silkcore store; it was left untouched")


class SQLiteStore(Store):
    """A store in one SQLite file; one object per thread (SQLite connections stay in theirs)."""

    _errors: tuple[type[Exception], ...] = (sqlite3.Error,)
    #: A read by primary key in a local WAL file never waits for a writer: microseconds.
    quick_reads: ClassVar[bool] = True
    _DDL_WORDS: ClassVar[Mapping[str, str]] = {"rowid": "", "bigint": "INTEGER"}  # rowid: SQLite's own, implicit

    def __init__(self, path: Location) -> None:
        checked = check_store_path(path)
        if isinstance(checked, StoreURL):
            raise StoreError(f"{checked} is a PostgreSQL URL, not an SQLite file")
        self.path = checked
        self.location = str(checked)
        deadline = time.monotonic() + _OPEN_TIMEOUT
        while True:
            try:
                if self.path.exists() and self.path.stat().st_size > 0:
                    _check_existing(self.path)
                self._db: sqlite3.Connection = self._connect()
                break
            except sqlite3.OperationalError as exc:
                # Switching a new file to WAL takes a lock SQLite will not wait for (its busy
                # handler is not called there): when writers open one store at once, retry.
                if not _is_lock(exc) or time.monotonic() > deadline:
                    raise StoreError(f"cannot open the store {self.path}: {exc}") from None
                time.sleep(0.01)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open the store {self.path}: {exc}") from None

    def _open_backend(self) -> sqlite3.Connection:
        if not self.path.parent.is_dir():  # silkcore's own data directory (check_store_path allowed it)
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the directory {self.path.parent}: {exc.strerror or exc}") from None
        db = sqlite3.connect(self.path, isolation_level=None, timeout=_OPEN_TIMEOUT)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(_OPEN_TIMEOUT * 1000)}")
            # Before the switch to WAL (which writes the header): a newer store stays as it was.
            application_id, version = db.execute("SELECT * FROM pragma_application_id, pragma_user_version").fetchone()
            if application_id == APPLICATION_ID:
                migrations.check_known(int(version), self.path)
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
            self._db = db
            self._bring_up_to_date()
        except BaseException:
            db.close()
            raise
        return db

    def _schema_version(self, db: Db) -> int:
        application_id, version = db.execute("SELECT * FROM pragma_application_id, pragma_user_version").fetchone()
        if application_id == APPLICATION_ID:
            return int(version)
        if application_id == 0 and db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0:
            return 0
        raise StoreError(f"{self.path} is an SQLite database but not a silkcore store; it was left untouched")

    def _set_schema_version(self, db: Db, version: int) -> None:
        # Both are written in the transaction's own pages: a crash leaves the old pair or the new.
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {int(version)}")

    @contextmanager
    def _transaction(self, feed: bool = False) -> Iterator[sqlite3.Connection]:
        # BEGIN IMMEDIATE takes the write lock at once: writers are serialised, the feed's too.
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write to the store {self.path}: {exc}") from None
        try:
            yield self._db
        except BaseException:
            self._rollback()
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise StoreError(f"cannot commit to the store {self.path}: {exc}") from None

    def _rollback(self) -> None:
        # SQLite rolls some failures back itself (a full disk, an I/O error): ROLLBACK then
        # would fail with "no transaction is active" and hide the error that matters.
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        yield self._db  # autocommit: each statement reads one committed state

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def integrity(self) -> str:
        """``PRAGMA integrity_check`` ("ok" when the file is sound)."""
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])
