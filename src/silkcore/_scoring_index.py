"""A framework compiled once into a scoring plan: what the check and the scorer ask of each item.

Per item the plan holds its kind, whether it is scored, its option scores (in tables by the
answer's type, so ``True`` never finds option ``1`` and ``1.0`` finds it), its range, target,
reverse flag, weight and applicability rule, the words its trace entries use, and one
respondent's outcomes (:data:`Outcome`: the trace entry, with its status, score and
confidence held apart) wherever they can be told in advance: not asked, unanswered, not
applicable, unknown, an option chosen (per confidence, made on first use), a descriptive
answer up to its value. Per category it holds its items with their places in the trace and
how its score combines theirs (:class:`CategoryPlan`), so the scorer makes the trace and the
category scores in one pass. A framework is frozen, so its plan is compiled on first use and
kept while the framework object lives. Whether an answer fits stays
:func:`silkcore._answers.answer_problem`'s to say (the plan only recognises, in a table
look-up, the answers that plainly fit); how a fitting answer scores is :meth:`ItemPlan.score`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import pairwise
from operator import mul
from typing import Any

from ._answers import answer_key, answer_problem
from ._assessment import AnswerValue, TraceStatus
from ._fastpath import value_sound
from ._framework import (
    NUMERIC_KINDS,
    OPTION_KINDS,
    Aggregation,
    ApplicabilityRule,
    Category,
    Framework,
    Item,
    ItemKind,
    NotApplicablePolicy,
    ScoringPolicy,
    UnknownPolicy,
)
from ._framework_data import framework_hash
from ._jsonio import written_once
from ._objcache import PerObject

__all__ = [
    "COMBINE",
    "Answer",
    "CategoryPlan",
    "Confidences",
    "Outcome",
    "answer_value",
    "ItemPlan",
    "ItemResult",
    "LastSound",
    "ScoringPlan",
    "consolidate",
    "item_result",
    "scoring_plan",
    "trace_entry",
]

# Kinds of check an item's answers get (see ItemPlan.fits).
_OPTIONS, _MULTI, _NUMBER, _TEXT, _DATE = range(5)


def trace_entry(
    item: Item,
    status: TraceStatus,
    score: float | None,
    reason: str,
    value: AnswerValue | list[Any] | None = None,
    confidence: float | None = None,
    respondents: int | None = None,
    spread: float | None = None,
) -> dict[str, Any]:
    """A trace entry as the score card document writes it: keys in the entity's order, an
    optional field left out when it holds its default (None), a list of choices as a list.
    The weight of an item not asked is 0."""
    entry: dict[str, Any] = {
        "item_id": item.id,
        "category": item.category,
        "status": status._value_,
        "score": score,
        "weight": item.weight if status is not TraceStatus.NOT_ASKED else 0.0,
        "reason": reason,
    }
    if value is not None:
        entry["value"] = list(value) if type(value) is tuple else value
    if confidence is not None:
        entry["confidence"] = confidence
    if respondents is not None:
        entry["respondents"] = respondents
    if spread is not None:
        entry["spread"] = spread
    return entry


class ItemPlan:
    """One item compiled: its rules, words and the outcomes one respondent's answer can be told in advance to give."""

    __slots__ = (
        "by_type",
        "category",
        "check",
        "counted",
        "described_options",
        "description",
        "fixed",
        "high",
        "how",
        "id",
        "item",
        "low",
        "not_asked",
        "one_of",
        "policy",
        "reverse",
        "rule",
        "scored",
        "scored_options",
        "target",
        "text",
        "unanswered",
        "weight",
    )

    def __init__(self, framework: Framework, item: Item) -> None:
        self.item = item
        self.id = item.id
        self.category = item.category
        self.scored = framework.is_scored(item)
        self.rule: ApplicabilityRule | None = item.applies_if
        self.reverse = item.reverse
        self.target = item.target
        self.weight = item.weight
        self.policy = framework.scoring
        #: The item's text in the framework's language, for the findings about it.
        self.text = item.text.get(framework.default_language or "en") or next(iter(item.text.values()))
        #: Whether the item counts towards its category's coverage (in a scored category only
        #: scored items do).
        self.counted = self.scored or not any(c.id == item.category and c.scored for c in framework.categories)
        kind = item.kind
        #: For items answered with options: the answer's type -> option value -> score (None:
        #: the option has no score, which counts 0). Integers and floats share one table
        #: (``1`` and ``1.0`` are one answer); booleans and strings have their own.
        self.by_type: dict[type, dict[Any, float | None]] | None = None
        #: ``by_type`` for an item answered with one option (what the check looks up inline).
        self.one_of: dict[type, dict[Any, float | None]] | None = None
        if kind in OPTION_KINDS:
            numbers: dict[Any, float | None] = {}
            tables: dict[type, dict[Any, float | None]] = {str: {}, bool: {}, int: numbers, float: numbers}
            for option in framework.options_of(item):
                tables[type(option.value)][option.value] = option.score  # the last of two equal options wins
            self.by_type = tables
            self.how = "option score"
            self.check = _MULTI if kind == ItemKind.MULTI_CHOICE else _OPTIONS
            if self.check == _OPTIONS:
                # Only values that surely build an entity are settled by this look-up: the check
                # then skips their soundness (an option of a framework built in Python may hold a
                # NUL; its answers take the general way, and are found not buildable there).
                sound = {id(table): {v: s for v, s in table.items() if value_sound(v)} for table in tables.values()}
                self.one_of = {kind: sound[id(table)] for kind, table in tables.items()}
        elif kind in NUMERIC_KINDS:
            self.how = "distance to target" if item.target is not None else "position in range"
            self.check = _NUMBER
        else:
            self.how = "position in range"
            self.check = _DATE if kind == ItemKind.DATE else _TEXT
        if item.reverse:
            self.how += ", reversed (higher answer is worse)"
        percentage = kind == ItemKind.PERCENTAGE
        self.low = 0.0 if percentage and item.min is None else item.min
        self.high = 100.0 if percentage and item.max is None else item.max
        self._compile_outcomes(framework)

    def _compile_outcomes(self, framework: Framework) -> None:
        """What one respondent's answer gives when it can be told in advance (what
        :func:`consolidate` gives for one respondent, made once), as :data:`Outcome`s: the item
        not asked or not answered; answered "not_applicable" or "unknown" when the policy
        leaves it unscored; and answered with an option, by the value as written (exact type:
        the entry shows the value, so ``3.0`` does not find option ``3`` here), a scored
        option's by the answer's confidence too."""
        policy, item = self.policy, self.item
        self.not_asked = _kept(consolidate(self, [item_result(policy, self, None, False)]))
        self.unanswered = _kept(consolidate(self, [item_result(policy, self, None, True)]))
        self.fixed: dict[str, Outcome] = {}
        for status in ("not_applicable", "unknown"):
            result = item_result(policy, self, {"item_id": item.id, "status": status}, True)
            if result[1] is None:  # not scored by policy: the entry holds no confidence
                self.fixed[status] = _kept(consolidate(self, [result]))
        self.described_options: dict[type, dict[Any, Outcome]] = {}
        self.scored_options: dict[type, dict[Any, Confidences]] = {}
        #: An unscored item's entry for any value, up to the value (which the answer gives).
        self.description: dict[str, Any] = {}
        if not self.scored:
            entry = consolidate(self, [item_result(policy, self, {"item_id": item.id, "value": ""}, True)])
            self.description = {k: v for k, v in entry.items() if k != "value" and k != "respondents"}
        if self.by_type is not None and self.check == _OPTIONS:
            for option in framework.options_of(item):
                kind = type(option.value)
                if kind is str or kind is bool or kind is int:
                    answer = {"item_id": item.id, "value": option.value}
                    entry = consolidate(self, [item_result(policy, self, answer, True)])
                    if self.scored:
                        self.scored_options.setdefault(kind, {})[option.value] = Confidences(entry)
                    else:
                        self.described_options.setdefault(kind, {})[option.value] = _kept(entry)

    def outcome(self, response: Answer | None) -> Outcome:
        """One respondent's outcome for the item (asked), ``response`` being their answer or
        None: compiled in advance when it can be, else :func:`consolidate` of their result."""
        if response is None:
            return self.unanswered
        status = response.get("status")
        if status is None:
            value = response["value"]
            if self.scored:
                scored = self.scored_options.get(type(value))
                if scored is not None:
                    by_confidence = scored.get(value)
                    if by_confidence is not None:
                        confidence = response.get("confidence")
                        if confidence is None:
                            confidence = _EVIDENCE_CONFIDENCE if response.get("evidence") else _DEFAULT_CONFIDENCE
                        return by_confidence[confidence]
            else:
                described = self.described_options.get(type(value))
                if described is not None:
                    found = described.get(value)
                    if found is not None:
                        return found
                if value is not None:
                    return self._described(value)
        else:
            found = self.fixed.get(status)
            if found is not None:
                return found
        return _outcome(consolidate(self, [item_result(self.policy, self, response, True)]))

    def _described(self, value: Any) -> Outcome:
        """An unscored item's outcome for any value: its entry with the value as given (a
        list of choices as a list of its own)."""
        entry = self.description.copy()
        entry["value"] = list(value) if type(value) is list or type(value) is tuple else value
        entry["respondents"] = 1
        return entry, _DESCRIBED, None, None, entry

    def fits(self, value: AnswerValue) -> bool:
        """Whether ``value`` plainly fits the item (when in doubt, False: then
        :func:`~silkcore._answers.answer_problem` decides, and words why)."""
        check = self.check
        kind = type(value)
        if check == _OPTIONS:
            table = self.by_type.get(kind) if self.by_type is not None else None
            return table is not None and value in table
        if check == _NUMBER:
            if kind is not int and kind is not float:
                return False
            low, high = self.low, self.high
            return (low is None or value >= low) and (high is None or value <= high)  # type: ignore[operator]
        if check == _TEXT:
            return kind is str
        if check == _MULTI:
            if kind is not tuple or self.by_type is None:
                return False
            by_type = self.by_type
            for choice in value:  # type: ignore[union-attr]
                table = by_type.get(type(choice))
                if table is None or choice not in table:
                    return False
            return True
        if kind is not str:
            return False
        try:
            dt.date.fromisoformat(value)  # type: ignore[arg-type]
        except ValueError:
            return False
        return True

    def score(self, value: AnswerValue) -> float | None:
        """The 0..1 score of an answer that fits the item (reverse items inverted), by the rule
        :attr:`how` names; None for an empty selection. The one scoring of an answer.

        * option score: the chosen option's score (the mean over a multiple choice; an
          option without a score counts 0);
        * position in range: ``(value - min) / (max - min)``;
        * distance to target: 1 at the target, falling linearly to 0 at the farther bound."""
        by_type = self.by_type
        if by_type is not None:
            chosen = value if type(value) is tuple else (value,)
            if not chosen:
                return None
            picked = [by_type[type(v)][v] or 0.0 for v in chosen]  # type: ignore[union-attr]
            score = sum(picked) / len(picked)
        else:
            item = self.item
            low, high, target = item.min, item.max, item.target
            assert low is not None and high is not None and type(value) in (int, float)
            number = float(value)  # type: ignore[arg-type]
            if target is not None:
                reach = max(target - low, high - target)
                score = 1.0 - abs(number - target) / reach if reach else 1.0
            else:
                score = (number - low) / (high - low)
        score = min(1.0, max(0.0, score))
        return 1.0 - score if self.reverse else score


