"""``NodeLimits``: how much one connection or one caller may cost the node, with safe defaults.

A node is reachable by anyone its operator exposes it to, so every resource a request can
hold has a bound. The defaults suit a node on a small server; every one is an option of
``silk serve`` and a field here:

=======================  ==========================  ==============  ====================================================
field                    ``silk serve`` option       default         when exceeded
=======================  ==========================  ==============  ====================================================
``header_timeout``       ``--header-timeout``        10 s            connection closed (408 first if a request had begun)
``body_timeout``         ``--body-timeout``          30 s            408, connection closed
``max_connections``      ``--max-connections``       1,024           further connections closed at once, unread
``max_body``             ``--max-body``              1 MiB           413 (``POST /documents``; caps the two below)
``max_validate_body``    ``--max-validate-body``     256 KiB         413 (``POST /validate``)
``max_assess_body``      ``--max-assess-body``       512 KiB         413 (``POST /assess/{id}``)
``peer_rate``            ``--rate-limit``            50 requests/s   429 with ``Retry-After``
``peer_burst``           ``--rate-burst``            200 requests    (the peer's bucket size)
``anonymous_rate``       ``--anonymous-rate-limit``  10 requests/s   429 with ``Retry-After``
``anonymous_burst``      ``--anonymous-burst``       50 requests     (an address's bucket size)
``cpu_rate``             ``--cpu-budget``            0.5 CPU-s/s     429 with ``Retry-After``
``cpu_burst``            ``--cpu-burst``             10 CPU-s        (a caller's budget size)
``cpu_slots``            ``--cpu-slots``             number of CPUs  503 with ``Retry-After``
``cpu_slot_wait``        ``--cpu-slot-wait``         1 s             (how long a request waits for a slot)
``max_tracked_callers``  ``--max-tracked-callers``   10,000          the least recently seen address is forgotten
=======================  ==========================  ==============  ====================================================

How they work:

* **Read timeouts** (:mod:`silkcore.node._connections`): a request's headers must have
  arrived ``header_timeout`` seconds after the connection opened or after the previous
  answer, and its body ``body_timeout`` seconds after its headers. uvicorn alone has only
  its keep-alive timeout, which any byte resets - so a client sending a byte every few
  seconds could hold a connection forever. Once a request has been received in full, its
  handling is not timed here. An idle keep-alive connection is still closed after
  uvicorn's ``timeout_keep_alive`` (5 s).
* **The connection cap**: a connection beyond ``max_connections`` is closed as soon as it
  is accepted. At start-up ``silk serve`` raises the process's soft open-file limit towards
  its hard limit so that the cap plus :data:`FILE_RESERVE` descriptors (store connections,
  logs, the listening socket) fit, and lowers the cap if they cannot; the log says which
  cap is in force.
* **Rate limits** (:mod:`silkcore.node._ratelimit`): a token bucket per peer (the peer the
  bearer token names) and one per client address for everyone else - IPv6 addresses by
  their /64 network, since one host commonly holds a whole /64. A request with an unknown
  token is counted against its address (and still answered 401). Behind a reverse proxy
  every address is the proxy's unless ``silk serve --forwarded-allow-ips`` names it.
* **The CPU budget** of ``POST /validate``, ``POST /assess/{id}`` and ``POST /documents``: at most ``cpu_slots``
  of them run at once; each caller's handler time on those routes is charged to a second
  bucket (``cpu_burst`` seconds, refilled at ``cpu_rate`` seconds per second), and a caller
  whose bucket is empty is answered 429 until it refills. A caller sending expensive
  documents is therefore throttled sooner than one sending cheap ones. Time on a slot is
  wall-clock time, which with at most one request per slot and no more slots than CPUs is
  an upper bound of the CPU time.

A rate (``peer_rate``, ``anonymous_rate``, ``cpu_rate``) of 0 turns that limit off.
"""

from __future__ import annotations

import math
import os
from typing import Any

import attrs

__all__ = ["DEFAULT_MAX_BODY", "FILE_RESERVE", "NodeLimits"]

#: The default request body limit: 1 MiB.
DEFAULT_MAX_BODY = 1_048_576
#: File descriptors kept free beside the connections: one SQLite store per worker thread
#: (the database, its WAL and shared-memory files: 40 threads x 3), the listening socket,
#: logs, standard streams and the files Python opens on demand.
FILE_RESERVE = 256


