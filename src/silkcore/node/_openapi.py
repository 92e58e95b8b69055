"""The node's OpenAPI 3.1 description, written by hand so that it says exactly what the
endpoints do (a test checks that every route is described and every description is routed;
schemathesis checks the answers against it)."""

from __future__ import annotations

from typing import Any

__all__ = ["openapi_document"]

_JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _answer(description: str, schema: dict[str, Any], headers: dict[str, Any] | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": description, "content": {_JSON: {"schema": schema}}}
    if headers:
        answer["headers"] = headers
    return answer


def _error(description: str) -> dict[str, Any]:
    return _answer(description, _ref("Error"))


_UNAUTHORIZED = _error("The Authorization header is not a bearer token this node knows (or is required and missing).")
_NOT_FOUND = _error("No such resource (for records: also one the caller may not see - the same answer).")
_BODY_ERRORS = {
    "400": _error("The body could not be received (a bad Content-Length, or the client went away)."),
    "413": _error("The body is larger than the node accepts."),
    "415": _error("The body is declared as something other than JSON."),
}
_ID = {"type": "string", "minLength": 1}
_RECORD_HEADERS = {
    "ETag": {"description": "The version's hash", "schema": {"type": "string"}},
    "Silk-Record-Version": {"description": "The version served", "schema": {"type": "string"}},
    "Silk-Received-From": {"description": "The peer or node that handed the record over", "schema": {"type": "string"}},
    "Silk-Received-At": {"description": "When this node received it", "schema": {"type": "string"}},
}
#: What an organisation id may be (silkcore_defs' ``identifier``).
_ORG_ID = {"type": "string", "minLength": 1, "maxLength": 300, "pattern": "^[^\\s\\u0000-\\u001f]+$"}


def _path_parameter(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": schema or _ID}


def _body(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "description": description, "content": {_JSON: {"schema": schema}}}


_SCHEMAS: dict[str, Any] = {
    "Issue": {
        "type": "object",
        "required": ["pointer", "message"],
        "properties": {
            "pointer": {"type": "string", "description": "RFC 6901 JSON Pointer to the offending value ('' is the whole body)."},
            "message": {"type": "string"},
            "line": {"type": "integer", "minimum": 1},
            "column": {"type": "integer", "minimum": 1},
        },
    },
    "Error": {
        "type": "object",
        "required": ["error", "message", "errors"],
        "properties": {
            "error": {"type": "string", "description": "A stable code: not_found, invalid_document, unauthorized, ..."},
            "message": {"type": "string"},
            "errors": {"type": "array", "items": _ref("Issue")},
            "valid": {"const": False},
        },
    },
    "Valid": {"type": "object", "required": ["valid"], "properties": {"valid": {"const": True}}},
    "FrameworkSummary": {
        "type": "object",
        "required": ["id", "version", "title", "categories", "items", "plugin"],
        "properties": {
            "id": {"type": "string"},
            "version": {"type": "string"},
            "title": {"type": "object", "additionalProperties": {"type": "string"}},
            "categories": {"type": "integer", "minimum": 0},
            "items": {"type": "integer", "minimum": 0},
            "plugin": {"type": "string"},
            "versions": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Every version the node serves (?version=).",
            },
        },
    },
    "Document": {
        "type": "object",
        "required": ["schema"],
        "properties": {"schema": {"type": "string"}},
        "description": "A silkcore document; 'schema' names its JSON Schema (GET /schemas/{name}).",
    },
    "Envelope": {
        "type": "object",
        "required": ["schema", "record_id", "payload_schema", "publisher", "provenance", "sharing", "payload"],
        "properties": {
            "schema": {"enum": ["silkcore_envelope-v1.0.0", "silkcore_envelope-v1.1.0"]},
            "record_id": {"type": "string"},
            "payload_schema": {"type": "string"},
            "publisher": {"type": "object"},
            "provenance": {"type": "object"},
            "sharing": {"type": "object"},
            "payload": {"type": "object"},
        },
        "description": "A record as the caller may see it: exactly as its publisher made it (proof included) unless "
        "fields are redacted - then redacted, without the proof, with provenance.content_hash over the payload sent.",
    },
    "Stored": {
        "type": "object",
        "required": ["record_id", "version", "status", "version_hash", "sharing_level", "subject", "publisher", "received_from"],
        "properties": {
            "record_id": {"type": "string", "pattern": "^urn:uuid:"},
            "version": {"type": "integer", "minimum": 1},
            "status": {"enum": ["created", "new_version", "unchanged", "withdrawn"]},
            "version_hash": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
            "sharing_level": {"enum": ["public", "network", "bilateral", "private"]},
            "subject": {"type": ["string", "null"], "description": "The organisation the record is about, if any."},
            "publisher": {"type": "string"},
            "received_from": {"type": "string", "description": "The authenticated peer (or synced node) that handed it over."},
            "received_at": {"type": "string"},
            "withdrawn_at": {"type": ["string", "null"]},
        },
    },
    "FeedPage": {
        "type": "object",
        "required": ["items", "next", "more"],
        "properties": {
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["record_id", "version", "schema", "publisher", "changed_at", "withdrawn"],
                    "properties": {
                        "record_id": {"type": "string"},
                        "version": {"type": "integer", "minimum": 1},
                        "schema": {"type": "string", "description": "The payload's schema."},
                        "publisher": {"type": "string"},
                        "changed_at": {"type": "string"},
                        "withdrawn": {"type": "boolean", "description": "A tombstone: the publisher withdrew the record."},
                        "content_hash": {"type": ["string", "null"], "description": "Of the payload as the caller gets it."},
                    },
                },
            },
            "next": {"type": "string", "description": "The opaque cursor to send as 'after' next time."},
            "more": {"type": "boolean", "description": "Whether asking again at once may return more."},
        },
    },
    "History": {
        "type": "object",
        "required": ["organisation", "assessments"],
        "properties": {"organisation": {"type": "string"}, "assessments": {"type": "array", "items": {"type": "object"}}},
    },
    "Profile": {
        "type": "object",
        "required": ["linked_schemas", "name"],
        "properties": {"linked_schemas": {"type": "array", "items": {"type": "string"}}, "name": {"type": "string"}},
        "description": "A Murmurations profile (organizations_schema-v1.0.0).",
    },
}


