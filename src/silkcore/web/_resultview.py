"""The results page's view of a score card, similar cases and strategy options.

Numbers are written the page language's way (``0,72`` in French) with Babel; framework
texts are in the page's language where the framework has them (falling back, marked, as
the question pages do); what plugins and the scorer write (findings' messages, the reasons
in the trace, the cases and the impact grid) is English and is marked ``lang="en"`` by the
template.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
from babel.numbers import format_decimal, format_percent

from .._assessment import ResponseSet, ScoreCard, TraceEntry
from .._framework import Framework, Item
from ._choices import APPROACHES, ROLES
from ._i18n import N_
from ._texts import LocalText, local_text

__all__ = ["CardView", "card_view", "cases_view", "strategies_view"]

#: Labels of what the scorer did with an item, and of findings' kinds (msgids).
TRACE_STATUS = {
    "scored": N_("Scored"),
    "descriptive": N_("Describes the organisation (not scored)"),
    "not_applicable": N_("Not applicable"),
    "unknown": N_("Don't know"),
    "unanswered": N_("Not answered"),
    "not_asked": N_("Not asked, given the other answers"),
}
FINDING_KIND = {
    "weak_item": N_("Weak point"),
    "low_coverage": N_("Few answers"),
    "disagreement": N_("Respondents disagree"),
    "note": N_("Note"),
}
EFFECT = {
    "likely_improve": N_("Likely to strengthen this principle"),
    "uncertain": N_("Uncertain effect"),
    "risk_degrade": N_("Risk of weakening this principle"),
}


@attrs.frozen
class TraceRow:
    """How one item counted in its category's score."""

    item_id: str
    text: LocalText | None
    status: str
    value: str
    score: str
    weight: str
    reason: str
    spread: str


@attrs.frozen
class CategoryRow:
    """One category of the card, with its trace."""

    id: str
    title: LocalText
    score: str
    score_value: float | None
    coverage: str
    confidence: str
    spread: str
    scored_items: int
    applicable_items: int
    trace: tuple[TraceRow, ...]


@attrs.frozen
class FindingRow:
    """One finding, with the item or category it is about in the page's language."""

    kind: str
    message: str
    item_id: str | None
    item_text: LocalText | None
    category: LocalText | None
    score: str
    #: Whether the scorer's message says more than the item and its score (how far
    #: respondents disagree, a category's thin coverage): it is shown then, in English.
    explained: bool


@attrs.frozen
class CardView:
    """What ``results.html`` shows of a score card."""

    framework_id: str
    framework_version: str
    framework_title: LocalText
    overall: str | None
    coverage: str
    respondents: tuple[tuple[str | None, str], ...]
    categories: tuple[CategoryRow, ...]
    findings: tuple[FindingRow, ...]


def _number(value: float | None, language: str) -> str:
    return "–" if value is None else format_decimal(value, "0.00", locale=language)


def _percent(value: float | None, language: str) -> str:
    return "–" if value is None else format_percent(value, "0%", locale=language)


def _item(framework: Framework, item_id: str | None) -> Item | None:
    if item_id is None:
        return None
    try:
        return framework.item(item_id)
    except KeyError:
        return None


def _value(framework: Framework, item: Item | None, value: Any, language: str) -> str:
    """An answer as text: an option's label in the page's language, else the value."""
    if value is None:
        return ""
    values = value if isinstance(value, tuple | list) else (value,)
    labels = []
    for one in values:
        option = next((o for o in framework.options_of(item) if o.value == one), None) if item is not None else None
        if option is not None and option.label:
            labels.append(local_text(option.label, language, framework.default_language).text)
        elif isinstance(one, bool):
            labels.append("✓" if one else "✗")
        else:
            labels.append(str(one))
    return ", ".join(labels)


