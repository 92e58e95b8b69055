"""Values derived once per frozen object (a framework read once, scored a million times).

Frozen attrs objects holding dicts cannot be hashed, so the cache is keyed by identity and
keeps the object alive beside its value: an id is never reused while the entry exists.
Bounded: a cache starts afresh past ``limit`` entries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

__all__ = ["PerObject"]

T = TypeVar("T")
V = TypeVar("V")


class PerObject(Generic[T, V]):
    """``cache(obj)`` gives ``derive(obj)``, computed on the first call for that very object."""

    def __init__(self, derive: Callable[[T], V], limit: int = 256) -> None:
        self._derive = derive
        self._limit = limit
        self._entries: dict[int, tuple[Any, V]] = {}

    def __call__(self, obj: T) -> V:
        found = self._entries.get(id(obj))
        if found is not None and found[0] is obj:
            return found[1]
        value = self._derive(obj)
        if len(self._entries) >= self._limit:
            self._entries.clear()
        self._entries[id(obj)] = (obj, value)
        return value
