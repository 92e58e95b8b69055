"""Charts as inline SVG, drawn with matplotlib, safe to embed in an offline HTML page.

matplotlib's SVG carries an XML prolog, a DOCTYPE and namespace URLs; none is needed for
SVG inside HTML5, so they are removed - the page then references nothing outside itself.
Each chart gets a ``<title>`` and ``aria-label`` as its text alternative. Output is
deterministic (fixed hash salt, no date metadata), so reports can be compared.

Charts must not mislead, so the helpers hold a few rules for every caller:

- time (or any ordered quantity) is a numeric, sorted axis, never a list of labels whose
  order depends on which series happened to come first;
- categorical colours come from one colour-blind-safe palette (Okabe-Ito), and two series
  or two classes never share a colour;
- a missing (not applicable) value is a gap, never a zero, and the chart says so;
- labels wrap at word boundaries instead of being cut, and legends sit outside the plot.

Drawn artists carry SVG ids (``series-N``, ``cell-R-C-CLASS``, ``scores``, ...) so a test
can read a chart back from its SVG.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any, Literal

from .._i18n import DEFAULT_LANGUAGE, N_, gettext

__all__ = [
    "OKABE_ITO",
    "bar_chart",
    "category_grid",
    "diverging_bars",
    "heatmap",
    "line_chart",
    "radar_chart",
    "radar_radii",
    "series_style",
    "wrap_label",
]

#: The Okabe-Ito palette (Okabe & Ito 2008), distinguishable with the common colour-vision
#: deficiencies. Ordered so the first colours contrast well with white; yellow, the weakest
#: on white, comes last.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
)
_PALETTE = OKABE_ITO
# Beyond the palette's eight colours a series is told apart by its marker and dash as well.
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
Dash = Literal["-", "--", ":", "-."]
_DASHES: tuple[Dash, ...] = ("-", "--", ":", "-.")
# Characters per line for wrapped labels: about the width of the space beside a plot.
_LABEL_WIDTH = 24


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update(
        # parse_math off: labels are a framework's or a document's text, where "$" is a dollar
        # sign, not TeX (mathtext would refuse "$x^" and the whole report with it)
        {
            "svg.hashsalt": "silkcore",
            "svg.fonttype": "none",
            "font.size": 10,
            "font.family": "DejaVu Sans",
            "text.parse_math": False,
        }
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


def wrap_label(label: str, width: int = _LABEL_WIDTH) -> str:
    """``label`` broken into lines at spaces (and hyphens), never inside a word.

    A word longer than ``width`` stays whole on its own line: a long line is better than a
    label that reads as a different word.
    """
    return "\n".join(textwrap.wrap(label, width, break_long_words=False)) or label


def _lines(labels: Sequence[str]) -> int:
    """How many text lines the labels take once wrapped, to size the figure to them."""
    return sum(label.count("\n") + 1 for label in labels)


def series_style(index: int) -> tuple[str, str, Dash]:
    """Colour, marker and dash of the ``index``-th series: all distinct up to eight series.

    Past eight the colours repeat, but never with the same marker and dash, so no two
    series look the same.
    """
    colour = _PALETTE[index % len(_PALETTE)]
    turn = index // len(_PALETTE)
    return colour, _MARKERS[turn % len(_MARKERS)], _DASHES[turn % len(_DASHES)]


def _legend_below(figure: Any, axes: Any, handles: Sequence[Any], labels: Sequence[str], *, columns: int = 2) -> None:
    """A legend under everything the axes draw (ticks and labels included), so it covers no data.

    The position is measured after a draw: the tight box of the axes includes its tick
    labels and text, whose size depends on the data.
    """
    if not handles:
        return
    renderer = figure.canvas.get_renderer()
    box = axes.get_tightbbox(renderer)
    top = box.y0 / figure.bbox.height - 0.02
    figure.legend(
        handles, labels, loc="upper center", bbox_to_anchor=(0.5, top), ncol=columns, fontsize=8, frameon=False
    ).set_gid("legend")


def radar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    alt: str,
    coverage: Sequence[float] | None = None,
    *,
    language: str = DEFAULT_LANGUAGE,
) -> str:
    """Scores (0..1) on a radar, first axis at the top, clockwise.

    A missing score (``None``: not applicable) is a gap in the outline - the line stops
    before that axis and resumes after it, and no area is filled towards it - instead of a
    point at the centre that would read as a score of 0. Its label says "n/a" and a legend
    line says what the gap means. Labels are wrapped and placed outside the circle,
    aligned away from it, so they neither get cut nor overlap the plot. The chart's own words
    (legend, "n/a") are in ``language`` (a report's ``context.language``).
    """
    plt = _pyplot()
    from matplotlib.lines import Line2D

    count = len(labels)
    angles = [2 * math.pi * i / count for i in range(count)]
    radii = radar_radii(values)
    figure = plt.figure(figsize=(5.2, 5.2))
    axes = figure.add_subplot(polar=True)
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    colour = _PALETTE[0]
    # NaN breaks a matplotlib line, so the closed outline has a gap on each side of an n/a axis.
    axes.plot([*angles, angles[0]], [*radii, radii[0]], color=colour, linewidth=2, marker="o", markersize=4, gid="scores")
    # The area is filled wedge by wedge, only between two neighbouring axes that both have a score.
    for i in range(count):
        j = (i + 1) % count
        if values[i] is not None and values[j] is not None and count > 1:
            axes.fill([0.0, angles[i], angles[j]], [0.0, radii[i], radii[j]], color=colour, alpha=0.2, linewidth=0)
    handles: list[Any] = [Line2D([], [], color=colour, linewidth=2, marker="o", markersize=4)]
    names = [gettext(language, N_("score"))]
    if coverage is not None:
        axes.plot([*angles, angles[0]], [*coverage, coverage[0]], color=_PALETTE[1], linewidth=1, linestyle="--", gid="coverage")
        handles.append(Line2D([], [], color=_PALETTE[1], linewidth=1, linestyle="--"))
        names.append(gettext(language, N_("coverage")))
    if any(v is None for v in values):
        handles.append(Line2D([], [], linestyle="none"))
        names.append(gettext(language, N_("n/a: not applicable, no score - drawn as a gap")))
    axes.set_xticks(angles)
    axes.set_xticklabels([])  # replaced by the placed labels below
    axes.set_ylim(0, 1)
    axes.set_yticks([0.25, 0.5, 0.75, 1.0])
    axes.set_yticklabels(["0.25", "0.5", "0.75", "1"], fontsize=7)
    axes.set_rlabel_position(180 / count if count else 0)
    not_applicable = gettext(language, N_("n/a"))
    for index, (label, angle, value) in enumerate(zip(labels, angles, values, strict=True)):
        text = wrap_label(label if value is not None else f"{label} ({not_applicable})", 18)
        x, y = math.sin(angle), math.cos(angle)
        ha = "left" if x > 0.1 else "right" if x < -0.1 else "center"
        va = "bottom" if y > 0.1 else "top" if y < -0.1 else "center"
        axes.text(angle, 1.1, text, ha=ha, va=va, fontsize=8, gid=f"label-{index}")
    _legend_below(figure, axes, handles, names, columns=1)
    return _svg(figure, alt)


def radar_radii(values: Sequence[float | None]) -> list[float]:
    """The radii a radar draws: the scores, with NaN (a gap) where a score is not applicable."""
    return [math.nan if v is None else float(v) for v in values]


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    alt: str,
    *,
    limit: float | None = 1.0,
    xlabel: str | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> str:
    """Horizontal bars, one per label; labels wrap at word boundaries. ``xlabel`` defaults to
    "score" in ``language``."""
    plt = _pyplot()
    wrapped = [wrap_label(label) for label in labels]
    figure, axes = plt.subplots(figsize=(6, 0.3 * _lines(wrapped) + 0.25 * len(labels) + 0.8))
    # Bars are placed by position, not by label, so two equal labels stay two bars.
    positions = list(range(len(labels)))[::-1]
    axes.barh(positions, list(values), color=_PALETTE[0])
    axes.set_yticks(positions, labels=wrapped)
    if limit is not None:
        axes.set_xlim(0, limit)
    axes.set_xlabel(gettext(language, N_("score")) if xlabel is None else xlabel)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure, alt)


def line_chart(
    series: Mapping[str, Sequence[tuple[float, float]]],
    alt: str,
    *,
    ylabel: str,
    targets: Mapping[str, float] | None = None,
    xlabel: str = "",
    xtick_labels: Mapping[float, str] | None = None,
) -> str:
    """One line per series over a numeric x axis (e.g. years), with dashed target lines.

    The x values must be numbers: the axis is numeric and each series is drawn in
    ascending x order, so time always runs left to right whatever order the points and
    series come in. Ticks sit at the x values present, labelled with ``xtick_labels`` when
    given (e.g. ``{1: "#1"}``), else with the number. Each series has its own colour
    (:func:`series_style`); the legend sits below the plot, where it covers no data.
    """
    plt = _pyplot()
    from matplotlib.lines import Line2D

    figure, axes = plt.subplots(figsize=(6.4, 3.4))
    xs: set[float] = set()
    handles: list[Any] = []
    names: list[str] = []
    for index, (name, points) in enumerate(series.items()):
        if any(isinstance(x, (str, bool)) or not isinstance(x, (int, float)) for x, _ in points):
            raise TypeError(f"line_chart: the x values of {name!r} must be numbers (years, indexes), not labels")
        ordered = sorted(points, key=lambda p: p[0])
        xs.update(x for x, _ in ordered)
        colour, marker, dash = series_style(index)
        axes.plot(
            [x for x, _ in ordered],
            [y for _, y in ordered],
            marker=marker,
            linestyle=dash,
            color=colour,
            gid=f"series-{index}",
        )
        handles.append(Line2D([], [], color=colour, marker=marker, linestyle=dash))
        names.append(wrap_label(name, 40))
        if targets and name in targets:
            axes.axhline(targets[name], color=colour, linestyle="--", linewidth=1, alpha=0.8, gid=f"target-{index}")
    ticks = sorted(xs)
    axes.set_xticks(ticks, labels=[(xtick_labels or {}).get(x, f"{x:g}") for x in ticks])
    if xlabel:
        axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.spines[["top", "right"]].set_visible(False)
    _legend_below(figure, axes, handles, names, columns=2)
    return _svg(figure, alt)


def heatmap(rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float]], alt: str) -> str:
    """A small matrix of counts with the number written in each cell (a sequential scale).

    For classes rather than quantities use :func:`category_grid`.
    """
    plt = _pyplot()
    wrapped = [wrap_label(row) for row in rows]
    figure, axes = plt.subplots(figsize=(1.6 * len(columns) + 1.5, 0.3 * _lines(wrapped) + 0.3 * len(rows) + 0.8))
    axes.imshow(values, cmap="Blues", aspect="auto", vmin=0)
    axes.set_xticks(range(len(columns)), labels=list(columns))
    axes.set_yticks(range(len(rows)), labels=wrapped)
    top = max((v for row in values for v in row), default=0) or 1
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            # White on the dark end of the scale, where black numbers would not read.
            ink = "white" if value > 0.6 * top else "#111"
            axes.text(c, r, f"{value:g}", ha="center", va="center", color=ink)
    return _svg(figure, alt)


def category_grid(
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Sequence[Sequence[str]],
    alt: str,
    *,
    classes: Mapping[str, tuple[str, str]],
    colours: Mapping[str, str] | None = None,
) -> str:
    """A matrix of classes (not quantities): one colour per class, a mark in each cell, a legend.

    ``cells[r][c]`` is a class id; ``classes`` maps each class id, in legend order, to a
    ``(mark, label)`` pair - the mark is written in the cell so colour is never the only
    cue. Colours are Okabe-Ito: ``colours`` picks them per class (each must be in
    :data:`OKABE_ITO`), else they are taken in palette order. Two classes never share a
    colour; an unknown class raises ``ValueError``.
    """
    plt = _pyplot()
    from matplotlib.patches import Patch, Rectangle

    chosen = dict(colours) if colours is not None else dict(zip(classes, _PALETTE, strict=False))
    if set(chosen) != set(classes) or len(classes) > len(_PALETTE):
        raise ValueError("category_grid: one colour per class, at most eight classes")
    palette = {c.upper() for c in _PALETTE}
    if any(colour.upper() not in palette for colour in chosen.values()):
        raise ValueError("category_grid: colours come from OKABE_ITO")
    if len({colour.upper() for colour in chosen.values()}) != len(chosen):
        raise ValueError("category_grid: two classes share a colour")
    wrapped = [wrap_label(row) for row in rows]
    figure, axes = plt.subplots(figsize=(1.3 * len(columns) + 2.2, 0.3 * _lines(wrapped) + 0.3 * len(rows) + 0.8))
    for r, row in enumerate(cells):
        for c, kind in enumerate(row):
            if kind not in classes:
                raise ValueError(f"category_grid: unknown class {kind!r}")
            axes.add_patch(
                Rectangle(
                    (c - 0.5, r - 0.5), 1, 1, facecolor=chosen[kind], edgecolor="white", linewidth=2, gid=f"cell-{r}-{c}-{kind}"
                )
            )
            # Black text reads on every Okabe-Ito colour except black itself.
            ink = "white" if chosen[kind].upper() == "#000000" else "black"
            axes.text(c, r, classes[kind][0], ha="center", va="center", color=ink, fontsize=11, fontweight="bold")
    axes.set_xlim(-0.5, len(columns) - 0.5)
    axes.set_ylim(len(rows) - 0.5, -0.5)  # first row at the top, as in the table
    axes.set_xticks(range(len(columns)), labels=[wrap_label(c, 14) for c in columns])
    axes.xaxis.tick_top()
    axes.set_yticks(range(len(rows)), labels=wrapped)
    axes.tick_params(length=0)
    axes.spines[:].set_visible(False)
    handles = [Patch(facecolor=chosen[kind], edgecolor="#333", linewidth=0.5) for kind in classes]
    names = [f"{mark} {label}" for mark, label in classes.values()]
    _legend_below(figure, axes, handles, names, columns=len(classes))
    return _svg(figure, alt)


def diverging_bars(
    labels: Sequence[str], left: Sequence[float], right: Sequence[float], alt: str, *, left_label: str, right_label: str
) -> str:
    """Two-sided bars: ``left`` drawn leftwards (e.g. inward), ``right`` rightwards (outward)."""
    plt = _pyplot()
    wrapped = [wrap_label(label) for label in labels]
    figure, axes = plt.subplots(figsize=(6.4, 0.3 * _lines(wrapped) + 0.3 * len(labels) + 1))
    positions = list(range(len(labels)))
    axes.barh(positions, [-v for v in left], color=_PALETTE[1], label=left_label)
    axes.barh(positions, list(right), color=_PALETTE[0], label=right_label)
    axes.set_yticks(positions, labels=wrapped)
    axes.axvline(0, color="#333", linewidth=0.8)
    limit = max([*left, *right, 1])
    axes.set_xlim(-limit * 1.1, limit * 1.1)
    axes.set_xticks([-limit, 0, limit], labels=[f"{limit:g}", "0", f"{limit:g}"])
    axes.spines[["top", "right"]].set_visible(False)
    handles, names = axes.get_legend_handles_labels()
    _legend_below(figure, axes, handles, names, columns=2)
    return _svg(figure, alt)
