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

The framework is compiled once into a scoring plan (:mod:`silkcore._scoring_index`); each
answer is read once, as its document writes it, and the score card is computed as its
document, which the batch writes as it is and the API structures into a :class:`ScoreCard`.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any, Protocol, runtime_checkable

from ._answers import rule_holds
from ._assessment import AnswerValue, Response, ResponseSet, ScoreCard, TraceStatus
from ._convert import structure, unstructure
from ._errors import ScoringError
from ._framework import Category, Framework
from ._objcache import BoundedMemo
from ._response_check import checked_answers
from ._scoring_index import (
    Answer,
    CategoryPlan,
    ItemPlan,
    Outcome,
    ScoringPlan,
    answer_value,
    consolidate,
    item_result,
    scoring_plan,
    weighted_mean,
)

__all__ = ["GenericScorer", "Scorer", "answers_of", "assess"]

# The codes as trace entries hold them (the members' own strings: compared by identity).
_SCORED, _DESCRIPTIVE, _NOT_ASKED = (s._value_ for s in (TraceStatus.SCORED, TraceStatus.DESCRIPTIVE, TraceStatus.NOT_ASKED))
_WEAK_ITEM, _LOW_COVERAGE, _DISAGREEMENT = "weak_item", "low_coverage", "disagreement"


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
    """``value`` rounded to 6 decimals, as every number of a card is. Looked up once made:
    ``round`` with digits is slow, and the same coverages and means come back card after
    card. (Not for zero: ``0.0`` and ``-0.0`` are one key but round apart.)"""
    return _ROUNDED[value] if value else round(value, 6)


#: Rounded numbers by number, the same as ``round(value, 6)`` (equal floats round alike).
_ROUNDED = BoundedMemo(4096, lambda value: round(value, 6))


def _check(plan: ScoringPlan, response_set: dict[str, Any], position_in_batch: int) -> dict[str, Answer]:
    """The set's answers by item id, once :func:`~silkcore._response_check.response_set_issues`
    (the same check ``silk validate`` applies) finds nothing wrong."""
    issues, answered, _ = checked_answers(plan, response_set)
    if issues:
        where = response_set.get("response_set_id") or f"response set {position_in_batch + 1}"
        located = [i.located(where) for i in issues]
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        raise ScoringError(f"{located[0]}{more}", located)
    return answered


def _respondent_label(response_set: dict[str, Any]) -> str:
    """How a trace names a respondent: by the response set's id, else by role (and name).
    Never by position, which would make the card depend on the order of the files."""
    if response_set.get("response_set_id"):
        return response_set["response_set_id"]  # type: ignore[no-any-return]
    respondent = response_set.get("respondent")
    if respondent is None:
        return "unnamed respondent"
    name = respondent.get("name")
    return respondent["role"] if name is None else f"{respondent['role']} {name}"  # type: ignore[no-any-return]


def _subject_order(subject: dict[str, Any]) -> tuple[bool, str, bool, str]:
    """Several response sets name one organisation, perhaps spelt differently: the card keeps
    the first of them in this order (a named one first), whatever the order of the sets."""
    name, country = subject.get("name"), subject.get("country")
    return (name is None, name or "", country is None, country or "")


def _org(subject: dict[str, Any]) -> dict[str, Any]:
    """An organisation reference as the entity writes it: its keys in order, no empty ones."""
    written = {"org_id": subject["org_id"]}
    for key in ("name", "country"):
        if subject.get(key) is not None:
            written[key] = subject[key]
    return written


def _answer(response: Response) -> Answer:
    written: Answer = {"item_id": response.item_id}
    if response.value is not None:
        written["value"] = response.value
    if response.status is not None:
        written["status"] = response.status.value
    if response.evidence:
        written["evidence"] = response.evidence
    if response.confidence is not None:
        written["confidence"] = response.confidence
    return written


def answers_of(response_set: ResponseSet) -> dict[str, Any]:
    """What the check and the scorer read of a response set built in Python: the fields of its
    document they use (a list of choices kept as its tuple). A response set read from a
    document is read as it is."""
    respondent = response_set.respondent
    return {
        "framework_id": response_set.framework_id,
        "framework_version": response_set.framework_version,
        "subject": _org(unstructure(response_set.subject)),
        "responses": [_answer(response) for response in response_set.responses],
        "response_set_id": response_set.response_set_id,
        "respondent": None if respondent is None else {"role": respondent.role, "name": respondent.name},
    }


