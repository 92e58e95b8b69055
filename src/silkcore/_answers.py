"""Checking one answer against its item, evaluating applicability rules, and the one notion
of answer equality they (and scoring) share.

Kept apart from aggregation (:mod:`silkcore._scoring`) because both the generic scorer and
the CLI's interactive paths need to know whether an answer fits an item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from typing import Any

from ._assessment import AnswerValue
from ._framework import NUMERIC_KINDS, ApplicabilityRule, Condition, Framework, Item, ItemKind

__all__ = ["PROBLEMS", "answer_key", "answer_problem", "rule_holds", "same_value"]


def N_(message: str) -> str:
    """Mark a message template for translation (extracted with Babel by the web questionnaire,
    which shows these messages in the page's language); the core words them in English."""
    return message


# The problems one answer can have, as templates: the same words everywhere (CLI, node, web),
# and one list the web questionnaire translates.
EXPECTED_NUMBER = N_("expected a number for a {kind} item")
OUT_OF_RANGE = N_("{value} is outside the item's range {low}..{high}")
EXPECTED_TEXT = N_("expected text")
EXPECTED_DATE = N_("expected a date (YYYY-MM-DD)")
NOT_A_DATE = N_("{value} is not a date (YYYY-MM-DD)")
EXPECTED_OPTION_LIST = N_("expected a list of option values")
NOT_AMONG_OPTIONS = N_("{wrong} not among the options {allowed}")
NOT_AN_OPTION = N_("{value} is not one of the options {allowed}")
PROBLEMS = (
    EXPECTED_NUMBER,
    OUT_OF_RANGE,
    EXPECTED_TEXT,
    EXPECTED_DATE,
    NOT_A_DATE,
    EXPECTED_OPTION_LIST,
    NOT_AMONG_OPTIONS,
    NOT_AN_OPTION,
)


def _is_number(value: Any) -> bool:
    return type(value) in (int, float)


def answer_problem(framework: Framework, item: Item, value: AnswerValue) -> str | None:
    """Why ``value`` is not a valid answer to ``item``, or None if it is."""
    kind = item.kind
    if kind in NUMERIC_KINDS:
        if not _is_number(value):
            return EXPECTED_NUMBER.format(kind=kind.value)
        low = 0.0 if kind == ItemKind.PERCENTAGE and item.min is None else item.min
        high = 100.0 if kind == ItemKind.PERCENTAGE and item.max is None else item.max
        if (low is not None and value < low) or (high is not None and value > high):  # type: ignore[operator]
            return OUT_OF_RANGE.format(value=value, low=low, high=high)
        return None
    if kind in (ItemKind.TEXT, ItemKind.LINK):
        return None if type(value) is str else EXPECTED_TEXT
    if kind == ItemKind.DATE:
        if type(value) is not str:
            return EXPECTED_DATE
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return NOT_A_DATE.format(value=repr(value))
        return None
    allowed = [o.value for o in framework.options_of(item)]
    if kind == ItemKind.MULTI_CHOICE:
        if not isinstance(value, tuple):
            return EXPECTED_OPTION_LIST
        wrong = [v for v in value if not any(same_value(v, a) for a in allowed)]
        return NOT_AMONG_OPTIONS.format(wrong=repr(wrong), allowed=repr(allowed)) if wrong else None
    if not any(same_value(value, a) for a in allowed):
        return NOT_AN_OPTION.format(value=repr(value), allowed=repr(allowed))
    return None


def answer_key(value: object) -> Hashable:
    """The one notion of answer equality: two answers are the same answer exactly when their
    keys are equal (and a key can index a dict or a set, e.g. an item's options).

    No coercion: ``true`` is not ``1`` and ``"1"`` is not ``1``; a number is its value, so an
    integer and a float with the same value are the same number (``1`` is ``1.0``, ``0.0`` is
    ``-0.0``); lists are compared element by element. Options, applicability conditions,
    framework checks, scoring and the consolidation of several respondents all use it.

    How a value is *written* (``1`` or ``1.0``) is another matter, for outputs: a trace entry
    shows the value as given (the scoring plan's tables of entries are keyed by exact type)."""
    kind = type(value)
    if kind is int or kind is float:
        return (float, value)
    if kind is tuple or kind is list:
        return (tuple, tuple(map(answer_key, value)))  # type: ignore[call-overload]
    return (kind, value)


def same_value(a: object, b: object) -> bool:
    """Whether two values are the same answer (see :func:`answer_key`)."""
    return answer_key(a) == answer_key(b)


def _condition_holds(condition: Condition, answers: Mapping[str, AnswerValue]) -> bool:
    if condition.item not in answers:
        return False
    answer = answers[condition.item]
    op = condition.operator
    if op == "answered":
        return True
    if op in ("equals", "not_equals"):
        return same_value(answer, condition.value) == (op == "equals")
    if op in ("in", "not_in"):
        return any(same_value(answer, v) for v in condition.values) == (op == "in")
    if op == "contains":
        return isinstance(answer, tuple) and any(same_value(v, condition.value) for v in answer)
    if op in ("at_least", "at_most") and _is_number(answer) and _is_number(condition.value):
        return answer >= condition.value if op == "at_least" else answer <= condition.value  # type: ignore[operator]
    return False


def rule_holds(rule: ApplicabilityRule | None, answers: Mapping[str, AnswerValue]) -> bool:
    """Whether an item with this rule is asked, given earlier answers (no rule: always)."""
    if rule is None:
        return True
    results = (_condition_holds(c, answers) for c in rule.conditions)
    return all(results) if rule.mode == "all" else any(results)
