"""Assembling the report: core sections, plugin sections, one offline HTML page and Markdown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .._assessment import ScoreCard
from .._errors import SilkError, terminal_text
from . import ReportContext, SectionContent, fragment
from ._charts import bar_chart, line_chart, radar_chart
from ._markdown import markdown_text

__all__ = ["build_sections", "render_html", "render_markdown", "write_report"]


def _text(texts: dict[str, str] | None, language: str = "en") -> str:
    if not texts:
        return ""
    return texts.get(language) or next(iter(texts.values()))


def _short_label(category_id: str, title: str) -> str:
    """A chart label: short codes (A, B...) keep their code, long ids give way to the title."""
    # Whole, not cut: the chart helpers wrap long labels at word boundaries.
    return f"{category_id} {title}" if len(category_id) <= 3 else title


def scorecard_section(card: ScoreCard, framework: Any) -> SectionContent:
    """A score card: a radar (or bars) of category scores with coverage, and its findings."""
    scored = [c for c in card.categories if framework.category(c.id).scored]
    labels = [_short_label(c.id, _text(framework.category(c.id).title)) for c in scored]
    alt = f"{card.framework_id}: " + ", ".join(f"{c.id} {'n/a' if c.score is None else f'{c.score:.2f}'}" for c in scored)
    if len(scored) >= 3:
        chart = radar_chart(labels, [c.score for c in scored], alt, coverage=[c.coverage for c in scored])
    else:
        chart = bar_chart(labels, [c.score or 0.0 for c in scored], alt)
    html = fragment(
        """<p>{{ respondents }} respondent(s). Overall: {{ overall }}. {{ coverage }} of the questions asked have a usable answer.</p>
