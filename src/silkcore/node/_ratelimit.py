"""Rate limits, body limits per route and the CPU budget: an ASGI middleware in front of the
node's routes (:class:`LimitsMiddleware`), configured by :class:`~silkcore.node.NodeLimits`.

For every request, in this order:

1. the caller is named: the peer its bearer token names, else its client address (an IPv6
   address by its /64). A token this node does not know counts against the address; the
   route then answers 401 as it always has. No other per-request state is kept.
2. one token is taken from the caller's request bucket, or the answer is 429.

For ``POST /validate``, ``POST /assess/{id}`` and ``POST /documents`` - the routes whose cost a caller chooses -
also:

3. a caller whose CPU budget is spent is answered 429 before its body is read;
4. the body is read here, up to the route's limit (413 beyond it). It is read *before* a
   CPU slot is taken, so a slow sender never holds a slot;
5. a CPU slot is taken, waiting at most ``cpu_slot_wait`` (503 otherwise);
6. the route runs; the time it held the slot is charged to the caller's CPU budget. A
   route may give its slot back before it ends (:class:`SlotLease`, in the scope under
   :data:`CPU_SLOT`): ``POST /documents`` does once its checks are done, so waiting for its
   record's commit (the disk's fsync) holds no slot and is not charged as CPU time.

Refusals use the node's JSON error shape, with ``Retry-After`` in whole seconds
(RFC 6585 §4, RFC 9110 §10.2.3).
"""

from __future__ import annotations

import asyncio
import ipaddress
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._auth import CALLER, Peers
from ._http import NodeError, error_response, retry_after, too_large_response
from ._limits import NodeLimits

__all__ = ["CPU_SLOT", "Buckets", "CpuSlots", "LimitsMiddleware", "SlotLease", "address_key", "release_slot"]

Clock = Callable[[], float]
#: The scope key under which a costly request's route finds its :class:`SlotLease`.
CPU_SLOT = "silkcore.cpu_slot"


class SlotLease:
    """The CPU slot a costly request holds, and since when: released once, by the route
    (:func:`release_slot`) or when the request ends, whichever comes first."""

    __slots__ = ("_clock", "_semaphore", "ended", "started")

    def __init__(self, semaphore: asyncio.Semaphore, clock: Clock) -> None:
        self._semaphore: asyncio.Semaphore | None = semaphore
        self._clock = clock
        self.started = clock()
        self.ended: float | None = None

    def release(self) -> None:
        """Give the slot back (again: nothing happens)."""
        if self._semaphore is not None:
            self._semaphore.release()
            self._semaphore = None
            self.ended = self._clock()

    @property
    def seconds(self) -> float:
        """How long the slot was (or has been) held."""
        return (self.ended if self.ended is not None else self._clock()) - self.started


def release_slot(scope: Scope) -> None:
    """Give back the CPU slot this request holds, if it holds one: its CPU work is done and
    what is left is waiting (the time held so far is what its caller is charged)."""
    lease = scope.get(CPU_SLOT)
    if isinstance(lease, SlotLease):
        lease.release()


class _Entry:
    """One caller's two buckets, as they were at ``stamp``."""

    __slots__ = ("cpu", "requests", "stamp")

    def __init__(self, requests: float, cpu: float, stamp: float) -> None:
        self.requests = requests
        self.cpu = cpu
        self.stamp = stamp


