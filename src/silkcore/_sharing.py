"""Sharing rules for envelopes: who may receive a record, what is withheld, and its hash.

Levels, from most to least open: ``public`` (anyone), ``network`` (any peer of the network,
or only the peers named in ``audience`` when it lists some), ``bilateral`` (only the peers
named in ``audience``), ``private`` (never leaves the system). An expired record
(``expires_at`` in the past) is shared with no one. A record that names ``purposes`` goes
only to a receiver that declared at least one of them (a node knows its peers' purposes from
its peers file; anonymous callers declare none); an export by the record's own holder, which
names no receiver's purposes, does not apply this test. Redaction removes the fields named in
``redacted_fields`` (``payload.amount``...) before anything leaves; the content hash is
computed over the payload as it leaves, so the receiver can check what it got. Redaction
removes a proof, which the redacted payload could no longer satisfy.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from collections.abc import Collection
from typing import Any

import attrs

from ._errors import DataError, Issue
from ._model import Envelope, SharingLevel, expect_argument

__all__ = ["content_hash", "prepare_for", "refusal", "verify_received"]

AUDIENCES = ("public", "network", "bilateral")


def content_hash(payload: dict[str, Any]) -> str:
    """``sha256:`` of the payload's canonical JSON (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _moment(now: dt.datetime | None) -> dt.datetime:
    """``now`` (default: this instant in UTC), which must say its time zone: comparing a naive
    time with a record's expiry would mean guessing which zone it was in."""
    if now is None:
        return dt.datetime.now(dt.UTC)
    if not isinstance(now, dt.datetime) or now.utcoffset() is None:
        raise DataError([Issue("", f"now must be a datetime with a time zone, got {now!r:.80}")])
    return now


def _expired(envelope: Envelope, now: dt.datetime) -> dt.datetime | None:
    """The record's ``sharing.expires_at`` if it has passed at ``now``, else None."""
    expires_at = envelope.sharing.expires_at
    if expires_at is None:
        return None
    if not isinstance(expires_at, dt.datetime) or expires_at.utcoffset() is None:  # an entity built by hand
        raise DataError([Issue("/sharing/expires_at", f"expected a date-time with a time zone, got {expires_at!r:.80}")])
    return expires_at if expires_at <= now else None


def refusal(
    envelope: Envelope,
    audience: str,
    peer: str | None = None,
    now: dt.datetime | None = None,
    purposes: Collection[str] | None = None,
) -> str | None:
    """Why ``envelope`` may not go to ``audience`` (and ``peer``, who declared ``purposes``;
    None: the receiver's purposes are not known here), or None if it may. ``now`` (default:
    this instant) must say its time zone: :class:`DataError` otherwise."""
    expect_argument(envelope, Envelope, "envelope", "read it with load_document")
    if audience not in AUDIENCES:
        return f"unknown audience {audience!r}; expected one of {', '.join(AUDIENCES)}"
    now = _moment(now)
    sharing = envelope.sharing
    expired = _expired(envelope, now)
    if expired is not None:
        return f"the record expired at {expired.isoformat()} and may no longer be shared"
    level = sharing.level
    if level == SharingLevel.PRIVATE:
        return "the record is private: it never leaves the system"
    if purposes is not None and sharing.purposes and not set(sharing.purposes) & set(purposes):
        return f"the record is shared only for {', '.join(sharing.purposes)}, and the receiver declared none of these"
    if level == SharingLevel.PUBLIC:
        return None
    if audience == "public":
        return f"the record is shared at level {level.value!r}, not with the public"
    if level == SharingLevel.BILATERAL or sharing.audience:
        if peer is None:
            return f"the record is shared only with {', '.join(sharing.audience) or 'named peers'}: name the receiving peer"
        if peer not in sharing.audience:
            return f"peer {peer!r} is not in the record's audience"
    return None


def _redact(payload: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    result = copy.deepcopy(payload)
    for field in fields:
        parts = field.split(".")[1:]  # drop the leading "payload"
        node: Any = result
        for part in parts[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(parts[-1], None)
    return result


def prepare_for(
    envelope: Envelope,
    audience: str,
    peer: str | None = None,
    now: dt.datetime | None = None,
    purposes: Collection[str] | None = None,
) -> Envelope:
    """The envelope as it may leave for ``audience``: redacted and hashed; DataError if refused."""
    reason = refusal(envelope, audience, peer, now, purposes)
    if reason is not None:
        raise DataError([Issue("/sharing", f"not exported: {reason}")])
    if not envelope.sharing.redacted_fields:
        return attrs.evolve(envelope, provenance=attrs.evolve(envelope.provenance, content_hash=content_hash(envelope.payload)))
    payload = _redact(envelope.payload, envelope.sharing.redacted_fields)
    provenance = attrs.evolve(envelope.provenance, content_hash=content_hash(payload))
    # A redacted payload is no longer what its publisher signed: the proof could only fail.
    return attrs.evolve(envelope, payload=payload, provenance=provenance, proof=None)


def verify_received(envelope: Envelope, now: dt.datetime | None = None) -> None:
    """Check a received envelope: not expired, and the payload matches its content hash."""
    expect_argument(envelope, Envelope, "envelope", "read it with load_document")
    expired = _expired(envelope, _moment(now))
    if expired is not None:
        raise DataError([Issue("/sharing/expires_at", f"the record expired at {expired.isoformat()}; not imported")])
    expected = envelope.provenance.content_hash
    if expected is not None and content_hash(envelope.payload) != expected:
        raise DataError(
            [Issue("/provenance/content_hash", "the payload does not match its content hash: it was altered after export")]
        )
