"""Ed25519 signing keys as ``did:key`` identities, and the key file that holds one.

A publisher's identity is its public key written as a ``did:key``: ``did:key:z`` followed
by the base58-btc encoding of the multicodec prefix ``0xed 0x01`` and the 32-byte Ed25519
public key (so every such identity starts ``did:key:z6Mk``). Anyone can turn it back into the
public key without asking anything on the network, which is why silkcore accepts no other
kind of verification method. The verification method named in a proof is the did:key with
its own key as fragment: ``did:key:z6Mk...#z6Mk...``.

The key file is a W3C Multikey (Controlled Identifiers v1.0) with its secret, as JSON::

    {
      "type": "Multikey",
      "id": "did:key:z6Mk...#z6Mk...",
      "controller": "did:key:z6Mk...",
      "publicKeyMultibase": "z6Mk...",
      "secretKeyMultibase": "z3u2..."
    }

``secretKeyMultibase`` is base58-btc of the multicodec prefix ``0x80 0x26`` (ed25519-priv)
and the 32-byte private key (its seed); the other members are derived from it and checked
against it when the file is read. It is written with mode 0600, atomically, and never over
an existing file unless that is asked for: replacing a key file loses the identity.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import DataError, Issue
from ._jsonio import dumps, loads

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

__all__ = [
    "SigningKey",
    "b58decode",
    "b58encode",
    "ed25519_public_key",
    "load_signing_key",
    "new_signing_key",
    "save_signing_key",
]

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {char: value for value, char in enumerate(_ALPHABET)}
#: multicodec varints: ed25519-pub (0xed) and ed25519-priv (0x1300)
PUBLIC_PREFIX = b"\xed\x01"
SECRET_PREFIX = b"\x80\x26"
DID_KEY = "did:key:"
#: A key file is a few hundred bytes; anything much larger is not one.
MAX_KEY_FILE = 64 * 1024
_MEMBERS = ("type", "id", "controller", "publicKeyMultibase", "secretKeyMultibase")


def b58encode(data: bytes) -> str:
    """Base58 (Bitcoin alphabet): each leading zero byte is a ``1``, the rest a base-58 number."""
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, rest = divmod(number, 58)
        digits.append(_ALPHABET[rest])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(digits))


def b58decode(text: str) -> bytes:
    """The bytes of a base58 (Bitcoin alphabet) string; ValueError naming a foreign character."""
    number = 0
    for char in text:
        value = _INDEX.get(char)
        if value is None:
            raise ValueError(f"{char!r} is not a base58-btc character")
        number = number * 58 + value
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def _multibase_key(text: str, prefix: bytes, what: str) -> bytes:
    """The 32 key bytes of a multibase (``z``, base58-btc) multicodec key; ValueError if it is not one."""
    if not text.startswith("z"):
        raise ValueError(f"expected a multibase base58-btc {what} (starting with 'z')")
    if len(text) > 60:  # 34 bytes are 47 or 48 characters; longer input is not decoded (base58 costs n**2)
        raise ValueError(f"expected an Ed25519 {what}, which is about 48 characters long, not {len(text)}")
    raw = b58decode(text[1:])
    if len(raw) != len(prefix) + 32 or not raw.startswith(prefix):
        raise ValueError(f"expected an Ed25519 {what}: multicodec 0x{prefix.hex()} and 32 bytes")
    return raw[len(prefix) :]


def ed25519_public_key(did: str) -> bytes:
    """The 32-byte Ed25519 public key a ``did:key`` names (resolved here, never online);
    ValueError saying why ``did`` is not such a key."""
    if not did.startswith(DID_KEY):
        raise ValueError("expected a did:key identifier (did:key:z6Mk...); no other method is resolved")
    return _multibase_key(did[len(DID_KEY) :], PUBLIC_PREFIX, "public key")


class SigningKey:
    """An Ed25519 private key and the ``did:key`` identity it signs as.

    Make one with :func:`new_signing_key`, read one with :func:`load_signing_key`, keep one
    with :func:`save_signing_key`. Its ``repr`` names the identity, never the secret."""

    __slots__ = ("_private", "did", "public_key_multibase", "verification_method")

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private
        public = private.public_key().public_bytes_raw()
        #: ``z6Mk...``: the public key as a multibase multicodec string
        self.public_key_multibase = "z" + b58encode(PUBLIC_PREFIX + public)
        #: ``did:key:z6Mk...``: who signs
        self.did = DID_KEY + self.public_key_multibase
        #: ``did:key:z6Mk...#z6Mk...``: the key a proof names as its verification method
        self.verification_method = f"{self.did}#{self.public_key_multibase}"

    @classmethod
    def from_secret_multibase(cls, secret: str) -> SigningKey:
        """The key a ``secretKeyMultibase`` (``z3u2...``) holds; ValueError if it holds none."""
        return cls(_ed25519().Ed25519PrivateKey.from_private_bytes(_multibase_key(secret, SECRET_PREFIX, "secret key")))

    def sign(self, data: bytes) -> bytes:
        """The 64-byte Ed25519 signature of ``data``."""
        return self._private.sign(data)

    def key_document(self) -> dict[str, str]:
        """The key file's content: a Multikey with its secret (keep it private)."""
        seed = self._private.private_bytes_raw()
        return {
            "type": "Multikey",
            "id": self.verification_method,
            "controller": self.did,
            "publicKeyMultibase": self.public_key_multibase,
            "secretKeyMultibase": "z" + b58encode(SECRET_PREFIX + seed),
        }

    def __repr__(self) -> str:
        return f"SigningKey(did={self.did!r})"

    def __reduce__(self) -> Any:
        # A secret key does not travel by pickle (to a worker process, a cache...) by accident.
        raise TypeError("a SigningKey is not pickled; save it with save_signing_key and load it where it is needed")


