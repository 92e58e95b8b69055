"""Checks on a framework that a JSON Schema cannot express.

Ids must be unique, references must resolve (categories, scales, items named by
applicability rules, which must come earlier), and a scored item must say how it scores. A
decision graph must be walkable: a known start, edges between known nodes, one default edge
per node, every node reachable, and no cycle among its forward edges (only ``kind: back``
edges may lead back). Each problem is reported with the JSON Pointer of the offending place
in the document.

The checks take time linear in the size of the framework: everything is looked up through
dictionaries built once (``Framework.item`` and friends scan, so they are not used here),
and the graph is walked once for reachability and once for cycles (Tarjan's strongly
connected components). A framework beyond the stated limits below is refused before the
detailed checks run.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from typing import Protocol, TypeVar

import attrs

from ._answers import answer_key
from ._errors import Issue
from ._framework import (
    NUMERIC_KINDS,
    OPTION_KINDS,
    AnswerScale,
    ApplicabilityRule,
    Condition,
    EdgeKind,
    Framework,
    Graph,
    Item,
    ItemKind,
    NodeKind,
    Option,
)
from ._jsonio import MAX_ISSUES
from ._locate import pointer_join

__all__ = [
    "MAX_CATEGORIES",
    "MAX_CONDITIONS",
    "MAX_CONDITION_VALUES",
    "MAX_EDGES",
    "MAX_ITEMS",
    "MAX_LANGUAGES",
    "MAX_NODES",
    "MAX_OPTIONS",
    "MAX_SCALES",
    "MAX_TEXT_CHARS",
    "framework_issues",
    "shown_cycle",
]

#: Items in one framework (the largest bundled framework has 78).
MAX_ITEMS = 20_000
#: Categories in one framework (bundled: at most 6).
MAX_CATEGORIES = 1_000
#: Answer scales in one framework (bundled: at most 10).
MAX_SCALES = 1_000
#: Options of one item or one scale (bundled: at most 13).
MAX_OPTIONS = 500
#: Nodes of a decision graph (the SILK flow chart has 13).
MAX_NODES = 20_000
#: Edges of a decision graph (the SILK flow chart has 19).
MAX_EDGES = 50_000
#: Conditions in one ``applies_if`` or ``when`` rule (bundled: 1).
MAX_CONDITIONS = 100
#: Values listed by one ``in``/``not_in`` condition.
MAX_CONDITION_VALUES = 500
#: Languages of one text (bundled: at most 3).
MAX_LANGUAGES = 50
#: Characters of one text in one language (the schema states the same bound).
MAX_TEXT_CHARS = 20_000

_NEVER_SCORED = frozenset({ItemKind.TEXT, ItemKind.DATE, ItemKind.LINK})
_NOT_EARLIER = "{} is not an earlier item of this framework"
_UNKNOWN_ITEM = "unknown item {}"
_CYCLE_SHOWN = 12  # nodes of a long cycle named at each end of the message


def _duplicate_ids(ids: Sequence[str], base: str, what: str) -> list[Issue]:
    seen: set[str] = set()
    issues = []
    for index, entry_id in enumerate(ids):
        if entry_id in seen:
            issues.append(Issue(f"{base}/{index}/id", f"duplicate {what} id {entry_id!r}"))
        seen.add(entry_id)
    return issues


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_T = TypeVar("_T", bound=_HasId)


def _first_by_id(entries: Iterable[_T]) -> dict[str, _T]:
    """Entries by id, the first one winning (as ``Framework.item`` finds it)."""
    found: dict[str, _T] = {}
    for entry in entries:
        found.setdefault(entry.id, entry)
    return found


def _count_issues(framework: Framework) -> list[Issue]:
    """The stated limits on the number of parts; beyond them no other check runs."""
    counts = [
        ("/items", len(framework.items), MAX_ITEMS, "items"),
        ("/categories", len(framework.categories), MAX_CATEGORIES, "categories"),
        ("/scales", len(framework.scales), MAX_SCALES, "scales"),
    ]
    if framework.graph is not None:
        counts.append(("/graph/nodes", len(framework.graph.nodes), MAX_NODES, "nodes"))
        counts.append(("/graph/edges", len(framework.graph.edges), MAX_EDGES, "edges"))
    return [
        Issue(at, f"{count:,} {what}: a framework may have at most {limit:,}")
        for at, count, limit, what in counts
        if count > limit
    ]


def _texts(framework: Framework) -> Iterator[tuple[Mapping[str, str] | None, str, int | str, str]]:
    """Every text of the framework, with its JSON Pointer in three parts (joined only when
    a text breaks a limit)."""
    yield framework.title, "/title", "", ""
    yield framework.description, "/description", "", ""
    for index, category in enumerate(framework.categories):
        yield category.title, "/categories/", index, "/title"
        yield category.description, "/categories/", index, "/description"
    for index, scale in enumerate(framework.scales):
        yield scale.title, "/scales/", index, "/title"
        for o_index, option in enumerate(scale.options):
            yield option.label, f"/scales/{index}/options/", o_index, "/label"
    for index, item in enumerate(framework.items):
        yield item.text, "/items/", index, "/text"
        yield item.help, "/items/", index, "/help"
        for o_index, option in enumerate(item.options):
            yield option.label, f"/items/{index}/options/", o_index, "/label"
    if framework.graph is not None:
        for index, node in enumerate(framework.graph.nodes):
            yield node.title, "/graph/nodes/", index, "/title"
            yield node.text, "/graph/nodes/", index, "/text"
            for s_index, step in enumerate(node.next_steps):
                yield step, f"/graph/nodes/{index}/next_steps/", s_index, ""
        for index, edge in enumerate(framework.graph.edges):
            yield edge.label, "/graph/edges/", index, "/label"


def _text_issues(framework: Framework) -> list[Issue]:
    """Every text against the limits on its languages and its length."""
    issues = []
    for text, prefix, index, suffix in _texts(framework):
        if not text or (len(text) <= MAX_LANGUAGES and max(map(len, text.values())) <= MAX_TEXT_CHARS):
            continue
        at = f"{prefix}{index}{suffix}"
        if len(text) > MAX_LANGUAGES:
            issues.append(Issue(at, f"a text in {len(text)} languages: at most {MAX_LANGUAGES}"))
        for language, words in text.items():
            if len(words) > MAX_TEXT_CHARS:
                issues.append(
                    Issue(at + pointer_join([language]), f"a text of {len(words):,} characters: at most {MAX_TEXT_CHARS:,}")
                )
    return issues


@attrs.frozen
class _Options:
    """What the checks need to know about one list of options, worked out once per list."""

    options: tuple[Option, ...]
    keys: frozenset[object]  # answer_key of each value, to test a condition's values in O(1)
    scores_given: int
    unique: bool

    @classmethod
    def of(cls, options: tuple[Option, ...]) -> _Options:
        return cls(
            options,
            frozenset(answer_key(o.value) for o in options),
            sum(1 for o in options if o.score is not None),
            len({repr(o.value) for o in options}) == len(options),
        )


class _Index:
    """The framework's parts by id, with the options of each item resolved once."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.items: dict[str, Item] = _first_by_id(framework.items)
        self.scales: dict[str, AnswerScale] = _first_by_id(framework.scales)
        self.scored_categories = {c.id for c in framework.categories if c.scored}
        self._facts: dict[int, _Options] = {}

    def options(self, item: Item) -> _Options:
        """As ``Framework.options_of``, worked out once per list of options (a scale's list,
        or the default yes/no list, is shared by all the items that use it)."""
        if not item.options and item.scale is not None:
            scale = self.scales.get(item.scale)
            # An unknown scale (reported) leaves what options_of gives after looking for it.
            options = scale.options if scale is not None else self.framework.options_of(attrs.evolve(item, scale=None))
        else:  # its own options, or no scale: options_of answers without a scan
            options = self.framework.options_of(item)
        facts = self._facts.get(id(options))
        if facts is None:  # the cache holds each list, so no other list can take its id
            facts = self._facts[id(options)] = _Options.of(options)
        return facts

    def is_scored(self, item: Item, options: _Options) -> bool:
        """As ``Framework.is_scored``, without scanning the categories."""
        if item.scored is not None:
            return item.scored
        if item.category not in self.scored_categories:
            return False
        if item.kind in NUMERIC_KINDS:
            return item.min is not None and item.max is not None
        return bool(options.options) and options.scores_given == len(options.options)