def _finding(kind: str, message: str, item_id: str | None, category: str | None, score: float | None) -> dict[str, Any]:
    written: dict[str, Any] = {"kind": kind, "message": message}
    if item_id is not None:
        written["item_id"] = item_id
    if category is not None:
        written["category"] = category
    if score is not None:
        written["score"] = score
    return written


def _shown(value: AnswerValue) -> Any:
    return list(value) if type(value) is tuple else value


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
        document = self.score_document(framework, [answers_of(rs) for rs in response_sets])
        del document["schema"]
        card: ScoreCard = structure(document, ScoreCard)
        return card

    def score_document(
        self, framework: Framework, response_sets: Sequence[dict[str, Any]], *, for_line: bool = False
    ) -> dict[str, Any]:
        """The score card of :meth:`score` as the document it writes (``to_document`` of the
        card), computed from the framework's compiled plan and written once: what the batch
        writes a line of. ``response_sets`` are their documents (or :func:`answers_of` them).
        Trace entries compiled in advance are shared by every card that has them: the card is
        to be read (written out, or structured into a :class:`ScoreCard`), never written into.

        ``for_line``: the card is only to be written as a line (by
        :func:`~silkcore._jsonio.dumps_line_bytes`, what the batch does): its trace then holds
        the entries compiled in advance as the JSON they were written as once, which a line
        takes as it is: the same bytes, written in less than half the time."""
        if not response_sets:
            raise ScoringError("nothing to score: no response set given")
        subjects_given = [rs["subject"] for rs in response_sets]
        subjects = {subject["org_id"] for subject in subjects_given}
        if len(subjects) > 1:
            raise ScoringError(f"response sets describe different organisations: {', '.join(sorted(subjects))}")
        plan = scoring_plan(framework)
        answered = [_check(plan, rs, i) for i, rs in enumerate(response_sets)]
        values: list[dict[str, Any]]
        if plan.has_rules:
            values = [{k: answer_value(r) for k, r in by_item.items() if r.get("value") is not None} for by_item in answered]
        else:
            values = [{} for _ in answered]
        labels = [_respondent_label(rs) for rs in response_sets] if len(answered) > 1 else []
        scored = _Scored(plan, answered, values, labels, for_line)
        trace = scored.trace
        # the profile in the trace's order: the order the pass met them in, when that is it
        in_order = plan.in_order and not plan.ungrouped
        described = scored.described if in_order else sorted(scored.described, key=_PLACE)
        profile = {e["item_id"]: e["value"] for _, e in described if "value" in e}
        overall = None
        if framework.scoring.overall:
            counted = [
                (c["score"], plan.categories[c["id"]].weight)
                for c in scored.categories
                if c["score"] is not None and plan.categories[c["id"]].scored
            ]
            if counted:
                overall = _r(weighted_mean([s for s, _ in counted], [w for _, w in counted]))
        card: dict[str, Any] = {
            "schema": ScoreCard.SCHEMA,
            "framework_id": framework.id,
            "framework_version": framework.version,
            "framework_hash": plan.hash,
            "subject": _org(response_sets[0]["subject"] if len(response_sets) == 1 else min(subjects_given, key=_subject_order)),
            "categories": scored.categories,
            "overall": overall,
            "coverage": _r(scored.used / scored.asked) if scored.asked else 0.0,
            "findings": _weakest(plan, scored.weak) + scored.findings,
            "trace": trace,
        }
        ids = sorted(rs["response_set_id"] for rs in response_sets if rs.get("response_set_id"))
        if ids:
            card["response_set_ids"] = ids
        card["respondents"] = len(response_sets)
        if profile:
            card["profile"] = profile
        return card


