"""The indicators' report section: trends against targets, and what to address first."""

from __future__ import annotations

from silkcore import Measurement, NotComputable, standing
from silkcore.report import ReportContext, SectionContent, fragment, line_chart, markdown_text

from .catalogue import DIRECTION_LEGEND, definitions, direction_marked, phase_of
from .standing import analyse, weights_line


class IndicatorsSection:
    """Section ``silk.indicators``: computed indicators over periods, and the ranked gaps."""

    id = "silk.indicators"
    order = 30

    def render(self, context: ReportContext) -> SectionContent | None:
        """Trends of the computable indicators with at least two periods."""
        measurements = [m for m in context.of_type(Measurement) if m.status.value == "observed"]
        if not measurements:
            return None
        starts = sorted({m.period.start for m in measurements})
        # Years as numbers: the chart's time axis is numeric and sorted, whatever order the
        # series bring their years in.
        series: dict[str, list[tuple[float, float]]] = {}
        targets: dict[str, float] = {}
        all_measurements = context.of_type(Measurement)
        for definition, compute in definitions():
            if compute is None or definition.unit != "percent":
                continue
            points = []
            for start in starts:
                history = [m for m in measurements if m.period.start <= start]
                try:
                    value = compute(history)
                except NotComputable:
                    continue
                if value is not None:
                    points.append((start.year, float(value)))
            if len({p[0] for p in points}) >= 2:
                name = definition.title["en"]  # whole: the legend wraps it
                series[name] = points
                result = standing(definition, compute, all_measurements)
                if result.target is not None:
                    targets[name] = float(result.target)
        to_address = analyse(context.of_type(Measurement))["to_address"][:6]
        charts = 0
        chart = ""
        if series:
            alt = "Indicator trends (percent) by year: " + "; ".join(
                f"{k}: " + ", ".join(f"{p} {v:.1f}" for p, v in sorted(pts)) for k, pts in series.items()
            )
            chart = line_chart(series, alt, ylabel="percent", xlabel="year", targets=targets)
            charts = 1
        html = fragment(
            """{% if chart %}<figure>{{ chart|safe }}<figcaption>Dashed lines are targets.</figcaption></figure>{% endif %}
<h4>What needs addressing first</h4><table>
<tr><th>indicator</th><th>phase</th><th>direction</th><th>status</th><th>value</th><th>target</th><th>trend</th><th>Tool 2</th></tr>
{% for r in rows %}<tr><td>{{ r.indicator_id }}</td><td>{{ r.phase }}</td>
<td title="{{ r.direction_reason }}">{{ r.direction }}</td><td>{{ r.status }}</td><td>{{ r.value }}</td>
<td>{{ r.target }}</td><td>{{ r.trend }}</td><td>{{ r.tool2 }}</td></tr>{% endfor %}</table>
{% if rows %}<p class="legend"><small>{{ legend }}</small></p>
<p class="legend"><small>{{ weights }}</small></p>{% endif %}""",
            weights=weights_line(),
            chart=chart,
            legend=DIRECTION_LEGEND,
            rows=[
                {
                    "indicator_id": r["indicator_id"],
                    "phase": phase_of(r["indicator_id"]),
                    "direction": direction_marked(r["indicator_id"])[0],
                    "direction_reason": direction_marked(r["indicator_id"])[1],
                    "status": r["status"].replace("_", " "),
                    "value": r.get("value", r.get("reason", "-")),
                    "target": r.get("target", "-"),
                    "trend": r.get("trend", "-"),
                    "tool2": ", ".join(r["tool2_items"]) or "-",
                }
                for r in to_address
            ],
        )
        markdown = "\n".join(
            f"- {markdown_text(r['indicator_id'])}: {markdown_text(r['status'])} "
            f"(value {markdown_text(str(r.get('value', '-')))}, target {markdown_text(str(r.get('target', '-')))}, "
            f"direction {markdown_text(direction_marked(r['indicator_id'])[0])})"
            for r in to_address
        )
        if to_address:
            markdown += "\n\n" + markdown_text(DIRECTION_LEGEND) + "\n\n" + markdown_text(weights_line())
        return SectionContent("Indicators against targets (Tool 3)", html, markdown, charts)
