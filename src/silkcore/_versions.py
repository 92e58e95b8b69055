"""Upgrading documents from an older schema version to the current one.

A MINOR version only adds optional fields, so its upgrade just renames the schema; a MAJOR
version would need a real transformation here. Old versions stay in the registry, so old
documents keep validating as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._errors import Issue, SchemaValidationError

__all__ = ["UPGRADES", "upgrade"]

Document = dict[str, Any]


def _rename(target: str) -> Callable[[Document], Document]:
    def step(document: Document) -> Document:
        return {**document, "schema": target}

    return step


#: One step per (from, to) pair; :func:`upgrade` chains them.
UPGRADES: dict[str, tuple[str, Callable[[Document], Document]]] = {
    "silkcore_framework-v1.0.0": ("silkcore_framework-v1.1.0", _rename("silkcore_framework-v1.1.0")),
    # v1.2.0 adds the optional ``changes`` (declared changes from an earlier version).
    "silkcore_framework-v1.1.0": ("silkcore_framework-v1.2.0", _rename("silkcore_framework-v1.2.0")),
    # v1.1.0 adds the optional ``proof`` (a signature); an unsigned envelope is the same either way.
    "silkcore_envelope-v1.0.0": ("silkcore_envelope-v1.1.0", _rename("silkcore_envelope-v1.1.0")),
}


def upgrade(document: Document, target: str | None = None) -> Document:
    """Return ``document`` upgraded step by step to ``target`` (default: the newest version)."""
    current = document.get("schema")
    result = document
    while isinstance(current, str) and current != target and current in UPGRADES:
        current, step = UPGRADES[current]
        result = step(result)
    if target is not None and current != target:
        raise SchemaValidationError([Issue("/schema", f"no upgrade path from {document.get('schema')!r} to {target!r}")])
    return result
