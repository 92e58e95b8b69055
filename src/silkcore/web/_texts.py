"""A framework's multilingual texts in the page's language, falling back per text.

A framework may be translated only in part (a French title, an English help text). Each text
is taken in the page's language when the framework has it, else in the framework's default
language, else in the first language it has; a text shown in another language than the
page's says so, so the template can mark it (``lang`` attribute and a visible note).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import attrs
from babel import Locale, UnknownLocaleError

__all__ = ["LocalText", "language_name", "local_text"]


@attrs.frozen
class LocalText:
    """One text as shown: ``text`` in ``language``; ``fallback`` when that is not the page's
    language, with ``language_name`` (the language's name in the page's language: "English",
    "anglais") for the note beside it."""

    text: str
    language: str
    fallback: bool = False
    language_name: str = ""


def _primary(tag: str) -> str:
    return tag.split("-", 1)[0].casefold()


def local_text(texts: Mapping[str, str], language: str, default_language: str | None) -> LocalText:
    """``texts`` in ``language`` (an exact tag, else the same primary language: ``fr`` for
    ``fr-CA``), else in ``default_language``, else in the first language given."""
    chosen = _pick(texts, language) or (_pick(texts, default_language) if default_language else None) or next(iter(texts))
    fallback = _primary(chosen) != _primary(language)
    return LocalText(texts[chosen], chosen, fallback, language_name(chosen, language) if fallback else "")


def _pick(texts: Mapping[str, str], language: str) -> str | None:
    if language in texts:
        return language
    primary = _primary(language)
    return next((tag for tag in texts if _primary(tag) == primary), None)


@lru_cache(maxsize=256)
def language_name(tag: str, in_language: str) -> str:
    """The name of language ``tag`` written in ``in_language`` (CLDR data via Babel); the
    tag itself when either is not a language Babel knows."""
    try:
        name = Locale.parse(tag.replace("-", "_")).get_display_name(Locale.parse(in_language.replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        return tag
    return name or tag
