"""The generic scorer for data frameworks, and the ``Scorer`` protocol plugins implement.

How a score card is computed (the same rules are in docs/concepts.md):

1. Each response set is checked against the framework; an answer that does not fit its item
   is a :class:`ScoringError` naming the item, never a silent zero.
2. Per respondent, applicability rules decide which items were asked.
3. Per item: a value gets the option's score, or a linear score over ``min..max`` (or the
   distance to ``target``), inverted for ``reverse`` items. "Not applicable" and "unknown"
   follow the framework's policy (by default they are left out, never counted as zero).
   With several respondents the item score is their mean, and the spread (max - min) is kept;
   descriptive answers that differ are all kept, sorted, with who gave which in the reason.
4. Per category: the weighted mean (or mean, or minimum) of its item scores; ``coverage`` is
   the share of asked items that produced a score (or, in a descriptive category, an answer);
   ``confidence`` is the mean confidence of the scored answers (0.5 when an answer gives none,
   0.75 when it gives none but cites evidence).
5. The overall score is the weighted mean of category scores, only if the framework asks for it.

The same input always gives a byte-identical score card: nothing depends on time or on the
order of the response sets (only the framework's own order counts), and every number is
rounded to 6 decimals.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import attrs

from ._answers import answer_key, rule_holds
from ._assessment import (
    AnswerStatus,
    AnswerValue,
    CategoryScore,
    Finding,
    FindingKind,
    Response,
    ResponseSet,
    ScoreCard,
    TraceEntry,
    TraceStatus,
)
from ._errors import ScoringError
from ._framework import Aggregation, Framework, Item, NotApplicablePolicy, UnknownPolicy
from ._framework_data import framework_hash
from ._model import OrgRef
from ._objcache import exact_key
from ._response_check import response_set_issues
from ._scoring_index import ItemRules, ScoringIndex, scoring_index

__all__ = ["GenericScorer", "Scorer", "assess"]

_DEFAULT_CONFIDENCE = 0.5
# Enum members as module constants: reading ``TraceStatus.SCORED`` goes through the enum's
# descriptor each time, and a score card reads them hundreds of times.
_SCORED, _DESCRIPTIVE, _NOT_APPLICABLE = TraceStatus.SCORED, TraceStatus.DESCRIPTIVE, TraceStatus.NOT_APPLICABLE
_UNKNOWN, _UNANSWERED, _NOT_ASKED = TraceStatus.UNKNOWN, TraceStatus.UNANSWERED, TraceStatus.NOT_ASKED
_ANSWER_NOT_APPLICABLE, _ANSWER_UNKNOWN = AnswerStatus.NOT_APPLICABLE, AnswerStatus.UNKNOWN
# No score: the most informative status wins (an answer beats a reason for none).
_STATUS_RANK = {status: rank for rank, status in enumerate((_DESCRIPTIVE, _NOT_APPLICABLE, _UNKNOWN, _UNANSWERED, _NOT_ASKED))}
_EVIDENCE_CONFIDENCE = 0.75


@runtime_checkable
class Scorer(Protocol):
    """Anything that turns response sets into a score card for one framework."""

    @property
    def framework_id(self) -> str:
        """The id of the framework this scorer scores."""
        ...

    def score(self, framework: Framework, response_sets: Sequence[ResponseSet]) -> ScoreCard:
        """Score one or more response sets (several respondents, one organisation)."""
        ...


def _r(value: float) -> float:
    return round(value, 6)


@attrs.frozen
class _ItemResult:
    """One respondent's outcome for one item."""

    status: TraceStatus
    score: float | None = None
    value: AnswerValue | None = None
    confidence: float | None = None
    reason: str = ""


def _check(index: ScoringIndex, response_set: ResponseSet, position_in_batch: int) -> dict[str, Response]:
    """The set's answers by item id, once :func:`~silkcore._response_check.response_set_issues`
    (the same check ``silk validate`` applies) finds nothing wrong."""
    issues = response_set_issues(index, response_set)
    if issues:
        where = response_set.response_set_id or f"response set {position_in_batch + 1}"
        located = [i.located(where) for i in issues]
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        raise ScoringError(f"{located[0]}{more}", located)
    return {response.item_id: response for response in response_set.responses}


def _confidence(response: Response) -> float:
    if response.confidence is not None:
        return response.confidence
    return _EVIDENCE_CONFIDENCE if response.evidence else _DEFAULT_CONFIDENCE


