"""A policy brief from pooled evidence: several organisations' score cards and flows.

Privacy rule: a figure is shown only when it is computed from at least ``min_group``
organisations (5 by default), and a count smaller than ``min_group`` is shown as "fewer
than N" - so no organisation can be singled out. The brief never names an organisation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from silkcore import Direction, Flow, ScoreCard, TraceStatus

from .brief_data import brief

GRID_ID = "silk.evaluation-grid"


def threshold(threshold_id: str) -> Any:
    """The value of one of the brief's cut-offs; they live in the data, each with its basis
    and reason, so the brief can say which figures are the project's choice."""
    return next(t["value"] for t in brief()["evidence_thresholds"] if t["id"] == threshold_id)


def _count(count: int, min_group: int) -> dict[str, Any]:
    return {"count": count} if count == 0 or count >= min_group else {"suppressed": f"fewer than {min_group}"}


def _share(count: int, total: int, min_group: int) -> dict[str, Any]:
    if total < min_group:
        return {"suppressed": f"fewer than {min_group} organisations"}
    if 0 < count < min_group:
        return {"n": total, "suppressed": f"fewer than {min_group}"}
    return {"n": total, "count": count, "share": round(count / total, 4)}


def _categories(cards: Sequence[ScoreCard], min_group: int) -> list[dict[str, Any]]:
    rows = []
    ids = [c.id for c in cards[0].categories] if cards else []
    for category_id in ids:
        scores = [c.category(category_id).score for c in cards]
        present = [s for s in scores if s is not None]
        if not present and len(scores) >= min_group:
            continue  # a descriptive category: nothing to average
        if len(present) < min_group:
            rows.append({"category": category_id, "suppressed": f"fewer than {min_group} organisations scored"})
        else:
            rows.append({"category": category_id, "n": len(present), "mean_score": round(sum(present) / len(present), 4)})
    return rows


def _struggles(cards: Sequence[ScoreCard], min_group: int) -> list[dict[str, Any]]:
    per_item: dict[str, list[float]] = {}
    for card in cards:
        for entry in card.trace:
            if entry.category == "B" and entry.status == TraceStatus.SCORED and entry.score is not None:
                per_item.setdefault(entry.item_id, []).append(entry.score)
    rows = []
    for item_id, scores in sorted(per_item.items()):
        struggling = sum(1 for s in scores if s < threshold("struggling"))
        figure = _share(struggling, len(scores), min_group)
        if "share" in figure and figure["share"] > 0:
            rows.append({"item_id": item_id, **figure})
    rows.sort(key=lambda r: (-r["share"], r["item_id"]))
    return rows


def _flows(flows: Sequence[Flow], org_ids: set[str], min_group: int) -> dict[str, Any]:
    cells: dict[tuple[str, str], set[str]] = {}
    with_flows: set[str] = set()
    directed = {"inward": 0, "outward": 0}
    for flow in flows:
        for org_id in org_ids:
            direction = flow.direction_for(org_id)
            if direction is None:
                continue
            with_flows.add(org_id)
            cells.setdefault((flow.kind.value, direction.value), set()).add(org_id)
            directed[direction.value] += 1
    total = len(with_flows)
    if total < min_group:
        return {"suppressed": f"fewer than {min_group} organisations reported flows"}
    matrix = [
        {"kind": kind, "direction": direction, **_share(len(cells.get((kind, direction), set())), total, min_group)}
        for kind in ("goods", "services", "finance", "intangible")
        for direction in (Direction.INWARD.value, Direction.OUTWARD.value)
    ]
    flows_total = directed["inward"] + directed["outward"]
    outward_share = round(directed["outward"] / flows_total, 4) if flows_total else None
    return {"organisations": total, "matrix": matrix, "outward_share_of_flows": outward_share}


def _share_of(struggles: list[dict[str, Any]], items: set[str]) -> float:
    return max((r["share"] for r in struggles if r["item_id"] in items), default=0.0)


