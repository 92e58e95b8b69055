"""The node's endpoints. Each is a method of :class:`Node`, which holds the catalog, the
store, the peers and the limits - no global state, so several nodes can live in one process.

Blocking work (parsing, validation, scoring, SQLite) runs in Starlette's thread pool, so a
large body or a slow disk never stalls the event loop.
"""

from __future__ import annotations

import logging
import re
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
from .._errors import DataError, Issue, SchemaValidationError, SilkError
from .._framework import Framework
from .._framework_data import framework_document
from .._jsonio import Limits
from .._model import Envelope
from ._access import visible_envelope
from ._auth import Caller, Peers
from ._http import PRIVATE_HEADERS, NodeError, error_response, guarded, json_response, read_json_body
from ._intake import parse_body, receive
from ._storage import NodeStore

__all__ = ["MAX_RESPONSE_SETS", "Node"]

logger = logging.getLogger("silkcore.node")

#: How many response sets one ``POST /assess`` may score together.
MAX_RESPONSE_SETS = 100
ORGANISATION_SCHEMA = "silkcore_organisation-v1.0.0"
EXTRAS_SCHEMA = "murmurations_extras-v1.0.0"
#: The one answer for a record that does not exist *and* for one the caller may not see.
NOT_FOUND = ("not_found", "no record with this id is available")
PUBLIC_CACHE = {"Cache-Control": "public, max-age=300"}
#: An organisation id as silkcore_defs' ``identifier`` allows it.
_ORG_ID = re.compile(r"^[^\s\x00-\x1f\ufeff]{1,300}$")


