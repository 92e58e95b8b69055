"""Signed envelopes: W3C Data Integrity proofs with the ``eddsa-jcs-2022`` cryptosuite.

The algorithms are those of *Data Integrity EdDSA Cryptosuites v1.0* (W3C Recommendation,
section 3.3), for a JSON document and an Ed25519 key named as a ``did:key``:

* transformation: the document without ``proof``, canonicalised with JCS (RFC 8785);
* proof configuration: the proof without ``proofValue`` - carrying the document's
  ``@context`` when it has one - canonicalised with JCS;
* hashing: ``SHA-256(configuration) || SHA-256(document)``, 64 bytes, configuration first;
* signature: Ed25519 over those 64 bytes; ``proofValue`` is ``z`` + base58-btc of it.

:func:`add_proof` and :func:`verify_proof` work on any JSON document (the W3C test vector
goes through them); :func:`sign_envelope` and :func:`verify_envelope` are what silkcore
offers for envelopes. Verification never goes online: the only verification method accepted
is a ``did:key``, which holds the public key itself.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from ._convert import json_data_issues, parse_datetime, structure, unstructure
from ._errors import DataError, Issue
from ._keys import SigningKey, b58decode, b58encode, ed25519_public_key
from ._model import Envelope
from ._sharing import content_hash

__all__ = ["CRYPTOSUITE", "add_proof", "hash_data", "sign_envelope", "verify_envelope", "verify_proof"]

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-jcs-2022"
PURPOSE = "assertionMethod"
_ENVELOPES = ("silkcore_envelope-v1.0.0", Envelope.SCHEMA)


def _jcs(value: Any, pointer: str) -> bytes:
    """JCS bytes of ``value``; a :class:`DataError` at ``pointer`` for what JCS cannot write
    (an integer beyond 2**53, which JSON numbers cannot carry exactly, a NaN...)."""
    import rfc8785  # on first use, as the Ed25519 code (see silkcore._keys)

    try:
        return rfc8785.dumps(value)
    except rfc8785.CanonicalizationError as exc:
        raise DataError([Issue(pointer, f"cannot be canonicalised with JCS (RFC 8785), so cannot be signed: {exc}")]) from None


def hash_data(document: Mapping[str, Any], proof_config: Mapping[str, Any]) -> bytes:
    """The 64 bytes an ``eddsa-jcs-2022`` signature covers: SHA-256 of the canonical proof
    configuration, then SHA-256 of the canonical document (without its proof)."""
    return hashlib.sha256(_jcs(proof_config, "/proof")).digest() + hashlib.sha256(_jcs(document, "")).digest()


def add_proof(document: Mapping[str, Any], key: SigningKey, options: Mapping[str, Any]) -> dict[str, Any]:
    """``document`` with ``proof`` set to a new proof made from ``options`` (the proof
    without ``proofValue``) and signed by ``key``; any proof it had is replaced."""
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    config = {name: value for name, value in options.items() if name != "proofValue"}
    if "@context" in unsecured:
        config["@context"] = unsecured["@context"]
    signature = key.sign(hash_data(unsecured, config))
    return {**unsecured, "proof": {**config, "proofValue": "z" + b58encode(signature)}}


def _xsd_datetime(value: dt.datetime) -> str:
    """``2026-02-02T09:30:00Z``: UTC, written the way silkcore writes every date-time."""
    if value.tzinfo is None:
        raise DataError([Issue("/proof/created", "expected a date-time with a time zone, got a naive one")])
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def sign_envelope(envelope: dict[str, Any], key: SigningKey, *, created: dt.datetime | None = None) -> dict[str, Any]:
    """A signed copy of ``envelope`` (a v1.0.0 or v1.1.0 envelope document, validated by the
    caller): schema ``silkcore_envelope-v1.1.0``, the payload's content hash set when absent,
    any earlier proof replaced by ``key``'s ``eddsa-jcs-2022`` proof dated ``created``
    (default: now, to the second). The envelope is first written in silkcore's own form -
    what :func:`~silkcore.load_document` then :func:`~silkcore.dump_document` give - so
    reading and writing it again does not break the signature.

    Raises :class:`DataError` (with JSON Pointers) for a document that is not an envelope, a
    content hash that does not match the payload, or data JCS cannot canonicalise."""
    issues = json_data_issues(envelope)
    if issues:
        raise DataError(issues)
    if not isinstance(envelope, dict) or envelope.get("schema") not in _ENVELOPES:
        raise DataError([Issue("/schema", f"expected an envelope ({' or '.join(_ENVELOPES)})")])
    fields = {name: value for name, value in copy.deepcopy(envelope).items() if name not in ("schema", "proof")}
    document: dict[str, Any] = {"schema": Envelope.SCHEMA, **unstructure(structure(fields, Envelope))}
    # The hash is set before signing: a node that adds it on the way out (as exports do)
    # then changes nothing the signature covers.
    provenance = document["provenance"]
    expected = content_hash(document["payload"])
    if provenance.setdefault("content_hash", expected) != expected:
        raise DataError(
            [Issue("/provenance/content_hash", "does not match the payload: the envelope was changed after it was hashed")]
        )
    when = created if created is not None else dt.datetime.now(dt.UTC).replace(microsecond=0)
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": _xsd_datetime(when),
        "verificationMethod": key.verification_method,
        "proofPurpose": PURPOSE,
    }
    return add_proof(document, key, options)


def _signature_of(proof: Mapping[str, Any]) -> tuple[bytes | None, list[Issue]]:
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        return None, [Issue("/proof/proofValue", "expected a multibase base58-btc signature (a string starting with 'z')")]
    if len(value) > 100:  # 64 bytes are at most 88 characters; base58 decoding costs n**2, so no more is read
        return None, [Issue("/proof/proofValue", f"an Ed25519 signature is about 88 characters long, not {len(value)}")]
    try:
        signature = b58decode(value[1:])
    except ValueError as exc:
        return None, [Issue("/proof/proofValue", str(exc))]
    if len(signature) != 64:
        return None, [Issue("/proof/proofValue", f"an Ed25519 signature has 64 bytes, this one {len(signature)}")]
    return signature, []


def _signer_of(proof: Mapping[str, Any]) -> tuple[tuple[str, bytes] | None, list[Issue]]:
    """The did:key and public key the verification method names (resolved locally)."""
    where = "/proof/verificationMethod"
    method = proof.get("verificationMethod")
    if not isinstance(method, str):
        return None, [Issue(where, "expected a did:key verification method (did:key:z6Mk...#z6Mk...)")]
    did, _, fragment = method.partition("#")
    try:
        public = ed25519_public_key(did)
    except ValueError as exc:
        return None, [Issue(where, f"{exc}, got {method[:120]!r}")]
    if fragment != did.removeprefix("did:key:"):
        return None, [Issue(where, "a did:key verification method names its own key as fragment: did:key:z6Mk...#z6Mk...")]
    return (did, public), []


def _proof_issues(secured: Mapping[str, Any], proof: Mapping[str, Any], now: dt.datetime) -> list[Issue]:
    """What makes ``proof`` unusable before any signature is checked."""
    issues = [
        Issue(f"/proof/{name}", f"expected {wanted!r}")
        for name, wanted in (("type", PROOF_TYPE), ("cryptosuite", CRYPTOSUITE), ("proofPurpose", PURPOSE))
        if proof.get(name) != wanted
    ]
    for name in ("created", "expires"):
        if name not in proof:
            continue
        try:
            moment = parse_datetime(proof[name], dt.datetime)
        except (TypeError, ValueError) as exc:
            issues.append(Issue(f"/proof/{name}", f"expected a date-time with a time zone: {exc}"))
            continue
        if name == "expires" and moment <= now:
            issues.append(Issue("/proof/expires", f"the proof expired at {proof[name]}"))
    context = proof.get("@context")
    if context is not None:
        # Verification puts the proof's @context on the document (W3C algorithm, step 4):
        # it must be where the document's own @context begins.
        own = secured.get("@context")
        wanted = context if isinstance(context, list) else [context]
        have = own if isinstance(own, list) else [own]
        if have[: len(wanted)] != wanted:
            issues.append(Issue("/proof/@context", "the document's @context does not begin with the proof's"))
    return issues


def verify_proof(secured: Mapping[str, Any], *, now: dt.datetime | None = None) -> str:
    """Check the ``eddsa-jcs-2022`` proof of any JSON document; returns the signer's
    ``did:key`` (without fragment). :class:`DataError` with pointers under ``/proof`` when
    there is no usable proof or its signature does not verify."""
    proof = secured.get("proof")
    if proof is None:
        raise DataError([Issue("/proof", "there is no proof: the document is not signed")])
    if not isinstance(proof, dict):
        kind = "a proof set (several proofs), which is not supported here" if isinstance(proof, list) else "not an object"
        raise DataError([Issue("/proof", f"expected one proof object; this is {kind}")])
    signature, issues = _signature_of(proof)
    signer, more = _signer_of(proof)
    issues += more + _proof_issues(secured, proof, now or dt.datetime.now(dt.UTC))
    if issues or signature is None or signer is None:
        raise DataError(issues)
    did, public = signer
    unsecured = {name: value for name, value in secured.items() if name != "proof"}
    config = {name: value for name, value in proof.items() if name != "proofValue"}
    if "@context" in config:
        unsecured["@context"] = config["@context"]
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, hash_data(unsecured, config))
    except (InvalidSignature, ValueError):
        message = f"the signature does not verify: the document was changed after it was signed, or not signed by {did}"
        raise DataError([Issue("/proof/proofValue", message)]) from None
    return did


def verify_envelope(envelope: dict[str, Any], *, now: dt.datetime | None = None) -> str:
    """Check an envelope's proof and return who signed it: the signer's ``did:key`` (no
    fragment). Compare it with ``publisher.id`` to know whether the publisher signed.

    Raises :class:`DataError` with JSON-Pointer issues (``/proof``, ``/proof/proofValue``,
    ``/proof/verificationMethod``...) when the envelope carries no proof, the method is not
    a ``did:key`` Ed25519 key, the proof expired (``expires`` before ``now``) or the
    signature does not match the envelope. Works on the document as received: nothing is
    looked up online."""
    if not isinstance(envelope, dict):
        raise DataError([Issue("", "expected an envelope: a JSON object")])
    return verify_proof(envelope, now=now)
