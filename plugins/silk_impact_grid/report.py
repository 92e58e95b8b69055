"""The impact grid's report section: the strategies in play against SSE principles."""

from __future__ import annotations

from silkcore import Flow, Strategy
from silkcore.report import ReportContext, SectionContent, fragment, heatmap, markdown_text

from .compare import compare
from .grid import grid

_VALUE = {"likely_improve": 1.0, "uncertain": 0.0, "risk_degrade": -1.0}


class ImpactGridSection:
    """Section ``silk.impact-grid``: the principle-by-principle profile of the strategies used."""

    id = "silk.impact-grid"
    order = 60

    def render(self, context: ReportContext) -> SectionContent | None:
        """Map the organisation's approaches to Tool 5 methods and draw their profile."""
        approaches = {d.approach.value for d in context.of_type(Strategy)}
        approaches |= {a.value for f in context.of_type(Flow) for a in f.strategies}
        mapped = sorted(a for a in approaches if grid().methods_for(a))
        if not mapped:
            return None
        result = compare(mapped)
        methods = list(result["summary"])
        principles = [row["title"][:38] for row in result["principles"]]
        values = [[_VALUE[s["effect"]] for s in row["strategies"]] for row in result["principles"]]
        alt = "Likely effect on SSE principles (1 improve, 0 uncertain, -1 risk): " + "; ".join(
            f"{m}: "
            + ", ".join(
                f"{row['principle']} {s['effect']}"
                for row in result["principles"]
                for s in row["strategies"]
                if s["strategy"] == m
            )
            for m in methods
        )
        chart = heatmap(principles, methods, values, alt)
        watch = [
            (s["strategy"], row["title"], i)
            for row in result["principles"]
            for s in row["strategies"]
            for i in s["indicators_to_watch"]
        ]
        html = fragment(
            """<p>Approaches in play: {{ approaches }} (mapped to the grid's methods as the project's interpretation).</p>
<figure>{{ chart|safe }}<figcaption>1 = likely to improve, 0 = uncertain, -1 = risk of degrading.</figcaption></figure>
<h4>Indicators to watch</h4><ul>{% for m, p, i in watch %}<li>{{ m }} / {{ p }}: {{ i }}</li>{% endfor %}</ul>""",
            approaches=", ".join(mapped),
            chart=chart,
            watch=watch,
        )
        markdown = "\n".join(f"- {markdown_text(m)} / {markdown_text(p)}: {markdown_text(i)}" for m, p, i in watch)
        return SectionContent("Strategies and SSE principles (Tool 5)", html, markdown, charts=1)
