"""Answers and results: response sets, score cards and findings.

Each entity checks its fields when built (see :mod:`silkcore._model`): a confidence outside
0..1, a response with neither a value nor a status (or both), an answer value no document
could hold, a score card number out of range or a field of the wrong type is a
:class:`~silkcore._errors.DataError` pointing at the field, raised by the constructor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, ClassVar

import attrs

from ._errors import DataError, Issue
from ._jsonio import string_issue
from ._model import (
    Evidence,
    OrgRef,
    Rule,
    check_fields,
    instance_of,
    is_bool,
    is_count,
    is_str,
    is_unit,
    opt_count,
    opt_instance_of,
    opt_str,
    opt_unit,
    shown,
    tuple_of,
)

__all__ = [
    "AnswerStatus",
    "CategoryScore",
    "Finding",
    "FindingKind",
    "Respondent",
    "Response",
    "ResponseSet",
    "ScoreCard",
    "TraceEntry",
    "TraceStatus",
]

AnswerValue = str | bool | int | float | tuple[str | int, ...]

# What a document can hold (the response set schema's answer_value), so an answer given in
# Python can always be written out. Integers stop at CPython's 4,300-digit limit for turning
# an int into text (the strict reader's own limit is lower by default, and configurable).
_MAX_TEXT = 20000
_MAX_CHOICES = 200
_MAX_CHOICE_TEXT = 200
_MAX_INT_DIGITS = 4300
_INT_LIMIT = 10**_MAX_INT_DIGITS
_INF = float("inf")
ANSWER_VALUE_WANTED = (
    "a string, a boolean, a finite number, or a tuple of distinct strings and integers"
    f" (strings of at most {_MAX_TEXT} characters, at most {_MAX_CHOICES} choices"
    f" of at most {_MAX_CHOICE_TEXT} characters, integers of at most {_MAX_INT_DIGITS} digits;"
    " no NUL character or lone surrogate in text)"
)


def is_answer_value(value: Any) -> bool:
    """Whether ``value`` is an answer a response set document can hold (see ``ANSWER_VALUE_WANTED``)."""
    kind = type(value)
    if kind is str:
        return len(value) <= _MAX_TEXT and string_issue(value) is None
    if kind is bool:
        return True
    if kind is int or kind is float:
        within: bool = -_INT_LIMIT < value < _INT_LIMIT if kind is int else -_INF < value < _INF
        return within
    if kind is tuple:
        return (
            len(value) <= _MAX_CHOICES
            and all(
                (type(v) is str and len(v) <= _MAX_CHOICE_TEXT and string_issue(v) is None)
                or (type(v) is int and -_INT_LIMIT < v < _INT_LIMIT)
                for v in value
            )
            and len(set(value)) == len(value)
        )
    return False


def _opt_answer_value(value: Any) -> bool:
    return value is None or is_answer_value(value)


class AnswerStatus(StrEnum):
    """An answer that is not a value: the item does not apply, or the answer is not known."""

    NOT_APPLICABLE = "not_applicable"
    UNKNOWN = "unknown"


@attrs.frozen
class Response:
    """One answer: a ``value`` or a ``status``, with optional comment, evidence, confidence (0..1)."""

    item_id: str
    value: AnswerValue | None = None
    status: AnswerStatus | None = None
    comment: str | None = None
    evidence: tuple[Evidence, ...] = ()
    confidence: float | None = None

    def __attrs_post_init__(self) -> None:
        if (self.value is None) != (self.status is None):
            check_fields(self, _RESPONSE_RULES)
        elif self.value is None:
            check_fields(self, _RESPONSE_RULES, ("value", "a response needs a value or a status (not_applicable, unknown)"))
        else:
            check_fields(self, _RESPONSE_RULES, ("status", "a response has a value or a status, not both"))


_RESPONSE_RULES: tuple[Rule, ...] = (
    ("item_id", is_str, "a string"),
    ("value", _opt_answer_value, ANSWER_VALUE_WANTED + ", or None"),
    ("status", opt_instance_of(AnswerStatus), "an AnswerStatus or None"),
    ("comment", opt_str, "a string or None"),
    ("evidence", tuple_of(Evidence), "a tuple of Evidence"),
    ("confidence", opt_unit, "a number from 0 to 1, or None"),
)


@attrs.frozen
class Respondent:
    """Who answered (a role, and optionally a name)."""

    role: str
    name: str | None = None

    def __attrs_post_init__(self) -> None:
        check_fields(self, _RESPONDENT_RULES)


_RESPONDENT_RULES: tuple[Rule, ...] = (("role", is_str, "a string"), ("name", opt_str, "a string or None"))


def _aware_datetime(value: Any) -> bool:
    return value is None or (isinstance(value, dt.datetime) and value.tzinfo is not None)


@attrs.frozen
class ResponseSet:
    """One respondent's answers to one framework for one organisation."""

    SCHEMA: ClassVar[str] = "silkcore_response_set-v1.0.0"

    framework_id: str
    framework_version: str
    subject: OrgRef
    responses: tuple[Response, ...]
    response_set_id: str | None = None
    mode: str | None = None
    respondent: Respondent | None = None
    collected_at: dt.datetime | None = None
    language: str | None = None
    illustrative: bool = False
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        check_fields(self, _RESPONSE_SET_RULES)


