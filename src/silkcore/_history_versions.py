"""History across framework versions: is each category comparable with the assessment before?

Two assessments of one framework under the same version compare as they are. Across versions
the declaration decides, per category of the newer version:

- ``comparable``: no change touches the category's items (renaming or rewording an item does
  not), so the scores are computed the same way and the change stands;
- ``re-scored``: its items changed, and the earlier assessment's stored response sets,
  migrated to the newer version (:mod:`silkcore._migrate`) and scored under it, give the
  score the change is measured from;
- ``not comparable``: the earlier version or a declared path to it is not known, nothing of
  the category could be carried over, or the earlier answers were not re-scored - with why.

Rows are those of :func:`silkcore._store.history`; each category of a row that has an earlier
assessment of the same framework gets ``status``, ``reason`` (a sentence) and ``reason_code``
(one of :data:`REASONS`, which the report translates).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ._errors import SilkError, UnknownComponentError
from ._framework import Framework

__all__ = ["COMPARABLE", "NOT_COMPARABLE", "REASONS", "RESCORED", "compare_versions"]

COMPARABLE = "comparable"
RESCORED = "re-scored"
NOT_COMPARABLE = "not comparable"

#: reason_code -> what it means (the report's words for it are translated).
REASONS = {
    "same_version": "the same version of the framework",
    "unchanged": "no declared change touches the category's items",
    "rescored": "the earlier answers were migrated and re-scored under the newer version",
    "version_missing": "the earlier version of the framework is not at hand",
    "no_path": "no declared changes lead from the earlier version to the newer one",
    "not_rescored": "the category's items changed and the earlier answers were not re-scored",
    "no_answers": "no answer of the category could be carried from the earlier version",
}

#: Changes that leave the answers and their scores as they were.
_HARMLESS = {"rename", "reword", "declaration"}

#: The response sets an assessment was scored from (by assessment id), or None to not re-score.
EarlierSets = Callable[[str], Sequence[dict[str, Any]]] | None


def compare_versions(
    rows: Sequence[dict[str, Any]],
    versions: Callable[[str], Sequence[Framework]],
    earlier_sets: EarlierSets = None,
    catalog: Any = None,
) -> list[dict[str, Any]]:
    """``rows`` with each category's comparison to the previous assessment of its framework.
    ``versions(framework_id)`` gives the known versions of a framework; ``earlier_sets``, when
    given, the stored response sets of an assessment, to re-score them (with ``catalog``'s
    scorer) where a category changed."""
    result = []
    previous: dict[str, dict[str, Any]] = {}
    for row in rows:
        before = previous.get(row["framework_id"])
        row = dict(row, categories=[dict(c) for c in row["categories"]])
        if before is not None:
            _compare(before, row, versions, earlier_sets, catalog)
        previous[row["framework_id"]] = row
        result.append(row)
    return result


def _mark(category: dict[str, Any], status: str, code: str, detail: str = "") -> None:
    category["status"] = status
    category["reason_code"] = code
    category["reason"] = REASONS[code] + detail


def _compare(
    before: dict[str, Any],
    row: dict[str, Any],
    versions: Callable[[str], Sequence[Framework]],
    earlier_sets: EarlierSets,
    catalog: Any,
) -> None:
    old_version, new_version = before["framework_version"], row["framework_version"]
    categories = row["categories"]
    if old_version == new_version:
        for category in categories:
            _mark(category, COMPARABLE, "same_version")
        return
    known = {f.version: f for f in versions(row["framework_id"])}
    old, new = known.get(old_version), known.get(new_version)
    if old is None or new is None:
        missing = old_version if old is None else new_version
        for category in categories:
            _mark(category, NOT_COMPARABLE, "version_missing", f" ({missing})")
            category["change"] = None
        return
    from ._framework_diff import diff_frameworks
    from ._migrate import find_steps

    try:
        find_steps(new.id, old_version, new_version, known.values())
    except SilkError:
        for category in categories:
            _mark(category, NOT_COMPARABLE, "no_path", f" ({old_version} -> {new_version})")
            category["change"] = None
        return
    touched: dict[str, list[str]] = {}
    old_category = {i.id: i.category for i in old.items}
    new_category = {i.id: i.category for i in new.items}
    for entry in diff_frameworks(old, new).entries:
        if entry.change in _HARMLESS:
            continue
        for item_id in entry.new:
            touched.setdefault(new_category.get(item_id, ""), []).append(item_id)
        for item_id in entry.old:
            touched.setdefault(old_category.get(item_id, ""), []).append(item_id)
    rescored = _rescore(before, old, new, known, earlier_sets, catalog) if earlier_sets is not None else None
    for category in categories:
        changed = touched.get(category["id"])
        if not changed:
            _mark(category, COMPARABLE, "unchanged")
            continue
        items = ", ".join(dict.fromkeys(changed))
        if rescored is None:
            _mark(category, NOT_COMPARABLE, "not_rescored", f" ({items})")
            category["change"] = None
            continue
        scores, asked = rescored
        earlier = scores.get(category["id"])
        asked_here = [i for i in asked if new_category.get(i) == category["id"]]
        more = f"; asked again: {', '.join(asked_here)}" if asked_here else ""
        if earlier is None or category["score"] is None:
            _mark(category, NOT_COMPARABLE, "no_answers", f" ({items}{more})")
            category["change"] = None
        else:
            _mark(category, RESCORED, "rescored", f" ({items}{more})")
            category["change"] = round(category["score"] - earlier, 6)
            category["earlier_score"] = earlier


def _rescore(
    before: dict[str, Any],
    old: Framework,
    new: Framework,
    known: dict[str, Framework],
    earlier_sets: Callable[[str], Sequence[dict[str, Any]]],
    catalog: Any,
) -> tuple[dict[str, float | None], list[str]] | None:
    """The earlier assessment's category scores under ``new`` and the items asked again, or
    None when its response sets cannot be read or carried."""
    from . import assess
    from ._assessment import ResponseSet
    from ._documents import load_document
    from ._migrate import migrate

    try:
        documents = earlier_sets(before["assessment_id"])
        sets = [load_document(d, registry=getattr(catalog, "schemas", None), frameworks=lambda _id: old) for d in documents]
        migrated = [migrate(s, new, versions=known.values()) for s in sets if isinstance(s, ResponseSet)]
        if not migrated:
            return None
        card = assess(new, [m.response_set for m in migrated], catalog=catalog)
    except (SilkError, UnknownComponentError):
        return None
    asked = [item for m in migrated for item in m.asked_again]
    return {c.id: c.score for c in card.categories}, asked
