"""The Tool 5 grid as typed values: strategies x SSE principles, effects and indicators."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import attrs

from silkcore import read_plugin_data

GRID_FILE = Path(__file__).with_name("impact_grid.yaml")
EFFECTS = ("likely_improve", "risk_degrade", "uncertain")
# The text views mark a class the project inferred (the report's legend symbols were lost,
# lines 862-866) so that a reader never takes it for the report's own; the JSON says so per cell.
INFERRED_MARK = "*"
INFERRED_LEGEND = (
    "* class inferred by this project from the cell's text: the report's legend symbols were lost"
    " (SILK report, Tool 5, lines 862-866); `--json` gives each cell's reason."
)


@attrs.frozen
class Cell:
    """How one strategy is likely to affect one principle, as the report puts it."""

    strategy: str
    principle: str
    text: str | None
    effect: str
    effect_basis: str
    effect_reason: str
    source: str
    note: str | None = None


@attrs.frozen
class Grid:
    """Both Tool 5 tables and the mapping of the report's approaches onto its methods."""

    strategies: tuple[dict[str, Any], ...]
    principles: tuple[dict[str, Any], ...]
    cells: tuple[Cell, ...]
    indicators: dict[tuple[str, str], tuple[str, ...]]
    indicator_sources: dict[tuple[str, str], str]
    approach_mapping: tuple[dict[str, Any], ...]
    notes: tuple[str, ...]
    source: str

    def cell(self, strategy: str, principle: str) -> Cell:
        """The cell at (strategy, principle); KeyError if absent."""
        for cell in self.cells:
            if cell.strategy == strategy and cell.principle == principle:
                return cell
        raise KeyError((strategy, principle))

    def strategy_ids(self) -> list[str]:
        """The seven strategies (methods), in printed order."""
        return [s["id"] for s in self.strategies]

    def methods_for(self, approach: str) -> list[dict[str, Any]]:
        """The mappings that link a Table 2 approach to Tool 5 methods (an interpretation)."""
        return [m for m in self.approach_mapping if m["approach"] == approach]


@cache
def grid() -> Grid:
    """The grid file, parsed once."""
    data = read_plugin_data(GRID_FILE)
    cells = tuple(
        Cell(
            c["strategy"],
            c["principle"],
            c.get("text"),
            c["effect"],
            c["effect_basis"],
            c["effect_reason"],
            c["source"],
            c.get("note"),
        )
        for c in data["cells"]
    )
    return Grid(
        strategies=tuple(data["strategies"]),
        principles=tuple(data["principles"]),
        cells=cells,
        indicators={(i["method"], i["principle"]): tuple(i["indicators"]) for i in data["indicators"]},
        indicator_sources={(i["method"], i["principle"]): i["source"] for i in data["indicators"]},
        approach_mapping=tuple(data["approach_mapping"]),
        notes=tuple(data["notes"]),
        source=data["source"],
    )