class _Scored:
    """The trace and the categories, made in one pass over the items, category by category.

    Each item's :data:`~silkcore._scoring_index.Outcome` (one respondent's compiled in
    advance where it can be, see :meth:`~silkcore._scoring_index.ItemPlan.outcome`; several
    respondents' consolidated) gives its trace entry, and its status, score and confidence go
    straight into its category's score, coverage and confidence, with no second reading of
    the entries. Gathered on the way: the findings on categories, the scored items below 1
    (score and place in the trace), the descriptive answers with their places (the profile),
    and the items asked and those with a usable answer over the whole framework. The trace
    holds each outcome's entry, or with ``for_line`` the entry as a line writes it.

    In a scored category only scored items count towards coverage: a descriptive question
    answered there must not make the category look less complete."""

    __slots__ = (
        "answered",
        "asked",
        "categories",
        "described",
        "findings",
        "for_line",
        "labels",
        "trace",
        "used",
        "values",
        "weak",
    )

    def __init__(
        self,
        plan: ScoringPlan,
        answered: list[dict[str, Answer]],
        values: list[dict[str, AnswerValue]],
        labels: list[str],
        for_line: bool = False,
    ) -> None:
        self.answered, self.values, self.labels, self.for_line = answered, values, labels, for_line
        self.trace: list[Any] = [_UNSET] * len(plan.items)  # entries (or, for a line, their JSON)
        self.categories: list[dict[str, Any]] = []
        self.findings: list[dict[str, Any]] = []
        self.weak: list[tuple[float, int]] = []
        self.described: list[tuple[int, dict[str, Any]]] = []
        self.asked = self.used = 0
        for group in plan.groups:
            self._category(plan, group)
        if plan.ungrouped:  # items of no category (a framework built in Python): traced, counted nowhere
            self._items(plan.ungrouped, False, [])

    def _items(self, members: tuple[tuple[int, ItemPlan], ...], weighted: bool, weak: list[tuple[float, int]]) -> _Tally:
        """The items ``members`` (position in the trace, item): their entries into the trace,
        scores below 1 into ``weak``, descriptive answers' places into the profile's; the rest
        of what they give, for their category."""
        trace, described, for_line = self.trace, self.described, self.for_line
        answered, values, labels = self.answered, self.values, self.labels
        one = answered[0].get if len(answered) == 1 else None
        facts = values[0]
        scores: list[float] = []
        weights: list[float] = []
        confidences: list[float] = []
        spreads: list[dict[str, Any]] = []
        not_asked = not_asked_counted = descriptive = 0
        was_described = len(described)
        for position, item in members:
            if one is not None:  # one respondent (every line of a batch)
                rule = item.rule
                if rule is None or rule_holds(rule, facts):
                    entry, status, score, confidence, written = item.outcome(one(item.id))
                else:
                    entry, status, score, confidence, written = item.not_asked
            else:
                entry, status, score, confidence, written = _consolidated(item, answered, values, labels)
                if "spread" in entry:
                    spreads.append(entry)
            trace[position] = written if for_line else entry
            if status is _SCORED:
                scores.append(score)  # type: ignore[arg-type]
                if weighted:
                    weights.append(item.weight)
                if score < 1.0:  # type: ignore[operator]
                    weak.append((score, position))  # type: ignore[arg-type]
                if confidence is not None:
                    confidences.append(confidence)
            elif status is _DESCRIPTIVE:
                described.append((position, entry))
                if item.counted:
                    descriptive += 1
            elif status is _NOT_ASKED:
                not_asked += 1
                if item.counted:
                    not_asked_counted += 1
        described_here = len(described) - was_described
        return scores, weights, confidences, spreads, not_asked, not_asked_counted, described_here, descriptive

    def _category(self, plan: ScoringPlan, group: CategoryPlan) -> None:
        """One category's items (their entries into the trace) and the category's part of the card."""
        scores, weights, confidences, spreads, not_asked, not_asked_counted, described, descriptive = self._items(
            group.members, group.weighted, self.weak
        )
        self.asked += len(group.members) - not_asked
        self.used += len(scores) + described
        asked = group.counted - not_asked_counted
        category = group.category
        usable = len(scores) if category.scored else descriptive
        coverage = usable / asked if asked else 0.0
        score = group.combine(scores, weights) if category.scored and scores else None
        written: dict[str, Any] = {"id": category.id, "score": None if score is None else _r(score), "coverage": _r(coverage)}
        if confidences:
            written["confidence"] = _r(sum(confidences) / len(confidences))
        if asked:
            written["applicable_items"] = asked
        if scores:
            written["scored_items"] = len(scores)
        if spreads:
            written["spread"] = _r(max(entry["spread"] for entry in spreads))
        self.categories.append(written)
        if asked and coverage < 0.5:
            message = f"only {usable} of {asked} items in category {category.id} have a usable answer"
            self.findings.append(_finding(_LOW_COVERAGE, message, None, category.id, None))
        if spreads:
            self._disagreements(plan, category, spreads)

    def _disagreements(self, plan: ScoringPlan, category: Category, spreads: list[dict[str, Any]]) -> None:
        """Findings on the items of ``category`` whose respondents' scores are far apart."""
        threshold = plan.framework.scoring.disagreement_threshold
        for entry in spreads:
            spread = entry["spread"]
            if spread >= threshold:
                item = plan.by_id[entry["item_id"]]
                message = f"respondents disagree strongly on {item.id} (spread {spread:.2f}): {item.text}"
                self.findings.append(_finding(_DISAGREEMENT, message, item.id, category.id, entry["score"]))


