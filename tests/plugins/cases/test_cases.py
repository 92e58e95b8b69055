"""SILK Tool 4: the report's cases as data, faithful to every cell, and which cases are like mine."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from silk_cases.library import TOOL4_ORDER, all_cases, case
from silk_cases.similarity import WEIGHTS, Profile, case_profile, profile_from, rank_cases, similarity
from silkcore import Approach, Direction, FlowKind, SseFamily, load_document

from ...conftest import EXAMPLES, ROOT, run_silk

SEED = ROOT.parent / "shared" / "seed" / "000_be0696e1eb364159.txt"


def test_listing_has_the_eight_tool4_cases_with_their_founding_years() -> None:
    result = run_silk("cases", "list", "--kind", "tool4_case", "--json")
    assert result.returncode == 0, result.stderr
    cases = json.loads(result.stdout)
    assert [c["case_id"] for c in cases] == list(TOOL4_ORDER)
    assert [c["founding_year"] for c in cases] == [1991, 1986, 2016, 2016, 1983, 1983, 1956, 2004]
    assert all(c["schema"] == "silkcore_case-v1.0.0" for c in cases)


def test_mondragon_growth_figures_exactly_as_printed() -> None:
    figures = {(f.value, f.compared_with) for f in case("mondragon").figures}
    assert {("28.04", "13.71"), ("52.5", "24.71"), ("140.58", "21.04")} <= figures
    for value, compared in figures:
        Decimal(value), Decimal(compared or "0")  # exact decimals, never floats


def test_coopcycle_box_facts() -> None:
    figures = {(f.value, f.unit): f.source for f in case("coopcycle").figures}
    assert "Box 2" in figures[("2", "%")] and "Box 2" in figures[("7", "services")] and "Box 2" in figures[("12", "countries")]


def test_empty_cells_stay_unknown() -> None:
    mexico = case("coopcycle_mexico")
    assert mexico.phase_reached is None
    assert all(cell is None for cell in mexico.phases.values())


@pytest.mark.skipif(not SEED.exists(), reason="the SILK report is not beside this clone")
def test_every_cell_is_printed_at_its_source() -> None:
    import re

    lines = SEED.read_text(encoding="utf-8").splitlines()
    checked = 0
    for c in all_cases():
        if c.kind != "tool4_case":
            continue
        for cell in [*c.organisation.values(), *c.phases.values()]:
            if cell is None:
                continue
            numbers = [int(n) for n in re.findall(r"\d+", cell.source.split("line", 1)[1])]
            cited = " ".join(lines[n - 1] for n in numbers)
            first_words = cell.text.split("\n")[0][:60]
            assert first_words in cited, (c.case_id, cell.source, first_words)
            checked += 1
    assert checked > 50


def test_all_case_files_validate() -> None:
    files = sorted((ROOT / "plugins" / "silk_cases" / "data").glob("*.json"))
    assert run_silk("validate", *map(str, files)).returncode == 0
    kinds = {c.kind for c in all_cases()}
    assert {"tool4_case", "policy_case"} <= kinds
    assert len([c for c in all_cases() if c.kind == "policy_case"]) == 5


def test_similarity_is_explained_and_bounded() -> None:
    profile = Profile(
        approaches=frozenset({Approach.IMPORT_EXPORT, Approach.SHARED_CERTIFICATION}),
        flows=frozenset({(FlowKind.GOODS, Direction.INWARD)}),
        family=SseFamily.COOPERATIVE,
        sector_words=frozenset({"fair", "trade"}),
        phase="operationalisation",
    )
    match = similarity(profile, case("equal_exchange"))
    assert 0 < match.score <= 1
    assert set(match.components) <= set(WEIGHTS)
    assert any("import_export" in r for r in match.reasons)
    assert similarity(case_profile(case("mondragon")), case("mondragon")).score == 1.0


def test_missing_data_is_not_a_penalty() -> None:
    only_strategies = Profile(approaches=case("coopcycle_mexico").approaches())
    assert similarity(only_strategies, case("coopcycle_mexico")).score == 1.0
    assert similarity(Profile(), case("mondragon")).score == 0.0


def test_ranking_for_the_demo_organisation() -> None:
    documents = [load_document(EXAMPLES / "demo" / "organisation.json")]
    documents += [load_document(p) for p in sorted((EXAMPLES / "documents").glob("flow-*.json"))]
    documents.append(load_document(EXAMPLES / "documents" / "strategy-shared-certification.json"))
    matches = rank_cases(profile_from(documents, phase="operationalisation"), all_cases(), 3)
    assert matches[0].case_id == "equal_exchange"
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_cli_similar_cites_cases_for_weak_items(tmp_path: object) -> None:
    card_path = f"{tmp_path}/card.json"
    demo_sets = sorted((EXAMPLES / "demo" / "response_sets").glob("evaluation-grid-*.json"))
    assert run_silk("assess", "-f", "silk.evaluation-grid", *map(str, demo_sets), "-o", card_path).returncode == 0
    result = run_silk(
        "cases",
        "similar",
        str(EXAMPLES / "demo" / "organisation.json"),
        str(EXAMPLES / "documents" / "flow-cotton-import.json"),
        "--scorecard",
        card_path,
        "--json",
    )
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["matches"] and output["matches"][0]["why"]
    assert output["cited_for_weak_items"], "weak Tool 2 items that point to cases get them cited"
