"""The node's records on both backends: versions, conflicts, withdrawals, the feed, cursors."""

from __future__ import annotations

import hashlib

import pytest
import rfc8785

from silkcore import StoreError
from silkcore._store import RecordConflict, Store, open_store

from .conftest import ORG, PUBLISHER, SENDER, envelope, put

OTHER = "https://other-publisher.example.org/"


def test_a_new_id_is_created_as_version_1_with_its_provenance(store: Store) -> None:
    document = envelope()
    outcome = put(store, document, sender=SENDER, at="2026-02-01T10:00:00Z", verified=True)
    assert outcome.status == "created"
    record = outcome.record
    assert (record.record_id, record.version, record.envelope) == ("urn:test:record:1", 1, document)
    assert record.version_hash == "sha256:" + hashlib.sha256(rfc8785.dumps(document)).hexdigest()
    assert (record.publisher, record.payload_schema, record.subject, record.sharing_level) == (
        PUBLISHER,
        "silkcore_organisation-v1.0.0",
        ORG,
        "public",
    )
    assert (record.generated_at, record.received_from, record.received_at) == (
        "2026-01-01T00:00:00Z",
        SENDER,
        "2026-02-01T10:00:00Z",
    )
    assert record.publisher_verified is True and record.withdrawn_at is None
    assert store.record("urn:test:record:1") == record == store.record("urn:test:record:1", 1)


def test_the_same_content_again_is_unchanged_and_writes_nothing(store: Store) -> None:
    first = put(store, envelope()).record
    again = put(store, envelope(), sender="https://someone-else.example/", at="2026-03-01T00:00:00Z", verified=False)
    assert again.status == "unchanged" and again.record == first
    assert len(store.changes(0, 100)) == 1 and store.count_records() == 1


def test_key_order_does_not_make_a_new_version(store: Store) -> None:
    document = envelope()
    put(store, document)
    reordered = dict(reversed(list(document.items())))
    assert put(store, reordered).status == "unchanged"


def test_a_later_version_from_the_publisher_keeps_the_earlier(store: Store) -> None:
    put(store, envelope())
    outcome = put(store, envelope(name="Cooperativa Uno (renamed)", generated_at="2026-01-02T00:00:00Z"))
    assert outcome.status == "new_version" and outcome.record.version == 2
    assert store.record("urn:test:record:1") == outcome.record
    first = store.record("urn:test:record:1", 1)
    assert first is not None and first.envelope["payload"]["name"] == "Cooperativa Uno"
    assert store.record("urn:test:record:1", 3) is None and store.record("urn:test:unknown") is None
    assert store.count_records() == 1


def test_an_earlier_version_sent_again_is_unchanged(store: Store) -> None:
    put(store, envelope())
    put(store, envelope(name="later", generated_at="2026-01-02T00:00:00Z"))
    outcome = put(store, envelope())
    assert outcome.status == "unchanged" and outcome.record.version == 1


def test_another_publisher_cannot_take_an_id(store: Store) -> None:
    put(store, envelope())
    with pytest.raises(RecordConflict, match="belongs to publisher"):
        put(store, envelope(publisher=OTHER, generated_at="2026-06-01T00:00:00Z"))
    latest = store.record("urn:test:record:1")
    assert latest is not None and latest.version == 1 and latest.publisher == PUBLISHER


@pytest.mark.parametrize(
    "generated_at",
    [
        "2026-01-01T00:00:00Z",  # the same time, other content
        "2025-12-31T00:00:00Z",  # older
        "2026-01-01T01:00:00+01:00",  # the same instant, written with another offset
        "2026-01-01T00:30:00+01:00",  # later as text, but 23:30 the day before
    ],
)
def test_content_that_is_not_newer_is_a_conflict(store: Store, generated_at: str) -> None:
    put(store, envelope())
    with pytest.raises(RecordConflict, match="not a newer version"):
        put(store, envelope(name="changed", generated_at=generated_at))
    assert len(store.changes(0, 100)) == 1


def test_times_compare_as_instants_not_text(store: Store) -> None:
    put(store, envelope(generated_at="2026-01-01T10:00:00+02:00"))  # 08:00Z
    outcome = put(store, envelope(name="changed", generated_at="2026-01-01T09:00:00Z"))  # earlier as text, later in time
    assert outcome.status == "new_version"


