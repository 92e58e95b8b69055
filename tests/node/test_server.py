"""A real node (``serve`` in a subprocess, on a free loopback port, with outbound connections
cut by the audit-hook guard): it answers, enforces sharing per peer, and loses no write
when many clients and two node processes write to one store at once."""

from __future__ import annotations

import concurrent.futures
import importlib.util
import json
import socket
import subprocess
from pathlib import Path

import httpx
import pytest

from silkcore._store import open_store

from ..conftest import ROOT
from .conftest import AS_A, AS_B, FLOW_ENVELOPE, ORGANISATION, TOKEN_B, RunningNode, envelope, write_peers

THREADS = 12
PER_THREAD = 15


def test_frameworks_answer(running_node: RunningNode, loopback: None) -> None:
    response = httpx.get(f"{running_node.url}/frameworks", timeout=10)
    assert response.status_code == 200
    assert "silk.evaluation-grid" in [row["id"] for row in response.json()]
    assert "server" not in response.headers  # no software banner


def test_sharing_over_http(running_node: RunningNode, loopback: None) -> None:
    with httpx.Client(base_url=running_node.url, timeout=10) as http:
        network = http.post("/documents", json=envelope(ORGANISATION, "network"), headers=AS_A).json()["record_id"]
        private = http.post("/documents", json=envelope(ORGANISATION, "private"), headers=AS_A).json()["record_id"]
        assert http.get(f"/documents/{network}", headers=AS_B).status_code == 200
        assert http.get(f"/documents/{network}").status_code == 404
        for headers in ({}, AS_A, AS_B):
            assert http.get(f"/documents/{private}", headers=headers).status_code == 404
        nan = http.post("/validate", content=b'{"schema": "silkcore_organisation-v1.0.0", "workers": NaN}')
        assert nan.status_code == 422 and nan.json()["errors"][0]["pointer"] == "/workers"


def test_concurrent_writes_lose_nothing(store_path: Path | str, loopback: None, tmp_path: Path) -> None:
    """Two node processes on one store (SQLite file or PostgreSQL database), many clients."""
    store, peers = store_path, write_peers(tmp_path / "peers.json")
    first = RunningNode(store, peers, tmp_path / "first.log")
    second = RunningNode(store, peers, tmp_path / "second.log")  # another process on the same store
    try:
        with open_store(store) as opened:
            before = opened.count_records()

        def send(worker: int) -> list[str]:
            url = (first.url, second.url)[worker % 2]
            with httpx.Client(base_url=url, timeout=30) as http:
                ids = []
                for _ in range(PER_THREAD):
                    response = http.post("/documents", json=envelope(ORGANISATION, "network"), headers=AS_A)
                    assert response.status_code == 201, response.text
                    ids.append(response.json()["record_id"])
                return ids

        with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
            ids = [i for batch in pool.map(send, range(THREADS)) for i in batch]
    finally:
        first.stop()
        second.stop()
    assert len(set(ids)) == THREADS * PER_THREAD
    with open_store(store) as opened:
        assert opened.count_records() == before + THREADS * PER_THREAD
        assert opened.integrity() == "ok"
        assert all(opened.record(i).envelope["sharing"]["level"] == "network" for i in ids)
        seqs = [change.seq for change in opened.changes(0, 100_000)]
        assert seqs == list(range(1, len(seqs) + 1))  # the feed's order has no gap


def _bench() -> object:
    spec = importlib.util.spec_from_file_location("bench_node", ROOT / "benchmarks" / "bench_node.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_load_on_loopback(running_node: RunningNode, loopback: None, capsys: pytest.CaptureFixture[str]) -> None:
    """A short run of the load test: every answer a success (figures are printed, not asserted)."""
    bench = _bench()
    with httpx.Client(base_url=running_node.url, timeout=10) as http:
        record = http.post("/documents", json=envelope(ORGANISATION, "network"), headers=AS_A).json()["record_id"]
    scenarios = {
        "POST /validate": lambda c: c.post("/validate", json=ORGANISATION),
        "GET /documents/{id}": lambda c: c.get(f"/documents/{record}", headers=AS_A),
    }
    for label, request in scenarios.items():
        latencies, failures = bench.drive(running_node.url, request, 2.0, 8)  # type: ignore[attr-defined]
        assert failures == 0 and len(latencies) > 50
        with capsys.disabled():
            print()
            bench.report(label, latencies, failures, 2.0)  # type: ignore[attr-defined]


def test_the_loopback_fixture_still_forbids_other_hosts(loopback: None) -> None:
    with pytest.raises(AssertionError, match="beyond loopback"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)


def test_a_javascript_peer_validates_what_it_receives(running_node: RunningNode, loopback: None, node_tools: Path) -> None:
    """A peer in another language (Node.js + Ajv) fetches the schemas from the node, reads a
    network record with its token, validates envelope and payload and checks the content hash."""
    with httpx.Client(base_url=running_node.url, timeout=10) as http:
        record = http.post("/documents", json=FLOW_ENVELOPE, headers=AS_A).json()["record_id"]
    result = subprocess.run(
        [
            "node",
            str(Path(__file__).parent / "js" / "peer-client.mjs"),
            str(node_tools / "node_modules"),
            running_node.url,
            TOKEN_B,
            record,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert (seen["status"], seen["anonymous_status"]) == (200, 404)
    assert seen["envelope_valid"] and seen["payload_valid"] and seen["hash_ok"], seen["errors"]
    assert seen["redacted"] == ["payload.amount"] and "amount" not in seen["payload_keys"]
