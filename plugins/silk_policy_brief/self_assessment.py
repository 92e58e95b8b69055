"""A policy checked against the six recommendations and the policy lessons.

The framework ``silk.policy-self-assessment`` has one category per recommendation and one
for the policy lessons; each check is a yes/no question scored like any framework (coverage,
trace). The gap list names, for every check answered "no" or left unknown, the
recommendation or lesson it comes from and the report's example case.
"""

from __future__ import annotations

from typing import Any

from silkcore import Category, Framework, Item, ItemKind, ScoreCard, ScoringPolicy, TraceStatus

from .brief_data import brief

FRAMEWORK_ID = "silk.policy-self-assessment"


def framework() -> Framework:
    """The self-assessment framework built from the brief's checks."""
    data = brief()
    categories = [Category(r["id"], r["title"], source=r["source"]) for r in data["recommendations"]]
    categories.append(Category("lessons", {"en": "Policy lessons learned"}, source=data["source"]))
    items = []
    for rec in data["recommendations"]:
        items += [
            _item(check, rec["id"], f"Recommendation {rec['id'][1:]}: {rec['title']['en']}") for check in rec.get("checks", ())
        ]
    for lesson in data["policy_lessons"]:
        items += [
            _item(check, "lessons", f"Policy lesson {lesson['number']}: {lesson['title']}") for check in lesson.get("checks", ())
        ]
    return Framework(
        id=FRAMEWORK_ID,
        version=data["version"],
        title={"en": "Policy self-assessment against the SILK recommendations and lessons"},
        description={
            "en": "For a ministry, region or city: does a policy for SSE internationalisation follow the SILK report's advice?"
            f" {data['checks_basis']['framework_note']['en']}"
        },
        default_language="en",
        source=data["source"],
        categories=tuple(categories),
        items=tuple(items),
        scoring=ScoringPolicy(findings=5),
    )


def _item(check: dict[str, Any], category: str, cites: str) -> Item:
    """One check as a yes/no item. The "our own question" note goes into ``help`` (which the
    XLSForm hint and the web questionnaire show) and into ``note`` (which every JSON export
    keeps), so no export presents the question as the report's."""
    basis = brief()["checks_basis"]
    return Item(
        check["id"],
        category,
        ItemKind.YES_NO,
        check["text"],
        f"SILK report, {check['source']}",
        help=dict(basis["reason"]),
        note=f"basis: {basis['basis']} - {basis['reason']['en']} Cites {cites}.",
    )


def gaps(card: ScoreCard) -> list[dict[str, Any]]:
    """Every check answered "no" (or unknown), with the recommendation or lesson it cites."""
    data = brief()
    owners: dict[str, dict[str, Any]] = {}
    for rec in data["recommendations"]:
        for check in rec.get("checks", ()):
            owners[check["id"]] = {
                "kind": "recommendation",
                "id": rec["id"],
                "title": rec["title"]["en"],
                "example_case": rec.get("example_case"),
            }
    for lesson in data["policy_lessons"]:
        for check in lesson.get("checks", ()):
            owners[check["id"]] = {"kind": "policy_lesson", "id": lesson["id"], "title": lesson["title"], "example_case": None}
    found = []
    checks = {i.id: i for i in framework().items}
    for entry in card.trace:
        missing = entry.status == TraceStatus.SCORED and entry.score == 0.0
        if missing or entry.status in (TraceStatus.UNKNOWN, TraceStatus.UNANSWERED):
            owner = owners[entry.item_id]
            found.append(
                {
                    "check": entry.item_id,
                    "question": checks[entry.item_id].text["en"],
                    "question_basis": data["checks_basis"]["basis"],
                    "status": "no" if missing else entry.status.value,
                    "cites": {k: v for k, v in owner.items() if v is not None},
                }
            )
    return found
