"""The PostgreSQL dialect: a database reached by URL, through a thread-safe connection pool.

One :class:`PostgresStore` serves every thread: each operation borrows a connection from a
``psycopg_pool.ConnectionPool`` (autocommit connections; a write is one ``transaction()``
block). Writers of records and changes take ``pg_advisory_xact_lock`` on one constant key
first, so change numbers are handed out and committed in order - a feed reader that has seen
number N never later meets a new change numbered N or less. Durability is the server's:
``synchronous_commit`` (on by default) makes a commit wait for its WAL flush.

The schema version lives in the table ``silkcore_store_meta``; a database (in fact, the
schema the URL's ``search_path`` selects) that holds other tables and no such table is not a
silkcore store and is refused, untouched. psycopg is imported only when a URL is opened: it
is the ``[postgres]`` extra.
"""

from __future__ import annotations

import contextlib
import functools
import time
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar

from .._errors import StoreError
from .._extras import require_extra
from . import migrations
from .base import APPLICATION_ID, Location, Store
from .location import StoreURL, is_store_url, secrets_of
from .protocol import Db, Rows

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

__all__ = ["FEED_LOCK", "PostgresStore"]

#: The advisory lock every writer of the change feed takes ("SILKFEED").
FEED_LOCK = 0x53494C4B46454544
#: Seconds to wait for the server to answer a new connection (unless the URL says).
CONNECT_TIMEOUT = 10
#: Seconds an operation waits for a free pooled connection before it fails.
POOL_WAIT = 30.0
#: Connections per store object (one object serves a whole process's threads).
POOL_SIZE = 8
#: Seconds a pooled connection is trusted without a ping after it was last used.
FRESH = 2.0


@functools.lru_cache(maxsize=256)
def _placeholders(sql: str) -> str:
    """The store's ``?`` placeholders as psycopg's ``%s`` (the store's SQL has no ``%`` or ``?`` else)."""
    return sql.replace("?", "%s")


class _Connection:
    """A psycopg connection running the store's SQL (see :mod:`.protocol`)."""

    __slots__ = ("_conn",)

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> Rows:
        return self._conn.execute(_placeholders(sql), parameters or None)


def _one_line(exc: BaseException, url: StoreURL, secret: str | None) -> str:
    """The driver's message on one line, without the URL's password (libpq quotes a URL it
    cannot parse; the password may also be percent-encoded there or decoded)."""
    return _scrubbed(str(exc), url, secret)


def _scrubbed(text: str, url: StoreURL, secret: str | None) -> str:
    """``text`` on one line, with ``url`` shown redacted and nothing of its password in it."""
    text = " ".join(text.split()).replace(url.url, url.redacted)
    hidden = secrets_of(url.url) | ({secret} if secret else set())
    for part in sorted(hidden, key=len, reverse=True):  # the longest first: a piece may lie inside another
        # A secret of a character or two would be masked inside every word ("***ort"): the URL,
        # where it stands, is shown redacted above; the driver does not quote a password alone.
        if len(part) >= _SHORTEST_MASKED:
            text = text.replace(part, "***")
    return text


_SHORTEST_MASKED = 3


