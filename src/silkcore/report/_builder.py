"""Assembling the report: core sections, plugin sections, one offline HTML page and Markdown."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .._assessment import ScoreCard
from .._errors import SilkError, terminal_text
from .._i18n import DEFAULT_LANGUAGE, N_, gettext, pick_text
from . import ReportContext, SectionContent, fragment
from ._charts import bar_chart, line_chart, radar_chart
from ._markdown import markdown_text

__all__ = ["build_sections", "describe", "render_html", "render_markdown", "write_report"]


def _text(texts: dict[str, str] | None, language: str = DEFAULT_LANGUAGE, default_language: str | None = None) -> str:
    return pick_text(texts, language, default_language)


def _translator(language: str) -> Callable[[str], str]:
    """``_`` for the messages of one report: the English msgid in ``language``."""
    return lambda message: gettext(language, message)


# The scorer's findings are English sentences; where one is of a kind the scorer writes, the
# report says it again in the report's language, with the item's text in that language.
_WEAK = re.compile(r"weak answer on (?P<item>\S+) \((?P<score>[0-9.]+)\): ")
_DISAGREE = re.compile(r"respondents disagree strongly on (?P<item>\S+) \(spread (?P<spread>[0-9.]+)\): ")
_THIN = re.compile(r"only (?P<usable>\d+) of (?P<asked>\d+) items in category (?P<category>\S+) have a usable answer\Z")


def _finding_text(finding: Any, framework: Any, language: str) -> str:
    """A finding's message in ``language`` (the scorer's own English where it is English, or
    a message the report does not know)."""
    if language == DEFAULT_LANGUAGE:
        return str(finding.message)
    _ = _translator(language)
    message = finding.message
    if (match := _WEAK.match(message)) or (match := _DISAGREE.match(message)):
        item = framework.item(match["item"]) if match["item"] in {i.id for i in framework.items} else None
        text = _text(item.text, language, framework.default_language) if item is not None else message[match.end() :]
        if "score" in match.groupdict():
            return _("weak answer on %(item)s (%(score)s): %(text)s") % {
                "item": match["item"],
                "score": match["score"],
                "text": text,
            }
        return _("respondents disagree strongly on %(item)s (spread %(spread)s): %(text)s") % {
            "item": match["item"],
            "spread": match["spread"],
            "text": text,
        }
    if match := _THIN.match(message):
        return _("only %(usable)s of %(asked)s items in category %(category)s have a usable answer") % match.groupdict()
    return str(message)


def _short_label(category_id: str, title: str) -> str:
    """A chart label: short codes (A, B...) keep their code, long ids give way to the title."""
    # Whole, not cut: the chart helpers wrap long labels at word boundaries.
    return f"{category_id} {title}" if len(category_id) <= 3 else title


def scorecard_section(card: ScoreCard, framework: Any, language: str = DEFAULT_LANGUAGE) -> SectionContent:
    """A score card: a radar (or bars) of category scores with coverage, and its findings,
    in ``language`` (the framework's texts in that language where it has them)."""
    _ = _translator(language)
    default = framework.default_language

    def title(category_id: str) -> str:
        return _text(framework.category(category_id).title, language, default)

    scored = [c for c in card.categories if framework.category(c.id).scored]
    labels = [_short_label(c.id, title(c.id)) for c in scored]
    not_applicable = _("n/a")
    alt = f"{card.framework_id}: " + ", ".join(
        f"{c.id} {not_applicable if c.score is None else f'{c.score:.2f}'}" for c in scored
    )
    if len(scored) >= 3:
        chart = radar_chart(labels, [c.score for c in scored], alt, coverage=[c.coverage for c in scored], language=language)
    else:
        chart = bar_chart(labels, [c.score or 0.0 for c in scored], alt, language=language)
    summary = " ".join(
        [
            _("%(count)s respondent(s).") % {"count": card.respondents or 1},
            _("Overall: %(overall)s.") % {"overall": _("off") if card.overall is None else f"{card.overall:.2f}"},
            _("%(coverage)s of the questions asked have a usable answer.") % {"coverage": f"{card.coverage:.0%}"},
        ]
    )
    headers = [_("category"), _("score"), _("coverage"), _("confidence"), _("spread")]
    html = fragment(
        """<p>{{ summary }}</p>
<figure>{{ chart|safe }}<figcaption>{{ alt }}</figcaption></figure>
<table><tr>{% for h in headers %}<th>{{ h }}</th>{% endfor %}</tr>
{% for c in rows %}<tr><td>{{ c.title }}</td><td>{{ c.score }}</td><td>{{ c.coverage }}</td><td>{{ c.confidence }}</td><td>{{ c.spread }}</td></tr>{% endfor %}
</table>{% if findings %}<h4>{{ findings_title }}</h4><ul>{% for f in findings %}<li>{{ f }}</li>{% endfor %}</ul>{% endif %}""",
        summary=summary,
        headers=headers,
        chart=chart,
        alt=alt,
        rows=[
            {
                "title": f"{c.id} {title(c.id)}",
                "score": "-" if c.score is None else f"{c.score:.2f}",
                "coverage": f"{c.coverage:.0%}",
                "confidence": "-" if c.confidence is None else f"{c.confidence:.2f}",
                "spread": "-" if c.spread is None else f"{c.spread:.2f}",
            }
            for c in card.categories
        ],
        findings_title=_("Findings"),
        findings=[_finding_text(f, framework, language) for f in card.findings],
    )
    markdown = "\n".join(
        [f"| {' | '.join(headers[:3])} |", "|---|---|---|"]
        + [
            f"| {markdown_text(f'{c.id} {title(c.id)}')} | {'-' if c.score is None else f'{c.score:.2f}'} | {c.coverage:.0%} |"
            for c in card.categories
        ]
        + [""]
        + [f"- {markdown_text(_finding_text(f, framework, language))}" for f in card.findings]
    )
    return SectionContent(f"{_text(framework.title, language, default)} ({card.framework_id})", html, markdown, charts=1)


#: The words for a category's comparison across framework versions
#: (:mod:`silkcore._history_versions`), translated where shown.
_STATUSES = {"comparable": N_("comparable"), "re-scored": N_("re-scored"), "not comparable": N_("not comparable")}
_REASONS = {
    "same_version": N_("the same version of the framework"),
    "unchanged": N_("no declared change touches the category's items"),
    "rescored": N_("the earlier answers were migrated and re-scored under the newer version"),
    "version_missing": N_("the earlier version of the framework is not at hand"),
    "no_path": N_("no declared changes lead from the earlier version to the newer one"),
    "not_rescored": N_("the category's items changed and the earlier answers were not re-scored"),
    "no_answers": N_("no answer of the category could be carried from the earlier version"),
}


def _compared(assessments: Sequence[dict[str, Any]], language: str) -> tuple[str, list[str]]:
    """When the last assessment answers another version than the one before: a heading and,
    per category, whether it compares (and why not) - else ``("", [])``."""
    if len(assessments) < 2 or assessments[-1].get("framework_version") == assessments[-2].get("framework_version"):
        return "", []
    _ = _translator(language)
    lines = []
    for category in assessments[-1]["categories"]:
        status = category.get("status")
        if status not in _STATUSES:
            continue
        reason = _REASONS.get(category.get("reason_code", ""))
        line = _("%(category)s: %(status)s") % {"category": category["id"], "status": _(_STATUSES[status])}
        lines.append(f"{line} ({_(reason)})" if reason and status != "comparable" else line)
    if not lines:
        return "", []
    heading = _("Compared with version %(version)s of the framework:") % {"version": assessments[-2]["framework_version"]}
    return heading, lines


def history_section(rows: Sequence[dict[str, Any]], language: str = DEFAULT_LANGUAGE) -> SectionContent | None:
    """Scores over time, one line per category, when there are at least two assessments."""
    _ = _translator(language)
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
            _("%(framework)s: category scores over %(count)s assessments")
            % {"framework": framework_id, "count": len(assessments)},
            ylabel=_("score"),
            xlabel=_("assessment"),
            xtick_labels={i: f"#{i}" for i in range(1, len(assessments) + 1)},
        )
        charts += 1
        last = assessments[-1]
        changes = [c for c in last["categories"] if c["change"] is not None]
        heading, compared = _compared(assessments, language)
        parts.append(
            fragment(
                "<h3>{{ fid }}</h3><figure>{{ chart|safe }}</figure><p>{{ changes }}</p>"
                "{% if heading %}<p>{{ heading }}</p><ul>{% for line in compared %}<li>{{ line }}</li>{% endfor %}</ul>{% endif %}",
                fid=framework_id,
                chart=chart,
                changes=_("Change since the previous assessment: %(changes)s")
                % {"changes": ", ".join(f"{c['id']} {c['change']:+.2f}" for c in changes) or _("none")},
                heading=heading,
                compared=compared,
            )
        )
        markdown.append(
            "- "
            + _("%(framework)s: %(count)s assessments; last changes %(changes)s")
            % {
                "framework": markdown_text(framework_id),
                "count": len(assessments),
                "changes": ", ".join(f"{markdown_text(c['id'])} {c['change']:+.2f}" for c in changes),
            }
        )
        if heading:
            markdown.append("  - " + markdown_text(heading))
            markdown.extend(f"    - {markdown_text(line)}" for line in compared)
    if not parts:
        return None
    return SectionContent(_("Progress over time"), Markup("").join(parts), "\n".join(markdown), charts)


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
    _ = _translator(context.language)
    ordered: list[tuple[int, str, SectionContent]] = []
    for card in context.score_cards:
        ordered.append((10, card.framework_id, scorecard_section(card, score_frameworks[card.framework_id], context.language)))
    for section in plugin_sections:
        try:
            content = section.render(context)
        except Exception as exc:  # one plugin's broken section must not cost the reader the others
            if on_failure is not None:
                on_failure(section, exc)
            error = str(exc) if isinstance(exc, SilkError) else f"{type(exc).__name__}: {exc}"
            failure = _("The plugin section %(id)s failed: %(error)s") % {"id": section.id, "error": error}
            content = SectionContent(
                _("Section %(id)s could not be drawn") % {"id": section.id},
                fragment("<p>{{ failure }}</p>", failure=failure),
                markdown_text(failure),
            )
        if content is not None:
            ordered.append((section.order, section.id, content))
    trend = history_section(context.history, context.language)
    if trend is not None:
        ordered.append((90, "history", trend))
    return [content for _, _, content in sorted(ordered, key=lambda t: (t[0], t[1]))]