_SCORED, _DESCRIPTIVE = TraceStatus.SCORED, TraceStatus.DESCRIPTIVE
_NOT_ASKED, _UNANSWERED = TraceStatus.NOT_ASKED, TraceStatus.UNANSWERED
# Placeholder answers for the entries compiled in advance.
# No score: the most informative status wins (an answer beats a reason for none).
_STATUS_RANK = {
    status: rank
    for rank, status in enumerate((_DESCRIPTIVE, TraceStatus.NOT_APPLICABLE, TraceStatus.UNKNOWN, _UNANSWERED, _NOT_ASKED))
}
_DEFAULT_CONFIDENCE = 0.5
_EVIDENCE_CONFIDENCE = 0.75
_MAX_REASON = 2000  # the score card schema's limit for a trace entry's reason
_MAX_CHOICES = 200  # ... and for an answer value that is a list, and each string in it
_MAX_CHOICE_TEXT = 200

#: One answer as its response set document writes it (``item_id``, ``value`` or ``status``,
#: ``comment``, ``evidence``, ``confidence``): what the check and the scorer read, whether the
#: response set was read from a document or built in Python (see ``scoring.answers_of``).
Answer = dict[str, Any]


def answer_value(response: Answer) -> AnswerValue | None:
    """The answer's value, a list of choices read as the tuple an entity holds."""
    value = response.get("value")
    return tuple(value) if type(value) is list else value


