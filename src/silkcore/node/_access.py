"""Who may see what, applied on every read.

The stored envelope decides, through :mod:`silkcore._sharing`: an anonymous caller is the
``public`` audience; a peer is the ``network`` audience under its own id, so it sees
``public`` records, ``network`` records (only those whose ``audience`` lists it, when the
list is not empty) and ``bilateral`` records addressed to it. ``private`` records and
expired ones go to no one. What does leave is redacted (``redacted_fields``) and carries the
content hash of the payload as it left. Anything else - a body that is not an envelope, or
one that no longer reads as one - is treated as private.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from .._convert import structure
from .._documents import doc_without_schema
from .._errors import SilkError
from .._model import Envelope
from .._sharing import prepare_for, refusal
from ._auth import Caller

__all__ = ["visible_envelope"]

logger = logging.getLogger("silkcore.node")


def visible_envelope(body: Mapping[str, Any], caller: Caller, now: dt.datetime | None = None) -> Envelope | None:
    """The envelope as ``caller`` may receive it (redacted, hashed), or None if it may not."""
    if body.get("schema") != Envelope.SCHEMA:
        return None
    try:
        envelope = structure(doc_without_schema(dict(body)), Envelope)
    except SilkError:
        logger.warning("a stored envelope no longer reads as one; treated as private")
        return None
    now = now or dt.datetime.now(dt.UTC)
    if refusal(envelope, caller.audience, caller.peer, now) is not None:
        return None
    return prepare_for(envelope, caller.audience, caller.peer, now)