class Buckets:
    """Two token buckets per caller: one of requests, one of seconds of costly work.

    A request takes one request token; the CPU bucket is charged *after* the work by the
    seconds it took and may go below zero, so an expensive request is paid for in full: the
    caller waits until its bucket is above zero again. A rate of 0 turns a bucket off.

    With ``max_entries``, at most that many callers are remembered; when a new one comes,
    the least recently seen is forgotten. Forgetting is harmless for an entry idle long
    enough to have refilled (the usual case for the least recently seen); only a flood of
    more distinct callers than ``max_entries`` within one refill time loses state.
    """

    def __init__(
        self, rate: float, burst: int, cpu_rate: float, cpu_burst: float, *, max_entries: int | None, clock: Clock
    ) -> None:
        self.rate, self.burst = rate, float(burst)
        self.cpu_rate, self.cpu_burst = cpu_rate, cpu_burst
        self.max_entries = max_entries
        self.clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def _entry(self, key: str) -> _Entry:
        """The caller's entry, refilled up to now, as its most recent use."""
        now = self.clock()
        entry = self._entries.get(key)
        if entry is None:
            entry = _Entry(self.burst, self.cpu_burst, now)
            self._entries[key] = entry
            if self.max_entries is not None and len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
            return entry
        self._entries.move_to_end(key)
        elapsed = max(0.0, now - entry.stamp)
        entry.requests = min(self.burst, entry.requests + elapsed * self.rate)
        entry.cpu = min(self.cpu_burst, entry.cpu + elapsed * self.cpu_rate)
        entry.stamp = now
        return entry

    def take(self, key: str) -> float:
        """Take a request token: 0 if there was one, else the seconds until there is one."""
        if not self.rate:
            return 0.0
        entry = self._entry(key)
        if entry.requests >= 1:
            entry.requests -= 1
            return 0.0
        return (1 - entry.requests) / self.rate

    def cpu_wait(self, key: str) -> float:
        """0 if the caller may start costly work, else the seconds until its budget is above zero."""
        if not self.cpu_rate:
            return 0.0
        entry = self._entry(key)
        return 0.0 if entry.cpu > 0 else -entry.cpu / self.cpu_rate + 1e-3

    def charge(self, key: str, seconds: float) -> None:
        """Charge ``seconds`` of costly work to the caller's CPU budget."""
        if self.cpu_rate:
            self._entry(key).cpu -= max(0.0, seconds)


class CpuSlots:
    """At most ``count`` costly requests at once, for all callers together.

    The semaphore belongs to the running event loop (asyncio's primitives must not cross
    loops); a server has one loop, and a test client that makes one loop per request still
    gets a working cap within each.
    """

    def __init__(self, count: int) -> None:
        self.count = count
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        semaphore = self._by_loop.get(loop)
        if semaphore is None:
            semaphore = self._by_loop[loop] = asyncio.Semaphore(self.count)
        return semaphore

    async def acquire(self, wait: float) -> asyncio.Semaphore | None:
        """A slot's semaphore (release it when done), or None if none came free within ``wait`` seconds."""
        semaphore = self._semaphore()
        if not semaphore.locked():  # a free slot: taken at once, with no timer to set and cancel
            await semaphore.acquire()
            return semaphore
        try:
            async with asyncio.timeout(wait):
                await semaphore.acquire()
        except TimeoutError:
            return None
        return semaphore


def address_key(client: tuple[str, int] | list[object] | None) -> str:
    """The rate-limit key of a client address: an IPv4 address, or an IPv6 /64 network
    (IPv4-mapped IPv6 addresses count as their IPv4 address)."""
    host = str(client[0]) if client else ""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return f"addr:{host}"  # not an IP address (a test client, a Unix socket): as given
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"addr:{ip.ipv4_mapped}"
        return f"addr:{ipaddress.IPv6Network((int(ip) >> 64 << 64, 64))}"
    return f"addr:{ip}"


