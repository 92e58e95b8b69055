"""One assessment, one transaction: a failure anywhere inside ``record_assessment`` leaves the
store exactly as it was (no response set without its score card, no card without its row),
and the store stays usable."""

from __future__ import annotations

import math
import os
import sqlite3
from pathlib import Path
from typing import Any

import attrs
import pytest

import silkcore
from silkcore._errors import SilkError, StoreError
from silkcore._store import Store

from ..conftest import EXAMPLES


@pytest.fixture(scope="module")
def assessment() -> tuple[list[Any], Any]:
    catalog = silkcore.build_catalog()
    paths = sorted((EXAMPLES / "demo" / "response_sets").glob("evaluation-grid-*.json"))
    sets = [silkcore.load_document(p, registry=catalog.schemas) for p in paths]
    return sets, silkcore.assess("silk.evaluation-grid", sets, catalog=catalog)


def snapshot(store: Store) -> tuple[int, int, list[Any]]:
    rows = store._db.execute("SELECT record_id, sha256 FROM documents ORDER BY record_id").fetchall()
    return store.count("documents"), store.count("assessments"), rows


@pytest.fixture
def store(tmp_path: Path, assessment: tuple[list[Any], Any]) -> Any:
    with Store(tmp_path / "history.sqlite") as opened:
        opened.record_assessment(*assessment)  # some history to keep intact
        yield opened


@pytest.mark.parametrize("fail_on", [1, 2, 3])
@pytest.mark.parametrize("error", [sqlite3.OperationalError("disk I/O error"), RuntimeError("crash in the middle")])
def test_a_failing_insert_rolls_the_whole_assessment_back(
    store: Store, assessment: tuple[list[Any], Any], monkeypatch: pytest.MonkeyPatch, fail_on: int, error: Exception
) -> None:
    before = snapshot(store)
    calls = {"n": 0}
    original = Store._insert

    def flaky(*args: Any, **kwargs: Any) -> str:
        calls["n"] += 1
        if calls["n"] == fail_on:  # 1, 2: a response set; 3: the score card
            raise error
        return original(*args, **kwargs)

    monkeypatch.setattr(Store, "_insert", staticmethod(flaky))
    expected = StoreError if isinstance(error, sqlite3.Error) else type(error)
    with pytest.raises(expected):
        store.record_assessment(*assessment)
    monkeypatch.undo()
    assert snapshot(store) == before
    assert store.integrity() == "ok"
    store.record_assessment(*assessment)  # still usable, no transaction left open
    assert store.count("assessments") == before[1] + 1


def test_the_last_statement_failing_rolls_back_the_documents(store: Store, assessment: tuple[list[Any], Any]) -> None:
    """No monkeypatching: the assessments row itself is refused by SQLite (a trigger)."""
    store._db.execute(
        "CREATE TEMP TRIGGER refuse BEFORE INSERT ON assessments BEGIN SELECT RAISE(ABORT, 'simulated failure'); END"
    )
    before = snapshot(store)
    with pytest.raises(StoreError, match="simulated failure"):
        store.record_assessment(*assessment)
    assert snapshot(store) == before
    store._db.execute("DROP TRIGGER refuse")
    store.record_assessment(*assessment)
    assert store.count("assessments") == before[1] + 1


def poisoned_copy(card: Any, overall: float) -> Any:
    """A copy of ``card`` with an impossible overall score. The constructor refuses one, so a
    buggy plugin would have to force it past the check, as this does."""
    copy = attrs.evolve(card)
    object.__setattr__(copy, "overall", overall)
    return copy


def test_the_constructor_refuses_an_impossible_card(assessment: tuple[list[Any], Any]) -> None:
    with pytest.raises(SilkError):
        attrs.evolve(assessment[1], overall=math.nan)


def test_a_card_that_cannot_be_serialised_writes_nothing(store: Store, assessment: tuple[list[Any], Any]) -> None:
    sets, card = assessment
    poisoned = poisoned_copy(card, math.nan)  # what a buggy scorer plugin could return
    before = snapshot(store)
    with pytest.raises(SilkError):
        store.record_assessment(sets, poisoned)
    assert snapshot(store) == before


def test_a_card_that_cannot_be_serialised_is_a_store_error(store: Store, assessment: tuple[list[Any], Any]) -> None:
    sets, card = assessment
    with pytest.raises(SilkError):
        store.record_assessment(sets, poisoned_copy(card, math.inf))


def test_another_connection_never_sees_a_partial_assessment(
    store: Store, assessment: tuple[list[Any], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the transaction is open (between its inserts) a reader sees the old state only."""
    reader = sqlite3.connect(store.path)
    seen = []
    original = Store._insert

    def spying(*args: Any, **kwargs: Any) -> str:
        record = original(*args, **kwargs)
        seen.append(reader.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
        return record

    before = store.count("documents")
    monkeypatch.setattr(Store, "_insert", staticmethod(spying))
    store.record_assessment(*assessment)
    assert seen == [before] * 3
    assert reader.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == before + 3
    reader.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through read-only permissions")
def test_a_read_only_store_is_a_clear_error_and_history_survives(tmp_path: Path, assessment: tuple[list[Any], Any]) -> None:
    path = tmp_path / "ro" / "history.sqlite"
    path.parent.mkdir()  # a store creates no folder but its own default one
    with Store(path) as store:
        store.record_assessment(*assessment)
    path.chmod(0o444)
    path.parent.chmod(0o555)
    try:
        with pytest.raises(StoreError), Store(path) as store:
            store.record_assessment(*assessment)
    finally:
        path.parent.chmod(0o755)
        path.chmod(0o644)
    with Store(path) as store:
        assert store.count("assessments") == 1 and store.integrity() == "ok"
