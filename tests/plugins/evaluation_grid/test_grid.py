"""SILK Tool 2 as data: complete, faithful to the report, and scored in a way SSE users can trust."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import silk_evaluation_grid
from silkcore import AnswerStatus, Framework, ItemKind, OrgRef, Response, ResponseSet, assess, load_document
from silkcore._framework_data import framework_document
from silkcore.testing import catalog_with

from ...conftest import EXAMPLES, ROOT, run_silk

SEED = ROOT.parent / "shared" / "seed" / "000_be0696e1eb364159.txt"
CATALOG = catalog_with(silk_evaluation_grid)
GRID: Framework = CATALOG.framework("silk.evaluation-grid")
EXAMPLE_SETS = sorted((EXAMPLES / "response_sets").glob("evaluation-grid-*.json"))
DEMO_SETS = sorted((EXAMPLES / "demo" / "response_sets").glob("evaluation-grid-*.json"))


def test_frameworks_show_json_lists_78_items_in_six_categories() -> None:
    result = run_silk("frameworks", "show", "silk.evaluation-grid", "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [c["id"] for c in doc["categories"]] == list("ABCDEF")
    counts = Counter(item["category"] for item in doc["items"])
    assert [counts[c] for c in "ABCDEF"] == [7, 20, 16, 15, 12, 8]
    assert len(doc["items"]) == 78
    for item in doc["items"]:
        assert item["source"].startswith("SILK report"), item["id"]
        if item["scored"]:
            has_scores = item.get("options") and all("score" in o for o in item["options"])
            has_range = "min" in item and "max" in item
            assert has_scores or has_range, item["id"]
    assert doc["scoring"]["overall"] is False


def test_ids_keep_the_printed_numbers() -> None:
    ids = [i.id for i in GRID.items]
    expected = (
        [f"A.{n:02d}" for n in range(1, 8)]
        + [f"B.{n:02d}" for n in range(8, 28)]
        + [f"C.{n:02d}" for n in range(6, 22)]
        + [f"D.{n:02d}" for n in range(1, 16)]
        + [f"E.{n:02d}" for n in range(1, 13)]
        + [f"F.{n:02d}" for n in range(1, 9)]
    )
    assert ids == expected
    assert all(item.label == str(int(item.id[2:])) for item in GRID.items)


@pytest.mark.skipif(not SEED.exists(), reason="the SILK report is not beside this clone")
def test_every_item_text_is_printed_at_its_source_line() -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    for item in GRID.items:
        numbers = [int(n) for n in re.findall(r"\d+", item.source.split("line", 1)[1])]
        cited = " ".join(lines[n - 1] for n in range(numbers[0], numbers[-1] + 1))
        assert f"{item.label}. {item.text['en']}" in cited, (item.id, item.source)


def test_item_kinds_fit_the_questions() -> None:
    kind = {i.id: i.kind for i in GRID.items}
    assert kind["A.01"] == ItemKind.CHOICE and {o.value for o in GRID.options_of(GRID.item("A.01"))} == {
        "inward",
        "outward",
        "reciprocal",
    }
    assert kind["A.07"] == ItemKind.MULTI_CHOICE
    assert kind["B.08"] == ItemKind.PERCENTAGE and kind["B.11"] == ItemKind.DURATION
    assert {kind["B.12"], kind["B.18"], kind["B.21"]} == {ItemKind.SCALE}
    assert all(GRID.item(i).scale == "difficulty" and GRID.item(i).reverse for i in ("B.12", "B.18", "B.21"))
    assert GRID.item("C.13").reverse and GRID.item("C.20").reverse
    assert GRID.item("C.12").note and "statement" in GRID.item("C.12").note  # type: ignore[operator]
    assert not any(GRID.is_scored(i) for i in GRID.items if i.category == "A")
    assert all(GRID.is_scored(i) for i in GRID.items if i.category in "CDEF")


def test_sse_flags_stated_and_inferred() -> None:
    stated = {i.id for i in GRID.items if i.sse_specific_basis == "stated"}
    assert stated == {"C.06", "C.07", "D.02", "D.03", "E.03"}
    assert all(GRID.item(i).sse_specific for i in stated)
    for item in GRID.items:
        assert item.sse_specific is not None and item.sse_specific_basis in ("stated", "inferred"), item.id
        if item.sse_specific_basis == "inferred":
            assert item.sse_specific_reason, item.id


def test_every_item_has_help_and_case_pointers_are_tool4_ids() -> None:
    tool4 = {
        "koica",
        "equal_exchange",
        "coopcycle",
        "coopcycle_mexico",
        "development_alternatives",
        "mce_conseils",
        "mondragon",
        "social_enterprise_academy",
    }
    assert all(item.help and item.help.get("en") for item in GRID.items)
    assert set().union(*(set(i.cases) for i in GRID.items)) <= tool4


def best_value(item_id: str) -> object:
    item = GRID.item(item_id)
    options = GRID.options_of(item)
    if item.kind in (ItemKind.NUMBER, ItemKind.PERCENTAGE, ItemKind.DURATION):
        return item.min if item.reverse else item.max
    scores = [(o.score if not item.reverse else 1 - (o.score or 0), o.value) for o in options]
    return max(scores, key=lambda s: s[0])[1]


def response_set(responses: list[Response]) -> ResponseSet:
    return ResponseSet("silk.evaluation-grid", "1.0.0", OrgRef("urn:test:org"), tuple(responses))


BEST = [Response(i.id, best_value(i.id)) for i in GRID.items if GRID.is_scored(i)]


def test_all_best_answers_give_one_in_every_scored_category() -> None:
    card = assess(GRID, response_set(BEST), catalog=CATALOG)
    for category in card.categories:
        if category.id == "A":
            assert category.score is None
        else:
            assert category.score == 1.0 and category.coverage == 1.0, category


SCORED_IDS = [i.id for i in GRID.items if GRID.is_scored(i) and i.kind == ItemKind.SCALE]


@given(st.sampled_from(SCORED_IDS), st.data())
def test_improving_one_answer_never_lowers_its_category(item_id: str, data: st.DataObject) -> None:
    item = GRID.item(item_id)
    options = list(GRID.options_of(item))
    effective = sorted(options, key=lambda o: (1 - (o.score or 0)) if item.reverse else (o.score or 0))
    low, high = sorted(data.draw(st.lists(st.integers(0, len(effective) - 1), min_size=2, max_size=2)))
    others = data.draw(
        st.fixed_dictionaries(
            {i: st.sampled_from([o.value for o in GRID.options_of(GRID.item(i))]) for i in SCORED_IDS if i != item_id}
        )
    )
    base = [Response(k, v) for k, v in others.items()]
    worse = assess(GRID, response_set([*base, Response(item_id, effective[low].value)]), catalog=CATALOG)
    better = assess(GRID, response_set([*base, Response(item_id, effective[high].value)]), catalog=CATALOG)
    assert better.category(item.category).score >= worse.category(item.category).score  # type: ignore[operator]


def test_not_applicable_changes_coverage_not_the_scale() -> None:
    marked = [r if r.item_id != "C.15" else Response("C.15", status=AnswerStatus.NOT_APPLICABLE) for r in BEST]
    card = assess(GRID, response_set(marked), catalog=CATALOG)
    assert card.category("C").score == 1.0
    assert card.category("C").coverage == pytest.approx(15 / 16, abs=1e-6)
    unknown = [r if r.item_id != "C.15" else Response("C.15", status=AnswerStatus.UNKNOWN) for r in BEST]
    assert assess(GRID, response_set(unknown), catalog=CATALOG).category("C").score == 1.0


def test_worst_answers_give_zero() -> None:
    def worst(item_id: str) -> object:
        item = GRID.item(item_id)
        scores = [(o.score if not item.reverse else 1 - (o.score or 0), o.value) for o in GRID.options_of(item)]
        return min(scores, key=lambda s: s[0])[1]

    responses = [Response(i.id, worst(i.id)) for i in GRID.items if GRID.is_scored(i)]
    card = assess(GRID, response_set(responses), catalog=CATALOG)
    assert {c.id: c.score for c in card.categories} == {"A": None, "B": 0.0, "C": 0.0, "D": 0.0, "E": 0.0, "F": 0.0}


@pytest.mark.parametrize("path", EXAMPLE_SETS, ids=lambda p: p.name)
def test_illustrative_examples_score_and_repeat_byte_for_byte(path: Path) -> None:
    doc = load_document(path)
    assert doc.illustrative and doc.mode in ("prospective", "retrospective")
    assert len(doc.responses) == 78
    for response in doc.responses:
        if response.value is not None:
            assert response.evidence, f"{response.item_id}: an illustrative answer must cite the report"
    first = run_silk("assess", "--framework", "silk.evaluation-grid", str(path), "--json")
    assert first.returncode == 0, first.stderr
    card = json.loads(first.stdout)
    assert [c["id"] for c in card["categories"]] == list("ABCDEF")
    assert "coverage" in card and len(card["trace"]) == 78
    second = run_silk("assess", "--framework", "silk.evaluation-grid", str(path), "--json")
    assert first.stdout == second.stdout


def test_examples_cover_both_modes() -> None:
    assert {load_document(p).mode for p in EXAMPLE_SETS} == {"prospective", "retrospective"}


def test_several_respondents_consolidate() -> None:
    sets = [load_document(p) for p in DEMO_SETS]
    card = assess(GRID, sets, catalog=CATALOG)
    assert card.respondents == 2
    d08 = next(t for t in card.trace if t.item_id == "D.08")
    assert d08.respondents == 2 and d08.spread == 0.5
    assert any(f.kind.value == "disagreement" and f.item_id == "D.08" for f in card.findings)


def test_overall_can_be_turned_on_by_a_network() -> None:
    grid = attrs.evolve(GRID, scoring=attrs.evolve(GRID.scoring, overall=True))
    card = assess(grid, response_set(BEST), catalog=CATALOG)
    assert card.overall == 1.0


def test_framework_document_is_schema_valid() -> None:
    from silkcore._documents import validate

    assert validate(framework_document(GRID)) == []
