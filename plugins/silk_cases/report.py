"""The cases' report section: the report's cases most like the organisation."""

from __future__ import annotations

from collections.abc import Callable

import attrs

from silkcore.report import ReportContext, SectionContent, fragment, markdown_text

from .library import FLOW_LEGEND, all_cases
from .similarity import profile_from, rank_cases


def _(message: str) -> str:
    """Mark a message for extraction (translated where it is shown, by ``context.gettext``)."""
    return message


# library.FLOW_LEGEND, as a message of the catalogs (a test keeps the two equal).
FLOW_LEGEND_MESSAGE = _(
    "~ flow classification inferred: the project's reading of the report, not stated by it; "
    "* the project's own choice. `silk cases show CASE_ID --flows` gives each reason."
)
# The reasons similarity.py gives, by their English start, as the report words them.
REASONS = (
    ("both use ", _("both use %(items)s")),
    ("same flows: ", _("same flows: %(items)s")),
    ("both are a ", _("both are a %(items)s")),
    ("sector words in common: ", _("sector words in common: %(items)s")),
    ("both reached ", _("both reached %(items)s")),
)
FLOW_DIRECTIONS = {"inward": _("%(kind)s inward"), "outward": _("%(kind)s outward")}


def _flow(flow: str, gettext: Callable[[str], str]) -> str:
    """``finance inward~`` in the report's language, its mark kept."""
    mark = flow[-1] if flow[-1:] in ("~", "*") else ""
    kind, _sep, direction = flow.removesuffix(mark).partition(" ")
    if direction not in FLOW_DIRECTIONS:
        return flow
    return gettext(FLOW_DIRECTIONS[direction]) % {"kind": gettext(kind)} + mark


def reason_text(reason: str, gettext: Callable[[str], str]) -> str:
    """One reason of a match (English, from similarity.py) in the report's language; a
    reason this section does not know stays as it is."""
    for start, message in REASONS:
        if reason.startswith(start):
            items = reason[len(start) :]
            if start == "same flows: ":
                items = ", ".join(_flow(flow, gettext) for flow in items.split(", "))
            elif start == "both are a ":
                items = gettext(items)
            return gettext(message) % {"items": items}
    return reason


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
        if context.language != "en":  # the reasons are English already
            matches = [attrs.evolve(m, reasons=tuple(reason_text(r, _) for r in m.reasons)) for m in matches]
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
            legend = _(FLOW_LEGEND)
            html += fragment('<p class="legend"><small>{{ legend }}</small></p>', legend=legend)
            markdown += "\n\n" + markdown_text(legend)
        return SectionContent(_("Cases like this organisation (Tool 4)"), html, markdown)