def _condition_problems(index: _Index, condition: Condition, known: Container[str], unknown: str) -> list[tuple[str, str]]:
    """What is wrong with one condition, as (pointer below the condition, message): too many
    values, an item that is not ``known`` (``unknown`` is the message, ``{}`` the item), a
    missing value, or a value its item cannot take (a typo would otherwise silently keep an
    item from ever being asked, or an edge from ever being taken)."""
    problems = []
    operator = condition.operator
    if len(condition.values) > MAX_CONDITION_VALUES:
        problems.append(("/values", f"{len(condition.values):,} values: a condition may list at most {MAX_CONDITION_VALUES}"))
    if condition.item not in known:
        problems.append(("/item", unknown.format(repr(condition.item))))
    elif operator in ("at_least", "at_most"):
        target = index.items[condition.item]
        if target.kind not in NUMERIC_KINDS:
            problems.append(("", f"operator {operator!r} needs a numeric item, {target.id} is {target.kind.value}"))
    elif operator != "answered":
        target = index.items[condition.item]
        allowed = index.options(target)
        values = condition.values if operator in ("in", "not_in") else (condition.value,)
        wrong = [v for v in values if answer_key(v) not in allowed.keys] if allowed.options else []
        if wrong:
            problems.append(("", f"{wrong!r} is not among the options of {target.id}: {[o.value for o in allowed.options]!r}"))
    if operator in ("in", "not_in"):
        if not condition.values:
            problems.append(("", f"operator {operator!r} needs 'values'"))
    elif operator != "answered" and condition.value is None:
        problems.append(("", f"operator {operator!r} needs 'value'"))
    return problems


