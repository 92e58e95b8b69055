"""Walking a framework's decision graph: the engine behind ``silk guide``.

A :class:`Guide` holds the answers given so far and the node the organisation has reached.
Another application can drive it step by step (``pending()``, ``answer()``, ``advance()``);
the CLI drives it from a terminal or from an answers file. Rules:

* at a node, its items are asked in order (an item whose applicability rule fails is skipped);
* once they are answered, the first outgoing edge whose condition holds is taken, the edge
  without a condition being the default;
* a *back* edge means an answer was too weak to go on (no clear motive, no partner...): it is
  recorded as something to revisit, and the answers from the target node onwards are cleared
  so they are asked again;
* an *end* node finishes the walk.

A walk cannot go round forever. The framework checks refuse a cycle of forward edges, but a
:class:`~silkcore._framework.Framework` built in Python is not checked, and a back edge can
lead to nodes that ask nothing again. Since the next node depends only on the node reached
and the answers held, reaching a node a second time while the answers have not changed
means the walk would repeat itself forever: the guide stops with a :class:`ScoringError`
naming the loop. At most one move per node is made between two changes of the answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ._answers import answer_problem, rule_holds
from ._assessment import AnswerStatus, AnswerValue, Response, ResponseSet
from ._errors import ScoringError
from ._framework import Edge, EdgeKind, Framework, Item, Node, NodeKind, PointerTo
from ._frameworks_check import shown_cycle
from ._i18n import pick_text
from ._model import OrgRef, Text, expect_argument

__all__ = ["Guide", "GuideOutcome", "Revisit"]


@attrs.frozen
class Revisit:
    """A back edge taken: what to go back to, and why."""

    from_node: str
    to_node: str
    label: Text | None


@attrs.frozen
class GuideOutcome:
    """Where a walk ended: the phase reached, decisions taken, what to revisit and what applies next."""

    status: str  # completed | in_progress | revisit
    node: str
    phase: str | None
    path: tuple[str, ...]
    decisions: tuple[tuple[str, AnswerValue], ...]
    revisits: tuple[Revisit, ...]
    pending: tuple[str, ...]
    next_steps: tuple[Text, ...]
    applies: tuple[PointerTo, ...]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready summary (what ``silk guide --json`` prints)."""
        return {
            "status": self.status,
            "node": self.node,
            "phase_reached": self.phase,
            "path": list(self.path),
            "decisions": [{"item_id": item_id, "value": list(v) if isinstance(v, tuple) else v} for item_id, v in self.decisions],
            "revisit": [{"from": r.from_node, "to": r.to_node, "reason": r.label} for r in self.revisits],
            "pending_items": list(self.pending),
            "next_steps": list(self.next_steps),
            "applies": [attrs.asdict(p, filter=lambda _, v: v not in (None, ())) for p in self.applies],
        }