_PAGE = jinja2.Environment(autoescape=True).from_string(
    """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ head_title }}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}
h1{font-size:1.6rem}h2{border-bottom:2px solid #3b5bdb;padding-bottom:.2rem;margin-top:2.2rem}
table{border-collapse:collapse;margin:.6rem 0;display:block;max-width:100%;overflow-x:auto}
td,th{border:1px solid #ccc;padding:.25rem .55rem;text-align:left;vertical-align:top}
figure{margin:.8rem 0}svg{max-width:100%;height:auto}figcaption{font-size:.85rem;color:#555}
.meta{color:#555;font-size:.9rem}nav ol{columns:2}body{overflow-wrap:break-word}
@media (max-width:40rem){body{margin:1rem auto;padding:0 .6rem}nav ol{columns:1}td,th{padding:.2rem .3rem}}
</style></head>
<body><h1>{{ heading }}</h1>
<p class="meta">{{ description }}<br>{{ generated }}</p>
<nav><h2>{{ contents }}</h2><ol>{% for s in sections %}<li><a href="#s{{ loop.index }}">{{ s.title }}</a></li>{% endfor %}</ol></nav>
{% for s in sections %}<section id="s{{ loop.index }}"><h2>{{ s.title }}</h2>{{ s.html }}</section>
{% endfor %}</body></html>
"""
)


