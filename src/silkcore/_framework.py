"""Assessment frameworks: categories, items (questions), answer scales and scoring policy.

A framework is data. Networks write one as a YAML or JSON file validated by the
``silkcore_framework`` schema and load it with :func:`silkcore.load_framework`; plugins may
also build one in Python. Either way it is the same frozen value. The parts that carry
numbers or decide scoring (options, categories, items, the scoring policy, the framework
itself) check their fields when built, as :mod:`silkcore._model` describes: a score outside
0..1, a weight that is not above 0 (at most 1000), a bound that is not a finite number, an
empty title or a field of the wrong type is a :class:`~silkcore._errors.DataError`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import PurePath
from typing import Any, ClassVar

import attrs

from ._errors import DataError, Issue
from ._model import (
    Rule,
    Text,
    check_fields,
    instance_of,
    is_bool,
    is_count,
    is_str,
    is_text,
    opt_bool,
    opt_finite,
    opt_instance_of,
    opt_str,
    opt_text,
    opt_unit,
    shown,
    tuple_of,
)

__all__ = [
    "Aggregation",
    "AnswerScale",
    "ApplicabilityRule",
    "Category",
    "Change",
    "ChangeOp",
    "Condition",
    "Edge",
    "EdgeKind",
    "Framework",
    "FrameworkChanges",
    "Graph",
    "Item",
    "ItemKind",
    "Mapping",
    "Node",
    "NodeKind",
    "NotApplicablePolicy",
    "Option",
    "OptionMap",
    "PointerTo",
    "ScoringPolicy",
    "UnknownPolicy",
    "version_key",
]

OptionValue = str | bool | int
ConditionValue = str | bool | int | float


class ItemKind(StrEnum):
    """How an item is answered."""

    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    SCALE = "scale"
    YES_NO = "yes_no"
    NUMBER = "number"
    PERCENTAGE = "percentage"
    DURATION = "duration"
    TEXT = "text"
    DATE = "date"
    LINK = "link"


NUMERIC_KINDS = frozenset({ItemKind.NUMBER, ItemKind.PERCENTAGE, ItemKind.DURATION})
OPTION_KINDS = frozenset({ItemKind.CHOICE, ItemKind.MULTI_CHOICE, ItemKind.SCALE, ItemKind.YES_NO})


class Aggregation(StrEnum):
    """How item scores combine into a category score."""

    WEIGHTED_MEAN = "weighted_mean"
    MEAN = "mean"
    MINIMUM = "minimum"


class NotApplicablePolicy(StrEnum):
    """What a "not applicable" answer counts as: left out, zero, or as if at target (1.0)."""

    EXCLUDE = "exclude"
    ZERO = "zero"
    AT_TARGET = "at_target"


class UnknownPolicy(StrEnum):
    """What an "unknown" answer counts as: left out or zero."""

    EXCLUDE = "exclude"
    ZERO = "zero"


@attrs.frozen
class Option:
    """One possible answer; ``score`` in 0..1 when the item is scored."""

    value: OptionValue
    score: float | None = None
    label: Text | None = None

    def __attrs_post_init__(self) -> None:
        check_fields(self, _OPTION_RULES)


def _option_value(value: Any) -> bool:
    return type(value) is str or type(value) is bool or type(value) is int


def _weight(value: Any) -> bool:
    """A weight as the framework schema has it: above 0 (a category or item of weight 0
    would divide by zero in a weighted mean) and at most 1000."""
    return (type(value) is float or type(value) is int) and 0 < value <= 1000


_OPTION_RULES: tuple[Rule, ...] = (
    ("value", _option_value, "a string, boolean or integer"),
    ("score", opt_unit, "a number from 0 to 1, or None"),
    ("label", opt_text, "multilingual text (a non-empty dict of language -> string) or None"),
)
_TEXT = "multilingual text (a non-empty dict of language -> string)"

_YES_NO = (Option(True, 1.0), Option(False, 0.0))


@attrs.frozen
class AnswerScale:
    """A reusable list of options (e.g. an improvement scale) that items refer to by id."""

    id: str
    options: tuple[Option, ...]
    title: Text | None = None

    def __attrs_post_init__(self) -> None:
        check_fields(self, _SCALE_RULES)


_SCALE_RULES: tuple[Rule, ...] = (
    ("id", is_str, "a string"),
    ("options", tuple_of(Option), "a tuple of Option"),
    ("title", opt_text, _TEXT + " or None"),
)


@attrs.frozen
class Category:
    """A group of items scored together."""

    id: str
    title: Text
    description: Text | None = None
    weight: float = 1.0
    scored: bool = True
    source: str | None = None

    def __attrs_post_init__(self) -> None:
        check_fields(self, _CATEGORY_RULES)


_CATEGORY_RULES: tuple[Rule, ...] = (
    ("id", is_str, "a string"),
    ("title", is_text, _TEXT),
    ("description", opt_text, _TEXT + " or None"),
    ("weight", _weight, "a number above 0 and at most 1000"),
    ("scored", is_bool, "True or False"),
    ("source", opt_str, "a string or None"),
)


@attrs.frozen
class Condition:
    """A test on an earlier answer, e.g. ``{item: A.01, operator: in, values: [outward]}``."""

    item: str
    operator: str
    value: ConditionValue | None = None
    values: tuple[ConditionValue, ...] = ()


@attrs.frozen
class ApplicabilityRule:
    """An item applies only when ``all`` (or ``any``) of its conditions hold."""

    mode: str
    conditions: tuple[Condition, ...]


@attrs.frozen
class Mapping:
    """A link from an item to a concept in another taxonomy (SDG, IRIS+, GRI, ESSGlobal)."""

    scheme: str
    concept: str
    relation: str
    rationale: str | None = None


@attrs.frozen
class Item:
    """One question (or statement) of a framework."""

    id: str
    category: str
    kind: ItemKind
    text: Text
    source: str
    label: str | None = None
    help: Text | None = None
    note: str | None = None
    scored: bool | None = None
    scale: str | None = None
    options: tuple[Option, ...] = ()
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    reverse: bool = False
    weight: float = 1.0
    target: float | None = None
    sse_specific: bool | None = None
    sse_specific_basis: str | None = None
    sse_specific_reason: str | None = None
    applies_if: ApplicabilityRule | None = None
    cases: tuple[str, ...] = ()
    mappings: tuple[Mapping, ...] = ()

    def __attrs_post_init__(self) -> None:
        low, high = self.min, self.max
        if low is not None and high is not None and opt_finite(low) and opt_finite(high) and low > high:
            check_fields(self, _ITEM_RULES, ("max", f"expected max ({high}) at least min ({low})"))
        check_fields(self, _ITEM_RULES)


_ITEM_RULES: tuple[Rule, ...] = (
    ("id", is_str, "a string"),
    ("category", is_str, "a string"),
    ("kind", instance_of(ItemKind), "an ItemKind"),
    ("text", is_text, _TEXT),
    ("source", is_str, "a string"),
    ("help", opt_text, _TEXT + " or None"),
    ("scored", opt_bool, "True, False or None"),
    ("scale", opt_str, "a string or None"),
    ("options", tuple_of(Option), "a tuple of Option"),
    ("min", opt_finite, "a finite number or None"),
    ("max", opt_finite, "a finite number or None"),
    ("reverse", is_bool, "True or False"),
    ("weight", _weight, "a number above 0 and at most 1000"),
    ("target", opt_finite, "a finite number or None"),
    ("applies_if", opt_instance_of(ApplicabilityRule), "an ApplicabilityRule or None"),
)


@attrs.frozen
class ScoringPolicy:
    """How a framework is scored. The overall score is off unless a framework turns it on,
    because one number over unlike categories hides more than it shows."""

    aggregation: Aggregation = Aggregation.WEIGHTED_MEAN
    not_applicable: NotApplicablePolicy = NotApplicablePolicy.EXCLUDE
    unknown: UnknownPolicy = UnknownPolicy.EXCLUDE
    overall: bool = False
    findings: int = 3
    disagreement_threshold: float = 0.5

    def __attrs_post_init__(self) -> None:
        check_fields(self, _POLICY_RULES)


def _threshold(value: Any) -> bool:
    return (type(value) is float or type(value) is int) and 0 < value <= 1


_POLICY_RULES: tuple[Rule, ...] = (
    ("aggregation", instance_of(Aggregation), "an Aggregation"),
    ("not_applicable", instance_of(NotApplicablePolicy), "a NotApplicablePolicy"),
    ("unknown", instance_of(UnknownPolicy), "an UnknownPolicy"),
    ("overall", is_bool, "True or False"),
    ("findings", lambda value: is_count(value) and value <= 100, "a whole number from 0 to 100"),
    ("disagreement_threshold", _threshold, "a number above 0 and at most 1"),
)


@attrs.frozen
class PointerTo:
    """What becomes relevant once a guide reaches a node: a framework, some of its categories or items."""

    framework: str
    categories: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    reason: str | None = None


class NodeKind(StrEnum):
    """The role of a node in a decision graph."""

    PHASE = "phase"
    QUESTION = "question"
    DECISION = "decision"
    END = "end"


class EdgeKind(StrEnum):
    """Forward edges advance; back edges send the organisation to revisit an earlier step."""

    FORWARD = "forward"
    BACK = "back"


@attrs.frozen
class Node:
    """A step of a decision graph: the items asked there and what it opens up."""

    id: str
    kind: NodeKind
    title: Text
    phase: str | None = None
    text: Text | None = None
    items: tuple[str, ...] = ()
    next_steps: tuple[Text, ...] = ()
    applies: tuple[PointerTo, ...] = ()
    source: str | None = None
    note: str | None = None


@attrs.frozen
class Edge:
    """A move between nodes, taken when its condition holds (no condition: the default)."""

    from_: str  # "from" in documents (a Python keyword)
    to: str
    kind: EdgeKind = EdgeKind.FORWARD
    when: ApplicabilityRule | None = None
    label: Text | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen
class Graph:
    """A decision graph walked by :mod:`silkcore._guide` (e.g. a flow chart of phases)."""

    start: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...] = ()
    interpretation: str | None = None

    def node(self, node_id: str) -> Node:
        """The node with this id; KeyError if absent."""
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def edges_from(self, node_id: str) -> tuple[Edge, ...]:
        """Outgoing edges of a node, in the order they are tried."""
        return tuple(e for e in self.edges if e.from_ == node_id)


class ChangeOp(StrEnum):
    """What one declared change did to the items of the earlier version (see ``Change``)."""

    RENAME = "rename"
    REWORD = "reword"
    SPLIT = "split"
    MERGE = "merge"
    REMAP = "remap"
    SCALE = "scale"
    ADD = "add"
    DROP = "drop"
    WEIGHT = "weight"


@attrs.frozen
class OptionMap:
    """Where answers given with the old option ``old`` go: the option ``new``, or nowhere
    (``ask_again``: the migrated answer is unknown, to be asked again)."""

    old: OptionValue
    new: OptionValue | None = None
    ask_again: bool = False


@attrs.frozen
class Change:
    """One declared change from the earlier version; which fields it uses depends on ``op``:

    - ``rename``: ``item`` (old id) became ``to``; ``reword``: ``item``'s text changed, not its meaning;
    - ``split``: ``item`` became the items ``into``; its answer is carried to ``carry_to``;
    - ``merge``: ``items`` became ``to``; the answer of ``carry_from`` is carried;
    - ``remap``: the options of ``item`` (its id in this version) changed, as ``options`` maps them;
    - ``scale``: the reusable scale ``scale`` changed, as ``options`` maps them, for the items using
      it (``items``, or every item naming the scale);
    - ``add``: ``item`` is new; ``drop``: ``item`` is no longer asked, for ``reason``;
    - ``weight``: the weight of ``item`` or ``category`` changed.
    """

    op: ChangeOp
    item: str | None = None
    items: tuple[str, ...] = ()
    to: str | None = None
    into: tuple[str, ...] = ()
    carry_to: tuple[str, ...] = ()
    carry_from: str | None = None
    scale: str | None = None
    category: str | None = None
    options: tuple[OptionMap, ...] = ()
    reason: str | None = None
    note: str | None = None


@attrs.frozen
class FrameworkChanges:
    """What a version changed from ``from_version`` of the same framework. ``from_items``
    lists every item of that version, so the declaration is checked (each old item kept
    or named by a change) with no other file at hand."""

    from_version: str
    from_items: tuple[str, ...]
    operations: tuple[Change, ...] = ()
    note: str | None = None


@attrs.frozen
class Framework:
    """A versioned assessment framework. Build one with :func:`silkcore.load_framework`."""

    SCHEMA: ClassVar[str] = "silkcore_framework-v1.2.0"

    id: str
    version: str
    title: Text
    categories: tuple[Category, ...]
    items: tuple[Item, ...]
    description: Text | None = None
    default_language: str | None = None
    source: str | None = None
    notes: tuple[str, ...] = ()
    scales: tuple[AnswerScale, ...] = ()
    scoring: ScoringPolicy = ScoringPolicy()
    graph: Graph | None = None
    changes: FrameworkChanges | None = None

    def __attrs_post_init__(self) -> None:
        check_fields(self, _FRAMEWORK_RULES)

    def item(self, item_id: str) -> Item:
        """The item with id ``item_id``; KeyError if there is none."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def category(self, category_id: str) -> Category:
        """The category with id ``category_id``; KeyError if there is none."""
        for category in self.categories:
            if category.id == category_id:
                return category
        raise KeyError(category_id)

    def options_of(self, item: Item) -> tuple[Option, ...]:
        """The item's options, with a referenced scale resolved and yes/no given its default scores."""
        if item.options:
            return item.options
        if item.scale is not None:
            for scale in self.scales:
                if scale.id == item.scale:
                    return scale.options
        if item.kind == ItemKind.YES_NO:
            return _YES_NO
        return ()

    def is_scored(self, item: Item) -> bool:
        """Whether the item counts towards its category's score: as stated, or (when the item
        does not say) when its category is scored and it has scores on every option or a range."""
        if item.scored is not None:
            return item.scored
        if not any(c.id == item.category and c.scored for c in self.categories):
            return False
        if item.kind in NUMERIC_KINDS:
            return item.min is not None and item.max is not None
        options = self.options_of(item)
        return bool(options) and all(o.score is not None for o in options)