def _paths() -> dict[str, Any]:
    framework_id = _path_parameter("framework_id", "A registered framework id, e.g. silk.evaluation-grid.")
    org_id = _path_parameter("org_id", "An organisation id (percent-encode it when it is a URL).", _ORG_ID)
    bad_org_id = _error("Not an organisation id (1 to 300 characters, no spaces or control characters)")
    record_id = _path_parameter("record_id", "The record's id, as its publisher gave it.")
    return {
        "/frameworks": {
            "get": {
                "operationId": "listFrameworks",
                "summary": "The installed frameworks",
                "responses": {
                    "200": _answer("Every framework", {"type": "array", "items": _ref("FrameworkSummary")}),
                    "401": _UNAUTHORIZED,
                },
            }
        },
        "/frameworks/{framework_id}": {
            "get": {
                "operationId": "getFramework",
                "summary": "One framework document (scales resolved into its items): the newest version, or ?version=X",
                "parameters": [
                    framework_id,
                    {
                        "name": "version",
                        "in": "query",
                        "required": False,
                        "description": "A version of the framework the node knows (default: the newest); 404 otherwise.",
                        "schema": {"type": "string", "minLength": 1, "maxLength": 100},
                    },
                ],
                "responses": {"200": _answer("The framework", _ref("Document")), "401": _UNAUTHORIZED, "404": _NOT_FOUND},
            }
        },
        "/schemas": {
            "get": {
                "operationId": "listSchemas",
                "summary": "The names of the schemas in the local registry",
                "responses": {
                    "200": _answer("Schema names", {"type": "array", "items": {"type": "string"}}),
                    "401": _UNAUTHORIZED,
                },
            }
        },
        "/schemas/{name}": {
            "get": {
                "operationId": "getSchema",
                "summary": "One JSON Schema (packaged or registered by a plugin), to fetch once and pin",
                "parameters": [_path_parameter("name", "A schema name, e.g. silkcore_flow-v1.0.0.")],
                "responses": {"200": _answer("The schema", {"type": "object"}), "401": _UNAUTHORIZED, "404": _NOT_FOUND},
            }
        },
        "/validate": {
            "post": {
                "operationId": "validate",
                "summary": "Validate a document (strict JSON, then its schema and semantic checks)",
                "requestBody": _body("A silkcore document naming its schema", {"type": "object"}),
                "responses": {
                    "200": _answer("The document is valid", _ref("Valid")),
                    "401": _UNAUTHORIZED,
                    "422": _error("The document is not valid: every issue with its JSON Pointer, and valid: false"),
                    **_BODY_ERRORS,
                },
            }
        },
        "/assess/{framework_id}": {
            "post": {
                "operationId": "assess",
                "summary": "Score a response set (or several respondents' sets) against a framework",
                "parameters": [framework_id],
                "requestBody": _body(
                    "A response set, or a list of response sets for one organisation",
                    {
                        "oneOf": [
                            {"type": "object"},
                            {"type": "array", "items": {"type": "object"}, "minItems": 1, "maxItems": 100},
                        ]
                    },
                ),
                "responses": {
                    "200": _answer("The score card document", _ref("Document")),
                    "401": _UNAUTHORIZED,
                    "404": _error("No such framework"),
                    "422": _error("The response sets are not valid, or do not fit the framework"),
                    **_BODY_ERRORS,
                },
            }
        },
        "/documents": {
            "post": {
                "operationId": "receiveDocument",
                "summary": "A peer sends a document or an envelope; it is validated and stored with its provenance",
                "description": "An envelope keeps its record id, sharing terms and proof; its publisher must be the "
                "sending peer or have signed it. A bare document is stored as private under a new id.",
                "security": [{"bearerAuth": []}],
                "requestBody": _body("An envelope or a bare silkcore document", {"type": "object"}),
                "responses": {
                    "200": _answer("This very version is already stored: nothing new", _ref("Stored")),
                    "201": _answer(
                        "Stored (a new record, or a new version of one)",
                        _ref("Stored"),
                        {"Location": {"description": "The record's URL", "schema": {"type": "string"}}},
                    ),
                    "401": _UNAUTHORIZED,
                    "403": _error("The envelope names a publisher the sending peer may not speak for"),
                    "409": _error("The id is another publisher's, withdrawn, or the content is not newer than the stored one"),
                    "422": _error("Not valid, expired, altered after export (content hash), or a proof that does not verify"),
                    **_BODY_ERRORS,
                },
            }
        },
        "/documents/{record_id}": {
            "get": {
                "operationId": "getDocument",
                "summary": "A record, as the caller may see it",
                "description": "Anonymous callers see public records; a peer also sees network records and bilateral "
                "records addressed to it. Private and expired records are seen by no one.",
                "parameters": [
                    record_id,
                    {
                        "name": "version",
                        "in": "query",
                        "required": False,
                        "description": "A version number (default: the latest).",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 2**31},
                    },
                ],
                "responses": {
                    "200": _answer("The envelope", _ref("Envelope"), _RECORD_HEADERS),
                    "400": _error("'version' is not a whole number"),
                    "401": _UNAUTHORIZED,
                    "404": _NOT_FOUND,
                    "410": _error("The publisher withdrew this record"),
                },
            },
            "delete": {
                "operationId": "withdrawDocument",
                "summary": "The publisher withdraws its record; a tombstone stays in the feed",
                "security": [{"bearerAuth": []}],
                "parameters": [record_id],
                "responses": {
                    "200": _answer("Withdrawn", _ref("Stored")),
                    "401": _UNAUTHORIZED,
                    "403": _error("Only the record's publisher may withdraw it"),
                    "404": _NOT_FOUND,
                    "410": _error("Already withdrawn"),
                },
            },
        },
        "/feed": {
            "get": {
                "operationId": "getFeed",
                "summary": "What changed on this node that the caller may see, oldest first, paged by opaque cursors",
                "parameters": [
                    {
                        "name": "after",
                        "in": "query",
                        "required": False,
                        "description": "The 'next' cursor of the previous page (none: from the start).",
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "description": "At most this many items (default 100).",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 1000},
                    },
                ],
                "responses": {
                    "200": _answer("A page of the feed", _ref("FeedPage")),
                    "400": _error("Not a cursor this node gave out, or a bad limit"),
                    "401": _UNAUTHORIZED,
                },
            }
        },
        "/organisations/{org_id}/history": {
            "get": {
                "operationId": "getHistory",
                "summary": "An organisation's score cards over time, as the caller may see them, from publishers "
                "that may speak for it; across versions of a framework each category of an assessment says whether "
                "it compares with the one before (status comparable or not comparable, reason, reason_code)",
                "parameters": [org_id],
                "responses": {
                    "200": _answer("The assessments, oldest first", _ref("History")),
                    "401": _UNAUTHORIZED,
                    "404": bad_org_id,
                },
            }
        },
        "/organisations/{org_id}/profile": {
            "get": {
                "operationId": "getProfile",
                "summary": "The organisation's public data as a Murmurations profile",
                "parameters": [org_id],
                "responses": {
                    "200": _answer("The profile", _ref("Profile")),
                    "401": _UNAUTHORIZED,
                    "404": _error("No public profile of this organisation here (or not an organisation id)"),
                },
            }
        },
        "/openapi.json": {
            "get": {
                "operationId": "getOpenApi",
                "summary": "This description",
                "security": [],
                "responses": {"200": _answer("The OpenAPI document", {"type": "object"})},
            }
        },
    }


