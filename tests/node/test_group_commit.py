"""Group commit of publications (:mod:`silkcore.node._writer`), on both stores: publications
queued while a commit is in flight are stored together in the next transaction, each answered
with its own status once that transaction committed; a failed transaction answers every
record of its batch 503 and stores none; the feed follows the commit order; and waiting for
the commit holds no CPU slot. Counted, never timed: the first commit is held at a gate until
the other publications are queued."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from silkcore._store import PutOutcome, RecordPut, Store, records
from silkcore.node import NodeLimits, create_app, load_peers
from silkcore.node._ratelimit import LimitsMiddleware, release_slot
from silkcore.node._writer import MAX_BATCH, Publisher

from .conftest import AS_A, ORGANISATION, envelope

HANG_GUARD = 60.0  # seconds: only a hang takes this long
#: No rate limit or CPU budget, and ONE CPU slot, waited for as long as the hang guard: a
#: publication holding its slot while its commit waits would stop all the others.
LIMITS = NodeLimits(peer_rate=0, anonymous_rate=0, cpu_rate=0, cpu_slots=1, cpu_slot_wait=HANG_GUARD)


class Gate:
    """Stands in for ``Store.put_records``: holds the first call until ``expected`` more
    records are queued, and notes each call's store, records and results."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.real = Store.put_records
        self.entered = threading.Event()  # the first call began
        self.open = threading.Event()
        self.calls: list[tuple[Store, list[str], list[Any]]] = []
        self.before: dict[int, tuple[Store, int]] = {}
        gate = self

        def put_records(store: Store, batch: list[RecordPut]) -> list[Any]:
            return gate.put_records(store, batch)

        monkeypatch.setattr(Store, "put_records", put_records)

    def put_records(self, store: Store, batch: list[RecordPut]) -> list[Any]:
        self.before.setdefault(id(store), (store, store.commits))
        if not self.entered.is_set():
            self.entered.set()
            if not self.open.wait(HANG_GUARD):
                raise AssertionError("the other publications were never queued")
        try:
            results = self.real(store, batch)
        except Exception as exc:
            results = [exc] * len(batch)
            raise
        finally:
            self.calls.append((store, [item.record_id for item in batch], results))
        return results

    @property
    def commits(self) -> int:
        """Commits of records, by the store's own counter (one store object per backend)."""
        return sum(store.commits - before for store, before in self.before.values())


@pytest.fixture
def app(store_path: Path | str, peers_path: Path) -> Iterator[Starlette]:
    made = create_app(store_path, peers_path, limits=LIMITS)
    yield made
    made.state.node.records.publisher.close()
    made.state.node.store.close()


async def publish_together(app: Starlette, gate: Gate, bodies: list[dict[str, Any]]) -> list[httpx.Response]:
    """POST the first body, then the others while its commit is held at the gate; release the
    gate once all of them are queued at the writer."""
    publisher: Publisher = app.state.node.records.publisher
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://node") as client:
        first = asyncio.create_task(client.post("/documents", json=bodies[0], headers=AS_A))
        async with asyncio.timeout(HANG_GUARD):
            while not gate.entered.is_set():
                await asyncio.sleep(0.001)
            others = [asyncio.create_task(client.post("/documents", json=body, headers=AS_A)) for body in bodies[1:]]
            while len(publisher._queue) < len(bodies) - 1:
                await asyncio.sleep(0.001)
                assert not any(task.done() for task in others), [task.result().text for task in others if task.done()]
        gate.open.set()
        return [await first, *[await task for task in others]]


def test_publications_queued_during_a_commit_share_the_next_one(app: Starlette, monkeypatch: pytest.MonkeyPatch) -> None:
    kept = envelope(ORGANISATION, "network")
    new = [envelope(ORGANISATION, "network") for _ in range(6)]
    twice = envelope(ORGANISATION, "network")
    bodies = [
        *new,
        kept,  # stored before: the same version again, 200
        dict(kept, payload=dict(kept["payload"], name="changed")),  # not newer: 409
        dict(
            kept,
            payload=dict(kept["payload"], name="renamed"),
            provenance=dict(kept["provenance"], generated_at="2026-03-01T00:00:00Z"),
        ),
        twice,
        twice,  # in the same batch as its twin: one of the two is 201, the other 200
    ]

    async def scenario() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://node") as client:
            assert (await client.post("/documents", json=kept, headers=AS_A)).status_code == 201
        gate = Gate(monkeypatch)
        answers = await publish_together(app, gate, bodies)
        scenario.gate = gate  # type: ignore[attr-defined]
        return answers

    answers = asyncio.run(scenario())
    gate: Gate = scenario.gate  # type: ignore[attr-defined]
    assert len(bodies) <= MAX_BATCH + 1
    # The first publication committed alone (it started a commit at once); the rest waited for
    # it and were stored together: 2 commits for 11 publications.
    assert [len(ids) for _, ids, _ in gate.calls] == [1, len(bodies) - 1]
    assert gate.commits == 2 < len(bodies)
    codes = [answer.status_code for answer in answers]
    assert codes[:6] == [201] * 6 and codes[6:9] == [200, 409, 201] and sorted(codes[9:]) == [200, 201]
    assert answers[7].json()["error"] == "conflict" and answers[8].json()["version"] == 2

    async def read_back() -> tuple[list[int], list[tuple[str, int]]]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://node") as client:
            reads = [(await client.get(f"/documents/{b['record_id']}", headers=AS_A)).status_code for b in bodies]
            feed = (await client.get("/feed?limit=100", headers=AS_A)).json()
        return reads, [(c["record_id"], c["version"]) for c in feed["items"]]

    reads, feed = asyncio.run(read_back())
    assert reads == [200] * len(bodies)  # every one durable and readable
    # The feed is the commit order: the record stored before, the first batch, then the second
    # batch in the order its records were queued.
    committed = [
        (result.record.record_id, result.record.version)
        for _, _, results in gate.calls
        for result in results
        if isinstance(result, PutOutcome) and result.status != "unchanged"
    ]
    assert feed == [(kept["record_id"], 1), *committed]
    assert len(committed) == 6 + 1 + 1


