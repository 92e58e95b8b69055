"""The evidence brief as Markdown and as a self-contained HTML page.

Every text in the brief that this module does not write itself (the jurisdiction, category
ids, item texts, the recommendations' words, a suppression reason) is escaped for the format:
:func:`silkcore.report.markdown_text` in Markdown, Jinja's autoescaping in HTML.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from silkcore import require_extra
from silkcore.report import markdown_text

ITEM_TEXT_FALLBACK = "Tool 2 question"
# Marks a threshold that is the project's choice, not the report's; the legend says so.
PROJECT_MARK = "*"
PROJECT_LEGEND = "* the project's choice, not the report's: the report sets no such figure."
# Marks a good practice whose text condenses the report's in the project's words (wording:
# paraphrase); unmarked ones are printed as in the report. The JSON gives wording and its reason.
PARAPHRASE_MARK = "~"
PARAPHRASE_LEGEND = (
    "~ paraphrase: the report's content condensed in the project's words (wording_reason in --json says what was "
    "shortened or left out); unmarked items keep the report's printed text."
)


def practice_label(item: dict[str, Any]) -> str:
    """A good practice's case as its text begins (``CoopCycle``, ``Trade missions``)."""
    text = str(item["text"])
    return text[1 : text.index(")")] if text.startswith("(") else text.split(": ", 1)[0]


def practice_mark(item: dict[str, Any]) -> str:
    """The paraphrase mark, or nothing for a verbatim good practice."""
    return PARAPHRASE_MARK if item["wording"] == "paraphrase" else ""


def _threshold_names(brief: dict[str, Any], ids: list[str]) -> str:
    """The thresholds a recommendation used, each marked when it is the project's."""
    basis = {t["id"]: t["basis"] for t in brief.get("thresholds", ())}
    return ", ".join(f"{i}{PROJECT_MARK if basis.get(i) == 'project' else ''}" for i in ids)


def _figure(row: dict[str, Any]) -> str:
    if "share" in row:
        return f"{row['share']:.0%} ({row['count']} of {row['n']})"
    if "mean_score" in row:
        return f"{row['mean_score']:.2f} (n = {row['n']})"
    return f"not shown: {row['suppressed']}"


def _md(value: Any) -> str:
    return markdown_text(str(value))


def to_markdown(brief: dict[str, Any], item_texts: dict[str, str]) -> str:
    """The brief in Markdown; text from the brief's data and documents is escaped."""
    ev = brief["evidence"]
    orgs = ev["organisations"]
    lines = [f"# Internationalisation of SSE organisations - policy brief for {_md(brief['jurisdiction'])}", ""]
    lines.append(
        f"Evidence from {_md(orgs.get('count', orgs.get('suppressed')))} organisations' SILK assessments. "
        f"No figure is computed from fewer than {_md(brief['min_group'])} organisations."
    )
    lines += ["", "## What the organisations report", "", "| Tool 2 category | mean score |", "|---|---|"]
    lines += [f"| {_md(row['category'])} | {_md(_figure(row))} |" for row in ev["categories"]]
    flows = ev["flows"]
    if "matrix" in flows:
        count = _md(flows["organisations"])
        lines += ["", f"Flows reported by {count} organisations (share of organisations with such a flow):", ""]
        lines += ["| kind | inward | outward |", "|---|---|---|"]
        for kind in ("goods", "services", "finance", "intangible"):
            cells = {r["direction"]: _md(_figure(r)) for r in flows["matrix"] if r["kind"] == kind}
            lines.append(f"| {kind} | {cells['inward']} | {cells['outward']} |")
    else:
        lines += ["", f"Flows: not shown ({_md(flows['suppressed'])})."]
    lines += ["", "## Where they struggle", ""]
    if ev["struggles"]:
        lines += [
            f"- {_md(item_texts.get(r['item_id'], ITEM_TEXT_FALLBACK))} ({_md(r['item_id'])}): {_md(_figure(r))}"
            for r in ev["struggles"][:8]
        ]
    else:
        lines.append("No process difficulty is shared by enough organisations to be shown.")
    lines += ["", "## Recommendations that apply", ""]
    for rec in brief["recommendations"]:
        lines += [
            f"### {_md(rec['id'].upper())}. {_md(rec['title'])}",
            "",
            f"**Why here:** {_md(rec['why_here'])}"
            + (f" (threshold: {_md(_threshold_names(brief, rec['thresholds']))})" if rec.get("thresholds") else ""),
            "",
            _md(rec["rationale"]),
            "",
        ]
        if rec.get("example_case"):
            example = rec["example_case"]
            lines.append(f"Example: {_md(example['name'])} (SILK report, {_md(example['source'])}).")
        lines += [f"Source: {_md(rec['source'])}.", ""]
    if brief.get("thresholds"):
        lines += ["## How this brief decides", ""]
        for t in brief["thresholds"]:
            mark = PROJECT_MARK if t["basis"] == "project" else ""
            lines.append(f"- {_md(t['id'] + mark)} ({_md(t['basis'])}): {_md(t['rule'])}. {_md(t['reason'])}")
        lines += ["", _md(PROJECT_LEGEND), ""]
    return "\n".join(lines)