def _item_result(index: ScoringIndex, rules: ItemRules, response: Response | None, asked: bool) -> _ItemResult:
    scored = rules.scored
    policy = index.framework.scoring
    if not asked:
        return _ItemResult(_NOT_ASKED, reason="not asked: its applicability rule does not hold")
    if response is None:
        return _ItemResult(_UNANSWERED, reason="no answer given; lowers coverage, not the score")
    if response.status == _ANSWER_NOT_APPLICABLE:
        if scored and policy.not_applicable == NotApplicablePolicy.ZERO:
            return _ItemResult(_SCORED, 0.0, None, _confidence(response), "not applicable, counted as 0 by policy")
        if scored and policy.not_applicable == NotApplicablePolicy.AT_TARGET:
            return _ItemResult(_SCORED, 1.0, None, _confidence(response), "not applicable, counted as at target by policy")
        return _ItemResult(_NOT_APPLICABLE, reason="not applicable: left out of the score, lowers coverage")
    if response.status == _ANSWER_UNKNOWN:
        if scored and policy.unknown == UnknownPolicy.ZERO:
            return _ItemResult(_SCORED, 0.0, None, _confidence(response), "unknown, counted as 0 by policy")
        return _ItemResult(_UNKNOWN, reason="unknown: left out of the score, lowers coverage")
    if not scored:
        return _ItemResult(_DESCRIPTIVE, value=response.value, reason="descriptive item: part of the profile, not scored")
    assert response.value is not None
    score = index.score(rules, response.value)
    if score is None:
        return _ItemResult(_UNANSWERED, value=response.value, reason="empty selection; lowers coverage")
    return _ItemResult(_SCORED, score, response.value, _confidence(response), rules.how)


def _item_text(framework: Framework, item: Item) -> str:
    return item.text.get(framework.default_language or "en") or next(iter(item.text.values()))


def _aggregate(aggregation: Aggregation, scored: list[tuple[float, float]]) -> float | None:
    if not scored:
        return None
    if aggregation == Aggregation.MINIMUM:
        return min(s for s, _ in scored)
    if aggregation == Aggregation.MEAN:
        return sum(s for s, _ in scored) / len(scored)
    total = sum(w for _, w in scored)
    return sum(s * w for s, w in scored) / total


def _single_result(index: ScoringIndex, rules: ItemRules, response: Response | None, asked: bool) -> TraceEntry:
    """One respondent's trace entry for an item: :meth:`GenericScorer._consolidate` of that
    respondent's result, remembered per item.

    The entry depends only on the item, whether it was asked, and the answer's status, value
    (as written: ``true`` is not ``1``, ``1`` is not ``1.0``, since the entry shows it),
    confidence and whether it cites evidence. Trace entries are frozen, so the same one is
    shared by every score card that needs it: a batch scores each line by one respondent."""
    if response is None:
        key: Any = asked
    else:
        confidence = response.confidence  # enters the entry rounded, so -0.0 and 0.0 agree
        key = (asked, response.status, exact_key(response.value), type(confidence), confidence, not response.evidence)
    return rules.entries.remember(key, _fresh_entry, index, rules, response, asked)  # type: ignore[no-any-return]


def _fresh_entry(index: ScoringIndex, rules: ItemRules, response: Response | None, asked: bool) -> TraceEntry:
    return GenericScorer._consolidate(rules.item, [_item_result(index, rules, response, asked)])


_MAX_REASON = 2000  # the score card schema's limit for a trace entry's reason
_MAX_CHOICES = 200  # ... and for an answer value that is a list, and each string in it
_MAX_CHOICE_TEXT = 200


def _respondent_label(response_set: ResponseSet) -> str:
    """How a trace names a respondent: by the response set's id, else by role (and name).
    Never by position, which would make the card depend on the order of the files."""
    if response_set.response_set_id:
        return response_set.response_set_id
    respondent = response_set.respondent
    if respondent is None:
        return "unnamed respondent"
    return respondent.role if respondent.name is None else f"{respondent.role} {respondent.name}"


def _subject_order(subject: OrgRef) -> tuple[bool, str, bool, str]:
    """Several response sets name one organisation, perhaps spelt differently: the card keeps
    the first of them in this order (a named one first), whatever the order of the sets."""
    return (subject.name is None, subject.name or "", subject.country is None, subject.country or "")


def _joined_reasons(results: Sequence[_ItemResult]) -> str:
    return "; ".join(sorted({r.reason for r in results}))


def _bounded(reason: str) -> str:
    return reason if len(reason) <= _MAX_REASON else reason[: _MAX_REASON - 1] + "…"


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


