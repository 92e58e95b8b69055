"""The generic scorer: every number explained, N/A never a zero by default, deterministic."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from silkcore import (
    Aggregation,
    AnswerStatus,
    Category,
    Evidence,
    EvidenceKind,
    Framework,
    Item,
    ItemKind,
    NotApplicablePolicy,
    Option,
    OrgRef,
    Respondent,
    Response,
    ResponseSet,
    ScoringError,
    ScoringPolicy,
    TraceStatus,
    UnknownPolicy,
    assess,
    dump_document,
    load_document,
    load_framework,
)
from silkcore._answers import rule_holds
from silkcore._framework import AnswerScale, ApplicabilityRule, Condition

from .conftest import EXAMPLES

LEVEL = AnswerScale("level", (Option("low", 0.0), Option("mid", 0.5), Option("high", 1.0)))
FRAMEWORK = Framework(
    id="test.fw",
    version="1.2.0",
    title={"en": "Test"},
    categories=(
        Category("A", {"en": "A"}),
        Category("B", {"en": "B"}, weight=3.0),
        Category("P", {"en": "Profile"}, scored=False),
    ),
    items=(
        Item("a1", "A", ItemKind.SCALE, {"en": "a1"}, "s", scale="level"),
        Item("a2", "A", ItemKind.SCALE, {"en": "a2"}, "s", scale="level", weight=3.0),
        Item("a3", "A", ItemKind.YES_NO, {"en": "a3"}, "s", reverse=True),
        Item("b1", "B", ItemKind.PERCENTAGE, {"en": "b1"}, "s", min=0, max=50),
        Item("b2", "B", ItemKind.NUMBER, {"en": "b2"}, "s", min=0, max=10, target=5),
        Item("b3", "B", ItemKind.MULTI_CHOICE, {"en": "b3"}, "s", options=(Option("x", 1.0), Option("y", 0.0))),
        Item("p1", "P", ItemKind.CHOICE, {"en": "p1"}, "s", options=(Option("in"), Option("out"))),
        Item(
            "p2",
            "P",
            ItemKind.TEXT,
            {"en": "p2"},
            "s",
            applies_if=ApplicabilityRule("all", (Condition("p1", "equals", "out"),)),
        ),
    ),
    scales=(LEVEL,),
)
SUBJECT = OrgRef("urn:org:1", "Org")


def rs(*responses: Response, role: str = "board") -> ResponseSet:
    return ResponseSet("test.fw", "1.0.0", SUBJECT, tuple(responses), respondent=Respondent(role))


BEST = rs(
    Response("a1", "high"),
    Response("a2", "high"),
    Response("a3", False),
    Response("b1", 50),
    Response("b2", 5),
    Response("b3", ("x",)),
    Response("p1", "out"),
    Response("p2", "free text"),
)


def test_best_answers_give_one_everywhere() -> None:
    card = assess(FRAMEWORK, BEST)
    assert [(c.id, c.score, c.coverage) for c in card.categories] == [("A", 1.0, 1.0), ("B", 1.0, 1.0), ("P", None, 1.0)]
    assert card.overall is None
    assert card.profile == {"p1": "out", "p2": "free text"}
    assert card.findings == ()


@pytest.mark.parametrize("categories", [FRAMEWORK.categories, FRAMEWORK.categories[::-1]], ids=["in order", "reversed"])
def test_the_profile_keeps_the_traces_order_whatever_the_categories_order(categories: tuple[Category, ...]) -> None:
    """The scorer goes category by category, then through the items of no category (a
    framework built in Python can have them); the profile still follows the trace (the
    framework's item order), with such an item placed first, and categories in or out of
    that order."""
    loose = Item("p0", "none", ItemKind.TEXT, {"en": "p0"}, "s")
    reordered = attrs.evolve(FRAMEWORK, categories=categories, items=(loose, *FRAMEWORK.items))
    card = assess(reordered, rs(*BEST.responses, Response("p0", "first")))
    assert list(card.profile) == ["p0", "p1", "p2"]
    assert [e.item_id for e in card.trace] == [i.id for i in reordered.items]


def test_weights_reverse_target_and_multichoice() -> None:
    card = assess(
        FRAMEWORK,
        rs(
            Response("a1", "low"),
            Response("a2", "mid"),
            Response("a3", True),
            Response("b1", 25),
            Response("b2", 10),
            Response("b3", ("x", "y")),
        ),
    )
    a = card.category("A")
    # (0*1 + 0.5*3 + 0*1) / 5: a3 answered "yes" to a reversed question scores 0
    assert a.score == pytest.approx(0.3)
    # b1: 25 of 0..50 -> 0.5; b2: 10 with target 5 over reach 5 -> 0; b3: mean(1, 0) -> 0.5
    assert card.category("B").score == pytest.approx(1 / 3, abs=1e-6)
    trace = {t.item_id: t for t in card.trace}
    assert trace["a3"].score == 0.0 and "reversed" in trace["a3"].reason
    assert trace["p2"].status == TraceStatus.NOT_ASKED


def test_not_applicable_changes_coverage_not_scale() -> None:
    full = assess(FRAMEWORK, BEST)
    marked = assess(
        FRAMEWORK, rs(*[r for r in BEST.responses if r.item_id != "a1"], Response("a1", status=AnswerStatus.NOT_APPLICABLE))
    )
    assert marked.category("A").score == full.category("A").score == 1.0
    assert marked.category("A").coverage == pytest.approx(2 / 3, abs=1e-6)
    assert {t.item_id: t.status for t in marked.trace}["a1"] == TraceStatus.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (ScoringPolicy(not_applicable=NotApplicablePolicy.ZERO), 0.8),
        (ScoringPolicy(not_applicable=NotApplicablePolicy.AT_TARGET), 1.0),
        (ScoringPolicy(unknown=UnknownPolicy.ZERO), 1.0),
    ],
)
def test_policies(policy: ScoringPolicy, expected: float) -> None:
    framework = attrs.evolve(FRAMEWORK, scoring=policy)
    card = assess(
        framework, rs(*[r for r in BEST.responses if r.item_id != "a1"], Response("a1", status=AnswerStatus.NOT_APPLICABLE))
    )
    assert card.category("A").score == pytest.approx(expected)


def test_overall_only_when_turned_on_and_weighted_by_category() -> None:
    framework = attrs.evolve(FRAMEWORK, scoring=ScoringPolicy(overall=True))
    card = assess(framework, rs(Response("a1", "low"), Response("b1", 50)))
    assert card.category("A").score == 0.0 and card.category("B").score == 1.0
    assert card.overall == pytest.approx(0.75)  # category B weighs 3


def test_confidence_from_answers_and_evidence() -> None:
    card = assess(
        FRAMEWORK,
        rs(
            Response("a1", "high", confidence=0.9),
            Response("a2", "high", evidence=(Evidence(EvidenceKind.DOCUMENT, "minutes"),)),
            Response("a3", False),
        ),
    )
    assert card.category("A").confidence == pytest.approx((0.9 + 0.75 + 0.5) / 3, abs=1e-6)


def test_several_respondents_consolidate_with_spread_and_disagreement() -> None:
    board = rs(Response("a1", "high"), Response("a2", "high"), role="board")
    workers = rs(Response("a1", "low"), Response("a2", "high"), role="workers")
    card = assess(FRAMEWORK, [board, workers])
    trace = {t.item_id: t for t in card.trace}
    assert trace["a1"].score == 0.5 and trace["a1"].spread == 1.0 and trace["a1"].respondents == 2
    assert card.respondents == 2
    assert any(f.kind.value == "disagreement" and f.item_id == "a1" for f in card.findings)
    assert card.category("A").spread == 1.0


def test_weakest_items_are_findings() -> None:
    card = assess(FRAMEWORK, rs(Response("a1", "low"), Response("a2", "mid"), Response("b1", 10)))
    weak = [f.item_id for f in card.findings if f.kind.value == "weak_item"]
    assert weak == ["a1", "b1", "a2"]


def test_output_is_byte_identical() -> None:
    assert dump_document(assess(FRAMEWORK, BEST)) == dump_document(assess(FRAMEWORK, BEST))


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (Response("zz", "high"), "unknown item"),
        (Response("a1", "very high"), "not one of the options"),
        (Response("a3", "yes"), "not one of the options"),
        (Response("b1", 60), "outside the item's range"),
        (Response("b1", True), "expected a number"),
        (Response("b3", ("x", "q")), "not among the options"),
    ],
)
def test_invalid_answers_are_scoring_errors(response: Response, message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        assess(FRAMEWORK, rs(response))


def test_wrong_framework_or_major_version_or_subjects() -> None:
    with pytest.raises(ScoringError, match="answers framework"):
        assess(FRAMEWORK, attrs.evolve(BEST, framework_id="other.fw"))
    with pytest.raises(ScoringError, match="major version"):
        assess(FRAMEWORK, attrs.evolve(BEST, framework_version="2.0.0"))
    with pytest.raises(ScoringError, match="different organisations"):
        assess(FRAMEWORK, [BEST, attrs.evolve(BEST, subject=OrgRef("urn:org:2"))])
    with pytest.raises(ScoringError, match="answered twice"):
        assess(FRAMEWORK, rs(Response("a1", "low"), Response("a1", "high")))


ORDER = {"low": 0, "mid": 1, "high": 2}


@given(
    st.lists(st.sampled_from(["low", "mid", "high"]), min_size=2, max_size=2),
    st.integers(0, 1),
    st.sampled_from(["weighted_mean", "mean", "minimum"]),
)
def test_improving_one_answer_never_lowers_its_category(answers: list[str], which: int, aggregation: str) -> None:
    framework = attrs.evolve(FRAMEWORK, scoring=ScoringPolicy(aggregation=Aggregation(aggregation)))
    before = assess(framework, rs(Response("a1", answers[0]), Response("a2", answers[1])))
    improved = list(answers)
    improved[which] = max(improved[which], "mid", key=ORDER.__getitem__)
    after = assess(framework, rs(Response("a1", improved[0]), Response("a2", improved[1])))
    assert after.category("A").score >= before.category("A").score  # type: ignore[operator]


def test_rules() -> None:
    rule = ApplicabilityRule("any", (Condition("x", "in", values=("a", "b")), Condition("n", "at_least", 3)))
    assert rule_holds(rule, {"x": "b"}) and rule_holds(rule, {"n": 4}) and not rule_holds(rule, {"n": 2})
    assert rule_holds(ApplicabilityRule("all", (Condition("m", "contains", "z"),)), {"m": ("z",)})
    assert not rule_holds(ApplicabilityRule("all", (Condition("m", "answered"),)), {})


def test_data_framework_file_scores() -> None:
    framework = load_framework(EXAMPLES / "frameworks" / "community-energy-readiness.yaml")
    response_set = load_document(EXAMPLES / "response_sets" / "community-energy-readiness.json")
    card = assess(framework, response_set)
    assert card.overall is not None
    assert card.category("why").score == pytest.approx((0.5 + 0.6) / 2)


def test_trace_entries_never_mix_up_equal_looking_answers() -> None:
    """1 and 1.0 score alike but are written differently; an entry compiled in advance keeps each as given."""
    from silkcore._assessment import Response, ResponseSet
    from silkcore._catalog import build_catalog
    from silkcore._convert import unstructure
    from silkcore._framework import ItemKind
    from silkcore._model import OrgRef
    from silkcore._scoring import GenericScorer

    framework = build_catalog().framework("silk.evaluation-grid")
    item = next(i for i in framework.items if i.kind == ItemKind.PERCENTAGE)
    cards = []
    for value in (40, 40.0, 40, 55):
        response_set = ResponseSet(framework.id, framework.version, OrgRef("urn:x:org"), (Response(item.id, value),))
        cards.append(GenericScorer().score(framework, [response_set]))
    entries = [next(e for e in card.trace if e.item_id == item.id) for card in cards]
    assert [unstructure(e)["value"] for e in entries] == [40, 40.0, 40, 55]
    assert [type(e.value) for e in entries] == [int, float, int, int]
    assert entries[0] == entries[2] and entries[3].value == 55


def test_the_trace_names_the_scoring_rule_used() -> None:
    card = assess(FRAMEWORK, BEST)
    reasons = {t.item_id: t.reason for t in card.trace}
    assert reasons["a1"] == "option score"
    assert reasons["a3"] == "option score, reversed (higher answer is worse)"
    assert reasons["b1"] == "position in range"
    assert reasons["b2"] == "distance to target"
    assert reasons["b3"] == "option score"
    reversed_target = attrs.evolve(
        FRAMEWORK, items=(Item("b2", "B", ItemKind.NUMBER, {"en": "b2"}, "s", min=0, max=10, target=5, reverse=True),)
    )
    [entry] = assess(reversed_target, rs(Response("b2", 7))).trace
    assert entry.reason == "distance to target, reversed (higher answer is worse)"
    assert entry.score == pytest.approx(0.4)  # 1 - (1 - 2/5)


NUMBERED = Framework(
    id="test.numbered",
    version="1.0.0",
    title={"en": "Numbered options"},
    categories=(Category("A", {"en": "A"}),),
    items=(
        Item("n", "A", ItemKind.CHOICE, {"en": "n"}, "s", options=(Option(1, 0.25), Option(2, 1.0), Option(True, 0.5))),
        Item("m", "A", ItemKind.MULTI_CHOICE, {"en": "m"}, "s", options=(Option(1, 0.0), Option(2, 1.0))),
        Item(
            "later",
            "A",
            ItemKind.YES_NO,
            {"en": "later"},
            "s",
            applies_if=ApplicabilityRule("all", (Condition("n", "equals", 1),)),
        ),
    ),
)


@pytest.mark.parametrize(("answer", "score"), [(1, 0.25), (1.0, 0.25), (2, 1.0), (2.0, 1.0), (True, 0.5)])
def test_a_number_answers_an_option_by_its_value_and_true_is_not_one(answer: object, score: float) -> None:
    """One notion of answer equality: 1.0 is option 1 (checked, scored and in conditions alike),
    true is not 1. The written answer keeps its spelling."""
    card = assess(NUMBERED, ResponseSet("test.numbered", "1.0.0", SUBJECT, (Response("n", answer), Response("later", True))))
    trace = {t.item_id: t for t in card.trace}
    assert trace["n"].score == score and trace["n"].value == answer and type(trace["n"].value) is type(answer)
    asked = answer in (1, 1.0) and type(answer) is not bool
    assert (trace["later"].status == TraceStatus.NOT_ASKED) == (not asked)


def test_answer_equality_is_the_same_everywhere() -> None:
    from silkcore._answers import answer_key, answer_problem, same_value

    framework = NUMBERED
    item = framework.items[0]
    for value in (1, 1.0, 2, 2.0, True, False, "1", 0, 3):
        fits = answer_problem(framework, item, value) is None
        matches = [o for o in framework.options_of(item) if same_value(value, o.value)]
        assert fits == bool(matches), value
        assert fits == (answer_key(value) in {answer_key(o.value) for o in framework.options_of(item)}), value
    assert answer_problem(framework, framework.items[1], (2.0, 1)) is None  # choices in a list: the same equality
    assert same_value((1, "a"), (1, "a")) and not same_value((True,), (1,))
    assert same_value(0.0, -0.0) and not same_value("1", 1) and not same_value(False, 0)


def test_respondents_who_give_the_same_number_agree() -> None:
    """1 and 1.0 are the same answer: two respondents giving them do not 'differ'."""
    framework = attrs.evolve(FRAMEWORK, items=(Item("p3", "P", ItemKind.NUMBER, {"en": "p3"}, "s", min=0, max=10, scored=False),))
    sets = [rs(Response("p3", 1), role="board"), rs(Response("p3", 1.0), role="workers")]
    for order in (sets, sets[::-1]):
        [entry] = assess(framework, order).trace
        assert entry.value == 1 and type(entry.value) is int and "differ" not in entry.reason
    [entry] = assess(framework, [rs(Response("p3", 1), role="board"), rs(Response("p3", 2), role="workers")]).trace
    assert entry.value == (1, 2) and entry.reason.endswith("respondents differ: 1 (board); 2 (workers)")


def test_one_respondent_is_the_consolidation_of_one() -> None:
    """The single-respondent entry (compiled in advance where it can be) is what consolidating a list of one gives."""
    from silkcore._assessment import TraceEntry
    from silkcore._convert import structure
    from silkcore._scoring import answers_of
    from silkcore._scoring_index import consolidate, item_result, one_entry, scoring_plan

    plan = scoring_plan(FRAMEWORK)
    responses = {r.item_id: r for r in BEST.responses}
    for item in plan.items:
        for response in (responses.get(item.id), None, Response(item.id, status=AnswerStatus.UNKNOWN)):
            answer = None if response is None else answers_of(rs(response))["responses"][0]
            for asked in (True, False):
                alone = consolidate(item, [item_result(FRAMEWORK.scoring, item, answer, asked)])
                assert one_entry(FRAMEWORK.scoring, item, answer, asked) == alone
                if asked:
                    alone_framework = attrs.evolve(FRAMEWORK, items=(attrs.evolve(item.item, applies_if=None),))
                    card = assess(alone_framework, rs(*([response] if response else [])))
                    assert card.trace[0] == structure(alone, TraceEntry)
