"""Receiving a record from a peer: strict parsing, validation, wrapping, provenance.

``POST /documents`` takes either an envelope, which keeps its record id, publisher,
provenance, sharing terms and proof (after the checks of
:func:`silkcore._sharing.verify_received` - not expired, payload matching its content hash -
and the publisher rule of :mod:`silkcore.node._provenance`: a peer publishes only as itself,
or relays a record its publisher signed; 403 otherwise), or a bare document, which is
wrapped in a ``private`` envelope naming the peer that sent it as publisher and as
``attributed_to``, with method ``imported`` - so a bare document is kept but never leaves
the node.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Collection
from typing import Any

import attrs

from .._documents import FrameworkResolver, check
from .._errors import DataError, Issue, SchemaValidationError
from .._jsonio import Limits, loads
from .._model import Envelope
from .._schemas import SchemaRegistry
from .._sharing import verify_received
from ._node_error import NodeError
from ._provenance import publisher_proven, unproven_reason
from ._subject import subject_of

__all__ = ["Received", "parse_body", "receive", "subject_of", "wrap"]

ENVELOPE_SCHEMA = Envelope.SCHEMA
SOURCE_SYSTEM = "silkcore node"


@attrs.frozen
class Received:
    """A record ready to store: the envelope's JSON, the organisation it is about, and
    whether its publisher is proven (always, for what a node accepts from a peer)."""

    envelope: dict[str, Any]
    subject: str | None
    publisher_verified: bool = True


def parse_body(raw: bytes, limits: Limits) -> Any:
    """Parse a request body strictly (no NaN, no duplicate keys, bounded depth); issues carry
    JSON Pointers and, for syntax errors, line and column."""
    return loads(raw, source="<body>", limits=limits)


def wrap(document: dict[str, Any], schema_name: str, peer: str, now: dt.datetime) -> dict[str, Any]:
    """A bare document as a private envelope, with the sending peer as its provenance."""
    return {
        "schema": ENVELOPE_SCHEMA,
        "record_id": f"urn:uuid:{uuid.uuid4()}",
        "payload_schema": schema_name,
        "publisher": {"id": peer},
        "provenance": {
            "generated_at": now.isoformat(timespec="seconds").replace("+00:00", "Z"),
            "source_system": SOURCE_SYSTEM,
            "method": "imported",
            "attributed_to": peer,
        },
        "sharing": {"level": "private"},
        "payload": dict(document, schema=schema_name),
    }


#: The web questionnaire's own drafts, teams and invitations: this node's state, never a
#: peer's publication (a planted one could otherwise be served as a questionnaire).
_OWN_STATE_PREFIX = "silkcore_questionnaire-"


def _refuse_questionnaire_state(document: Any) -> None:
    """:class:`DataError` for a questionnaire record, bare or in an envelope, sent by a peer."""
    named = document.get("payload_schema", document.get("schema")) if isinstance(document, dict) else None
    if isinstance(named, str) and named.startswith(_OWN_STATE_PREFIX):
        pointer = "/payload_schema" if "payload_schema" in document else "/schema"
        raise DataError([Issue(pointer, "questionnaire records are a node's own state: not accepted from peers")])


def receive(
    raw: bytes,
    peer: str,
    registry: SchemaRegistry,
    limits: Limits,
    now: dt.datetime | None = None,
    frameworks: FrameworkResolver | None = None,
    keys_of: Callable[[str], Collection[str]] = lambda _publisher: (),
) -> Received:
    """Parse, validate and prepare a body ``peer`` sent; :class:`DataError` or
    :class:`SchemaValidationError` (with pointers) when it is not sound, :class:`NodeError`
    403 when it names a publisher ``peer`` cannot speak for (``keys_of``: the signing keys the
    peers file lists for a publisher). The verdict is :func:`~silkcore._documents.check`'s
    (response sets checked against ``frameworks``)."""
    now = now or dt.datetime.now(dt.UTC)
    document = parse_body(raw, limits)
    entity, issues = check(document, registry=registry, frameworks=frameworks)
    if issues:
        raise SchemaValidationError(issues)
    _refuse_questionnaire_state(document)
    if isinstance(entity, Envelope):
        verify_received(entity, now)
        if not publisher_proven(document, peer, keys_of):
            raise NodeError(
                403,
                "forbidden_publisher",
                "this peer may not publish as the envelope's publisher",
                [unproven_reason(document, peer)],
            )
        return Received(document, subject_of(entity.payload))
    name, _ = registry.resolve_name(document)
    if name is None or not isinstance(document, dict):  # check() accepted it, so this cannot happen
        raise DataError([Issue("/schema", "the document does not name a known schema")])
    return Received(wrap(document, name, peer, now), subject_of(document))