_RESPONSE_SET_RULES: tuple[Rule, ...] = (
    ("framework_id", is_str, "a string"),
    ("framework_version", is_str, "a string"),
    ("subject", instance_of(OrgRef), "an OrgRef"),
    ("responses", tuple_of(Response), "a tuple of Response"),
    ("response_set_id", opt_str, "a string or None"),
    ("mode", opt_str, "a string or None"),
    ("respondent", opt_instance_of(Respondent), "a Respondent or None"),
    ("collected_at", _aware_datetime, "a datetime with a time zone, or None"),
    ("language", opt_str, "a string or None"),
    ("illustrative", is_bool, "True or False"),
    ("note", opt_str, "a string or None"),
)


def response_sets_argument(value: Any) -> list[ResponseSet]:
    """``value`` as a list of response sets, for a function that takes one response set or a
    sequence of them; a :class:`DataError` pointing at what is not one (``""`` for the argument
    itself, ``/2`` for its third member). A string, bytes or a mapping is not a sequence of sets."""
    if isinstance(value, ResponseSet):
        return [value]
    if not isinstance(value, Sequence) or isinstance(value, str | bytes | bytearray):
        raise DataError(
            [Issue("", f"expected a ResponseSet or a sequence of them (read documents with load_document), got {shown(value)}")]
        )
    wrong = [
        Issue(f"/{i}", f"expected a ResponseSet, got {shown(v)}") for i, v in enumerate(value) if not isinstance(v, ResponseSet)
    ]
    if wrong:
        raise DataError(wrong)
    return list(value)


class FindingKind(StrEnum):
    """What a finding points out."""

    WEAK_ITEM = "weak_item"
    LOW_COVERAGE = "low_coverage"
    DISAGREEMENT = "disagreement"
    NOTE = "note"


@attrs.frozen
class Finding:
    """Something a reader should look at: a weak item, thin coverage, disagreeing respondents."""

    kind: FindingKind
    message: str
    item_id: str | None = None
    category: str | None = None
    score: float | None = None

    def __attrs_post_init__(self) -> None:
        check_fields(self, _FINDING_RULES)


_FINDING_RULES: tuple[Rule, ...] = (
    ("kind", instance_of(FindingKind), "a FindingKind"),
    ("message", is_str, "a string"),
    ("item_id", opt_str, "a string or None"),
    ("category", opt_str, "a string or None"),
    ("score", opt_unit, "a number from 0 to 1, or None"),
)


@attrs.frozen
class CategoryScore:
    """A category's score (None when nothing in it could be scored), coverage and confidence."""

    id: str
    score: float | None
    coverage: float
    confidence: float | None = None
    applicable_items: int = 0
    scored_items: int = 0
    spread: float | None = None

    def __attrs_post_init__(self) -> None:
        check_fields(self, _CATEGORY_SCORE_RULES)


_CATEGORY_SCORE_RULES: tuple[Rule, ...] = (
    ("id", is_str, "a string"),
    ("score", opt_unit, "a number from 0 to 1, or None"),
    ("coverage", is_unit, "a number from 0 to 1"),
    ("confidence", opt_unit, "a number from 0 to 1, or None"),
    ("applicable_items", is_count, "a whole number, 0 or more"),
    ("scored_items", is_count, "a whole number, 0 or more"),
    ("spread", opt_unit, "a number from 0 to 1, or None"),
)


