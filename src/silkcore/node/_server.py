"""``serve``: run a node with uvicorn on a socket bound here.

The socket is bound before uvicorn starts, so ``port=0`` picks a free port and the chosen
address is announced on standard error (``silk serve: listening on http://HOST:PORT``) -
which is how tests find the node - and no name lookup is needed for an IP address.

Every :class:`~silkcore.node.NodeLimits` applies: the request-level ones in the app
(:func:`~silkcore.node.create_app`), the connection-level ones here - uvicorn runs with the
node's own h11 protocol (:mod:`silkcore.node._connections`: header and body read timeouts,
the connection cap), and the process's open-file limit is raised so that the cap fits.
The log says which limits are in force.
"""

from __future__ import annotations

import copy
import ipaddress
import logging
import socket
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import uvicorn
from uvicorn.config import LOGGING_CONFIG

from .._catalog import Catalog
from .._store import StoreURL, default_store_path
from ._app import create_app
from ._connections import GuardedListener, Refusals, fit_open_files, protocol_class
from ._limits import FILE_RESERVE, NodeLimits

__all__ = ["bind", "serve"]

logger = logging.getLogger("silkcore.node")


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (an IP address, or a name to resolve)."""
    try:
        family = socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
        address: tuple[str, int] = (host, port)
    except ValueError:
        family, _, _, _, resolved = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        address = (str(resolved[0]), int(resolved[1]))
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and
    # without it every answer written in two parts waits out the client's delayed ACK (~40 ms).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(2048)
    return sock


def _logging(level: str) -> dict[str, Any]:
    """uvicorn's logging configuration, with the node's own logger beside uvicorn's."""
    config = copy.deepcopy(LOGGING_CONFIG)
    for name in ("silkcore.node", "silkcore.web"):
        config["loggers"][name] = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    return config


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    store: str | Path | StoreURL | None = None,
    peers: str | Path | None = None,
    *,
    catalog: Catalog | None = None,
    max_body: int | None = None,
    log_level: str = "info",
    access_log: bool = False,
    frameworks: Sequence[str | Path] = (),
    limits: NodeLimits | None = None,
    forwarded_allow_ips: str | None = None,
    ui: bool = True,
    ui_options: Mapping[str, Any] | None = None,
) -> None:
    """Serve a node until interrupted: on loopback by default, over ``store`` (default: the
    CLI's store; a path or whatever else the store accepts, passed on as given) with the
    peers in ``peers`` (none: every caller is anonymous).

    ``limits`` (default: :class:`NodeLimits`'s safe defaults) bound connections and callers;
    ``max_body``, when given, replaces ``limits.max_body``. ``forwarded_allow_ips`` (a
    comma-separated list of proxy addresses, or ``*``) makes the node believe the client
    address those proxies put in ``X-Forwarded-For`` - which the per-address rate limits key
    on; without it every client behind a proxy shares the proxy's address. ``ui`` mounts
    the web questionnaire under ``/ui/`` (``ui_options`` go to :func:`silkcore.web.create_app`).
    ``access_log`` turns on uvicorn's line per request (off by default: it costs about a
    sixth of a cheap request; the node's own log of stored and withdrawn records is kept).

    Raises :class:`~silkcore._errors.StoreError` or :class:`~silkcore._errors.DataError`
    (the peers file) before listening, :class:`ValueError` for a limit out of range and
    :class:`OSError` if the address is taken.
    """
    limits = limits or NodeLimits()
    if max_body is not None:
        limits = attrs.evolve(limits, max_body=max_body)
    app = create_app(
        store or default_store_path(),
        peers,
        catalog=catalog,
        frameworks=frameworks,
        limits=limits,
        ui=ui,
        ui_options=ui_options,
    )
    cap, open_files = fit_open_files(limits.max_connections)
    refusals = Refusals()
    fd_ceiling = None if open_files is None else open_files - FILE_RESERVE // 2
    sock = GuardedListener.guard(bind(host, port), fd_ceiling, refusals)
    shown = f"[{host}]" if ":" in host else host
    sys.stderr.write(f"silk serve: listening on http://{shown}:{sock.getsockname()[1]}\n")
    sys.stderr.flush()
    config = uvicorn.Config(
        app,
        log_level=log_level,
        log_config=_logging(log_level),
        access_log=access_log,
        server_header=False,
        proxy_headers=forwarded_allow_ips is not None,
        forwarded_allow_ips=forwarded_allow_ips,
        timeout_graceful_shutdown=5,
        http=protocol_class(attrs.evolve(limits, max_connections=cap), refusals),
        # asyncio's own loop, not uvloop where installed: uvloop accepts in C, past the
        # listener's descriptor guard.
        loop="asyncio",
        ws="none",  # the node has no WebSocket endpoint: no upgrade for anyone to try
    )
    _log_limits(limits, cap, open_files)  # after uvicorn.Config, which sets up logging
    uvicorn.Server(config).run(sockets=[sock])


def _log_limits(limits: NodeLimits, cap: int, open_files: int | None) -> None:
    """Say which limits are in force, and warn when the connection cap had to be lowered."""
    files = "no open-file limit" if open_files is None else f"open-file limit {open_files}"
    if cap < limits.max_connections:
        logger.warning("at most %d connections (not %d): the %s leaves no room for more", cap, limits.max_connections, files)
    logger.info(
        "limits: at most %d connections (%s); headers within %g s, bodies within %g s; bodies up to %d bytes "
        "(validate %d, assess %d); %g requests/s per peer, %g per anonymous address; "
        "%d validation/assessment slots, %g CPU-s/s per caller",
        cap,
        files,
        limits.header_timeout,
        limits.body_timeout,
        limits.max_body,
        min(limits.max_validate_body, limits.max_body),
        min(limits.max_assess_body, limits.max_body),
        limits.peer_rate,
        limits.anonymous_rate,
        limits.cpu_slots,
        limits.cpu_rate,
    )
