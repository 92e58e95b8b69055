"""JSON responses, errors and request bodies: what every endpoint of the node shares.

Every answer is JSON, errors included: ``{"error": CODE, "message": TEXT, "errors": [ISSUE]}``
where each issue is ``{"pointer", "message"}`` (plus ``line``/``column`` for syntax errors).
No error ever carries a traceback: :func:`guarded` turns silkcore's own errors into 4xx
answers and anything unexpected into a logged, opaque 500.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable, Iterable, Mapping
from functools import wraps
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from .._errors import DataError, Issue, PluginError, SchemaValidationError, ScoringError, StoreError, UnknownComponentError
from .._jsonio import dumps
from ._node_error import NodeError

__all__ = [
    "Endpoint",
    "NodeError",
    "error_response",
    "node_error_response",
    "guarded",
    "issue_json",
    "json_response",
    "read_json_body",
    "retry_after",
    "too_large_response",
]

logger = logging.getLogger("silkcore.node")

Endpoint = Callable[[Request], Awaitable[Response]]

#: Headers on every answer: JSON is never sniffed as something else.
BASE_HEADERS = {"X-Content-Type-Options": "nosniff"}
#: Headers on answers that depend on who asks: never cached, and caches key on the token.
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Vary": "Authorization"}


def json_response(content: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON answer written by silkcore's serialiser (no NaN, UTF-8, compact)."""
    return Response(
        dumps(content, indent=None).encode("utf-8"),
        status_code=status,
        headers={**BASE_HEADERS, **(headers or {})},
        media_type="application/json",
    )


#: At most this many issues in one answer, each message at most this long: a hostile body
#: (a million NaNs, a megabyte-long bad value) must not make the answer larger than itself.
MAX_ISSUES = 100
MAX_MESSAGE = 500


def _clip(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def issue_json(issue: Issue) -> dict[str, Any]:
    """An issue as the node reports it: pointer and message, and line/column when known."""
    row: dict[str, Any] = {"pointer": _clip(issue.pointer), "message": _clip(issue.message)}
    if issue.line is not None:
        row["line"] = issue.line
    if issue.column is not None:
        row["column"] = issue.column
    return row


def error_response(
    status: int,
    code: str,
    message: str,
    issues: Iterable[Issue] = (),
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """The one error shape: ``{"error", "message", "errors"}`` (plus ``extra`` keys)."""
    listed = list(issues)
    errors = [issue_json(i) for i in listed[:MAX_ISSUES]]
    if len(listed) > MAX_ISSUES:
        errors.append({"pointer": "", "message": f"... and {len(listed) - MAX_ISSUES} more issues (not listed)"})
    body = {**(extra or {}), "error": code, "message": message, "errors": errors}
    return json_response(body, status, headers)


def node_error_response(error: NodeError) -> Response:
    """The JSON answer for a :class:`NodeError`."""
    return error_response(error.status, error.code, error.message, error.issues, error.headers, error.extra)


def guarded(endpoint: Endpoint) -> Endpoint:
    """Wrap an endpoint so that no exception escapes as a traceback.

    silkcore errors become 4xx answers with their JSON Pointers; a store failure is a 503;
    anything else is logged with its traceback (server side only) and answered with an
    opaque 500.
    """

    @wraps(endpoint)
    async def wrapper(request: Request) -> Response:
        try:
            return await endpoint(request)
        except NodeError as exc:
            return node_error_response(exc)
        except (DataError, SchemaValidationError) as exc:
            return error_response(422, "invalid_document", "the document is not valid", exc.errors)
        except ScoringError as exc:
            return error_response(422, "cannot_score", str(exc), exc.errors)
        except PluginError as exc:  # a plugin's fault, not the caller's: said so, logged in full
            logger.error("plugin failure in %s %s: %s", request.method, request.url.path, exc)
            return error_response(500, "plugin_failure", str(exc))
        except UnknownComponentError as exc:
            return error_response(404, "not_found", str(exc))
        except StoreError:
            logger.exception("store failure in %s %s", request.method, request.url.path)
            return error_response(503, "store_unavailable", "the node's store cannot be used right now; try again later")
        except ClientDisconnect:
            return error_response(400, "client_disconnected", "the request body was not received in full")
        except Exception:
            logger.exception("unexpected error in %s %s", request.method, request.url.path)
            return error_response(500, "internal_error", "the node could not answer this request; the error was logged")

    return wrapper


def _check_media_type(request: Request) -> None:
    content_type = request.headers.get("content-type")
    if content_type is None:
        return
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "application/json" or (media.startswith("application/") and media.endswith("+json")):
        return
    raise NodeError(415, "unsupported_media_type", f"send the body as application/json, not {media or 'an empty type'!r}")


def _too_large(limit: int) -> NodeError:
    return NodeError(413, "body_too_large", f"the request body is larger than this node accepts ({limit} bytes)")


async def read_json_body(request: Request, limit: int) -> bytes:
    """The raw request body, refused (413) as soon as it exceeds ``limit`` bytes - by its
    declared length or while streaming - and refused (415) when declared as not JSON."""
    _check_media_type(request)
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise NodeError(400, "bad_request", "Content-Length must be a whole number of bytes")
        if int(declared) > limit:
            raise _too_large(limit)
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def retry_after(seconds: float) -> dict[str, str]:
    """A ``Retry-After`` header (RFC 9110 §10.2.3): whole seconds, rounded up, at least 1."""
    return {"Retry-After": str(max(1, math.ceil(seconds)))}


def too_large_response(limit: int) -> Response:
    """The node's 413 answer for a body larger than ``limit`` bytes."""
    return node_error_response(_too_large(limit))
