"""Reading records fast without reading them wrong: the node keeps what it made of each version
it served (by version hash), answers a kept version on SQLite without a thread hop, identifies
the caller once per request, and still decides withdrawal, audience and expiry on every read.
Nothing here is timed: the hops, look-ups and hashes are counted."""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import silkcore.node._records as records_module
from silkcore._sharing import content_hash
from silkcore._store import StoredRecord
from silkcore.node import _access
from silkcore.node._auth import Peers
from silkcore.node._kept import KeptVersions
from silkcore.testing import catalog_with

from .conftest import AS_A, AS_B, FLOW, ORGANISATION, PEER_A, TestClient, envelope, in_days

Post = Callable[[dict[str, Any]], str]


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the functions the record routes hand to the thread pool, in order."""
    seen: list[str] = []
    original = records_module.run_in_threadpool

    async def counted(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        seen.append(getattr(function, "__name__", repr(function)))
        return await original(function, *args, **kwargs)

    monkeypatch.setattr(records_module, "run_in_threadpool", counted)
    return seen


def is_sqlite(store_path: Path | str) -> bool:
    return not str(store_path).startswith("postgresql")


def test_a_version_already_served_is_answered_without_a_thread_hop_on_sqlite(
    client: TestClient, post: Post, hops: list[str], store_path: Path | str
) -> None:
    record_id = post(envelope(ORGANISATION, "network"))
    hops.clear()
    first = client.get(f"/documents/{record_id}", headers=AS_A)
    assert first.status_code == 200 and hops == ["_read"]  # a first read parses and checks: in a thread
    for _ in range(5):
        again = client.get(f"/documents/{record_id}", headers=AS_A)
        assert again.content == first.content and again.headers == first.headers
    # SQLite: read on the event loop, no hop; PostgreSQL waits on a server: always in a thread.
    assert hops == ["_read"] if is_sqlite(store_path) else ["_read"] * 6
    body = first.json()
    assert body["provenance"]["content_hash"] == content_hash(body["payload"])
    assert first.headers["Silk-Record-Version"] == "1" and first.headers["Cache-Control"] == "no-store"
    assert first.headers["Content-Type"] == "application/json" and first.headers["X-Content-Type-Options"] == "nosniff"


def test_the_caller_is_identified_once_per_request(
    client: TestClient, post: Post, monkeypatch: pytest.MonkeyPatch, store_path: Path | str
) -> None:
    record_id = post(envelope(ORGANISATION, "network"))
    calls: list[str | None] = []
    original = Peers.identify

    def counted(self: Peers, authorization: str | None) -> Any:
        calls.append(authorization)
        return original(self, authorization)

    monkeypatch.setattr(Peers, "identify", counted)
    for _ in range(3):
        assert client.get(f"/documents/{record_id}", headers=AS_A).status_code == 200
    assert len(calls) == 3
    # A token the node does not know is still refused by the route (asked twice: the middleware
    # limits such a caller by address, then the route answers 401).
    assert client.get(f"/documents/{record_id}", headers={"Authorization": "Bearer " + "x" * 20}).status_code == 401


def test_kept_versions_still_check_the_caller_on_every_read(client: TestClient, post: Post) -> None:
    record_id = post(envelope(ORGANISATION, "network", audience=(PEER_A,)))
    for _ in range(2):
        assert client.get(f"/documents/{record_id}", headers=AS_A).status_code == 200
        assert client.get(f"/documents/{record_id}", headers=AS_B).status_code == 404  # not in the audience
        assert client.get(f"/documents/{record_id}").status_code == 404  # anonymous
        assert client.get(f"/documents/{record_id}", headers=AS_A).status_code == 200


def test_a_redacted_version_is_kept_redacted(client: TestClient, post: Post) -> None:
    record_id = post(envelope(FLOW, "network", redacted=("payload.amount",)))
    answers = [client.get(f"/documents/{record_id}", headers=headers) for headers in (AS_B, AS_A, AS_B)]
    assert all(a.status_code == 200 for a in answers)
    assert answers[0].content == answers[1].content == answers[2].content
    got = answers[2].json()
    assert "amount" not in got["payload"] and got["provenance"]["content_hash"] == content_hash(got["payload"])
    assert client.get(f"/documents/{record_id}").status_code == 404


def test_withdrawal_and_new_versions_are_seen_after_a_version_was_kept(client: TestClient, post: Post) -> None:
    first = envelope(ORGANISATION, "network")
    record_id = post(first)
    assert client.get(f"/documents/{record_id}", headers=AS_A).json()["payload"]["name"] == ORGANISATION["name"]
    newer = dict(first, provenance={**first["provenance"], "generated_at": "2026-02-01T00:00:00Z"})
    newer["payload"] = {**first["payload"], "name": "A newer name"}
    assert client.post("/documents", json=newer, headers=AS_A).status_code == 201
    latest = client.get(f"/documents/{record_id}", headers=AS_A)
    assert latest.json()["payload"]["name"] == "A newer name" and latest.headers["Silk-Record-Version"] == "2"
    assert client.get(f"/documents/{record_id}?version=1", headers=AS_A).json()["payload"]["name"] == ORGANISATION["name"]
    assert client.delete(f"/documents/{record_id}", headers=AS_A).status_code == 200
    for path in (f"/documents/{record_id}", f"/documents/{record_id}?version=1"):
        assert client.get(path, headers=AS_A).status_code == 410


def test_expiry_is_decided_on_every_read(client: TestClient, post: Post, monkeypatch: pytest.MonkeyPatch) -> None:
    record_id = post(envelope(ORGANISATION, "public", expires_at=in_days(1)))
    for _ in range(2):
        assert client.get(f"/documents/{record_id}").status_code == 200

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Later:  # type: ignore[override]
            return dt.datetime.now(tz) + dt.timedelta(days=2)  # type: ignore[return-value]

    later = types.SimpleNamespace(datetime=Later, UTC=dt.UTC, timedelta=dt.timedelta)
    monkeypatch.setattr(_access, "dt", later)
    monkeypatch.setattr(records_module, "dt", later)
    assert client.get(f"/documents/{record_id}").status_code == 404


def record(n: int, size: int = 10) -> StoredRecord:
    document = envelope({**ORGANISATION, "description": {"en": "x" * size}}, "public")
    return StoredRecord(
        document["record_id"], 1, document, f"sha256:{n:064x}", PEER_A, ORGANISATION["schema"], None, "public",
        "2026-01-01T00:00:00Z", PEER_A, "2026-01-02T00:00:00Z", True, None,
    )  # fmt: skip


def test_kept_versions_are_bounded_in_entries_and_bytes() -> None:
    kept = KeptVersions(max_entries=3, max_bytes=1_000_000)
    for n in range(5):
        kept.keep(record(n))
    assert len(kept) == 3 and kept.get(f"sha256:{0:064x}") is None and kept.get(f"sha256:{4:064x}") is not None
    small = KeptVersions(max_entries=100, max_bytes=20_000)
    for n in range(10):
        one = record(n, size=3000)
        version = small.keep(one)
        small.write(one.version_hash, version, one.envelope)
        assert small.size <= small.max_bytes
    assert 0 < len(small) < 10
    assert small.get(f"sha256:{9:064x}") is not None  # the most recent stays


def test_the_access_log_is_off_by_default_and_switchable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import inspect

    import silkcore.node
    from silkcore._cli import build_cli
    from silkcore.node._server import serve

    assert inspect.signature(serve).parameters["access_log"].default is False
    seen: list[bool] = []
    monkeypatch.setattr(silkcore.node, "serve", lambda *args, **kwargs: seen.append(kwargs["access_log"]))
    cli = build_cli(catalog_with())
    store = str(tmp_path / "node.sqlite")
    for options in ([], ["--access-log"], ["--no-access-log"]):
        result = CliRunner().invoke(cli, ["serve", "--store", store, *options])
        assert result.exit_code == 0, result.output
    assert seen == [False, True, False]
    help_text = " ".join(CliRunner().invoke(cli, ["serve", "--help"]).output.split())
    assert "--access-log / --no-access-log" in help_text and "Off by default" in help_text
