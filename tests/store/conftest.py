"""Store fixtures: every store test runs on SQLite and on PostgreSQL (``store_location``)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from silkcore._store import PutOutcome, Store, open_store

BACKENDS = ["sqlite", "postgresql"]
PUBLISHER = "https://publisher.example.org/"
SENDER = "https://peer-a.example.org/"
ORG = "urn:silk:org:test:one"


@pytest.fixture(params=BACKENDS)
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a fresh store lives: a file path (SQLite) or a new database's URL (PostgreSQL)."""
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite")
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    """An open, empty store on each backend."""
    with open_store(store_location) as opened:
        yield opened


def envelope(
    record_id: str = "urn:test:record:1",
    *,
    publisher: str = PUBLISHER,
    generated_at: str = "2026-01-01T00:00:00Z",
    name: str = "Cooperativa Uno",
    schema: str = "silkcore_organisation-v1.0.0",
    level: str = "public",
    org: str = ORG,
) -> dict[str, Any]:
    """An envelope as the node keeps it (the store checks only the fields it indexes)."""
    return {
        "schema": "silkcore_envelope-v1.0.0",
        "record_id": record_id,
        "payload_schema": schema,
        "publisher": {"id": publisher},
        "provenance": {"generated_at": generated_at, "method": "self_declared"},
        "sharing": {"level": level},
        "payload": {"schema": schema, "org_id": org, "name": name},
    }


def put(
    store: Store,
    document: dict[str, Any],
    *,
    sender: str = SENDER,
    at: str = "2026-02-01T00:00:00Z",
    subject: str | None = ORG,
    verified: bool = True,
) -> PutOutcome:
    """``put_record`` with the usual test values."""
    return store.put_record(copy.deepcopy(document), received_from=sender, received_at=at, subject=subject,
                            publisher_verified=verified)  # fmt: skip
