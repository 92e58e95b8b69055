"""The compiled scoring plan: what it gives in advance is what scoring the answer afresh gives.

One respondent's outcome for an item (:meth:`ItemPlan.outcome`) is compiled once per option
(and per confidence) and shared by every card with that answer; these tests hold it to
:func:`consolidate` of that respondent's result for every item kind, policy, status, value
spelling and confidence, and count what is made per card (no wall clock).
"""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import attrs
import pytest

from silkcore import build_catalog
from silkcore._framework import NUMERIC_KINDS, OPTION_KINDS, Framework, ItemKind, NotApplicablePolicy, UnknownPolicy
from silkcore._jsonio import dumps_line_bytes
from silkcore._response_check import checked_answers
from silkcore._scoring import GenericScorer, _r
from silkcore._scoring_index import ItemPlan, consolidate, item_result, scoring_plan

GOLDEN = Path(__file__).resolve().parent / "golden"
FRAMEWORKS = ["all-kinds.yaml", "all-kinds-mean.yaml", "all-kinds-minimum.yaml"]
CONFIDENCES: list[dict[str, Any]] = [
    {},
    {"confidence": 0},
    {"confidence": 1},
    {"confidence": 0.8},
    {"confidence": 0.333333333},
    {"evidence": [{"kind": "document", "description": "minutes"}]},
]


def _framework(name: str) -> Framework:
    return build_catalog().resolve_framework(str(GOLDEN / name))


def _values(framework: Framework, plan: ItemPlan) -> list[Any]:
    """Values an item accepts, in the spellings a document can write them."""
    item = plan.item
    if item.kind in OPTION_KINDS:
        options = [option.value for option in framework.options_of(item)]
        if item.kind == ItemKind.MULTI_CHOICE:
            return [[], options[:1], options]
        return options + [float(v) for v in options if type(v) is int]
    if item.kind in NUMERIC_KINDS:
        low = plan.low if plan.low is not None else 0
        high = plan.high if plan.high is not None else low + 10
        return [low, float(high), (low + high) / 3]
    if item.kind == ItemKind.DATE:
        return ["2026-01-31"]
    return ["", "Une coopérative", "x" * 300]


def _answers(framework: Framework, plan: ItemPlan) -> list[dict[str, Any] | None]:
    answers: list[dict[str, Any] | None] = [None]
    for extra in CONFIDENCES:
        answers += [{"item_id": plan.id, "status": status, **extra} for status in ("not_applicable", "unknown")]
        answers += [{"item_id": plan.id, "value": value, **extra} for value in _values(framework, plan)]
    return answers


POLICIES = [
    {},
    {"not_applicable": NotApplicablePolicy.ZERO, "unknown": UnknownPolicy.ZERO},
    {"not_applicable": NotApplicablePolicy.AT_TARGET},
]


@pytest.mark.parametrize("name", FRAMEWORKS)
@pytest.mark.parametrize("policy", POLICIES)
def test_one_respondents_outcome_is_the_consolidation_of_their_result(name: str, policy: dict[str, Any]) -> None:
    framework = _framework(name)
    framework = attrs.evolve(framework, scoring=attrs.evolve(framework.scoring, **policy))
    plan = scoring_plan(framework)
    for item in plan.items:
        for answer in _answers(framework, item):
            expected = consolidate(item, [item_result(framework.scoring, item, answer, True)])
            for _ in range(2):  # made on first use, then found
                entry, status, score, confidence, written = item.outcome(answer)
                assert entry == expected, (item.id, answer)
                assert list(entry) == list(expected), (item.id, answer)  # keys in the card's order
                assert (status, score, confidence) == (expected["status"], expected["score"], expected.get("confidence"))
                assert _line(written) == _line(expected), (item.id, answer)  # a line writes the same bytes
        not_asked = consolidate(item, [item_result(framework.scoring, item, None, False)])
        assert item.not_asked[0] == not_asked
        assert _line(item.not_asked[4]) == _line(not_asked)


def _line(entry: Any) -> bytes:
    """How a batch line writes a trace entry (or its JSON made once), inside a card."""
    return dumps_line_bytes({"trace": [entry]})


def test_a_scored_options_entry_is_made_once_per_confidence_and_shared() -> None:
    """Two cards with the same answer share the entry; another confidence gets its own."""
    framework = _framework("all-kinds.yaml")
    plan = scoring_plan(framework)
    item = next(p for p in plan.items if p.scored_options and p.rule is None)
    value = next(iter(next(iter(item.scored_options.values()))))
    first, again = ({"item_id": item.id, "value": value, "confidence": 0.8} for _ in range(2))
    assert item.outcome(first)[0] is item.outcome(again)[0]
    assert item.outcome({"item_id": item.id, "value": value, "confidence": 1})[0] is not item.outcome(first)[0]
    odd = {"item_id": item.id, "value": value, "confidence": 0.123456789}  # not kept: any float could come
    assert item.outcome(odd)[0] is not item.outcome(dict(odd))[0]
    assert item.outcome(odd)[0]["confidence"] == 0.123457


def test_the_scorer_takes_the_answers_the_check_gathered() -> None:
    framework = build_catalog().framework("silk.evaluation-grid")
    plan = scoring_plan(framework)
    document = {
        "framework_id": framework.id,
        "framework_version": framework.version,
        "subject": {"org_id": "urn:silk:org:test"},
        "responses": [{"item_id": framework.items[0].id, "status": "unknown"}],
    }
    issues, answered, _ = checked_answers(plan, document)
    assert issues == [] and answered == {framework.items[0].id: document["responses"][0]}
    assert checked_answers(plan, document)[1] is answered  # found, not gathered again
    assert checked_answers(plan, dict(document))[1] is not answered  # another object: checked again


def test_an_item_of_no_category_is_traced_and_counted_nowhere() -> None:
    """A framework built in Python may put an item in a category it does not have."""
    framework = _framework("all-kinds.yaml")
    lost = attrs.evolve(framework.items[0], category="nowhere", applies_if=None)
    odd = attrs.evolve(framework, items=(lost, *framework.items[1:]))
    plan = scoring_plan(odd)
    answer = {"item_id": lost.id, "value": _values(odd, plan.items[0])[0]}
    document = {
        "framework_id": odd.id,
        "framework_version": odd.version,
        "subject": {"org_id": "urn:silk:org:test"},
        "responses": [answer],
    }
    card = GenericScorer().score_document(odd, [document])
    assert card["trace"][0] == consolidate(plan.items[0], [item_result(odd.scoring, plan.items[0], answer, True)])
    assert [entry["item_id"] for entry in card["trace"]] == [item.id for item in odd.items]
    assert sum(c.get("applicable_items", 0) for c in card["categories"]) <= len(odd.items) - 1
    assert all(f.get("item_id") != lost.id for f in card["findings"])


def test_numbers_are_rounded_as_round_rounds_them_once_made_or_looked_up() -> None:
    rng = random.Random(6)
    numbers = [rng.random() for _ in range(200)] + [i / 7 for i in range(50)] + [1.0, 0.5, 1e-7, 0.0000005]
    for _ in range(2):  # made, then looked up
        for number in numbers:
            assert _r(number) == round(number, 6) and type(_r(number)) is float
    assert math.copysign(1.0, _r(-0.0)) == -1.0 and math.copysign(1.0, _r(0.0)) == 1.0  # one key, two roundings
