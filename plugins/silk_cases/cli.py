"""``silk cases``: list the report's cases, show one, find those like an organisation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from silkcore import ScoreCard, SilkError, dump_document, get_catalog, load_document, read_documents, terminal_text

from .citing import cite_scorecard
from .library import FLOW_LEGEND, FLOW_MARKS, all_cases, case, flows_with_basis
from .similarity import PHASES, profile_from, rank_cases


@click.group("cases")
def cases_command() -> None:
    """SILK Tool 4: the report's cases as data, and which are like yours."""


@cases_command.command("list")
@click.option("--kind", type=click.Choice(["tool4_case", "policy_case", "strategy_case", "example"]), help="Only this kind.")
@click.option("--json", "as_json", is_flag=True, help="Print the case documents as JSON.")
def list_cases(kind: str | None, as_json: bool) -> None:
    """List the cases (the eight Tool 4 cases first)."""
    found = [c for c in all_cases() if kind is None or c.kind == kind]
    if as_json:
        click.echo("[" + ",\n".join(dump_document(c) for c in found) + "]")
        return
    for c in found:
        year = c.founding_year if c.founding_year is not None else "-"
        approaches = ", ".join(sorted(a.value for a in c.approaches())) or "-"
        click.echo(f"{c.case_id:<36} {c.kind:<12} {c.country or '--'} {year!s:<5} {c.name}  [{approaches}]")


@cases_command.command("show")
@click.argument("case_id")
@click.option(
    "--flows",
    "only_flows",
    is_flag=True,
    help="Print the case's flows, each marked with whether the report states its classification or the project reads it.",
)
@click.option("--json", "as_json", is_flag=True, help="With --flows: the flows as JSON, each with its basis and reason.")
def show_case(case_id: str, only_flows: bool, as_json: bool) -> None:
    """Print one case document (or, with --flows, how its flows are classified and on what basis)."""
    try:
        found = case(case_id)
    except KeyError:
        raise click.UsageError(f"unknown case {case_id!r}; see `silk cases list`") from None
    if not only_flows:
        click.echo(dump_document(found))
        return
    rows = flows_with_basis(found)
    if as_json:
        click.echo(json.dumps({"case_id": found.case_id, "flows": rows}, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(f"{found.case_id}: the report describes no flow")
        return
    for row in rows:
        click.echo(f"{row['flow'] + FLOW_MARKS.get(row['basis'], ''):<36} {row['description']}  [{row['source']}]")
        click.echo(f"{'':<4}{row['basis']}: {row['reason']}")
    click.echo(FLOW_LEGEND)


@cases_command.command("similar")
@click.argument("documents", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--phase", type=click.Choice(PHASES), help="The phase the organisation has reached (see `silk guide`).")
@click.option("--sector", help="Words describing the organisation's sector, if its document has none.")
@click.option("--top", default=5, show_default=True, type=click.IntRange(1), help="How many cases to show.")
@click.option(
    "--scorecard",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also cite cases for this score card's weak items.",
)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def similar(
    documents: tuple[Path, ...], phase: str | None, sector: str | None, top: int, scorecard: Path | None, as_json: bool
) -> None:
    """Rank the cases by similarity to an organisation (its organisation, strategy and flow documents)."""
    try:
        profile = profile_from(read_documents(documents), phase=phase, sector=sector)
        matches = rank_cases(profile, all_cases(), top)
        cited: dict[str, Any] = {}
        if scorecard is not None:
            card = load_document(scorecard)
            if not isinstance(card, ScoreCard):
                raise SilkError(f"{scorecard}: expected a score card")
            cited = cite_scorecard(card, get_catalog().framework(card.framework_id), profile)
    except SilkError as exc:
        raise click.ClickException(str(exc)) from None
    result = {
        "matches": [
            {
                "case_id": m.case_id,
                "name": m.name,
                "similarity": m.score,
                "components": m.components,
                "why": list(m.reasons),
                "shared_flows": list(m.shared_flows),
            }
            for m in matches
        ],
        "cited_for_weak_items": cited,
    }
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for m in matches:
        click.echo(terminal_text(f"{m.score:4.2f}  {m.case_id:<28} {m.name}"))
        click.echo(terminal_text(f"      {'; '.join(m.reasons) or 'weak match'}"))  # reasons quote the user's document
    if any(r["basis"] != "report" for m in matches for r in m.shared_flows):
        click.echo(FLOW_LEGEND)
    for item_id, rows in cited.items():
        click.echo(f"{item_id}: read " + ", ".join(r["case_id"] for r in rows))
