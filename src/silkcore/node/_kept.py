"""What the node made of each record version it served, kept by version hash, so that a read
of a version already served costs one small query and no parsing, checking or serialising.

A stored version never changes: its ``version_hash`` is the SHA-256 of its canonical form,
and its number, sender and reception time are fixed when it is stored. So for each version
read the node keeps (:class:`KeptVersions`, bounded in entries and bytes, least recently
used forgotten first):

* the envelope as the sharing rule reads it (:class:`~silkcore._model.Envelope`), or None
  when the stored body is not an envelope (then it is never shown);
* the whole answer - the JSON written once, and its headers - as soon as a caller allowed to
  see the version has read it: every caller allowed to see a version receives the same
  bytes (as stored with its content hash, or redacted and hashed: redaction depends on the
  record's terms, not on who asks).

What depends on the caller or the time is decided on every read, never kept: whether the
record is withdrawn (read from the store each time, with the version's hash) and whether
the caller may see it now (:func:`silkcore._sharing.refusal`, with the expiry).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from .._jsonio import dumps
from .._model import Envelope
from .._store import StoredRecord
from ._access import envelope_of
from ._http import BASE_HEADERS, PRIVATE_HEADERS

__all__ = ["KeptVersion", "KeptVersions", "PreparedResponse", "record_headers"]

#: Defaults: versions kept, and the bytes of their answers together.
MAX_ENTRIES = 4096
MAX_BYTES = 32 * 1024 * 1024


def record_headers(record: StoredRecord) -> dict[str, str]:
    """Where a record came from, beside its body (which stays as the publisher made it)."""
    return {
        **PRIVATE_HEADERS,
        "ETag": f'"{record.version_hash}"',
        "Silk-Record-Version": str(record.version),
        "Silk-Received-From": record.received_from,
        "Silk-Received-At": record.received_at,
    }


def raw_headers(headers: Mapping[str, str], body: bytes) -> list[tuple[bytes, bytes]]:
    """The headers of a JSON answer with ``body``, as the ASGI server takes them."""
    every = {**BASE_HEADERS, **headers}
    raw = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in every.items()]
    return [*raw, (b"content-length", str(len(body)).encode("ascii")), (b"content-type", b"application/json")]


class PreparedResponse(Response):
    """A response whose body and headers were written before: nothing is built per request."""

    def __init__(self, body: bytes, raw: list[tuple[bytes, bytes]], status_code: int = 200) -> None:
        self.status_code = status_code
        self.background = None
        self.body = body
        self.raw_headers = raw


class KeptVersion:
    """One version as the node serves it (see the module's docstring)."""

    __slots__ = ("_record_headers", "body", "envelope", "headers", "size")

    def __init__(self, record: StoredRecord) -> None:
        self.envelope: Envelope | None = envelope_of(record.envelope)
        #: The answer every caller allowed to see the version receives, once written (None before).
        self.body: bytes | None = None
        self.headers: list[tuple[bytes, bytes]] = []
        self._record_headers = record_headers(record)
        self.size = 1024  # the entity; the answer is added when written

    def write(self, document: Mapping[str, Any]) -> int:
        """Write the answer (:func:`~silkcore.node._access.shown_document`); the bytes it added."""
        self.body = dumps(document, indent=None).encode("utf-8")
        self.headers = raw_headers(self._record_headers, self.body)
        added = 2 * len(self.body)  # the answer, and about as much again for the entity
        self.size += added
        return added

    def response(self) -> Response:
        """The whole answer (once written)."""
        assert self.body is not None
        return PreparedResponse(self.body, self.headers)


class KeptVersions:
    """Kept versions by version hash, bounded; safe to use from several threads."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[str, KeptVersion] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, version_hash: str) -> KeptVersion | None:
        """The version kept under ``version_hash``, now the most recently used; None if none."""
        with self._lock:
            kept = self._entries.get(version_hash)
            if kept is not None:
                self._entries.move_to_end(version_hash)
            return kept

    def keep(self, record: StoredRecord) -> KeptVersion:
        """The version ``record`` is, kept (its answer is written by :meth:`write`)."""
        kept = KeptVersion(record)
        with self._lock:
            old = self._entries.pop(record.version_hash, None)
            if old is not None:
                self.size -= old.size
            self._entries[record.version_hash] = kept
            self.size += kept.size
            self._trim()
        return kept

    def write(self, version_hash: str, kept: KeptVersion, document: Mapping[str, Any]) -> Response:
        """Write ``kept``'s answer from ``document``, once; the answer."""
        if kept.body is None:
            added = kept.write(document)
            with self._lock:
                if self._entries.get(version_hash) is kept:
                    self.size += added
                    self._trim()
        return kept.response()

    def _trim(self) -> None:
        while self._entries and (len(self._entries) > self.max_entries or self.size > self.max_bytes):
            _, dropped = self._entries.popitem(last=False)
            self.size -= dropped.size
