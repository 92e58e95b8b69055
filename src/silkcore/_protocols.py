"""Shapes of the components plugins register besides frameworks and scorers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

__all__ = ["Analysis", "Exporter", "Importer"]


@runtime_checkable
class Exporter(Protocol):
    """Writes silkcore documents in another format (``silk export --format ID``)."""

    @property
    def id(self) -> str:
        """The format name users type, e.g. ``markdown`` or ``valueflows``."""
        ...

    @property
    def media_type(self) -> str:
        """The IANA media type of the output, e.g. ``text/markdown``."""
        ...

    def export(self, documents: Sequence[Any], **options: str) -> bytes:
        """Turn validated documents (entities or plain data for plugin kinds) into bytes.

        ``options`` carry command-line choices such as ``audience``; ignore those you do not use.
        """
        ...


@runtime_checkable
class Importer(Protocol):
    """Reads another format into silkcore documents (``silk import --format ID``)."""

    @property
    def id(self) -> str:
        """The format name users type."""
        ...

    def import_(self, data: bytes, source: str) -> list[dict[str, Any]]:
        """Return silkcore documents as JSON values; the host validates every one."""
        ...


@runtime_checkable
class Analysis(Protocol):
    """An analysis over an organisation's documents (flows, strategies, measurements...)."""

    @property
    def id(self) -> str:
        """A stable id, e.g. ``flows.matrix``."""
        ...

    def run(self, documents: Sequence[Any]) -> dict[str, Any]:
        """Analyse the documents and return a JSON-ready result."""
        ...