def _rule_issues(index: _Index, rule: ApplicabilityRule, at: str, known: Container[str], unknown: str) -> list[Issue]:
    """A rule (``applies_if`` or ``when``, at ``at``) within the limits, each condition sound."""
    issues = []
    if len(rule.conditions) > MAX_CONDITIONS:
        issues.append(
            Issue(f"{at}/{rule.mode}", f"{len(rule.conditions):,} conditions: a rule may have at most {MAX_CONDITIONS}")
        )
    for c_index, condition in enumerate(rule.conditions):
        problems = _condition_problems(index, condition, known, unknown)
        if problems:
            c_at = f"{at}/{rule.mode}/{c_index}"
            issues += [Issue(c_at + below, message) for below, message in problems]
    return issues


def _capped(issues: list[Issue]) -> list[Issue]:
    if len(issues) <= MAX_ISSUES:
        return issues
    return [*issues[:MAX_ISSUES], Issue("", f"further problems are not listed: the report stops at {MAX_ISSUES}")]


def framework_issues(framework: Framework) -> list[Issue]:
    """Every cross-reference and consistency problem in a schema-valid framework, in time
    linear in its size (at most ``MAX_ISSUES`` of them, then a line saying there are more)."""
    issues = _count_issues(framework)
    if issues:
        return issues
    issues = _duplicate_ids([s.id for s in framework.scales], "/scales", "scale")
    issues += _duplicate_ids([c.id for c in framework.categories], "/categories", "category")
    issues += _duplicate_ids([i.id for i in framework.items], "/items", "item")
    issues += _text_issues(framework)
    index = _Index(framework)
    categories = _first_by_id(framework.categories)
    expected_categories = f"expected one of {sorted(categories)}"
    expected_scales = f"expected one of {sorted(index.scales)}"
    for s_index, scale in enumerate(framework.scales):
        if len(scale.options) > MAX_OPTIONS:
            issues.append(Issue(f"/scales/{s_index}/options", f"{len(scale.options):,} options: at most {MAX_OPTIONS}"))
    earlier: set[str] = set()
    for i_index, item in enumerate(framework.items):
        at = f"/items/{i_index}"
        if len(item.options) > MAX_OPTIONS:
            issues.append(Issue(f"{at}/options", f"{len(item.options):,} options: at most {MAX_OPTIONS}"))
        category = categories.get(item.category)
        if category is None:
            issues.append(Issue(f"{at}/category", f"unknown category {item.category!r}; {expected_categories}"))
        if item.scale is not None and item.scale not in index.scales:
            issues.append(Issue(f"{at}/scale", f"unknown scale {item.scale!r}; {expected_scales}"))
        if (item.scale is not None or item.options) and item.kind not in OPTION_KINDS:
            issues.append(Issue(at, f"a {item.kind.value} item takes no options or scale"))
        facts = index.options(item)
        options = facts.options
        if item.kind in OPTION_KINDS and not options and item.scale is None:  # an unknown scale is reported above
            issues.append(Issue(at, f"a {item.kind.value} item needs 'options' or a 'scale'"))
        if item.kind in OPTION_KINDS and 0 < facts.scores_given < len(options):
            issues.append(Issue(at, "some options have a score and some do not: give every option a score, or none"))
        if not facts.unique:
            issues.append(Issue(at, "option values must be unique"))
        if index.is_scored(item, facts):
            if category is not None and not category.scored:
                issues.append(Issue(f"{at}/scored", f"category {item.category!r} is not scored, so its items cannot be"))
            if item.kind in _NEVER_SCORED:
                issues.append(Issue(f"{at}/scored", f"a {item.kind.value} item cannot be scored"))
            if item.kind in OPTION_KINDS and facts.scores_given < len(options):
                issues.append(Issue(at, "a scored item needs a score on every option"))
            if item.kind in NUMERIC_KINDS and item.min is not None and item.max is not None and item.min >= item.max:
                issues.append(Issue(f"{at}/max", "'max' must be greater than 'min'"))
        if item.applies_if is not None:
            issues += _rule_issues(index, item.applies_if, f"{at}/applies_if", earlier, _NOT_EARLIER)
        earlier.add(item.id)
        if len(issues) > MAX_ISSUES:
            return _capped(issues)
    if framework.graph is not None:
        issues += _graph_issues(framework.graph, index, set(categories))
    if framework.changes is not None:  # (the declaration's module loads only for a framework that has one)
        from ._framework_changes import changes_issues

        issues += changes_issues(framework)
    return _capped(issues)


