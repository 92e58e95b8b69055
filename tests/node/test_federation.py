"""A node platforms can trust: provenance bound to the sender, signed relays, one identity
per record with versions, withdrawals, the feed, and one visibility rule on every route."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import silkcore
from silkcore._store import open_store
from silkcore.node import create_app

from ..conftest import EXAMPLES
from .conftest import AS_A, AS_B, ORGANISATION, PEER_A, PEER_B, TestClient, envelope, write_peers

ORG = ORGANISATION["org_id"]
AS_NOBODY: dict[str, str] = {}


def records(store_path: Path) -> list[Any]:
    """Every record version in the store, oldest change first."""
    with open_store(store_path) as store:
        return [change.record for change in store.changes(0, 10_000)]


def later(document: dict[str, Any], when: str, **payload: Any) -> dict[str, Any]:
    """A new version of ``document``: generated at ``when``, with ``payload`` changes."""
    newer = copy.deepcopy(document)
    newer["provenance"]["generated_at"] = when
    newer["payload"].update(payload)
    return newer


# -- provenance bound to the sender ---------------------------------------------------------


def test_a_peer_cannot_publish_as_another(client: TestClient, store_path: Path) -> None:
    original = envelope(ORGANISATION, "public")
    assert client.post("/documents", json=original, headers=AS_A).status_code == 201
    before = client.get(f"/organisations/{ORG}/profile").json()
    forged = envelope(dict(ORGANISATION, name="HIJACKED", description={"en": "Pay your dues at https://evil.example/"}), "public")
    response = client.post("/documents", json=forged, headers=AS_B)  # names peer A as publisher
    assert response.status_code == 403
    assert response.json()["errors"][0]["pointer"] == "/publisher/id"
    assert len(records(store_path)) == 1  # nothing stored
    assert client.get(f"/organisations/{ORG}/profile").json() == before
    assert "HIJACKED" not in json.dumps(client.get("/feed", headers=AS_B).json())


def test_every_stored_record_shows_who_sent_it(client: TestClient, store_path: Path) -> None:
    client.post("/documents", json=envelope(ORGANISATION, "public"), headers=AS_A)
    client.post("/documents", json=envelope(ORGANISATION, "network", publisher=PEER_B), headers=AS_B)
    client.post("/documents", json=ORGANISATION, headers=AS_B)  # a bare document, wrapped
    stored = records(store_path)
    assert [r.received_from for r in stored] == [PEER_A, PEER_B, PEER_B]
    assert all(r.received_at and r.publisher_verified for r in stored)
    shown = client.get(f"/documents/{stored[0].record_id}", headers=AS_B)
    assert shown.headers["silk-received-from"] == PEER_A and shown.headers["silk-record-version"] == "1"


def test_the_same_envelope_twice_is_one_record_under_its_own_id(client: TestClient, store_path: Path) -> None:
    document = envelope(ORGANISATION, "public")
    first = client.post("/documents", json=document, headers=AS_A)
    again = [client.post("/documents", json=document, headers=AS_A) for _ in range(5)]
    assert first.status_code == 201 and first.json()["record_id"] == document["record_id"]
    assert {r.status_code for r in again} == {200} and {r.json()["status"] for r in again} == {"unchanged"}
    assert len(records(store_path)) == 1
    assert client.get(f"/documents/{document['record_id']}").json() == document | {
        "provenance": document["provenance"] | {"content_hash": silkcore_hash(document)}
    }


def silkcore_hash(document: dict[str, Any]) -> str:
    from silkcore._sharing import content_hash

    return content_hash(document["payload"])


def test_versions_by_generation_time_and_conflicts(client: TestClient) -> None:
    v1 = envelope(ORGANISATION, "public", generated_at="2026-01-01T00:00:00Z")
    v2 = later(v1, "2026-02-01T00:00:00Z", name="Sol del Valle (renamed)")
    stale = later(v1, "2025-12-01T00:00:00Z", name="An older idea")
    same_time = later(v1, "2026-01-01T00:00:00Z", name="A different content at the same time")
    assert client.post("/documents", json=v1, headers=AS_A).status_code == 201
    created = client.post("/documents", json=v2, headers=AS_A)
    assert created.status_code == 201 and created.json()["version"] == 2 and created.json()["status"] == "new_version"
    record = f"/documents/{v1['record_id']}"
    assert client.get(record).json()["payload"]["name"] == "Sol del Valle (renamed)"
    assert client.get(record + "?version=1").json()["payload"]["name"] == ORGANISATION["name"]
    assert client.get(record + "?version=3").status_code == 404
    assert client.get(record + "?version=zero").status_code == 400
    for conflicting in (stale, same_time):
        assert client.post("/documents", json=conflicting, headers=AS_A).status_code == 409
    taken = dict(copy.deepcopy(v1), publisher={"id": PEER_B})  # B reuses A's record id
    assert client.post("/documents", json=taken, headers=AS_B).status_code == 409
    assert client.get(record).json()["payload"]["name"] == "Sol del Valle (renamed)"


# -- signatures ---------------------------------------------------------------------------------


@pytest.fixture
def signer() -> silkcore.SigningKey:
    return silkcore.new_signing_key()


@pytest.fixture
def signed_client(tmp_path: Path, store_path: Path, signer: silkcore.SigningKey) -> Iterator[TestClient]:
    """A node whose peers file lists a publisher that is not a peer, with its signing key."""
    publisher = {"id": "https://federation.example.coop/", "keys": [signer.did], "trusted_for": [ORG]}
    peers = write_peers(tmp_path / "signed-peers.json", publishers=[publisher])
    with TestClient(create_app(store_path, peers), raise_server_exceptions=False) as test_client:
        yield test_client


def test_a_signed_record_can_be_relayed_by_another_peer(signed_client: TestClient, signer: silkcore.SigningKey) -> None:
    federation = "https://federation.example.coop/"
    document = silkcore.sign_envelope(envelope(ORGANISATION, "public", publisher=federation), signer)
    relayed = signed_client.post("/documents", json=document, headers=AS_B)
    assert relayed.status_code == 201, relayed.text
    kept = signed_client.get(f"/documents/{document['record_id']}").json()
    assert kept == document and silkcore.verify_envelope(kept) == signer.did  # the proof travels intact
    assert signed_client.get(f"/organisations/{ORG}/profile").status_code == 200  # trusted for the organisation


def test_a_signature_by_another_key_or_a_damaged_one_is_refused(
    signed_client: TestClient, signer: silkcore.SigningKey, store_path: Path
) -> None:
    federation = "https://federation.example.coop/"
    by_stranger = silkcore.sign_envelope(envelope(ORGANISATION, "public", publisher=federation), silkcore.new_signing_key())
    response = signed_client.post("/documents", json=by_stranger, headers=AS_B)
    assert response.status_code == 403 and response.json()["errors"][0]["pointer"] == "/proof/verificationMethod"
    damaged = silkcore.sign_envelope(envelope(ORGANISATION, "public", publisher=federation), signer)
    damaged["payload"]["name"] = "Sol del Valle!"
    damaged["provenance"]["content_hash"] = silkcore_hash(damaged)  # a careful forger fixes the hash too
    response = signed_client.post("/documents", json=damaged, headers=AS_B)
    assert response.status_code == 422 and response.json()["errors"][0]["pointer"].startswith("/proof")
    assert records(store_path) == []


def test_a_did_key_publisher_proves_itself(client: TestClient, signer: silkcore.SigningKey) -> None:
    document = silkcore.sign_envelope(envelope(ORGANISATION, "network", publisher=signer.did), signer)
    assert client.post("/documents", json=document, headers=AS_B).status_code == 201


# -- withdrawal ---------------------------------------------------------------------------------


def test_only_the_publisher_withdraws_and_a_tombstone_stays_in_the_feed(client: TestClient) -> None:
    document = envelope(ORGANISATION, "network")
    client.post("/documents", json=document, headers=AS_A)
    path = f"/documents/{document['record_id']}"
    assert client.delete(path).status_code == 401
    assert client.delete(path, headers=AS_B).status_code == 403  # B can see it but did not publish it
    withdrawn = client.delete(path, headers=AS_A)
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    assert client.get(path, headers=AS_B).status_code == 410
    assert client.get(path).status_code == 404  # the public never saw it
    assert client.delete(path, headers=AS_A).status_code == 410
    assert client.post("/documents", json=later(document, "2027-01-01T00:00:00Z"), headers=AS_A).status_code == 409
    items = client.get("/feed", headers=AS_B).json()["items"]
    assert [(i["record_id"], i["withdrawn"]) for i in items] == [(document["record_id"], False), (document["record_id"], True)]
    assert client.get("/feed").json()["items"] == []
    unknown = f"/documents/urn:uuid:{uuid.uuid4()}"
    assert client.delete(unknown, headers=AS_A).status_code == 404


# -- the feed -----------------------------------------------------------------------------------


def test_the_feed_pages_what_the_caller_may_see_with_opaque_cursors(client: TestClient) -> None:
    posted = []
    for index, level in enumerate(["public", "private", "network", "public", "bilateral", "public", "network"]):
        audience = (PEER_B,) if level == "bilateral" else ()
        document = envelope(dict(ORGANISATION, name=f"Organisation {index}"), level, audience=audience)
        client.post("/documents", json=document, headers=AS_A)
        posted.append((document["record_id"], level))
    for headers, levels in ((AS_NOBODY, {"public"}), (AS_B, {"public", "network", "bilateral"}), (AS_A, {"public", "network"})):
        seen, cursor, pages = [], "", 0
        while True:
            page = client.get("/feed", params={"after": cursor, "limit": 2}, headers=headers).json()
            seen += [item["record_id"] for item in page["items"]]
            cursor, pages = page["next"], pages + 1
            if not page["more"]:
                break
        assert seen == [record for record, level in posted if level in levels]
        assert client.get("/feed", params={"after": cursor}, headers=headers).json()["items"] == []  # nothing new
    item = client.get("/feed", params={"limit": 1}).json()["items"][0]
    assert set(item) == {"record_id", "version", "schema", "publisher", "changed_at", "withdrawn", "content_hash"}
    for bad in ("nonsense!", "c2lsa2ZlZWQxOnh5eg", "x" * 100):
        assert client.get("/feed", params={"after": bad}).status_code == 400
    assert client.get("/feed", params={"limit": 0}).status_code == 400


# -- one visibility rule: purposes, histories ------------------------------------------------


def test_purposes_limit_who_sees_a_record_on_every_route(client: TestClient) -> None:
    document = envelope(ORGANISATION, "network", purposes=("research",))
    client.post("/documents", json=document, headers=AS_A)
    path = f"/documents/{document['record_id']}"
    assert client.get(path, headers=AS_A).status_code == 200  # A declared research
    assert client.get(path, headers=AS_B).status_code == 404  # B declared statistics only
    assert client.get("/feed", headers=AS_B).json()["items"] == []
    assert len(client.get("/feed", headers=AS_A).json()["items"]) == 1


def card_envelope(level: str, publisher: str = PEER_A) -> dict[str, Any]:
    """The demo organisation's evaluation-grid score card in an envelope (peer A is trusted for it)."""
    sets = [silkcore.load_document(p) for p in sorted((EXAMPLES / "demo" / "response_sets").glob("evaluation-grid-*.json"))]
    return envelope(silkcore.to_document(silkcore.assess("silk.evaluation-grid", sets)), level, publisher=publisher)