#: One respondent's outcome for one item: (status, score, value, confidence, reason).
ItemResult = tuple[TraceStatus, float | None, AnswerValue | None, float | None, str]

#: An item's trace entry with what the category scores are made of: its status (the
#: member's own string, compared by identity), score and confidence, held apart so that the
#: scorer reads them without a dict look-up (a score and a confidence are there exactly when
#: the status is "scored"); last, the entry as a line writes it: for an outcome kept in the
#: plan, its JSON made once (:func:`~silkcore._jsonio.written_once`: thousands of cards share
#: it and write it as these bytes), else the entry itself.
Outcome = tuple[dict[str, Any], str, float | None, float | None, Any]


_DESCRIBED = _DESCRIPTIVE._value_


def _outcome(entry: dict[str, Any]) -> Outcome:
    """The outcome of an entry made for one card."""
    return entry, entry["status"], entry["score"], entry.get("confidence"), entry


def _kept(entry: dict[str, Any]) -> Outcome:
    """The outcome of an entry kept in the plan, shared by every card with that answer."""
    return entry, entry["status"], entry["score"], entry.get("confidence"), written_once(entry)


def _r(value: float) -> float:
    return round(value, 6)


#: ``_r(0.0 + c)`` of the confidences written with at most two decimals (0, 0.05, 0.8, 1...),
#: looked up: rounding a float is what costs most in a scored answer's entry. A fixed table
#: (``1`` finds ``1.0``; ``-0.0`` finds ``0.0``), never added to.
_HUNDREDTHS: dict[float, float] = {i / 100: _r(0.0 + i / 100) for i in range(101)}