def _number(*, minimum: float, allow_equal: bool, integer: bool = False) -> Any:
    """A validator: a finite number (not a bool) at least (or above) ``minimum``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        kind = "a whole number" if integer else "a number"
        if isinstance(value, bool) or not isinstance(value, int if integer else (int, float)):
            raise TypeError(f"{attribute.name} must be {kind}, not {value!r}")
        if not math.isfinite(value) or value < minimum or (value == minimum and not allow_equal):
            bound = f"at least {minimum:g}" if allow_equal else f"more than {minimum:g}"
            raise ValueError(f"{attribute.name} must be {bound}, not {value!r}")

    return check


_SECONDS = _number(minimum=0, allow_equal=False)
_RATE = _number(minimum=0, allow_equal=True)
_COUNT = _number(minimum=1, allow_equal=True, integer=True)


def _cpus() -> int:
    return os.cpu_count() or 1


@attrs.frozen(kw_only=True)
class NodeLimits:
    """The node's abuse limits (see the module's table); every field has a safe default.

    >>> NodeLimits(header_timeout=5, anonymous_rate=2).header_timeout
    5

    :raises TypeError: a field of the wrong type.
    :raises ValueError: a field out of range (timeouts and sizes must be positive, rates not negative).
    """

    #: Seconds for a request's headers to arrive, from the connection's start or the previous answer.
    header_timeout: float = attrs.field(default=10.0, validator=_SECONDS)
    #: Seconds for a request's body to arrive, from the end of its headers.
    body_timeout: float = attrs.field(default=30.0, validator=_SECONDS)
    #: Most connections open at once (lowered at start-up if the open-file limit cannot fit them).
    max_connections: int = attrs.field(default=1024, validator=_COUNT)
    #: Largest request body in bytes: ``POST /documents``, and the cap of the two below.
    max_body: int = attrs.field(default=DEFAULT_MAX_BODY, validator=_COUNT)
    #: Largest ``POST /validate`` body in bytes (validating is the most expensive thing a stranger can ask).
    max_validate_body: int = attrs.field(default=256 * 1024, validator=_COUNT)
    #: Largest ``POST /assess/{id}`` body in bytes: room for its 100 response sets of ~5 KB each.
    max_assess_body: int = attrs.field(default=512 * 1024, validator=_COUNT)
    #: Requests per second each peer may make on average (0: no limit).
    peer_rate: float = attrs.field(default=50.0, validator=_RATE)
    #: Requests a peer may make at once before ``peer_rate`` applies.
    peer_burst: int = attrs.field(default=200, validator=_COUNT)
    #: Requests per second each anonymous client address may make on average (0: no limit).
    anonymous_rate: float = attrs.field(default=10.0, validator=_RATE)
    #: Requests an anonymous address may make at once before ``anonymous_rate`` applies.
    anonymous_burst: int = attrs.field(default=50, validator=_COUNT)
    #: Seconds of validation and assessment per second each caller may use on average (0: no budget).
    cpu_rate: float = attrs.field(default=0.5, validator=_RATE)
    #: Seconds of validation and assessment a caller may use at once before ``cpu_rate`` applies.
    cpu_burst: float = attrs.field(default=10.0, validator=_SECONDS)
    #: Validations and assessments running at once, for all callers together.
    cpu_slots: int = attrs.field(factory=_cpus, validator=_COUNT)
    #: Seconds a validation or assessment waits for a slot before the answer is 503.
    cpu_slot_wait: float = attrs.field(default=1.0, validator=_SECONDS)
    #: Anonymous addresses whose buckets are remembered; beyond it the least recently seen is forgotten.
    max_tracked_callers: int = attrs.field(default=10_000, validator=_COUNT)

    def body_limit(self, method: str, path: str) -> int:
        """The largest body this request may send: ``path`` is relative to the node's root."""
        if method == "POST" and path == "/validate":
            return min(self.max_validate_body, self.max_body)
        if method == "POST" and path.startswith("/assess/"):
            return min(self.max_assess_body, self.max_body)
        return self.max_body

    @staticmethod
    def is_costly(method: str, path: str) -> bool:
        """Whether the request runs on a CPU slot and is charged to its caller's CPU budget."""
        # Publishing runs the same checks as validating, so it shares their budget.
        return method == "POST" and (path in ("/validate", "/documents") or path.startswith("/assess/"))