def _trace_row(framework: Framework, entry: TraceEntry, language: str) -> TraceRow:
    item = _item(framework, entry.item_id)
    default = framework.default_language
    return TraceRow(
        item_id=entry.item_id,
        text=local_text(item.text, language, default) if item is not None else None,
        status=TRACE_STATUS.get(entry.status.value, entry.status.value),
        value=_value(framework, item, entry.value, language),
        score=_number(entry.score, language),
        weight=format_decimal(entry.weight, "0.##", locale=language),
        reason=entry.reason,
        spread=_number(entry.spread, language) if entry.spread is not None else "",
    )


def card_view(framework: Framework, card: ScoreCard, sets: Sequence[ResponseSet], language: str) -> CardView:
    """The score card as the results page shows it."""
    default = framework.default_language
    titles = {c.id: local_text(c.title, language, default) for c in framework.categories}
    rows = []
    for category in card.categories:
        trace = tuple(_trace_row(framework, e, language) for e in card.trace if e.category == category.id)
        rows.append(
            CategoryRow(
                id=category.id,
                title=titles.get(category.id, LocalText(category.id, language)),
                score=_number(category.score, language),
                score_value=category.score,
                coverage=_percent(category.coverage, language),
                confidence=_number(category.confidence, language),
                spread=_number(category.spread, language),
                scored_items=category.scored_items,
                applicable_items=category.applicable_items,
                trace=trace,
            )
        )
    findings = []
    for finding in card.findings:
        item = _item(framework, finding.item_id)
        findings.append(
            FindingRow(
                kind=FINDING_KIND.get(finding.kind.value, finding.kind.value),
                message=finding.message,
                item_id=finding.item_id,
                item_text=local_text(item.text, language, default) if item is not None else None,
                category=titles.get(finding.category) if finding.category else None,
                score=_number(finding.score, language) if finding.score is not None else "",
                explained=item is None or finding.kind.value != "weak_item",
            )
        )
    respondents = tuple(
        (s.respondent.name if s.respondent else None, ROLES.get(s.respondent.role, s.respondent.role) if s.respondent else "")
        for s in sets
    )
    return CardView(
        framework_id=card.framework_id,
        framework_version=card.framework_version,
        framework_title=local_text(framework.title, language, default),
        overall=_number(card.overall, language) if card.overall is not None else None,
        coverage=_percent(card.coverage, language),
        respondents=respondents,
        categories=tuple(rows),
        findings=tuple(findings),
    )


def cases_view(analyses: Mapping[str, Any], language: str) -> dict[str, Any]:
    """Similar cases (Tool 4): ``available`` (False when the plugin failed) and ``matches``."""
    found = analyses.get("cases")
    if found is None:
        return {"available": False, "matches": []}
    matches = [
        {"name": m["name"], "similarity": _percent(m["similarity"], language), "why": list(m.get("why", ()))}
        for m in found.get("matches", ())
    ]
    return {"available": True, "matches": matches}


def strategies_view(analyses: Mapping[str, Any], state: Mapping[str, Any]) -> dict[str, Any]:
    """Strategy options (Tool 5): for each method the approaches chosen map onto, its likely
    effect on each SSE principle, why, and the indicators to watch."""
    found = analyses.get("strategies")
    chosen = [APPROACHES.get(a, a) for a in state.get("organisation", {}).get("approaches", ())]
    if found is None:
        return {"available": False, "chosen": chosen, "methods": []}
    methods = []
    for option in found.get("strategies", ()):
        method = option["method"]
        via = option.get("via") or {}
        principles = [
            {
                "title": row["title"],
                "effect": EFFECT.get(cell["effect"], cell["effect"]),
                "effect_code": cell["effect"],
                "why": cell.get("why"),
                "watch": list(cell.get("indicators_to_watch", ())),
                "source": cell.get("source"),
            }
            for row in found.get("principles", ())
            for cell in row["strategies"]
            if cell["strategy"] == method
        ]
        methods.append(
            {"method": method, "approach": APPROACHES.get(via.get("approach", ""), via.get("approach")), "principles": principles}
        )
    return {"available": True, "chosen": chosen, "methods": methods}
