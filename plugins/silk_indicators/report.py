"""The indicators' report section: trends against targets, and what to address first."""

from __future__ import annotations

from silkcore import Measurement, NotComputable, standing
from silkcore.report import ReportContext, SectionContent, fragment, line_chart, markdown_text

from .catalogue import definitions, direction_legend, direction_marked, phase_of
from .standing import analyse, weights_line


def _(message: str) -> str:
    """Mark a message for extraction (translated where it is shown, by ``context.gettext``)."""
    return message


# An indicator's standing and trend, as the report words them (the analysis' codes).
STATUSES = {
    "on_track": _("on track"),
    "off_track": _("off track"),
    "no_target": _("no target"),
    "qualitative": _("qualitative"),
    "not_computable": _("not computable"),
    "no_data": _("no data"),
}
TRENDS = {"improving": _("improving"), "worsening": _("worsening"), "stable": _("stable")}


# The table's column headings.
HEADERS = (_("indicator"), _("phase"), _("direction"), _("status"), _("value"), _("target"), _("trend"), _("Tool 2"))


class IndicatorsSection:
    """Section ``silk.indicators``: computed indicators over periods, and the ranked gaps."""

    id = "silk.indicators"
    order = 30

    def render(self, context: ReportContext) -> SectionContent | None:
        """Trends of the computable indicators with at least two periods, and the ranked gaps,
        in ``context.language`` (indicator titles in it where the catalogue has them)."""
        _ = context.gettext
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
                name = context.text(definition.title, "en")  # whole: the legend wraps it
                series[name] = points
                result = standing(definition, compute, all_measurements)
                if result.target is not None:
                    targets[name] = float(result.target)
        to_address = analyse(context.of_type(Measurement))["to_address"][:6]
        charts = 0
        chart = ""
        if series:
            alt = _("Indicator trends (percent) by year: %(trends)s") % {
                "trends": "; ".join(f"{k}: " + ", ".join(f"{p} {v:.1f}" for p, v in sorted(pts)) for k, pts in series.items())
            }
            chart = line_chart(series, alt, ylabel=_("percent"), xlabel=_("year"), targets=targets)
            charts = 1
        html = fragment(
            """{% if chart %}<figure>{{ chart|safe }}<figcaption>{{ caption }}</figcaption></figure>{% endif %}
<h4>{{ heading }}</h4><table>
<tr>{% for h in headers %}<th>{{ h }}</th>{% endfor %}</tr>
{% for r in rows %}<tr><td>{{ r.indicator_id }}</td><td>{{ r.phase }}</td>
<td title="{{ r.direction_reason }}">{{ r.direction }}</td><td>{{ r.status }}</td><td>{{ r.value }}</td>
<td>{{ r.target }}</td><td>{{ r.trend }}</td><td>{{ r.tool2 }}</td></tr>{% endfor %}</table>
{% if rows %}<p class="legend"><small>{{ legend }}</small></p>
<p class="legend"><small>{{ weights }}</small></p>{% endif %}""",
            caption=_("Dashed lines are targets."),
            heading=_("What needs addressing first"),
            headers=[_(h) for h in HEADERS],
            weights=weights_line(_),
            chart=chart,
            legend=direction_legend(_),
            rows=[
                {
                    "indicator_id": r["indicator_id"],
                    "phase": phase_of(r["indicator_id"]),
                    "direction": direction_marked(r["indicator_id"])[0],
                    "direction_reason": direction_marked(r["indicator_id"])[1],
                    "status": _(STATUSES.get(r["status"], r["status"].replace("_", " "))),
                    "value": r.get("value", r.get("reason", "-")),
                    "target": r.get("target", "-"),
                    "trend": _(TRENDS[r["trend"]]) if r.get("trend") in TRENDS else r.get("trend", "-"),
                    "tool2": ", ".join(r["tool2_items"]) or "-",
                }
                for r in to_address
            ],
        )
        # The Markdown names each status by its code in English, as it always has.
        english = context.language == "en"
        markdown = "\n".join(
            f"- {markdown_text(r['indicator_id'])}: "
            + _("%(status)s (value %(value)s, target %(target)s, direction %(direction)s)")
            % {
                "status": markdown_text(r["status"] if english else _(STATUSES.get(r["status"], r["status"]))),
                "value": markdown_text(str(r.get("value", "-"))),
                "target": markdown_text(str(r.get("target", "-"))),
                "direction": markdown_text(direction_marked(r["indicator_id"])[0]),
            }
            for r in to_address
        )
        if to_address:
            markdown += "\n\n" + markdown_text(direction_legend(_)) + "\n\n" + markdown_text(weights_line(_))
        return SectionContent(_("Indicators against targets (Tool 3)"), html, markdown, charts)