def _graph_issues(graph: Graph, index: _Index, category_ids: set[str]) -> list[Issue]:
    """A walkable graph: known start, edges between known nodes, every item asked once, each
    non-end node with exactly one default edge (listed last) so the walk always moves on,
    every node reachable from the start, and no cycle of forward edges."""
    issues = _duplicate_ids([n.id for n in graph.nodes], "/graph/nodes", "node")
    position: dict[str, int] = {}  # node id -> index of its first definition
    for n_index, node in enumerate(graph.nodes):
        position.setdefault(node.id, n_index)
    if graph.start not in position:
        issues.append(Issue("/graph/start", f"unknown start node {graph.start!r}"))
    outgoing: dict[str, list[int]] = {}  # node id -> indices of the edges leaving it, in order
    for e_index, edge in enumerate(graph.edges):
        outgoing.setdefault(edge.from_, []).append(e_index)
        if edge.from_ not in position:
            issues.append(Issue(f"/graph/edges/{e_index}/from", f"unknown node {edge.from_!r}"))
        if edge.to not in position:
            issues.append(Issue(f"/graph/edges/{e_index}/to", f"unknown node {edge.to!r}"))
        if edge.when is not None:
            issues += _rule_issues(index, edge.when, f"/graph/edges/{e_index}/when", index.items, _UNKNOWN_ITEM)
        if len(issues) > MAX_ISSUES:
            return issues
    asked_at: dict[str, str] = {}
    for n_index, node in enumerate(graph.nodes):
        if node.phase is not None and node.phase not in category_ids:
            issues.append(
                Issue(f"/graph/nodes/{n_index}/phase", f"unknown phase {node.phase!r}; phases are the framework's categories")
            )
        for i_index, item_id in enumerate(node.items):
            if item_id not in index.items:
                issues.append(Issue(f"/graph/nodes/{n_index}/items/{i_index}", f"unknown item {item_id!r}"))
            elif item_id in asked_at:
                message = f"item {item_id!r} is already asked at node {asked_at[item_id]!r}"
                issues.append(Issue(f"/graph/nodes/{n_index}/items/{i_index}", message))
            else:
                asked_at[item_id] = node.id
        if position[node.id] != n_index:
            continue  # a duplicate, reported above; the edges leaving its id are the first node's
        leaving = outgoing.get(node.id, ())
        if node.kind == NodeKind.END:
            if leaving:
                issues.append(Issue(f"/graph/nodes/{n_index}", f"end node {node.id!r} has outgoing edges"))
        elif not leaving or graph.edges[leaving[-1]].when is not None or [graph.edges[e].when for e in leaving].count(None) != 1:
            message = f"node {node.id!r} needs exactly one default edge (without 'when'), listed last"
            issues.append(Issue(f"/graph/nodes/{n_index}", message))
        if len(issues) > MAX_ISSUES:
            return issues
    walk = _Walk(graph, position, outgoing)
    if graph.start in position:
        reached = walk.reachable(graph.start)
        for node_id, n_index in position.items():
            if node_id not in reached:
                message = f"node {node_id!r} cannot be reached from the start node {graph.start!r}"
                issues.append(Issue(f"/graph/nodes/{n_index}", message))
    for cycle, closing_edge in walk.forward_cycles():
        issues.append(
            Issue(
                f"/graph/edges/{closing_edge}",
                f"forward edges form a cycle: {shown_cycle(cycle)}; a walk could go round it forever "
                "(an edge that leads back must say 'kind: back')",
            )
        )
    return issues


