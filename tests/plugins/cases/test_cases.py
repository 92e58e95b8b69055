"""SILK Tool 4: the report's cases as data, faithful to every cell, and which cases are like mine."""

from __future__ import annotations

import json
import re
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


def test_every_case_flow_has_a_basis_and_a_one_line_reason() -> None:
    from silk_cases.library import FLOW_BASES, flow_bases, flow_label

    bases = flow_bases()
    counted = 0
    for c in all_cases():
        entries = bases.get(c.case_id, ())
        assert len(entries) == len(c.flows), c.case_id
        for flow, entry in zip(c.flows, entries, strict=True):
            assert entry["flow"] == flow_label(flow), (c.case_id, entry["flow"])
            assert entry["basis"] in FLOW_BASES and entry["reason"] and "\n" not in entry["reason"]
            if entry["basis"] == "report":
                assert "line" in entry["reason"].lower(), (c.case_id, entry["flow"])
            counted += 1
    assert counted == sum(len(c.flows) for c in all_cases()) > 50
    tool4 = [e for c in TOOL4_ORDER for e in bases.get(c, ())]
    assert {e["basis"] for e in tool4} == {"report", "inferred"}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"flow": "finance outward", "basis": "report", "reason": "Line 1."}, "is 'finance inward'"),
        ({"flow": "finance inward", "basis": "stated", "reason": "Line 1."}, "basis must be one of report, inferred, project"),
        ({"flow": "finance inward", "basis": "inferred", "reason": ""}, "reason must be one non-empty line"),
        ({"flow": "finance inward", "basis": "report", "reason": "As printed."}, "names the line it is read from"),
    ],
)
def test_the_loader_refuses_a_flow_without_a_valid_basis(entry: dict[str, str], message: str) -> None:
    from silk_cases.library import check_flow_bases

    tise = case("tise")
    with pytest.raises(ValueError, match=message):
        check_flow_bases(
            {"tise": [entry, {"flow": "intangible inward (knowledge)", "basis": "report", "reason": "Line 1049."}]}, [tise]
        )
    with pytest.raises(ValueError, match="has 2 flows but 1 entries"):
        check_flow_bases({"tise": [entry]}, [tise])
    with pytest.raises(ValueError, match="no flows to mark for b_lab"):
        check_flow_bases({"b_lab": []}, [tise, case("b_lab")])


def test_the_academys_finance_inward_is_the_projects_reading_with_its_reason() -> None:
    data = json.loads(run_silk("cases", "show", "social_enterprise_academy", "--flows", "--json").stdout)
    [inward] = [f for f in data["flows"] if f["flow"] == "finance inward"]
    assert inward["basis"] == "inferred" and "line 897" in inward["source"]
    assert "domestic" in inward["reason"] and "EU" in inward["reason"] and "no split" in inward["reason"]
    # What the report states directly is marked so, with its line.
    [outward] = [f for f in data["flows"] if f["flow"] == "finance outward"]
    assert outward["basis"] == "report" and outward["reason"].startswith("Line 817")
    assert "finance inward flow (line 897) is the project's reading" in (case("social_enterprise_academy").note or "")


def test_cases_show_flows_marks_the_inferred_ones_with_a_legend() -> None:
    text = run_silk("cases", "show", "social_enterprise_academy", "--flows").stdout
    assert re.search(r"^finance inward~ +Matched funds", text, flags=re.M)
    assert re.search(r"^finance outward +The surplus", text, flags=re.M)
    assert "    inferred: Line 897" in text
    assert "~ flow classification inferred: the project's reading of the report, not stated by it" in text
    # Without --flows the command still prints the case document itself, valid against its schema.
    document = json.loads(run_silk("cases", "show", "social_enterprise_academy").stdout)
    assert document["schema"] == "silkcore_case-v1.0.0" and "basis" not in document["flows"][0]


def test_similar_marks_a_shared_flow_the_case_only_infers() -> None:
    documents = [str(EXAMPLES / "demo" / name) for name in ("organisation.json", "strategies.jsonl", "flows.jsonl")]
    args = ["cases", "similar", *documents, "--phase", "operationalisation", "--top", "3"]
    text = run_silk(*args).stdout
    # CoopCycle's finance inward (members' contributions) is the project's reading; Equal
    # Exchange's (investment by farmer coops abroad, line 811) is stated by the report.
    assert "same flows: finance inward~, intangible inward~, intangible outward;" in text
    assert "same flows: finance inward, finance outward, goods inward, intangible inward, intangible outward~;" in text
    assert "~ flow classification inferred" in text
    data = json.loads(run_silk(*args, "--json").stdout)
    coopcycle = next(m for m in data["matches"] if m["case_id"] == "coopcycle")
    assert {"flow": "finance inward", "basis": "inferred"} in coopcycle["shared_flows"]
    assert {"flow": "intangible outward", "basis": "report"} in coopcycle["shared_flows"]


def test_the_report_section_gives_the_flow_legend() -> None:
    from silk_cases.report import CasesSection
    from silkcore import get_catalog
    from silkcore.report import ReportContext

    documents = [load_document(EXAMPLES / "demo" / "organisation.json")]
    documents += [load_document(p) for p in sorted((EXAMPLES / "documents").glob("flow-*.json"))]
    section = CasesSection().render(ReportContext(documents[0], documents, [], [], get_catalog()))
    assert section is not None
    assert "~" in section.markdown and "flow classification inferred" in section.markdown
    assert '<p class="legend"><small>~ flow classification inferred' in str(section.html)


@pytest.mark.skipif(not SEED.exists(), reason="the SILK report is not beside this clone")
def test_every_flow_basis_reason_quotes_the_lines_it_cites() -> None:
    from silk_cases.library import flow_bases

    lines = SEED.read_text(encoding="utf-8").splitlines()
    checked = 0
    for case_id, entries in flow_bases().items():
        for entry in entries:
            reason = entry["reason"]
            cited: set[int] = set()
            for first, last in re.findall(r"[Ll]ines? (\d+)(?:-(\d+))?", reason):
                cited.update(range(int(first), int(last or first) + 1))
            printed = " ".join(lines[n - 1] for n in sorted(cited)).replace("\u2019", "'")
            for quote in re.findall(r"(?<!\w)'([^']+?)'(?!\w)", reason):
                for part in quote.split(" ... "):
                    if len(part) >= 12:
                        assert part in printed, (case_id, entry["flow"], part)
                        checked += 1
    assert checked > 40
