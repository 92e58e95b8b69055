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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .answers import answer_problem, rule_holds
from .assessment import AnswerStatus, AnswerValue, Response, ResponseSet
from .errors import ScoringError
from .framework import Edge, EdgeKind, Framework, Item, Node, NodeKind, PointerTo
from .model import OrgRef, Text

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
        if framework.graph is None:
            raise ScoringError(f"framework {framework.id!r} has no decision graph to walk")
        self.framework = framework
        self.graph = framework.graph
        self.responses: dict[str, Response] = {}
        self.node_id = self.graph.start
        self.path: list[str] = [self.node_id]
        self.revisits: list[Revisit] = []
        self.stop_on_revisit = stop_on_revisit
        self._stopped = False
        for response in answers:
            self.answer(response.item_id, response.value, status=response.status, comment=response.comment)

    # -- state ----------------------------------------------------------------------------

    @property
    def node(self) -> Node:
        """The node reached."""
        return self.graph.node(self.node_id)

    @property
    def finished(self) -> bool:
        """True at an end node, or after a back edge when the walk stops on revisits."""
        return self.node.kind == NodeKind.END or self._stopped

    def _values(self) -> dict[str, AnswerValue]:
        return {k: r.value for k, r in self.responses.items() if r.value is not None}

    def pending(self) -> list[Item]:
        """Items of the current node still to answer (in order), skipping those that do not apply."""
        values = self._values()
        items = [self.framework.item(i) for i in self.node.items]
        return [i for i in items if i.id not in self.responses and rule_holds(i.applies_if, values)]

    # -- moves ----------------------------------------------------------------------------

    def answer(
        self, item_id: str, value: AnswerValue | None = None, *, status: AnswerStatus | None = None, comment: str | None = None
    ) -> None:
        """Record an answer (a value, or a status such as unknown for "skip")."""
        try:
            item = self.framework.item(item_id)
        except KeyError:
            raise ScoringError(f"unknown item {item_id!r} in {self.framework.id}") from None
        if value is None and status is None:
            raise ScoringError(f"item {item_id}: give a value or a status")
        if value is not None:
            problem = answer_problem(self.framework, item, value)
            if problem:
                raise ScoringError(f"item {item_id}: {problem}")
        self.responses[item_id] = Response(item_id, value, status, comment)

    def _edge(self) -> Edge:
        values = self._values()
        for edge in self.graph.edges_from(self.node_id):
            if edge.when is None or rule_holds(edge.when, values):
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
            self.revisits.append(Revisit(self.node_id, edge.to, edge.label))
            if self.stop_on_revisit:
                self._stopped = True
                return self.node
            self._clear_from(edge.to)
        self.node_id = edge.to
        self.path.append(edge.to)
        return self.node

    def _clear_from(self, node_id: str) -> None:
        """Forget the answers given from ``node_id`` onwards on the path, so they are asked again."""
        if node_id not in self.path:
            return
        start = len(self.path) - 1 - self.path[::-1].index(node_id)
        for visited in self.path[start:]:
            for item_id in self.graph.node(visited).items:
                self.responses.pop(item_id, None)

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
            node = self.graph.node(node_id)
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


def text_of(texts: Mapping[str, str] | None, language: str = "en") -> str:
    """The text in ``language``, or the first one available."""
    if not texts:
        return ""
    return texts.get(language) or next(iter(texts.values()))
