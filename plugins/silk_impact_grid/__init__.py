"""SILK Tool 5: how each internationalisation strategy may affect SSE principles (``silk.impact-grid``).

The grid's 35 cells keep the report's text and source; their effect class is inferred from
the text (the legend's symbols were lost) with a reason each. ``silk impact-grid compare``
weighs strategies principle by principle, with indicators to watch and the cases that used them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from silkcore import SilkError, get_catalog, hookimpl

if TYPE_CHECKING:
    from .grid import Cell


def _case_library(documents: Sequence[Any] = ()) -> list[dict[str, Any]] | None:
    """The cases, through the catalog's ``silk.cases.library`` analysis (the Tool 4 plugin
    registers it); None when no plugin offers one - the grid then cites no case."""
    library = next((a for a in get_catalog().analyses() if a.id == "silk.cases.library"), None)
    if library is None:
        return None
    cases: list[dict[str, Any]] = library.run(list(documents))["cases"]
    return cases


@click.group("impact-grid")
def impact_grid_command() -> None:
    """SILK Tool 5: impact of strategies on SSE principles."""


@impact_grid_command.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print every cell as JSON.")
def show(as_json: bool) -> None:
    """Print the grid: every strategy against every principle."""
    from .grid import INFERRED_LEGEND, grid

    g = grid()
    if as_json:
        click.echo(json.dumps([_cell_json(c) for c in g.cells], ensure_ascii=False, indent=2))
        return
    for principle in g.principles:
        click.echo(principle["title"]["en"])
        for strategy in g.strategy_ids():
            click.echo(cell_lines(g.cell(strategy, principle["id"])))
    if any(c.effect_basis == "inferred" for c in g.cells):
        click.echo(f"\n{INFERRED_LEGEND}")


def cell_lines(cell: Cell) -> str:
    """One cell as text: strategy, class (marked when inferred) and the report's text, its
    second paragraph indented under the first - at the margin it would read like a heading."""
    from .grid import INFERRED_MARK

    mark = INFERRED_MARK if cell.effect_basis == "inferred" else ""
    prefix = f"  {cell.strategy:<20} {cell.effect + mark:<16} "
    first, *rest = (cell.text or "-").split("\n")
    # Blank lines between paragraphs are dropped: the indent alone shows where one ends.
    return "\n".join([prefix + first] + [" " * len(prefix) + line for line in rest if line.strip()])


def _cell_json(cell: Any) -> dict[str, Any]:
    return {
        k: getattr(cell, k)
        for k in ("strategy", "principle", "text", "effect", "effect_basis", "effect_reason", "source", "note")
    }


@impact_grid_command.command("compare")
@click.argument("strategies", nargs=-1, required=True)
@click.option(
    "--org",
    "org_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The organisation's documents (organisation, strategies, flows): cases are ranked by similarity to it.",
)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def compare_command(strategies: Sequence[str], org_files: tuple[Path, ...], as_json: bool) -> None:
    """Compare strategies (Tool 5 methods such as cooperation, or approaches such as franchising)."""
    from silkcore import read_documents

    from .compare import compare, render

    try:
        result = compare(strategies, _case_library(read_documents(org_files) if org_files else ()))
    except SilkError as exc:  # first: a DataError is a ValueError too, and bad input is exit 1, not a usage error
        raise click.ClickException(str(exc)) from None
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(json.dumps(result, ensure_ascii=False, indent=2) if as_json else render(result))


class StrategyComparison:
    """Analysis ``silk.impact-grid.compare`` over the strategies found in the documents."""

    id = "silk.impact-grid.compare"

    def run(self, documents: Sequence[Any]) -> dict[str, Any]:
        """Compare the methods that the documents' strategies map onto."""
        from silkcore import Strategy

        from .compare import compare
        from .grid import grid

        approaches = sorted({d.approach.value for d in documents if isinstance(d, Strategy)})
        mapped = [a for a in approaches if grid().methods_for(a)]
        return compare(mapped, _case_library()) if mapped else {"strategies": [], "principles": [], "summary": {}, "cases": {}}


@hookimpl
def silk_register_report_sections(register):  # type: ignore[no-untyped-def]
    """This plugin's report section."""
    from .report import ImpactGridSection

    register(ImpactGridSection())


@hookimpl
def silk_register_analyses(register):  # type: ignore[no-untyped-def]
    """The strategy comparison."""
    register(StrategyComparison())


@hookimpl
def silk_add_cli_commands(cli):  # type: ignore[no-untyped-def]
    """``silk impact-grid``."""
    cli.add_command(impact_grid_command)
