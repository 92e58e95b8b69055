"""The sovereign exchange node: ``silk serve``, or :func:`create_app` mounted in your own app.

Endpoints (described in ``GET /openapi.json``): ``/frameworks``, ``/frameworks/{id}``,
``/schemas``, ``/schemas/{name}``, ``POST /validate``, ``POST /assess/{framework_id}``,
``POST /documents`` (peers), ``/documents/{record_id}``, ``/organisations/{id}/history``
(peers) and ``/organisations/{id}/profile`` (a public Murmurations profile). Each caller
sees only what the records' sharing terms allow it (:mod:`silkcore.node._access`).
What one connection or caller may cost the node is bounded by :class:`NodeLimits`
(:mod:`silkcore.node._limits`: read timeouts, a connection cap, body limits per route,
rate limits and a CPU budget).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._app import DEFAULT_MAX_BODY, create_app
    from ._auth import Caller, Peers, load_peers
    from ._limits import NodeLimits
    from ._server import serve

#: name -> the module defining it. The node's modules are loaded on first use: ``silk sync``
#: and the store use parts of this package on installs without the [serve] extra.
_WHERE = {
    "DEFAULT_MAX_BODY": "_app",
    "create_app": "_app",
    "Caller": "_auth",
    "Peers": "_auth",
    "load_peers": "_auth",
    "NodeLimits": "_limits",
    "serve": "_server",
}

__all__ = ["DEFAULT_MAX_BODY", "Caller", "NodeLimits", "Peers", "create_app", "load_peers", "serve"]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'silkcore.node' has no attribute {name!r}")
    if module in ("_app", "_server"):
        from .._extras import require_extra

        require_extra("serve", "the silkcore node")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{module}"), name)
