"""The flow chart's report section: where the organisation stands and what comes next."""

from __future__ import annotations

from silkcore import Guide, ResponseSet, text_of
from silkcore.report import ReportContext, SectionContent, bar_chart, fragment, markdown_text

FRAMEWORK_ID = "silk.flowchart"
# The section's title in Tool 1's words ("issues to assess and decisions to take", report line 372),
# not Tool 3's "where the organisation stands" (lines 374, 770), which belongs to the indicators.
SECTION_TITLE = "Issues assessed and decisions taken (Tool 1 flow chart)"


class FlowchartSection:
    """Section ``silk.flowchart``: phase reached, decisions, what to revisit, next steps."""

    id = "silk.flowchart"
    order = 20

    def render(self, context: ReportContext) -> SectionContent | None:
        """Walk the organisation's flow-chart answers, if it has any."""
        answers = [d for d in context.of_type(ResponseSet) if d.framework_id == FRAMEWORK_ID]
        if not answers:
            return None
        framework = context.catalog.framework(FRAMEWORK_ID)
        outcome = Guide(framework, answers[-1].responses, stop_on_revisit=True).run()
        phases = [c.id for c in framework.categories]
        reached = phases.index(outcome.phase) if outcome.phase in phases else -1
        done = outcome.status == "completed"
        progress = [1.0 if i < reached or (i == reached and done) else 0.5 if i == reached else 0.0 for i in range(len(phases))]
        labels = [text_of(framework.category(p).title) for p in phases]  # whole: the chart wraps them
        alt = "Progress through the flow chart: " + ", ".join(
            f"{label} {'done' if v == 1 else 'in progress' if v == 0.5 else 'not reached'}"
            for label, v in zip(labels, progress, strict=True)
        )
        chart = bar_chart(labels, progress, alt, xlabel="1 = done, 0.5 = in progress")
        decisions = [
            f"{text_of(framework.item(i).text)}: {'yes' if v is True else 'no' if v is False else v}"
            for i, v in outcome.decisions
        ]
        html = fragment(
            """<p>Phase reached: <strong>{{ phase }}</strong> ({{ status }}).</p><figure>{{ chart|safe }}</figure>
{% if decisions %}<h4>Decisions taken</h4><ul>{% for d in decisions %}<li>{{ d }}</li>{% endfor %}</ul>{% endif %}
{% if revisits %}<h4>To revisit</h4><ul>{% for r in revisits %}<li>{{ r }}</li>{% endfor %}</ul>{% endif %}
{% if pending %}<p>Still to answer: {{ pending }}</p>{% endif %}
{% if steps %}<h4>Next steps</h4><ul>{% for s in steps %}<li>{{ s }}</li>{% endfor %}</ul>{% endif %}""",
            phase=text_of(framework.category(outcome.phase).title) if outcome.phase else "-",
            status=outcome.status.replace("_", " "),
            chart=chart,
            decisions=decisions,
            revisits=[f"back to {r.to_node}: {text_of(r.label)}" for r in outcome.revisits],
            pending=", ".join(text_of(framework.item(i).text) for i in outcome.pending),
            steps=[text_of(s) for s in outcome.next_steps],
        )
        markdown = f"Phase reached: {markdown_text(outcome.phase or '-')} ({outcome.status}).\n" + "\n".join(
            f"- {markdown_text(d)}" for d in decisions
        )
        return SectionContent(SECTION_TITLE, html, markdown, charts=1)
