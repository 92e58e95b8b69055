"""Remembered values: derived once, then looked up (a framework compiled once into a scoring
plan and scored a million times; the same partner named by a million flows).

:class:`PerObject` keys by identity: frozen attrs objects holding dicts cannot be hashed, so
the cache keeps the object alive beside its value and an id is never reused while the entry
exists. :class:`BoundedMemo` keys by value (shared frozen values: partners, periods). Both
are bounded: they start afresh past ``limit`` entries. Answers are not remembered: a
response set is checked and scored against its framework's compiled plan
(:mod:`silkcore._scoring_index`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

__all__ = ["BoundedMemo", "PerObject"]

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


class BoundedMemo(dict[Any, Any]):
    """Values remembered by key, at most ``limit`` of them.

    ``memo[key]`` builds a missing value from the key itself with ``from_key`` (a hit then
    costs one dict lookup in C: what the hottest paths use)."""

    def __init__(self, limit: int, from_key: Callable[[Any], Any] | None = None) -> None:
        super().__init__()
        self._limit = limit
        self._from_key = from_key

    def __missing__(self, key: Any) -> Any:
        if self._from_key is None:
            raise KeyError(key)
        return self._store(key, self._from_key(key))

    def _store(self, key: Any, value: Any) -> Any:
        if len(self) >= self._limit:
            self.clear()
        self[key] = value
        return value