_HTML_SOURCE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Policy brief - {{ b.jurisdiction }}</title>
<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;line-height:1.5;color:#1b1b1b}
table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3rem .6rem;text-align:left}
.why{background:#f3f6ff;padding:.5rem .8rem;border-left:4px solid #3b5bdb}</style></head>
<body><h1>Internationalisation of SSE organisations: policy brief for {{ b.jurisdiction }}</h1>
<p>No figure is computed from fewer than {{ b.min_group }} organisations.</p>
<h2>What the organisations report</h2>
<table><tr><th>Tool 2 category</th><th>mean score</th></tr>
{% for row in b.evidence.categories %}<tr><td>{{ row.category }}</td><td>{{ fig(row) }}</td></tr>{% endfor %}</table>
{% if b.evidence.flows.matrix %}<h3>Flows ({{ b.evidence.flows.organisations }} organisations)</h3>
<table><tr><th>kind</th><th>direction</th><th>organisations</th></tr>
{% for row in b.evidence.flows.matrix %}
<tr><td>{{ row.kind }}</td><td>{{ row.direction }}</td><td>{{ fig(row) }}</td></tr>{% endfor %}</table>
{% else %}<p>Flows: not shown ({{ b.evidence.flows.suppressed }}).</p>{% endif %}
<h2>Where they struggle</h2><ul>
{% for row in b.evidence.struggles[:8] %}
<li>{{ texts.get(row.item_id, "Tool 2 question") }} ({{ row.item_id }}): {{ fig(row) }}</li>{% endfor %}</ul>
<h2>Recommendations that apply</h2>
{% for rec in b.recommendations %}<section><h3>{{ rec.id|upper }}. {{ rec.title }}</h3>
<p class="why"><strong>Why here:</strong> {{ rec.why_here }}
{%- if rec.thresholds %} (threshold: {{ names(b, rec.thresholds) }}){% endif %}</p><p>{{ rec.rationale }}</p>
{% if rec.example_case %}<p>Example: {{ rec.example_case.name }} (SILK report, {{ rec.example_case.source }}).</p>{% endif %}
<p><small>Source: {{ rec.source }}</small></p></section>{% endfor %}
{% if b.thresholds %}<h2>How this brief decides</h2><ul>
{% for t in b.thresholds %}<li><strong>{{ t.id }}{% if t.basis == "project" %}{{ mark }}{% endif %}</strong>
({{ t.basis }}): {{ t.rule }}. {{ t.reason }}</li>{% endfor %}</ul>
<p class="legend">{{ legend }}</p>{% endif %}
</body></html>
"""


@cache
def _html_template() -> Any:
    # jinja2 comes with the [report] extra: silk policy show, assess and Markdown briefs need it not.
    require_extra("report", "silk policy brief -o FILE.html")
    import jinja2

    return jinja2.Environment(autoescape=True).from_string(_HTML_SOURCE)


def to_html(brief: dict[str, Any], item_texts: dict[str, str]) -> str:
    """The brief as one offline HTML page (autoescaped: input text is never markup)."""
    return _html_template().render(
        b=brief, texts=item_texts, fig=_figure, names=_threshold_names, mark=PROJECT_MARK, legend=PROJECT_LEGEND
    )