def org_id_of(request: Request) -> str:
    """The ``org_id`` path parameter; 404 when it cannot be an organisation id."""
    org_id: str = request.path_params["org_id"]
    if not _ORG_ID.match(org_id):
        raise NodeError(404, "not_found", "not an organisation id: 1 to 300 characters, no spaces or control characters")
    return org_id


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
        #: Frameworks the operator gave as files (``silk serve --framework FILE``), beside the installed ones.
        self.given = {framework.id: framework for framework in frameworks}
        #: The one way this node finds a framework by id: for /frameworks, /assess and every check.
        self.frameworks = catalog.framework_resolver(*frameworks)
        self.store = store
        self.peers = peers
        self.max_body = max_body
        self.limits = Limits(max_bytes=max_body)
        self.openapi = openapi
        self._framework_docs: dict[str, dict[str, Any]] = {}

    def routes(self) -> list[Route]:
        """The node's routes, each handler guarded (:func:`~silkcore.node._http.guarded`)."""
        return [
            Route("/frameworks", guarded(self.list_frameworks), methods=["GET"]),
            Route("/frameworks/{framework_id}", guarded(self.get_framework), methods=["GET"]),
            Route("/schemas", guarded(self.list_schemas), methods=["GET"]),
            Route("/schemas/{name}", guarded(self.get_schema), methods=["GET"]),
            Route("/validate", guarded(self.validate), methods=["POST"]),
            Route("/assess/{framework_id}", guarded(self.assess), methods=["POST"]),
            Route("/documents", guarded(self.post_document), methods=["POST"]),
            Route("/documents/{record_id}", guarded(self.get_document), methods=["GET"]),
            # Organisation ids are often URLs: ``:path`` keeps a decoded "/" inside the id.
            Route("/organisations/{org_id:path}/history", guarded(self.history), methods=["GET"]),
            Route("/organisations/{org_id:path}/profile", guarded(self.profile), methods=["GET"]),
            Route("/openapi.json", guarded(self.openapi_document), methods=["GET"]),
        ]

    # -- helpers --------------------------------------------------------------------------

    def caller(self, request: Request) -> Caller:
        """Who is asking (anonymous, or a peer); 401 for an unknown token."""
        return self.peers.identify(request.headers.get("authorization"))

    def peer(self, request: Request, what: str) -> str:
        """The calling peer's id; 401 for an anonymous caller."""
        caller = self.caller(request)
        if caller.peer is None:
            raise NodeError(
                401,
                "unauthorized",
                f"{what} is for peers: send 'Authorization: Bearer TOKEN'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return caller.peer

    def _framework_document(self, framework_id: str) -> dict[str, Any]:
        document = self._framework_docs.get(framework_id)
        if document is None:
            document = framework_document(self.frameworks(framework_id))
            self._framework_docs[framework_id] = document
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
            }
            for f in sorted({**{f.id: f for f in self.catalog.frameworks()}, **self.given}.values(), key=lambda f: f.id)
        ]
        return json_response(rows, headers=PUBLIC_CACHE)

    async def get_framework(self, request: Request) -> Response:
        """``GET /frameworks/{id}``: one framework document, scales resolved into its items."""
        self.caller(request)
        return json_response(self._framework_document(request.path_params["framework_id"]), headers=PUBLIC_CACHE)

    async def list_schemas(self, request: Request) -> Response:
        """``GET /schemas``: the names in the local registry (packaged and plugin schemas)."""
        self.caller(request)
        return json_response(self.catalog.schemas.names(), headers=PUBLIC_CACHE)

    async def get_schema(self, request: Request) -> Response:
        """``GET /schemas/{name}``: one schema, to fetch once and pin."""
        self.caller(request)
        return json_response(self.catalog.schemas.schema(request.path_params["name"]), headers=PUBLIC_CACHE)

    async def openapi_document(self, request: Request) -> Response:
        """``GET /openapi.json``: this API's OpenAPI description."""
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

    # -- records ----------------------------------------------------------------------------

    def _store(self, raw: bytes, peer: str) -> dict[str, Any]:
        received = receive(raw, peer, self.catalog.schemas, self.limits, frameworks=self.frameworks)
        record_id = self.store.put(received.envelope, received.subject)
        level = received.envelope["sharing"]["level"]
        logger.info("stored %s from %s (%s, level %s)", record_id, peer, received.envelope["payload_schema"], level)
        return {"record_id": record_id, "sharing_level": level, "subject": received.subject}

    async def post_document(self, request: Request) -> Response:
        """``POST /documents``: a peer sends a document or an envelope; 201 with its record id."""
        peer = self.peer(request, "sending documents")
        raw = await read_json_body(request, self.max_body)
        stored = await run_in_threadpool(self._store, raw, peer)
        return json_response(stored, 201, {"Location": f"/documents/{stored['record_id']}"})

    def _visible(self, record_id: str, caller: Caller) -> dict[str, Any] | None:
        body = self.store.get(record_id)
        envelope = visible_envelope(body, caller) if body is not None else None
        return to_document(envelope) if envelope is not None else None

    async def get_document(self, request: Request) -> Response:
        """``GET /documents/{record_id}``: the envelope as the caller may see it, else 404 -
        the very same 404 as for a record that does not exist."""
        caller = self.caller(request)
        document = await run_in_threadpool(self._visible, request.path_params["record_id"], caller)
        if document is None:
            return error_response(404, *NOT_FOUND, headers=PRIVATE_HEADERS)
        return json_response(document, headers=PRIVATE_HEADERS)

    async def history(self, request: Request) -> Response:
        """``GET /organisations/{org_id}/history``: assessments over time - for peers only,
        since score cards are stored as private records."""
        self.peer(request, "an organisation's history")
        org_id = org_id_of(request)
        rows = await run_in_threadpool(self.store.history, org_id)
        return json_response({"organisation": org_id, "assessments": rows}, headers=PRIVATE_HEADERS)

    def _profile(self, org_id: str) -> bytes | None:
        public = Caller()  # a profile is public data, whoever asks
        organisation: Envelope | None = None
        extras: list[dict[str, Any]] = []
        for body in self.store.envelopes_about(org_id):
            envelope = visible_envelope(body, public)
            if envelope is None or envelope.payload.get("org_id") != org_id:
                continue
            if envelope.payload_schema == ORGANISATION_SCHEMA:
                organisation = envelope  # the latest public record wins
            elif envelope.payload_schema == EXTRAS_SCHEMA:
                extras.append(dict(envelope.payload, schema=EXTRAS_SCHEMA))
        if organisation is None:
            return None
        try:
            return self.catalog.exporter("murmurations").export([organisation, *extras])
        except SilkError as exc:
            logger.warning("no Murmurations profile for %s: %s", org_id, exc)
            return None

    async def profile(self, request: Request) -> Response:
        """``GET /organisations/{org_id}/profile``: the organisation's public data as a
        Murmurations profile (``organizations_schema-v1.0.0``), made by the murmurations exporter."""
        self.caller(request)
        profile = await run_in_threadpool(self._profile, org_id_of(request))
        if profile is None:
            return error_response(404, "not_found", "no public profile of this organisation on this node")
        return Response(profile, media_type="application/json", headers={"X-Content-Type-Options": "nosniff", **PUBLIC_CACHE})
