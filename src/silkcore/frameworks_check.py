"""Checks on a framework that a JSON Schema cannot express.

Ids must be unique, references must resolve (categories, scales, items named by
applicability rules, which must come earlier), and a scored item must say how it scores.
Each problem is reported with the JSON Pointer of the offending place in the document.
"""

from __future__ import annotations

from collections.abc import Sequence

from .answers import same_value
from .errors import Issue
from .framework import NUMERIC_KINDS, OPTION_KINDS, Condition, Framework, ItemKind, NodeKind

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


def _condition_value_issues(framework: Framework, condition: Condition, at: str) -> list[Issue]:
    """A condition must compare with a value its item can actually take (a typo would
    otherwise silently keep an item from ever being asked)."""
    target = framework.item(condition.item)
    if condition.operator in ("at_least", "at_most"):
        if target.kind not in NUMERIC_KINDS:
            return [Issue(at, f"operator {condition.operator!r} needs a numeric item, {target.id} is {target.kind.value}")]
        return []
    allowed = [o.value for o in framework.options_of(target)]
    if not allowed or condition.operator == "answered":
        return []
    values = condition.values if condition.operator in ("in", "not_in") else (condition.value,)
    wrong = [v for v in values if not any(same_value(v, a) for a in allowed)]
    return [Issue(at, f"{wrong!r} is not among the options of {target.id}: {allowed!r}")] if wrong else []


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
        if item.kind in OPTION_KINDS and not options and item.scale is None:  # an unknown scale is reported above
            issues.append(Issue(at, f"a {item.kind.value} item needs 'options' or a 'scale'"))
        scores_given = sum(1 for o in options if o.score is not None)
        if item.kind in OPTION_KINDS and 0 < scores_given < len(options):
            issues.append(Issue(at, "some options have a score and some do not: give every option a score, or none"))
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
                else:
                    issues += _condition_value_issues(framework, condition, c_at)
                if condition.operator in ("in", "not_in"):
                    if not condition.values:
                        issues.append(Issue(c_at, f"operator {condition.operator!r} needs 'values'"))
                elif condition.operator != "answered" and condition.value is None:
                    issues.append(Issue(c_at, f"operator {condition.operator!r} needs 'value'"))
        earlier.add(item.id)
    if framework.graph is not None:
        issues += _graph_issues(framework)
    return issues


def _graph_issues(framework: Framework) -> list[Issue]:
    """A walkable graph: known start, edges between known nodes, every item asked once, each
    non-end node with exactly one default edge (listed last) so the walk always moves on."""
    graph = framework.graph
    assert graph is not None
    issues = _duplicate_ids([n.id for n in graph.nodes], "/graph/nodes", "node")
    node_ids = {n.id for n in graph.nodes}
    item_ids = {i.id for i in framework.items}
    category_ids = {c.id for c in framework.categories}
    if graph.start not in node_ids:
        issues.append(Issue("/graph/start", f"unknown start node {graph.start!r}"))
    asked_at: dict[str, str] = {}
    for index, node in enumerate(graph.nodes):
        at = f"/graph/nodes/{index}"
        if node.phase is not None and node.phase not in category_ids:
            issues.append(Issue(f"{at}/phase", f"unknown phase {node.phase!r}; phases are the framework's categories"))
        for i_index, item_id in enumerate(node.items):
            if item_id not in item_ids:
                issues.append(Issue(f"{at}/items/{i_index}", f"unknown item {item_id!r}"))
            elif item_id in asked_at:
                issues.append(Issue(f"{at}/items/{i_index}", f"item {item_id!r} is already asked at node {asked_at[item_id]!r}"))
            asked_at.setdefault(item_id, node.id)
        outgoing = [(e_index, e) for e_index, e in enumerate(graph.edges) if e.from_ == node.id]
        defaults = [e_index for e_index, e in outgoing if e.when is None]
        if node.kind == NodeKind.END:
            if outgoing:
                issues.append(Issue(at, f"end node {node.id!r} has outgoing edges"))
        elif len(defaults) != 1 or outgoing[-1][1].when is not None:
            issues.append(Issue(at, f"node {node.id!r} needs exactly one default edge (without 'when'), listed last"))
    for index, edge in enumerate(graph.edges):
        for key, ref in (("from", edge.from_), ("to", edge.to)):
            if ref not in node_ids:
                issues.append(Issue(f"/graph/edges/{index}/{key}", f"unknown node {ref!r}"))
        if edge.when is not None:
            for c_index, condition in enumerate(edge.when.conditions):
                if condition.item not in item_ids:
                    issues.append(
                        Issue(f"/graph/edges/{index}/when/{edge.when.mode}/{c_index}/item", f"unknown item {condition.item!r}")
                    )
    return issues
