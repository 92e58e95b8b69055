"""The node's view of the store: one SQLite store per thread, one shared pool for PostgreSQL."""

from __future__ import annotations

import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from silkcore._store import Store, open_store
from silkcore._store.postgres import PostgresStore
from silkcore.node._storage import NodeStore

from .conftest import envelope, put


def backends_of_two_threads(node: NodeStore) -> list[Store]:
    barrier = threading.Barrier(2)

    def backend(_: int) -> Store:
        barrier.wait(timeout=30)  # both threads alive at once: two distinct threads
        return node.backend()

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(backend, range(2)))


def test_each_thread_gets_the_store_it_should_use(store_location: str) -> None:
    node = NodeStore(store_location)
    try:
        first, second = backends_of_two_threads(node)
        if store_location.startswith("postgresql://"):
            assert first is second is node.backend() and first.thread_safe
        else:
            assert first is not second and not first.thread_safe
            assert node.backend() is node.backend() is node.store()
    finally:
        node.close()


def test_a_records_write_from_many_threads_loses_nothing(store_location: str) -> None:
    node = NodeStore(store_location)
    try:
        with ThreadPoolExecutor(8) as pool:
            outcomes = list(pool.map(lambda n: put(node.backend(), envelope(f"urn:test:{n}")).status, range(80)))
        assert outcomes == ["created"] * 80
        assert [c.seq for c in node.backend().changes(0, 1000)] == list(range(1, 81))
    finally:
        node.close()


def test_the_node_serves_over_postgresql(postgres_url: str, tmp_path: Path) -> None:
    """create_app takes the URL as it takes a path: a peer publishes, then reads its record back."""
    from ..node.conftest import AS_A, ORGANISATION, PEER_A, write_peers
    from ..node.conftest import envelope as node_envelope

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Starlette prefers httpx2 for its test client
        from starlette.testclient import TestClient

        from silkcore.node import create_app

        app = create_app(postgres_url, write_peers(tmp_path / "peers.json"))
        assert isinstance(app.state.node.store.backend(), PostgresStore)
        document = dict(node_envelope(ORGANISATION, "network"), publisher={"id": PEER_A})
        with TestClient(app, raise_server_exceptions=False) as client:
            posted = client.post("/documents", json=document, headers=AS_A)
            assert posted.status_code == 201, posted.text
            got = client.get(f"/documents/{document['record_id']}", headers=AS_A)
            assert got.status_code == 200 and got.json()["record_id"] == document["record_id"]
    with open_store(postgres_url) as store:
        record = store.record(document["record_id"])
        assert record is not None and record.received_from == PEER_A
