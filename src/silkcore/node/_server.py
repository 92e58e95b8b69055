"""``serve``: run a node with uvicorn on a socket bound here.

The socket is bound before uvicorn starts, so ``port=0`` picks a free port and the chosen
address is announced on standard error (``silk serve: listening on http://HOST:PORT``) -
which is how tests find the node - and no name lookup is needed for an IP address.
"""

from __future__ import annotations

import copy
import ipaddress
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from .._catalog import Catalog
from .._store import default_store_path
from ._app import DEFAULT_MAX_BODY, create_app

__all__ = ["bind", "serve"]


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
    config["loggers"]["silkcore.node"] = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    return config


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    store: str | Path | None = None,
    peers: str | Path | None = None,
    *,
    catalog: Catalog | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    log_level: str = "info",
    access_log: bool = True,
    frameworks: Sequence[str | Path] = (),
) -> None:
    """Serve a node until interrupted: on loopback by default, over ``store`` (default: the
    CLI's store) with the peers in ``peers`` (none: every caller is anonymous).

    Raises :class:`~silkcore._errors.StoreError` or :class:`~silkcore._errors.DataError`
    (the peers file) before listening, and :class:`OSError` if the address is taken.
    """
    app = create_app(store or default_store_path(), peers, catalog=catalog, max_body=max_body, frameworks=frameworks)
    sock = bind(host, port)
    shown = f"[{host}]" if ":" in host else host
    sys.stderr.write(f"silk serve: listening on http://{shown}:{sock.getsockname()[1]}\n")
    sys.stderr.flush()
    config = uvicorn.Config(
        app,
        log_level=log_level,
        log_config=_logging(log_level),
        access_log=access_log,
        server_header=False,
        proxy_headers=False,
        timeout_graceful_shutdown=5,
    )
    uvicorn.Server(config).run(sockets=[sock])
