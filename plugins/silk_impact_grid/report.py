"""The impact grid's report section: the strategies in play against SSE principles."""

from __future__ import annotations

from silkcore import Flow, Strategy
from silkcore.report import ReportContext, SectionContent, category_grid, fragment, markdown_text

from .compare import compare
from .grid import grid

# The grid's three classes, in legend order, with the mark written in each cell (so colour
# is never the only cue) and the legend's words.
CLASSES = {
    "likely_improve": ("+", "likely to improve"),
    "uncertain": ("?", "uncertain"),
    "risk_degrade": ("!", "risk of degrading"),
}
# Okabe-Ito colours, one per class: green for improve, vermillion for risk, sky blue - far
# from both - for uncertain, so risk and uncertain can never be confused.
COLOURS = {"likely_improve": "#009E73", "uncertain": "#56B4E9", "risk_degrade": "#D55E00"}


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
        principles = [row["title"] for row in result["principles"]]  # whole: the chart wraps them
        cells = [[s["effect"] for s in row["strategies"]] for row in result["principles"]]
        alt = "Likely effect on SSE principles: " + "; ".join(
            f"{m}: "
            + ", ".join(
                f"{row['principle']} {s['effect']}"
                for row in result["principles"]
                for s in row["strategies"]
                if s["strategy"] == m
            )
            for m in methods
        )
        chart = category_grid(principles, methods, cells, alt, classes=CLASSES, colours=COLOURS)
        # The chart's cells in words, beside it: what a screen reader reads and what prints in black and white.
        table = [(title, [" ".join(CLASSES[kind]) for kind in row]) for title, row in zip(principles, cells, strict=True)]
        watch = [
            (s["strategy"], row["title"], i)
            for row in result["principles"]
            for s in row["strategies"]
            for i in s["indicators_to_watch"]
        ]
        html = fragment(
            """<p>Approaches in play: {{ approaches }} (mapped to the grid's methods as the project's interpretation).</p>
<figure>{{ chart|safe }}<figcaption>+ likely to improve, ? uncertain, ! risk of degrading.</figcaption></figure>
<table><tr><th>principle</th>{% for m in methods %}<th>{{ m }}</th>{% endfor %}</tr>
{% for title, row in table %}<tr><td>{{ title }}</td>{% for c in row %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</table>
<h4>Indicators to watch</h4><ul>{% for m, p, i in watch %}<li>{{ m }} / {{ p }}: {{ i }}</li>{% endfor %}</ul>""",
            approaches=", ".join(mapped),
            chart=chart,
            methods=methods,
            table=table,
            watch=watch,
        )
        markdown = "\n".join(
            [
                "| principle | " + " | ".join(markdown_text(m) for m in methods) + " |",
                "|---" * (len(methods) + 1) + "|",
                *(f"| {markdown_text(t)} | " + " | ".join(row) + " |" for t, row in table),
                "",
                *(f"- {markdown_text(m)} / {markdown_text(p)}: {markdown_text(i)}" for m, p, i in watch),
            ]
        )
        return SectionContent("Strategies and SSE principles (Tool 5)", html, markdown, charts=1)
