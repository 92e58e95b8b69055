"""Loaded by subprocesses the tests start (via PYTHONPATH): any network connection fails."""

import sys


def _no_network(event: str, args: tuple) -> None:  # type: ignore[type-arg]
    if event in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
        raise RuntimeError(f"network access attempted in a silkcore test: {event} {args!r:.200}")


sys.addaudithook(_no_network)
