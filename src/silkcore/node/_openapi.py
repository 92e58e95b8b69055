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
            "schema": {"const": "silkcore_envelope-v1.0.0"},
            "record_id": {"type": "string"},
            "payload_schema": {"type": "string"},
            "publisher": {"type": "object"},
            "provenance": {"type": "object"},
            "sharing": {"type": "object"},
            "payload": {"type": "object"},
        },
        "description": "A record as the caller may see it: redactions applied, provenance.content_hash over the payload sent.",
    },
    "Stored": {
        "type": "object",
        "required": ["record_id", "sharing_level", "subject"],
        "properties": {
            "record_id": {"type": "string", "pattern": "^urn:uuid:"},
            "sharing_level": {"enum": ["public", "network", "bilateral", "private"]},
            "subject": {"type": ["string", "null"], "description": "The organisation the record is about, if any."},
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
                "summary": "One framework document (scales resolved into its items)",
                "parameters": [framework_id],
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
                "description": "An envelope keeps its sharing terms; a bare document is stored as private.",
                "security": [{"bearerAuth": []}],
                "requestBody": _body("An envelope or a bare silkcore document", {"type": "object"}),
                "responses": {
                    "201": _answer(
                        "Stored", _ref("Stored"), {"Location": {"description": "The record's URL", "schema": {"type": "string"}}}
                    ),
                    "401": _UNAUTHORIZED,
                    "422": _error("Not valid, expired, or altered after export (content hash)"),
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
                "parameters": [_path_parameter("record_id", "The id POST /documents answered.")],
                "responses": {"200": _answer("The envelope", _ref("Envelope")), "401": _UNAUTHORIZED, "404": _NOT_FOUND},
            }
        },
        "/organisations/{org_id}/history": {
            "get": {
                "operationId": "getHistory",
                "summary": "An organisation's assessments over time (peers only)",
                "security": [{"bearerAuth": []}],
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
        "paths": _paths(),
        "components": {"schemas": _SCHEMAS, "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    }
