"""From an organisation's documents to a report: score what can be scored, then draw."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .._assessment import ResponseSet, ScoreCard
from .._catalog import Catalog
from .._errors import PluginError, UnknownComponentError
from .._framework import Framework
from .._i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, gettext
from .._model import Organisation
from . import ReportContext, SectionContent
from ._builder import build_sections, describe, write_report
from ._mplconfig import private_config_dir

__all__ = ["REPORT_LANGUAGES", "score_all", "write_organisation_report"]

#: The languages a report is written in (``silk report --language``).
REPORT_LANGUAGES: tuple[str, ...] = tuple(LANGUAGES)


def score_all(
    catalog: Catalog, documents: Sequence[Any], frameworks: Callable[[str], Framework] | None = None
) -> list[tuple[list[ResponseSet], ScoreCard]]:
    """Every framework that has response sets among ``documents``, scored (several
    respondents of one framework consolidate into one card). ``frameworks`` finds a framework
    by id (default: the installed ones); response sets of a framework it does not know are
    left out - commands that must not leave any out check the documents first."""
    resolve = frameworks or catalog.framework_resolver()
    by_framework: dict[str, list[ResponseSet]] = {}
    for document in documents:
        if isinstance(document, ResponseSet):
            by_framework.setdefault(document.framework_id, []).append(document)
    results = []
    for framework_id in sorted(by_framework):
        try:
            framework = resolve(framework_id)
        except UnknownComponentError:
            continue
        sets = by_framework[framework_id]
        try:
            card = catalog.scorer(framework_id).score(framework, sets)
        except PluginError:  # recorded against the scorer's plugin by the catalog; the other tools still report
            continue
        results.append((sets, card))
    return results


def write_organisation_report(
    catalog: Catalog,
    documents: Sequence[Any],
    cards: Sequence[ScoreCard],
    history: Sequence[dict[str, Any]],
    output: Path,
    frameworks: Callable[[str], Framework] | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> list[SectionContent]:
    """Write the HTML (or Markdown, by suffix) report for the organisation in ``documents``;
    ``frameworks`` finds the framework of each card (default: the installed ones). The
    report is written in ``language`` (one of :data:`REPORT_LANGUAGES`), which every section
    receives as ``context.language``; a language silkcore does not speak is a ``ValueError``."""
    from importlib.metadata import version

    if language not in REPORT_LANGUAGES:
        raise ValueError(f"a report is written in {', '.join(REPORT_LANGUAGES)}, not {language!r}")
    organisation = next((d for d in documents if isinstance(d, Organisation)), None)
    context = ReportContext(organisation, documents, cards, history, catalog, language)
    resolve = frameworks or catalog.framework_resolver()
    of_cards = {c.framework_id: resolve(c.framework_id) for c in cards}

    def failed(section: Any, exc: Exception) -> None:
        # A PluginError was recorded by the catalog's guard; a SilkError raised on purpose
        # still cost the reader a section: it is the section's plugin's failure too.
        if not isinstance(exc, PluginError):
            owner = catalog.owner("report section", section.id)
            catalog.record_failure(owner, f"report section {section.id!r} (render)", exc, "silk_register_report_sections")

    private_config_dir()  # before the sections draw the first chart: matplotlib's cache stays out of the home
    sections = build_sections(context, of_cards, catalog.report_sections(), failed)
    name = organisation.name if organisation else gettext(language, N_("an organisation"))
    write_report(output, name, describe(organisation, language), sections, version("silkcore"), language)
    return sections
