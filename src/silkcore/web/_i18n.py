"""The questionnaire's languages: which one a request gets, and its gettext catalog.

Interface strings are English msgids in the templates (``{% trans %}``, ``_()``) and in the
web modules (marked with :func:`N_` where the text is only translated when shown). Their
catalogs are silkcore's own, shared with the report: :mod:`silkcore._i18n` loads them
(``silkcore/locale/{fr,es}/LC_MESSAGES/silkcore.po``, compiled in memory when a language is
first used); this module adds what only a web page needs.

A request's language is, in order: ``?lang=`` (remembered in a cookie), the cookie, the
language the questionnaire was started in (so a resume link opened on another device keeps
it), the browser's ``Accept-Language``, and English.
"""

from __future__ import annotations

import functools
import unicodedata

from babel import Locale
from starlette.requests import Request

from .._i18n import DEFAULT_LANGUAGE, DOMAIN, LANGUAGES, N_, gettext, translations

__all__ = [
    "COOKIE",
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "LANGUAGES",
    "N_",
    "countries",
    "gettext",
    "negotiate",
    "requested_language",
    "translations",
]

#: The cookie that remembers a language chosen with ``?lang=``.
COOKIE = "silk_lang"

# Babel's territories that are not ISO 3166-1 alpha-2 codes a document may carry (exceptional
# reservations, groupings and "unknown"); XK, user-assigned for Kosovo, is kept as the schema does.
_NOT_COUNTRIES = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "ZZ"})


def _choice(value: str | None) -> str | None:
    """A supported language from a tag such as ``fr``, ``fr-CA`` or ``ES``, or None."""
    if not value:
        return None
    primary = value.strip().split("-", 1)[0].split("_", 1)[0].lower()
    return primary if primary in LANGUAGES else None


def requested_language(request: Request) -> str | None:
    """The language asked for with ``?lang=``, when it is one of ours."""
    return _choice(request.query_params.get("lang"))


def _accepted(header: str) -> str | None:
    """The supported language the ``Accept-Language`` header prefers most (RFC 9110 §12.5.4)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:50]):  # a hostile header is not parsed in full
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                weight = float(params[2:])
            except ValueError:
                continue
        choice = _choice(tag)
        if choice is not None and weight > 0:
            ranked.append((-weight, index, choice))
    return min(ranked)[2] if ranked else None


def negotiate(request: Request, started_in: str | None = None) -> str:
    """The language of the page answering ``request`` (see the module's docstring)."""
    return (
        requested_language(request)
        or _choice(request.cookies.get(COOKIE))
        or _choice(started_in)
        or _accepted(request.headers.get("accept-language", ""))
        or DEFAULT_LANGUAGE
    )


def _sort_key(name: str) -> str:
    # Accents must not send "Égypte" after "Zambie": compare the letters without their marks.
    return "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))


@functools.cache
def countries(language: str) -> tuple[tuple[str, str], ...]:
    """(ISO 3166-1 alpha-2 code, name in ``language``) for every country, by name."""
    names = Locale.parse(language if language in LANGUAGES else DEFAULT_LANGUAGE).territories
    found = [(code, name) for code, name in names.items() if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES]
    return tuple(sorted(found, key=lambda pair: _sort_key(pair[1])))
