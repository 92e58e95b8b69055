"""The node's federation records: versions by publisher time, withdrawals, the change feed.

A record is identified by the ``record_id`` its publisher gave its envelope; a receiver
never renames it. What comes in under a known id is one of: the same content again
(``unchanged``: compared by ``version_hash``, the SHA-256 of the envelope's RFC 8785
canonical form), a newer version from the same publisher (its ``provenance.generated_at``
later than the latest version's, compared as times, not text), or a conflict. Versions are
kept; a withdrawal marks the record (every version reads as withdrawn) and its id is never
reused. Each new version and each withdrawal appends one row to ``changes`` in the same
transaction; the store takes the feed lock first (:meth:`silkcore._store.base.Store._transaction`),
so change numbers are handed out in commit order, with no gap.

Every function here runs inside a transaction the store opened; the SQL is written once, for
both backends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, Literal

import attrs
import orjson
import rfc8785

from .._errors import DataError, Issue, StoreError
from .._jsonio import dumps
from .._locate import pointer_join
from .protocol import Db

__all__ = ["UNKNOWN_SENDER", "Change", "PutOutcome", "RecordConflict", "RecordHead", "RecordPut", "StoredRecord", "prepare"]

#: ``received_from`` of records whose sender was not kept (envelopes stored before version 2).
UNKNOWN_SENDER = "urn:silkcore:unknown-sender"


class RecordConflict(StoreError):
    """A record cannot be stored or withdrawn as asked: another publisher owns its id, it was
    withdrawn, or it is not newer than the version already kept. The node answers 409.

    ``foreign`` is set when another publisher owns the id: the message then names that
    publisher, which a node must not tell a peer who may not see the record."""

    def __init__(self, message: str, *, foreign: bool = False) -> None:
        super().__init__(message)
        self.foreign = foreign


@attrs.frozen
class StoredRecord:
    """One version of a record, as kept."""

    record_id: str
    version: int
    envelope: dict[str, Any]
    #: ``"sha256:"`` and the hex SHA-256 of the envelope's RFC 8785 (JCS) canonical form.
    version_hash: str
    publisher: str
    payload_schema: str
    subject: str | None
    sharing_level: str
    generated_at: str
    #: The peer that sent this version (authenticated), as mail servers add ``Received:``.
    received_from: str
    received_at: str
    publisher_verified: bool
    #: Set on every version once the record is withdrawn.
    withdrawn_at: str | None


@attrs.frozen
class RecordHead:
    """What identifies one version of a record, without its envelope: enough for a reader
    that keeps what it made of a version (by its ``version_hash``) to answer again without
    reading or parsing the envelope."""

    record_id: str
    version: int
    version_hash: str
    withdrawn_at: str | None


@attrs.frozen
class PutOutcome:
    """What :meth:`~silkcore._store.base.Store.put_record` did, and the version concerned."""

    status: Literal["created", "unchanged", "new_version"]
    record: StoredRecord


@attrs.frozen
class Change:
    """One entry of the change feed: a new version, or a withdrawal (``withdrawn``)."""

    seq: int
    record_id: str
    version: int
    version_hash: str
    payload_schema: str
    changed_at: str
    withdrawn: bool
    #: The version the change is about (the node checks visibility on it).
    record: StoredRecord


def parse_time(text: object, what: str) -> dt.datetime:
    """An RFC 3339 time as an aware datetime; :class:`StoreError` if it is not one."""
    if isinstance(text, str):
        try:
            value = dt.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
        except ValueError:
            value = None
        if value is not None and value.tzinfo is not None:
            return value
    raise StoreError(f"{what} is not an RFC 3339 time with an offset: {text!r:.80}")


#: Integers RFC 8785 writes exactly as orjson does (beyond them it writes a double, or refuses).
_SAFE_INTEGER = 2**53 - 1
_INFINITY = float("inf")


def _plain(value: Any) -> bool:
    """Whether orjson's compact, sorted form of ``value`` is its RFC 8785 form and the value is
    what a reader gets back from the stored text: only dicts, lists, strings, safe integers,
    booleans and None (exact types: no subclass, tuple or Decimal), and keys below U+D800
    (where sorting by code point, as orjson does, and by UTF-16 unit, as RFC 8785 does, may
    differ). A float is not plain: RFC 8785 writes numbers as ECMAScript does."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        return bool(-_SAFE_INTEGER <= value <= _SAFE_INTEGER)
    if kind is dict:
        for key, child in value.items():
            if type(key) is not str or not (key.isascii() or max(key) < "\ud800") or not _plain(child):
                return False
        return True
    if kind is list:
        return all(_plain(child) for child in value)
    return False


