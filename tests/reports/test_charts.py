"""The report's charts tell the truth, read back from their SVG.

Each chart's drawn artists carry SVG ids (``series-N``, ``cell-R-C-CLASS``, ``scores``,
``label-N``), so these tests read what was drawn - tick order, fill colours, the radar's
outline - rather than trusting the code that drew it.
"""

from __future__ import annotations

import itertools
import math
import re
import shutil
from pathlib import Path

import pytest

from silkcore.report import OKABE_ITO, bar_chart, category_grid, line_chart, radar_chart, wrap_label

from ..conftest import run_silk


@pytest.fixture(scope="module")
def report_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's report page."""
    out = tmp_path_factory.mktemp("charts")
    result = run_silk("demo", "-o", str(out), "--store", str(out / "h.sqlite"))
    assert result.returncode == 0, result.stderr
    return out / "report.html"


@pytest.fixture(scope="module")
def report_svgs(report_html: Path) -> list[str]:
    """The demo report's inline SVG charts."""
    return re.findall(r"<svg.*?</svg>", report_html.read_text(encoding="utf-8"), flags=re.S)


def chart(svgs: list[str], alt_start: str) -> str:
    """The one chart whose text alternative starts with ``alt_start``."""
    [found] = [svg for svg in svgs if f'aria-label="{alt_start}' in svg[:400]]
    return found


def x_ticks(svg: str) -> list[tuple[float, str]]:
    """The x axis' tick labels with their horizontal positions, in the order drawn."""
    ticks = re.findall(r'<g id="xtick_\d+">.*?<text[^>]*\bx="([\d.]+)"[^>]*>([^<]*)</text>', svg, flags=re.S)
    return [(float(x), text) for x, text in ticks]


def group(svg: str, gid: str) -> str:
    """The markup of the group with id ``gid`` (up to its first path's end)."""
    match = re.search(rf'<g id="{re.escape(gid)}">\s*<path d="([^"]*)"[^>]*style="([^"]*)"', svg)
    assert match, gid
    return match.group(0)


def stroke(svg: str, gid: str) -> str:
    match = re.search(r"stroke: (#[0-9a-f]{6})", group(svg, gid))
    assert match, gid
    return match.group(1)


def vertices(svg: str, gid: str) -> tuple[int, list[tuple[float, float]]]:
    """How many sub-paths (moveto commands) the group's path has, and its vertices."""
    match = re.search(rf'<g id="{re.escape(gid)}">\s*<path d="([^"]*)"', svg)
    assert match, gid
    path = match.group(1)
    points = [(float(x), float(y)) for x, y in re.findall(r"[ML] ([-\d.]+) ([-\d.]+)", path)]
    return path.count("M"), points


# Tool 3: time runs left to right, one colour per series, the legend off the data.


def test_tool3_years_are_a_sorted_numeric_axis(report_svgs: list[str]) -> None:
    svg = chart(report_svgs, "Indicator trends")
    ticks = x_ticks(svg)
    years = [int(text) for _, text in ticks]
    assert years == sorted(years) and len(years) == len(set(years)) >= 2, years
    positions = [x for x, _ in ticks]
    assert positions == sorted(positions), "the ticks are not left to right"
    # Evenly spaced years are evenly spaced on the axis: the axis is numeric, not a list.
    gaps = [b - a for a, b in itertools.pairwise(positions)]
    assert max(gaps) - min(gaps) < 0.5


def test_tool3_series_never_share_a_colour(report_svgs: list[str]) -> None:
    svg = chart(report_svgs, "Indicator trends")
    count = len(re.findall(r'<g id="series-\d+">', svg))
    colours = [stroke(svg, f"series-{i}") for i in range(count)]
    assert count >= 2 and len(set(colours)) == count, colours
    assert {c.upper() for c in colours} <= set(OKABE_ITO)


def test_series_given_out_of_order_are_drawn_in_time_order() -> None:
    # The bug: the first series started in 2024, so a categorical axis read 2024, 2025, 2023.
    svg = line_chart({"late": [(2025, 2.0), (2024, 1.0)], "early": [(2023, 1.0), (2024, 2.0), (2025, 3.0)]}, "t", ylabel="%")
    assert [text for _, text in x_ticks(svg)] == ["2023", "2024", "2025"]
    _, late = vertices(svg, "series-0")
    assert [x for x, _ in late] == sorted(x for x, _ in late)
    with pytest.raises(TypeError, match="numbers"):
        line_chart({"a": [("2024", 1.0)]}, "t", ylabel="%")  # type: ignore[list-item]


def test_the_legend_sits_below_the_plot_and_covers_no_data() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    saved: list[Figure] = []
    original = Figure.savefig

    def keep(self: Figure, *args: object, **kwargs: object) -> None:
        saved.append(self)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    series = {f"indicator number {i} with a long title": [(2023, float(i)), (2025, float(i + 1))] for i in range(9)}
    Figure.savefig = keep  # type: ignore[method-assign]
    try:
        line_chart(series, "t", ylabel="%")
    finally:
        Figure.savefig = original  # type: ignore[method-assign]
    [figure] = saved
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(figure).get_renderer()  # the chart closed its own canvas
    [axes] = figure.axes
    [legend] = figure.legends
    assert legend.get_window_extent(renderer).y1 <= axes.get_tightbbox(renderer).y0
    # Nine series: colours repeat past the palette's eight, but never with the same marker and dash.
    styles = {(line.get_color(), line.get_marker(), line.get_linestyle()) for line in axes.get_lines()}
    assert len(styles) == 9


