"""What an audit of the node's HTTP surface found, each now answered as the docs promise:
a peer cannot plant the questionnaire's state, a 409 does not name another publisher, odd
digits and huge cursors are 400s, and /openapi.json refuses a bad token like every route."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from starlette.requests import Request

from silkcore._store import open_store
from silkcore.web._http import logged_path
from silkcore.web._security import record_id_for
from silkcore.web._storage import PAYLOAD_SCHEMA, WebRecords

from .conftest import AS_A, AS_B, ORGANISATION, PEER_B, TestClient, envelope


def test_a_peer_cannot_publish_questionnaire_state(client: TestClient, tmp_path: Path) -> None:
    """A sound questionnaire draft (made by the questionnaire itself), sent by a peer."""
    from ..web._helpers import start, web_client

    with web_client(tmp_path / "web.sqlite") as web:
        token = start(web)
    with open_store(tmp_path / "web.sqlite") as store:
        stored = store.record(record_id_for(token, "respondent"))
    assert stored is not None
    planted = envelope(ORGANISATION, "private")
    planted.update(payload_schema=PAYLOAD_SCHEMA, payload=stored.envelope["payload"])
    answer = client.post("/documents", json=planted, headers=AS_A)
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["pointer"] == "/payload_schema"


def test_the_questionnaire_takes_only_its_own_records(tmp_path: Path) -> None:
    """Even one in its store already (a sync, an older node): a record a peer published is
    never read as a draft, whatever its payload says."""
    path = tmp_path / "node.sqlite"
    document = envelope({"schema": "x"}, "private", publisher=PEER_B)
    document["payload_schema"] = PAYLOAD_SCHEMA
    document["payload"] = {"kind": "respondent", "framework": {}}
    with open_store(path) as store:
        kept = {"received_from": PEER_B, "received_at": "2026-01-01T00:00:00Z", "subject": None, "publisher_verified": False}
        store.put_record(document, **kept)
    from silkcore.node._storage import NodeStore

    records = WebRecords(NodeStore(path), "https://node.example.org/questionnaire")
    try:
        assert records.by_id(document["record_id"], "respondent") is None
    finally:
        records.store.close()


def test_a_conflict_with_another_publishers_record_does_not_name_it(client: TestClient) -> None:
    private = envelope(ORGANISATION, "private")
    assert client.post("/documents", json=private, headers=AS_A).status_code == 201
    claimed = dict(envelope(ORGANISATION, "public", publisher=PEER_B), record_id=private["record_id"])
    answer = client.post("/documents", json=claimed, headers=AS_B)
    assert answer.status_code == 409
    assert "peer-a" not in answer.text and "another publisher" in answer.json()["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/documents/urn:x?version=%C2%B2",  # "²": str.isdigit() says yes, int() says no
        "/feed?limit=%E2%91%A0",  # "①"
        "/feed?after=" + base64.urlsafe_b64encode(b"silkfeed1:" + b"9" * 30).decode().rstrip("="),
    ],
)
def test_odd_digits_and_huge_cursors_are_bad_requests(client: TestClient, path: str) -> None:
    answer = client.get(path, headers=AS_A)
    assert answer.status_code == 400, answer.text


def test_openapi_refuses_a_bad_token_like_every_route(client: TestClient) -> None:
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/openapi.json", headers={"Authorization": "Bearer wrong-token-0123456789abc"}).status_code == 401


def test_the_log_names_a_path_parameter_not_its_secret() -> None:
    token = "_mHugopeMoHChHaiEjGnLpabsCN-Y-UAAdEBtLiLtJM"
    scope: dict[str, Any] = {"type": "http", "path": f"/ui/r/{token}/report.html", "path_params": {"token": token}}
    scope.update(method="GET", headers=[], query_string=b"", root_path="")
    assert logged_path(Request(scope)) == "/ui/r/{token}/report.html"
