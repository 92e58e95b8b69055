"""The flow chart's report section: where the organisation stands and what comes next."""

from __future__ import annotations

from typing import Any

from silkcore import Guide, ResponseSet
from silkcore.report import ReportContext, SectionContent, bar_chart, fragment, markdown_text

FRAMEWORK_ID = "silk.flowchart"
# The section's title in Tool 1's words ("issues to assess and decisions to take", report line 372),
# not Tool 3's "where the organisation stands" (lines 374, 770), which belongs to the indicators.
SECTION_TITLE = "Issues assessed and decisions taken (Tool 1 flow chart)"


def _(message: str) -> str:
    """Mark a message for extraction (translated where it is shown, by ``context.gettext``)."""
    return message


# Where the walk stopped, in the report's words (the guide's status codes).
STATUSES = {"completed": _("completed"), "in_progress": _("in progress"), "revisit": _("revisit")}


class FlowchartSection:
    """Section ``silk.flowchart``: phase reached, decisions, what to revisit, next steps."""

    id = "silk.flowchart"
    order = 20

    def render(self, context: ReportContext) -> SectionContent | None:
        """Walk the organisation's flow-chart answers, if it has any; in ``context.language``."""
        answers = [d for d in context.of_type(ResponseSet) if d.framework_id == FRAMEWORK_ID]
        if not answers:
            return None
        _ = context.gettext
        framework = context.catalog.framework(FRAMEWORK_ID)

        def text(texts: Any) -> str:
            return context.text(texts, framework.default_language)

        outcome = Guide(framework, answers[-1].responses, stop_on_revisit=True).run()
        phases = [c.id for c in framework.categories]
        reached = phases.index(outcome.phase) if outcome.phase in phases else -1
        done = outcome.status == "completed"
        progress = [1.0 if i < reached or (i == reached and done) else 0.5 if i == reached else 0.0 for i in range(len(phases))]
        labels = [text(framework.category(p).title) for p in phases]  # whole: the chart wraps them
        states = {1.0: _("done"), 0.5: _("in progress"), 0.0: _("not reached")}
        alt = _("Progress through the flow chart: %(phases)s") % {
            "phases": ", ".join(f"{label} {states[v]}" for label, v in zip(labels, progress, strict=True))
        }
        chart = bar_chart(labels, progress, alt, xlabel=_("1 = done, 0.5 = in progress"), language=context.language)
        answered = {True: _("yes"), False: _("no")}
        decisions = [f"{text(framework.item(i).text)}: {answered[v] if isinstance(v, bool) else v}" for i, v in outcome.decisions]
        status = _(STATUSES.get(outcome.status, outcome.status.replace("_", " ")))
        # The phase is in bold wherever the translation puts it.
        before, _sep, after = _("Phase reached: %(phase)s (%(status)s).").partition("%(phase)s")
        phase_line = (before, text(framework.category(outcome.phase).title) if outcome.phase else "-", after % {"status": status})
        pending = ", ".join(text(framework.item(i).text) for i in outcome.pending)
        html = fragment(
            """<p>{{ phase_line[0] }}<strong>{{ phase_line[1] }}</strong>{{ phase_line[2] }}</p><figure>{{ chart|safe }}</figure>
{% if decisions %}<h4>{{ headings.decisions }}</h4><ul>{% for d in decisions %}<li>{{ d }}</li>{% endfor %}</ul>{% endif %}
{% if revisits %}<h4>{{ headings.revisits }}</h4><ul>{% for r in revisits %}<li>{{ r }}</li>{% endfor %}</ul>{% endif %}
{% if pending %}<p>{{ pending }}</p>{% endif %}
{% if steps %}<h4>{{ headings.steps }}</h4><ul>{% for s in steps %}<li>{{ s }}</li>{% endfor %}</ul>{% endif %}""",
            phase_line=phase_line,
            headings={"decisions": _("Decisions taken"), "revisits": _("To revisit"), "steps": _("Next steps")},
            chart=chart,
            decisions=decisions,
            revisits=[_("back to %(node)s: %(label)s") % {"node": r.to_node, "label": text(r.label)} for r in outcome.revisits],
            pending=_("Still to answer: %(items)s") % {"items": pending} if pending else "",
            steps=[text(s) for s in outcome.next_steps],
        )
        # The Markdown names the phase and status by their codes in English, as it always has.
        english = context.language == "en"
        markdown = (
            _("Phase reached: %(phase)s (%(status)s).")
            % {
                "phase": markdown_text(outcome.phase or "-"),
                "status": outcome.status if english else status,
            }
            + "\n"
            + "\n".join(f"- {markdown_text(d)}" for d in decisions)
        )
        return SectionContent(_("Issues assessed and decisions taken (Tool 1 flow chart)"), html, markdown, charts=1)