def route_path(scope: Scope) -> str:
    """The request's path relative to the node's root (the node may be mounted under a prefix)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and path[len(root) : len(root) + 1] in ("", "/"):
        return path[len(root) :] or "/"
    return path


def _authorization(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            return bytes(value).decode("latin-1")
    return None


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            text = bytes(value).decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None


_GONE = object()  # the client went away while sending its body
_TOO_LARGE = object()


async def _read_body(receive: Receive, limit: int) -> bytes | object:
    """The whole request body, or ``_TOO_LARGE`` once it exceeds ``limit``, or ``_GONE``."""
    chunks: list[bytes] = []
    total = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return _GONE
        chunk: bytes = message.get("body", b"")
        total += len(chunk)
        if total > limit:
            return _TOO_LARGE
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the body already read, then whatever the client sends next."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


class LimitsMiddleware:
    """The node's per-caller limits, in front of its routes (see the module's docstring)."""

    def __init__(self, app: ASGIApp, *, limits: NodeLimits, peers: Peers, clock: Clock = time.monotonic) -> None:
        self.app = app
        self.limits = limits
        self.peers = peers
        self.clock = clock
        self.peer_buckets = Buckets(
            limits.peer_rate, limits.peer_burst, limits.cpu_rate, limits.cpu_burst, max_entries=None, clock=clock
        )  # one entry per peer in the peers file: bounded by it
        self.address_buckets = Buckets(
            limits.anonymous_rate,
            limits.anonymous_burst,
            limits.cpu_rate,
            limits.cpu_burst,
            max_entries=limits.max_tracked_callers,
            clock=clock,
        )
        self.slots = CpuSlots(limits.cpu_slots)

    def caller(self, scope: Scope) -> tuple[Buckets, str, str]:
        """The caller's buckets, its key in them, and how an answer names it. The caller
        identified is left in the scope (under :data:`~silkcore.node._auth.CALLER`) for the route."""
        try:
            caller = self.peers.identify(_authorization(scope))
        except NodeError:  # a bad token: limited by address, then refused by the route
            peer = None
        else:
            scope[CALLER] = caller
            peer = caller.peer
        if peer is not None:
            return self.peer_buckets, peer, "this peer"
        return self.address_buckets, address_key(scope.get("client")), "this address"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        buckets, key, who = self.caller(scope)
        wait = buckets.take(key)
        if wait:
            rate, burst = (buckets.rate, int(buckets.burst))
            message = f"too many requests: {who} may make {rate:g} per second (bursts of {burst})"
            await _refuse(429, "too_many_requests", message, wait, scope, receive, send)
            return
        method, path = scope["method"], route_path(scope)
        if not self.limits.is_costly(method, path):
            await self.app(scope, receive, send)
            return
        await self._costly(buckets, key, who, self.limits.body_limit(method, path), scope, receive, send)

    async def _costly(self, buckets: Buckets, key: str, who: str, limit: int, scope: Scope, receive: Receive, send: Send) -> None:
        """A validation or assessment: budget, body, slot, then the route, timed and charged."""
        wait = buckets.cpu_wait(key)
        if wait:
            budget = f"{self.limits.cpu_rate:g} s per second, {self.limits.cpu_burst:g} s at once"
            message = f"{who} has used its time for validation and assessment ({budget})"
            await _refuse(429, "cpu_budget_exhausted", message, wait, scope, receive, send)
            return
        declared = _content_length(scope)
        body = _TOO_LARGE if declared is not None and declared > limit else await _read_body(receive, limit)
        if body is _GONE:
            return  # nobody is left to answer
        if not isinstance(body, bytes):
            await too_large_response(limit)(scope, receive, send)
            return
        semaphore = await self.slots.acquire(self.limits.cpu_slot_wait)
        if semaphore is None:
            message = f"the node is busy: all {self.slots.count} validation and assessment slots are in use"
            await _refuse(503, "busy", message, self.limits.cpu_slot_wait, scope, receive, send)
            return
        lease = scope[CPU_SLOT] = SlotLease(semaphore, self.clock)
        try:
            await self.app(scope, _replay(body, receive), send)
        finally:
            lease.release()
            buckets.charge(key, lease.seconds)


async def _refuse(status: int, code: str, message: str, wait: float, scope: Scope, receive: Receive, send: Send) -> None:
    headers = retry_after(wait)
    response = error_response(status, code, f"{message}; retry after {headers['Retry-After']} s", headers=headers)
    await response(scope, receive, send)