class _Walk:
    """Traversals of a graph's edges between known nodes, each visiting every node and
    every edge a bounded number of times. ``visits`` counts the edges looked at (for tests:
    it stays proportional to the number of edges)."""

    def __init__(self, graph: Graph, position: Mapping[str, int], outgoing: Mapping[str, Sequence[int]]) -> None:
        self.edges = graph.edges
        self.position = position
        self.outgoing = outgoing
        self.visits = 0

    def _targets(self, node: str, forward_only: bool) -> Iterator[tuple[int, str]]:
        """(edge index, target) for the edges leaving ``node`` towards a known node."""
        for e_index in self.outgoing.get(node, ()):
            self.visits += 1
            edge = self.edges[e_index]
            if edge.to in self.position and not (forward_only and edge.kind != EdgeKind.FORWARD):
                yield e_index, edge.to

    def reachable(self, start: str) -> set[str]:
        """Nodes reached from ``start`` along any edges."""
        reached = {start}
        todo = [start]
        while todo:
            for _, target in self._targets(todo.pop(), False):
                if target not in reached:
                    reached.add(target)
                    todo.append(target)
        return reached

    def forward_cycles(self) -> list[tuple[list[str], int]]:
        """One cycle in each strongly connected component of the forward edges that has one:
        its nodes in walking order (the first repeated at the end) and the index of the edge
        that closes it, sorted by that index. Tarjan's algorithm without recursion, then a
        breadth-first search inside each such component."""
        number: dict[str, int] = {}
        low: dict[str, int] = {}
        on_stack: set[str] = set()
        stack: list[str] = []
        looped: set[str] = set()  # nodes with a forward edge to themselves
        cycles = []
        for root in self.position:
            if root in number:
                continue
            number[root] = low[root] = len(number)
            stack.append(root)
            on_stack.add(root)
            work = [(root, self._targets(root, True))]
            while work:
                node, targets = work[-1]
                for _, child in targets:
                    if child == node:
                        looped.add(node)
                    if child not in number:
                        number[child] = low[child] = len(number)
                        stack.append(child)
                        on_stack.add(child)
                        work.append((child, self._targets(child, True)))
                        break
                    if child in on_stack:
                        low[node] = min(low[node], number[child])
                else:  # every edge leaving the node is explored
                    work.pop()
                    if work:
                        parent = work[-1][0]
                        low[parent] = min(low[parent], low[node])
                    if low[node] == number[node]:
                        component = [stack.pop()]
                        while component[-1] != node:
                            component.append(stack.pop())
                        on_stack.difference_update(component)
                        if len(component) > 1 or node in looped:
                            cycles.append(self._cycle_in(component))
        return sorted(cycles, key=lambda found: found[1])

    def _cycle_in(self, component: Sequence[str]) -> tuple[list[str], int]:
        """The shortest cycle through the component's first node (in document order), by a
        breadth-first search over the component's own edges."""
        members = set(component)
        first = min(component, key=self.position.__getitem__)
        came_from: dict[str, str] = {}
        queue = [first]
        for node in queue:  # the queue grows while it is read
            for e_index, target in self._targets(node, True):
                if target == first:
                    path = [node]
                    while path[-1] != first:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), first], e_index
                if target in members and target not in came_from:
                    came_from[target] = node
                    queue.append(target)
        raise AssertionError("a strongly connected component of several nodes, or a loop, has a cycle")  # pragma: no cover


def shown_cycle(cycle: Sequence[str]) -> str:
    """A cycle of nodes as text, ``a -> b -> a``; a very long one keeps its ends and says how
    many nodes it leaves out (the checks and the guide word loops alike)."""
    if len(cycle) <= 2 * _CYCLE_SHOWN + 1:
        return " -> ".join(cycle)
    hidden = len(cycle) - 2 * _CYCLE_SHOWN
    return " -> ".join([*cycle[:_CYCLE_SHOWN], f"... {hidden:,} more nodes ...", *cycle[-_CYCLE_SHOWN:]])
