"""Several respondents: the order of their response sets never changes the score card (issue
15, item 10), and what they disagree on is kept, sorted, with who gave which."""

from __future__ import annotations

import itertools
import json
from functools import cache
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from silkcore import (
    AnswerStatus,
    Catalog,
    Evidence,
    EvidenceKind,
    Framework,
    Item,
    ItemKind,
    OrgRef,
    Respondent,
    Response,
    ResponseSet,
    assess,
    build_catalog,
    dump_document,
    load_document,
    load_framework,
    validate,
)

from .conftest import EXAMPLES

DEMO_SETS = sorted((EXAMPLES / "demo" / "response_sets").glob("*.json"))
READINESS = EXAMPLES / "plugin-event-readiness" / "silk_event_readiness" / "event_readiness.yaml"
NUMERIC = {ItemKind.NUMBER, ItemKind.PERCENTAGE, ItemKind.DURATION}


@cache
def catalog() -> Catalog:
    return build_catalog()


@cache
def demo_frameworks() -> tuple[Framework, ...]:
    """Every framework the demo organisation's response sets answer."""
    found = {}
    for path in DEMO_SETS:
        framework_id = json.loads(path.read_text())["framework_id"]
        if framework_id == "network.event-readiness":  # a network's framework, given as a file
            found[framework_id] = load_framework(READINESS)
        else:
            found[framework_id] = catalog().framework(framework_id)
    return tuple(found[key] for key in sorted(found))


def values_for(framework: Framework, item: Item) -> st.SearchStrategy[Any]:
    """Valid answers to an item, from small pools so that respondents often disagree."""
    options = [option.value for option in framework.options_of(item)]
    if item.kind == ItemKind.MULTI_CHOICE:
        return st.lists(st.sampled_from(options), unique=True, max_size=3).map(tuple)
    if options:
        return st.sampled_from(options)
    if item.kind in NUMERIC:
        low = item.min if item.min is not None else (0.0 if item.kind == ItemKind.PERCENTAGE else -1000.0)
        high = item.max if item.max is not None else (100.0 if item.kind == ItemKind.PERCENTAGE else 1000.0)
        return st.integers(int(low) + 1, int(high)) | st.floats(low, high) | st.sampled_from([low, high])
    if item.kind == ItemKind.DATE:
        return st.sampled_from(["2024-01-31", "2025-06-30", "2026-02-01"])
    writable = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")  # what a document can hold
    return st.sampled_from(["yes", "no", "<b>maybe</b>", "Zürich", "x" * 300]) | st.text(writable, max_size=6)


@st.composite
def response_sets(draw: st.DrawFn, framework: Framework) -> ResponseSet:
    responses = []
    for item in framework.items:
        choice = draw(st.sampled_from(["skip", "value", "value", "value", "not_applicable", "unknown"]))
        if choice == "skip":
            continue
        confidence = draw(st.none() | st.sampled_from([0.0, 0.1, 0.3, 0.7, 1.0]) | st.floats(0, 1))
        evidence = draw(st.sampled_from([(), (Evidence(EvidenceKind.DOCUMENT, "minutes"),)]))
        if choice == "value":
            value = draw(values_for(framework, item))
            responses.append(Response(item.id, value, evidence=evidence, confidence=confidence))
        else:
            responses.append(Response(item.id, status=AnswerStatus(choice), evidence=evidence, confidence=confidence))
    return ResponseSet(
        framework.id,
        framework.version,
        OrgRef(
            "urn:silk:org:demo:x",
            draw(st.sampled_from([None, "Tejidos", "Tejidos S. Coop."])),
            draw(st.sampled_from([None, "ES"])),
        ),
        tuple(responses),
        response_set_id=draw(st.none() | st.sampled_from(["urn:rs:a", "urn:rs:b", "urn:rs:c"])),
        respondent=draw(st.none() | st.builds(Respondent, st.sampled_from(["board", "workers"]), st.none() | st.just("Ana"))),
    )


@st.composite
def respondents(draw: st.DrawFn) -> tuple[Framework, list[ResponseSet]]:
    framework = draw(st.sampled_from(demo_frameworks()))
    return framework, draw(st.lists(response_sets(framework), min_size=2, max_size=4))


