"""The evidence brief as Markdown and as a self-contained HTML page."""

from __future__ import annotations

from typing import Any

import jinja2

ITEM_TEXT_FALLBACK = "Tool 2 question"


def _figure(row: dict[str, Any]) -> str:
    if "share" in row:
        return f"{row['share']:.0%} ({row['count']} of {row['n']})"
    if "mean_score" in row:
        return f"{row['mean_score']:.2f} (n = {row['n']})"
    return f"not shown: {row['suppressed']}"


def to_markdown(brief: dict[str, Any], item_texts: dict[str, str]) -> str:
    """The brief in Markdown."""
    ev = brief["evidence"]
    orgs = ev["organisations"]
    lines = [f"# Internationalisation of SSE organisations - policy brief for {brief['jurisdiction']}", ""]
    lines.append(
        f"Evidence from {orgs.get('count', orgs.get('suppressed'))} organisations' SILK assessments. "
        f"No figure is computed from fewer than {brief['min_group']} organisations."
    )
    lines += ["", "## What the organisations report", "", "| Tool 2 category | mean score |", "|---|---|"]
    lines += [f"| {row['category']} | {_figure(row)} |" for row in ev["categories"]]
    flows = ev["flows"]
    if "matrix" in flows:
        lines += ["", f"Flows reported by {flows['organisations']} organisations (share of organisations with such a flow):", ""]
        lines += ["| kind | inward | outward |", "|---|---|---|"]
        for kind in ("goods", "services", "finance", "intangible"):
            cells = {r["direction"]: _figure(r) for r in flows["matrix"] if r["kind"] == kind}
            lines.append(f"| {kind} | {cells['inward']} | {cells['outward']} |")
    else:
        lines += ["", f"Flows: not shown ({flows['suppressed']})."]
    lines += ["", "## Where they struggle", ""]
    if ev["struggles"]:
        lines += [
            f"- {item_texts.get(r['item_id'], ITEM_TEXT_FALLBACK)} ({r['item_id']}): {_figure(r)}" for r in ev["struggles"][:8]
        ]
    else:
        lines.append("No process difficulty is shared by enough organisations to be shown.")
    lines += ["", "## Recommendations that apply", ""]
    for rec in brief["recommendations"]:
        lines += [f"### {rec['id'].upper()}. {rec['title']}", "", f"**Why here:** {rec['why_here']}", "", rec["rationale"], ""]
        if rec.get("example_case"):
            lines.append(f"Example: {rec['example_case']['name']} (SILK report, {rec['example_case']['source']}).")
        lines += [f"Source: {rec['source']}.", ""]
    return "\n".join(lines)


_HTML = jinja2.Environment(autoescape=True).from_string(
    """<!doctype html>
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
<p class="why"><strong>Why here:</strong> {{ rec.why_here }}</p><p>{{ rec.rationale }}</p>
{% if rec.example_case %}<p>Example: {{ rec.example_case.name }} (SILK report, {{ rec.example_case.source }}).</p>{% endif %}
<p><small>Source: {{ rec.source }}</small></p></section>{% endfor %}
</body></html>
"""
)


def to_html(brief: dict[str, Any], item_texts: dict[str, str]) -> str:
    """The brief as one offline HTML page (autoescaped: input text is never markup)."""
    return _HTML.render(b=brief, texts=item_texts, fig=_figure)