def canonical(envelope: dict[str, Any], *, owned: bool = False) -> tuple[str, str, dict[str, Any]]:
    """The envelope's stored text, its version hash, and the envelope as a reader gets it.

    The hash is taken over the text as stored, read back: what a reader gets from the store
    is exactly what was hashed (a tuple becomes a list). For plain JSON data (:func:`_plain`:
    the common case) reading back gives the same value, so its RFC 8785 form is written by
    orjson (sorted keys, compact: the same bytes), and with ``owned`` (the caller hands the
    envelope over and never changes it: the node's freshly parsed bodies) the envelope itself
    is kept, with no round trip through the text. Anything else - a float, a tuple, a
    subclass - is read back from the text and written by the ``rfc8785`` package, as it
    always was."""
    try:
        body = dumps(envelope, indent=None)
        if _plain(envelope):
            kept = envelope if owned else json.loads(body)
            form = orjson.dumps(envelope, option=orjson.OPT_SORT_KEYS)
        else:
            kept = json.loads(body)
            form = rfc8785.dumps(kept)
    except rfc8785.CanonicalizationError as exc:
        # The document's fault, not the store's: said with its place (422 at the node, a
        # refused record for silk sync), never "store unavailable".
        where = _uncanonical_number(envelope)
        message = f"cannot be stored: a record's hash is taken over its RFC 8785 form, which cannot hold this number ({exc})"
        raise DataError([Issue(where or "", message)]) from None
    except (TypeError, ValueError, RecursionError) as exc:
        raise StoreError(f"cannot store a record that is not JSON data: {exc}") from None
    return body, "sha256:" + hashlib.sha256(form).hexdigest(), kept