class PostgresStore(Store):
    """A store in a PostgreSQL database; one object for every thread of a process."""

    thread_safe = True
    _DDL_WORDS: ClassVar[Mapping[str, str]] = {"rowid": ",\n    rowid BIGINT GENERATED ALWAYS AS IDENTITY", "bigint": "BIGINT"}

    def __init__(self, url: Location, *, pool_size: int = POOL_SIZE) -> None:
        if not is_store_url(url):
            raise StoreError(f"{url} is not a PostgreSQL URL (postgresql://USER@HOST/DATABASE)")
        self.url = url if isinstance(url, StoreURL) else StoreURL(str(url))
        self.location = self.url.redacted
        require_extra("postgres", f"the store {self.location}")
        import psycopg
        from psycopg.conninfo import conninfo_to_dict
        from psycopg_pool import ConnectionPool

        self._errors = (psycopg.Error,)
        try:
            params = conninfo_to_dict(self.url.url)
        except psycopg.Error as exc:
            raise StoreError(f"not a valid PostgreSQL URL {self.location}: {_one_line(exc, self.url, None)}") from None
        self._secret = str(params["password"]) if params.get("password") else None
        # As the driver read the URL: a password written with a "/" reads as a host and a port.
        where = f"host {params.get('host') or 'localhost (default)'}, port {params.get('port') or 5432}"
        self._where = _scrubbed(where, self.url, self._secret)
        self._kwargs: dict[str, Any] = {"autocommit": True}
        if "connect_timeout" not in params:
            self._kwargs["connect_timeout"] = CONNECT_TIMEOUT
        self._pool_size = pool_size
        self._psycopg = psycopg
        self._pool_class = ConnectionPool
        #: When each pooled connection was last given back (forgotten with the connection).
        self._returned_at: weakref.WeakKeyDictionary[psycopg.Connection[Any], float] = weakref.WeakKeyDictionary()
        status = psycopg.pq.TransactionStatus
        self._open = (status.INTRANS, status.INERROR)
        self._pool: ConnectionPool[Any] = self._connect()

    def _check(self, conn: psycopg.Connection[Any]) -> None:
        """Ping a connection that has sat idle in the pool: one the server dropped (a restart,
        an idle timeout) is then replaced instead of failing a request. A connection returned
        moments ago is taken as it is - under load that saves a round trip per operation."""
        if time.monotonic() - self._returned_at.get(conn, 0.0) > FRESH:
            self._pool_class.check_connection(conn)

    def _note_return(self, conn: psycopg.Connection[Any]) -> None:
        self._returned_at[conn] = time.monotonic()

    def _open_backend(self) -> ConnectionPool[Any]:
        # One direct connection first: it fails at once, with libpq's reason, where a pool
        # would retry quietly until its timeout; and it checks the credentials.
        try:
            self._psycopg.connect(self.url.url, **self._kwargs).close()
        except self._psycopg.Error as exc:
            raise StoreError(
                f"cannot reach the PostgreSQL store {self.location} ({self._where}): {_one_line(exc, self.url, self._secret)}"
            ) from None
        pool = self._pool_class(
            self.url.url,
            kwargs=self._kwargs,
            min_size=1,
            max_size=self._pool_size,
            open=False,
            check=self._check,
            reset=self._note_return,
            name="silkcore-store",
            timeout=POOL_WAIT,
        )
        try:
            pool.open(wait=True, timeout=CONNECT_TIMEOUT + 5)
            self._pool = pool
            self._bring_up_to_date()
        except StoreError:
            pool.close()
            raise
        except self._psycopg.Error as exc:
            pool.close()
            raise StoreError(
                f"cannot open the store {self.location} ({self._where}): {_one_line(exc, self.url, self._secret)}"
            ) from None
        return pool

    @contextmanager
    def _transaction(self, feed: bool = False) -> Iterator[Db]:
        with self._pool.connection() as conn:
            # BEGIN and the feed lock in one round trip (no parameters: one simple query). The
            # lock is held to the end of the transaction, so the next writer's MAX(seq) sees
            # this commit.
            conn.execute(f"BEGIN; SELECT pg_advisory_xact_lock({FEED_LOCK})" if feed else "BEGIN")
            try:
                yield _Connection(conn)
            except BaseException:
                if conn.info.transaction_status in self._open:  # not when the connection broke
                    with contextlib.suppress(self._psycopg.Error):  # the error that matters is the first
                        conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def _reading(self) -> Iterator[Db]:
        with self._pool.connection() as conn:
            yield _Connection(conn)

    def _schema_version(self, db: Db) -> int:
        if db.execute("SELECT to_regclass('silkcore_store_meta') IS NOT NULL").fetchone()[0]:
            row = db.execute("SELECT application_id, version FROM silkcore_store_meta").fetchone()
            if row is None or row[0] != APPLICATION_ID:
                raise StoreError(f"the database {self.location} is not a silkcore store; it was left untouched")
            return int(row[1])
        schema, tables = db.execute(
            "SELECT current_schema(), (SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema())"
        ).fetchone()
        if tables:
            raise StoreError(
                f"the database {self.location} is not a silkcore store: its schema {schema} holds other tables; "
                "it was left untouched (use an empty database, or a schema of its own: ?options=-csearch_path%3DNAME)"
            )
        return 0

    def _set_schema_version(self, db: Db, version: int) -> None:
        db.execute("CREATE TABLE IF NOT EXISTS silkcore_store_meta (application_id BIGINT NOT NULL, version INTEGER NOT NULL)")
        db.execute("DELETE FROM silkcore_store_meta")
        db.execute("INSERT INTO silkcore_store_meta (application_id, version) VALUES (?, ?)", (APPLICATION_ID, version))

    def close(self) -> None:
        """Close the pool and its connections."""
        self._pool.close()

    def integrity(self) -> str:
        """ "ok" when the store is at the version this silkcore writes and every table reads."""
        with self._read() as db:
            version = db.execute("SELECT version FROM silkcore_store_meta").fetchone()[0]
            if version != migrations.LATEST:
                return f"schema version {version}, expected {migrations.LATEST}"
            for table in ("documents", "assessments", "record_heads", "records", "changes", "sync_cursors"):
                db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()  # noqa: S608 - fixed names
        return "ok"