def test_a_peers_history_holds_no_private_score_card(client: TestClient, store_path: Path) -> None:
    sets = [silkcore.load_document(p) for p in sorted((EXAMPLES / "demo" / "response_sets").glob("evaluation-grid-*.json"))]
    card = silkcore.assess("silk.evaluation-grid", sets)
    with silkcore.Store(store_path) as store:  # the operator's own history: private
        store.record_assessment(sets, card)
    org = card.subject.org_id
    private, shared = card_envelope("private"), card_envelope("network")
    for document in (private, shared):
        assert client.post("/documents", json=document, headers=AS_A).status_code == 201
    for headers in (AS_A, AS_B):
        rows = client.get(f"/organisations/{org}/history", headers=headers).json()["assessments"]
        assert [row["assessment_id"] for row in rows] == [shared["record_id"]]
    assert client.get(f"/organisations/{org}/history").json()["assessments"] == []  # network is not public


def test_histories_and_profiles_come_only_from_trusted_publishers(client: TestClient) -> None:
    untrusted = card_envelope("public", publisher=PEER_B)
    assert client.post("/documents", json=untrusted, headers=AS_B).status_code == 201
    org = untrusted["payload"]["subject"]["org_id"]
    assert client.get(f"/organisations/{org}/history").json()["assessments"] == []
    client.post("/documents", json=envelope(ORGANISATION, "public", publisher=PEER_B), headers=AS_B)
    assert client.get(f"/organisations/{ORG}/profile").status_code == 404  # B is not trusted for it
