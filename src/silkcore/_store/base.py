"""The one store interface: the assessment history and the node's records, on any backend.

:class:`Store` holds every rule and every SQL statement; a backend (:mod:`.sqlite`,
:mod:`.postgres`) only says how to connect, how a transaction starts, how the feed lock is
taken, how the schema version is kept and the few DDL words that differ. ``Store(location)``
(or :func:`open_store`) picks the backend from the location: a path opens an SQLite file, a
``postgresql://`` URL a PostgreSQL database.

On every open the schema is brought up to date in one transaction (:mod:`.migrations`).
Documents are never edited: a correction is a new record that names the one it supersedes.
Every failure of the database reaches the caller as :class:`StoreError` with one line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, ClassVar

import attrs

from .._assessment import ResponseSet, ScoreCard
from .._documents import to_document
from .._errors import StoreError
from .._jsonio import dumps
from . import migrations, records
from .location import StoreURL, is_store_url
from .protocol import Db
from .records import Change, PutOutcome, RecordHead, RecordPut, StoredRecord

__all__ = ["APPLICATION_ID", "AssessmentRecord", "Location", "Store", "history", "open_store"]

APPLICATION_ID = 0x53494C4B  # "SILK"
#: Where a store lives: a path (SQLite) or a PostgreSQL URL.
Location = str | os.PathLike[str] | StoreURL


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


def now() -> str:
    """The current UTC time as the store writes it (RFC 3339, microseconds, ``Z``)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def open_store(location: Location) -> Store:
    """The store at ``location``: an SQLite file for a path, PostgreSQL for a URL."""
    return Store(location)


