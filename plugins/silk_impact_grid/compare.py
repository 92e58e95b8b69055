"""Compare strategies before deciding: per SSE principle, the likely effect, what to watch, who did it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from silkcore import Approach

from .grid import INFERRED_LEGEND, INFERRED_MARK, grid


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
            # The report never links its approaches to Tool 5's methods: the mapping is this
            # project's interpretation, so the message must not credit the report with it.
            known = ", ".join(g.strategy_ids())
            mapped = ", ".join(sorted({m["approach"] for m in g.approach_mapping}))
            raise ValueError(
                f"{choice!r} is neither a Tool 5 method ({known}) nor an approach this project maps onto one ({mapped})"
            )
        for mapping in mappings:
            for method in mapping["methods"]:
                resolved.append(
                    {"method": method, "via": {"approach": choice, "basis": mapping["basis"], "reason": mapping["reason"]}}
                )
    return resolved


def approaches_for(method: str) -> list[Approach]:
    """The Table 2 approaches that map onto a Tool 5 method."""
    return [Approach(m["approach"]) for m in grid().approach_mapping if method in m["methods"]]


def not_counted(method: str) -> dict[tuple[str, str], dict[str, str]]:
    """The (approach, case id) pairs whose use of an approach is not a use of ``method``, with
    the reason and source: the mapping holds for one side of an approach (an acquisition is the
    investor's side of FDI), and a case may have been on the other side."""
    return {
        (m["approach"], c["case_id"]): {"reason": c["reason"], "source": c["source"]}
        for m in grid().approach_mapping
        if method in m["methods"]
        for c in m.get("cases_not_counted", ())
    }


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
    left_out: dict[str, list[dict[str, str]]] = {}
    for method in methods:
        approaches = approaches_for(method)
        wanted = {a.value for a in approaches}
        excluded = not_counted(method)
        found: list[dict[str, Any]] = []
        skipped: list[dict[str, str]] = []
        for c in cases or ():
            shared = wanted & set(c["approaches"])
            if not shared:
                continue
            counted = [a for a in shared if (a, c["case_id"]) not in excluded]
            if counted:
                found.append(c)
            else:
                why = excluded[(min(shared), c["case_id"])]
                skipped.append({"case_id": c["case_id"], "name": c["name"], **why})
        left_out[method] = skipped
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
    return {
        "strategies": options,
        "principles": principles,
        "summary": summary,
        "cases": strategy_cases,
        "cases_not_counted": left_out,
    }


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
            mark = INFERRED_MARK if s["effect_basis"] == "inferred" else ""
            prefix = f"  {s['strategy']:<20} {marks[s['effect']]}{mark}: "
            first, *rest = (s["report_text"] or "(the report leaves this cell empty)").split("\n")
            # A cell's second paragraph goes under its first, not at the margin like a heading.
            lines.append(prefix + first)
            lines += [" " * len(prefix) + line for line in rest if line.strip()]
            for indicator in s["indicators_to_watch"]:
                lines.append(f"  {'':<20}   watch: {indicator}")
    lines.append("")
    for method, cases in result["cases"].items():
        names = ", ".join(c["case_id"] for c in cases) or "none in the report"
        lines.append(f"cases that used {method}: {names}")
        for skipped in result.get("cases_not_counted", {}).get(method, ()):
            lines.append(f"  not counted: {skipped['case_id']} - {skipped['reason']} ({skipped['source']})")
    if any(s["effect_basis"] == "inferred" for row in result["principles"] for s in row["strategies"]):
        lines.append(INFERRED_LEGEND)
    return "\n".join(lines)
