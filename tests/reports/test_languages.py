"""Reports in English, French and Spanish: ``silk report --language`` reaches every section -
the core's score cards and page, the built-in plugins' sections and a third party's - with
interface strings from the shared gettext catalogs and framework texts in the language."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

import silkcore
from silkcore import Organisation, hookimpl, load_document
from silkcore.report import ReportContext, SectionContent, fragment, markdown_text
from silkcore.report._assemble import score_all, write_organisation_report
from silkcore.testing import catalog_with

from ..conftest import EXAMPLES, ROOT, run_silk

DEMO = EXAMPLES / "demo"
LOCALE = ROOT / "src" / "silkcore" / "locale"
READINESS = EXAMPLES / "plugin-event-readiness" / "silk_event_readiness" / "event_readiness.yaml"
# Where the report's interface strings are: the core's report package and the built-in sections.
REPORT_SOURCES = [
    *sorted((ROOT / "src" / "silkcore" / "report").glob("*.py")),
    *sorted((ROOT / "plugins").glob("*/report.py")),
    ROOT / "plugins" / "silk_indicators" / "catalogue.py",
    ROOT / "plugins" / "silk_indicators" / "standing.py",
]
_PLACEHOLDER = re.compile(r"%\(\w+\)s")


def demo_inputs() -> list[str]:
    """Every document of the demo organisation, and the framework its third response set answers."""
    documents = [DEMO / "organisation.json", *sorted((DEMO / "response_sets").glob("*.json"))]
    documents += [DEMO / "flows.jsonl", DEMO / "measurements.jsonl", DEMO / "strategies.jsonl"]
    return [*map(str, documents), "--framework", str(READINESS)]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], str]:
    """The demo organisation's report in each language, as HTML and Markdown."""
    out = tmp_path_factory.mktemp("languages")
    written: dict[tuple[str, str], str] = {}
    for language in ("en", "fr", "es"):
        for suffix in ("html", "md"):
            path = out / f"report-{language}.{suffix}"
            result = run_silk("report", *demo_inputs(), "-o", str(path), "--language", language)
            assert result.returncode == 0, result.stderr
            written[(language, suffix)] = path.read_text(encoding="utf-8")
    return written


def report_messages() -> dict[str, str]:
    """Every interface string of the report code (msgid -> the file it is in)."""
    found: dict[str, str] = {}
    for path in REPORT_SOURCES:
        for _line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords={"_": None, "N_": None, "gettext": None}
        ):
            found.setdefault(message if isinstance(message, str) else message[0], path.name)
    return found