#: What a trace holds at an item's place until the item's entry is made.
_UNSET: dict[str, Any] = {}


#: What a pass over a category's items gathers for the category's part of the card, in this
#: order: its scores, their weights (when they count), the scores' confidences, the entries
#: with a spread; the items not asked, and of them those counting towards coverage; the
#: descriptive answers, and of them those counting towards coverage. A plain tuple: made six
#: times a card, where an object's construction shows.
_Tally = tuple[list[float], list[float], list[float], list[dict[str, Any]], int, int, int, int]


def _consolidated(
    item: ItemPlan, answered: list[dict[str, Answer]], values: list[dict[str, AnswerValue]], labels: list[str]
) -> Outcome:
    """Several respondents' outcome for an item: their results, consolidated."""
    policy = item.policy
    rule = item.rule
    results = [
        item_result(policy, item, by_item.get(item.id), rule is None or rule_holds(rule, facts))
        for by_item, facts in zip(answered, values, strict=True)
    ]
    entry = consolidate(item, results, labels)
    return entry, entry["status"], entry["score"], entry.get("confidence"), entry


def _weakest(plan: ScoringPlan, weak: list[tuple[float, int]]) -> list[dict[str, Any]]:
    """Findings on the lowest item scores (below 1), lowest first, then in the framework's order.

    ``weak`` holds (score, position in the trace) pairs. Sorted by score alone (floats compare
    fast, and many scores are equal), which keeps the order of equal scores: the order they
    were met in, the trace's when the categories meet the items in it (``plan.in_order``), else
    made so by sorting by position first. A finding is made once per pair and kept in the
    plan, shared by every card that has it like the trace entries (at most
    :data:`_KEPT_FINDINGS` kept: a numeric item can score anything)."""
    if not plan.in_order:
        weak.sort(key=_POSITION)
    weak.sort(key=_SCORE)
    made = plan.weak_findings
    findings = []
    for pair in weak[: plan.framework.scoring.findings]:
        score, position = pair
        key = pair if score else (str(score), position)  # 0.0 and -0.0 are one float key, written apart
        finding = made.get(key)
        if finding is None:
            item = plan.by_id[plan.items[position].id]  # the item the entry names (ids are meant to differ)
            message = f"weak answer on {item.id} ({score:.2f}): {item.text}"
            finding = {"kind": _WEAK_ITEM, "message": message, "item_id": item.id, "category": item.category, "score": score}
            if len(made) < _KEPT_FINDINGS:
                made[key] = finding
        findings.append(finding)
    return findings


_KEPT_FINDINGS = 4096
_SCORE, _POSITION = itemgetter(0), itemgetter(1)  # of a weak item: (score, position)
_PLACE = itemgetter(0)  # of a descriptive answer: (position, entry)


def assess(framework: Framework, response_sets: ResponseSet | Sequence[ResponseSet]) -> ScoreCard:
    """Score response sets against a framework with the generic scorer."""
    sets = [response_sets] if isinstance(response_sets, ResponseSet) else list(response_sets)
    return GenericScorer().score(framework, sets)
