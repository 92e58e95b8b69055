"""What scoring needs to know about a framework's items, worked out once per framework.

Scoring a response set asks the same questions of every item again and again: is it
scored, which options does it have (a referenced scale resolved), what does each option
score, which category is it in. The answers depend on the framework alone, so they are
computed once per framework object and then looked up, which makes a batch of thousands of
response sets several times faster. Whether an answer fits stays in :mod:`silkcore._answers`
(remembered here per item); how a fitting answer scores is :meth:`ScoringIndex.score`.
"""

from __future__ import annotations

from typing import Any

import attrs

from ._answers import answer_key, answer_problem
from ._assessment import AnswerValue
from ._framework import NUMERIC_KINDS, OPTION_KINDS, Category, Framework, Item
from ._objcache import BoundedMemo, PerObject, exact_key

__all__ = ["ItemRules", "LastSound", "ScoringIndex", "scoring_index"]

_REMEMBERED = 512  # trace entries and verdicts kept per item


@attrs.frozen
class ItemRules:
    """One item with its answers to the scorer's questions."""

    item: Item
    scored: bool
    #: For items answered with options: option (by :func:`~silkcore._answers.answer_key`)
    #: -> score (None: the option has no score). None for other items.
    option_scores: dict[Any, float | None] | None
    #: The rule a scored answer is scored by, as the trace names it: "option score",
    #: "position in range" or "distance to target", and whether it is reversed.
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
        """The 0..1 score of an answer that fits its item (reverse items inverted), by the rule
        :attr:`ItemRules.how` names; None for an empty selection. The one scoring of an answer.

        * option score: the chosen option's score (the mean over a multiple choice; an
          option without a score counts 0);
        * position in range: ``(value - min) / (max - min)``;
        * distance to target: 1 at the target, falling linearly to 0 at the farther bound."""
        item = rules.item
        table = rules.option_scores
        if table is not None:
            chosen = value if isinstance(value, tuple) else (value,)
            if not chosen:
                return None
            picked = [table[answer_key(v)] or 0.0 for v in chosen]
            score = sum(picked) / len(picked)
        else:
            low, high, target = item.min, item.max, item.target
            assert low is not None and high is not None and type(value) in (int, float)
            number = float(value)  # type: ignore[arg-type]
            if target is not None:
                reach = max(target - low, high - target)
                score = 1.0 - abs(number - target) / reach if reach else 1.0
            else:
                score = (number - low) / (high - low)
        score = min(1.0, max(0.0, score))
        return 1.0 - score if item.reverse else score


def _rules(framework: Framework, item: Item) -> ItemRules:
    table = None
    if item.kind in OPTION_KINDS:
        table = {answer_key(option.value): option.score for option in framework.options_of(item)}
        how = "option score"
    elif item.kind in NUMERIC_KINDS and item.target is not None:
        how = "distance to target"
    else:
        how = "position in range"
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
