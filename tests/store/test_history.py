"""The assessment history on both backends: documents, assessments, one transaction each."""

from __future__ import annotations

import json
from typing import Any

import pytest

import silkcore
from silkcore import StoreError
from silkcore._store import Store, history, open_store
from silkcore._store.postgres import PostgresStore
from silkcore._store.sqlite import SQLiteStore

from ..conftest import EXAMPLES

DEMO_ORG = "urn:silk:org:demo:tejidos-solidarios"
ORGANISATION = json.loads((EXAMPLES / "demo" / "organisation.json").read_text())


@pytest.fixture(scope="module")
def assessment() -> tuple[list[Any], silkcore.ScoreCard]:
    catalog = silkcore.build_catalog()
    paths = sorted((EXAMPLES / "demo" / "response_sets").glob("evaluation-grid-*.json"))
    sets = [silkcore.load_document(p, registry=catalog.schemas) for p in paths]
    return sets, silkcore.assess("silk.evaluation-grid", sets, catalog=catalog)


def test_the_location_chooses_the_backend(store_location: str, store: Store) -> None:
    expected = PostgresStore if store_location.startswith("postgresql://") else SQLiteStore
    assert type(store) is expected and type(open_store(store_location)) is expected
    assert store.thread_safe is (expected is PostgresStore)
    assert store.integrity() == "ok"


def test_assessments_and_their_history(store: Store, assessment: tuple[list[Any], silkcore.ScoreCard]) -> None:
    sets, card = assessment
    first = store.record_assessment(sets, card)
    second = store.record_assessment(sets, card)
    assert store.count("assessments") == 2 and store.count("documents") == 6
    records = store.assessments(DEMO_ORG)
    assert [r.assessment_id for r in records] == [first, second]
    assert records[0].scorecard["framework_id"] == "silk.evaluation-grid"
    assert store.assessments(DEMO_ORG, "silk.other") == [] and store.assessments("urn:nobody") == []
    rows = history(records)
    assert [r["framework_hash"] for r in rows] == [card.framework_hash] * 2
    assert all(c["change"] in (None, 0.0) for c in rows[1]["categories"])


def test_documents_supersede_never_edit(store: Store) -> None:
    first = store.put_document(ORGANISATION, subject=DEMO_ORG)
    second = store.put_document(dict(ORGANISATION, members=47), subject=DEMO_ORG, supersedes=first, level="public")
    assert store.document(first)["members"] == 46 and store.document(second)["members"] == 47
    assert store.find("urn:uuid:unknown") is None
    with pytest.raises(StoreError, match="no record"):
        store.document("urn:uuid:unknown")
    with pytest.raises(StoreError, match="unknown record"):
        store.put_document(ORGANISATION, supersedes="urn:uuid:00000000-0000-0000-0000-000000000000")
    assert store.count("documents") == 2


def test_documents_about_filter_and_order(store: Store) -> None:
    ids = [store.put_document(dict(ORGANISATION, members=n), subject=DEMO_ORG) for n in range(3)]
    store.put_document(dict(ORGANISATION, schema="silkcore_flow-v1.0.0"), subject=DEMO_ORG)
    store.put_document(ORGANISATION, subject="urn:other")
    about = store.documents_about(DEMO_ORG, ORGANISATION["schema"])
    assert [record_id for record_id, _ in about] == ids and [body["members"] for _, body in about] == [0, 1, 2]
    assert len(store.documents_about(DEMO_ORG)) == 4 and len(store.documents_about(DEMO_ORG, limit=2)) == 2


def test_a_failure_inside_an_assessment_writes_nothing(
    store: Store, assessment: tuple[list[Any], silkcore.ScoreCard], monkeypatch: pytest.MonkeyPatch
) -> None:
    sets, card = assessment
    store.record_assessment(sets, card)
    original = Store._insert
    calls = []

    def flaky(*args: Any, **kwargs: Any) -> str:
        calls.append(1)
        if len(calls) == 3:  # the score card, after both response sets
            raise RuntimeError("crash in the middle")
        return original(*args, **kwargs)

    monkeypatch.setattr(Store, "_insert", staticmethod(flaky))
    with pytest.raises(RuntimeError):
        store.record_assessment(sets, card)
    monkeypatch.undo()
    assert store.count("documents") == 3 and store.count("assessments") == 1
    store.record_assessment(sets, card)  # still usable: no transaction left open
    assert store.count("assessments") == 2


def test_a_card_that_is_not_json_data_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="not JSON data"):
        store.put_document({"schema": "silkcore_organisation-v1.0.0", "x": float("inf")})
    assert store.count("documents") == 0


def test_a_database_error_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="cannot store the document"):
        store.put_document({"no schema": True})  # documents.schema NOT NULL refuses it
    with pytest.raises(ValueError, match="records"):
        store.count("records")


def test_history_survives_reopening(store_location: str, assessment: tuple[list[Any], silkcore.ScoreCard]) -> None:
    with open_store(store_location) as store:
        store.record_assessment(*assessment)
    with open_store(store_location) as store:
        assert len(store.assessments(DEMO_ORG)) == 1
