"""The node's endpoints. The catalog's and the stateless checks are methods of :class:`Node`,
the records' of :class:`~silkcore.node._records.Records`; a node holds its catalog, store,
peers and limits - no global state, so several nodes can live in one process.

Blocking work (parsing, validation, scoring, writes, a first read of a record version) runs
in Starlette's thread pool, so a large body or a slow disk never stalls the event loop; a
record version already served is answered on the event loop when the store's reads take
microseconds (SQLite; :mod:`silkcore.node._kept`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import assess
from .._assessment import ResponseSet
from .._catalog import Catalog
from .._documents import load_document, to_document
from .._documents import validate as validate_document
from .._errors import DataError, Issue, SchemaValidationError
from .._framework import Framework
from .._framework_data import framework_document
from .._jsonio import body_limits
from ._auth import Caller, Peers
from ._http import error_response, guarded, json_response, read_json_body
from ._intake import parse_body
from ._records import Records
from ._storage import NodeStore

__all__ = ["MAX_RESPONSE_SETS", "Node"]

logger = logging.getLogger("silkcore.node")

#: How many response sets one ``POST /assess`` may score together.
MAX_RESPONSE_SETS = 100
PUBLIC_CACHE = {"Cache-Control": "public, max-age=300"}


class Node:
    """One exchange node: its catalog, store, peers and request limits."""

    def __init__(
        self,
        catalog: Catalog,
        store: NodeStore,
        peers: Peers,
        max_body: int,
        openapi: dict[str, Any],
        frameworks: Sequence[Framework] = (),
    ) -> None:
        self.catalog = catalog
        #: The one way this node finds a framework by id (and by version): for /frameworks,
        #: /assess and every check.
        self.frameworks = catalog.framework_resolver(*frameworks)
        #: Frameworks the operator gave as files (``silk serve --framework FILE``), beside the
        #: installed ones: by id, the newest version given (every version is served by ``?version=``).
        self.given = {framework.id: self.frameworks(framework.id) for framework in frameworks}
        self.store = store
        self.peers = peers
        self.max_body = max_body
        #: The strict reader's limits: the environment's (``SILKCORE_MAX_*``), as every other door
        #: applies them, with the body size this node allows (:func:`~silkcore._jsonio.body_limits`).
        self.limits = body_limits(max_body)
        self.openapi = openapi
        self._framework_docs: dict[tuple[str, str | None], dict[str, Any]] = {}
        #: Publishing, reading, withdrawing, the feed, histories and profiles.
        self.records = Records(catalog, store, peers, self.frameworks, max_body)

    def routes(self) -> list[Route]:
        """The node's routes, each handler guarded (:func:`~silkcore.node._http.guarded`)."""
        records = self.records
        # The record routes first: a request is matched against the routes in order, and
        # reads and publications are most of a node's traffic. No two routes overlap.
        return [
            Route("/documents/{record_id}", guarded(records.document), methods=["GET", "DELETE"]),
            Route("/documents", guarded(records.post_document), methods=["POST"]),
            Route("/feed", guarded(records.feed), methods=["GET"]),
            Route("/frameworks", guarded(self.list_frameworks), methods=["GET"]),
            Route("/frameworks/{framework_id}", guarded(self.get_framework), methods=["GET"]),
            Route("/schemas", guarded(self.list_schemas), methods=["GET"]),
            Route("/schemas/{name}", guarded(self.get_schema), methods=["GET"]),
            Route("/validate", guarded(self.validate), methods=["POST"]),
            Route("/assess/{framework_id}", guarded(self.assess), methods=["POST"]),
            # Organisation ids are often URLs: ``:path`` keeps a decoded "/" inside the id.
            Route("/organisations/{org_id:path}/history", guarded(records.history), methods=["GET"]),
            Route("/organisations/{org_id:path}/profile", guarded(records.profile), methods=["GET"]),
            Route("/openapi.json", guarded(self.openapi_document), methods=["GET"]),
        ]

    # -- helpers --------------------------------------------------------------------------

    def caller(self, request: Request) -> Caller:
        """Who is asking (anonymous, or a peer); 401 for an unknown token."""
        return self.records.caller(request)

    def _framework_document(self, framework_id: str, version: str | None = None) -> dict[str, Any]:
        document = self._framework_docs.get((framework_id, version))
        if document is None:
            framework = self.frameworks(framework_id) if version is None else self.frameworks.version(framework_id, version)
            document = framework_document(framework)
            self._framework_docs[(framework_id, version)] = document
        return document

    # -- catalog --------------------------------------------------------------------------

    async def list_frameworks(self, request: Request) -> Response:
        """``GET /frameworks``: every installed framework, as ``silk frameworks --json`` lists them."""
        self.caller(request)
        rows = [
            {
                "id": f.id,
                "version": f.version,
                "title": dict(f.title),
                "categories": len(f.categories),
                "items": len(f.items),
                "plugin": "(file)" if f.id in self.given else self.catalog.owner("framework", f.id),
                "versions": [known.version for known in self.frameworks.versions(f.id)],
            }
            for f in sorted({**{f.id: f for f in self.catalog.frameworks()}, **self.given}.values(), key=lambda f: f.id)
        ]
        return json_response(rows, headers=PUBLIC_CACHE)

    async def get_framework(self, request: Request) -> Response:
        """``GET /frameworks/{id}[?version=X]``: one framework document, scales resolved into its
        items - the newest version the node knows, or version X (404 naming the versions known)."""
        self.caller(request)
        version = request.query_params.get("version") or None
        document = self._framework_document(request.path_params["framework_id"], version)
        return json_response(document, headers=PUBLIC_CACHE)

    async def list_schemas(self, request: Request) -> Response:
        """``GET /schemas``: the names in the local registry (packaged and plugin schemas)."""
        self.caller(request)
        return json_response(self.catalog.schemas.names(), headers=PUBLIC_CACHE)

    async def get_schema(self, request: Request) -> Response:
        """``GET /schemas/{name}``: one schema, to fetch once and pin."""
        self.caller(request)
        return json_response(self.catalog.schemas.schema(request.path_params["name"]), headers=PUBLIC_CACHE)

    async def openapi_document(self, request: Request) -> Response:
        """``GET /openapi.json``: this API's OpenAPI description (a malformed or unknown token
        is refused here too, as on every route)."""
        self.caller(request)
        return json_response(self.openapi, headers=PUBLIC_CACHE)

    # -- stateless checks -----------------------------------------------------------------

    def _validate(self, raw: bytes) -> list[Issue]:
        try:
            document = parse_body(raw, self.limits)
        except DataError as exc:
            return list(exc.errors)
        return validate_document(document, registry=self.catalog.schemas, frameworks=self.frameworks)

    async def validate(self, request: Request) -> Response:
        """``POST /validate``: 200 ``{"valid": true}``, or 422 with every issue's JSON Pointer."""
        self.caller(request)
        raw = await read_json_body(request, self.max_body)
        issues = await run_in_threadpool(self._validate, raw)
        if not issues:
            return json_response({"valid": True})
        return error_response(422, "invalid_document", "the document is not valid", issues, extra={"valid": False})

    def _assess(self, framework_id: str, raw: bytes) -> dict[str, Any]:
        framework = self.frameworks(framework_id)
        document = parse_body(raw, self.limits)
        many = isinstance(document, list)
        items = document if many else [document]
        if not items or len(items) > MAX_RESPONSE_SETS:
            raise DataError([Issue("", f"expected a response set, or a list of 1 to {MAX_RESPONSE_SETS} response sets")])
        sets: list[ResponseSet] = []
        for index, item in enumerate(items):
            prefix = f"/{index}" if many else ""
            try:
                entity = (
                    load_document(item, registry=self.catalog.schemas, frameworks=lambda _id: framework)
                    if isinstance(item, dict)
                    else None
                )
            except (DataError, SchemaValidationError) as exc:
                raise SchemaValidationError([Issue(prefix + i.pointer, i.message) for i in exc.errors]) from None
            if not isinstance(entity, ResponseSet):
                raise SchemaValidationError([Issue(prefix + "/schema", "expected a response set (silkcore_response_set-v1.0.0)")])
            sets.append(entity)
        return to_document(assess(framework, sets, catalog=self.catalog))

    async def assess(self, request: Request) -> Response:
        """``POST /assess/{framework_id}``: the score card of a response set (or a list of them)."""
        self.caller(request)
        framework_id = request.path_params["framework_id"]
        self.frameworks(framework_id)  # 404 before reading a body for nothing
        raw = await read_json_body(request, self.max_body)
        return json_response(await run_in_threadpool(self._assess, framework_id, raw))
