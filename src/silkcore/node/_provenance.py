"""Who may speak for whom: a record's publisher is proven by the sender or by a signature.

A record's ``publisher.id`` is a claim. It is *proven* when the party that handed the record
over is the publisher itself (the authenticated peer of ``POST /documents``, or the node
``silk sync`` pulls from), or when the envelope carries a valid ``eddsa-jcs-2022`` proof by
a key of the publisher: the publisher's id is that ``did:key`` itself, or the peers file
lists the key for it. A proof that is present must verify, whoever sends it.

The node refuses an unproven record (403); ``silk sync`` keeps it, marked unproven, since
the node it pulls from vouches for what it received - but only proven records count for an
organisation's profile and history (:func:`silkcore.node._access.trusted_about`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from .._errors import Issue
from .._proof import verify_envelope

__all__ = ["publisher_proven", "unproven_reason"]


def publisher_proven(document: dict[str, Any], sender: str, keys_of: Callable[[str], Collection[str]]) -> bool:
    """Whether the envelope's publisher is proven when ``sender`` hands it over.

    Raises :class:`DataError` (pointer ``/proof...``) when a proof is present and does not
    verify: a damaged signature is an error, not merely a missing proof."""
    publisher: str = document["publisher"]["id"]
    if "proof" in document:
        signer = verify_envelope(document)
        if signer == publisher or signer in keys_of(publisher):
            return True
    return publisher == sender


def unproven_reason(document: dict[str, Any], sender: str) -> Issue:
    """The issue to report for an envelope whose publisher is not proven."""
    publisher = document["publisher"]["id"]
    if "proof" in document:
        return Issue(
            "/proof/verificationMethod",
            f"the proof is valid but its key is not one of {publisher!r}'s (the publisher's id is not that did:key, "
            "and the peers file lists no such key for it)",
        )
    return Issue(
        "/publisher/id",
        f"the envelope names {publisher!r} as its publisher, but it was sent by {sender!r}: a peer publishes only as itself, "
        "or relays a record its publisher signed",
    )
