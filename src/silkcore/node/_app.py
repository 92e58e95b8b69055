"""``create_app``: the node as an ASGI application, to serve or to mount in another app.

>>> from silkcore.node import create_app
>>> app = create_app("history.sqlite", peers_path="peers.json")  # doctest: +SKIP

A platform can mount it under a prefix of its own ASGI application (Starlette's ``Mount``,
FastAPI's ``app.mount``); every path in the OpenAPI description is then relative to it.

With ``ui=True`` (what ``silk serve`` does unless ``--no-ui``), the web questionnaire
(:func:`silkcore.web.create_app`) is mounted under ``/ui/`` over the node's own store; the
OpenAPI description still covers the node's API only.

The app enforces the request-level :class:`~silkcore.node.NodeLimits` itself (rate limits,
body limits per route, the CPU budget of ``/validate`` and ``/assess``); the connection-level
ones (read timeouts, the connection cap) belong to the server: ``silk serve`` applies them,
and a platform serving the app its own way must bound them there (uvicorn alone has no read
timeout for headers or bodies - see :mod:`silkcore.node._connections`).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import attrs
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from .._catalog import Catalog, get_catalog
from .._framework import Framework
from .._store import StoreURL
from ._auth import load_peers
from ._http import error_response
from ._limits import DEFAULT_MAX_BODY, NodeLimits
from ._openapi import openapi_document
from ._ratelimit import LimitsMiddleware
from ._routes import Node
from ._storage import NodeStore

__all__ = ["DEFAULT_MAX_BODY", "create_app"]

logger = logging.getLogger("silkcore.node")

_CODES = {404: "not_found", 405: "method_not_allowed"}


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (no such route, wrong method) in the node's JSON shape."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    headers = exc.headers if isinstance(exc, HTTPException) else None
    message = exc.detail if isinstance(exc, HTTPException) else "error"
    return error_response(status, _CODES.get(status, "http_error"), str(message), headers=headers)


async def _unexpected(request: Request, exc: Exception) -> Response:
    """The last resort: an opaque JSON 500; the traceback goes to the log only."""
    logger.error("unexpected error in %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "the node could not answer this request; the error was logged")


def _version() -> str:
    try:
        return version("silkcore")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


def create_app(
    store_path: str | Path | StoreURL,
    peers_path: str | Path | None = None,
    catalog: Catalog | None = None,
    max_body: int | None = None,
    frameworks: Sequence[Framework | str | Path] = (),
    limits: NodeLimits | None = None,
    ui: bool = False,
    ui_options: Mapping[str, Any] | None = None,
) -> Starlette:
    """The exchange node over the store at ``store_path``, with the peers listed in
    ``peers_path`` (none: every caller is anonymous) and the installed plugins' catalog;
    ``frameworks`` (objects, ids or framework files) are served and assessed beside the
    installed ones.

    ``limits`` (default: :class:`NodeLimits`'s safe defaults) bound what each caller may
    cost; ``max_body``, when given, replaces ``limits.max_body``.

    ``ui`` mounts the web questionnaire under ``/ui/`` (over the same store, catalog and
    frameworks), with ``ui_options`` passed on to :func:`silkcore.web.create_app` (its rate
    limits, ``allow_uploads``...).

    Raises :class:`~silkcore._errors.StoreError` if the store cannot be opened,
    :class:`~silkcore._errors.DataError` (with pointers) if the peers file is unsound and
    :class:`ValueError` for a limit out of range.
    """
    limits = limits or NodeLimits()
    if max_body is not None:
        limits = attrs.evolve(limits, max_body=max_body)  # validated again: ValueError if not positive
    catalog = catalog or get_catalog()
    peers = load_peers(peers_path)
    node = Node(
        catalog=catalog,
        frameworks=[catalog.resolve_framework(f) for f in frameworks],
        store=NodeStore(store_path),
        peers=peers,
        max_body=limits.max_body,
        openapi=openapi_document(_version()),
    )

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            node.records.publisher.close()  # what is queued is stored first
            node.store.close()  # the PostgreSQL pool's connections, or every thread's SQLite file

    routes: list[BaseRoute] = list(node.routes())
    if ui:
        routes += _ui_routes(node, ui_options or {})
    app = Starlette(
        lifespan=lifespan,
        routes=routes,
        exception_handlers={HTTPException: _http_error, Exception: _unexpected},
        middleware=[Middleware(LimitsMiddleware, limits=limits, peers=peers)],
    )
    app.router.redirect_slashes = False  # "/frameworks/" is not "/frameworks": answer 404, not a redirect
    app.state.node = node
    app.state.limits = limits
    return app


def _ui_routes(node: Node, options: Mapping[str, Any]) -> list[BaseRoute]:
    """The web questionnaire under ``/ui/`` (and ``/ui`` sent there), over the node's store."""
    from ..web import create_app as create_web_app  # the questionnaire only when asked for

    async def to_ui(request: Request) -> Response:
        return RedirectResponse(str(request.scope.get("root_path", "")) + "/ui/", status_code=308)

    web = create_web_app(node.store, catalog=node.catalog, frameworks=list(node.given.values()), **options)
    return [Route("/ui", to_ui, methods=["GET", "HEAD"]), Mount("/ui", app=web)]