def _consolidated_value(tied: list[tuple[str, _ItemResult]], reason: str, named: bool) -> tuple[AnswerValue | None, str]:
    """The value and reason of an unscored item several respondents answered.

    Answers are the same or different by :func:`~silkcore._answers.answer_key` (``1`` and
    ``1.0`` are the same answer, shown as the first of their spellings in
    :func:`_value_order`). All the same: that value. Different: every distinct value, sorted,
    as a list when the score card can hold them as one (strings and integers; for lists of
    choices, every choice anyone made), else no value; the reason says who gave which either way."""
    spellings: dict[Any, list[AnswerValue]] = {}
    labels: dict[Any, list[str]] = {}
    for label, result in tied:
        if result.value is not None:
            key = answer_key(result.value)
            spellings.setdefault(key, []).append(result.value)
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
    value: AnswerValue | None = None
    if len(distinct) <= _MAX_CHOICES and all(_choice(v) for v in distinct):
        value = tuple(distinct)  # type: ignore[arg-type]
    elif all(type(v) is tuple for v in distinct):
        union = {answer_key(choice): choice for v in distinct for choice in v}  # type: ignore[union-attr]
        if len(union) <= _MAX_CHOICES:
            value = tuple(sorted(union.values(), key=_value_order))
    return value, reason


def _who(labels: list[str]) -> str:
    """Respondents' labels, sorted, a label shared by several given once with their number."""
    return ", ".join(label if count == 1 else f"{count}\u00d7 {label}" for label, count in sorted(Counter(labels).items()))


def _shown_value(value: AnswerValue) -> str:
    text = json.dumps(list(value) if type(value) is tuple else value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:79] + "…"


