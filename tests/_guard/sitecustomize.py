"""Loaded by subprocesses the tests start (via PYTHONPATH): any network connection fails.

With ``SILKCORE_TEST_LOOPBACK=1`` in the environment, connections to this machine's loopback
addresses are allowed (a ``silk sync`` between two nodes of one test); anything else still fails.
"""

import os
import sys
import urllib.parse

_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_ALLOW_LOOPBACK = os.environ.get("SILKCORE_TEST_LOOPBACK") == "1"


def _loopback(event: str, args: tuple) -> bool:  # type: ignore[type-arg]
    if not _ALLOW_LOOPBACK:
        return False
    if event == "socket.connect":
        address = args[1]
        return isinstance(address, tuple) and bool(address) and address[0] in _LOOPBACK
    if event == "socket.getaddrinfo":
        return args[0] in _LOOPBACK
    if event == "urllib.Request":
        return urllib.parse.urlsplit(args[0]).hostname in _LOOPBACK
    return False


def _no_network(event: str, args: tuple) -> None:  # type: ignore[type-arg]
    if event in ("socket.connect", "socket.getaddrinfo", "urllib.Request") and not _loopback(event, args):
        raise RuntimeError(f"network access attempted in a silkcore test: {event} {args!r:.200}")


sys.addaudithook(_no_network)
