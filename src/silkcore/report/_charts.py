"""Charts as inline SVG, drawn with matplotlib, safe to embed in an offline HTML page.

matplotlib's SVG carries an XML prolog, a DOCTYPE and namespace URLs; none is needed for
SVG inside HTML5, so they are removed - the page then references nothing outside itself.
Each chart gets a ``<title>`` and ``aria-label`` as its text alternative. Output is
deterministic (fixed hash salt, no date metadata), so reports can be compared.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from html import escape
from typing import Any

__all__ = ["bar_chart", "diverging_bars", "heatmap", "line_chart", "radar_chart"]

_PALETTE = ["#3b5bdb", "#e8590c", "#2b8a3e", "#ae3ec9", "#1098ad", "#f08c00", "#c92a2a"]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update(
        {"svg.hashsalt": "silkcore", "svg.fonttype": "none", "font.size": 10, "font.family": "DejaVu Sans"}
    )
    import matplotlib.pyplot as plt

    return plt


def _svg(figure: Any, alt: str) -> str:
    plt = _pyplot()
    buffer = io.StringIO()
    figure.savefig(
        buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None, "Format": None, "Type": None}
    )  # type: ignore[attr-defined]
    plt.close(figure)  # type: ignore[arg-type]
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", text)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    label = escape(alt, quote=True)
    return text.replace("<svg", f'<svg role="img" aria-label="{label}"', 1).replace(">", f"><title>{label}</title>", 1)


def radar_chart(labels: Sequence[str], values: Sequence[float | None], alt: str, coverage: Sequence[float] | None = None) -> str:
    """Scores (0..1) on a radar; a missing score is drawn at 0 and marked in the label."""
    plt = _pyplot()
    count = len(labels)
    angles = [2 * math.pi * i / count for i in range(count)] + [0.0]
    data = [v if v is not None else 0.0 for v in values] + [values[0] if values[0] is not None else 0.0]
    figure = plt.figure(figsize=(4.6, 4.6))
    axes = figure.add_subplot(polar=True)
    axes.plot(angles, data, color=_PALETTE[0], linewidth=2)
    axes.fill(angles, data, color=_PALETTE[0], alpha=0.2)
    if coverage is not None:
        axes.plot(angles, [*coverage, coverage[0]], color=_PALETTE[1], linewidth=1, linestyle="--", label="coverage")
        axes.legend(loc="lower right", bbox_to_anchor=(1.25, -0.05), fontsize=8)
    axes.set_xticks(angles[:-1])
    axes.set_xticklabels([f"{label}{'' if v is not None else ' (n/a)'}" for label, v in zip(labels, values, strict=True)])
    axes.set_ylim(0, 1)
    axes.set_yticks([0.25, 0.5, 0.75, 1.0])
    axes.set_yticklabels(["0.25", "0.5", "0.75", "1"], fontsize=7)
    return _svg(figure, alt)


def bar_chart(
    labels: Sequence[str], values: Sequence[float], alt: str, *, limit: float | None = 1.0, xlabel: str = "score"
) -> str:
    """Horizontal bars, one per label."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6, 0.45 * len(labels) + 0.8))
    axes.barh(list(labels)[::-1], list(values)[::-1], color=_PALETTE[0])
    if limit is not None:
        axes.set_xlim(0, limit)
    axes.set_xlabel(xlabel)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure, alt)


def line_chart(
    series: dict[str, list[tuple[str, float]]], alt: str, *, ylabel: str, targets: dict[str, float] | None = None
) -> str:
    """One line per series over periods (labels on the x axis), with dashed target lines."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6.4, 3.4))
    for index, (name, points) in enumerate(series.items()):
        colour = _PALETTE[index % len(_PALETTE)]
        axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", color=colour, label=name)
        if targets and name in targets:
            axes.axhline(targets[name], color=colour, linestyle="--", linewidth=1)
    axes.set_ylabel(ylabel)
    axes.legend(fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure, alt)


def heatmap(rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float]], alt: str) -> str:
    """A small matrix of counts with the number written in each cell."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(1.6 * len(columns) + 1.5, 0.6 * len(rows) + 0.8))
    axes.imshow(values, cmap="Blues", aspect="auto", vmin=0)
    axes.set_xticks(range(len(columns)), labels=list(columns))
    axes.set_yticks(range(len(rows)), labels=list(rows))
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            axes.text(c, r, f"{value:g}", ha="center", va="center", color="#111")
    return _svg(figure, alt)


def diverging_bars(
    labels: Sequence[str], left: Sequence[float], right: Sequence[float], alt: str, *, left_label: str, right_label: str
) -> str:
    """Two-sided bars: ``left`` drawn leftwards (e.g. inward), ``right`` rightwards (outward)."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6.4, 0.5 * len(labels) + 1))
    axes.barh(labels, [-v for v in left], color=_PALETTE[1], label=left_label)
    axes.barh(labels, list(right), color=_PALETTE[0], label=right_label)
    axes.axvline(0, color="#333", linewidth=0.8)
    limit = max([*left, *right, 1])
    axes.set_xlim(-limit * 1.1, limit * 1.1)
    axes.set_xticks([-limit, 0, limit], labels=[f"{limit:g}", "0", f"{limit:g}"])
    axes.legend(fontsize=8, loc="lower right")
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure, alt)
