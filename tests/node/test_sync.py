"""Two nodes on loopback: ``silk sync`` copies exactly what one node shows the other, once;
private records never move, withdrawals follow, and the sharing terms travel with the records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import silkcore
from silkcore._cli import main
from silkcore._store import open_store
from silkcore.node import create_app

from .conftest import AS_A, AS_B, ORGANISATION, PEER_A, PEER_B, TOKEN_B, RunningNode, TestClient, envelope, write_peers


@pytest.fixture
def node_a(tmp_path: Path) -> Iterator[RunningNode]:
    """Node A, a real ``silk serve`` in a subprocess, where peer A publishes and peer B reads."""
    node = RunningNode(tmp_path / "a.sqlite", write_peers(tmp_path / "a-peers.json"), tmp_path / "a.log")
    yield node
    node.stop()


def publish(node: RunningNode, signer: silkcore.SigningKey) -> dict[str, tuple[str, ...]]:
    """Records of every kind on node A; returns record ids by what B should get."""
    kinds: dict[str, dict[str, Any]] = {
        "public": envelope(dict(ORGANISATION, name="Public"), "public"),
        "network": envelope(dict(ORGANISATION, name="Network"), "network"),
        "bilateral_b": envelope(dict(ORGANISATION, name="For B"), "bilateral", audience=(PEER_B,)),
        "bilateral_a": envelope(dict(ORGANISATION, name="For A"), "bilateral", audience=(PEER_A,)),
        "private": envelope(dict(ORGANISATION, name="Private"), "private"),
        "research_only": envelope(dict(ORGANISATION, name="Research"), "network", purposes=("research",)),
        "signed": silkcore.sign_envelope(envelope(dict(ORGANISATION, name="Signed"), "network", publisher=signer.did), signer),
    }
    with httpx.Client(base_url=node.url, timeout=30) as http:
        for document in kinds.values():
            assert http.post("/documents", json=document, headers=AS_A).status_code == 201
        http.post("/documents", json=ORGANISATION, headers=AS_A)  # a bare document: kept private
    seen_by_b = ("public", "network", "bilateral_b", "signed")
    return {
        "moves": tuple(kinds[k]["record_id"] for k in seen_by_b),
        "stays": tuple(kinds[k]["record_id"] for k in kinds if k not in seen_by_b),
    }


def sync_json(node: RunningNode, store: Path | str, capsys: Any) -> tuple[int, dict[str, Any]]:
    """``silk sync --json`` from ``node`` into ``store`` as peer B: exit code and report."""
    argv = ["sync", node.url, "--token", TOKEN_B, "--store", str(store), "--source-id", "https://node-a.example.org/", "--json"]
    code = main(argv)
    return code, json.loads(capsys.readouterr().out)


def stored(store: Path | str) -> dict[str, Any]:
    with open_store(store) as handle:
        return {c.record_id: handle.record(c.record_id) for c in handle.changes(0, 10_000)}


def test_sync_copies_exactly_what_the_node_shows_us(
    node_a: RunningNode, store_path: Path | str, loopback: None, tmp_path: Path, capsys: Any
) -> None:
    """Into B's store, an SQLite file or a PostgreSQL database."""
    signer = silkcore.new_signing_key()
    expected = publish(node_a, signer)
    store_b = store_path
    code, first = sync_json(node_a, store_b, capsys)
    assert code == 0
    assert first["stored"] == len(expected["moves"]) and first["refused"] == []
    copied = stored(store_b)
    assert set(copied) == set(expected["moves"])  # exactly what A shows B: no private, no one else's
    assert {r.received_from for r in copied.values()} == {"https://node-a.example.org/"}
    proven = {record_id for record_id, r in copied.items() if r.publisher_verified}
    assert proven == {expected["moves"][-1]}  # only the signed record proves its publisher here
    with httpx.Client(base_url=node_a.url, timeout=30) as http:  # B's copy is what A served B
        for record_id, record in copied.items():
            assert record.envelope == http.get(f"/documents/{record_id}", headers=AS_B).json()

    # A second run pulls nothing.
    code, second = sync_json(node_a, store_b, capsys)
    assert code == 0
    assert (second["stored"], second["new_versions"], second["unchanged"], second["withdrawn"]) == (0, 0, 0, 0)

    # A withdrawal on A reaches B as a tombstone.
    gone = expected["moves"][1]
    with httpx.Client(base_url=node_a.url, timeout=30) as http:
        assert http.delete(f"/documents/{gone}", headers=AS_A).status_code == 200
    code, third = sync_json(node_a, store_b, capsys)
    assert code == 0
    assert third["withdrawn"] == 1
    assert stored(store_b)[gone].withdrawn_at is not None

    # B serves what it received no wider than it was given: the network record is not public there.
    with TestClient(create_app(store_b, write_peers(tmp_path / "b-peers.json")), raise_server_exceptions=False) as node_b:
        public, network = expected["moves"][0], expected["moves"][2]
        assert node_b.get(f"/documents/{public}").status_code == 200
        assert node_b.get(f"/documents/{network}").status_code == 404
        assert node_b.get(f"/documents/{network}", headers=AS_B).status_code == 200


def test_sync_refuses_a_bad_token_and_an_unreachable_node(
    node_a: RunningNode, loopback: None, tmp_path: Path, capsys: Any
) -> None:
    store_b = tmp_path / "b.sqlite"
    assert main(["sync", node_a.url, "--token", "not-a-known-token-at-all", "--store", str(store_b)]) == 1
    assert "401" in capsys.readouterr().err
    assert main(["sync", "ftp://127.0.0.1/", "--token", TOKEN_B, "--store", str(store_b)]) == 1
    assert "only http and https" in capsys.readouterr().err
