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

from ._app import DEFAULT_MAX_BODY, create_app
from ._auth import Caller, Peers, load_peers
from ._limits import NodeLimits
from ._server import serve

__all__ = ["DEFAULT_MAX_BODY", "Caller", "NodeLimits", "Peers", "create_app", "load_peers", "serve"]
