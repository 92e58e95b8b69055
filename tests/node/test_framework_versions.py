"""The node serves every version of a framework it knows: GET /frameworks/{id}?version=X."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

import silkcore
from silkcore.node import create_app

from ..conftest import EXAMPLES
from .conftest import TestClient

V10 = EXAMPLES / "frameworks" / "community-energy-readiness.yaml"
V11 = EXAMPLES / "frameworks" / "community-energy-readiness-1.1.yaml"
ENERGY = "network.community-energy-partnering"


@pytest.fixture
def versions_client(tmp_path: Path) -> Iterator[TestClient]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = create_app(tmp_path / "node.sqlite", frameworks=(V10, V11))
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client


def test_each_version_is_served_and_the_newest_by_default(versions_client: TestClient) -> None:
    newest = versions_client.get(f"/frameworks/{ENERGY}")
    assert newest.status_code == 200 and newest.json()["version"] == "1.1.0"
    assert newest.json()["schema"] == "silkcore_framework-v1.2.0" and newest.json()["changes"]["from_version"] == "1.0.0"
    old = versions_client.get(f"/frameworks/{ENERGY}", params={"version": "1.0.0"})
    assert old.status_code == 200
    assert old.json() == silkcore.framework_document(silkcore.load_framework(V10))
    assert old.json()["schema"] == "silkcore_framework-v1.1.0"  # no declared changes: its 1.1 document
    same = versions_client.get(f"/frameworks/{ENERGY}", params={"version": "1.1.0"})
    assert same.json() == newest.json()
    row = next(r for r in versions_client.get("/frameworks").json() if r["id"] == ENERGY)
    assert row["version"] == "1.1.0" and row["versions"] == ["1.0.0", "1.1.0"]


def test_an_unknown_version_is_a_404_naming_the_versions_known(versions_client: TestClient) -> None:
    missing = versions_client.get(f"/frameworks/{ENERGY}", params={"version": "9.0.0"})
    assert missing.status_code == 404
    body = missing.json()
    assert body["error"] == "not_found"
    assert "9.0.0" in body["message"] and "1.0.0" in body["message"] and "1.1.0" in body["message"]
    unknown = versions_client.get("/frameworks/no.such-framework", params={"version": "1.0.0"})
    assert unknown.status_code == 404 and "no.such-framework" in unknown.json()["message"]


def test_a_response_set_is_checked_against_the_version_it_answers(versions_client: TestClient) -> None:
    import json

    old = json.loads((EXAMPLES / "response_sets" / "community-energy-readiness.json").read_text())
    new = json.loads((EXAMPLES / "response_sets" / "community-energy-readiness-1.1.json").read_text())
    assert versions_client.post("/validate", json=old).json() == {"valid": True}
    assert versions_client.post("/validate", json=new).json() == {"valid": True}


def test_a_history_across_versions_marks_each_category(tmp_path: Path) -> None:
    """As `silk history` without --rescore: a node keeps score cards, not the answers behind
    them, so a category whose items changed is not comparable, and says why."""

    from .conftest import AS_A, envelope, write_peers

    cards = []
    for framework_file, answers in ((V10, "community-energy-readiness.json"), (V11, "community-energy-readiness-1.1.json")):
        framework = silkcore.load_framework(framework_file)
        response_set = silkcore.load_document(EXAMPLES / "response_sets" / answers, frameworks=lambda _id, f=framework: f)
        cards.append(silkcore.to_document(silkcore.assess(framework, response_set)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = create_app(tmp_path / "node.sqlite", write_peers(tmp_path / "peers.json"), frameworks=(V10, V11))
        with TestClient(app, raise_server_exceptions=False) as client:
            for card, when in zip(cards, ("2025-06-01T00:00:00Z", "2026-06-01T00:00:00Z"), strict=True):
                response = client.post("/documents", json=envelope(card, "public", generated_at=when), headers=AS_A)
                assert response.status_code == 201, response.text
            org_id = cards[0]["subject"]["org_id"]
            rows = client.get(f"/organisations/{org_id}/history").json()["assessments"]
    assert [row["framework_version"] for row in rows] == ["1.0.0", "1.1.0"]
    assert all("status" not in category for category in rows[0]["categories"])  # nothing before it
    marks = {c["id"]: (c["status"], c["reason_code"]) for c in rows[1]["categories"]}
    assert marks["who"] == ("comparable", "unchanged")  # a rename keeps the category comparable
    assert marks["why"] == ("not comparable", "not_rescored") and marks["how"][0] == "not comparable"
    assert all(c["status"] != "re-scored" for c in rows[1]["categories"])  # a node never re-scores