_FRAMEWORK_RULES: tuple[Rule, ...] = (
    ("id", is_str, "a string"),
    ("version", is_str, "a string"),
    ("title", is_text, _TEXT),
    ("categories", lambda value: tuple_of(Category)(value) and bool(value), "a non-empty tuple of Category"),
    ("items", lambda value: tuple_of(Item)(value) and bool(value), "a non-empty tuple of Item"),
    ("description", opt_text, _TEXT + " or None"),
    ("default_language", opt_str, "a string or None"),
    ("source", opt_str, "a string or None"),
    ("notes", tuple_of(str), "a tuple of strings"),
    ("scales", tuple_of(AnswerScale), "a tuple of AnswerScale"),
    ("scoring", instance_of(ScoringPolicy), "a ScoringPolicy"),
    ("graph", opt_instance_of(Graph), "a Graph or None"),
    ("changes", opt_instance_of(FrameworkChanges), "a FrameworkChanges or None"),
)


def framework_argument(value: Any) -> Framework | str | PurePath:
    """``value`` if it can name a framework (a :class:`Framework`, a registered id or a file
    path as ``str`` or ``Path``); otherwise a :class:`DataError` saying what was given."""
    if isinstance(value, Framework | str | PurePath):
        return value
    raise DataError([Issue("", f"expected a Framework, a framework id or a file path, got {shown(value)}")])


def version_key(version: str) -> tuple[tuple[int, ...], str]:
    """A SemVer string as a sort key: numeric parts in order, a pre-release before the release."""
    core, _, pre = version.partition("-")
    numbers = tuple(int(part) if part.isdigit() else 0 for part in core.split("+")[0].split("."))
    return numbers, pre or "\uffff"