def _uncanonical_number(value: Any) -> str | None:
    """The JSON Pointer of the first number RFC 8785 cannot write - an integer beyond 2**53
    (a JSON number it holds as an IEEE double could not keep it exactly), a NaN or an
    infinity - or None (iterative: no recursion limit)."""
    stack: list[tuple[Any, list[str | int]]] = [(value, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            stack.extend((child, [*path, key]) for key, child in reversed(node.items()))
        elif isinstance(node, list | tuple):
            stack.extend((child, [*path, index]) for index, child in reversed(list(enumerate(node))))
        elif isinstance(node, int) and not isinstance(node, bool):
            if not -_SAFE_INTEGER <= node <= _SAFE_INTEGER:
                return pointer_join(path)
        elif isinstance(node, float) and not -_INFINITY < node < _INFINITY:
            return pointer_join(path)
    return None


@attrs.frozen
class RecordPut:
    """One version to store, prepared outside the write transaction (:func:`prepare`): the
    fields the store indexes, its stored text and version hash, and where it came from."""

    record_id: str
    publisher: str
    payload_schema: str
    sharing_level: str
    generated_at: str
    generated: dt.datetime
    body: str
    version_hash: str
    envelope: dict[str, Any]
    received_from: str
    received_at: str
    subject: str | None
    publisher_verified: bool


def prepare(
    envelope: dict[str, Any],
    *,
    received_from: str,
    received_at: str,
    subject: str | None,
    publisher_verified: bool,
    owned: bool = False,
) -> RecordPut:
    """Everything :func:`put` needs that does not read the store (the canonical form and its
    hash included): done before the write transaction. :class:`StoreError` for an envelope
    the store cannot keep (a missing field, a time without an offset, not JSON data).
    ``owned``: the envelope is handed over, never to be changed again (see :func:`canonical`)."""
    record_id = _text(envelope, "record_id")
    publisher = _text(envelope, "publisher", "id")
    schema = _text(envelope, "payload_schema")
    level = _text(envelope, "sharing", "level")
    generated_at = _text(envelope, "provenance", "generated_at")
    generated = parse_time(generated_at, "the envelope's provenance.generated_at")
    body, version_hash, kept = canonical(envelope, owned=owned)
    return RecordPut(record_id, publisher, schema, level, generated_at, generated, body, version_hash, kept, received_from,
                     received_at, subject, publisher_verified)  # fmt: skip


def _text(envelope: dict[str, Any], *path: str) -> str:
    value: Any = envelope
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, str) or not value:
        raise StoreError(f"cannot store the record: the envelope has no {'.'.join(path)}")
    return value


_COLUMNS = (
    "r.record_id, r.version, r.envelope, r.version_hash, r.publisher, r.payload_schema, r.subject, r.sharing_level, "
    "r.generated_at, r.received_from, r.received_at, r.publisher_verified, h.withdrawn_at"
)
_FROM = "FROM records r JOIN record_heads h ON h.record_id = r.record_id"


def _stored(row: Any, offset: int = 0) -> StoredRecord:
    values = tuple(row[offset : offset + 13])
    return StoredRecord(
        record_id=values[0],
        version=int(values[1]),
        envelope=json.loads(values[2]),
        version_hash=values[3],
        publisher=values[4],
        payload_schema=values[5],
        subject=values[6],
        sharing_level=values[7],
        generated_at=values[8],
        received_from=values[9],
        received_at=values[10],
        publisher_verified=bool(values[11]),
        withdrawn_at=values[12],
    )


def _append_change(db: Db, record_id: str, version: int, version_hash: str, schema: str, at: str, withdrawn: bool) -> None:
    # The next number, MAX + 1. Gap-free by construction: the caller holds the feed lock, so no
    # other writer can take the same number or commit a smaller one after this transaction.
    db.execute(
        "INSERT INTO changes (seq, record_id, version, version_hash, payload_schema, changed_at, withdrawn) "
        "SELECT (SELECT COALESCE(MAX(seq), 0) + 1 FROM changes), ?, ?, ?, ?, ?, ?",
        (record_id, version, version_hash, schema, at, withdrawn),
    )


def put(
    db: Db, envelope: dict[str, Any], *, received_from: str, received_at: str, subject: str | None, publisher_verified: bool
) -> PutOutcome:
    """Store a version of a record by the rules above (the feed lock is held)."""
    item = prepare(
        envelope, received_from=received_from, received_at=received_at, subject=subject, publisher_verified=publisher_verified
    )
    return put_prepared(db, item)


def put_prepared(db: Db, item: RecordPut) -> PutOutcome:
    """Store a prepared version (:func:`prepare`) by the rules above (the feed lock is held):
    the store's reads and writes only. Every refusal (:class:`RecordConflict`, a stored time
    that cannot be read) comes before the first write, so a refused version leaves the
    transaction as it found it (:meth:`~silkcore._store.base.Store.put_records` relies on it)."""
    record_id, publisher, schema, level = item.record_id, item.publisher, item.payload_schema, item.sharing_level
    generated_at, generated, body, version_hash = item.generated_at, item.generated, item.body, item.version_hash
    received_from, received_at, subject = item.received_from, item.received_at, item.subject
    publisher_verified, kept_envelope = item.publisher_verified, item.envelope
    kept = db.execute(
        "SELECT r.version, r.version_hash, r.generated_at, h.publisher, h.withdrawn_at "
        f"{_FROM} WHERE r.record_id = ? ORDER BY r.version",
        (record_id,),
    ).fetchall()
    for row in kept:
        if row[1] == version_hash:
            found = get(db, record_id, int(row[0]))
            assert found is not None  # read in this very transaction
            return PutOutcome("unchanged", found)
    if kept:
        latest_version, _, latest_time, owner, withdrawn_at = kept[-1]
        if owner != publisher:
            raise RecordConflict(f"record {record_id} belongs to publisher {owner}; {publisher} cannot change it", foreign=True)
        if withdrawn_at is not None:
            raise RecordConflict(f"record {record_id} was withdrawn at {withdrawn_at}; a withdrawn id is never reused")
        if generated <= parse_time(latest_time, "the stored generated_at"):
            raise RecordConflict(
                f"record {record_id} version {latest_version} was generated at {latest_time}; "
                f"different content generated at {generated_at} is not a newer version"
            )
        version = int(latest_version) + 1
    else:
        version = 1
    if version == 1:  # first_seq: the number the change appended below takes
        db.execute(
            "INSERT INTO record_heads (record_id, latest, publisher, first_seq, withdrawn_at) "
            "VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM changes), NULL)",
            (record_id, version, publisher),
        )
    else:
        db.execute("UPDATE record_heads SET latest = ? WHERE record_id = ?", (version, record_id))
    db.execute(
        "INSERT INTO records (record_id, version, version_hash, envelope, publisher, payload_schema, subject, sharing_level, "
        "generated_at, received_from, received_at, publisher_verified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (record_id, version, version_hash, body, publisher, schema, subject, level, generated_at, received_from, received_at,
         publisher_verified),
    )  # fmt: skip
    _append_change(db, record_id, version, version_hash, schema, received_at, False)
    stored = StoredRecord(record_id, version, kept_envelope, version_hash, publisher, schema, subject, level, generated_at,
                          received_from, received_at, publisher_verified, None)  # fmt: skip
    return PutOutcome("created" if version == 1 else "new_version", stored)