def confidence_of(response: Answer) -> float:
    """An answer's confidence: as given, else 0.75 when it cites evidence, else 0.5."""
    confidence = response.get("confidence")
    if confidence is not None:
        return confidence  # type: ignore[no-any-return]
    return _EVIDENCE_CONFIDENCE if response.get("evidence") else _DEFAULT_CONFIDENCE


def item_result(policy: ScoringPolicy, item: ItemPlan, response: Answer | None, asked: bool) -> ItemResult:
    """One respondent's outcome for one item, by the framework's policy."""
    if not asked:
        return (_NOT_ASKED, None, None, None, "not asked: its applicability rule does not hold")
    if response is None:
        return (_UNANSWERED, None, None, None, "no answer given; lowers coverage, not the score")
    scored = item.scored
    status = response.get("status")
    if status is not None:
        if status == "not_applicable":
            if scored and policy.not_applicable == NotApplicablePolicy.ZERO:
                return (_SCORED, 0.0, None, confidence_of(response), "not applicable, counted as 0 by policy")
            if scored and policy.not_applicable == NotApplicablePolicy.AT_TARGET:
                return (_SCORED, 1.0, None, confidence_of(response), "not applicable, counted as at target by policy")
            return (TraceStatus.NOT_APPLICABLE, None, None, None, "not applicable: left out of the score, lowers coverage")
        if scored and policy.unknown == UnknownPolicy.ZERO:
            return (_SCORED, 0.0, None, confidence_of(response), "unknown, counted as 0 by policy")
        return (TraceStatus.UNKNOWN, None, None, None, "unknown: left out of the score, lowers coverage")
    value = answer_value(response)
    if not scored:
        return (_DESCRIPTIVE, None, value, None, "descriptive item: part of the profile, not scored")
    assert value is not None
    score = item.score(value)
    if score is None:
        return (_UNANSWERED, None, value, None, "empty selection; lowers coverage")
    return (_SCORED, score, value, confidence_of(response), item.how)


