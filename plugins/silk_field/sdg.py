"""Results viewed through a crosswalk: the SDG view of a score card (``silk field sdg CARD.json``).

Items are grouped by goal ("SDG 8.5" counts under "SDG 8"); each goal lists the items behind
it with their score and status from the card's trace. ``mean_item_score`` is the plain mean of
the scores of a goal's scored items, whatever the relation: an indication of where the results
lie, not an SDG score - no such score exists, and the card's categories remain the result.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from silkcore import Catalog, Framework, ScoreCard, SilkError, TraceStatus, get_catalog

from .crosswalk import Crosswalk, crosswalks_for
from .languages import text_in

__all__ = ["SdgAnalysis", "goal_of", "render_scheme_view", "scheme_view"]

_SDG = re.compile(r"^SDG\s*([0-9]{1,2})(?:\.[0-9a-z]{1,3})?$", re.IGNORECASE)
NOTE = (
    "mean_item_score is the unweighted mean of the scores of the items mapped to a goal, whatever the relation; "
    "it is indicative only - the score card's categories remain the result."
)


def goal_of(concept: str) -> str:
    """The goal a concept belongs to: ``SDG 8`` for ``SDG 8.3``; other concepts are their own group."""
    match = _SDG.match(concept.strip())
    return f"SDG {int(match.group(1))}" if match else concept


def _order(goal: str) -> tuple[int, str]:
    match = _SDG.match(goal)
    return (int(match.group(1)), "") if match else (1000, goal)


def scheme_view(
    card: ScoreCard,
    crosswalks: Sequence[Crosswalk],
    *,
    framework: Framework | None = None,
    language: str | None = None,
) -> dict[str, Any]:
    """The card's items grouped by the concepts of the crosswalks' scheme (goal level for the SDGs)."""
    trace = {entry.item_id: entry for entry in card.trace}
    default = framework.default_language if framework else None
    goals: dict[str, dict[str, Any]] = {}
    for crosswalk in crosswalks:
        if crosswalk.framework != card.framework_id:
            continue
        for mapping in crosswalk.mappings:
            goal = goal_of(mapping.concept) if crosswalk.scheme.upper() == "SDG" else mapping.concept
            entry = goals.setdefault(goal, {"concept": goal, "label": crosswalk.label(goal, language), "items": []})
            entry["label"] = entry["label"] or crosswalk.label(goal, language)
            traced = trace.get(mapping.item)
            row: dict[str, Any] = {
                "item_id": mapping.item,
                "concept": mapping.concept,
                "relation": mapping.relation,
                "rationale": mapping.rationale,
                "status": traced.status.value if traced else "not_in_card",
                "score": traced.score if traced else None,
            }
            if framework is not None and any(i.id == mapping.item for i in framework.items):
                row["text"] = text_in(framework.item(mapping.item).text, language, default)
            entry["items"].append(row)
    for entry in goals.values():
        scored = {i["item_id"]: i["score"] for i in entry["items"] if i["status"] == TraceStatus.SCORED.value}
        scores = [score for score in scored.values() if score is not None]  # an item mapped twice counts once
        entry["scored_items"] = len(scores)
        entry["mean_item_score"] = round(sum(scores) / len(scores), 4) if scores else None
    return {
        "framework_id": card.framework_id,
        "framework_version": card.framework_version,
        "subject": {"org_id": card.subject.org_id, **({"name": card.subject.name} if card.subject.name else {})},
        "scheme": crosswalks[0].scheme if crosswalks else "SDG",
        "crosswalks": sorted({c.id for c in crosswalks if c.framework == card.framework_id}),
        "goals": [goals[g] for g in sorted(goals, key=_order)],
        "note": NOTE,
    }


def _score(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.2f}"


def render_scheme_view(view: dict[str, Any]) -> str:
    """A plain-text rendering of :func:`scheme_view`: each goal, then the items behind it."""
    subject = view["subject"].get("name") or view["subject"]["org_id"]
    lines = [f"{view['scheme']} view of {view['framework_id']} {view['framework_version']} - {subject}"]
    if not view["goals"]:
        lines.append("  (no crosswalk maps this framework's items)")
    for goal in view["goals"]:
        label = f"  {goal['label']}" if goal["label"] else ""
        count = f"{goal['scored_items']} of {len({i['item_id'] for i in goal['items']})} item(s) scored"
        lines.append("")
        lines.append(f"{goal['concept']}{label}  -  mean {_score(goal['mean_item_score'])} ({count})")
        for item in goal["items"]:
            detail = item["status"] if item["status"] != "scored" else ""
            text = f"  {item['text']}" if item.get("text") else ""
            lines.append(
                f"  {item['item_id']:<12} {_score(item['score'])}  {item['relation']:<8} {item['concept']:<9}{detail}{text}"
            )
    lines += ["", view["note"]]
    return "\n".join(lines) + "\n"


class SdgAnalysis:
    """Analysis ``field.sdg``: the SDG view of each score card given, through the shipped crosswalks."""

    id = "field.sdg"

    def __init__(self, catalog: Catalog | None = None) -> None:
        self._catalog = catalog

    def run(self, documents: Sequence[Any]) -> dict[str, Any]:
        """``{"views": [...]}``, one SDG view per score card among ``documents``."""
        catalog = self._catalog or get_catalog()
        views = []
        for card in (d for d in documents if isinstance(d, ScoreCard)):
            try:
                framework: Framework | None = catalog.framework(card.framework_id)
            except SilkError:
                framework = None
            crosswalks = crosswalks_for(card.framework_id, "SDG", catalog=catalog)
            views.append(scheme_view(card, crosswalks, framework=framework))
        return {"views": views}
