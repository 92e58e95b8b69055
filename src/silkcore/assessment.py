"""Answers and results: response sets, score cards and findings."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar

import attrs

from .model import Evidence, OrgRef

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


@attrs.frozen
class Respondent:
    """Who answered (a role, and optionally a name)."""

    role: str
    name: str | None = None


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
