"""The cases' report section: the report's cases most like the organisation."""

from __future__ import annotations

from silkcore.report import ReportContext, SectionContent, fragment, markdown_text

from .library import all_cases
from .similarity import profile_from, rank_cases


class CasesSection:
    """Section ``silk.cases``: similar cases, with why they match."""

    id = "silk.cases"
    order = 50

    def render(self, context: ReportContext) -> SectionContent | None:
        """The five most similar cases."""
        matches = rank_cases(profile_from(context.documents), all_cases(), 5)
        if not matches:
            return None
        html = fragment(
            """<table><tr><th>case</th><th>similarity</th><th>why</th></tr>
{% for m in matches %}
<tr><td>{{ m.name }}</td><td>{{ "%.2f"|format(m.score) }}</td><td>{{ m.reasons|join("; ") }}</td></tr>
{% endfor %}</table>""",
            matches=matches,
        )
        markdown = "\n".join(f"- {markdown_text(m.name)} ({m.score:.2f}): {markdown_text('; '.join(m.reasons))}" for m in matches)
        return SectionContent("Cases like this organisation (Tool 4)", html, markdown)