def get(db: Db, record_id: str, version: int | None = None) -> StoredRecord | None:
    """One version of a record (the latest when ``version`` is None), or None."""
    if version is None:
        row = db.execute(f"SELECT {_COLUMNS} {_FROM} WHERE r.record_id = ? AND r.version = h.latest", (record_id,)).fetchone()
    else:
        row = db.execute(f"SELECT {_COLUMNS} {_FROM} WHERE r.record_id = ? AND r.version = ?", (record_id, version)).fetchone()
    return None if row is None else _stored(row)


def head(db: Db, record_id: str, version: int | None = None) -> RecordHead | None:
    """One version's head (the latest when ``version`` is None), or None: the same row as
    :func:`get`, without the envelope."""
    columns = f"SELECT r.record_id, r.version, r.version_hash, h.withdrawn_at {_FROM} WHERE r.record_id = ? AND r.version = "
    if version is None:
        row = db.execute(columns + "h.latest", (record_id,)).fetchone()
    else:
        row = db.execute(columns + "?", (record_id, version)).fetchone()
    return None if row is None else RecordHead(row[0], int(row[1]), row[2], row[3])


def about(db: Db, subject: str, payload_schema: str | None, limit: int) -> list[StoredRecord]:
    """The latest version of each record about ``subject`` not withdrawn, first stored first."""
    query = f"SELECT {_COLUMNS} {_FROM} AND r.version = h.latest WHERE r.subject = ? AND h.withdrawn_at IS NULL"
    params: list[Any] = [subject]
    if payload_schema is not None:
        query += " AND r.payload_schema = ?"
        params.append(payload_schema)
    rows = db.execute(query + " ORDER BY h.first_seq LIMIT ?", (*params, max(limit, 0))).fetchall()
    return [_stored(row) for row in rows]


def withdraw(db: Db, record_id: str, at: str) -> StoredRecord:
    """Mark a record withdrawn and append its tombstone change (the feed lock is held)."""
    parse_time(at, "the withdrawal time")
    latest = get(db, record_id)
    if latest is None:
        raise StoreError(f"no record {record_id!r} in the store")
    if latest.withdrawn_at is not None:
        raise RecordConflict(f"record {record_id} was already withdrawn at {latest.withdrawn_at}")
    db.execute("UPDATE record_heads SET withdrawn_at = ? WHERE record_id = ?", (at, record_id))
    _append_change(db, record_id, latest.version, latest.version_hash, latest.payload_schema, at, True)
    return attrs.evolve(latest, withdrawn_at=at)


def changes(db: Db, after: int, limit: int) -> list[Change]:
    """Changes numbered above ``after``, in order, at most ``limit`` of them."""
    rows = db.execute(
        "SELECT c.seq, c.record_id, c.version, c.version_hash, c.payload_schema, c.changed_at, c.withdrawn, "
        f"{_COLUMNS} {_FROM} JOIN changes c ON c.record_id = r.record_id AND c.version = r.version "
        "WHERE c.seq > ? ORDER BY c.seq LIMIT ?",
        (after, max(limit, 0)),
    ).fetchall()
    return [Change(int(row[0]), row[1], int(row[2]), row[3], row[4], row[5], bool(row[6]), _stored(row, 7)) for row in rows]


def cursor(db: Db, source: str) -> str | None:
    """The last cursor kept for a remote node, or None."""
    row = db.execute("SELECT cursor FROM sync_cursors WHERE source = ?", (source,)).fetchone()
    return None if row is None else str(row[0])


def set_cursor(db: Db, source: str, value: str, now: str) -> None:
    """Keep the cursor reached on a remote node."""
    db.execute(
        "INSERT INTO sync_cursors (source, cursor, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at",
        (source, value, now),
    )


def count(db: Db) -> int:
    """How many records (ids, withdrawn ones included) the store keeps."""
    return int(db.execute("SELECT COUNT(*) FROM record_heads").fetchone()[0])
