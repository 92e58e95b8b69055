"""The interface in English, French and Spanish: every message of the web templates and
modules, of the report package and of the built-in plugins' report sections (one shared
catalog per language) is translated, with the same placeholders, and the catalogs say they
are drafts awaiting review."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from silkcore import Approach, SseFamily
from silkcore._schemas import packaged_schemas
from silkcore.web._choices import APPROACHES, FAMILIES, ROLES
from silkcore.web._i18n import LANGUAGES, countries, gettext, translations

from ..conftest import ROOT

LOCALE = ROOT / "src" / "silkcore" / "locale"
TRANSLATED = [language for language in LANGUAGES if language != "en"]
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def extracted() -> dict[str | tuple[str, ...], set[str]]:
    """Every message of the web and report packages and the plugins' report sections, as
    ``pybabel extract`` finds it with silkcore's babel.cfg (msgid, or (singular, plural)),
    with the files it comes from."""
    with (LOCALE / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str | tuple[str, ...], set[str]] = {}
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    for filename, _line, message, _comments, _context in extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords):
        found.setdefault(message, set()).add(filename)
    return found


@pytest.fixture(scope="module")
def messages() -> dict[str | tuple[str, ...], set[str]]:
    found = extracted()
    assert len(found) > 150  # the templates and modules were read
    where = {path for paths in found.values() for path in paths}
    # The report's messages are extracted too: the core's and each built-in section's.
    assert any(path.startswith("src/silkcore/report/") for path in where)
    for plugin in ("silk_flowchart", "silk_indicators", "silk_exchange", "silk_cases", "silk_impact_grid"):
        assert f"plugins/{plugin}/report.py" in where, plugin
    return found


def catalog(language: str) -> Catalog:
    path = LOCALE / language / "LC_MESSAGES" / "silkcore.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_of_the_templates_and_modules_is_translated(
    language: str, messages: dict[str | tuple[str, ...], set[str]]
) -> None:
    kept = catalog(language)
    missing = []
    for message, where in messages.items():
        entry = kept.get(message[0] if isinstance(message, tuple) else message)
        strings = (entry.string if isinstance(entry.string, tuple) else (entry.string,)) if entry else ("",)
        if entry is None or entry.fuzzy or not all(strings):
            missing.append((message, sorted(where)))
    assert not missing, f"untranslated in {language}: {missing}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogs_hold_no_message_the_code_no_longer_uses(
    language: str, messages: dict[str | tuple[str, ...], set[str]]
) -> None:
    used = {m[0] if isinstance(m, tuple) else m for m in messages}
    kept = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog(language) if m.id}
    assert kept - used == set()


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder(language: str) -> None:
    for message in catalog(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(_PLACEHOLDER.findall(ids[-1])) | set(_PLACEHOLDER.findall(ids[0]))
        for string in strings:
            assert set(_PLACEHOLDER.findall(string)) <= wanted, (message.id, string)
            if len(ids) == 1:
                assert set(_PLACEHOLDER.findall(string)) == wanted, (message.id, string)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogs_say_they_are_machine_assisted_drafts_awaiting_review(language: str) -> None:
    header = (LOCALE / language / "LC_MESSAGES" / "silkcore.po").read_text(encoding="utf-8").split("msgid", 1)[0]
    assert "machine-assisted drafts" in header and "review" in header
    assert catalog(language).fuzzy is False  # a fuzzy header would be dropped when compiled, plural forms with it


def test_the_catalogs_compile_and_translate() -> None:
    assert gettext("fr", "Check your answers") == "Vérifiez vos réponses"
    assert gettext("es", "Check your answers") == "Revise sus respuestas"
    assert gettext("en", "Check your answers") == "Check your answers"
    assert translations("fr").ngettext("%(count)s question", "%(count)s questions", 2) == "%(count)s questions"


def test_every_choice_offered_is_a_code_of_its_document_and_has_a_label() -> None:
    assert set(FAMILIES) == {family.value for family in SseFamily}
    assert set(APPROACHES) == {approach.value for approach in Approach}
    roles = packaged_schemas()["silkcore_response_set-v1.0.0"]["properties"]["respondent"]["properties"]["role"]["enum"]
    assert list(ROLES) == roles


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_countries_are_named_in_the_page_language_with_iso_codes(language: str) -> None:
    named = dict(countries(language))
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in named)
    assert "XK" in named and "EU" not in named and "ZZ" not in named
    assert named["ES"] == {"en": "Spain", "fr": "Espagne", "es": "España"}[language]


def test_the_catalogs_are_shipped_as_po_files_only() -> None:
    assert not list(Path(LOCALE).rglob("*.mo")), "catalogs are compiled in memory; no .mo is shipped"