@settings(max_examples=max(20, settings.default.max_examples // 4))
@given(respondents())
def test_every_order_of_the_respondents_gives_the_same_score_card(case: tuple[Framework, list[ResponseSet]]) -> None:
    framework, sets = case
    cards = {dump_document(assess(framework, list(order), catalog=catalog())) for order in itertools.permutations(sets)}
    assert len(cards) == 1
    card = json.loads(cards.pop())
    assert validate(card, catalog=catalog()) == []
    assert card["respondents"] == len(sets)


def test_the_demo_respondents_in_either_order() -> None:
    grid = [load_document(path) for path in DEMO_SETS if "evaluation-grid" in path.name]
    first, second = (dump_document(assess("silk.evaluation-grid", order, catalog=catalog())) for order in (grid, grid[::-1]))
    assert first == second


def _descriptive_framework() -> Framework:
    data = {
        "schema": "silkcore_framework-v1.1.0",
        "id": "test.profile",
        "version": "1.0.0",
        "title": {"en": "Profile"},
        "categories": [{"id": "P", "title": {"en": "Profile"}, "scored": False}],
        "items": [
            {"id": "p.text", "category": "P", "kind": "text", "text": {"en": "Name a partner"}, "source": "t"},
            {"id": "p.multi", "category": "P", "kind": "multi_choice", "text": {"en": "Where?"}, "source": "t"},
            {"id": "p.yes", "category": "P", "kind": "yes_no", "text": {"en": "Exporting?"}, "source": "t", "scored": False},
            {"id": "p.same", "category": "P", "kind": "text", "text": {"en": "Sector"}, "source": "t"},
        ],
    }
    data["items"][1]["options"] = [{"value": "fr"}, {"value": "de"}, {"value": "it"}]
    return load_framework(data)


def _set(set_id: str, role: str, *responses: Response) -> ResponseSet:
    return ResponseSet("test.profile", "1.0.0", OrgRef("urn:x"), responses, set_id, respondent=Respondent(role))


def test_disagreeing_descriptive_answers_are_all_kept_sorted_with_who_gave_which() -> None:
    framework = _descriptive_framework()
    board = _set("urn:rs:board", "board", Response("p.text", "Zeta"), Response("p.multi", ("fr", "de")), Response("p.yes", True))
    workers = _set(
        "urn:rs:workers", "workers", Response("p.text", "Alpha"), Response("p.multi", ("it",)), Response("p.yes", False)
    )
    members = _set("urn:rs:members", "members", Response("p.text", "Zeta"), Response("p.same", "textiles"))
    for order in itertools.permutations([board, workers, members]):
        card = assess(framework, list(order), catalog=catalog())
        trace = {entry.item_id: entry for entry in card.trace}
        assert trace["p.text"].value == ("Alpha", "Zeta") and trace["p.text"].respondents == 3
        assert trace["p.text"].reason.endswith(
            'respondents differ: "Alpha" (urn:rs:workers); "Zeta" (urn:rs:board, urn:rs:members)'
        )
        assert trace["p.multi"].value == ("de", "fr", "it")  # every choice anyone made
        assert '["it"] (urn:rs:workers)' in trace["p.multi"].reason
        # Two booleans cannot be one answer value: no value, and the reason says who said what.
        assert trace["p.yes"].value is None
        assert trace["p.yes"].reason.endswith("respondents differ: false (urn:rs:workers); true (urn:rs:board)")
        assert trace["p.same"].value == "textiles" and "differ" not in trace["p.same"].reason
        assert card.profile == {"p.text": ("Alpha", "Zeta"), "p.multi": ("de", "fr", "it"), "p.same": "textiles"}
        assert card.response_set_ids == ("urn:rs:board", "urn:rs:members", "urn:rs:workers")
        assert validate(json.loads(dump_document(card)), catalog=catalog()) == []


def test_respondents_without_ids_are_counted_not_numbered() -> None:
    framework = _descriptive_framework()
    sets = [ResponseSet("test.profile", "1.0.0", OrgRef("urn:x"), (Response("p.text", text),)) for text in ("b", "a", "b")]
    card = assess(framework, sets, catalog=catalog())
    entry = card.trace[0]
    assert entry.value == ("a", "b")
    assert entry.reason.endswith('respondents differ: "a" (unnamed respondent); "b" (2\u00d7 unnamed respondent)')
