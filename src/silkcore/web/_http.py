"""Answers every route shares: redirects, downloads, and errors as HTML pages.

No answer ever carries a traceback: :func:`guarded` turns a :class:`WebError` into its page,
a store failure into a 503 page and anything unexpected into a logged, opaque 500 page; the
app's exception handlers do the same for what happens outside a route (an unknown URL, a
wrong method).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from functools import wraps
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .._errors import StoreError
from ._i18n import N_, negotiate
from ._render import render, url_for
from ._security import WebError

__all__ = ["Endpoint", "download", "error_page", "guarded", "http_error", "redirect", "unexpected"]

logger = logging.getLogger("silkcore.web")

Endpoint = Callable[[Request], Awaitable[Response]]

#: The heading of each error page, by status.
_TITLES = {
    400: N_("The form could not be read"),
    403: N_("This form cannot be accepted"),
    404: N_("Page not found"),
    405: N_("Page not found"),
    409: N_("This questionnaire has moved on"),
    413: N_("Too large"),
    422: N_("The file is not a framework silkcore can use"),
    429: N_("Too many requests"),
    503: N_("The service is unavailable"),
    500: N_("Something went wrong"),
}


def error_page(request: Request, status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """The HTML page of an error, in the request's language."""
    language = negotiate(request)
    title = _TITLES.get(status, _TITLES[500])
    return render(
        request,
        "error.html",
        {"status": status, "title": title, "message": message},
        language=language,
        status=status,
        headers=headers,
    )


def logged_path(request: Request) -> str:
    """The request's path for the log, each path parameter shown by its name: a link's secret
    token is never written anywhere, the log included (``/r/{token}/report.html``)."""
    path = request.url.path
    for name, value in request.path_params.items():
        path = path.replace(str(value), "{" + name + "}")
    return path


def guarded(endpoint: Endpoint) -> Endpoint:
    """Wrap a route so that every failure is an error page (see the module's docstring)."""

    @wraps(endpoint)
    async def wrapper(request: Request) -> Response:
        try:
            return await endpoint(request)
        except WebError as exc:
            return error_page(request, exc.status, exc.message, exc.headers)
        except StoreError:
            logger.exception("store failure in %s %s", request.method, logged_path(request))
            return error_page(request, 503, N_("Your answers cannot be read or saved right now. Try again in a moment."))
        except Exception:
            logger.exception("unexpected error in %s %s", request.method, logged_path(request))
            return error_page(request, 500, N_("The page could not be shown. The error was logged; try again later."))

    return wrapper


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (no such route, a wrong method) as error pages."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status in (404, 405):
        return error_page(
            request, 404, N_("This page does not exist, or the link is not complete. Check the link you were given.")
        )
    return error_page(request, status, N_("The request could not be handled."))


async def unexpected(request: Request, exc: Exception) -> Response:
    """The last resort: an opaque 500 page; the traceback goes to the log only."""
    logger.error("unexpected error in %s %s", request.method, logged_path(request), exc_info=exc)
    return error_page(request, 500, N_("The page could not be shown. The error was logged; try again later."))


def redirect(request: Request, name: str, /, **params: Any) -> Response:
    """303 See Other to route ``name``: after a form is posted, the browser asks for the
    next page with GET (reloading it never posts the form again)."""
    return RedirectResponse(url_for(request, name, **params), status_code=303)


def download(body: bytes, media_type: str, filename: str) -> Response:
    """A document to save, named ``filename``."""
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
