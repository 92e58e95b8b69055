"""Who is asking: the peers file, hashed tokens and constant-time bearer authentication.

The peers file is ``{"peers": [{"id": PEER_URL, "token": SECRET}]}``. A peer may give
``"token_sha256": HEX`` instead of ``"token"``, so the file on disk need not hold the secret
at all. Each peer may also list:

* ``keys``: the ``did:key`` identifiers of the Ed25519 keys it signs with (a record it
  published and another node relays is accepted on the strength of such a signature);
* ``purposes``: what it uses records for (a record limited to other purposes is invisible
  to it);
* ``trusted_for``: organisation ids this node trusts it to publish about (profiles and
  histories are built only from records published by the organisation itself or by a peer
  trusted for it).

``"publishers": [{"id", "keys", "trusted_for"}]`` lists signers that are not peers: they
never call the node, but records they signed may reach it through a peer or ``silk sync``.

Secrets are hashed (SHA-256) as soon as the file is read and only the hashes are kept.
A presented token is hashed and compared with *every* peer's hash by
:func:`hmac.compare_digest`, so neither the comparison nor the loop ends early.

Decisions:

* no ``Authorization`` header: the caller is anonymous and sees ``public`` records only;
* an ``Authorization`` header that is not a known bearer token: ``401`` on every endpoint.
  A client that tried to authenticate learns that it failed, instead of silently seeing
  less; the answer does not depend on the resource, so it reveals nothing about it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from .._errors import DataError, Issue
from .._jsonio import loads
from ._node_error import NodeError

__all__ = ["CALLER", "TOKEN_RULE", "Caller", "Peer", "Peers", "is_bearer_token", "load_peers"]

#: The ASGI scope key under which the limits middleware leaves the caller it identified, so
#: that the route does not hash and compare the token a second time.
CALLER = "silkcore.node.caller"

#: RFC 6750 ``b64token`` characters; at least 16 of them, so a token cannot be guessed. Matched
#: whole (``fullmatch``): ``$`` would also let a final line feed through.
_TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]{16,512}=*")
#: The token rule in words, for the messages of every door that applies it.
TOKEN_RULE = "a bearer token of 16 to 512 characters (letters, digits, -._~+/, then any '=')"
_HEX_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S{1,1990}$")
_DID_KEY = re.compile(r"^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{40,60}$")
_PURPOSE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_ORG = re.compile(r"^[^\s\x00-\x1f\ufeff]{1,300}$")
_PEER_KEYS = ("id", "token", "token_sha256", "keys", "purposes", "trusted_for")
_PUBLISHER_KEYS = ("id", "keys", "trusted_for")
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="silkcore", error="invalid_token"'}


@attrs.frozen
class Caller:
    """Who made a request: a listed peer (``peer`` is its id) or anonymous (``None``), and
    the purposes it declared (anonymous callers declare none)."""

    peer: str | None = None
    purposes: frozenset[str] = frozenset()

    @property
    def audience(self) -> str:
        """The sharing audience this caller belongs to (:mod:`silkcore._sharing`)."""
        return "public" if self.peer is None else "network"


@attrs.frozen(repr=False)
class Peer:
    """A peer node: its id (a URL) and the SHA-256 of its token - never the token itself -
    with its signing keys, declared purposes and the organisations it is trusted for.
    A publisher that is not a peer has no token (``token_sha256`` empty)."""

    id: str
    token_sha256: bytes
    keys: frozenset[str] = frozenset()
    purposes: frozenset[str] = frozenset()
    trusted_for: frozenset[str] = frozenset()

    def __repr__(self) -> str:
        return f"Peer(id={self.id!r})"


def is_bearer_token(token: str) -> bool:
    """Whether ``token`` keeps the one token rule (:data:`TOKEN_RULE`): of the peers file, of the
    ``Authorization`` header a node accepts, and of ``silk sync --token`` (which must never put a
    line break or another character HTTP cannot carry into a header)."""
    return _TOKEN.fullmatch(token) is not None


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("ascii")).digest()


class Peers:
    """The peers this node knows, and bearer-token authentication against them."""

    def __init__(self, peers: Iterable[Peer] = (), publishers: Iterable[Peer] = ()) -> None:
        self._peers = tuple(peers)
        self._known = {p.id: p for p in (*publishers, *self._peers)}

    def __len__(self) -> int:
        return len(self._peers)

    @property
    def ids(self) -> list[str]:
        """The peers' ids, in file order."""
        return [p.id for p in self._peers]

    def keys_of(self, publisher: str) -> frozenset[str]:
        """The ``did:key`` ids the peers file lists for ``publisher`` (none if unknown)."""
        known = self._known.get(publisher)
        return known.keys if known else frozenset()

    def trusted_for(self, publisher: str, organisation: str) -> bool:
        """Whether the peers file trusts ``publisher`` to publish about ``organisation``."""
        known = self._known.get(publisher)
        return known is not None and organisation in known.trusted_for

    def identify(self, authorization: str | None) -> Caller:
        """The caller an ``Authorization`` header names; :class:`NodeError` 401 if it names none."""
        if authorization is None:
            return Caller()
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not is_bearer_token(token):
            raise NodeError(401, "unauthorized", "expected 'Authorization: Bearer TOKEN' with a peer's token", headers=_CHALLENGE)
        presented = _digest(token)
        found: Peer | None = None
        for peer in self._peers:  # every hash is compared: the time does not tell which peer matched
            if hmac.compare_digest(presented, peer.token_sha256):
                found = peer
        if found is None:
            raise NodeError(401, "unauthorized", "the bearer token is not one this node knows", headers=_CHALLENGE)
        return Caller(found.id, found.purposes)


