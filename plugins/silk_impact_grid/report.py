"""The impact grid's report section: the strategies in play against SSE principles."""

from __future__ import annotations

from silkcore import Flow, Strategy
from silkcore.report import ReportContext, SectionContent, category_grid, fragment, markdown_text

from .compare import compare
from .grid import grid


def _(message: str) -> str:
    """Mark a message for extraction (translated where it is shown, by ``context.gettext``)."""
    return message


# The grid's three classes, in legend order, with the mark written in each cell (so colour
# is never the only cue) and the legend's words (English; a report shows them in its language).
CLASSES = {
    "likely_improve": ("+", _("likely to improve")),
    "uncertain": ("?", _("uncertain")),
    "risk_degrade": ("!", _("risk of degrading")),
}
# Okabe-Ito colours, one per class: green for improve, vermillion for risk, sky blue - far
# from both - for uncertain, so risk and uncertain can never be confused.
COLOURS = {"likely_improve": "#009E73", "uncertain": "#56B4E9", "risk_degrade": "#D55E00"}


class ImpactGridSection:
    """Section ``silk.impact-grid``: the principle-by-principle profile of the strategies used."""

    id = "silk.impact-grid"
    order = 60

    def render(self, context: ReportContext) -> SectionContent | None:
        """Map the organisation's approaches to Tool 5 methods and draw their profile, in
        ``context.language`` (the grid's own texts are English, its only language)."""
        approaches = {d.approach.value for d in context.of_type(Strategy)}
        approaches |= {a.value for f in context.of_type(Flow) for a in f.strategies}
        mapped = sorted(a for a in approaches if grid().methods_for(a))
        if not mapped:
            return None
        _ = context.gettext
        classes = {kind: (mark, _(label)) for kind, (mark, label) in CLASSES.items()}
        result = compare(mapped)
        methods = list(result["summary"])
        principles = [row["title"] for row in result["principles"]]  # whole: the chart wraps them
        cells = [[s["effect"] for s in row["strategies"]] for row in result["principles"]]
        alt = _("Likely effect on SSE principles: %(effects)s") % {
            "effects": "; ".join(
                f"{m}: "
                + ", ".join(
                    f"{row['principle']} {s['effect']}"
                    for row in result["principles"]
                    for s in row["strategies"]
                    if s["strategy"] == m
                )
                for m in methods
            )
        }
        chart = category_grid(principles, methods, cells, alt, classes=classes, colours=COLOURS)
        # The chart's cells in words, beside it: what a screen reader reads and what prints in black and white.
        table = [(title, [" ".join(classes[kind]) for kind in row]) for title, row in zip(principles, cells, strict=True)]
        watch = [
            (s["strategy"], row["title"], i)
            for row in result["principles"]
            for s in row["strategies"]
            for i in s["indicators_to_watch"]
        ]
        html = fragment(
            """<p>{{ approaches }}</p>
<figure>{{ chart|safe }}<figcaption>{{ caption }}</figcaption></figure>
<table><tr><th>{{ principle }}</th>{% for m in methods %}<th>{{ m }}</th>{% endfor %}</tr>
{% for title, row in table %}<tr><td>{{ title }}</td>{% for c in row %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</table>
<h4>{{ watch_title }}</h4><ul>{% for m, p, i in watch %}<li>{{ m }} / {{ p }}: {{ i }}</li>{% endfor %}</ul>""",
            approaches=_("Approaches in play: %(approaches)s (mapped to the grid's methods as the project's interpretation).")
            % {"approaches": ", ".join(mapped)},
            caption=_("+ likely to improve, ? uncertain, ! risk of degrading."),
            principle=_("principle"),
            watch_title=_("Indicators to watch"),
            chart=chart,
            methods=methods,
            table=table,
            watch=watch,
        )
        markdown = "\n".join(
            [
                "| " + _("principle") + " | " + " | ".join(markdown_text(m) for m in methods) + " |",
                "|---" * (len(methods) + 1) + "|",
                *(f"| {markdown_text(t)} | " + " | ".join(row) + " |" for t, row in table),
                "",
                *(f"- {markdown_text(m)} / {markdown_text(p)}: {markdown_text(i)}" for m, p, i in watch),
            ]
        )
        return SectionContent(_("Strategies and SSE principles (Tool 5)"), html, markdown, charts=1)