class Guide:
    """A walk through ``framework.graph``, driven step by step or all at once."""

    def __init__(self, framework: Framework, answers: Iterable[Response] = (), *, stop_on_revisit: bool = False) -> None:
        expect_argument(framework, Framework, "framework", "catalog.framework(id) or load_framework(path)")
        if framework.graph is None:
            raise ScoringError(f"framework {framework.id!r} has no decision graph to walk")
        self.framework = framework
        self.graph = framework.graph
        # Looked up once: Graph.node, Graph.edges_from and Framework.item scan.
        self._nodes: dict[str, Node] = {}
        for node in self.graph.nodes:
            self._nodes.setdefault(node.id, node)
        self._edges: dict[str, list[Edge]] = {}
        for edge in self.graph.edges:
            self._edges.setdefault(edge.from_, []).append(edge)
        self._items: dict[str, Item] = {}
        for item in framework.items:
            self._items.setdefault(item.id, item)
        if self.graph.start not in self._nodes:
            raise ScoringError(
                f"framework {framework.id!r}: the decision graph starts at {self.graph.start!r}, which is not a node"
            )
        self.responses: dict[str, Response] = {}
        self._values: dict[str, AnswerValue] = {}  # the answers that carry a value, as rules read them
        self.node_id = self.graph.start
        self.path: list[str] = [self.node_id]
        self._last_at: dict[str, int] = {self.node_id: 0}  # node -> its last position on the path
        # Nodes reached since the answers last changed, with their position on the path.
        self._since_change: dict[str, int] = {self.node_id: 0}
        self.revisits: list[Revisit] = []
        self.stop_on_revisit = stop_on_revisit
        self._stopped = False
        for response in answers:
            self.answer(response.item_id, response.value, status=response.status, comment=response.comment)

    # -- state ----------------------------------------------------------------------------

    @property
    def node(self) -> Node:
        """The node reached."""
        return self._nodes[self.node_id]

    @property
    def finished(self) -> bool:
        """True at an end node, or after a back edge when the walk stops on revisits."""
        return self.node.kind == NodeKind.END or self._stopped

    def _item(self, item_id: str) -> Item:
        item = self._items.get(item_id)
        if item is None:
            raise ScoringError(f"unknown item {item_id!r} in {self.framework.id}")
        return item

    def pending(self) -> list[Item]:
        """Items of the current node still to answer (in order), skipping those that do not apply."""
        items = [self._item(i) for i in self.node.items if i not in self.responses]
        return [i for i in items if rule_holds(i.applies_if, self._values)]

    # -- moves ----------------------------------------------------------------------------

    def answer(
        self, item_id: str, value: AnswerValue | None = None, *, status: AnswerStatus | None = None, comment: str | None = None
    ) -> None:
        """Record an answer (a value, or a status such as unknown for "skip")."""
        item = self._item(item_id)
        if value is None and status is None:
            raise ScoringError(f"item {item_id}: give a value or a status")
        if value is not None:
            problem = answer_problem(self.framework, item, value)
            if problem:
                raise ScoringError(f"item {item_id}: {problem}")
        self.responses[item_id] = Response(item_id, value, status, comment)
        if value is not None:
            self._values[item_id] = value
        else:
            self._values.pop(item_id, None)
        self._since_change = {self.node_id: len(self.path) - 1}

    def _edge(self) -> Edge:
        for edge in self._edges.get(self.node_id, ()):
            if edge.when is None or rule_holds(edge.when, self._values):
                if edge.to not in self._nodes:
                    raise ScoringError(f"node {self.node_id!r} has an edge to {edge.to!r}, which is not a node")
                return edge
        raise ScoringError(f"node {self.node_id!r} has no edge to follow")  # framework checks prevent this

    def advance(self) -> Node:
        """Follow the edge chosen by the answers; the current node's items must be answered."""
        if self.finished:
            return self.node
        if self.pending():
            raise ScoringError(f"answer {', '.join(i.id for i in self.pending())} before moving on")
        edge = self._edge()
        if edge.kind == EdgeKind.BACK:
            if self.stop_on_revisit:
                self.revisits.append(Revisit(self.node_id, edge.to, edge.label))
                self._stopped = True
                return self.node
            if self._clear_from(edge.to):
                self._since_change = {}
        if edge.to in self._since_change:
            loop = shown_cycle([*self.path[self._since_change[edge.to] :], edge.to])
            raise ScoringError(f"the decision graph of {self.framework.id!r} loops without asking anything: {loop}")
        if edge.kind == EdgeKind.BACK:
            self.revisits.append(Revisit(self.node_id, edge.to, edge.label))
        self.node_id = edge.to
        self.path.append(edge.to)
        self._last_at[edge.to] = self._since_change[edge.to] = len(self.path) - 1
        return self.node

    def _clear_from(self, node_id: str) -> bool:
        """Forget the answers given from ``node_id`` onwards on the path, so they are asked
        again; whether any answer was forgotten."""
        start = self._last_at.get(node_id)
        if start is None:
            return False
        cleared = False
        for visited in self.path[start:]:
            for item_id in self._nodes[visited].items:
                if self.responses.pop(item_id, None) is not None:
                    self._values.pop(item_id, None)
                    cleared = True
        return cleared

    def run(self) -> GuideOutcome:
        """Advance as far as the answers given allow, then report."""
        while not self.finished and not self.pending():
            self.advance()
        return self.outcome()

    # -- results --------------------------------------------------------------------------

    def outcome(self) -> GuideOutcome:
        """The phase reached, decisions, revisits, pending items, next steps and what applies."""
        decisions: list[tuple[str, AnswerValue]] = []
        applies: dict[tuple[str, tuple[str, ...], tuple[str, ...]], PointerTo] = {}
        for node_id in dict.fromkeys(self.path):
            node = self._nodes[node_id]
            if node.kind == NodeKind.DECISION:
                for item_id in node.items:
                    value = self.responses[item_id].value if item_id in self.responses else None
                    if value is not None:
                        decisions.append((item_id, value))
            for pointer in node.applies:
                applies.setdefault((pointer.framework, pointer.categories, pointer.items), pointer)
        if self.node.kind == NodeKind.END:
            status = "completed"
        elif self._stopped:
            status = "revisit"
        else:
            status = "in_progress"
        return GuideOutcome(
            status=status,
            node=self.node_id,
            phase=self.node.phase,
            path=tuple(self.path),
            decisions=tuple(decisions),
            revisits=tuple(self.revisits),
            pending=tuple(i.id for i in self.pending()) if not self.finished else (),
            next_steps=self.node.next_steps,
            applies=tuple(applies.values()),
        )

    def response_set(self, subject: OrgRef, **fields: Any) -> ResponseSet:
        """The answers given so far as a response set (to save, resume or score)."""
        order = {item.id: index for index, item in enumerate(self.framework.items)}
        responses = tuple(sorted(self.responses.values(), key=lambda r: order[r.item_id]))
        return ResponseSet(self.framework.id, self.framework.version, subject, responses, **fields)


def text_of(texts: Mapping[str, str] | None, language: str = "en", default_language: str | None = None) -> str:
    """The text in ``language``, by the library's one rule (:func:`~silkcore._i18n.pick_text`:
    ``fr-FR`` finds ``fr``), else in ``default_language`` (a framework's), else the first one."""
    return pick_text(texts, language, default_language)
