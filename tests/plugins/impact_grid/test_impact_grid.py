"""SILK Tool 5: the grid is complete, every inferred class has a reason, comparisons are stable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from silk_impact_grid.compare import compare, resolve
from silk_impact_grid.grid import EFFECTS, grid

from ...conftest import EXAMPLES, ROOT, run_silk

GOLDEN = Path(__file__).with_name("golden")
SEED = ROOT.parent / "shared" / "seed" / "000_be0696e1eb364159.txt"


def test_seven_strategies_by_five_principles_every_cell_classified() -> None:
    g = grid()
    assert g.strategy_ids() == [
        "cooperation",
        "diversification",
        "merger",
        "acquisition",
        "spreading",
        "benchmark_analysis",
        "spin_off",
    ]
    assert len(g.principles) == 5 and len(g.cells) == 35
    for strategy in g.strategy_ids():
        for principle in g.principles:
            cell = g.cell(strategy, principle["id"])
            assert cell.effect in EFFECTS and cell.source
            assert cell.effect_basis == "inferred" and cell.effect_reason, (
                "the legend was lost: every class is inferred with a reason"
            )
            assert cell.text is None or cell.text.strip()


def test_indicator_table_has_six_methods_without_benchmark_analysis() -> None:
    methods = {method for method, _ in grid().indicators}
    assert methods == {"cooperation", "diversification", "merger", "acquisition", "spreading", "spin_off"}
    assert all(indicators for indicators in grid().indicators.values())


@pytest.mark.skipif(not SEED.exists(), reason="the SILK report is not beside this clone")
def test_cell_texts_are_printed_in_the_report() -> None:
    text = SEED.read_text(encoding="utf-8")
    for cell in grid().cells:
        if cell.text:
            assert cell.text.split("\n")[0] in text, (cell.strategy, cell.principle)


def test_approaches_map_to_methods_as_interpretation() -> None:
    [option] = resolve(["joint_venture"])
    assert option["method"] == "cooperation" and option["via"]["basis"] == "interpretation"
    with pytest.raises(ValueError, match="neither"):
        resolve(["world_domination"])


@pytest.mark.parametrize(
    ("golden", "args"),
    [
        (
            "tejidos-franchising-vs-joint-venture.json",
            [
                "franchising",
                "joint_venture",
                "--org",
                str(EXAMPLES / "demo" / "organisation.json"),
                "--org",
                str(EXAMPLES / "documents" / "strategy-shared-certification.json"),
                "--org",
                str(EXAMPLES / "documents" / "flow-cotton-import.json"),
                "--org",
                str(EXAMPLES / "documents" / "flow-training-licence.json"),
            ],
        ),
        (
            "sol-del-valle-cooperation-vs-merger.json",
            ["cooperation", "merger", "--org", str(EXAMPLES / "documents" / "organisation-sol-del-valle.json")],
        ),
    ],
)
def test_golden_comparisons(golden: str, args: list[str]) -> None:
    result = run_silk("impact-grid", "compare", *args, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads((GOLDEN / golden).read_text())


def test_comparison_prints_effect_indicators_and_cases_per_principle() -> None:
    result = run_silk("impact-grid", "compare", "cooperation", "spin_off")
    assert result.returncode == 0
    assert result.stdout.count("watch:") >= 3 and "cases that used spin_off:" in result.stdout
    data = compare(["cooperation"])
    for row in data["principles"]:
        [s] = row["strategies"]
        assert (s["effect"] == "likely_improve") == (not s["indicators_to_watch"])


def test_show_indents_second_paragraphs_and_marks_inferred_classes() -> None:
    result = run_silk("impact-grid", "show")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    titles = {p["title"]["en"] for p in grid().principles}
    # Every line is a principle title, a cell row, an indented continuation, blank, or the legend.
    for line in lines:
        assert line in titles or line.startswith("  ") or not line or line.startswith("* "), line
    continuation = "May be the subject of a franchisee contract"
    [at] = [n for n, line in enumerate(lines) if line.strip() == continuation]
    spin_off = lines[at - 1]  # the cell's first paragraph, on its own row
    assert spin_off.startswith("  spin_off ") and lines[at].index(continuation) == spin_off.index("The economic benefits")
    assert "uncertain*" in spin_off
    assert lines[-1].startswith("* class inferred by this project") and "lines 862-866" in lines[-1]


def test_compare_indents_second_paragraphs_and_has_the_legend() -> None:
    lines = run_silk("impact-grid", "compare", "spin_off").stdout.splitlines()
    [at] = [n for n, line in enumerate(lines) if line.strip() == "May be the subject of a franchisee contract"]
    assert lines[at].index("May") == lines[at - 1].index("The economic benefits")
    text = "\n".join(lines)
    assert "? uncertain*:" in text and "* class inferred by this project" in text


def test_equal_exchange_received_fdi_so_it_is_not_counted_as_an_acquisition() -> None:
    result = run_silk("impact-grid", "compare", "fdi", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert "equal_exchange" not in {c["case_id"] for c in data["cases"]["acquisition"]}
    [left_out] = data["cases_not_counted"]["acquisition"]
    assert left_out["case_id"] == "equal_exchange" and "line 811" in left_out["source"]
    assert "not counted: equal_exchange" in run_silk("impact-grid", "compare", "fdi").stdout


@pytest.mark.skipif(not SEED.exists(), reason="the SILK report is not beside this clone")
def test_the_equal_exchange_reading_quotes_its_line() -> None:
    # The reason quotes the report: the line it cites must print the quoted words.
    assert "started investing in EE" in SEED.read_text(encoding="utf-8").splitlines()[810]


def test_an_unknown_strategy_names_the_mapping_as_the_projects_and_lists_the_approaches() -> None:
    result = run_silk("impact-grid", "compare", "nonsense")
    assert result.returncode == 2
    assert "the report links" not in result.stderr
    assert "an approach this project maps onto one (fdi, franchising," in result.stderr


def test_compare_with_a_bad_organisation_file_is_bad_input_not_usage(tmp_path: Path) -> None:
    """Exit 1 with the file's place, as every command's bad input (a DataError is a ValueError
    too, and was taken for a usage error: exit 2 and the usage text)."""
    garbage = tmp_path / "org.json"
    garbage.write_text("garbage")
    result = run_silk("impact-grid", "compare", "cooperation", "--org", str(garbage))
    assert result.returncode == 1 and "Usage:" not in result.stderr and "org.json:1:1" in result.stderr
