"""Remembered values: derived once, then looked up (a framework read once, scored a million
times; the same partner named by a million flows).

:class:`PerObject` keys by identity: frozen attrs objects holding dicts cannot be hashed, so
the cache keeps the object alive beside its value and an id is never reused while the entry
exists. :class:`BoundedMemo` keys by value, with :func:`exact_key` where two equal-looking
JSON values must stay apart. Both are bounded: they start afresh past ``limit`` entries.

Whether two answers are the same *answer* is not a question for this module: that is
:func:`silkcore._answers.answer_key`. :func:`exact_key` only makes sure a remembered object
is handed back for a value written exactly the same way, since the object shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

__all__ = ["BoundedMemo", "PerObject", "exact_key"]

T = TypeVar("T")
V = TypeVar("V")
_ABSENT = object()


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
    costs one dict lookup in C: what the hottest paths use); :meth:`remember` builds it from
    other arguments. A key that cannot be hashed is built every time, never remembered."""

    def __init__(self, limit: int, from_key: Callable[[Any], Any] | None = None) -> None:
        super().__init__()
        self._limit = limit
        self._from_key = from_key

    def __missing__(self, key: Any) -> Any:
        if self._from_key is None:
            raise KeyError(key)
        return self._store(key, self._from_key(key))

    def remember(self, key: Any, build: Callable[..., Any], *args: Any) -> Any:
        """The value for ``key``, built by ``build(*args)`` the first time."""
        try:
            found = self.get(key, _ABSENT)
        except TypeError:  # unhashable: built, not remembered
            return build(*args)
        if found is _ABSENT:
            found = self._store(key, build(*args))
        return found

    def _store(self, key: Any, value: Any) -> Any:
        if len(self) >= self._limit:
            self.clear()
        self[key] = value
        return value


def exact_key(value: Any) -> Any:
    """A memo key equal for two JSON values only when they are written the same way: ``true``
    is not ``1``, ``1`` is not ``1.0``, ``-0.0`` is not ``0.0`` (the remembered messages,
    entities and trace entries quote the value). Never a test of answer equality."""
    kind = type(value)
    if kind is float:
        return (kind, repr(value))
    if kind is tuple or kind is list:
        return (kind, tuple(map(exact_key, value)))
    return (kind, value)
