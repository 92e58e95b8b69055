"""Pages: one Jinja2 environment per language, URLs under the mount point, the CSRF field.

Each language has an environment of its own with its gettext catalog installed (Jinja2's
``i18n`` extension, new-style ``_()``), so that no request ever switches another's
translations. Templates are autoescaped and undefined names are errors.

Every URL a page carries is the app's route path under the request's ``root_path``, so
the pages work wherever a platform mounts the app (``/ui/`` in ``silk serve``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import jinja2
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ._i18n import COOKIE, LANGUAGES, gettext, requested_language, translations
from ._security import CSRF_FIELD

__all__ = ["absolute_url", "environment", "render", "url_for"]


def url_for(request: Request, name: str, /, **params: Any) -> str:
    """The path of route ``name`` under the app's mount point (no scheme or host)."""
    path = request.app.router.url_path_for(name, **params)
    return str(request.scope.get("root_path", "")).rstrip("/") + str(path)


def absolute_url(request: Request, path: str) -> str:
    """``path`` (from :func:`url_for`) as a full URL on the host the request came to, to
    show as a link a respondent copies."""
    return str(request.url.replace(path=path, query="", fragment=""))


@functools.cache
def environment(language: str) -> jinja2.Environment:
    """The templates' environment for ``language``."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("silkcore.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.globals["LANGUAGES"] = LANGUAGES
    # A message chosen in Python (an N_ msgid held in a variable) translated where shown;
    # a global, so that imported macros have it too.
    env.globals["t"] = functools.partial(gettext, language)
    return env


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    language: str,
    status: int = 200,
    csrf: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """The page ``template`` in ``language``, with what every page uses: the language and
    its switch, ``url(name, **params)``, ``static(path)``, ``csrf_field`` (the hidden input
    carrying ``csrf``, when the page has a form); ``t(msgid)`` (messages chosen in Python) is
    the environment's."""

    def url(name: str, **params: Any) -> str:
        return url_for(request, name, **params)

    def static(path: str) -> str:
        return url_for(request, "static", path=path)

    field = Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, csrf) if csrf else Markup("")
    values = {"lang": language, "url": url, "static": static, "csrf_field": field, **context}
    response = HTMLResponse(
        environment(language).get_template(template).render(values), status_code=status, headers=dict(headers or {})
    )
    chosen = requested_language(request)
    if chosen is not None:  # ?lang= is remembered for the pages that follow, under the mount point only
        response.set_cookie(
            COOKIE, chosen, max_age=365 * 86400, path=mount_path(request), samesite="lax", httponly=True, secure=secure(request)
        )
    return response


def mount_path(request: Request) -> str:
    """The app's own path prefix, for cookies that belong to it alone."""
    return str(request.scope.get("root_path", "")).rstrip("/") + "/"


def secure(request: Request) -> bool:
    """Whether the request came over HTTPS (cookies are then sent over HTTPS only)."""
    return request.url.scheme == "https"
