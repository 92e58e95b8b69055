"""Helpers for testing silkcore plugins (public, and free of test-only dependencies).

* :func:`catalog_with` builds a fresh catalog from the plugins you pass, without reading
  installed entry points - so a test never depends on what happens to be installed.
* :mod:`silkcore.testing.strategies` has Hypothesis strategies for every entity (it needs
  ``hypothesis``; ``entities`` and ``ENTITY_STRATEGIES`` are also reachable from here, loaded
  on first use).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .._catalog import Catalog, build_catalog

__all__ = ["ENTITY_STRATEGIES", "catalog_with", "entities"]


def catalog_with(
    *plugins: Any,
    strict: bool = False,
    debug: bool | None = None,
    open_frameworks: Mapping[str, str | Iterable[str]] | None = None,
) -> Catalog:
    """A fresh catalog holding only ``plugins`` (modules or objects with ``@hookimpl`` methods);
    ``debug`` keeps plugin failures' tracebacks, ``open_frameworks`` chooses scorers for other
    plugins' frameworks (as ``build_catalog`` takes them)."""
    return build_catalog(load_entrypoints=False, plugins=plugins, strict=strict, debug=debug, open_frameworks=open_frameworks)


def __getattr__(name: str) -> Any:
    # The strategies need hypothesis: imported only when a test asks for them.
    if name in ("entities", "ENTITY_STRATEGIES"):
        from . import strategies

        return getattr(strategies, name)
    raise AttributeError(f"module 'silkcore.testing' has no attribute {name!r}")