class GenericScorer:
    """Scores any data-defined framework by the rules in this module's docstring."""

    def __init__(self, framework_id: str = "*") -> None:
        self._framework_id = framework_id

    @property
    def framework_id(self) -> str:
        """``*``: this scorer serves every framework that has no scorer of its own."""
        return self._framework_id

    def score(self, framework: Framework, response_sets: Sequence[ResponseSet]) -> ScoreCard:
        """Score one or more response sets for the same organisation."""
        if not response_sets:
            raise ScoringError("nothing to score: no response set given")
        subjects = {rs.subject.org_id for rs in response_sets}
        if len(subjects) > 1:
            raise ScoringError(f"response sets describe different organisations: {', '.join(sorted(subjects))}")
        index = scoring_index(framework)
        answered = [_check(index, rs, i) for i, rs in enumerate(response_sets)]
        values = [{k: r.value for k, r in by_item.items() if r.value is not None} for by_item in answered]
        policy = framework.scoring
        trace: list[TraceEntry] = []
        profile: dict[str, AnswerValue] = {}
        per_category: dict[str, list[tuple[Item, TraceEntry]]] = {c.id: [] for c in framework.categories}
        only = answered[0] if len(answered) == 1 else None
        labels = [_respondent_label(rs) for rs in response_sets]
        for item in framework.items:
            rules = index.items[item.id]
            rule = item.applies_if
            if only is not None:  # one respondent (every line of a batch): a remembered entry
                entry = _single_result(index, rules, only.get(item.id), rule is None or rule_holds(rule, values[0]))
            else:
                results = [
                    _item_result(index, rules, by_item.get(item.id), rule is None or rule_holds(rule, vals))
                    for by_item, vals in zip(answered, values, strict=True)
                ]
                entry = self._consolidate(item, results, labels)
            trace.append(entry)
            per_category[item.category].append((item, entry))
            if entry.status == _DESCRIPTIVE and entry.value is not None:
                profile[item.id] = entry.value
        categories, findings = self._categories(index, per_category)
        overall = None
        if policy.overall:
            weighted = [
                (c.score, index.categories[c.id].weight)
                for c in categories
                if c.score is not None and index.categories[c.id].scored
            ]
            overall_score = _aggregate(Aggregation.WEIGHTED_MEAN, weighted)
            overall = None if overall_score is None else _r(overall_score)
        asked = [e for e in trace if e.status != _NOT_ASKED]
        used = [e for e in asked if e.status in (_SCORED, _DESCRIPTIVE)]
        findings = self._weakest(framework, trace) + findings
        return ScoreCard(
            framework_id=framework.id,
            framework_version=framework.version,
            framework_hash=framework_hash(framework),
            subject=min((rs.subject for rs in response_sets), key=_subject_order),
            categories=tuple(categories),
            overall=overall,
            coverage=_r(len(used) / len(asked)) if asked else 0.0,
            findings=tuple(findings),
            trace=tuple(trace),
            response_set_ids=tuple(sorted(rs.response_set_id for rs in response_sets if rs.response_set_id)),
            respondents=len(response_sets),
            profile=profile,
        )

    @staticmethod
    def _consolidate(item: Item, results: list[_ItemResult], labels: Sequence[str] = ()) -> TraceEntry:
        """One trace entry from the results of one or more respondents, the same whatever their order:
        means are exactly rounded sums (``math.fsum``), reasons and values are sorted, and
        respondents are named by ``labels`` (their response set ids or roles), never by position."""
        weight = item.weight
        scored = [r for r in results if r.status is _SCORED and r.score is not None]
        if scored:
            scores = [r.score for r in scored if r.score is not None]
            confidences = [r.confidence for r in scored if r.confidence is not None]
            spread = max(scores) - min(scores) if len(scores) > 1 else None
            reasons = _joined_reasons(scored)
            reason = reasons if len(scored) == 1 else f"mean of {len(scored)} respondents' scores ({reasons})"
            return TraceEntry(
                item_id=item.id,
                category=item.category,
                status=_SCORED,
                score=_r(0.0 + math.fsum(scores) / len(scores)),
                weight=weight,
                reason=_bounded(reason),
                value=scored[0].value if len(scored) == 1 else None,
                confidence=_r(0.0 + math.fsum(confidences) / len(confidences)) if confidences else None,
                respondents=len(scored),
                spread=None if spread is None else _r(spread),
            )
        best = min(_STATUS_RANK[r.status] for r in results)
        named = labels or [""] * len(results)
        tied = [(label, r) for label, r in zip(named, results, strict=True) if _STATUS_RANK[r.status] == best]
        value, reason = _consolidated_value(tied, _joined_reasons([r for _, r in tied]), bool(labels))
        status = tied[0][1].status
        return TraceEntry(
            item_id=item.id,
            category=item.category,
            status=status,
            score=None,
            weight=weight if status != _NOT_ASKED else 0.0,
            reason=_bounded(reason),
            value=value,
            respondents=len(tied),
        )

    @staticmethod
    def _categories(
        index: ScoringIndex, per_category: dict[str, list[tuple[Item, TraceEntry]]]
    ) -> tuple[list[CategoryScore], list[Finding]]:
        framework = index.framework
        policy = framework.scoring
        categories: list[CategoryScore] = []
        findings: list[Finding] = []
        for category in framework.categories:
            entries = per_category[category.id]
            # In a scored category only scored items count towards coverage: a descriptive
            # question answered there must not make the category look less complete.
            asked = [e for item, e in entries if e.status != _NOT_ASKED and (not category.scored or index.items[item.id].scored)]
            scored = [(e.score, e.weight) for _, e in entries if e.status == _SCORED and e.score is not None]
            if category.scored:
                usable = len(scored)
            else:
                usable = sum(1 for e in asked if e.status == _DESCRIPTIVE)
            coverage = usable / len(asked) if asked else 0.0
            score = _aggregate(policy.aggregation, scored) if category.scored else None
            confidences = [e.confidence for _, e in entries if e.status == _SCORED and e.confidence is not None]
            spreads = [e.spread for _, e in entries if e.spread is not None]
            categories.append(
                CategoryScore(
                    id=category.id,
                    score=None if score is None else _r(score),
                    coverage=_r(coverage),
                    confidence=_r(sum(confidences) / len(confidences)) if confidences else None,
                    applicable_items=len(asked),
                    scored_items=len(scored),
                    spread=_r(max(spreads)) if spreads else None,
                )
            )
            if asked and coverage < 0.5:
                findings.append(
                    Finding(
                        FindingKind.LOW_COVERAGE,
                        f"only {usable} of {len(asked)} items in category {category.id} have a usable answer",
                        category=category.id,
                    )
                )
            for item, entry in entries:
                if entry.spread is not None and entry.spread >= policy.disagreement_threshold:
                    findings.append(
                        Finding(
                            FindingKind.DISAGREEMENT,
                            f"respondents disagree strongly on {item.id} (spread {entry.spread:.2f}): "
                            + _item_text(framework, item),
                            item_id=item.id,
                            category=category.id,
                            score=entry.score,
                        )
                    )
        return categories, findings

    @staticmethod
    def _weakest(framework: Framework, trace: list[TraceEntry]) -> list[Finding]:
        scored = [(e.score, index, e) for index, e in enumerate(trace) if e.status == _SCORED and e.score is not None]
        scored = [s for s in scored if s[0] < 1.0]
        scored.sort(key=lambda s: (s[0], s[1]))
        findings = []
        for score, _, entry in scored[: framework.scoring.findings]:
            item = scoring_index(framework).items[entry.item_id].item
            message = f"weak answer on {item.id} ({score:.2f}): {_item_text(framework, item)}"
            findings.append(Finding(FindingKind.WEAK_ITEM, message, item_id=item.id, category=item.category, score=score))
        return findings


def assess(framework: Framework, response_sets: ResponseSet | Sequence[ResponseSet]) -> ScoreCard:
    """Score response sets against a framework with the generic scorer."""
    sets = [response_sets] if isinstance(response_sets, ResponseSet) else list(response_sets)
    return GenericScorer().score(framework, sets)
