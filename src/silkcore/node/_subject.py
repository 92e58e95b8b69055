"""The organisation a document is about, read the same way by the node and by ``silk sync``.

Kept apart from the node's HTTP modules so that ``silk sync`` works without the [serve] extra.
"""

from __future__ import annotations

from typing import Any

__all__ = ["subject_of"]


def _org_id(value: Any) -> str | None:
    if isinstance(value, str) and value:
        return value
    if isinstance(value, dict) and isinstance(value.get("org_id"), str):
        return str(value["org_id"])
    return None


def subject_of(payload: dict[str, Any]) -> str | None:
    """The organisation a document is about: its ``org_id``, ``subject``, ``organisation``,
    or a flow's focal organisation (else its provider)."""
    for key in ("org_id", "subject", "organisation", "focal_organisation", "provider"):
        found = _org_id(payload.get(key))
        if found:
            return found
    return None