def test_a_withdrawn_record_is_marked_on_every_version_and_its_id_is_never_reused(store: Store) -> None:
    put(store, envelope())
    put(store, envelope(name="v2", generated_at="2026-01-02T00:00:00Z"))
    withdrawn = store.withdraw("urn:test:record:1", at="2026-03-01T00:00:00Z")
    assert withdrawn.version == 2 and withdrawn.withdrawn_at == "2026-03-01T00:00:00Z"
    for version in (1, 2):
        kept = store.record("urn:test:record:1", version)
        assert kept is not None and kept.withdrawn_at == "2026-03-01T00:00:00Z"
    tombstone = store.changes(2, 10)
    assert [(c.seq, c.version, c.withdrawn, c.changed_at) for c in tombstone] == [(3, 2, True, "2026-03-01T00:00:00Z")]
    assert tombstone[0].version_hash == withdrawn.version_hash and tombstone[0].record.withdrawn_at is not None
    with pytest.raises(RecordConflict, match="already withdrawn"):
        store.withdraw("urn:test:record:1", at="2026-03-02T00:00:00Z")
    with pytest.raises(RecordConflict, match="withdrawn"):
        put(store, envelope(name="v3", generated_at="2026-04-01T00:00:00Z"))
    assert store.records_about(ORG) == []
    assert store.count_records() == 1


def test_withdrawing_an_unknown_record_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="no record") as caught:
        store.withdraw("urn:test:nothing", at="2026-03-01T00:00:00Z")
    assert not isinstance(caught.value, RecordConflict)


def test_records_about_lists_latest_versions_in_first_stored_order(store: Store) -> None:
    put(store, envelope("urn:test:a"))
    put(store, envelope("urn:test:b", schema="murmurations_extras-v1.0.0"))
    put(store, envelope("urn:test:c"))
    put(store, envelope("urn:test:elsewhere", org="urn:other"), subject="urn:other")
    put(store, envelope("urn:test:a", name="A v2", generated_at="2026-01-05T00:00:00Z"))  # a new version keeps a's place
    store.withdraw("urn:test:c", at="2026-03-01T00:00:00Z")
    about = store.records_about(ORG)
    assert [(r.record_id, r.version) for r in about] == [("urn:test:a", 2), ("urn:test:b", 1)]
    assert [r.record_id for r in store.records_about(ORG, "murmurations_extras-v1.0.0")] == ["urn:test:b"]
    assert [r.record_id for r in store.records_about(ORG, limit=1)] == ["urn:test:a"]
    assert store.records_about("urn:nobody") == []


def test_a_version_about_another_subject_moves_the_record(store: Store) -> None:
    put(store, envelope())
    put(store, envelope(name="moved", generated_at="2026-01-02T00:00:00Z"), subject="urn:other")
    assert store.records_about(ORG) == []
    assert [r.version for r in store.records_about("urn:other")] == [2]


def test_the_feed_pages_in_order_and_each_change_carries_its_version(store: Store) -> None:
    for n in range(5):
        put(store, envelope(f"urn:test:{n}"))
    put(store, envelope("urn:test:0", name="again", generated_at="2026-01-02T00:00:00Z"))
    first, second, rest = store.changes(0, 2), store.changes(2, 2), store.changes(4, 100)
    assert [c.seq for c in first + second + rest] == [1, 2, 3, 4, 5, 6]
    last = rest[-1]
    assert (last.record_id, last.version, last.withdrawn) == ("urn:test:0", 2, False)
    assert last.record == store.record("urn:test:0") and last.version_hash == last.record.version_hash
    assert last.payload_schema == "silkcore_organisation-v1.0.0" and last.changed_at == "2026-02-01T00:00:00Z"
    assert store.changes(6, 10) == [] and store.changes(0, 0) == []


def test_sync_cursors_are_kept_per_source(store: Store) -> None:
    assert store.cursor("https://node-b.example/") is None
    store.set_cursor("https://node-b.example/", "c1")
    store.set_cursor("https://node-c.example/", "x")
    store.set_cursor("https://node-b.example/", "c2")
    assert store.cursor("https://node-b.example/") == "c2" and store.cursor("https://node-c.example/") == "x"


def test_records_survive_reopening(store_location: str) -> None:
    with open_store(store_location) as store:
        put(store, envelope())
        store.set_cursor("https://node-b.example/", "c1")
    with open_store(store_location) as store:
        assert store.count_records() == 1 and store.cursor("https://node-b.example/") == "c1"
        assert [c.seq for c in store.changes(0, 10)] == [1]


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ({"record_id": None}, "record_id"),
        ({"publisher": {}}, "publisher.id"),
        ({"provenance": {"generated_at": "yesterday"}}, "RFC 3339"),
        ({"provenance": {"generated_at": "2026-01-01T00:00:00"}}, "offset"),
        ({"payload": {"n": float("nan")}}, "not JSON data"),
    ],
)
def test_an_envelope_the_store_cannot_index_is_a_store_error(store: Store, broken: dict[str, object], message: str) -> None:
    with pytest.raises(StoreError, match=message):
        put(store, dict(envelope(), **broken))
    assert store.count_records() == 0 and store.changes(0, 10) == []


def test_a_bad_withdrawal_time_is_a_store_error(store: Store) -> None:
    put(store, envelope())
    with pytest.raises(StoreError, match="RFC 3339"):
        store.withdraw("urn:test:record:1", at="soon")
    assert store.changes(1, 10) == []