class TraceStatus(StrEnum):
    """What happened to an item when scoring."""

    SCORED = "scored"
    DESCRIPTIVE = "descriptive"
    NOT_APPLICABLE = "not_applicable"
    UNKNOWN = "unknown"
    UNANSWERED = "unanswered"
    NOT_ASKED = "not_asked"


@attrs.frozen
class TraceEntry:
    """How one item contributed to its category's score, and why."""

    item_id: str
    category: str
    status: TraceStatus
    score: float | None
    weight: float
    reason: str
    value: AnswerValue | None = None
    confidence: float | None = None
    respondents: int | None = None
    spread: float | None = None

    def __attrs_post_init__(self) -> None:
        check_fields(self, _TRACE_ENTRY_RULES)


def _weight(value: Any) -> bool:
    return (type(value) is float or type(value) is int) and 0 <= value < _INF


_TRACE_ENTRY_RULES: tuple[Rule, ...] = (
    ("item_id", is_str, "a string"),
    ("category", is_str, "a string"),
    ("status", instance_of(TraceStatus), "a TraceStatus"),
    ("score", opt_unit, "a number from 0 to 1, or None"),
    ("weight", _weight, "a finite number, 0 or more"),
    ("reason", is_str, "a string"),
    ("value", _opt_answer_value, ANSWER_VALUE_WANTED + ", or None"),
    ("confidence", opt_unit, "a number from 0 to 1, or None"),
    ("respondents", opt_count, "a whole number, 0 or more, or None"),
    ("spread", opt_unit, "a number from 0 to 1, or None"),
)


@attrs.frozen
class ScoreCard:
    """The result of scoring: per-category scores with coverage and confidence, an optional
    overall score, findings, and a trace explaining every number."""

    SCHEMA: ClassVar[str] = "silkcore_scorecard-v1.0.0"

    framework_id: str
    framework_version: str
    framework_hash: str
    subject: OrgRef
    categories: tuple[CategoryScore, ...]
    overall: float | None
    coverage: float
    findings: tuple[Finding, ...]
    trace: tuple[TraceEntry, ...]
    response_set_ids: tuple[str, ...] = ()
    respondents: int | None = None
    profile: dict[str, AnswerValue] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        check_fields(self, _SCORE_CARD_RULES)

    def category(self, category_id: str) -> CategoryScore:
        """The score of one category; KeyError if absent."""
        for category in self.categories:
            if category.id == category_id:
                return category
        raise KeyError(category_id)

    def _repr_html_(self) -> str:
        """Render as an HTML table in Jupyter."""
        from html import escape

        rows = "".join(
            f"<tr><td>{escape(c.id)}</td><td>{'-' if c.score is None else f'{c.score:.2f}'}</td><td>{c.coverage:.0%}</td></tr>"
            for c in self.categories
        )
        return (
            f"<table><caption>{escape(self.framework_id)} {escape(self.framework_version)} - "
            f"{escape(self.subject.name or self.subject.org_id)}</caption>"
            f"<tr><th>category</th><th>score</th><th>coverage</th></tr>{rows}</table>"
        )


def _respondent_count(value: Any) -> bool:
    return value is None or (type(value) is int and value >= 1)


def _profile(value: Any) -> bool:
    return type(value) is dict and all(type(k) is str and is_answer_value(v) for k, v in value.items())


_SCORE_CARD_RULES: tuple[Rule, ...] = (
    ("framework_id", is_str, "a string"),
    ("framework_version", is_str, "a string"),
    ("framework_hash", is_str, "a string"),
    ("subject", instance_of(OrgRef), "an OrgRef"),
    ("categories", tuple_of(CategoryScore), "a tuple of CategoryScore"),
    ("overall", opt_unit, "a number from 0 to 1, or None"),
    ("coverage", is_unit, "a number from 0 to 1"),
    ("findings", tuple_of(Finding), "a tuple of Finding"),
    ("trace", tuple_of(TraceEntry), "a tuple of TraceEntry"),
    ("response_set_ids", tuple_of(str), "a tuple of strings"),
    ("respondents", _respondent_count, "a whole number, 1 or more, or None"),
    ("profile", _profile, "a dict of item id -> answer value"),
)
