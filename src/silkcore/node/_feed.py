"""The feed: what changed on this node, in a stable order, as one caller may see it.

Every stored version and every withdrawal is a change with a sequence number the store hands
out in commit order (:meth:`silkcore._store.Store.changes`), so a reader that has seen
change N never later finds a new change at or below N. A page lists the changes after a
cursor that the caller may see (the one visibility rule of :mod:`silkcore.node._access`) and
gives the cursor to ask from next. The cursor is opaque to clients: they store it and send
it back.

A page reads at most ``SCAN_FACTOR * limit`` changes, so a caller who may see little of a
large store gets short (even empty) pages with ``more: true`` instead of making one request
scan everything; following ``next`` always makes progress.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from typing import Any

import attrs

from .._store import Change, Store
from ._access import visible_document
from ._auth import Caller
from ._http import NodeError

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "FeedPage", "decode_cursor", "encode_cursor", "feed_page"]

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
SCAN_FACTOR = 10
_PREFIX = "silkfeed1:"
_CURSOR = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@attrs.frozen
class FeedPage:
    """Items the caller may see, the cursor to continue from, and whether more may follow."""

    items: list[dict[str, Any]]
    next: str
    more: bool

    def document(self) -> dict[str, Any]:
        """The page as ``GET /feed`` answers it."""
        return {"items": self.items, "next": self.next, "more": self.more}


def encode_cursor(seq: int) -> str:
    """The opaque cursor for "after change ``seq``"."""
    return base64.urlsafe_b64encode(f"{_PREFIX}{seq}".encode("ascii")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The change number a cursor stands for (0 for none); 400 when it is not one of ours."""
    if cursor is None or cursor == "":
        return 0
    try:
        if not _CURSOR.match(cursor):
            raise ValueError(cursor)
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        number = text[len(_PREFIX) :]
        # ASCII digits, and a change number the store can hold (SQLite and PostgreSQL: 64 bits)
        if not text.startswith(_PREFIX) or not (number.isascii() and number.isdigit()) or len(number) > 18:
            raise ValueError(text)
        return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise NodeError(400, "bad_cursor", "'after' is not a cursor this node gave out: use the 'next' of a feed page") from None


def _when(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _item(change: Change, caller: Caller, now: dt.datetime) -> dict[str, Any] | None:
    """The feed entry for ``change`` if ``caller`` may see it. A tombstone is shown to those
    who could see the record when it was withdrawn."""
    record = change.record
    document = visible_document(record.envelope, caller, _when(change.changed_at) if change.withdrawn else now)
    if document is None:
        return None
    item: dict[str, Any] = {
        "record_id": change.record_id,
        "version": change.version,
        "schema": change.payload_schema,
        "publisher": record.publisher,
        "changed_at": change.changed_at,
        "withdrawn": change.withdrawn,
    }
    if not change.withdrawn:
        item["content_hash"] = document["provenance"].get("content_hash")
    return item


def feed_page(store: Store, caller: Caller, after: int, limit: int, now: dt.datetime | None = None) -> FeedPage:
    """The changes after ``after`` that ``caller`` may see, at most ``limit`` of them."""
    now = now or dt.datetime.now(dt.UTC)
    items: list[dict[str, Any]] = []
    position, budget = after, SCAN_FACTOR * limit
    while True:
        wanted = min(budget, 2 * limit)
        batch = store.changes(position, wanted)
        for change in batch:
            position, budget = change.seq, budget - 1
            item = _item(change, caller, now)
            if item is not None:
                items.append(item)
                if len(items) == limit:
                    return FeedPage(items, encode_cursor(position), more=True)
        if len(batch) < wanted:  # the end of the log
            return FeedPage(items, encode_cursor(position), more=False)
        if budget == 0:
            return FeedPage(items, encode_cursor(position), more=True)
