"""The node's record endpoints: publish, read, withdraw, the feed, histories and profiles.

A record is known by the ``record_id`` its publisher gave it, never by one the node makes
up (a bare document, which has none, gets one when it is wrapped). Re-sending a version the
node has is answered 200 and stores nothing; the same publisher sending new content with a
later ``provenance.generated_at`` adds a version (earlier ones stay readable with
``?version=N``); anything else under a known id is a conflict (409). Only the publisher may
withdraw its record; the withdrawal stays in the feed as a tombstone.

Every read goes through the one visibility rule (:mod:`silkcore.node._access`), and the
same 404 answers "no such record" and "not for you".
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from .._assessment import ScoreCard
from .._catalog import Catalog
from .._documents import FrameworkResolver
from .._errors import SilkError
from .._jsonio import body_limits
from .._model import Envelope
from .._store import AssessmentRecord, RecordConflict, RecordPut, StoredRecord, history, prepare
from ._access import envelope_of, may_see, shown_document, trusted_about, visible_document
from ._auth import CALLER, Caller, Peers
from ._feed import DEFAULT_LIMIT, MAX_LIMIT, decode_cursor, feed_page
from ._http import PRIVATE_HEADERS, NodeError, error_response, json_response, read_json_body
from ._intake import receive
from ._kept import KeptVersions
from ._ratelimit import release_slot
from ._storage import NodeStore
from ._writer import Publisher

__all__ = ["Records"]

logger = logging.getLogger("silkcore.node")

ORGANISATION_SCHEMA = "silkcore_organisation-v1.0.0"
EXTRAS_SCHEMA = "murmurations_extras-v1.0.0"
#: The one answer for a record that does not exist *and* for one the caller may not see.
NOT_FOUND = ("not_found", "no record with this id is available")
PUBLIC_CACHE = {"Cache-Control": "public, max-age=300"}
#: The largest publication checked on the event loop itself (larger ones go to the thread pool).
INLINE_BODY = 16 * 1024
#: An organisation id as silkcore_defs' ``identifier`` allows it.
_ORG_ID = re.compile(r"^[^\s\x00-\x1f\ufeff]{1,300}$")


def utc_now() -> str:
    """The current time as RFC 3339 UTC, to the millisecond."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def generated_at(document: dict[str, Any]) -> dt.datetime:
    """When the publisher made a record (its ``provenance.generated_at``)."""
    return dt.datetime.fromisoformat(document["provenance"]["generated_at"].replace("Z", "+00:00"))


def org_id_of(request: Request) -> str:
    """The ``org_id`` path parameter; 404 when it cannot be an organisation id."""
    org_id: str = request.path_params["org_id"]
    if not _ORG_ID.match(org_id):
        raise NodeError(404, "not_found", "not an organisation id: 1 to 300 characters, no spaces or control characters")
    return org_id


def _whole_number(request: Request, name: str, default: int | None, low: int, high: int) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    # ASCII digits only: str.isdigit() also takes "²" and "①", which int() refuses; and a bounded
    # length, so no huge text is turned into a number.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(high))) or not low <= int(raw) <= high:
        raise NodeError(400, "bad_request", f"'{name}' must be a whole number from {low} to {high}")
    return int(raw)


def summary(record: StoredRecord, status: str) -> dict[str, Any]:
    """What ``POST`` and ``DELETE`` answer about a record."""
    return {
        "record_id": record.record_id,
        "version": record.version,
        "status": status,
        "version_hash": record.version_hash,
        "sharing_level": record.sharing_level,
        "subject": record.subject,
        "publisher": record.publisher,
        "received_from": record.received_from,
        "received_at": record.received_at,
        "withdrawn_at": record.withdrawn_at,
    }


