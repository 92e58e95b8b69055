"""The exchange node in process: endpoints, sharing rules, strict bodies, JSON errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount, Route

import silkcore
from silkcore._sharing import content_hash
from silkcore._store import open_store
from silkcore.node import create_app

from ..conftest import EXAMPLES
from .conftest import AS_A, AS_B, FLOW, FLOW_ENVELOPE, ORGANISATION, PEER_A, PEER_B, TestClient, envelope, in_days

Post = Callable[[dict[str, Any]], str]


# -- catalog endpoints ------------------------------------------------------------------------


def test_frameworks_list_and_show(client: TestClient) -> None:
    listed = client.get("/frameworks")
    assert listed.status_code == 200
    ids = [row["id"] for row in listed.json()]
    assert "silk.evaluation-grid" in ids and ids == sorted(ids)
    shown = client.get("/frameworks/silk.evaluation-grid").json()
    expected = silkcore.framework_document(silkcore.get_catalog().framework("silk.evaluation-grid"))
    assert shown == json.loads(json.dumps(expected))
    missing = client.get("/frameworks/no.such-framework")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


def test_schemas_are_served_to_pin(client: TestClient) -> None:
    names = client.get("/schemas").json()
    assert "silkcore_flow-v1.0.0" in names and "murmurations_extras-v1.0.0" in names  # packaged and plugin schemas
    schema = client.get("/schemas/silkcore_flow-v1.0.0").json()
    assert schema["$id"].endswith("/silkcore_flow-v1.0.0")
    assert client.get("/schemas/nothing-v1.0.0").status_code == 404


# -- POST /validate: strict JSON with pointers ------------------------------------------------


def test_validate_accepts_a_valid_document(client: TestClient) -> None:
    response = client.post("/validate", json=ORGANISATION)
    assert response.status_code == 200 and response.json() == {"valid": True}


@pytest.mark.parametrize(
    ("body", "pointer", "fragment"),
    [
        (b'{"schema": "silkcore_organisation-v1.0.0", "members": NaN}', "/members", "NaN"),
        (b'{"schema": "silkcore_organisation-v1.0.0", "a": 1, "a": 2}', "", "duplicate key"),
        (b'{"a": ' * 70 + b"1" + b"}" * 70, "/a/a/a", "nesting deeper"),
        (b'{"schema": "silkcore_organisation-v1.0.0", "x": Infinity}', "/x", "Infinity"),
    ],
)
def test_validate_rejects_unsound_json_with_the_pointer(client: TestClient, body: bytes, pointer: str, fragment: str) -> None:
    response = client.post("/validate", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    payload = response.json()
    assert payload["valid"] is False
    assert any(e["pointer"].startswith(pointer) and fragment in e["message"] for e in payload["errors"]), payload


def test_validate_reports_an_unknown_key_at_its_pointer(client: TestClient) -> None:
    response = client.post("/validate", json={**ORGANISATION, "shoe_size": 42})
    assert response.status_code == 422
    assert [e["pointer"] for e in response.json()["errors"]] == ["/shoe_size"]


def test_a_flood_of_bad_values_gets_a_bounded_answer(client: TestClient) -> None:
    body = b'{"schema": "silkcore_organisation-v1.0.0", "x": [' + b",".join([b"NaN"] * 5000) + b"]}"
    response = client.post("/validate", content=body, headers={"Content-Type": "application/json"})
    errors = response.json()["errors"]
    assert response.status_code == 422 and len(errors) <= 102 and "not listed" in errors[-1]["message"]
    assert len(response.content) < len(body)


def test_invalid_json_gets_line_and_column(client: TestClient) -> None:
    response = client.post("/validate", content=b'{\n "schema": }', headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["pointer"] == "" and error["line"] == 2 and "invalid JSON" in error["message"]


def test_body_limit_by_length_and_while_streaming(client: TestClient) -> None:
    big = b'{"schema": "' + b"x" * (64 * 1024) + b'"}'
    response = client.post("/validate", content=big, headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and response.json()["error"] == "body_too_large"

    def chunks() -> Any:  # no Content-Length: the limit must hold while reading
        for _ in range(80):
            yield b" " * 1024

    streamed = client.post("/documents", content=chunks(), headers=AS_A)
    assert streamed.status_code == 413


def test_non_json_media_type_is_refused(client: TestClient) -> None:
    response = client.post("/validate", content=b"schema=x", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415 and response.json()["error"] == "unsupported_media_type"


# -- authentication ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header", ["Bearer not-a-known-token-at-all", "Basic dXNlcjpwYXNz", "Bearer", "Bearer short", "token-a-0123456789abcdefghij"]
)
def test_a_bad_token_is_401_everywhere(client: TestClient, header: str) -> None:
    for path in ("/frameworks", "/documents/urn:uuid:00000000-0000-0000-0000-000000000000"):
        response = client.get(path, headers={"Authorization": header})
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.json()["error"] == "unauthorized"


def test_only_peers_send_documents(client: TestClient) -> None:
    assert client.post("/documents", json=ORGANISATION).status_code == 401
    # A history is read through the sharing rules like every record: the public sees public cards only.
    assert client.get(f"/organisations/{ORGANISATION['org_id']}/history").json()["assessments"] == []
    assert client.get(f"/organisations/{ORGANISATION['org_id']}/history", headers=AS_B).status_code == 200


# -- who may see what ------------------------------------------------------------------------

ANONYMOUS: dict[str, str] = {}
CASES = [
    # level, audience, (anonymous, peer A, peer B)
    ("public", (), (True, True, True)),
    ("network", (), (False, True, True)),
    ("network", (PEER_B,), (False, False, True)),
    ("bilateral", (PEER_A,), (False, True, False)),
    ("private", (), (False, False, False)),
]


@pytest.mark.parametrize(("level", "audience", "visible"), CASES)
def test_sharing_levels(client: TestClient, post: Post, level: str, audience: tuple[str, ...], visible: tuple[bool, ...]) -> None:
    record_id = post(envelope(ORGANISATION, level, audience=audience))
    missing = client.get("/documents/urn:uuid:00000000-0000-0000-0000-000000000000", headers=AS_A)
    for headers, expected in zip((ANONYMOUS, AS_A, AS_B), visible, strict=True):
        response = client.get(f"/documents/{record_id}", headers=headers)
        if expected:
            assert response.status_code == 200
            assert response.json()["payload"]["org_id"] == ORGANISATION["org_id"]
        else:  # indistinguishable from a record that does not exist
            assert (response.status_code, response.content, dict(response.headers)) == (
                missing.status_code,
                missing.content,
                dict(missing.headers),
            )


def test_redaction_applies_on_every_read(client: TestClient, post: Post, store_path: Path) -> None:
    record_id = post(envelope(FLOW, "network", redacted=("payload.amount",)))
    got = client.get(f"/documents/{record_id}", headers=AS_B).json()
    assert "amount" not in got["payload"]
    assert got["provenance"]["content_hash"] == content_hash(got["payload"])
    with open_store(store_path) as store:  # the node keeps what it received; it withholds on the way out
        assert "amount" in store.record(record_id).envelope["payload"]


def test_expired_records_are_seen_by_no_one(client: TestClient, store_path: Path) -> None:
    expired = envelope(ORGANISATION, "public", expires_at=in_days(-1))
    with open_store(store_path) as store:  # received before it expired
        store.put_record(
            expired, received_from=PEER_A, received_at=in_days(-2), subject=ORGANISATION["org_id"], publisher_verified=True
        )
    record_id = expired["record_id"]
    for headers in (ANONYMOUS, AS_A):
        assert client.get(f"/documents/{record_id}", headers=headers).status_code == 404


def test_an_expired_or_altered_envelope_is_not_received(client: TestClient) -> None:
    expired = client.post("/documents", json=envelope(ORGANISATION, "public", expires_at=in_days(-1)), headers=AS_A)
    assert expired.status_code == 422 and expired.json()["errors"][0]["pointer"] == "/sharing/expires_at"
    altered = dict(FLOW_ENVELOPE, provenance=dict(FLOW_ENVELOPE["provenance"], content_hash="sha256:" + "0" * 64))
    response = client.post("/documents", json=altered, headers=AS_A)
    assert response.status_code == 422 and response.json()["errors"][0]["pointer"] == "/provenance/content_hash"


def test_a_bare_document_is_kept_private_with_its_provenance(client: TestClient, post: Post, store_path: Path) -> None:
    record_id = post(ORGANISATION)
    for headers in (ANONYMOUS, AS_A, AS_B):
        assert client.get(f"/documents/{record_id}", headers=headers).status_code == 404
    with open_store(store_path) as store:
        kept = store.record(record_id).envelope
    assert kept["sharing"] == {"level": "private"} and kept["payload"] == ORGANISATION
    assert kept["publisher"]["id"] == PEER_A and kept["provenance"]["attributed_to"] == PEER_A
    assert silkcore.validate(kept) == []


def test_received_documents_are_validated_with_pointers(client: TestClient) -> None:
    bad = envelope(dict(ORGANISATION, country="Spain"), "public")
    response = client.post("/documents", json=bad, headers=AS_A)
    assert response.status_code == 422
    assert [e["pointer"] for e in response.json()["errors"]] == ["/payload/country"]
    nan = client.post("/documents", content=b'{"schema": NaN}', headers={**AS_A, "Content-Type": "application/json"})
    assert nan.status_code == 422 and nan.json()["errors"][0]["pointer"] == "/schema"


# -- assessments, history, profile ----------------------------------------------------------


def test_assess_returns_a_score_card(client: TestClient) -> None:
    responses = json.loads((EXAMPLES / "demo" / "response_sets" / "evaluation-grid-board.json").read_text())
    card = client.post("/assess/silk.evaluation-grid", json=responses)
    assert card.status_code == 200 and card.json()["schema"].startswith("silkcore_scorecard-")
    both = json.loads((EXAMPLES / "demo" / "response_sets" / "evaluation-grid-workers.json").read_text())
    assert client.post("/assess/silk.evaluation-grid", json=[responses, both]).status_code == 200
    assert client.post("/assess/no.such-framework", json=responses).status_code == 404
    wrong = client.post("/assess/silk.evaluation-grid", json=[responses, ORGANISATION])
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["pointer"] == "/1/schema"


def test_profile_is_public_data_only(client: TestClient, post: Post) -> None:
    org_id = ORGANISATION["org_id"]
    assert client.get(f"/organisations/{org_id}/profile").status_code == 404
    post(envelope(dict(ORGANISATION, name="Network-only name"), "network"))
    assert client.get(f"/organisations/{org_id}/profile").status_code == 404  # not public: no profile
    post(envelope(ORGANISATION, "public", redacted=("payload.description",)))
    profile = client.get(f"/organisations/{org_id}/profile", headers=AS_A).json()
    assert profile["name"] == ORGANISATION["name"] and profile["country_iso_3166"] == "ES"
    assert "description" not in profile and "members" not in json.dumps(profile)


def test_profile_of_an_organisation_whose_id_is_a_url(client: TestClient, post: Post) -> None:
    org = dict(ORGANISATION, org_id="https://coop.example.org/about")
    post(envelope(org, "public"))
    response = client.get("/organisations/https%3A%2F%2Fcoop.example.org%2Fabout/profile")
    assert response.status_code == 200 and response.json()["primary_url"] == "https://coop.example.org/about"


# -- errors never leak ------------------------------------------------------------------------


def test_an_unexpected_error_is_an_opaque_json_500(client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: Any) -> None:
    node = client.app.state.node  # type: ignore[attr-defined]

    def explode(*args: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(node, "_validate", explode)
    response = client.post("/validate", json=ORGANISATION)
    assert response.status_code == 500 and response.json()["error"] == "internal_error"
    assert "secret" not in response.text and "Traceback" not in response.text
    assert "secret internal detail" in caplog.text  # logged for the operator


def test_unknown_routes_and_methods_answer_json(client: TestClient) -> None:
    assert client.get("/nowhere").json()["error"] == "not_found"
    assert client.get("/frameworks/").status_code == 404  # no redirect
    wrong = client.delete("/frameworks")
    assert wrong.status_code == 405 and "GET" in wrong.headers["allow"] and wrong.json()["error"] == "method_not_allowed"


# -- the OpenAPI description and embedding -------------------------------------------------


def test_openapi_describes_exactly_the_routes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    described = {(path, method.upper()) for path, item in spec["paths"].items() for method in item}
    routed = {
        (route.path.replace(":path", ""), method)
        for route in client.app.routes  # type: ignore[attr-defined]
        for method in route.methods - {"HEAD"}
    }
    assert described == routed


def test_the_app_mounts_inside_another(store_path: Path, peers_path: Path) -> None:
    async def home(request: Any) -> Any:
        from starlette.responses import PlainTextResponse

        return PlainTextResponse("platform")

    platform = Starlette(routes=[Route("/", home), Mount("/silk", app=create_app(store_path, peers_path))])
    with TestClient(platform) as outer:
        assert outer.get("/").text == "platform"
        assert outer.get("/silk/frameworks").status_code == 200
        assert outer.post("/silk/validate", json=ORGANISATION).json() == {"valid": True}


# -- the peers file ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("peers", "pointer"),
    [
        ({"peers": [{"id": PEER_A, "token": "short"}]}, "/peers/0/token"),
        ({"peers": [{"id": "not a url", "token": "x" * 20}]}, "/peers/0/id"),
        ({"peers": [{"id": PEER_A, "token": "x" * 20}, {"id": PEER_A, "token": "y" * 20}]}, "/peers/1/id"),
        ({"peers": [{"id": PEER_A, "token": "x" * 20}, {"id": PEER_B, "token": "x" * 20}]}, "/peers/1"),
        ({"peers": [{"id": PEER_A}]}, "/peers/0"),
        ({"peers": [{"id": PEER_A, "token_sha256": "abc"}]}, "/peers/0/token_sha256"),
        ({"peers": [{"id": PEER_A, "token": "x" * 20, "role": "admin"}]}, "/peers/0/role"),
        ({"friends": []}, ""),
    ],
)
def test_an_unsound_peers_file_is_refused_with_pointers(tmp_path: Path, peers: Any, pointer: str) -> None:
    path = tmp_path / "peers.json"
    path.write_text(json.dumps(peers))
    with pytest.raises(silkcore.DataError) as caught:
        create_app(tmp_path / "s.sqlite", path)
    assert pointer in [e.pointer for e in caught.value.errors]


def test_tokens_are_kept_only_hashed(store_path: Path, peers_path: Path) -> None:
    app = create_app(store_path, peers_path)
    peers = app.state.node.peers
    assert "token-a" not in repr(peers._peers) and all(len(p.token_sha256) == 32 for p in peers._peers)
