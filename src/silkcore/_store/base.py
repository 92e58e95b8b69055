"""The assessment history: an embedded SQLite store of documents and score cards.

Durability settings: WAL journal, ``synchronous=FULL`` (a committed assessment survives a
power cut), foreign keys on, a busy timeout for concurrent writers, and one ``BEGIN
IMMEDIATE`` transaction per assessment - its response sets and score card are stored
together or not at all. A file is only used if it carries silkcore's application id;
anything else is refused with a clear error and left untouched. Documents are never
edited: a correction is a new record that names the one it supersedes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs

from ._assessment import ResponseSet, ScoreCard
from ._documents import to_document
from ._errors import StoreError
from ._jsonio import dumps

__all__ = ["APPLICATION_ID", "AssessmentRecord", "Store", "check_store_path", "default_store_path", "history"]

APPLICATION_ID = 0x53494C4B  # "SILK"
_OPEN_TIMEOUT = 30.0  # seconds a writer waits for others before giving up
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE documents (
    record_id TEXT PRIMARY KEY,
    schema TEXT NOT NULL,
    subject TEXT,
    sha256 TEXT NOT NULL,
    body TEXT NOT NULL,
    stored_at TEXT NOT NULL,
    supersedes TEXT REFERENCES documents(record_id),
    sharing_level TEXT NOT NULL DEFAULT 'private'
);
CREATE INDEX documents_subject ON documents(subject);
CREATE TABLE assessments (
    assessment_id TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    framework_id TEXT NOT NULL,
    framework_version TEXT NOT NULL,
    framework_hash TEXT NOT NULL,
    scorecard_record TEXT NOT NULL REFERENCES documents(record_id),
    response_records TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX assessments_subject ON assessments(subject, framework_id, created_at);
"""


def default_store_path() -> Path:
    """``$SILKCORE_STORE``, else the user's data directory (XDG), ``silkcore/history.sqlite``."""
    if os.environ.get("SILKCORE_STORE"):
        return Path(os.environ["SILKCORE_STORE"])
    return _data_directory() / "history.sqlite"


def _data_directory() -> Path:
    """silkcore's own folder in the user's data directory: the one folder a store may create."""
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "silkcore"


def check_store_path(path: Path | str) -> Path:
    """Check, before any work, that a store can be opened or created at ``path``.

    Its directory must exist - silkcore creates only its own data directory (see
    :func:`default_store_path`), never the folders of a path it was given - and be
    writable, and ``path`` must not be a directory. Raises :class:`StoreError` (exit 5) with
    one line; an existing file that is not a store is refused when the store is opened."""
    path = Path(path)
    try:
        if path.is_dir():
            raise StoreError(f"cannot open the store {path}: it is a directory")
        parent = path.parent
        if not parent.is_dir():
            if parent.exists():
                raise StoreError(f"cannot open the store {path}: {parent} is not a directory")
            if _absolute(parent) != _absolute(_data_directory()):
                raise StoreError(f"cannot open the store {path}: the directory {parent} does not exist (create it first)")
        elif not os.access(parent, os.W_OK | os.X_OK) and not (path.exists() and os.access(path, os.R_OK)):
            raise StoreError(f"cannot open the store {path}: no permission to write in {parent}")
    except (OSError, ValueError) as exc:  # a path the system refuses (too long, a NUL character...)
        raise StoreError(f"cannot open the store {path}: {getattr(exc, 'strerror', None) or exc}") from None
    return path


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))


@attrs.frozen
class AssessmentRecord:
    """One stored assessment: when, which framework (version and hash), and its score card."""

    assessment_id: str
    subject: str
    framework_id: str
    framework_version: str
    framework_hash: str
    created_at: str
    scorecard: dict[str, Any]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


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
    try:
        try:
            application_id, tables = _read_identity(f"file:{path}?mode=ro", uri_mode=True)
        except sqlite3.OperationalError as exc:
            if not _needs_recovery(exc, path):
                raise
            application_id, tables = _read_identity(str(path), uri_mode=False)
    except sqlite3.DatabaseError as exc:
        if _is_lock(exc):
            raise  # another writer holds the file: the caller waits, this says nothing about it
        raise StoreError(f"{path} is not a silkcore store ({exc}); it was left untouched") from None
    if application_id != APPLICATION_ID and not (application_id == 0 and not tables):
        raise StoreError(f"{path} is an SQLite database but not a silkcore store; it was left untouched")


