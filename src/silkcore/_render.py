"""Plain-text rendering of score cards and listings for the terminal.

Every text that comes from a document or a plugin (names, titles, ids, findings) goes
through :func:`~silkcore._errors.terminal_text`: a control character in it is shown as an
escape (``\\x1b``), never sent to the terminal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._assessment import ScoreCard
from ._errors import terminal_text
from ._framework import Framework
from ._i18n import pick_text

__all__ = ["render_framework_list", "render_scorecard"]


def _text(texts: Mapping[str, str] | None, language: str, default_language: str | None = None) -> str:
    """A framework's text in ``language`` by the library's one rule (``fr-FR`` finds ``fr``), escaped."""
    return terminal_text(pick_text(texts, language, default_language))


def _bar(score: float | None, width: int = 20) -> str:
    if score is None:
        return " " * width
    filled = round(score * width)
    return "#" * filled + "." * (width - filled)


def render_scorecard(card: ScoreCard, framework: Framework | None = None, language: str = "en") -> str:
    """A readable score card: one line per category, then the overall score and findings."""
    subject = terminal_text(card.subject.name or card.subject.org_id)
    lines = [f"{terminal_text(card.framework_id)} {terminal_text(card.framework_version)} - {subject}"]
    if card.respondents and card.respondents > 1:
        lines[0] += f" ({card.respondents} respondents)"
    lines.append(f"  {'category':<34} {'score':>5}  {'':<20} {'coverage':>8} {'confidence':>10}")
    for category in card.categories:
        title = terminal_text(category.id)
        if framework is not None:
            title = f"{title} {_text(framework.category(category.id).title, language, framework.default_language)}"
        score = "  -  " if category.score is None else f"{category.score:5.2f}"
        confidence = "-" if category.confidence is None else f"{category.confidence:.2f}"
        lines.append(f"  {title[:34]:<34} {score}  {_bar(category.score)} {category.coverage:>8.0%} {confidence:>10}")
    if card.overall is not None:
        lines.append(f"  overall: {card.overall:.2f}")
    elif framework is not None and framework.scoring.overall:
        lines.append("  overall: not computed (no category has a score)")
    else:
        lines.append("  overall: off (the framework does not combine categories)")
    lines.append(f"  coverage: {card.coverage:.0%} of the items asked have a usable answer")
    if card.findings:
        lines.append("  findings:")
        lines.extend(f"    - [{f.kind.value}] {terminal_text(f.message)}" for f in card.findings)
    return "\n".join(lines)


def render_framework_list(rows: Sequence[dict[str, Any]]) -> str:
    """One line per framework: id, version, size, plugin and title."""
    if not rows:
        return "no frameworks installed (see `silk plugins`)"
    lines = []
    for row in rows:
        title = _text(row["title"], "en")
        size = f"{row['categories']:>2} categories {row['items']:>3} items"
        ident, version, plugin = (terminal_text(str(row[key])) for key in ("id", "version", "plugin"))
        lines.append(f"{ident:<26} {version:<8} {size}  [{plugin}]  {title}")
    return "\n".join(lines)
