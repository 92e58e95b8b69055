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