def new_signing_key() -> SigningKey:
    """A new, random Ed25519 signing key."""
    return SigningKey(_ed25519().Ed25519PrivateKey.generate())


def _ed25519() -> Any:
    """``cryptography``'s Ed25519 module, imported on first use: ``import silkcore`` stays
    as quick for the many programs that never sign (it costs about 10 ms)."""
    from cryptography.hazmat.primitives.asymmetric import ed25519

    return ed25519


def _key_from_document(document: Any, source: str) -> SigningKey:
    """The key a parsed key file holds, each problem at its pointer."""
    if not isinstance(document, dict):
        raise DataError([Issue("", "expected a key file: a JSON object with type 'Multikey' and secretKeyMultibase", source)])
    issues = [Issue(f"/{name}", f"unknown member {name!r} in a key file", source) for name in document if name not in _MEMBERS]
    if document.get("type") != "Multikey":
        issues.append(Issue("/type", "expected 'Multikey'", source))
    secret = document.get("secretKeyMultibase")
    key: SigningKey | None = None
    if not isinstance(secret, str):
        issues.append(Issue("/secretKeyMultibase", "missing: the file holds no secret key (is it a public key only?)", source))
    else:
        try:
            key = SigningKey.from_secret_multibase(secret)
        except ValueError as exc:
            issues.append(Issue("/secretKeyMultibase", str(exc), source))
    if key is not None:
        derived = key.key_document()
        issues += [
            Issue(f"/{name}", f"does not match the secret key, which is {derived[name]!r}", source)
            for name in ("id", "controller", "publicKeyMultibase")
            if name in document and document[name] != derived[name]
        ]
    if issues or key is None:
        raise DataError(issues)
    return key


def load_signing_key(path: str | os.PathLike[str]) -> SigningKey:
    """Read a key file (see the module's description); :class:`DataError` naming the file
    and the member at fault when it cannot be read or holds no sound key."""
    source = os.fspath(path)
    try:
        with open(source, "rb") as handle:
            data = handle.read(MAX_KEY_FILE + 1)
    except OSError as exc:
        raise DataError([Issue("", f"cannot read the key file: {exc.strerror or exc}", source)]) from None
    if len(data) > MAX_KEY_FILE:
        raise DataError([Issue("", f"a key file is a few hundred bytes; this one is over {MAX_KEY_FILE}", source)])
    return _key_from_document(loads(data, source=source), source)


def save_signing_key(key: SigningKey, path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write ``key`` to a new key file readable by its owner only (mode 0600), atomically:
    the complete file appears at ``path`` or nothing does. An existing file is a
    :class:`DataError` unless ``force`` (replacing a key file loses the identity it held)."""
    target = Path(path)
    shown = os.fspath(path)
    if target.is_dir():
        raise DataError([Issue("", "is a directory; give a file name", shown)])
    if not force and os.path.lexists(target):
        raise _exists(shown)
    text = dumps(key.key_document()) + "\n"
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:100]}.", suffix=".tmp")
    except OSError as exc:
        raise DataError([Issue("", f"cannot write in {target.parent}: {exc.strerror or exc}", shown)]) from None
    temporary = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            # mkstemp already creates the file 0600; said again so that no umask or platform default matters.
            os.fchmod(handle.fileno(), 0o600)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        _place(temporary, target, shown, force)
    except OSError as exc:
        raise DataError([Issue("", f"cannot write the key file: {exc.strerror or exc}", shown)]) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return target


def _place(temporary: Path, target: Path, shown: str, force: bool) -> None:
    """Put the finished temporary file at ``target``. Without ``force``, as a hard link: that
    fails if anything appeared there meanwhile, so no race can overwrite a key."""
    if force:
        os.replace(temporary, target)
    else:
        try:
            os.link(temporary, target)
        except FileExistsError:
            raise _exists(shown) from None
        except OSError:
            # A filesystem without hard links: look, then rename (a narrow race, never half a file).
            if os.path.lexists(target):
                raise _exists(shown) from None
            os.replace(temporary, target)
    with contextlib.suppress(OSError):  # make the new name durable (best effort)
        directory = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def _exists(shown: str) -> DataError:
    return DataError([Issue("", "a file is already there; a key file is never replaced unless forced (--force)", shown)])