_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before asking again", "schema": {"type": "integer"}}}
_RATE_LIMITED = _answer("Too many requests from this caller: wait as Retry-After says", _ref("Error"), _RETRY_AFTER)
_BUSY = _answer("Every slot for this kind of work is taken: try again as Retry-After says", _ref("Error"), _RETRY_AFTER)
#: Operations whose work has a CPU budget, answered 503 when no slot is free.
_BUDGETED = {"validate", "assess", "receiveDocument"}


def _with_limits(paths: dict[str, Any]) -> dict[str, Any]:
    """Every operation may be rate limited (429); the CPU-heavy ones may be busy (503)."""
    for operations in paths.values():
        for operation in operations.values():
            operation["responses"]["429"] = _RATE_LIMITED
            if operation["operationId"] in _BUDGETED:
                operation["responses"]["503"] = _BUSY
    return paths


def openapi_document(version: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document of a node running silkcore ``version``."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "silkcore exchange node",
            "version": version,
            "description": "Publish, receive, validate and assess SSE documents; each caller sees only what its "
            "sharing level allows. Errors are JSON with JSON Pointers.",
        },
        "security": [{}, {"bearerAuth": []}],
        "paths": _with_limits(_paths()),
        "components": {"schemas": _SCHEMAS, "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    }