def _bounded(reason: str) -> str:
    return reason if len(reason) <= _MAX_REASON else reason[: _MAX_REASON - 1] + "\u2026"


def _joined_reasons(results: Sequence[ItemResult]) -> str:
    return "; ".join(sorted({r[4] for r in results}))


def _value_order(value: AnswerValue) -> tuple[int, Any, str]:
    """A total order over answer values of mixed types: booleans, numbers, strings, lists."""
    kind = type(value)
    if kind is bool:
        return (0, int(value), "")  # type: ignore[arg-type]
    if kind is int or kind is float:
        return (1, value, repr(value))  # one order for the spellings of one number: 1 before 1.0
    if kind is str:
        return (2, 0, value)  # type: ignore[return-value]
    return (3, 0, json.dumps(list(value)))  # type: ignore[arg-type]


def _choice(value: Any) -> bool:
    return (type(value) is str and len(value) <= _MAX_CHOICE_TEXT) or type(value) is int


def _consolidated_value(tied: list[tuple[str, ItemResult]], reason: str, named: bool) -> tuple[AnswerValue | None, str]:
    """The value and reason of an unscored item several respondents answered.

    Answers are the same or different by :func:`~silkcore._answers.answer_key` (``1`` and
    ``1.0`` are the same answer, shown as the first of their spellings in
    :func:`_value_order`). All the same: that value. Different: every distinct value, sorted,
    as a list when the score card can hold them as one (strings and integers; for lists of
    choices, every choice anyone made), else no value; the reason says who gave which either way."""
    spellings: dict[Any, list[AnswerValue]] = {}
    labels: dict[Any, list[str]] = {}
    for label, result in tied:
        value = result[2]
        if value is not None:
            key = answer_key(value)
            spellings.setdefault(key, []).append(value)
            labels.setdefault(key, []).append(label)
    given = {key: (min(values, key=_value_order), labels[key]) for key, values in spellings.items()}
    if len(given) <= 1:
        return (next(iter(given.values()))[0] if given else None), reason
    distinct = sorted((value for value, _ in given.values()), key=_value_order)
    groups = sorted(given.values(), key=lambda group: _value_order(group[0]))
    who = "; ".join(
        f"{_shown_value(value)} ({_who(labels) if named else f'{len(labels)} respondent(s)'})" for value, labels in groups
    )
    reason = f"{reason}; respondents differ: {who}"
    consolidated: AnswerValue | None = None
    if len(distinct) <= _MAX_CHOICES and all(_choice(v) for v in distinct):
        consolidated = tuple(distinct)  # type: ignore[arg-type]
    elif all(type(v) is tuple for v in distinct):
        union = {answer_key(choice): choice for v in distinct for choice in v}  # type: ignore[union-attr]
        if len(union) <= _MAX_CHOICES:
            consolidated = tuple(sorted(union.values(), key=_value_order))
    return consolidated, reason


