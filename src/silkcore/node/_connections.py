"""Connection limits for ``silk serve``: read timeouts and a connection cap, in uvicorn's
h11 protocol (:func:`protocol_class`), a listening socket that never lets connections take
the last file descriptors (:class:`GuardedListener`), and the open-file limit that fits
them (:func:`fit_open_files`).

uvicorn's only timeout on a connection is its keep-alive timeout, and any byte received
cancels it: a client that sends a byte every few seconds holds a connection (and a file
descriptor) forever, and a thousand of them exhaust the process's open files. An ASGI
middleware cannot help - it runs only once the headers are complete - so the guard lives
in the protocol. One timer per connection, re-armed as the request advances:

* from the connection's start, and from the end of each answer: the next request's headers
  must have arrived within ``header_timeout``. If nothing at all came, the connection is
  simply closed; if part of a request did, it is answered 408 and closed;
* from the end of the headers: the body must have arrived within ``body_timeout`` (408,
  closed - unless the route had already answered, then just closed);
* once a request has been received in full, no timer runs while the route handles it.

The phase is read from h11's state of the client (``IDLE``: waiting for headers,
``SEND_BODY``: reading the body, anything else: received), so pipelined requests and
early answers (a 413 before the body) need no special case.

The connection cap is checked when a connection is made, but asyncio accepts up to a whole
listen backlog of connections in one go before any of them is made - a flood of them could
still take every file descriptor, and then SQLite, the logs and ``accept`` itself fail
("Too many open files"). So the listening socket's ``accept`` also closes, at once, any
connection whose descriptor is at or above a ceiling below the open-file limit: descriptors
are allocated lowest first, so such a number means the table is nearly full.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from typing import Any, ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from ._http import error_response
from ._limits import FILE_RESERVE, NodeLimits

__all__ = ["GuardedListener", "LimitedH11Protocol", "Refusals", "fit_open_files", "protocol_class"]

logger = logging.getLogger("silkcore.node")


class Refusals:
    """Connections closed unread, reported in the log at most once a minute (a flood of them
    must not flood the log too)."""

    interval = 60.0

    def __init__(self) -> None:
        self.count = 0
        self.reported = float("-inf")

    def add(self, why: str) -> None:
        """Count one refused connection; log the count if the last report is old enough."""
        self.count += 1
        now = time.monotonic()
        if now - self.reported >= self.interval:
            logger.warning("%s: %d connection(s) closed unread since the last report", why, self.count)
            self.count = 0
            self.reported = now


def _timeout_answer() -> bytes:
    """A whole HTTP/1.1 408 answer in the node's JSON shape, closing the connection."""
    response = error_response(
        408, "request_timeout", "the request did not arrive in time; the connection is closed", headers={"Connection": "close"}
    )
    head = b"".join(name + b": " + value + b"\r\n" for name, value in response.raw_headers)
    return b"HTTP/1.1 408 Request Timeout\r\n" + head + b"\r\n" + bytes(response.body)


class LimitedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with read timeouts and a connection cap (set ``limits`` in a
    subclass: :func:`protocol_class`)."""

    limits: ClassVar[NodeLimits]
    refusals: ClassVar[Refusals]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._timer: asyncio.TimerHandle | None = None
        self._phase: object = None  # the client's h11 state the timer was armed for (None: no timer)
        self._received = False  # whether any byte of the awaited request has come
        self._rejected = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if len(self.server_state.connections) >= self.limits.max_connections:
            # Beyond the cap: closed before reading anything, and never counted as open.
            self._rejected = True
            transport.close()
            self.refusals.add(f"connection limit reached ({self.limits.max_connections} open)")
            return
        super().connection_made(transport)
        self._sync_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._rejected:
            return
        self._cancel_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._received = True
        super().data_received(data)
        self._sync_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._sync_timer()

    # -- the timer --------------------------------------------------------------------------

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _sync_timer(self) -> None:
        """Arm the timer for the phase the client is in, if it changed; none once received."""
        if self.transport is None or self.transport.is_closing():
            self._cancel_timer()
            self._phase = None
            return
        state = self.conn.their_state
        phase = state if state in (h11.IDLE, h11.SEND_BODY) else None
        if phase is self._phase:
            return
        self._cancel_timer()
        self._phase = phase
        if phase is h11.IDLE:
            self._received = bool(self.conn.trailing_data[0])  # a pipelined request may have begun
            self._timer = self.loop.call_later(self.limits.header_timeout, self._expired)
        elif phase is h11.SEND_BODY:
            self._timer = self.loop.call_later(self.limits.body_timeout, self._expired)

    def _expired(self) -> None:
        """The awaited part of the request did not arrive in time: answer 408 if it had begun, close."""
        self._timer = None
        if self.transport is None or self.transport.is_closing():
            return
        cycle = self.cycle if self._phase is h11.SEND_BODY else None
        answered = cycle is not None and cycle.response_started
        begun = self._phase is h11.SEND_BODY or self._received
        if cycle is not None:
            cycle.disconnected = True  # the route's own answer, if it comes, is dropped
        if begun and not answered:
            self.transport.write(_timeout_answer())
        self._phase = None
        self.transport.close()


def protocol_class(limits: NodeLimits, refusals: Refusals | None = None) -> type[LimitedH11Protocol]:
    """The protocol class to give ``uvicorn.Config(http=...)`` for these limits."""
    namespace = {"limits": limits, "refusals": refusals or Refusals()}
    return type("NodeH11Protocol", (LimitedH11Protocol,), namespace)


class GuardedListener(socket.socket):
    """A listening socket whose ``accept`` closes at once every connection that got a file
    descriptor numbered ``fd_ceiling`` or above, and goes on to the next one (asyncio stops
    when none is left). Make it from a bound socket with :meth:`guard`.
    """

    fd_ceiling: int | None = None
    refusals: Refusals | None = None

    @classmethod
    def guard(cls, sock: socket.socket, fd_ceiling: int | None, refusals: Refusals) -> GuardedListener:
        """``sock`` (bound, listening) as a guarded listener; ``sock`` itself is detached."""
        family, kind, proto = sock.family, sock.type, sock.proto
        listener = cls(family, kind, proto, fileno=sock.detach())
        listener.fd_ceiling = fd_ceiling
        listener.refusals = refusals
        return listener

    def accept(self) -> tuple[socket.socket, Any]:
        while True:
            conn, address = super().accept()
            if self.fd_ceiling is None or conn.fileno() < self.fd_ceiling:
                return conn, address
            conn.close()
            if self.refusals is not None:
                self.refusals.add(f"open-file limit nearly reached (descriptor {self.fd_ceiling})")


def fit_open_files(max_connections: int, reserve: int = FILE_RESERVE) -> tuple[int, int | None]:
    """Raise the soft open-file limit towards the hard one so that ``max_connections`` plus
    ``reserve`` descriptors fit; returns the connection cap that fits and the soft limit now
    in force (None where there is no such limit, as on Windows).

    Half the reserve is the headroom :class:`GuardedListener` keeps (its ``fd_ceiling`` is
    the soft limit minus ``reserve // 2``) for what the node opens while a flood of
    connections is being accepted and closed: store connections of new worker threads, logs.
    """
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return max_connections, None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = max_connections + reserve
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError) as exc:  # macOS caps the soft limit below an infinite hard one
            logger.warning("cannot raise the open-file limit from %d to %d: %s", soft, target, exc)
    if soft == resource.RLIM_INFINITY:
        return max_connections, None
    room = soft - reserve if soft > 2 * reserve else soft // 2
    return max(1, min(max_connections, room)), soft
