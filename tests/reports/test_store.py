"""The history store: durable, refuses foreign files untouched, and shows progress over time."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import silkcore
from silkcore import StoreError
from silkcore._store import APPLICATION_ID, Store, history

from ..conftest import EXAMPLES, run_silk

DEMO_ORG = "urn:silk:org:demo:tejidos-solidarios"


def card_and_sets() -> tuple[list, silkcore.ScoreCard]:
    catalog = silkcore.build_catalog()
    sets = [silkcore.load_document(p) for p in sorted((EXAMPLES / "demo" / "response_sets").glob("evaluation-grid-*.json"))]
    return sets, silkcore.assess("silk.evaluation-grid", sets, catalog=catalog)


def test_settings_and_application_id(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    with Store(path) as store:
        assert store.integrity() == "ok"
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_one_transaction_per_assessment_and_history(tmp_path: Path) -> None:
    sets, card = card_and_sets()
    with Store(tmp_path / "h.sqlite") as store:
        store.record_assessment(sets, card)
        store.record_assessment(sets, card)
        assert store.count("assessments") == 2 and store.count("documents") == 6
        rows = history(store.assessments(DEMO_ORG))
    assert [r["framework_hash"] for r in rows] == [card.framework_hash] * 2
    assert all(c["change"] in (None, 0.0) for c in rows[1]["categories"])


@pytest.mark.parametrize("content", [b"not a database at all", b""])
def test_foreign_files_are_refused_and_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(content + b"x" * 200)
    with pytest.raises(StoreError, match="not a silkcore store"):
        Store(path)
    assert path.read_bytes() == content + b"x" * 200


def test_other_sqlite_databases_are_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a silkcore store"):
        Store(path)
    assert path.read_bytes() == before


def test_corrections_supersede_never_edit(tmp_path: Path) -> None:
    doc = json.loads((EXAMPLES / "demo" / "organisation.json").read_text())
    with Store(tmp_path / "h.sqlite") as store:
        first = store.put_document(doc, subject=DEMO_ORG)
        second = store.put_document(dict(doc, members=47), subject=DEMO_ORG, supersedes=first)
        assert store.document(first)["members"] == 46 and store.document(second)["members"] == 47
        with pytest.raises(StoreError, match="unknown record"):
            store.put_document(doc, supersedes="urn:uuid:00000000-0000-0000-0000-000000000000")


def test_demo_twice_then_history(tmp_path: Path) -> None:
    store = tmp_path / "history.sqlite"
    for run in range(2):
        result = run_silk("demo", "-o", str(tmp_path / f"out{run}"), "--store", str(store))
        assert result.returncode == 0, result.stderr
    data = json.loads(run_silk("history", DEMO_ORG, "--store", str(store), "--json").stdout)
    grid = [a for a in data["assessments"] if a["framework_id"] == "silk.evaluation-grid"]
    assert len(grid) == 2
    assert all("change" in c for c in grid[1]["categories"])
    assert grid[1]["categories"][1]["change"] == 0.0
    text = run_silk("history", DEMO_ORG, "--store", str(store)).stdout
    assert text.count("silk.evaluation-grid") == 2


def test_history_on_a_foreign_file_is_a_store_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.sqlite"
    bad.write_text("hello")
    result = run_silk("history", DEMO_ORG, "--store", str(bad))
    assert result.returncode == 5 and "not a silkcore store" in result.stderr and "Traceback" not in result.stderr
    assert bad.read_text() == "hello"


def _readonly_probe_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every read-only probe fail as SQLite does after a writer was killed mid-write."""
    real_connect = sqlite3.connect

    def connect(database: str, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if str(database).endswith("?mode=ro"):
            error = sqlite3.OperationalError("attempt to write a readonly database")
            error.sqlite_errorcode = 776  # type: ignore[attr-defined]  # SQLITE_READONLY_RECOVERY
            raise error
        connection: sqlite3.Connection = real_connect(database, *args, **kwargs)
        return connection

    monkeypatch.setattr("silkcore._store.sqlite3.connect", connect)


def test_a_store_whose_wal_index_needs_recovery_still_opens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "h.sqlite"
    with Store(path) as store:
        store.put_document(json.loads((EXAMPLES / "demo" / "organisation.json").read_text()), subject=DEMO_ORG)
    _readonly_probe_refused(monkeypatch)
    with Store(path) as store:
        assert store.count("documents") == 1


def test_recovery_never_opens_a_foreign_file_for_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other.sqlite"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    text = tmp_path / "notes.txt"
    text.write_bytes(b"not a database" * 50)
    before = {path: path.read_bytes() for path in (other, text)}
    _readonly_probe_refused(monkeypatch)
    for path in (other, text):
        with pytest.raises(StoreError, match="not a silkcore store"):
            Store(path)
        assert path.read_bytes() == before[path]


def test_opening_waits_out_a_store_locked_by_another_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite does not call its busy handler for the switch to WAL: opening retries instead."""
    attempts = []
    real_connect = Store._connect

    def connect(self: Store) -> sqlite3.Connection:
        attempts.append(1)
        if len(attempts) < 3:
            raise sqlite3.OperationalError("database is locked")
        return real_connect(self)

    monkeypatch.setattr(Store, "_connect", connect)
    with Store(tmp_path / "h.sqlite") as store:
        assert store.count("documents") == 0
    assert len(attempts) == 3


def test_other_open_failures_are_reported_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def connect(self: Store) -> sqlite3.Connection:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Store, "_connect", connect)
    with pytest.raises(StoreError, match=r"cannot open the store .*disk I/O error"):
        Store(tmp_path / "h.sqlite")


def test_a_probe_that_meets_a_lock_waits_and_never_calls_the_store_foreign(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from silkcore import _store as store_module

    path = tmp_path / "h.sqlite"
    Store(path).close()
    real_read = store_module._read_identity
    calls = []

    def read_identity(uri: str, *, uri_mode: bool) -> tuple[int, set[str]]:
        calls.append(uri)
        if len(calls) == 1:
            error = sqlite3.OperationalError("database is locked")
            error.sqlite_errorcode = sqlite3.SQLITE_BUSY  # type: ignore[attr-defined]
            raise error
        return real_read(uri, uri_mode=uri_mode)

    monkeypatch.setattr(store_module, "_read_identity", read_identity)
    with Store(path) as store:
        assert store.count("documents") == 0
    assert len(calls) == 2