<figure>{{ chart|safe }}<figcaption>{{ alt }}</figcaption></figure>
<table><tr><th>category</th><th>score</th><th>coverage</th><th>confidence</th><th>spread</th></tr>
{% for c in rows %}<tr><td>{{ c.title }}</td><td>{{ c.score }}</td><td>{{ c.coverage }}</td><td>{{ c.confidence }}</td><td>{{ c.spread }}</td></tr>{% endfor %}
</table>{% if findings %}<h4>Findings</h4><ul>{% for f in findings %}<li>{{ f }}</li>{% endfor %}</ul>{% endif %}""",
        respondents=card.respondents or 1,
        overall="off" if card.overall is None else f"{card.overall:.2f}",
        coverage=f"{card.coverage:.0%}",
        chart=chart,
        alt=alt,
        rows=[
            {
                "title": f"{c.id} {_text(framework.category(c.id).title)}",
                "score": "-" if c.score is None else f"{c.score:.2f}",
                "coverage": f"{c.coverage:.0%}",
                "confidence": "-" if c.confidence is None else f"{c.confidence:.2f}",
                "spread": "-" if c.spread is None else f"{c.spread:.2f}",
            }
            for c in card.categories
        ],
        findings=[f.message for f in card.findings],
    )
    markdown = "\n".join(
        ["| category | score | coverage |", "|---|---|---|"]
        + [
            f"| {markdown_text(f'{c.id} {_text(framework.category(c.id).title)}')} | {'-' if c.score is None else f'{c.score:.2f}'} | {c.coverage:.0%} |"
            for c in card.categories
        ]
        + [""]
        + [f"- {markdown_text(f.message)}" for f in card.findings]
    )
    return SectionContent(f"{_text(framework.title)} ({card.framework_id})", html, markdown, charts=1)


def history_section(rows: Sequence[dict[str, Any]]) -> SectionContent | None:
    """Scores over time, one line per category, when there are at least two assessments."""
    by_framework: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_framework.setdefault(row["framework_id"], []).append(row)
    parts: list[Markup] = []
    markdown: list[str] = []
    charts = 0
    for framework_id, assessments in sorted(by_framework.items()):
        if len(assessments) < 2:
            continue
        # Assessments are numbered on a numeric axis: a category missing from an early
        # assessment then cannot push its later points to the front of the axis.
        series: dict[str, list[tuple[float, float]]] = {}
        for index, row in enumerate(assessments, start=1):
            for category in row["categories"]:
                if category["score"] is not None:
                    series.setdefault(category["id"], []).append((index, category["score"]))
        chart = line_chart(
            series,
            f"{framework_id}: category scores over {len(assessments)} assessments",
            ylabel="score",
            xlabel="assessment",
            xtick_labels={i: f"#{i}" for i in range(1, len(assessments) + 1)},
        )
        charts += 1
        last = assessments[-1]
        changes = [c for c in last["categories"] if c["change"] is not None]
        parts.append(
            fragment(
                "<h3>{{ fid }}</h3><figure>{{ chart|safe }}</figure><p>Change since the previous assessment: {{ changes }}</p>",
                fid=framework_id,
                chart=chart,
                changes=", ".join(f"{c['id']} {c['change']:+.2f}" for c in changes) or "none",
            )
        )
        markdown.append(
            f"- {markdown_text(framework_id)}: {len(assessments)} assessments; last changes "
            + ", ".join(f"{markdown_text(c['id'])} {c['change']:+.2f}" for c in changes)
        )
    if not parts:
        return None
    return SectionContent("Progress over time", Markup("").join(parts), "\n".join(markdown), charts)


def build_sections(
    context: ReportContext,
    score_frameworks: dict[str, Any],
    plugin_sections: Sequence[Any],
    on_failure: Callable[[Any, Exception], None] | None = None,
) -> list[SectionContent]:
    """Core score-card sections, then plugin sections by order, then history. A section that
    raises is replaced by a short notice and reported through ``on_failure`` (sections from
    the catalog are guarded: their failures arrive as a :class:`~silkcore.PluginError`
    already recorded against their plugin)."""
    ordered: list[tuple[int, str, SectionContent]] = []
    for card in context.score_cards:
        ordered.append((10, card.framework_id, scorecard_section(card, score_frameworks[card.framework_id])))
    for section in plugin_sections:
        try:
            content = section.render(context)
        except Exception as exc:  # one plugin's broken section must not cost the reader the others
            if on_failure is not None:
                on_failure(section, exc)
            error = str(exc) if isinstance(exc, SilkError) else f"{type(exc).__name__}: {exc}"
            content = SectionContent(
                f"Section {section.id} could not be drawn",
                fragment("<p>The plugin section {{ id }} failed: {{ error }}</p>", id=section.id, error=error),
                markdown_text(f"The plugin section {section.id} failed: {error}"),
            )
        if content is not None:
            ordered.append((section.order, section.id, content))
    trend = history_section(context.history)
    if trend is not None:
        ordered.append((90, "history", trend))
    return [content for _, _, content in sorted(ordered, key=lambda t: (t[0], t[1]))]


_PAGE = jinja2.Environment(autoescape=True).from_string(
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Internationalisation report - {{ name }}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}
h1{font-size:1.6rem}h2{border-bottom:2px solid #3b5bdb;padding-bottom:.2rem;margin-top:2.2rem}
table{border-collapse:collapse;margin:.6rem 0;display:block;max-width:100%;overflow-x:auto}
td,th{border:1px solid #ccc;padding:.25rem .55rem;text-align:left;vertical-align:top}
figure{margin:.8rem 0}svg{max-width:100%;height:auto}figcaption{font-size:.85rem;color:#555}
.meta{color:#555;font-size:.9rem}nav ol{columns:2}body{overflow-wrap:break-word}
@media (max-width:40rem){body{margin:1rem auto;padding:0 .6rem}nav ol{columns:1}td,th{padding:.2rem .3rem}}
</style></head>
<body><h1>Internationalisation report: {{ name }}</h1>
<p class="meta">{{ description }}<br>Generated by silkcore {{ version }} on {{ date }} from the SILK tools installed; every figure can be traced in the JSON score cards.</p>
<nav><h2>Contents</h2><ol>{% for s in sections %}<li><a href="#s{{ loop.index }}">{{ s.title }}</a></li>{% endfor %}</ol></nav>
{% for s in sections %}<section id="s{{ loop.index }}"><h2>{{ s.title }}</h2>{{ s.html }}</section>
{% endfor %}</body></html>
"""
)


def render_html(name: str, description: str, sections: Sequence[SectionContent], version: str, date: dt.date) -> str:
    """The whole report as one offline HTML page."""
    return _PAGE.render(name=name, description=description, sections=sections, version=version, date=date.isoformat())


def render_markdown(name: str, sections: Sequence[SectionContent]) -> str:
    """The report as Markdown (no charts: their text alternatives are in the tables). Names
    and titles are escaped here; a section's own Markdown keeps its syntax but not raw HTML."""
    parts = [f"# Internationalisation report: {markdown_text(name)}", ""]
    for section in sections:
        parts += [f"## {markdown_text(section.title)}", "", _section_markdown(section.markdown), ""]
    return "\n".join(parts)


def _section_markdown(markdown: str) -> str:
    """A section's Markdown without raw HTML (``<`` written as ``&lt;``) and with control
    characters shown as escapes, line by line (its line breaks are its structure)."""
    return "\n".join(terminal_text(line) for line in markdown.replace("<", "&lt;").split("\n"))


def write_report(path: Path, name: str, description: str, sections: Sequence[SectionContent], version: str) -> Path:
    """Write HTML (``.html``) or Markdown (``.md``) to ``path``."""
    if path.suffix.lower() == ".md":
        path.write_text(render_markdown(name, sections), encoding="utf-8")
    else:
        path.write_text(render_html(name, description, sections, version, dt.date.today()), encoding="utf-8")
    return path
