"""What scoring needs to know about a framework's items, worked out once per framework.

Scoring a response set asks the same questions of every item again and again: is it
scored, which options does it have (a referenced scale resolved), what does each option
score, which category is it in. The answers depend on the framework alone, so they are
computed once per framework object and then looked up, which makes a batch of thousands of
response sets several times faster. The rules themselves stay in :mod:`silkcore._answers`
and :class:`~silkcore._framework.Framework`; this module only remembers their results.
"""

from __future__ import annotations

from typing import Any

import attrs

from ._answers import answer_problem, item_score
from ._assessment import AnswerValue
from ._framework import Category, Framework, Item, ItemKind
from ._objcache import BoundedMemo, PerObject, exact_key

__all__ = ["ItemRules", "LastSound", "ScoringIndex", "scoring_index"]

_REMEMBERED = 512  # trace entries and verdicts kept per item
_CHOICE_KINDS = frozenset({ItemKind.CHOICE, ItemKind.SCALE, ItemKind.YES_NO})


def value_key(value: Any) -> tuple[str, Any]:
    """A key under which two values are equal exactly when :func:`~silkcore._answers.same_value`
    says so: ``true`` is not ``1``, ``"1"`` is not ``1``, but ``1`` is ``1.0``."""
    kind = type(value)
    if kind is bool:
        return ("b", value)
    if kind is int or kind is float:
        return ("n", value)
    return (kind.__name__, value)


@attrs.frozen
class ItemRules:
    """One item with its answers to the scorer's questions."""

    item: Item
    scored: bool
    #: For choice-like items: option key -> score (None: the option has no score).
    option_scores: dict[tuple[str, Any], float | None] | None
    #: How a scored answer is scored, for the trace.
    how: str
    #: One respondent's trace entries by what decides them (see ``scoring._single_result``):
    #: the same answer to the same item always gives the same entry, so it is made once.
    entries: BoundedMemo = attrs.field(factory=lambda: BoundedMemo(_REMEMBERED), eq=False, repr=False)
    #: Verdicts on answer values already checked for this item (see ``ScoringIndex.problem``).
    verdicts: BoundedMemo = attrs.field(factory=lambda: BoundedMemo(_REMEMBERED), eq=False, repr=False)


class LastSound:
    """The last response set found sound against one framework, held by identity.

    A response set is checked when it is read (:func:`silkcore._documents.check`) and again
    by the scorer, which cannot know it was; entities are frozen, so the same object found
    sound a moment ago is sound still and the second check is skipped (batch scoring: one
    check a line, not two). One slot: memory stays flat, and a set checked by another
    thread in between is simply checked again."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value: object = None


@attrs.frozen
class ScoringIndex:
    """Every item's rules by id, and the categories by id."""

    framework: Framework
    items: dict[str, ItemRules]
    categories: dict[str, Category]
    last_sound: LastSound = attrs.field(factory=LastSound, eq=False, repr=False)

    def problem(self, rules: ItemRules, value: AnswerValue) -> str | None:
        """Why ``value`` does not fit the item, or None; the verdict and message of
        :func:`~silkcore._answers.answer_problem`, remembered per item and exact value."""
        return rules.verdicts.remember(exact_key(value), answer_problem, self.framework, rules.item, value)  # type: ignore[no-any-return]

    def score(self, rules: ItemRules, value: AnswerValue) -> float | None:
        """The 0..1 score of a fitting answer, as :func:`~silkcore._answers.item_score` gives it."""
        table = rules.option_scores
        if table is None:
            return item_score(self.framework, rules.item, value)
        chosen = value if isinstance(value, tuple) else (value,)
        if not chosen:
            return None
        picked = [table[value_key(v)] or 0.0 for v in chosen]
        score = min(1.0, max(0.0, sum(picked) / len(picked)))
        return 1.0 - score if rules.item.reverse else score


_SCORED_BY_OPTION = ("choice", "multi_choice", "scale", "yes_no")


def _rules(framework: Framework, item: Item) -> ItemRules:
    table = None
    if item.kind in _CHOICE_KINDS or item.kind == ItemKind.MULTI_CHOICE:
        table = {value_key(option.value): option.score for option in framework.options_of(item)}
    how = "option score" if item.kind.value in _SCORED_BY_OPTION else "position in range"
    if item.reverse:
        how += ", reversed (higher answer is worse)"
    return ItemRules(item, framework.is_scored(item), table, how)


def _index(framework: Framework) -> ScoringIndex:
    return ScoringIndex(
        framework,
        {item.id: _rules(framework, item) for item in framework.items},
        {category.id: category for category in framework.categories},
    )


#: The index of a framework, built on first use and kept while the framework object lives.
scoring_index: PerObject[Framework, ScoringIndex] = PerObject(_index)
