"""Checks on a framework that a JSON Schema cannot express.

Ids must be unique, references must resolve (categories, scales, items named by
applicability rules, which must come earlier), and a scored item must say how it scores.
Each problem is reported with the JSON Pointer of the offending place in the document.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import Issue
from .framework import NUMERIC_KINDS, OPTION_KINDS, Framework, ItemKind

__all__ = ["framework_issues"]

_NEVER_SCORED = frozenset({ItemKind.TEXT, ItemKind.DATE, ItemKind.LINK})


def _duplicate_ids(ids: Sequence[str], base: str, what: str) -> list[Issue]:
    seen: set[str] = set()
    issues = []
    for index, entry_id in enumerate(ids):
        if entry_id in seen:
            issues.append(Issue(f"{base}/{index}/id", f"duplicate {what} id {entry_id!r}"))
        seen.add(entry_id)
    return issues


def framework_issues(framework: Framework) -> list[Issue]:
    """Every cross-reference and consistency problem in a schema-valid framework."""
    issues = _duplicate_ids([s.id for s in framework.scales], "/scales", "scale")
    issues += _duplicate_ids([c.id for c in framework.categories], "/categories", "category")
    issues += _duplicate_ids([i.id for i in framework.items], "/items", "item")
    scale_ids = {s.id for s in framework.scales}
    categories = {c.id: c for c in framework.categories}
    earlier: set[str] = set()
    for index, item in enumerate(framework.items):
        at = f"/items/{index}"
        category = categories.get(item.category)
        if category is None:
            issues.append(Issue(f"{at}/category", f"unknown category {item.category!r}; expected one of {sorted(categories)}"))
        if item.scale is not None and item.scale not in scale_ids:
            issues.append(Issue(f"{at}/scale", f"unknown scale {item.scale!r}; expected one of {sorted(scale_ids)}"))
        if (item.scale is not None or item.options) and item.kind not in OPTION_KINDS:
            issues.append(Issue(at, f"a {item.kind.value} item takes no options or scale"))
        options = framework.options_of(item)
        if item.kind in OPTION_KINDS and not options:
            issues.append(Issue(at, f"a {item.kind.value} item needs 'options' or a 'scale'"))
        if len({repr(o.value) for o in options}) != len(options):
            issues.append(Issue(at, "option values must be unique"))
        if framework.is_scored(item):
            if category is not None and not category.scored:
                issues.append(Issue(f"{at}/scored", f"category {item.category!r} is not scored, so its items cannot be"))
            if item.kind in _NEVER_SCORED:
                issues.append(Issue(f"{at}/scored", f"a {item.kind.value} item cannot be scored"))
            if item.kind in OPTION_KINDS and any(o.score is None for o in options):
                issues.append(Issue(at, "a scored item needs a score on every option"))
            if item.kind in NUMERIC_KINDS and item.min is not None and item.max is not None and item.min >= item.max:
                issues.append(Issue(f"{at}/max", "'max' must be greater than 'min'"))
        if item.applies_if is not None:
            for c_index, condition in enumerate(item.applies_if.conditions):
                c_at = f"{at}/applies_if/{item.applies_if.mode}/{c_index}"
                if condition.item not in earlier:
                    issues.append(Issue(f"{c_at}/item", f"{condition.item!r} is not an earlier item of this framework"))
                if condition.operator in ("in", "not_in"):
                    if not condition.values:
                        issues.append(Issue(c_at, f"operator {condition.operator!r} needs 'values'"))
                elif condition.operator != "answered" and condition.value is None:
                    issues.append(Issue(c_at, f"operator {condition.operator!r} needs 'value'"))
        earlier.add(item.id)
    return issues
