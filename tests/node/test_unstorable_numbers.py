"""A number a record's RFC 8785 form cannot hold (an integer beyond 2**53) is the document's
fault: the node answers 422 with its pointer (not 503 "store unavailable"), and ``silk sync``
refuses that record alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from silkcore import DataError
from silkcore._schemas import SchemaRegistry
from silkcore._store import open_store
from silkcore.node._sync import sync

from .conftest import AS_A, ORGANISATION, TestClient, envelope

BEYOND = 2**53 + 1  # 16 digits: within the strict reader's 19, beyond what RFC 8785 writes exactly


def test_the_node_answers_422_with_the_pointer_and_stores_nothing(client: TestClient) -> None:
    document = envelope(dict(ORGANISATION, members=BEYOND), "public")
    answer = client.post("/documents", json=document, headers=AS_A)
    assert answer.status_code == 422, answer.text
    assert [issue["pointer"] for issue in answer.json()["errors"]] == ["/payload/members"]
    assert "RFC 8785" in answer.json()["errors"][0]["message"]
    assert client.get(f"/documents/{document['record_id']}", headers=AS_A).status_code == 404
    fine = envelope(dict(ORGANISATION, members=2**53 - 1), "public")  # the largest it holds exactly
    assert client.post("/documents", json=fine, headers=AS_A).status_code == 201


@pytest.mark.parametrize("bad", [BEYOND, -BEYOND, [1, {"deep": BEYOND}]])
def test_the_store_says_where_the_number_is(tmp_path: Path, bad: Any) -> None:
    document = envelope(dict(ORGANISATION, description={"en": "x"}), "public")
    document["payload"]["extra"] = bad
    with open_store(tmp_path / "s.sqlite") as store:
        with pytest.raises(DataError) as caught:
            store.put_record(
                document,
                received_from="https://peer-a.example.org/",
                received_at="2026-01-01T00:00:00Z",
                subject=None,
                publisher_verified=False,
            )
        assert store.record(document["record_id"]) is None
    expected = "/payload/extra/1/deep" if isinstance(bad, list) else "/payload/extra"
    assert caught.value.errors[0].pointer == expected


def test_sync_refuses_that_record_and_keeps_the_others(tmp_path: Path) -> None:
    good = envelope(dict(ORGANISATION, name="Good"), "public")
    bad = envelope(dict(ORGANISATION, members=BEYOND), "public")
    answers = {
        "/feed": {"items": [{"record_id": r["record_id"], "version": 1} for r in (bad, good)], "next": "c1", "more": False},
        **{f"/documents/{r['record_id']}": r for r in (bad, good)},
    }

    def fetch(url: str) -> bytes:
        path = url.removeprefix("http://node.example.org").split("?", 1)[0].replace("%3A", ":")
        return json.dumps(answers[path]).encode()

    with open_store(tmp_path / "b.sqlite") as store:
        report = sync("http://node.example.org", store, fetch, SchemaRegistry(), source="https://node-a.example.org/")
        assert report.stored == 1 and store.record(good["record_id"]) is not None
        assert [(record_id, reason.split(":", 1)[0]) for record_id, reason in report.refused] == [
            (bad["record_id"], "/payload/members")
        ]
        assert store.record(bad["record_id"]) is None
