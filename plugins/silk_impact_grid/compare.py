"""Compare strategies before deciding: per SSE principle, the likely effect, what to watch, who did it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from silkcore import Approach

from .grid import grid


def resolve(choices: Sequence[str]) -> list[dict[str, Any]]:
    """Turn what the user named - Tool 5 methods or the report's Table 2 approaches - into
    methods, keeping how each was reached (a mapped approach is an interpretation)."""
    g = grid()
    resolved: list[dict[str, Any]] = []
    for choice in choices:
        if choice in g.strategy_ids():
            resolved.append({"method": choice, "via": None})
            continue
        mappings = g.methods_for(choice)
        if not mappings:
            known = ", ".join(g.strategy_ids())
            raise ValueError(f"{choice!r} is neither a Tool 5 method ({known}) nor an approach the report links to one")
        for mapping in mappings:
            for method in mapping["methods"]:
                resolved.append(
                    {"method": method, "via": {"approach": choice, "basis": mapping["basis"], "reason": mapping["reason"]}}
                )
    return resolved


def approaches_for(method: str) -> list[Approach]:
    """The Table 2 approaches that map onto a Tool 5 method."""
    return [Approach(m["approach"]) for m in grid().approach_mapping if method in m["methods"]]


def compare(choices: Sequence[str], cases: Sequence[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Principle-by-principle profile of each chosen strategy: effect (with the report's text),
    indicators to monitor where the effect is a risk or uncertain, and cases that used it -
    most similar to the organisation first when the case rows carry a ``similarity``.

    ``cases`` are the rows of the ``silk.cases.library`` analysis (``case_id``, ``name``,
    ``approaches`` and, given an organisation, ``similarity``); None: no case is cited."""
    g = grid()
    options = resolve(choices)
    methods = list(dict.fromkeys(o["method"] for o in options))
    strategy_cases: dict[str, list[dict[str, str]]] = {}
    for method in methods:
        approaches = approaches_for(method)
        wanted = {a.value for a in approaches}
        found = [c for c in cases or () if wanted & set(c["approaches"])]
        rows = [{k: c[k] for k in ("case_id", "name", "similarity") if k in c} for c in found]
        if any("similarity" in r for r in rows):
            rows.sort(key=lambda r: (-r["similarity"], r["case_id"]))
        strategy_cases[method] = rows
    principles = []
    for principle in g.principles:
        row: dict[str, Any] = {"principle": principle["id"], "title": principle["title"]["en"], "strategies": []}
        for method in methods:
            cell = g.cell(method, principle["id"])
            watch = g.indicators.get((method, principle["id"]), ())
            row["strategies"].append(
                {
                    "strategy": method,
                    "effect": cell.effect,
                    "effect_basis": cell.effect_basis,
                    "why": cell.effect_reason,
                    "report_text": cell.text,
                    "source": cell.source,
                    "indicators_to_watch": list(watch) if cell.effect != "likely_improve" else [],
                    "indicators_source": g.indicator_sources.get((method, principle["id"])),
                }
            )
        principles.append(row)
    summary = {
        method: {
            effect: [
                r["principle"] for r in principles for s in r["strategies"] if s["strategy"] == method and s["effect"] == effect
            ]
            for effect in ("likely_improve", "risk_degrade", "uncertain")
        }
        for method in methods
    }
    return {"strategies": options, "principles": principles, "summary": summary, "cases": strategy_cases}


def render(result: dict[str, Any]) -> str:
    """The comparison as text, principle by principle."""
    marks = {"likely_improve": "+ likely to improve", "risk_degrade": "! risk of degrading", "uncertain": "? uncertain"}
    lines = []
    for option in result["strategies"]:
        via = option["via"]
        if via:
            lines.append(f"{via['approach']} -> {option['method']} (interpretation: {via['reason']})")
    for row in result["principles"]:
        lines.append(f"\n{row['title']}")
        for s in row["strategies"]:
            lines.append(
                f"  {s['strategy']:<20} {marks[s['effect']]}: {s['report_text'] or '(the report leaves this cell empty)'}"
            )
            for indicator in s["indicators_to_watch"]:
                lines.append(f"  {'':<20}   watch: {indicator}")
    lines.append("")
    for method, cases in result["cases"].items():
        names = ", ".join(c["case_id"] for c in cases) or "none in the report"
        lines.append(f"cases that used {method}: {names}")
    return "\n".join(lines)
