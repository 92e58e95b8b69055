"""``create_app``: the web questionnaire as an ASGI application (Starlette and Jinja2).

The routes (every name is the one :func:`~silkcore.web._render.url_for` builds links with):

======================================  ===========================  ==========================================
path (under the mount point)            name                         what
======================================  ===========================  ==========================================
``GET /``                               ``home``                     the frameworks one may start
``/start/{framework_id}``               ``start``                    start answering alone (GET form, POST)
``/team/{framework_id}``                ``team_start``               start a team assessment
``/upload``                             ``upload``                   answer a framework file (``allow_uploads``)
``GET /r/{token}``                      ``resume``                   back to where the respondent stopped
``/r/{token}/p/{number}``               ``page``                     a category's questions
``/r/{token}/step``                     ``step``                     a guided walk's current step
``GET /r/{token}/review``               ``review``                   every answer, and Finish
``POST /r/{token}/finish``              ``finish``                   finish
``GET /r/{token}/results``              ``results``                  the results (and downloads below)
``GET /t/{token}``                      ``team``                     the coordinator's page
``POST /t/{token}/close``               ``close``                    close a team assessment
``GET /t/{token}/results``              ``team_results``             the team's results
``/join/{token}``                       ``join``                     the invitation link of a team
``.../scorecard.json``                  ``[team_]scorecard``         the score card (``silk assess --json``)
``.../response-sets.jsonl``             ``[team_]response_sets``     the response sets, JSON Lines
``.../response-sets/{n}.json``          ``[team_]response_set``      one response set
``.../report.html``                     ``[team_]report``            the organisation's report
``/static/...``                         ``static``                   the stylesheets
======================================  ===========================  ==========================================
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from .._catalog import Catalog, get_catalog
from .._framework import Framework
from .._store import StoreURL
from ..node._storage import NodeStore
from . import _results
from ._context import Web
from ._http import guarded, http_error, unexpected
from ._pages import finish, page, resume, review, step
from ._security import RateLimits, SecurityHeaders
from ._start import home, start, start_team, upload
from ._team import close, join, team

__all__ = ["create_app"]

logger = logging.getLogger("silkcore.web")

#: The default publisher of the questionnaire's private records (an operator may name theirs).
DEFAULT_PUBLISHER = "urn:silkcore:web"


def _routes(allow_uploads: bool) -> list[BaseRoute]:
    both = ["GET", "POST"]
    routes: list[BaseRoute] = [
        Route("/", guarded(home), name="home", methods=["GET"]),
        Route("/start/{framework_id}", guarded(start), name="start", methods=both),
        Route("/team/{framework_id}", guarded(start_team), name="team_start", methods=both),
        Route("/r/{token}", guarded(resume), name="resume", methods=["GET"]),
        Route("/r/{token}/p/{number:int}", guarded(page), name="page", methods=both),
        Route("/r/{token}/step", guarded(step), name="step", methods=both),
        Route("/r/{token}/review", guarded(review), name="review", methods=["GET"]),
        Route("/r/{token}/finish", guarded(finish), name="finish", methods=both),
        Route("/t/{token}", guarded(team), name="team", methods=["GET"]),
        Route("/t/{token}/close", guarded(close), name="close", methods=both),
        Route("/join/{token}", guarded(join), name="join", methods=both),
        *_results.routes(),
        Mount("/static", StaticFiles(packages=[("silkcore.web", "static")]), name="static"),
    ]
    if allow_uploads:
        routes.append(Route("/upload", guarded(upload), name="upload", methods=both))
    return routes


def create_app(
    store: str | os.PathLike[str] | StoreURL | NodeStore,
    *,
    catalog: Catalog | None = None,
    frameworks: Sequence[Framework | str | Path] = (),
    allow_uploads: bool = False,
    start_rate: float = 0.2,
    start_burst: int = 20,
    submit_rate: float = 2.0,
    submit_burst: int = 120,
    max_form_bytes: int = 256 * 1024,
    max_upload_bytes: int = 1024 * 1024,
    publisher: str = DEFAULT_PUBLISHER,
) -> Starlette:
    """The web questionnaire over the store at ``store`` (an SQLite path or a
    ``postgresql://`` URL; ``silk serve`` passes the node's own store).

    ``catalog`` (default: the installed plugins') gives the frameworks one may start, with
    ``frameworks`` (objects, ids or files) beside them. ``allow_uploads`` lets respondents
    answer a framework file of their own (checked by the one check). Each client address may
    start ``start_rate`` questionnaires per second on average (bursts of ``start_burst``) and
    submit ``submit_rate`` pages per second (bursts of ``submit_burst``); a rate of 0 turns a
    limit off. A posted page may be ``max_form_bytes`` long, an uploaded framework
    ``max_upload_bytes``. ``publisher`` names the questionnaire in its records' envelopes.

    Raises :class:`~silkcore._errors.StoreError` if the store cannot be opened and
    :class:`ValueError` for a limit out of range.
    """
    if max_form_bytes < 1 or max_upload_bytes < 1:
        raise ValueError("max_form_bytes and max_upload_bytes must be at least 1")
    limits = RateLimits(start_rate=start_rate, start_burst=start_burst, submit_rate=submit_rate, submit_burst=submit_burst)
    catalog = catalog or get_catalog()
    owned = not isinstance(store, NodeStore)
    node_store = store if isinstance(store, NodeStore) else NodeStore(store if isinstance(store, str | StoreURL) else Path(store))
    web = Web(
        catalog=catalog,
        store=node_store,
        frameworks=[catalog.resolve_framework(f) for f in frameworks],
        allow_uploads=allow_uploads,
        limits=limits,
        publisher=publisher,
        max_form_bytes=max_form_bytes,
        max_upload_bytes=max_upload_bytes,
    )

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            if owned:  # a store passed in belongs to whoever opened it (the node, in silk serve)
                node_store.close()

    app = Starlette(
        lifespan=lifespan,
        routes=_routes(allow_uploads),
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={HTTPException: http_error, Exception: unexpected},
    )
    app.state.web = web
    return app
