"""Schema migrations: a version 1 store (PR-era SQLite file) opens and migrates in one
transaction; its node envelopes become records; a newer store is refused untouched."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import psycopg
import pytest

from silkcore import StoreError
from silkcore._store import APPLICATION_ID, SCHEMA_VERSION, UNKNOWN_SENDER, migrations, open_store

from .conftest import ORG, PUBLISHER, envelope

#: The schema of version 1 exactly as silkcore wrote it before records existed.
V1_DDL = """
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


def v1_store(path: Path, rows: list[tuple[str, dict[str, Any], str]]) -> Path:
    """A version 1 store holding ``rows`` (document id, body, stored_at), as the node's
    ``NodeStore.put`` wrote envelopes (a fresh urn:uuid id, the envelope's level and subject)."""
    db = sqlite3.connect(path)
    db.executescript(V1_DDL)
    for document_id, body, stored_at in rows:
        level = body.get("sharing", {}).get("level", "private")
        db.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, NULL, ?)",
            (document_id, body["schema"], ORG, "sha256:x", json.dumps(body), stored_at, level),
        )
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    return path


def pragma(path: Path, name: str) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute(f"PRAGMA {name}").fetchone()[0])
    finally:
        db.close()


def test_a_version_1_file_migrates_and_its_envelopes_become_records(tmp_path: Path) -> None:
    kept = envelope("urn:test:kept", level="network")
    card = {"schema": "silkcore_scorecard-v1.0.0", "framework_id": "x"}
    path = v1_store(
        tmp_path / "v1.sqlite",
        [("urn:uuid:1", kept, "2025-05-01T10:00:00.000000Z"), ("urn:uuid:2", card, "2025-05-01T11:00:00.000000Z")],
    )
    with open_store(path) as store:
        record = store.record("urn:test:kept")
        assert record is not None and record.envelope == kept and record.version == 1
        assert record.received_from == UNKNOWN_SENDER and record.publisher_verified is False
        assert (record.received_at, record.subject, record.publisher, record.sharing_level) == (
            "2025-05-01T10:00:00.000000Z",
            ORG,
            PUBLISHER,
            "network",
        )
        assert [c.record_id for c in store.changes(0, 10)] == ["urn:test:kept"]
        assert store.count_records() == 1
        assert store.document("urn:uuid:1") == kept and store.count("documents") == 2  # documents are not changed
        assert store.integrity() == "ok"
    assert pragma(path, "user_version") == SCHEMA_VERSION == 2 and pragma(path, "application_id") == APPLICATION_ID
    with open_store(path) as store:  # opening again changes nothing
        assert store.count_records() == 1 and len(store.changes(0, 10)) == 1


def test_kept_envelopes_go_through_the_records_rules_oldest_first(tmp_path: Path) -> None:
    first = envelope("urn:test:r")
    later = envelope("urn:test:r", name="later", generated_at="2026-01-02T00:00:00Z")
    stolen = envelope("urn:test:r", publisher="https://other.example/", generated_at="2026-05-01T00:00:00Z")
    broken = dict(envelope("urn:test:broken"), provenance={})
    path = v1_store(
        tmp_path / "v1.sqlite",
        [
            ("urn:uuid:3", later, "2025-05-03T00:00:00.000000Z"),
            ("urn:uuid:1", first, "2025-05-01T00:00:00.000000Z"),
            ("urn:uuid:2", first, "2025-05-02T00:00:00.000000Z"),  # the same envelope sent twice
            ("urn:uuid:4", stolen, "2025-05-04T00:00:00.000000Z"),  # another publisher: stays a document
            ("urn:uuid:5", broken, "2025-05-05T00:00:00.000000Z"),  # cannot be indexed: stays a document
        ],
    )
    with open_store(path) as store:
        assert [(c.record_id, c.version) for c in store.changes(0, 10)] == [("urn:test:r", 1), ("urn:test:r", 2)]
        latest = store.record("urn:test:r")
        assert latest is not None and latest.envelope == later and latest.publisher == PUBLISHER
        assert store.record("urn:test:broken") is None and store.count("documents") == 5


def test_a_failing_migration_leaves_the_store_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = v1_store(tmp_path / "v1.sqlite", [("urn:uuid:1", envelope(), "2025-05-01T00:00:00.000000Z")])

    def fail(db: Any) -> None:
        raise StoreError("simulated failure in the data step")

    broken = (migrations.MIGRATIONS[0], migrations.Migration(2, migrations.MIGRATIONS[1].ddl, fail))
    monkeypatch.setattr(migrations, "MIGRATIONS", broken)
    with pytest.raises(StoreError, match="simulated failure"):
        open_store(path)
    assert pragma(path, "user_version") == 1
    db = sqlite3.connect(path)
    assert {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} == {"documents", "assessments"}
    db.close()
    monkeypatch.undo()
    with open_store(path) as store:
        assert store.count_records() == 1


def test_a_failing_migration_leaves_a_postgresql_database_empty(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(db: Any) -> None:
        raise StoreError("simulated failure in the data step")

    broken = (migrations.MIGRATIONS[0], migrations.Migration(2, migrations.MIGRATIONS[1].ddl, fail))
    monkeypatch.setattr(migrations, "MIGRATIONS", broken)
    with pytest.raises(StoreError, match="simulated failure"):
        open_store(postgres_url)
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == (0,)
    monkeypatch.undo()
    with open_store(postgres_url) as store:
        assert store.count_records() == 0


def test_a_postgresql_store_keeps_its_version_in_the_meta_table(postgres_url: str) -> None:
    open_store(postgres_url).close()
    open_store(postgres_url).close()
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT application_id, version FROM silkcore_store_meta").fetchall() == [
            (APPLICATION_ID, SCHEMA_VERSION)
        ]


def test_a_newer_sqlite_store_is_refused_untouched(tmp_path: Path) -> None:
    path = v1_store(tmp_path / "future.sqlite", [])
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"version 99, written by a newer silkcore \(this one knows versions up to 2\)"):
        open_store(path)
    assert path.read_bytes() == before and pragma(path, "user_version") == 99


def test_a_newer_postgresql_store_is_refused_untouched(postgres_url: str) -> None:
    open_store(postgres_url).close()
    with psycopg.connect(postgres_url) as conn:
        conn.execute("UPDATE silkcore_store_meta SET version = 99")
    with pytest.raises(StoreError, match="version 99, written by a newer silkcore"):
        open_store(postgres_url)
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT version FROM silkcore_store_meta").fetchone() == (99,)