def test_a_failed_commit_answers_its_whole_batch_503_and_stores_none(app: Starlette, monkeypatch: pytest.MonkeyPatch) -> None:
    bodies = [envelope(ORGANISATION, "network") for _ in range(5)]
    real = records.put_prepared
    written: list[str] = []

    def failing(db: Any, item: RecordPut) -> PutOutcome:
        outcome = real(db, item)
        written.append(item.record_id)
        if len(written) == 4:  # the second batch's third record: its transaction fails
            db.execute("INSERT INTO no_such_table VALUES (1)")  # as a full disk would make it fail
        return outcome

    async def scenario() -> tuple[list[httpx.Response], list[int], list[str], httpx.Response]:
        gate = Gate(monkeypatch)
        monkeypatch.setattr(records, "put_prepared", failing)
        answers = await publish_together(app, gate, bodies)
        monkeypatch.setattr(records, "put_prepared", real)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://node") as client:
            reads = [(await client.get(f"/documents/{b['record_id']}", headers=AS_A)).status_code for b in bodies]
            later = envelope(ORGANISATION, "network")
            after = await client.post("/documents", json=later, headers=AS_A)
            feed = (await client.get("/feed?limit=100", headers=AS_A)).json()
        return answers, reads, [c["record_id"] for c in feed["items"]], after

    answers, reads, feed, after = asyncio.run(scenario())
    assert [a.status_code for a in answers] == [201, 503, 503, 503, 503]
    assert all(a.json()["error"] == "store_unavailable" for a in answers[1:])
    assert reads == [200, 404, 404, 404, 404]  # none of the failed batch was stored
    assert after.status_code == 201
    assert feed == [bodies[0]["record_id"], after.json()["record_id"]]  # and the feed has no gap


def test_the_writer_stores_what_is_queued_before_it_stops(store_path: Path | str) -> None:
    from silkcore._store import prepare
    from silkcore.node._storage import NodeStore

    store = NodeStore(store_path)
    publisher = Publisher(store, max_batch=2)
    items = [
        prepare(envelope(ORGANISATION, "network"), received_from="x", received_at="2026-02-01T00:00:00Z", subject=None,
                publisher_verified=True)
        for _ in range(5)
    ]  # fmt: skip
    futures = [publisher.submit(item) for item in items]
    publisher.close()
    assert [future.result(HANG_GUARD).status for future in futures] == ["created"] * 5
    with pytest.raises(Exception, match="closing"):
        publisher.submit(items[0])
    assert store.backend().count_records() == 5
    store.close()
    with pytest.raises(ValueError):
        Publisher(store, max_batch=0)


def test_a_route_that_gives_its_slot_back_is_charged_for_the_slot_time_only(peers_path: Path) -> None:
    class Clock:
        now = 1000.0

        def __call__(self) -> float:
            return self.now

    clock = Clock()

    async def publish(request: Request) -> Response:
        clock.now += 0.4  # checking the document
        release_slot(request.scope)
        release_slot(request.scope)  # twice: nothing more happens
        clock.now += 100.0  # waiting for the disk: no slot, not charged
        return JSONResponse({"ok": True})

    limits = NodeLimits(cpu_rate=1e-9, cpu_burst=1.0, peer_rate=0, anonymous_rate=0, cpu_slots=1, cpu_slot_wait=0.05)
    app = LimitsMiddleware(
        Starlette(routes=[Route("/documents", publish, methods=["POST"])]), limits=limits, peers=load_peers(peers_path),
        clock=clock,
    )  # fmt: skip

    async def scenario() -> list[int]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://node") as client:
            return [(await client.post("/documents", content=b"{}", headers=AS_A)).status_code for _ in range(4)]

    # Charged 0.4 s each (not 100.4): the budget of 1 s allows three, and refuses the fourth.
    assert asyncio.run(scenario()) == [200, 200, 200, 429]


def test_a_publication_whose_client_went_away_is_stored_all_the_same(store_path: Path | str) -> None:
    from silkcore._store import prepare
    from silkcore.node._storage import NodeStore

    store = NodeStore(store_path)
    publisher = Publisher(store)
    item = prepare(
        envelope(ORGANISATION, "network"), received_from="x", received_at="2026-02-01T00:00:00Z", subject=None,
        publisher_verified=True,
    )  # fmt: skip

    async def scenario() -> bool:
        task = asyncio.create_task(publisher.put(item))
        await asyncio.sleep(0)  # queued: the task now waits for its commit
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            return True
        return False  # committed before the cancel arrived: stored too

    asyncio.run(scenario())
    publisher.close()  # after the loop closed: its answer is dropped, the record kept
    assert store.backend().record(item.record_id) is not None
    store.close()
