"""What the store's SQL runs on: a connection (or transaction) that executes one statement.

The SQL of the store is written once, with ``?`` placeholders; an SQLite connection runs it
as it is, and the PostgreSQL dialect hands the same text, placeholders turned into ``%s``,
to psycopg (:mod:`silkcore._store.postgres`). Both return a cursor with ``fetchone`` and
``fetchall``, which is all the store's logic uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

__all__ = ["Db", "Rows"]


class Rows(Protocol):
    """The result of one statement."""

    def fetchone(self) -> Any:
        """The next row, or None."""

    def fetchall(self) -> list[Any]:
        """Every remaining row."""


class Db(Protocol):
    """A connection inside a transaction (or in autocommit, for a single read)."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Rows:
        """Run one statement with ``?`` placeholders."""