def _who(labels: list[str]) -> str:
    """Respondents' labels, sorted, a label shared by several given once with their number."""
    return ", ".join(label if count == 1 else f"{count}\u00d7 {label}" for label, count in sorted(Counter(labels).items()))


def _shown_value(value: AnswerValue) -> str:
    text = json.dumps(list(value) if type(value) is tuple else value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:79] + "\u2026"


def consolidate(item: ItemPlan, results: list[ItemResult], labels: Sequence[str] = ()) -> dict[str, Any]:
    """One trace entry from the results of one or more respondents, the same whatever their order:
    means are exactly rounded sums (``math.fsum``), reasons and values are sorted, and
    respondents are named by ``labels`` (their response set ids or roles), never by position."""
    scored = [r for r in results if r[0] is _SCORED and r[1] is not None]
    if scored:
        scores: list[float] = [r[1] for r in scored]  # type: ignore[misc]
        confidences: list[float] = [r[3] for r in scored if r[3] is not None]
        spread = max(scores) - min(scores) if len(scores) > 1 else None
        reasons = _joined_reasons(scored)
        reason = reasons if len(scored) == 1 else f"mean of {len(scored)} respondents' scores ({reasons})"
        return trace_entry(
            item.item,
            _SCORED,
            _r(0.0 + math.fsum(scores) / len(scores)),
            _bounded(reason),
            scored[0][2] if len(scored) == 1 else None,
            _r(0.0 + math.fsum(confidences) / len(confidences)) if confidences else None,
            len(scored),
            None if spread is None else _r(spread),
        )
    if len(results) == 1:  # one respondent: the value as given, the reason as given
        status, _, value, _, reason = results[0]
        return trace_entry(item.item, status, None, _bounded(reason), value, None, 1)
    best = min(_STATUS_RANK[r[0]] for r in results)
    named = labels or [""] * len(results)
    tied = [(label, r) for label, r in zip(named, results, strict=True) if _STATUS_RANK[r[0]] == best]
    value, reason = _consolidated_value(tied, _joined_reasons([r for _, r in tied]), bool(labels))
    return trace_entry(item.item, tied[0][1][0], None, _bounded(reason), value, None, len(tied))


class Confidences(dict[Any, Outcome]):
    """One respondent's outcomes for one scored option, by the confidence the answer gives
    (or was given: 0.5, 0.75), each made on first use from the option's entry.

    An entry is shared by every card with that answer, like the entries compiled in advance
    (nothing writes into a trace entry). Kept only for the confidences written with at most two
    decimals (at most 101 of them: ``1`` finds ``1.0``); any other is made each time."""

    __slots__ = ("entry",)

    def __init__(self, entry: dict[str, Any]) -> None:
        super().__init__()
        self.entry = {k: v for k, v in entry.items() if k != "confidence" and k != "respondents"}

    def __missing__(self, confidence: float) -> Outcome:
        rounded = _HUNDREDTHS.get(confidence)
        entry = self.entry.copy()  # keys in order: confidence and respondents come last
        entry["confidence"] = _r(0.0 + confidence) if rounded is None else rounded
        entry["respondents"] = 1
        if rounded is None:
            return _outcome(entry)
        outcome = self[confidence] = _kept(entry)
        return outcome


def one_entry(policy: ScoringPolicy, item: ItemPlan, response: Answer | None, asked: bool) -> dict[str, Any]:
    """One respondent's trace entry for an item: :func:`consolidate` of that respondent's
    result, compiled in advance where it can be (:meth:`ItemPlan.outcome`; ``policy`` is the
    framework's own, which the item's plan was compiled with; another is applied afresh)."""
    if policy is not item.policy and policy != item.policy:
        return consolidate(item, [item_result(policy, item, response, asked)])
    return (item.outcome(response) if asked else item.not_asked)[0]