def _applicable(evidence: dict[str, Any]) -> list[tuple[str, str, tuple[str, ...]]]:
    """Which recommendations the evidence calls for, each with the reason and the ids of the
    project's thresholds the decision used (the rules are in the docs)."""
    struggles = evidence["struggles"]
    flows = evidence["flows"]
    shared = threshold("widely_shared")
    low, high = threshold("balanced_flows")
    found = [("r1", "Organisations should help design the policies that concern them; this brief is their evidence.", ())]
    used = ("struggling", "widely_shared")
    if _share_of(struggles, {"B.13", "B.20", "B.27"}) >= shared:
        found.append(
            ("r2", "Many report technical or management difficulties, or were not ready: skills are a bottleneck.", used)
        )
    share = flows.get("outward_share_of_flows")
    if share is not None and not low <= share <= high:
        side = "outward" if share > high else "inward"
        found.append(
            (
                "r3",
                f"Flows are mostly {side} ({share:.0%} outward): both directions need the same attention.",
                ("balanced_flows",),
            )
        )
    elif share is not None:
        found.append(("r3", f"Flows run both ways ({share:.0%} outward): both need structured channels.", ("balanced_flows",)))
    if evidence["mean_coverage"] is not None and evidence["mean_coverage"] < threshold("low_coverage"):
        found.append(
            (
                "r4",
                f"Organisations could answer only {evidence['mean_coverage']:.0%} of the questions on average: "
                "a long-term observatory would fill the gaps.",
                ("low_coverage",),
            )
        )
    if _share_of(struggles, {"B.25", "B.22", "B.23", "B.09"}) >= shared:
        found.append(("r5", "Many lacked funding or a consortium to take part in missions and events.", used))
    goods = [
        r for r in flows.get("matrix", []) if r["kind"] in ("goods", "services") and r.get("count", 0) >= evidence["min_group"]
    ]
    if goods:
        found.append(
            ("r6", "Goods and services cross borders for many organisations: trade agreements should have an SSE chapter.", ())
        )
    return found


def build_brief(jurisdiction: str, cards: Sequence[ScoreCard], flows: Sequence[Flow], min_group: int = 5) -> dict[str, Any]:
    """The brief as data: evidence (privacy-filtered) and a section per applicable recommendation."""
    if min_group < 2:
        raise ValueError("the privacy threshold must be at least 2 organisations")
    # One card per organisation: figures count organisations, never score cards, so sending
    # one organisation's answers several times cannot lift a group over the threshold.
    by_org = {c.subject.org_id: c for c in cards if c.framework_id == GRID_ID}
    grid_cards = list(by_org.values())
    org_ids = set(by_org)
    coverage = [c.coverage for c in grid_cards]
    evidence = {
        "min_group": min_group,
        "organisations": _count(len(org_ids), min_group),
        "categories": _categories(grid_cards, min_group),
        "struggles": _struggles(grid_cards, min_group),
        "flows": _flows(flows, org_ids, min_group),
        "mean_coverage": round(sum(coverage) / len(coverage), 4) if len(coverage) >= min_group else None,
    }
    recommendations = []
    for rec_id, reason, thresholds in _applicable(evidence):
        rec = next(r for r in brief()["recommendations"] if r["id"] == rec_id)
        recommendations.append(
            {
                "id": rec_id,
                "title": rec["title"]["en"],
                "why_here": reason,
                "thresholds": list(thresholds),
                "rationale": rec["rationale"]["en"],
                "recommendation": rec["text"],
                "example_case": rec.get("example_case"),
                "source": rec["source"],
            }
        )
    return {
        "jurisdiction": jurisdiction,
        "min_group": min_group,
        "evidence": evidence,
        "recommendations": recommendations,
        # Every cut-off with its basis and reason, so each view can mark the project's choices.
        "thresholds": [dict(t) for t in brief()["evidence_thresholds"]],
    }
