"""silkcore's interface languages and their gettext catalogs, shared by the report and the web
questionnaire.

Interface strings are English msgids: in the web templates (``{% trans %}``, ``_()``), in the
web modules and the report package (marked with :func:`N_` where a text is only translated
when shown), and in the built-in plugins' report sections (``context.gettext(...)``). The
French and Spanish catalogs are ``silkcore/locale/{fr,es}/LC_MESSAGES/silkcore.po``, shipped
as text and compiled in memory the first time a language is used (Babel's ``pofile`` and
``mofile``): no compiled ``.mo`` file to keep in step with its source, and no build step.
``silkcore/locale/babel.cfg`` says where ``pybabel extract`` finds the messages.

Babel is imported only when a catalog is first needed: it comes with the ``report`` and
``serve`` extras, and ``import silkcore`` must work without either.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping
from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.support import NullTranslations

__all__ = ["DEFAULT_LANGUAGE", "DOMAIN", "LANGUAGES", "N_", "gettext", "ngettext", "pick_text", "translations"]

#: The interface languages, each named in itself (the web's language switch shows these).
LANGUAGES: Mapping[str, str] = {"en": "English", "fr": "Français", "es": "Español"}
DEFAULT_LANGUAGE = "en"
#: The gettext domain: one catalog per language for every interface string of silkcore.
DOMAIN = "silkcore"


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is shown (:func:`gettext`)."""
    return message


@functools.cache
def translations(language: str) -> NullTranslations:
    """The compiled catalog of ``language`` (English, the msgids' own language, has none; nor
    has a language silkcore does not speak: its messages stay in English)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import NullTranslations, Translations

    if language not in LANGUAGES or language == DEFAULT_LANGUAGE:
        return NullTranslations()
    source = files("silkcore").joinpath("locale", language, "LC_MESSAGES", f"{DOMAIN}.po")
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def gettext(language: str, message: str) -> str:
    """``message`` (an English msgid) in ``language``."""
    if language not in LANGUAGES or language == DEFAULT_LANGUAGE:
        return message  # no catalog to read, and no need for Babel
    return translations(language).gettext(message)


def ngettext(language: str, singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` (English msgids) for ``n`` in ``language``."""
    if language not in LANGUAGES or language == DEFAULT_LANGUAGE:
        return singular if n == 1 else plural
    return translations(language).ngettext(singular, plural, n)


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-", 1)[0].casefold()


def pick_text(texts: Mapping[str, str] | None, language: str, default_language: str | None = None) -> str:
    """A multilingual text (``{"en": ..., "fr": ...}``) in ``language``: the exact tag, else
    the same primary language (``fr`` for ``fr-CA``), else ``default_language`` likewise,
    else the first language the text has; ``""`` when there is no text."""
    if not texts:
        return ""
    for wanted in (language, default_language):
        if not wanted:
            continue
        if texts.get(wanted):
            return texts[wanted]
        primary = _primary(wanted)
        for tag, text in texts.items():
            if text and _primary(tag) == primary:
                return text
    return next((text for text in texts.values() if text), "")