def translations(language: str) -> dict[str, str]:
    with (LOCALE / language / "LC_MESSAGES" / "silkcore.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle, locale=language) if m.id and isinstance(m.id, str)}


def titles(text: str, suffix: str) -> list[str]:
    """The section titles of a report (HTML ``<h2>`` but the contents, Markdown ``##``)."""
    if suffix == "html":
        return [t for t in re.findall(r"<h2>(.*?)</h2>", text) if t not in ("Contents", "Sommaire", "Índice")]
    return re.findall(r"^## (.*)$", text, flags=re.MULTILINE)


def test_the_report_code_has_its_messages_and_each_is_in_the_catalogs() -> None:
    messages = report_messages()
    assert "Indicators against targets (Tool 3)" in messages and "Progress over time" in messages
    for language in ("fr", "es"):
        kept = translations(language)
        missing = [m for m in messages if not kept.get(m)]
        assert not missing, f"untranslated in {language}: {missing}"


@pytest.mark.parametrize("language", ["fr", "es"])
@pytest.mark.parametrize("suffix", ["html", "md"])
def test_section_titles_are_in_the_language(reports: dict[tuple[str, str], str], language: str, suffix: str) -> None:
    text = reports[(language, suffix)]
    english = titles(reports[("en", suffix)], suffix)
    translated = titles(text, suffix)
    assert len(translated) == len(english) >= 7
    kept = translations(language)
    # The built-in sections' titles, translated from the catalog.
    for title in (
        "Issues assessed and decisions taken (Tool 1 flow chart)",
        "Indicators against targets (Tool 3)",
        "Internationalisation flows",
        "Cases like this organisation (Tool 4)",
        "Strategies and SSE principles (Tool 5)",
    ):
        wanted = kept[title] if suffix == "md" else fragment("{{ t }}", t=kept[title])
        assert wanted in translated, (title, translated)
    # No section keeps its English title: the score cards' come from the frameworks' own texts
    # (the example plugin's framework has only English: its title falls back to it).
    assert set(english) & set(translated) == {t for t in english if t.endswith("(network.event-readiness)")}
    if suffix == "html":
        assert f'<html lang="{language}">' in text
    else:
        assert text.startswith("# " + kept["Internationalisation report: %(name)s"].split("%(name)s")[0])


@pytest.mark.parametrize("language", ["fr", "es"])
@pytest.mark.parametrize("suffix", ["html", "md"])
def test_framework_texts_are_in_the_language(reports: dict[tuple[str, str], str], language: str, suffix: str) -> None:
    text = reports[(language, suffix)]
    catalog = silkcore.build_catalog()

    def shown(value: str) -> str:
        return markdown_text(value) if suffix == "md" else str(fragment("{{ v }}", v=value))

    grid = catalog.framework("silk.evaluation-grid")
    for category in grid.categories:
        assert shown(category.title[language]) in text, category.id
    flowchart = catalog.framework("silk.flowchart")
    # Item texts: the score cards' findings and the flow chart's decisions quote them.
    quoted = [i for f in (grid, flowchart) for i in f.items if shown(i.text[language]) in text]
    assert len(quoted) >= 5
    assert not [i.id for i in quoted if shown(i.text["en"]) in text]


@pytest.mark.parametrize("language", ["fr", "es"])
def test_no_english_interface_string_is_left(reports: dict[tuple[str, str], str], language: str) -> None:
    kept = translations(language)
    html, markdown = reports[(language, "html")], reports[(language, "md")]
    left = []
    for message in report_messages():
        if kept.get(message, message) == message:
            continue  # the same word in both languages ("phase", "services")
        # A message with placeholders is looked for by its longest literal piece; a short
        # one only as a whole cell, heading or list item (English data texts may hold the word).
        pieces = [p.strip() for p in _PLACEHOLDER.split(message)]
        piece = max(pieces, key=len)
        if _PLACEHOLDER.search(message) and len(piece) >= 12:
            if str(fragment("{{ p }}", p=piece)) in html or piece in markdown:
                left.append(message)
        elif not _PLACEHOLDER.search(message):
            escaped = str(fragment("{{ p }}", p=message))
            if re.search(rf">{re.escape(escaped)}<", html) or re.search(
                rf"^#+ {re.escape(markdown_text(message))}$", markdown, re.M
            ):
                left.append(message)
    assert not left, f"English left in the {language} report: {left}"


def test_english_is_the_default_and_unchanged(reports: dict[tuple[str, str], str], tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    assert run_silk("report", *demo_inputs(), "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8") == reports[("en", "md")]
    assert '<html lang="en">' in reports[("en", "html")]
    assert "Indicators against targets (Tool 3)" in reports[("en", "md")]


def test_an_unknown_language_is_a_usage_error_listing_those_available(tmp_path: Path) -> None:
    for command in (["report", *demo_inputs(), "-o", str(tmp_path / "r.html")], ["demo", "-o", str(tmp_path / "demo")]):
        result = run_silk(*command, "--language", "de")
        assert result.returncode == 2
        assert "'de' is not one of 'en', 'fr', 'es'" in result.stderr
    assert not (tmp_path / "r.html").exists() and not (tmp_path / "demo").exists()


def test_silk_demo_writes_both_reports_in_the_language(tmp_path: Path) -> None:
    result = run_silk("demo", "-o", str(tmp_path / "demo"), "--language", "es")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "demo" / "report.html").read_text(encoding="utf-8")
    markdown = (tmp_path / "demo" / "report.md").read_text(encoding="utf-8")
    assert '<html lang="es">' in html and "Indicadores frente a las metas (herramienta 3)" in html
    assert markdown.startswith("# Informe de internacionalización: ")


class LanguageSection:
    """A third party's section written for the new contract: it reads the language."""

    id = "acme.languages"
    order = 70

    def __init__(self) -> None:
        self.seen: list[str] = []

    def render(self, context: ReportContext) -> SectionContent:
        self.seen.append(context.language)
        own = {"en": "Our view", "fr": "Notre regard", "es": "Nuestra mirada"}
        title = own.get(context.language, own["en"])
        # silkcore's catalog translates its own words; a plugin's own English comes back as it is.
        heading, unknown = context.gettext("Findings"), context.gettext("Acme's own words")
        text = context.text({"en": "Hello", "fr": "Bonjour"}, "en")
        return SectionContent(
            title, fragment("<p>{{ h }} {{ u }} {{ t }}</p>", h=heading, u=unknown, t=text), f"{heading} {text}"
        )


class OldSection:
    """A section written before reports had a language: ``render(context)`` ignores it."""

    id = "acme.old"
    order = 80

    def render(self, context: ReportContext) -> SectionContent | None:
        if context.organisation is None:
            return None
        return SectionContent("Acme's old section", fragment("<p>{{ n }} documents</p>", n=len(context.documents)), "old")


class Acme:
    def __init__(self) -> None:
        self.new, self.old = LanguageSection(), OldSection()

    @hookimpl
    def silk_register_report_sections(self, register: Any) -> None:
        register(self.new)
        register(self.old)


@pytest.mark.parametrize("suffix", ["html", "md"])
def test_a_plugin_section_receives_the_language_and_an_old_one_still_works(tmp_path: Path, suffix: str) -> None:
    acme = Acme()
    catalog = catalog_with(acme)
    documents = [load_document(DEMO / "organisation.json")]
    out = tmp_path / f"report.{suffix}"
    sections = write_organisation_report(catalog, documents, [], [], out, language="fr")
    assert acme.new.seen == ["fr"]
    assert catalog.failed_plugins() == []
    assert [s.title for s in sections] == ["Notre regard", "Acme's old section"]
    text = out.read_text(encoding="utf-8")
    assert "Notre regard" in text and "Acme" in text
    if suffix == "html":
        assert '<html lang="fr">' in text and "<p>Constats Acme&#39;s own words Bonjour</p>" in text
        assert "<p>1 documents</p>" in text
    else:
        assert "Constats Bonjour" in text and text.startswith("# Rapport d'internationalisation : ")


def test_a_context_built_the_old_way_is_english() -> None:
    context = ReportContext(None, [], [], [], None)
    assert context.language == "en"
    assert context.gettext("Findings") == "Findings"
    assert context.ngettext("%(n)s flow", "%(n)s flows", 2) == "%(n)s flows"
    assert context.text({"fr": "Bonjour", "en": "Hello"}) == "Hello"
    french = ReportContext(None, [], [], [], None, language="fr")
    assert french.gettext("Findings") == "Constats"
    assert french.gettext("Acme's own words") == "Acme's own words"
    assert french.text({"en": "Hello", "fr-CA": "Allô"}) == "Allô"
    assert french.text({"en": "Hello", "de": "Hallo"}, "de") == "Hallo"


def test_a_failing_section_s_notice_is_in_the_language(tmp_path: Path) -> None:
    class Broken:
        id = "acme.broken"
        order = 70

        def render(self, context: ReportContext) -> SectionContent:
            raise RuntimeError("no luck")

    class Plugin:
        @hookimpl
        def silk_register_report_sections(self, register: Any) -> None:
            register(Broken())

    catalog = catalog_with(Plugin())
    documents = [load_document(DEMO / "organisation.json")]
    sections = write_organisation_report(catalog, documents, [], [], tmp_path / "r.md", language="es")
    assert sections[0].title == "No se pudo generar la sección acme.broken"
    assert "falló" in sections[0].markdown


def test_score_cards_and_history_follow_the_language(tmp_path: Path) -> None:
    catalog = silkcore.build_catalog()
    documents = [load_document(DEMO / "organisation.json")]
    documents += [load_document(p) for p in sorted((DEMO / "response_sets").glob("evaluation-grid-*.json"))]
    cards = [card for _, card in score_all(catalog, documents)]
    organisation = next(d for d in documents if isinstance(d, Organisation))
    scores = [{"id": c.id, "score": c.score, "change": None} for c in cards[0].categories]
    history = [
        {"framework_id": cards[0].framework_id, "categories": scores},
        {"framework_id": cards[0].framework_id, "categories": [{**c, "change": 0.1} for c in scores]},
    ]
    out = tmp_path / "r.html"
    write_organisation_report(catalog, documents, cards, history, out, language="fr")
    html = out.read_text(encoding="utf-8")
    assert "<h2>Progression dans le temps</h2>" in html and "<th>catégorie</th><th>score</th><th>couverture</th>" in html
    assert "Variation depuis l&#39;évaluation précédente" in html and organisation.name in html
    assert "Progress over time" not in html and "<th>category</th>" not in html


@pytest.mark.parametrize("language", ["fr", "es"])
def test_tool_3_texts_are_in_the_language_and_marked_as_drafts(reports: dict[tuple[str, str], str], language: str) -> None:
    catalog = silkcore.build_catalog()
    indicators = catalog.framework("silk.indicators")
    assert indicators.title[language] and indicators.description[language]
    for category in indicators.categories:
        assert category.title[language] and category.title[language] != category.title["en"]
    for item in indicators.items:
        assert item.text[language] and item.help and item.help[language], item.id
    for scale in indicators.scales:
        assert all(option.label and option.label[language] for option in scale.options)
    tool3 = [e.definition for e in catalog.indicators() if e.definition.framework_id == "silk.indicators"]
    assert len(tool3) == len(indicators.items)
    for definition in tool3:
        assert definition.title[language] and definition.description and definition.description[language]
    assert any("machine-assisted drafts" in note and "native speaker" in note for note in indicators.notes)
    text = (ROOT / "plugins" / "silk_indicators" / "indicators.yaml").read_text(encoding="utf-8")
    assert "machine-assisted drafts" in text.split("catalogue:", 1)[0]
    # The trend chart's legend names the indicators in the report's language.
    html = reports[(language, "html")]
    assert any(str(fragment("{{ t }}", t=d.title[language])) in html for d in tool3 if d.unit == "percent")


def test_importing_silkcore_and_its_report_module_needs_neither_babel_nor_jinja2() -> None:
    code = (
        "import sys, silkcore, silkcore.report; silkcore.build_catalog(); "
        "from silkcore.report import ReportContext; "
        "assert ReportContext(None, [], [], [], None).gettext('Findings') == 'Findings'; "
        "print(sorted(m for m in ('babel', 'jinja2', 'markupsafe') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_cases_reasons_and_legend_are_in_the_language(reports: dict[tuple[str, str], str], language: str) -> None:
    from silk_cases import library
    from silk_cases import report as cases_report

    # The section translates the library's legend through the catalogs: the two must agree.
    assert cases_report.FLOW_LEGEND_MESSAGE == library.FLOW_LEGEND
    kept = translations(language)
    markdown = reports[(language, "md")]
    assert kept["both use %(items)s"].split("%(items)s")[0] in markdown
    assert markdown_text(kept[library.FLOW_LEGEND]) in markdown
    for english in ("both use ", "same flows: ", "both are a ", "flow classification inferred"):
        assert english not in markdown and english in reports[("en", "md")], english


def test_a_reason_the_section_does_not_know_stays_as_it_is() -> None:
    from silk_cases.report import reason_text

    french = ReportContext(None, [], [], [], None, language="fr").gettext
    assert reason_text("same flows: finance inward~, goods outward", french) == (
        "mêmes flux : finance (entrant)~, biens (sortant)"
    )
    assert reason_text("both are a cooperative", french) == "même forme : coopérative"
    assert reason_text("a reason from a newer similarity.py", french) == "a reason from a newer similarity.py"
