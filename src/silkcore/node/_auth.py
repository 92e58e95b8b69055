"""Who is asking: the peers file, hashed tokens and constant-time bearer authentication.

The peers file is ``{"peers": [{"id": PEER_URL, "token": SECRET}]}``. A peer may give
``"token_sha256": HEX`` instead of ``"token"``, so the file on disk need not hold the secret
at all. Secrets are hashed (SHA-256) as soon as the file is read and only the hashes are
kept. A presented token is hashed and compared with *every* peer's hash by
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
from ._http import NodeError

__all__ = ["Caller", "Peer", "Peers", "load_peers"]

#: RFC 6750 ``b64token`` characters; at least 16 of them, so a token cannot be guessed.
_TOKEN = re.compile(r"^[A-Za-z0-9\-._~+/]{16,512}=*$")
_HEX_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S{1,1990}$")
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="silkcore", error="invalid_token"'}


@attrs.frozen
class Caller:
    """Who made a request: a listed peer (``peer`` is its id) or anonymous (``None``)."""

    peer: str | None = None

    @property
    def audience(self) -> str:
        """The sharing audience this caller belongs to (:mod:`silkcore._sharing`)."""
        return "public" if self.peer is None else "network"


@attrs.frozen(repr=False)
class Peer:
    """A peer node: its id (a URL) and the SHA-256 of its token - never the token itself."""

    id: str
    token_sha256: bytes

    def __repr__(self) -> str:
        return f"Peer(id={self.id!r})"


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("ascii")).digest()


class Peers:
    """The peers this node knows, and bearer-token authentication against them."""

    def __init__(self, peers: Iterable[Peer] = ()) -> None:
        self._peers = tuple(peers)

    def __len__(self) -> int:
        return len(self._peers)

    @property
    def ids(self) -> list[str]:
        """The peers' ids, in file order."""
        return [p.id for p in self._peers]

    def identify(self, authorization: str | None) -> Caller:
        """The caller an ``Authorization`` header names; :class:`NodeError` 401 if it names none."""
        if authorization is None:
            return Caller()
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not _TOKEN.match(token):
            raise NodeError(401, "unauthorized", "expected 'Authorization: Bearer TOKEN' with a peer's token", headers=_CHALLENGE)
        presented = _digest(token)
        found: str | None = None
        for peer in self._peers:  # every hash is compared: the time does not tell which peer matched
            if hmac.compare_digest(presented, peer.token_sha256):
                found = peer.id
        if found is None:
            raise NodeError(401, "unauthorized", "the bearer token is not one this node knows", headers=_CHALLENGE)
        return Caller(found)


def _peer(entry: Any, index: int) -> tuple[Peer, list[Issue]]:
    where = f"/peers/{index}"
    if not isinstance(entry, dict):
        return Peer("", b""), [Issue(where, "expected an object with 'id' and 'token' (or 'token_sha256')")]
    issues = [
        Issue(f"{where}/{key}", f"unknown key {key!r}; expected id, token or token_sha256")
        for key in entry
        if key not in ("id", "token", "token_sha256")
    ]
    peer_id = entry.get("id")
    if not isinstance(peer_id, str) or not _URI.match(peer_id):
        issues.append(Issue(f"{where}/id", "expected the peer's id: a URL such as 'https://peer.example.org/'"))
        peer_id = ""
    token, hashed = entry.get("token"), entry.get("token_sha256")
    digest = b""
    if (token is None) == (hashed is None):
        issues.append(Issue(where, "give exactly one of 'token' and 'token_sha256'"))
    elif token is not None:
        if isinstance(token, str) and _TOKEN.match(token):
            digest = _digest(token)
        else:
            issues.append(Issue(f"{where}/token", "expected a bearer token of at least 16 characters (letters, digits, -._~+/)"))
    elif isinstance(hashed, str) and _HEX_DIGEST.match(hashed):
        digest = bytes.fromhex(hashed)
    else:
        issues.append(Issue(f"{where}/token_sha256", "expected the token's SHA-256 as 64 lowercase hexadecimal digits"))
    return Peer(peer_id, digest), issues


def parse_peers(document: Any, source: str = "<peers>") -> Peers:
    """Peers from a parsed peers document; :class:`DataError` with pointers if it is unsound."""
    if not isinstance(document, dict) or set(document) != {"peers"} or not isinstance(document["peers"], list):
        raise DataError([Issue("", 'expected {"peers": [{"id": PEER_URL, "token": SECRET}, ...]}', source)])
    peers: list[Peer] = []
    issues: list[Issue] = []
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
    return Peers(peers)


def load_peers(path: str | Path | None) -> Peers:
    """Read a peers file (strict JSON); no path means no peers (everyone is anonymous)."""
    if path is None:
        return Peers()
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DataError([Issue("", f"cannot read the peers file: {exc.strerror or exc}", str(path))]) from None
    return parse_peers(loads(data, source=str(path)), str(path))