def render_html(
    name: str,
    description: str,
    sections: Sequence[SectionContent],
    version: str,
    date: dt.date,
    language: str = DEFAULT_LANGUAGE,
) -> str:
    """The whole report as one offline HTML page, its own words in ``language``."""
    _ = _translator(language)
    return _PAGE.render(
        lang=language,
        head_title=_("Internationalisation report - %(name)s") % {"name": name},
        heading=_("Internationalisation report: %(name)s") % {"name": name},
        generated=_(
            "Generated by silkcore %(version)s on %(date)s from the SILK tools installed; "
            "every figure can be traced in the JSON score cards."
        )
        % {"version": version, "date": date.isoformat()},
        contents=_("Contents"),
        description=description,
        sections=sections,
    )


def render_markdown(name: str, sections: Sequence[SectionContent], language: str = DEFAULT_LANGUAGE) -> str:
    """The report as Markdown (no charts: their text alternatives are in the tables). Names
    and titles are escaped here; a section's own Markdown keeps its syntax but not raw HTML."""
    _ = _translator(language)
    parts = ["# " + _("Internationalisation report: %(name)s") % {"name": markdown_text(name)}, ""]
    for section in sections:
        parts += [f"## {markdown_text(section.title)}", "", _section_markdown(section.markdown), ""]
    return "\n".join(parts)


def _section_markdown(markdown: str) -> str:
    """A section's Markdown without raw HTML (``<`` written as ``&lt;``) and with control
    characters shown as escapes, line by line (its line breaks are its structure)."""
    return "\n".join(terminal_text(line) for line in markdown.replace("<", "&lt;").split("\n"))


# An organisation's SSE family as the report's description names it (the English is its code's words).
FAMILIES = {
    "cooperative": N_("cooperative"),
    "mutual": N_("mutual"),
    "association": N_("association"),
    "foundation": N_("foundation"),
    "social_enterprise": N_("social enterprise"),
    "informal_group": N_("informal group"),
    "network": N_("network"),
    "public_agency": N_("public agency"),
    "other": N_("other"),
}


def describe(organisation: Any, language: str = DEFAULT_LANGUAGE) -> str:
    """The line under the report's heading: the organisation's family, country and founding year."""
    if organisation is None:
        return ""
    _ = _translator(language)
    family = organisation.sse_family.value
    values = {"family": _(FAMILIES.get(family, family.replace("_", " "))), "country": organisation.country}
    if organisation.founding_year:
        return _("A %(family)s in %(country)s, founded in %(year)s.") % {**values, "year": organisation.founding_year}
    return _("A %(family)s in %(country)s.") % values


def write_report(
    path: Path,
    name: str,
    description: str,
    sections: Sequence[SectionContent],
    version: str,
    language: str = DEFAULT_LANGUAGE,
) -> Path:
    """Write HTML (``.html``) or Markdown (``.md``) to ``path``, its own words in ``language``."""
    if path.suffix.lower() == ".md":
        path.write_text(render_markdown(name, sections, language), encoding="utf-8")
    else:
        path.write_text(render_html(name, description, sections, version, dt.date.today(), language), encoding="utf-8")
    return path
