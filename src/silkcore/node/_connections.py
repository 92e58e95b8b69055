"""Connection limits for ``silk serve``: read timeouts and a connection cap, in uvicorn's
h11 protocol (:func:`protocol_class`), and the open-file limit that fits them
(:func:`fit_open_files`).

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
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from ._http import error_response
from ._limits import FILE_RESERVE, NodeLimits

__all__ = ["LimitedH11Protocol", "fit_open_files", "protocol_class"]

logger = logging.getLogger("silkcore.node")

#: How often, at most, refused connections are reported in the log (seconds).
REFUSAL_LOG_INTERVAL = 60.0


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
    #: Connections closed at once because the cap was reached, since the last report.
    refused: ClassVar[int] = 0
    last_report: ClassVar[float] = float("-inf")

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
            self._report_refusal()
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

    @classmethod
    def _report_refusal(cls) -> None:
        cls.refused += 1
        now = time.monotonic()
        if now - cls.last_report >= REFUSAL_LOG_INTERVAL:
            logger.warning(
                "connection limit reached (%d open): %d connection(s) closed unread since the last report",
                cls.limits.max_connections,
                cls.refused,
            )
            cls.refused = 0
            cls.last_report = now


def protocol_class(limits: NodeLimits) -> type[LimitedH11Protocol]:
    """The protocol class to give ``uvicorn.Config(http=...)`` for these limits."""
    return type("NodeH11Protocol", (LimitedH11Protocol,), {"limits": limits, "refused": 0, "last_report": float("-inf")})


def fit_open_files(max_connections: int, reserve: int = FILE_RESERVE) -> tuple[int, int | None]:
    """Raise the soft open-file limit towards the hard one so that ``max_connections`` plus
    ``reserve`` descriptors fit; returns the connection cap that fits and the soft limit now
    in force (None where there is no such limit, as on Windows).
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
