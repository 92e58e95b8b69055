"""Results that cite the cases most like the organisation assessed."""

from __future__ import annotations

from typing import Any

from silkcore import FindingKind, Framework, ScoreCard

from .library import all_cases
from .similarity import Profile, rank_cases


def cases_for_items(framework: Framework, item_ids: list[str], profile: Profile, top: int = 3) -> dict[str, list[dict[str, Any]]]:
    """For each item, the cases its framework points to, most similar to ``profile`` first."""
    by_id = {c.case_id: c for c in all_cases()}
    cited: dict[str, list[dict[str, Any]]] = {}
    for item_id in item_ids:
        pointed = [by_id[c] for c in framework.item(item_id).cases if c in by_id]
        matches = rank_cases(profile, pointed, top)
        listed = {m.case_id for m in matches}
        rest = [c for c in pointed if c.case_id not in listed][: max(0, top - len(matches))]
        cited[item_id] = [
            {"case_id": m.case_id, "name": m.name, "similarity": m.score, "why": list(m.reasons)} for m in matches
        ] + [{"case_id": c.case_id, "name": c.name, "similarity": 0.0, "why": ["illustrates the question"]} for c in rest]
    return cited


def cite_scorecard(card: ScoreCard, framework: Framework, profile: Profile, top: int = 3) -> dict[str, list[dict[str, Any]]]:
    """The cases to read for each weak item of a score card."""
    weak = [f.item_id for f in card.findings if f.kind == FindingKind.WEAK_ITEM and f.item_id]
    return {k: v for k, v in cases_for_items(framework, weak, profile, top).items() if v}
