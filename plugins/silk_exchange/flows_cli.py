"""``silk flows``: the kinds x directions matrix and what it shows, for one organisation."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click

from silkcore import FLOW_DIRECTIONS as DIRECTIONS
from silkcore import FLOW_KINDS as KINDS
from silkcore import Flow, FlowAnalysis, Organisation, Period, SilkError, analyse_flows, read_documents


def render(analysis: FlowAnalysis) -> str:
    """The matrix and figures as text."""
    lines = [f"Flows of {analysis.focal}: {analysis.flows}", f"  {'kind':<12} {'inward':>28} {'outward':>28}"]
    for kind in KINDS:
        cells = []
        for direction in DIRECTIONS:
            cell = analysis.matrix[(kind, direction)]
            money = ", ".join(f"{v:,.2f} {c}" for c, v in sorted(cell.money.items()))
            cells.append(f"{cell.count}" + (f" ({money})" if money else ""))
        lines.append(f"  {kind.value:<12} {cells[0]:>28} {cells[1]:>28}")
    share = "-" if analysis.intangible_share is None else f"{analysis.intangible_share:.0%}"
    balance = "-" if analysis.balance is None else f"{analysis.balance:+.2f}"
    lines += [
        f"  intangible share: {share}",
        f"  balance (outward - inward) / all: {balance}  (+1 all outward, -1 all inward, 0 even)",
        f"  partners: {len(analysis.partners)}; countries: {', '.join(analysis.countries) or '-'}",
    ]
    if analysis.by_strategy:
        lines.append("  by strategy: " + ", ".join(f"{k} {v}" for k, v in analysis.by_strategy.items()))
    if analysis.reciprocal_pairs:
        lines.append("  reciprocal pairs: " + ", ".join(f"{a} <-> {b}" for a, b in analysis.reciprocal_pairs))
    if analysis.converted_total:
        lines.append("  converted: " + ", ".join(f"{k}: {v:,.2f}" for k, v in analysis.converted_total.items()))
    return "\n".join(lines)


@click.group("flows")
def flows_command() -> None:
    """Internationalisation as flows: goods, services, finance and intangibles, in and out."""


@flows_command.command("analyse")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "org_id", help="The focal organisation (default: the organisation document among FILES).")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="Only flows overlapping this period (start).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="End of the period.")
@click.option("--rate", "rates", multiple=True, help="CUR=VALUE: units of --base per unit of CUR (explicit conversion only).")
@click.option("--base", help="The currency converted totals are expressed in.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def analyse(
    files: tuple[Path, ...],
    org_id: str | None,
    start: dt.datetime | None,
    end: dt.datetime | None,
    rates: tuple[str, ...],
    base: str | None,
    as_json: bool,
) -> None:
    """The kinds x directions matrix, intangible share, balance, partners and reciprocal pairs."""
    try:
        documents = read_documents(files)
        if org_id is None:
            organisation = next((d for d in documents if isinstance(d, Organisation)), None)
            if organisation is None:
                raise click.UsageError("name the focal organisation with --org, or pass its organisation document")
            org_id = organisation.org_id
        table: dict[str, Decimal] | None = None
        if rates:
            try:
                table = {code: Decimal(value) for code, value in (r.split("=", 1) for r in rates)}
            except (ValueError, InvalidOperation):
                raise click.UsageError("--rate takes CUR=VALUE, e.g. --rate USD=0.92") from None
            # A rate is a positive finite number: NaN, infinity, 0 or less would convert money into nonsense.
            if not all(rate.is_finite() and rate > 0 for rate in table.values()):
                raise click.UsageError("--rate takes a positive number: CUR=VALUE, e.g. --rate USD=0.92")
        if end is not None and start is None:
            raise click.UsageError("--to needs --from: a period starts somewhere")
        period = Period(start.date(), end.date() if end else None) if start else None
        result = analyse_flows([d for d in documents if isinstance(d, Flow)], org_id, period=period, rates=table, base=base)
    except SilkError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2) if as_json else render(result))
