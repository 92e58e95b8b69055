"""Who may see what: the one visibility rule, applied on every route that reads records.

``GET /documents``, ``GET /feed``, organisation histories and profiles all ask
:func:`visible_document`. The stored envelope decides, through :mod:`silkcore._sharing`: an
anonymous caller is the ``public`` audience; a peer is the ``network`` audience under its own
id, so it sees ``public`` records, ``network`` records (only those whose ``audience`` lists
it, when the list is not empty) and ``bilateral`` records addressed to it. A record that
names ``purposes`` goes only to a peer that declared one of them in the peers file.
``private`` records and expired ones go to no one. What does leave is redacted
(``redacted_fields``) and carries the content hash of the payload as it left. Anything else
- a body that is not an envelope, or one that no longer reads as one - is treated as private.

A record leaves exactly as it was stored when nothing is redacted, so a publisher's proof
still verifies wherever it goes; a redacted payload cannot carry the proof (it would no
longer verify), so the proof is removed with the redacted fields.

Profiles and histories add a trust rule (:func:`trusted_about`): only records whose
publisher is proven (the sending peer itself, or a valid signature) and is the organisation
itself or a publisher the peers file trusts for it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from .._convert import structure
from .._documents import doc_without_schema, to_document
from .._errors import SilkError
from .._model import Envelope
from .._sharing import content_hash, prepare_for, refusal
from .._store import StoredRecord
from ._auth import Caller, Peers

__all__ = ["envelope_of", "may_see", "shown_document", "trusted_about", "visible_document", "with_content_hash"]

logger = logging.getLogger("silkcore.node")

ENVELOPE_PREFIX = "silkcore_envelope-"


def envelope_of(body: Mapping[str, Any]) -> Envelope | None:
    """A stored body as an envelope, or None when it is not one (then it is never shown)."""
    schema = body.get("schema")
    if not isinstance(schema, str) or not schema.startswith(ENVELOPE_PREFIX):
        return None
    try:
        return structure(doc_without_schema(dict(body)), Envelope)
    except SilkError:
        logger.warning("a stored envelope no longer reads as one; treated as private")
        return None


def may_see(envelope: Envelope | None, caller: Caller, now: dt.datetime | None = None) -> bool:
    """Whether ``caller`` may receive ``envelope`` now (None, a body that is not an envelope: never)."""
    if envelope is None:
        return False
    now = now or dt.datetime.now(dt.UTC)
    return refusal(envelope, caller.audience, caller.peer, now, caller.purposes) is None


def with_content_hash(body: Mapping[str, Any]) -> dict[str, Any]:
    """An envelope nothing is redacted from, as it leaves: as stored, and an unsigned one
    with its payload's content hash, so the receiver can check the payload."""
    document = dict(body)
    if "proof" not in document and "content_hash" not in document["provenance"]:
        document["provenance"] = {**document["provenance"], "content_hash": content_hash(document["payload"])}
    return document


def shown_document(envelope: Envelope, body: Mapping[str, Any], caller: Caller, now: dt.datetime) -> dict[str, Any]:
    """The envelope as it leaves for a caller that may see it (:func:`may_see`): the same
    for every such caller - redacted and hashed, or as stored with its content hash."""
    if not envelope.sharing.redacted_fields:
        return with_content_hash(body)
    return to_document(prepare_for(envelope, caller.audience, caller.peer, now, caller.purposes))


def visible_document(body: Mapping[str, Any], caller: Caller, now: dt.datetime | None = None) -> dict[str, Any] | None:
    """The envelope ``body`` as ``caller`` may receive it (redacted, hashed), or None if it may not."""
    envelope = envelope_of(body)
    now = now or dt.datetime.now(dt.UTC)
    if envelope is None or not may_see(envelope, caller, now):
        return None
    return shown_document(envelope, body, caller, now)


def trusted_about(record: StoredRecord, organisation: str, peers: Peers) -> bool:
    """Whether ``record`` may speak about ``organisation`` in a profile or a history: its
    publisher is proven and is the organisation itself or trusted for it by the peers file."""
    if not record.publisher_verified:
        return False
    return record.publisher == organisation or peers.trusted_for(record.publisher, organisation)
