"""Drafts, teams and invitations as private records of the store.

Each is the payload (``silkcore_questionnaire-v1.0.0``) of a ``private`` envelope kept with
:meth:`~silkcore._store.base.Store.put_record`, so it lives in the same store as the node's
records and the assessment history - an SQLite file or PostgreSQL - and is never shown to
any peer (the node's one visibility rule refuses private records to everyone).

* The record id is derived from the SHA-256 of the link's token and its kind
  (:func:`~silkcore.web._security.record_id_for`); the token is never stored.
* Every save is a new version. Versions are ordered by ``provenance.generated_at``, so each
  save is stamped to the microsecond and strictly after the version it follows; two saves
  that race are both kept, the later one being the draft.
* A team's respondents are the records whose ``subject`` is the team's record id (the
  store's ``records_about``): joining never rewrites the team's own record, so two people
  joining at once cannot lose each other.

Every method blocks (the database); the routes call them in Starlette's thread pool.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from .._store import RecordConflict, StoredRecord
from ..node._storage import NodeStore
from ._security import record_id_for

__all__ = ["PAYLOAD_SCHEMA", "SOURCE_SYSTEM", "Saved", "WebRecords", "utc_stamp"]

PAYLOAD_SCHEMA = "silkcore_questionnaire-v1.0.0"
ENVELOPE_SCHEMA = "silkcore_envelope-v1.1.0"
SOURCE_SYSTEM = "silkcore.web"
#: How often a save stamped too early (another save of the same record came first) is retried.
_ATTEMPTS = 5
_TICK = dt.timedelta(microseconds=1)


def _parse(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def utc_stamp(after: str | None = None) -> str:
    """Now, in UTC to the microsecond (RFC 3339), and strictly later than ``after``."""
    now = dt.datetime.now(dt.UTC)
    if after is not None:
        now = max(now, _parse(after) + _TICK)
    return now.isoformat(timespec="microseconds").replace("+00:00", "Z")


@attrs.frozen
class Saved:
    """One questionnaire record as last saved: its id, state and version's stamp."""

    record_id: str
    payload: dict[str, Any]
    generated_at: str
    version: int

    @classmethod
    def of(cls, record: StoredRecord) -> Saved:
        """The saved state a stored version holds."""
        return cls(record.record_id, dict(record.envelope["payload"]), record.generated_at, record.version)

    @property
    def kind(self) -> str:
        """``respondent``, ``team`` or ``invitation``."""
        return str(self.payload["kind"])


class WebRecords:
    """The questionnaire's records in a node store (see the module's docstring)."""

    def __init__(self, store: NodeStore, publisher: str) -> None:
        self.store = store
        #: The envelope's publisher: this questionnaire (a URI the operator may choose).
        self.publisher = publisher

    def _envelope(self, record_id: str, payload: dict[str, Any], generated_at: str) -> dict[str, Any]:
        return {
            "schema": ENVELOPE_SCHEMA,
            "record_id": record_id,
            "payload_schema": PAYLOAD_SCHEMA,
            "publisher": {"id": self.publisher},
            "provenance": {"generated_at": generated_at, "source_system": SOURCE_SYSTEM, "method": "self_declared"},
            "sharing": {"level": "private"},
            "payload": payload,
        }

    def _put(self, record_id: str, payload: dict[str, Any], after: str | None) -> Saved:
        # A team's respondent is filed under the team (every version: the store lists a record
        # by its latest version's subject); nothing else is about anything the store can list.
        subject = payload.get("team") if payload["kind"] == "respondent" else None
        store = self.store.backend()
        for _ in range(_ATTEMPTS):
            stamp = utc_stamp(after)
            try:
                outcome = store.put_record(
                    self._envelope(record_id, payload, stamp),
                    received_from=self.publisher,
                    received_at=stamp,
                    subject=subject,
                    publisher_verified=True,
                )
            except RecordConflict:
                latest = store.record(record_id)
                if latest is None or latest.withdrawn_at is not None:
                    raise
                after = latest.generated_at  # another save came first: stamp this one after it
                continue
            return Saved.of(outcome.record)
        raise RecordConflict(f"record {record_id} is being saved by too many requests at once")

    def create(self, token: str, payload: dict[str, Any]) -> Saved:
        """Keep a new record reached by ``token`` (its kind is the payload's)."""
        return self._put(record_id_for(token, payload["kind"]), payload, None)

    def save(self, saved: Saved, payload: dict[str, Any]) -> Saved:
        """Keep a new version of ``saved`` holding ``payload``."""
        return self._put(saved.record_id, payload, saved.generated_at)

    def find(self, token: str, kind: str) -> Saved | None:
        """The record of this kind ``token`` reaches, or None."""
        return self.by_id(record_id_for(token, kind), kind)

    def by_id(self, record_id: str, kind: str) -> Saved | None:
        """The latest version of a questionnaire record of this kind, or None."""
        record = self.store.backend().record(record_id)
        if record is None or record.withdrawn_at is not None or not self._own(record):
            return None
        saved = Saved.of(record)
        return saved if saved.kind == kind else None

    def members(self, team: Saved, limit: int) -> list[Saved]:
        """The respondents of a team, first joined first (at most ``limit``)."""
        found = self.store.backend().records_about(team.record_id, PAYLOAD_SCHEMA, limit)
        return [Saved.of(r) for r in found if self._own(r) and r.envelope["payload"].get("kind") == "respondent"]

    def _own(self, record: StoredRecord) -> bool:
        """Whether ``record`` is one this questionnaire kept: published and received by itself.
        A record a peer sent (published under the peer's own id, which the node checks) is never
        taken for a draft, a team or an invitation, whatever its payload says."""
        return record.payload_schema == PAYLOAD_SCHEMA and record.publisher == self.publisher == record.received_from
