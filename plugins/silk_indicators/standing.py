"""Where an organisation stands on the Tool 3 indicators, and ``silk indicators``."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import click

from silkcore import PRIORITY_WEIGHTS, IndicatorStanding, Measurement, SilkError, rank, read_documents, standing

from .catalogue import DIRECTION_LEGEND, FRAMEWORK_ID, catalogue, definitions, direction_marked, phase_of, tool2_items


def _number(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return format(
        value.quantize(Decimal("0.01")) if value == value.to_integral_value() or abs(value) >= 1 else value.normalize(), "f"
    )


def standing_json(result: IndicatorStanding) -> dict[str, Any]:
    """One standing as JSON, with the phase and the related Tool 2 questions."""
    row: dict[str, Any] = {
        "indicator_id": result.indicator_id,
        "phase": phase_of(result.indicator_id),
        "status": result.status,
        "value": _number(result.value),
        "previous": _number(result.previous),
        "trend": result.trend,
        "target": _number(result.target),
        "baseline": _number(result.baseline),
        "distance_to_target": _number(result.distance_to_target),
        "planned": _number(result.planned),
        "planned_gap": _number(result.planned_gap),
        "judgement": result.judgement,
        "reason": result.reason,
        "period": None
        if result.period is None
        else {"start": result.period.start.isoformat(), "end": result.period.end.isoformat() if result.period.end else None},
        "priority": result.priority,
        "tool2_items": list(tool2_items(result.indicator_id)),
    }
    return {k: v for k, v in row.items() if v is not None}


def analyse(measurements: Sequence[Measurement]) -> dict[str, Any]:
    """Every indicator's standing, and the ranked list of what to address."""
    results = [standing(definition, compute, measurements) for definition, compute in definitions()]
    to_address = [r for r in rank(results) if r.status in ("off_track", "not_computable") or r.trend == "worsening"]
    return {
        "framework_id": FRAMEWORK_ID,
        "indicators": [standing_json(r) for r in results],
        "to_address": [standing_json(r) for r in to_address],
        "without_data": [r.indicator_id for r in results if r.status == "no_data"],
        # The ranking's weights with their basis and reason: none of them is the report's.
        "priority_weights": [attrs.asdict(w) for w in PRIORITY_WEIGHTS.values()],
    }


def weights_line(_: Callable[[str], str] = str) -> str:
    """The ranking's weights in one line, each marked with its basis, for the text views;
    ``_`` translates it (a report's ``context.gettext``)."""
    marks = {"project": "*", "inferred": "~"}
    weights = ", ".join(f"{w.id} {w.value:g}{marks.get(w.basis, '')}" for w in PRIORITY_WEIGHTS.values())
    return _(
        "Order by priority: %(weights)s. * the project's weights: the report gives no order (`--json` gives each reason)."
    ) % {"weights": weights}


class StandingAnalysis:
    """Analysis ``silk.indicators.standing`` over an organisation's measurements."""

    id = "silk.indicators.standing"

    def run(self, documents: Sequence[Any]) -> dict[str, Any]:
        """Standing of every indicator from the measurements among ``documents``."""
        return analyse([d for d in documents if isinstance(d, Measurement)])


def read_measurements(paths: Sequence[Path]) -> list[Measurement]:
    """Measurement documents from JSON files, or JSON Lines files with one a line."""
    return [_measurement(document) for document in read_documents(paths)]


def _measurement(document: Any) -> Measurement:
    if not isinstance(document, Measurement):
        raise SilkError(f"expected measurements, got a {type(document).__name__}")
    return document


@click.group("indicators")
def indicators_command() -> None:
    """SILK Tool 3: the indicators to follow in each phase."""


@indicators_command.command("list")
@click.option("--phase", help="Only this phase (introspection, prospection, operationalisation, performance_assessment).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def list_command(phase: str | None, as_json: bool) -> None:
    """List the indicators with their unit, direction and how they are computed."""
    data = catalogue()
    phases = [p["id"] for p in data["phases"]]
    if phase is not None and phase not in phases:  # a typo must not look like a phase without indicators
        raise click.BadParameter(f"{phase!r} is not a phase; expected one of {', '.join(phases)}", param_hint="'--phase'")
    rows = [e for e in data["indicators"] if phase is None or e["phase"] == phase]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for entry in rows:
        direction, _ = direction_marked(entry["indicator_id"])
        method = entry["computation"]["method"]
        click.echo(f"{entry['indicator_id']:<40} {entry['unit']:<9} {method:<12} {direction:<18} {entry['label']}")
    if rows:
        click.echo(f"\n{DIRECTION_LEGEND}")


@indicators_command.command("standing")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def standing_command(files: tuple[Path, ...], as_json: bool) -> None:
    """Where the organisation stands, from measurement files (JSON or JSON Lines)."""
    result = analyse(read_measurements(files))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo("What needs addressing first:")
    for row in result["to_address"]:
        detail = (
            row.get("reason") or f"value {row.get('value')} vs target {row.get('target', '-')}, trend {row.get('trend', '-')}"
        )
        questions = ", ".join(row["tool2_items"]) or "-"
        click.echo(f"  {row['indicator_id']:<40} [{row['phase']}] {row['status']}: {detail} (Tool 2: {questions})")
    click.echo(f"  {weights_line()}")
    click.echo("All indicators:")
    for row in result["indicators"]:
        value = row.get("value") or row.get("judgement") or "-"
        planned = f" planned {row['planned']}" if "planned" in row else ""
        click.echo(f"  {row['indicator_id']:<40} {row['status']:<14} {value:>12}{planned}  trend {row.get('trend', '-')}")