class LastSound:
    """The last response set found sound against one framework, held by identity, with what
    the check found (its answers by item id, whether its entity surely builds).

    A response set is checked when it is read (:func:`silkcore._documents.check`) and again
    by the scorer, which cannot know it was; entities are frozen, so the same object found
    sound a moment ago is sound still and the second check is skipped (batch scoring: one
    check a line, not two), and the scorer takes the answers by item id the check gathered.
    One slot, set and read as one tuple: memory stays flat, and a set checked by another
    thread in between is simply checked again."""

    __slots__ = ("held",)

    def __init__(self) -> None:
        self.held: tuple[object, Any] = (None, None)  # (the set, its CheckedAnswers)


#: How a category combines its item scores (and the framework its category scores), each
#: summing left to right, so the same input always gives the same last digit.
Combine = Callable[[list[float], list[float]], float]


def minimum(scores: list[float], weights: list[float]) -> float:
    """The lowest score."""
    return min(scores)


def mean(scores: list[float], weights: list[float]) -> float:
    """The mean score (also the weighted mean when every weight is 1: ``s * 1.0`` is ``s``
    and the weights sum to their number exactly, so the two give the same float)."""
    return sum(scores) / len(scores)


def weighted_mean(scores: list[float], weights: list[float]) -> float:
    """The weighted mean score."""
    total = sum(weights)
    weighted: float = sum(map(mul, scores, weights))
    return weighted / total


COMBINE: dict[Aggregation, Combine] = {
    Aggregation.MINIMUM: minimum,
    Aggregation.MEAN: mean,
    Aggregation.WEIGHTED_MEAN: weighted_mean,
}


class CategoryPlan:
    """A category compiled: its items with their positions in the trace, how many of them
    count towards its coverage, and how its score combines theirs (the weights gathered only
    when they can change it)."""

    __slots__ = ("category", "combine", "counted", "members", "weighted")

    def __init__(self, framework: Framework, category: Category, items: Sequence[ItemPlan]) -> None:
        self.category = category
        self.members = tuple((position, item) for position, item in enumerate(items) if item.category == category.id)
        self.counted = sum(1 for _, item in self.members if item.counted)
        self.combine = COMBINE[framework.scoring.aggregation]
        self.weighted = self.combine is weighted_mean and any(item.weight != 1.0 for _, item in self.members)
        if self.combine is weighted_mean and not self.weighted:
            self.combine = mean


class ScoringPlan:
    """A framework compiled for checking and scoring: its items in order and by id."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.hash = framework_hash(framework)
        self.items = tuple(ItemPlan(framework, item) for item in framework.items)
        self.by_id = {plan.id: plan for plan in self.items}
        self.categories: dict[str, Category] = {category.id: category for category in framework.categories}
        self.has_rules = any(plan.rule is not None for plan in self.items)
        self.last_sound = LastSound()
        #: The findings on weak answers made so far, by (score, position of the item), for the
        #: scorer to share between cards (see :func:`silkcore._scoring._weakest`).
        self.weak_findings: dict[tuple[float | str, int], dict[str, Any]] = {}
        #: The categories in the framework's order (the scorer's one pass over the items goes
        #: category by category).
        self.groups = tuple(CategoryPlan(framework, category, self.items) for category in framework.categories)
        #: The items of no category (a framework built in Python can have them), with their
        #: positions; and whether the pass meets the others in the trace's order (each
        #: category's items together, in the framework's order).
        met = [position for group in self.groups for position, _ in group.members]
        self.in_order = all(a < b for a, b in pairwise(met))
        grouped = set(met)
        self.ungrouped = tuple((position, item) for position, item in enumerate(self.items) if position not in grouped)

    def problem(self, plan: ItemPlan, value: AnswerValue) -> str | None:
        """Why ``value`` does not fit the item, or None: the verdict and message of
        :func:`~silkcore._answers.answer_problem`, after a table look-up for what plainly fits."""
        if plan.fits(value):
            return None
        return answer_problem(self.framework, plan.item, value)


#: The plan of a framework, compiled on first use and kept while the framework object lives.
scoring_plan: PerObject[Framework, ScoringPlan] = PerObject(ScoringPlan)