class Records:
    """The record endpoints over one store, for the peers of one node."""

    def __init__(self, catalog: Catalog, store: NodeStore, peers: Peers, frameworks: FrameworkResolver, max_body: int) -> None:
        self.catalog = catalog
        self.store = store
        self.peers = peers
        self.frameworks = frameworks
        self.max_body = max_body
        self.limits = body_limits(max_body)  # the environment's limits, as every door's, with this body size
        #: What the node made of each version it served (:mod:`silkcore.node._kept`).
        self.kept = KeptVersions()
        #: The one writer of publications: group commit (:mod:`silkcore.node._writer`).
        self.publisher = Publisher(store)

    def caller(self, request: Request) -> Caller:
        """Who is asking (anonymous, or a peer); 401 for an unknown token. The limits
        middleware has usually named the caller already (:data:`CALLER`): asked once."""
        known = request.scope.get(CALLER)
        if isinstance(known, Caller):
            return known
        return self.peers.identify(request.headers.get("authorization"))

    def peer(self, request: Request, what: str) -> str:
        """The calling peer's id; 401 for an anonymous caller."""
        caller = self.caller(request)
        if caller.peer is None:
            raise NodeError(
                401,
                "unauthorized",
                f"{what} is for peers: send 'Authorization: Bearer TOKEN'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return caller.peer

    # -- publish ------------------------------------------------------------------------

    def _prepare(self, raw: bytes, peer: str) -> RecordPut:
        """Everything a publication costs before its write: strict parsing, validation, the
        publisher check, then the stored text and the version hash (:func:`~silkcore._store.prepare`)."""
        received = receive(raw, peer, self.catalog.schemas, self.limits, frameworks=self.frameworks, keys_of=self.peers.keys_of)
        return prepare(
            received.envelope,
            received_from=peer,
            received_at=utc_now(),
            subject=received.subject,
            publisher_verified=received.publisher_verified,
            owned=True,  # parsed from this body: nothing else holds it
        )

    async def post_document(self, request: Request) -> Response:
        """``POST /documents``: a peer publishes a document or an envelope.

        The checks run on the event loop for a body of at most :data:`INLINE_BODY` bytes
        (less than a millisecond: a hand-off to a thread would cost more) and in the thread
        pool for a larger one. The CPU slot is then given back and the record goes to the
        node's writer (:mod:`silkcore.node._writer`), which commits it with the other
        publications queued meanwhile; the answer comes once that commit is durable."""
        peer = self.peer(request, "sending documents")
        raw = await read_json_body(request, self.max_body)
        item = self._prepare(raw, peer) if len(raw) <= INLINE_BODY else await run_in_threadpool(self._prepare, raw, peer)
        release_slot(request.scope)  # what is left is waiting for the disk
        try:
            outcome = await self.publisher.put(item)
        except RecordConflict as exc:
            # Another publisher's id: said without naming it, or whether this peer may see it.
            message = "this record_id is another publisher's: choose another" if exc.foreign else str(exc)
            raise NodeError(409, "conflict", message) from None
        record = outcome.record
        if outcome.status != "unchanged":
            logger.info("stored %s v%d from %s (%s)", record.record_id, record.version, peer, record.payload_schema)
        status = 200 if outcome.status == "unchanged" else 201
        return json_response(summary(record, outcome.status), status, {"Location": f"/documents/{record.record_id}"})

    # -- read and withdraw --------------------------------------------------------------------

    def _read(self, record_id: str, version: int | None, caller: Caller) -> Response:
        """Read a version, check it for the caller and answer (kept for the next read)."""
        record = self.store.backend().record(record_id, version)
        if record is None:
            return error_response(404, *NOT_FOUND, headers=PRIVATE_HEADERS)
        if record.withdrawn_at is not None:
            latest = self.store.backend().record(record_id) or record
            if visible_document(latest.envelope, caller, dt.datetime.fromisoformat(record.withdrawn_at.replace("Z", "+00:00"))):
                return error_response(
                    410, "withdrawn", f"the publisher withdrew this record at {record.withdrawn_at}", headers=PRIVATE_HEADERS
                )
            return error_response(404, *NOT_FOUND, headers=PRIVATE_HEADERS)
        kept = self.kept.get(record.version_hash) or self.kept.keep(record)
        now = dt.datetime.now(dt.UTC)
        if kept.envelope is None or not may_see(kept.envelope, caller, now):
            return error_response(404, *NOT_FOUND, headers=PRIVATE_HEADERS)
        if kept.body is not None:
            return kept.response()
        return self.kept.write(record.version_hash, kept, shown_document(kept.envelope, record.envelope, caller, now))

    def _read_kept(self, record_id: str, version: int | None, caller: Caller) -> Response | None:
        """The answer from a version already served, after one small query (its head); None
        when the version must be read in full (not kept yet, or withdrawn)."""
        head = self.store.backend().record_head(record_id, version)
        if head is None:
            return error_response(404, *NOT_FOUND, headers=PRIVATE_HEADERS)
        kept = self.kept.get(head.version_hash) if head.withdrawn_at is None else None
        if kept is None or kept.body is None:
            return None
        if not may_see(kept.envelope, caller):
            return error_response(404, *NOT_FOUND, headers=PRIVATE_HEADERS)
        return kept.response()

    async def get_document(self, request: Request) -> Response:
        """``GET /documents/{record_id}[?version=N]``: the envelope as the caller may see it
        (the latest version unless one is asked for), else 404 - the very same 404 as for a
        record that does not exist; 410 for a withdrawn record the caller could see.

        On a store whose reads are quick (SQLite), a version already served is answered
        here, on the event loop: one query by primary key and the sharing check, with no
        hand-off to a thread. Anything else - a first read, which parses and checks the
        envelope, or a store that waits on a server - runs in the thread pool."""
        caller = self.caller(request)
        version = _whole_number(request, "version", None, 1, 2**31)
        record_id = request.path_params["record_id"]
        if self.store.quick_reads:
            answer = self._read_kept(record_id, version, caller)
            if answer is not None:
                return answer
        return await run_in_threadpool(self._read, record_id, version, caller)

    def _withdraw(self, record_id: str, peer: str) -> Response:
        store = self.store.backend()
        record = store.record(record_id)
        if record is None or (record.publisher != peer and visible_document(record.envelope, Caller(peer)) is None):
            return error_response(404, *NOT_FOUND, headers=PRIVATE_HEADERS)
        if record.publisher != peer:
            raise NodeError(403, "forbidden", f"only the record's publisher ({record.publisher}) may withdraw it")
        if record.withdrawn_at is not None:
            return error_response(410, "withdrawn", f"the record was already withdrawn at {record.withdrawn_at}")
        try:
            with self.store.writing():
                withdrawn = store.withdraw(record_id, at=utc_now())
        except RecordConflict as exc:
            return error_response(410, "withdrawn", str(exc))
        logger.info("withdrew %s at the request of %s", record_id, peer)
        return json_response(summary(withdrawn, "withdrawn"), headers=PRIVATE_HEADERS)

    async def delete_document(self, request: Request) -> Response:
        """``DELETE /documents/{record_id}``: the publisher withdraws its record (a tombstone
        stays in the feed)."""
        peer = self.peer(request, "withdrawing a record")
        return await run_in_threadpool(self._withdraw, request.path_params["record_id"], peer)

    async def document(self, request: Request) -> Response:
        """``/documents/{record_id}``: read (GET) or withdraw (DELETE) - one route, so that a
        405 lists both methods in its ``Allow`` header."""
        return await (self.delete_document if request.method == "DELETE" else self.get_document)(request)

    async def feed(self, request: Request) -> Response:
        """``GET /feed?after=CURSOR&limit=N``: the changes after the cursor the caller may see."""
        caller = self.caller(request)
        after = decode_cursor(request.query_params.get("after"))
        limit = _whole_number(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT) or DEFAULT_LIMIT
        page = await run_in_threadpool(lambda: feed_page(self.store.backend(), caller, after, limit))
        return json_response(page.document(), headers=PRIVATE_HEADERS)

    # -- about an organisation ------------------------------------------------------------

    def _trusted(self, org_id: str, caller: Caller, schema: str | None = None) -> list[tuple[StoredRecord, dict[str, Any]]]:
        """The records about ``org_id`` that may speak for it and that ``caller`` may see,
        with the document the caller may see."""
        found = []
        for record in self.store.backend().records_about(org_id, schema):
            if not trusted_about(record, org_id, self.peers):
                continue
            document = visible_document(record.envelope, caller)
            if document is not None:
                found.append((record, document))
        found.sort(key=lambda pair: (generated_at(pair[1]), pair[0].record_id))
        return found

    def _history(self, org_id: str, caller: Caller) -> list[dict[str, Any]]:
        assessments = []
        for record, document in self._trusted(org_id, caller, ScoreCard.SCHEMA):
            card = document["payload"]
            if card.get("subject", {}).get("org_id") != org_id:
                continue
            assessments.append(
                AssessmentRecord(
                    record.record_id,
                    org_id,
                    card["framework_id"],
                    card["framework_version"],
                    card["framework_hash"],
                    document["provenance"]["generated_at"],
                    card,
                )
            )
        rows = history(assessments)
        versions = getattr(self.frameworks, "versions", None)
        if versions is None:
            return rows
        # Across versions of a framework, each category says whether it compares with the
        # assessment before (comparable, or not comparable and why), as `silk history` does;
        # a node keeps score cards, not the answers behind them, so it never re-scores.
        from .._history_versions import compare_versions

        return compare_versions(rows, versions)

    async def history(self, request: Request) -> Response:
        """``GET /organisations/{org_id}/history``: the score cards the caller may see, from
        publishers that may speak for the organisation, over time; across framework versions,
        each category marked comparable or not comparable (with why)."""
        caller = self.caller(request)
        org_id = org_id_of(request)
        rows = await run_in_threadpool(self._history, org_id, caller)
        return json_response({"organisation": org_id, "assessments": rows}, headers=PRIVATE_HEADERS)

    def _profile(self, org_id: str) -> bytes | None:
        public = Caller()  # a profile is public data, whoever asks
        organisation: Envelope | None = None
        extras: list[dict[str, Any]] = []
        for _record, document in self._trusted(org_id, public):
            payload = document["payload"]
            if payload.get("org_id") != org_id:
                continue
            if document["payload_schema"] == ORGANISATION_SCHEMA:
                organisation = envelope_of(document) or organisation  # the latest public record wins
            elif document["payload_schema"] == EXTRAS_SCHEMA:
                extras.append(dict(payload, schema=EXTRAS_SCHEMA))
        if organisation is None:
            return None
        try:
            return self.catalog.exporter("murmurations").export([organisation, *extras])
        except SilkError as exc:
            logger.warning("no Murmurations profile for %s: %s", org_id, exc)
            return None

    async def profile(self, request: Request) -> Response:
        """``GET /organisations/{org_id}/profile``: the organisation's public data as a
        Murmurations profile (``organizations_schema-v1.0.0``), made by the murmurations exporter."""
        self.caller(request)
        profile = await run_in_threadpool(self._profile, org_id_of(request))
        if profile is None:
            return error_response(404, "not_found", "no public profile of this organisation on this node")
        return Response(profile, media_type="application/json", headers={"X-Content-Type-Options": "nosniff", **PUBLIC_CACHE})
