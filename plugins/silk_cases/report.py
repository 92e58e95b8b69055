"""The cases' report section: the report's cases most like the organisation."""

from __future__ import annotations

from silkcore.report import ReportContext, SectionContent, fragment, markdown_text

from .library import FLOW_LEGEND, all_cases
from .similarity import profile_from, rank_cases


class CasesSection:
    """Section ``silk.cases``: similar cases, with why they match."""

    id = "silk.cases"
    order = 50

    def render(self, context: ReportContext) -> SectionContent | None:
        """The five most similar cases (headings in ``context.language``)."""
        matches = rank_cases(profile_from(context.documents), all_cases(), 5)
        if not matches:
            return None
        _ = context.gettext
        html = fragment(
            """<table><tr>{% for h in headers %}<th>{{ h }}</th>{% endfor %}</tr>
{% for m in matches %}
<tr><td>{{ m.name }}</td><td>{{ "%.2f"|format(m.score) }}</td><td>{{ m.reasons|join("; ") }}</td></tr>
{% endfor %}</table>""",
            matches=matches,
            headers=[_("case"), _("similarity"), _("why")],
        )
        markdown = "\n".join(f"- {markdown_text(m.name)} ({m.score:.2f}): {markdown_text('; '.join(m.reasons))}" for m in matches)
        if any(r["basis"] != "report" for m in matches for r in m.shared_flows):  # a marked flow: say what ~ means
            html += fragment('<p class="legend"><small>{{ legend }}</small></p>', legend=FLOW_LEGEND)
            markdown += "\n\n" + markdown_text(FLOW_LEGEND)
        return SectionContent(_("Cases like this organisation (Tool 4)"), html, markdown)