class Store:
    """An open history store. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: Path | str) -> None:
        self.path = check_store_path(path)
        deadline = time.monotonic() + _OPEN_TIMEOUT
        while True:
            try:
                if self.path.exists() and self.path.stat().st_size > 0:
                    _check_existing(self.path)
                self._db = self._connect()
                break
            except sqlite3.OperationalError as exc:
                # Switching a new file to WAL takes a lock SQLite will not wait for (its busy
                # handler is not called there): when writers open one store at once, retry.
                if not _is_lock(exc) or time.monotonic() > deadline:
                    raise StoreError(f"cannot open the store {self.path}: {exc}") from None
                time.sleep(0.01)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open the store {self.path}: {exc}") from None

    def _connect(self) -> sqlite3.Connection:
        if not self.path.parent.is_dir():  # silkcore's own data directory (check_store_path allowed it)
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the directory {self.path.parent}: {exc.strerror or exc}") from None
        db = sqlite3.connect(self.path, isolation_level=None, timeout=_OPEN_TIMEOUT)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(_OPEN_TIMEOUT * 1000)}")
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
            self._db = db
            self._initialise()
        except BaseException:
            db.close()
            raise
        return db

    def _initialise(self) -> None:
        with self._transaction() as db:
            if db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    db.execute(statement)
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write to the store {self.path}: {exc}") from None
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            try:
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StoreError(f"cannot commit to the store {self.path}: {exc}") from None

    @staticmethod
    def _insert(
        db: sqlite3.Connection,
        document: dict[str, Any],
        subject: str | None,
        supersedes: str | None = None,
        level: str = "private",
    ) -> str:
        try:
            body = dumps(document, indent=None)
        except (TypeError, ValueError) as exc:
            raise StoreError(f"cannot store a document that is not JSON data: {exc}") from None
        record_id = f"urn:uuid:{uuid.uuid4()}"
        digest = "sha256:" + hashlib.sha256(body.encode("utf-8")).hexdigest()
        db.execute(
            "INSERT INTO documents (record_id, schema, subject, sha256, body, stored_at, supersedes, sharing_level) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (record_id, document["schema"], subject, digest, body, _now(), supersedes, level),
        )
        return record_id

    def put_document(
        self, document: dict[str, Any], *, subject: str | None = None, supersedes: str | None = None, level: str = "private"
    ) -> str:
        """Store a validated document (never an edit: ``supersedes`` names the record it corrects)."""
        try:
            with self._transaction() as db:
                if (
                    supersedes is not None
                    and db.execute("SELECT 1 FROM documents WHERE record_id = ?", (supersedes,)).fetchone() is None
                ):
                    raise StoreError(f"cannot supersede unknown record {supersedes!r}")
                return self._insert(db, document, subject, supersedes, level)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot store the document: {exc}") from None

    def record_assessment(self, response_sets: Sequence[ResponseSet], card: ScoreCard) -> str:
        """Store an assessment (its response sets and score card) in one transaction."""
        assessment_id = f"urn:uuid:{uuid.uuid4()}"
        subject = card.subject.org_id
        try:
            with self._transaction() as db:
                responses = [self._insert(db, to_document(rs), subject) for rs in response_sets]
                card_record = self._insert(db, to_document(card), subject)
                db.execute(
                    "INSERT INTO assessments VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        assessment_id,
                        subject,
                        card.framework_id,
                        card.framework_version,
                        card.framework_hash,
                        card_record,
                        json.dumps(responses),
                        _now(),
                    ),
                )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot store the assessment: {exc}") from None
        return assessment_id

    def document(self, record_id: str) -> dict[str, Any]:
        """A stored document by record id; :class:`StoreError` if unknown."""
        row = self._db.execute("SELECT body FROM documents WHERE record_id = ?", (record_id,)).fetchone()
        if row is None:
            raise StoreError(f"no record {record_id!r} in the store")
        result: dict[str, Any] = json.loads(row[0])
        return result

    def find(self, record_id: str) -> dict[str, Any] | None:
        """A stored document by record id, or None when there is none."""
        row = self._db.execute("SELECT body FROM documents WHERE record_id = ?", (record_id,)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def documents_about(self, subject: str, schema: str | None = None, limit: int = 1000) -> list[tuple[str, dict[str, Any]]]:
        """Stored documents about one organisation, as (record id, body), oldest first."""
        query, params = "SELECT record_id, body FROM documents WHERE subject = ?", [subject]
        if schema is not None:
            query += " AND schema = ?"
            params.append(schema)
        rows = self._db.execute(query + " ORDER BY stored_at, rowid LIMIT ?", [*params, limit]).fetchall()
        return [(row[0], json.loads(row[1])) for row in rows]

    def assessments(self, subject: str, framework_id: str | None = None) -> list[AssessmentRecord]:
        """An organisation's assessments, oldest first."""
        query = (
            "SELECT a.assessment_id, a.subject, a.framework_id, a.framework_version, a.framework_hash, a.created_at, d.body "
            "FROM assessments a JOIN documents d ON d.record_id = a.scorecard_record WHERE a.subject = ?"
        )
        params: list[str] = [subject]
        if framework_id is not None:
            query += " AND a.framework_id = ?"
            params.append(framework_id)
        rows = self._db.execute(query + " ORDER BY a.created_at, a.rowid", params).fetchall()
        return [AssessmentRecord(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6])) for row in rows]

    def integrity(self) -> str:
        """``PRAGMA integrity_check`` ("ok" when the file is sound)."""
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    def count(self, table: str) -> int:
        """Rows in ``documents`` or ``assessments``."""
        if table not in ("documents", "assessments"):
            raise ValueError(table)
        return int(self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608 - table name checked above


def history(records: Sequence[AssessmentRecord]) -> list[dict[str, Any]]:
    """Assessments over time with each category's change since the previous assessment of the
    same framework (None when either score is missing)."""
    rows = []
    previous: dict[str, dict[str, float | None]] = {}
    for record in records:
        scores = {c["id"]: c["score"] for c in record.scorecard["categories"]}
        before = previous.get(record.framework_id)
        changes = {}
        for category_id, score in scores.items():
            old = before.get(category_id) if before else None
            changes[category_id] = None if score is None or old is None else round(score - old, 6)
        rows.append(
            {
                "assessment_id": record.assessment_id,
                "created_at": record.created_at,
                "framework_id": record.framework_id,
                "framework_version": record.framework_version,
                "framework_hash": record.framework_hash,
                "overall": record.scorecard.get("overall"),
                "coverage": record.scorecard.get("coverage"),
                "categories": [{"id": k, "score": v, "change": changes[k]} for k, v in scores.items()],
            }
        )
        previous[record.framework_id] = scores
    return rows
