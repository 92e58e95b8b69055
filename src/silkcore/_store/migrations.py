"""The store's numbered schema migrations, applied in order, all in one transaction on open.

Version 1 is the assessment history (documents and assessments); version 2 adds the node's
federation records (versions, heads, the change feed, sync cursors) and turns the envelopes
a node kept in ``documents`` into records. A store's version lives in SQLite's
``user_version`` and in PostgreSQL's ``silkcore_store_meta`` table (see the dialects). The
DDL is written once; a dialect fills in the few words that differ (``{rowid}``: PostgreSQL
has no implicit row number, so the history tables get an identity column of that name and
the same ``ORDER BY ..., rowid`` reads both; ``{bigint}``: the feed's 64-bit numbers).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from .._errors import StoreError
from . import records
from .protocol import Db

__all__ = ["LATEST", "MIGRATIONS", "Migration", "apply", "check_known"]

ENVELOPE_SCHEMA = "silkcore_envelope-v1.0.0"

_V1 = """
CREATE TABLE documents (
    record_id TEXT PRIMARY KEY,
    schema TEXT NOT NULL,
    subject TEXT,
    sha256 TEXT NOT NULL,
    body TEXT NOT NULL,
    stored_at TEXT NOT NULL,
    supersedes TEXT REFERENCES documents(record_id),
    sharing_level TEXT NOT NULL DEFAULT 'private'{rowid}
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
    created_at TEXT NOT NULL{rowid}
);
CREATE INDEX assessments_subject ON assessments(subject, framework_id, created_at);
"""

_V2 = """
CREATE TABLE record_heads (
    record_id TEXT PRIMARY KEY,
    latest INTEGER NOT NULL,
    publisher TEXT NOT NULL,
    first_seq {bigint} NOT NULL,
    withdrawn_at TEXT
);
CREATE INDEX record_heads_order ON record_heads(first_seq);
CREATE TABLE records (
    record_id TEXT NOT NULL REFERENCES record_heads(record_id),
    version INTEGER NOT NULL,
    version_hash TEXT NOT NULL,
    envelope TEXT NOT NULL,
    publisher TEXT NOT NULL,
    payload_schema TEXT NOT NULL,
    subject TEXT,
    sharing_level TEXT NOT NULL,
    generated_at TEXT NOT NULL,
    received_from TEXT NOT NULL,
    received_at TEXT NOT NULL,
    publisher_verified BOOLEAN NOT NULL,
    PRIMARY KEY (record_id, version)
);
CREATE INDEX records_subject ON records(subject, payload_schema);
CREATE TABLE changes (
    seq {bigint} PRIMARY KEY,
    record_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    version_hash TEXT NOT NULL,
    payload_schema TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    withdrawn BOOLEAN NOT NULL,
    FOREIGN KEY (record_id, version) REFERENCES records(record_id, version)
);
CREATE TABLE sync_cursors (
    source TEXT PRIMARY KEY,
    cursor TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""


def _envelopes_become_records(db: Db) -> None:
    """Envelopes a node kept in ``documents`` become records under their own ``record_id``.

    Their sender was not kept, so ``received_from`` is :data:`~records.UNKNOWN_SENDER` and the
    publisher is not verified. Taken oldest first through the same rules as a live put: a
    resent copy is skipped, a later one becomes a version; a row those rules refuse (another
    publisher's, an older copy) stays a document only. ``documents`` itself is not changed."""
    rows = db.execute(
        "SELECT body, subject, stored_at FROM documents WHERE schema = ? ORDER BY stored_at, rowid", (ENVELOPE_SCHEMA,)
    ).fetchall()
    for body, subject, stored_at in rows:
        try:
            envelope = json.loads(body)
            if not isinstance(envelope, dict):
                continue
            records.put(
                db,
                envelope,
                received_from=records.UNKNOWN_SENDER,
                received_at=stored_at,
                subject=subject,
                publisher_verified=False,
            )
        except (StoreError, ValueError):  # RecordConflict included: the row stays a document
            continue


@attrs.frozen
class Migration:
    """One step: DDL (with the dialect's words to fill in), then an optional data step."""

    version: int
    ddl: str
    data: Callable[[Db], None] | None = None

    def statements(self, words: Mapping[str, str]) -> list[str]:
        """The DDL as single statements for this dialect."""
        return [s.strip() for s in self.ddl.format(**words).split(";") if s.strip()]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, _V1),
    Migration(2, _V2, _envelopes_become_records),
)
LATEST = MIGRATIONS[-1].version


def check_known(current: int, location: Any) -> None:
    """Refuse a store newer than this silkcore (before anything is written to it)."""
    if current > LATEST:
        raise StoreError(
            f"the store {location} is at version {current}, written by a newer silkcore "
            f"(this one knows versions up to {LATEST}): upgrade silkcore to use it; it was left untouched"
        )


def apply(db: Db, current: int, words: Mapping[str, str], location: Any) -> int:
    """Bring a store at version ``current`` up to :data:`LATEST` inside the caller's
    transaction; returns the version reached. A store newer than this silkcore is refused."""
    check_known(current, location)
    for migration in MIGRATIONS[current:]:
        for statement in migration.statements(words):
            db.execute(statement)
        if migration.data is not None:
            migration.data(db)
    return LATEST