# Tool 5: one colour per class, all different, and a legend naming each class.


def test_tool5_classes_have_distinct_colours(report_svgs: list[str]) -> None:
    svg = chart(report_svgs, "Likely effect on SSE principles")
    colours: dict[str, set[str]] = {}
    for kind, colour in re.findall(r'<g id="cell-\d+-\d+-(\w+)">\s*<path d="[^"]*"[^>]*style="fill: (#[0-9a-f]{6})', svg):
        colours.setdefault(kind, set()).add(colour)
    assert {"likely_improve", "uncertain", "risk_degrade"} <= set(colours), colours
    assert all(len(found) == 1 for found in colours.values()), "a class drawn in two colours"
    per_class = [next(iter(found)) for found in colours.values()]
    assert len(set(per_class)) == len(per_class), "two classes share a colour"
    assert {c.upper() for c in per_class} <= set(OKABE_ITO)
    for label in ("likely to improve", "uncertain", "risk of degrading"):
        assert label in svg, label


def test_category_grid_refuses_shared_or_foreign_colours() -> None:
    classes = {"a": ("+", "a"), "b": ("?", "b")}
    with pytest.raises(ValueError, match="share"):
        category_grid(["r"], ["c"], [["a"]], "t", classes=classes, colours={"a": OKABE_ITO[0], "b": OKABE_ITO[0]})
    with pytest.raises(ValueError, match="OKABE_ITO"):
        category_grid(["r"], ["c"], [["a"]], "t", classes=classes, colours={"a": "#ffffff", "b": OKABE_ITO[0]})


# The radar: a not-applicable phase is a gap, not a zero.


def test_flowchart_radar_draws_the_not_applicable_phase_as_a_gap(report_svgs: list[str]) -> None:
    svg = chart(report_svgs, "silk.flowchart:")
    assert "n/a" in svg[:400], "the demo's flow chart has a not-applicable phase"
    moves, _ = vertices(svg, "scores")
    assert moves >= 2, "the outline is not broken at the n/a phase"
    assert "drawn as a gap" in svg and "(n/a)" in svg


def test_radar_gap_is_not_at_the_centre() -> None:
    svg = radar_chart(["a", "b", "c", "d"], [1.0, 1.0, 1.0, None], "t")
    moves, points = vertices(svg, "scores")
    distinct = {(round(x, 3), round(y, 3)) for x, y in points}
    assert moves == 2 and len(distinct) == 3
    # First axis at the top, clockwise: a (top) and c (bottom) give the centre.
    top = points[0]
    bottom = points[2]
    centre = ((top[0] + bottom[0]) / 2, (top[1] + bottom[1]) / 2)
    assert all(math.dist(p, centre) > 10 for p in points), "a point drawn at the centre"


# Labels wrap at word boundaries instead of being cut.


def test_a_dollar_sign_in_a_label_is_text_not_tex() -> None:
    """Labels are a framework's or a document's words: "$" must not start TeX (matplotlib's
    mathtext refused "$x^" and, with it, the whole report)."""
    svg = bar_chart(["Costs in $ and \u20ac", "$\\frac{a}{$x^"], [0.5, 0.25], "bars")
    assert "Costs in $ and" in svg and "frac" in svg


def test_labels_wrap_without_cutting_words() -> None:
    label = "Responding to the needs of members or community"
    wrapped = wrap_label(label, 20)
    assert "\n" in wrapped and wrapped.replace("\n", " ") == label
    assert wrap_label("Internationalisation", 5) == "Internationalisation"


def test_report_chart_labels_are_whole(report_svgs: list[str]) -> None:
    texts = " ".join(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)) for svg in report_svgs)
    assert "…" not in texts
    # A Tool 5 principle's title, whole across its wrapped lines.
    words = "Responding to the needs of members or community".split()
    assert all(word in texts.split() for word in words)


# The page reflows: nothing wider than a 390 px phone screen.

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (the Makefile's test set-up installs it)")
def test_report_reflows_at_1280_and_390_px(report_html: Path, tmp_path: Path) -> None:
    import matplotlib.image
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        try:
            for width in (1280, 390):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(report_html.as_uri())
                page.wait_for_load_state("load")
                # A wide table scrolls inside its own box; the page itself never scrolls sideways.
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                too_wide = page.evaluate(
                    "[...document.querySelectorAll('svg')].filter(s => s.getBoundingClientRect().right > innerWidth).length"
                )
                assert too_wide == 0, f"{too_wide} chart(s) wider than {width} px"
                shot = tmp_path / f"report-{width}.png"
                page.screenshot(path=str(shot), full_page=True)
                assert matplotlib.image.imread(str(shot)).std() > 0.05, "the screenshot is blank"
        finally:
            browser.close()


def test_tool5_cells_are_in_words_in_the_table_beside_the_chart(report_html: Path) -> None:
    html = report_html.read_text(encoding="utf-8")
    section = html[html.index("Strategies and SSE principles (Tool 5)</h2>") :]
    assert "<th>principle</th>" in section
    assert "<td>Responding to the needs of members or community</td>" in section
    for words in ("+ likely to improve", "? uncertain", "! risk of degrading"):
        assert f"<td>{words}</td>" in section, words
    markdown = report_html.with_suffix(".md").read_text(encoding="utf-8")
    assert "| principle |" in markdown and "! risk of degrading" in markdown