def _strings(
    entry: dict[str, Any], key: str, where: str, pattern: re.Pattern[str], expected: str
) -> tuple[frozenset[str], list[Issue]]:
    """An optional list of strings that each match ``pattern``."""
    value = entry.get(key, [])
    if not isinstance(value, list):
        return frozenset(), [Issue(f"{where}/{key}", f"expected a list of {expected}")]
    issues = [
        Issue(f"{where}/{key}/{i}", f"expected {expected}")
        for i, v in enumerate(value)
        if not (isinstance(v, str) and pattern.match(v))
    ]
    return frozenset(v for v in value if isinstance(v, str)), issues


def _identity(entry: dict[str, Any], where: str, allowed: tuple[str, ...]) -> tuple[Peer, list[Issue]]:
    """The id, keys, purposes and trust of a peer or publisher entry (no token)."""
    issues = [
        Issue(f"{where}/{key}", f"unknown key {key!r}; expected {', '.join(allowed)}") for key in entry if key not in allowed
    ]
    peer_id = entry.get("id")
    if not isinstance(peer_id, str) or not _URI.match(peer_id):
        issues.append(Issue(f"{where}/id", "expected an id: a URL such as 'https://peer.example.org/'"))
        peer_id = ""
    keys, found = _strings(entry, "keys", where, _DID_KEY, "an Ed25519 did:key such as 'did:key:z6Mk...'")
    issues += found
    purposes, found = _strings(entry, "purposes", where, _PURPOSE, "a purpose code (lowercase letters, digits, _)")
    issues += found
    trusted, found = _strings(entry, "trusted_for", where, _ORG, "an organisation id (no spaces, at most 300 characters)")
    issues += found
    return Peer(peer_id, b"", keys, purposes, trusted), issues


def _peer(entry: Any, index: int) -> tuple[Peer, list[Issue]]:
    where = f"/peers/{index}"
    if not isinstance(entry, dict):
        return Peer("", b""), [Issue(where, "expected an object with 'id' and 'token' (or 'token_sha256')")]
    identity, issues = _identity(entry, where, _PEER_KEYS)
    token, hashed = entry.get("token"), entry.get("token_sha256")
    digest = b""
    if (token is None) == (hashed is None):
        issues.append(Issue(where, "give exactly one of 'token' and 'token_sha256'"))
    elif token is not None:
        if isinstance(token, str) and is_bearer_token(token):
            digest = _digest(token)
        else:
            issues.append(Issue(f"{where}/token", f"expected {TOKEN_RULE}"))
    elif isinstance(hashed, str) and _HEX_DIGEST.match(hashed):
        digest = bytes.fromhex(hashed)
    else:
        issues.append(Issue(f"{where}/token_sha256", "expected the token's SHA-256 as 64 lowercase hexadecimal digits"))
    return attrs.evolve(identity, token_sha256=digest), issues


def _publishers(document: dict[str, Any]) -> tuple[list[Peer], list[Issue]]:
    entries = document.get("publishers", [])
    if not isinstance(entries, list):
        return [], [Issue("/publishers", 'expected a list of {"id": URL, "keys": [DID_KEY]}')]
    publishers: list[Peer] = []
    issues: list[Issue] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            issues.append(Issue(f"/publishers/{index}", 'expected {"id": URL, "keys": [DID_KEY], "trusted_for": [ORG_ID]}'))
            continue
        publisher, found = _identity(entry, f"/publishers/{index}", _PUBLISHER_KEYS)
        publishers.append(publisher)
        issues += found
    return publishers, issues


def parse_peers(document: Any, source: str = "<peers>") -> Peers:
    """Peers from a parsed peers document; :class:`DataError` with pointers if it is unsound."""
    if (
        not isinstance(document, dict)
        or "peers" not in document
        or not set(document) <= {"peers", "publishers"}
        or not isinstance(document["peers"], list)
    ):
        raise DataError([Issue("", 'expected {"peers": [{"id": PEER_URL, "token": SECRET}, ...], "publishers": [...]}', source)])
    peers: list[Peer] = []
    publishers, issues = _publishers(document)
    seen_ids: dict[str, int] = {}
    seen_tokens: dict[bytes, int] = {}
    for index, entry in enumerate(document["peers"]):
        peer, found = _peer(entry, index)
        issues += found
        if peer.id and peer.id in seen_ids:
            issues.append(Issue(f"/peers/{index}/id", f"peer {peer.id!r} is listed twice (first at /peers/{seen_ids[peer.id]})"))
        if peer.token_sha256 and peer.token_sha256 in seen_tokens:
            issues.append(
                Issue(f"/peers/{index}", f"this token is also /peers/{seen_tokens[peer.token_sha256]}'s: each peer needs its own")
            )
        seen_ids.setdefault(peer.id, index)
        seen_tokens.setdefault(peer.token_sha256, index)
        peers.append(peer)
    if issues:
        raise DataError([i.located(source) for i in issues])
    return Peers(peers, publishers)


def load_peers(path: str | Path | None) -> Peers:
    """Read a peers file (strict JSON); no path means no peers (everyone is anonymous)."""
    if path is None:
        return Peers()
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DataError([Issue("", f"cannot read the peers file: {exc.strerror or exc}", str(path))]) from None
    return parse_peers(loads(data, source=str(path)), str(path))