class Store:
    """An open store. Use as a context manager, or call :meth:`close`.

    An SQLite store is one connection, for the thread that opened it; a PostgreSQL store is a
    connection pool, and one object serves every thread (:attr:`thread_safe`)."""

    #: One object may be shared by every thread (a pool) rather than opened per thread.
    thread_safe: ClassVar[bool] = False
    #: A read is a local file access of microseconds, cheap enough to run on an event loop
    #: (SQLite); False where each read waits on a server or a pool (PostgreSQL).
    quick_reads: ClassVar[bool] = False
    #: The driver's errors, reported as :class:`StoreError` at this interface.
    _errors: tuple[type[Exception], ...] = ()
    #: The words the migrations' DDL leaves to the dialect.
    _DDL_WORDS: ClassVar[Mapping[str, str]] = {}
    #: How the store names itself in messages: the path, or the URL without its password.
    location: str
    #: Write transactions this object committed (not the schema's): what the tests count to
    #: see that a batch of records took one commit.
    commits: int = 0

    def __new__(cls, location: Location, *args: Any, **kwargs: Any) -> Store:
        if cls is Store:  # Store(location) opens the backend the location names
            from .postgres import PostgresStore
            from .sqlite import SQLiteStore

            cls = PostgresStore if is_store_url(location) else SQLiteStore
        return super().__new__(cls)

    # -- what a backend provides ----------------------------------------------------------------

    def _open_backend(self) -> Any:
        """Connect (a connection or a pool) and bring the schema up to date; returns it."""
        raise NotImplementedError

    def _transaction(self, feed: bool = False) -> AbstractContextManager[Db]:
        """One write transaction: committed when the block ends, rolled back if it raises.

        ``feed``: the transaction writes records or changes, so it must hold the feed lock -
        every such writer serialised until it commits, which keeps change numbers gap-free
        and committed in order."""
        raise NotImplementedError

    def _reading(self) -> AbstractContextManager[Db]:
        """A connection for reads (each statement sees committed data)."""
        raise NotImplementedError

    def _schema_version(self, db: Db) -> int:
        """The store's schema version (0: a new, empty store); refuses a foreign database."""
        raise NotImplementedError

    def _set_schema_version(self, db: Db, version: int) -> None:
        """Record the schema version (and silkcore's mark) in the store."""
        raise NotImplementedError

    def close(self) -> None:
        """Close the connection (or the pool)."""
        raise NotImplementedError

    def integrity(self) -> str:
        """ "ok" when the store is sound, else the backend's description of what is wrong."""
        raise NotImplementedError

    # -- opening ----------------------------------------------------------------------------------

    def _connect(self) -> Any:
        """Open the backend (see :meth:`_open_backend`)."""
        return self._open_backend()

    def _bring_up_to_date(self) -> None:
        """Apply the migrations this store lacks, all in one transaction (see :mod:`.migrations`).

        The feed lock is taken first, so two processes opening a new store at once create it
        once: the second finds it at the latest version."""
        with self._transaction(feed=True) as db:
            current = self._schema_version(db)
            if current != migrations.LATEST:
                self._set_schema_version(db, migrations.apply(db, current, self._DDL_WORDS, self.location))

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _writing(self, what: str, feed: bool = False) -> Iterator[Db]:
        try:
            with self._transaction(feed) as db:
                yield db
        except self._errors as exc:
            raise StoreError(f"cannot {what}: {exc}") from None
        self.commits += 1

    @contextmanager
    def _read(self) -> Iterator[Db]:
        try:
            with self._reading() as db:
                yield db
        except self._errors as exc:
            raise StoreError(f"cannot read the store {self.location}: {exc}") from None

    # -- the assessment history -------------------------------------------------------------------

    @staticmethod
    def _insert(
        db: Db,
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
            (record_id, document.get("schema"), subject, digest, body, now(), supersedes, level),
        )
        return record_id

    def put_document(
        self, document: dict[str, Any], *, subject: str | None = None, supersedes: str | None = None, level: str = "private"
    ) -> str:
        """Store a validated document (never an edit: ``supersedes`` names the record it corrects)."""
        with self._writing("store the document") as db:
            known = supersedes is None or db.execute("SELECT 1 FROM documents WHERE record_id = ?", (supersedes,)).fetchone()
            if not known:
                raise StoreError(f"cannot supersede unknown record {supersedes!r}")
            return self._insert(db, document, subject, supersedes, level)

    def record_assessment(self, response_sets: Sequence[ResponseSet], card: ScoreCard) -> str:
        """Store an assessment (its response sets and score card) in one transaction."""
        assessment_id = f"urn:uuid:{uuid.uuid4()}"
        subject = card.subject.org_id
        with self._writing("store the assessment") as db:
            responses = [self._insert(db, to_document(rs), subject) for rs in response_sets]
            card_record = self._insert(db, to_document(card), subject)
            db.execute(
                "INSERT INTO assessments (assessment_id, subject, framework_id, framework_version, framework_hash, "
                "scorecard_record, response_records, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (assessment_id, subject, card.framework_id, card.framework_version, card.framework_hash, card_record,
                 json.dumps(responses), now()),
            )  # fmt: skip
        return assessment_id

    def find(self, record_id: str) -> dict[str, Any] | None:
        """A stored document by record id, or None when there is none."""
        with self._read() as db:
            row = db.execute("SELECT body FROM documents WHERE record_id = ?", (record_id,)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def document(self, record_id: str) -> dict[str, Any]:
        """A stored document by record id; :class:`StoreError` if unknown."""
        found = self.find(record_id)
        if found is None:
            raise StoreError(f"no record {record_id!r} in the store")
        return found

    def documents_about(self, subject: str, schema: str | None = None, limit: int = 1000) -> list[tuple[str, dict[str, Any]]]:
        """Stored documents about one organisation, as (record id, body), oldest first."""
        query, params = "SELECT record_id, body FROM documents WHERE subject = ?", [subject]
        if schema is not None:
            query += " AND schema = ?"
            params.append(schema)
        with self._read() as db:
            rows = db.execute(query + " ORDER BY stored_at, rowid LIMIT ?", (*params, limit)).fetchall()
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
        with self._read() as db:
            rows = db.execute(query + " ORDER BY a.created_at, a.rowid", params).fetchall()
        return [AssessmentRecord(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6])) for row in rows]

    def assessment_response_sets(self, assessment_id: str) -> list[dict[str, Any]]:
        """The response sets an assessment was scored from, as stored (for re-scoring them,
        say under a newer version of their framework); :class:`StoreError` if unknown."""
        with self._read() as db:
            row = db.execute("SELECT response_records FROM assessments WHERE assessment_id = ?", (assessment_id,)).fetchone()
        if row is None:
            raise StoreError(f"no assessment {assessment_id!r} in the store")
        return [self.document(record_id) for record_id in json.loads(row[0])]

    def count(self, table: str) -> int:
        """Rows in ``documents`` or ``assessments``."""
        if table not in ("documents", "assessments"):
            raise ValueError(table)
        with self._read() as db:
            return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608 - table name checked above

    # -- the node's records (rules in :mod:`.records`) ---------------------------------------------

    def put_record(
        self, envelope: dict[str, Any], *, received_from: str, received_at: str, subject: str | None, publisher_verified: bool
    ) -> PutOutcome:
        """Store a version of the record ``envelope`` carries: ``created`` (a new id),
        ``unchanged`` (content already kept), ``new_version`` (same publisher, later
        ``generated_at``); :class:`~.records.RecordConflict` otherwise."""
        item = records.prepare(
            envelope, received_from=received_from, received_at=received_at, subject=subject, publisher_verified=publisher_verified
        )  # the canonical form and its hash, before the transaction
        with self._writing("store the record", feed=True) as db:
            return records.put_prepared(db, item)

    def put_records(self, batch: Sequence[RecordPut]) -> list[PutOutcome | StoreError]:
        """Store several prepared versions (:func:`~.records.prepare`) in one write
        transaction - one commit, one wait for the disk - each by the rules of
        :meth:`put_record`, in order: a later item sees the earlier ones (the same record
        sent twice is ``unchanged`` the second time), and their changes are numbered in that
        order, gap-free.

        One result per item, in order: its :class:`~.records.PutOutcome`, or the
        :class:`StoreError` refusing it (a :class:`~.records.RecordConflict`, or a stored row
        the rules cannot read) - a refused item writes nothing (the rules refuse before the
        first write) and the others are stored. When the transaction itself fails (the
        database, the disk), nothing is stored and :class:`StoreError` is raised."""
        results: list[PutOutcome | StoreError] = []
        if not batch:
            return results
        with self._writing(f"store {len(batch)} records", feed=True) as db:
            for item in batch:
                try:
                    results.append(records.put_prepared(db, item))
                except StoreError as exc:  # the rules' refusal; the driver's errors end the transaction
                    results.append(exc)
        return results

    def record(self, record_id: str, version: int | None = None) -> StoredRecord | None:
        """One version of a record (the latest when ``version`` is None), or None."""
        with self._read() as db:
            return records.get(db, record_id, version)

    def record_head(self, record_id: str, version: int | None = None) -> RecordHead | None:
        """The head of one version (the latest when ``version`` is None) - its number, version
        hash and withdrawal, without the envelope - or None."""
        with self._read() as db:
            return records.head(db, record_id, version)

    def records_about(self, subject: str, payload_schema: str | None = None, limit: int = 1000) -> list[StoredRecord]:
        """The latest version of each record about ``subject`` not withdrawn, first stored first."""
        with self._read() as db:
            return records.about(db, subject, payload_schema, limit)

    def withdraw(self, record_id: str, *, at: str) -> StoredRecord:
        """Withdraw a record (its latest version, marked) and append its tombstone change;
        :class:`~.records.RecordConflict` if already withdrawn, :class:`StoreError` if unknown."""
        with self._writing("withdraw the record", feed=True) as db:
            return records.withdraw(db, record_id, at)

    def changes(self, after: int, limit: int) -> list[Change]:
        """The change feed: changes numbered above ``after``, in order, at most ``limit``."""
        with self._read() as db:
            return records.changes(db, after, limit)

    def cursor(self, source: str) -> str | None:
        """The cursor last reached on the remote node ``source``, or None."""
        with self._read() as db:
            return records.cursor(db, source)

    def set_cursor(self, source: str, cursor: str) -> None:
        """Keep the cursor reached on the remote node ``source``."""
        with self._writing("keep the sync cursor") as db:
            records.set_cursor(db, source, cursor, now())

    def count_records(self) -> int:
        """How many records (ids, withdrawn ones included) the store keeps."""
        with self._read() as db:
            return records.count(db)


def history(rows: Sequence[AssessmentRecord]) -> list[dict[str, Any]]:
    """Assessments over time with each category's change since the previous assessment of the
    same framework (None when either score is missing)."""
    result = []
    previous: dict[str, dict[str, float | None]] = {}
    for record in rows:
        scores = {c["id"]: c["score"] for c in record.scorecard["categories"]}
        before = previous.get(record.framework_id)
        changes = {}
        for category_id, score in scores.items():
            old = before.get(category_id) if before else None
            changes[category_id] = None if score is None or old is None else round(score - old, 6)
        result.append(
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
    return result
