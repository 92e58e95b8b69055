"""Several records in one write transaction (``Store.put_records``), on both backends: one
commit for the batch, each record's own outcome (a conflict refuses only its record), the
feed in batch order, and nothing stored when the transaction fails. And the canonical form
the store hashes: written by orjson for plain JSON data, the same bytes as RFC 8785's."""

from __future__ import annotations

import copy
import decimal
import hashlib
import json
from typing import Any

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from silkcore import DataError, StoreError
from silkcore._jsonio import dumps
from silkcore._store import PutOutcome, RecordConflict, RecordPut, Store, prepare, records

from .conftest import ORG, SENDER, envelope, put

OTHER = "https://other-publisher.example.org/"


def item(document: dict[str, Any], at: str = "2026-02-01T00:00:00Z") -> RecordPut:
    return prepare(copy.deepcopy(document), received_from=SENDER, received_at=at, subject=ORG, publisher_verified=True)


def statuses(results: list[PutOutcome | StoreError]) -> list[str]:
    return [r.status if isinstance(r, PutOutcome) else type(r).__name__ for r in results]


def test_a_mixed_batch_takes_one_commit_and_answers_each_record(store: Store) -> None:
    put(store, envelope("urn:test:kept"))
    before = store.commits
    batch = [
        item(envelope("urn:test:new:1")),
        item(envelope("urn:test:kept")),  # the same content again
        item(envelope("urn:test:kept", name="other content")),  # same generated_at: not newer
        item(envelope("urn:test:kept", publisher=OTHER, generated_at="2026-06-01T00:00:00Z")),  # not its publisher
        item(envelope("urn:test:kept", name="renamed", generated_at="2026-01-02T00:00:00Z")),  # a later version
        item(envelope("urn:test:new:2")),
        item(envelope("urn:test:new:2")),  # twice in one batch: the second sees the first
    ]
    results = store.put_records(batch)
    assert store.commits == before + 1
    assert statuses(results) == [
        "created", "unchanged", "RecordConflict", "RecordConflict", "new_version", "created", "unchanged",
    ]  # fmt: skip
    assert "not a newer version" in str(results[2]) and "belongs to publisher" in str(results[3])
    assert all(isinstance(r, RecordConflict) for r in results[2:4])
    # Stored and readable as put_record would have stored them one by one.
    for result in results:
        if isinstance(result, PutOutcome):
            assert store.record(result.record.record_id, result.record.version) == result.record
    kept = store.record("urn:test:kept")
    assert kept is not None and kept.version == 2 and kept.envelope["payload"]["name"] == "renamed"
    # The feed: the earlier record, then the batch's changes in batch order, gap-free.
    feed = [(c.seq, c.record_id, c.version) for c in store.changes(0, 100)]
    assert feed == [(1, "urn:test:kept", 1), (2, "urn:test:new:1", 1), (3, "urn:test:kept", 2), (4, "urn:test:new:2", 1)]
    assert store.count_records() == 3


def test_a_failed_transaction_stores_none_of_its_records(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    put(store, envelope("urn:test:kept"))
    before = (store.commits, store.count_records(), store.changes(0, 100))
    real = records.put_prepared
    seen: list[str] = []

    def failing(db: Any, prepared: RecordPut) -> PutOutcome:
        outcome = real(db, prepared)
        seen.append(prepared.record_id)
        if len(seen) == 3:  # after two records were written: the database refuses a statement
            db.execute("INSERT INTO no_such_table VALUES (1)")
        return outcome

    monkeypatch.setattr(records, "put_prepared", failing)
    with pytest.raises(StoreError, match="cannot store 4 records"):
        store.put_records([item(envelope(f"urn:test:lost:{n}")) for n in range(4)])
    assert seen == ["urn:test:lost:0", "urn:test:lost:1", "urn:test:lost:2"]
    assert (store.commits, store.count_records(), store.changes(0, 100)) == before
    assert all(store.record(f"urn:test:lost:{n}") is None for n in range(4))
    monkeypatch.setattr(records, "put_prepared", real)
    # The store goes on: the next batch is numbered right after the last committed change.
    assert statuses(store.put_records([item(envelope("urn:test:after"))])) == ["created"]
    assert [c.seq for c in store.changes(0, 100)] == [1, 2]


def test_an_empty_batch_commits_nothing(store: Store) -> None:
    before = store.commits
    assert store.put_records([]) == []
    assert store.commits == before


def test_put_record_is_one_commit_and_prepare_refuses_before_any_transaction(store: Store) -> None:
    before = store.commits
    put(store, envelope())
    assert store.commits == before + 1
    broken = envelope()
    del broken["publisher"]
    with pytest.raises(StoreError, match=r"no publisher\.id"):
        item(broken)
    with pytest.raises(StoreError, match="not JSON data"):
        item(dict(envelope(), extra=float("nan")))
    assert store.commits == before + 1


# -- the canonical form -------------------------------------------------------------------------


def reference(value: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """``canonical`` as it always was: the text, read back, through the rfc8785 package."""
    body = dumps(value, indent=None)
    kept = json.loads(body)
    return body, "sha256:" + hashlib.sha256(rfc8785.dumps(kept)).hexdigest(), kept


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.text(max_size=12)
    | st.floats(allow_nan=False, allow_infinity=False)
)
_KEYS = st.text(max_size=6) | st.sampled_from(["\ue000", "\U0001f600", "a\uffff", "a\U00010000", "é", "\x7f", "\x00"])
_VALUES = st.recursive(_SCALARS, lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEYS, children, max_size=4))


@given(st.dictionaries(_KEYS, _VALUES, max_size=6))
def test_the_canonical_form_is_rfc_8785s(value: dict[str, Any]) -> None:
    assert records.canonical(value) == reference(value)


@pytest.mark.parametrize(
    "value",
    [
        {"big": 2**53 + 1},  # beyond the safe integers: RFC 8785 refuses it
        {"n": 1e16, "m": 0.1, "z": -0.0},
        {"\ue000": 1, "\U0001f600": 2},  # code point order differs from UTF-16 order
        {"d": decimal.Decimal("1.50")},
        {"t": (1, 2)},
        {"b": True, "i": 1, "s": "x", "l": [None, {"k": []}]},
    ],
)
def test_the_canonical_form_of_edge_cases(value: dict[str, Any]) -> None:
    try:
        expected = reference(value)
    except rfc8785.CanonicalizationError:  # a number it cannot hold: the document's fault, at its place
        with pytest.raises(DataError, match="RFC 8785") as caught:
            records.canonical(value)
        assert caught.value.errors[0].pointer == "/big"
        return
    except (TypeError, ValueError):
        with pytest.raises(StoreError, match="not JSON data"):
            records.canonical(value)
        return
    assert records.canonical(value) == expected


def test_plain_data_is_kept_as_given_and_anything_else_as_read_back() -> None:
    plain = envelope()
    assert records.canonical(plain, owned=True)[2] is plain  # handed over: no round trip through the text
    copied = records.canonical(plain)[2]
    assert copied == plain and copied is not plain  # else the kept envelope is the caller's no more
    assert records.canonical(plain) == records.canonical(plain, owned=True)
    with_tuple = dict(envelope(), amounts=(1, 2.5))
    kept = records.canonical(with_tuple)[2]
    assert kept is not with_tuple and kept["amounts"] == [1, 2.5]
    with pytest.raises(StoreError, match="not JSON data"):  # as before: the writer refuses a Decimal
        records.canonical(dict(envelope(), amount=decimal.Decimal("2.50")))
