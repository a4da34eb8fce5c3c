"""Unit tests of evaluator.report.charts: geometry, escaping, determinism, colours."""

from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from evaluator.report import charts
from evaluator.report.charts import BarRow, Segment
from evaluator.report.formatting import fmt


def rects(svg: str) -> list[tuple[float, float]]:
    return [
        (float(x), float(w))
        for x, w in re.findall(r'<rect x="([-\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    ]


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (0.0, 3, "0.000"),
        (-0.0, 3, "0.000"),
        (-0.0004, 3, "0.000"),
        (-0.0006, 3, "-0.001"),
        (1 / 3, 2, "0.33"),
        (2.5, 0, "2"),
    ],
)
def test_fmt_fixed_decimals_without_negative_zero(value: float, digits: int, text: str) -> None:
    assert fmt(value, digits) == text


def test_bar_svg_stacks_positive_segments_from_zero() -> None:
    svg = charts.bar_svg(
        [Segment(0.25, "#000000", "a"), Segment(0.5, "#111111", "b")], 0.0, 1.0, "row"
    )
    assert rects(svg) == [(0.0, 25.0), (25.0, 50.0)]
    assert isinstance(svg, Markup)
    assert 'viewBox="0 0 100 10"' in svg
    assert 'preserveAspectRatio="none"' in svg
    assert "<line" not in svg  # no zero line when the domain starts at 0


def test_bar_svg_puts_negative_segments_left_of_a_zero_line() -> None:
    svg = charts.bar_svg(
        [Segment(-0.5, "#000000", "neg"), Segment(0.5, "#000000", "pos")], -1, 1, "r"
    )
    assert rects(svg) == [(25.0, 25.0), (50.0, 25.0)]
    assert '<line x1="50.000" x2="50.000"' in svg


def test_zero_segments_draw_nothing() -> None:
    assert rects(charts.bar_svg([Segment(0.0, "#000000", "z")], 0, 1, "r")) == []


def test_labels_and_titles_are_escaped() -> None:
    hostile = "<script>alert(1)</script>"
    row = BarRow(hostile, (Segment(1.0, "#000000", hostile),), hostile)
    html = charts.bar_chart([row], caption=hostile, legend_items=[(hostile, "#000000")])
    assert "<script>" not in html
    # caption, legend, label, aria-label (label: value, so twice), rect title, value
    assert html.count("&lt;script&gt;") == 7


def test_bar_chart_shares_one_domain_across_rows() -> None:
    rows = [
        BarRow("a", (Segment(1.0, "#000000", "a"),), "1"),
        BarRow("b", (Segment(2.0, "#000000", "b"),), "2"),
    ]
    html = str(charts.bar_chart(rows, caption="c"))
    assert rects(html) == [(0.0, 50.0), (0.0, 100.0)]


def test_score_bars_diverge_for_negative_scores() -> None:
    html = str(charts.score_bars([("a", 0.5), ("b", -0.5)], caption="net flows"))
    assert rects(html) == [(50.0, 50.0), (0.0, 50.0)]
    assert "-0.500" in html


def test_tornado_bars_start_at_the_base_score() -> None:
    html = str(charts.tornado_chart([("w", 0.4, 0.8, "0.4 to 0.8")], 0.6, caption="t"))
    # domain 0.4..0.8 padded by 5% of its width on each side: 0.38..0.82
    (lx, lw), (hx, _hw) = rects(html)
    base = (0.6 - 0.38) / 0.44 * 100
    assert lx + lw == pytest.approx(base, abs=1e-3)
    assert hx == pytest.approx(base, abs=1e-3)
    assert charts.LOWER in html
    assert charts.RAISED in html


def test_acceptability_bars_fill_the_width() -> None:
    html = str(charts.acceptability_chart([("a", [0.6, 0.4]), ("b", [0.4, 0.6])], caption="c"))
    widths = [w for _, w in rects(html)]
    assert widths == [60.0, 40.0, 40.0, 60.0]
    assert "60.0% first" in html


def test_charts_are_deterministic() -> None:
    def make() -> str:
        return str(charts.acceptability_chart([("a", [1 / 3, 2 / 3])], caption="c"))

    assert make() == make()


def test_palette_starts_with_okabe_ito_and_cycles() -> None:
    assert charts.PALETTE[:8] == (
        "#E69F00",
        "#56B4E9",
        "#009E73",
        "#F0E442",
        "#0072B2",
        "#D55E00",
        "#CC79A7",
        "#000000",
    )
    assert charts.series_colour(len(charts.PALETTE)) == charts.PALETTE[0]


def test_sequential_and_diverging_colours() -> None:
    assert charts.sequential_colour(0.0, 1.0) == ("#F1F6FB", "#000000")
    assert charts.sequential_colour(1.0, 1.0) == ("#083D77", "#FFFFFF")
    assert charts.sequential_colour(5.0, 0.0)[0] == "#F1F6FB"  # no division by zero
    assert charts.diverging_colour(0.0)[0] == "#F7F7F7"
    assert charts.diverging_colour(1.0)[0] == "#083D77"
    assert charts.diverging_colour(-1.0)[0] == "#B35806"


def test_shaded_cells_keep_text_contrast_at_least_4_5() -> None:
    """Every shade of the sequential and diverging scales gets a text colour >= 4.5:1."""
    for k in range(101):
        for bg, fg in (
            charts.sequential_colour(k / 100, 1.0),
            charts.diverging_colour(k / 50 - 1),
        ):
            assert charts.contrast(bg, fg) >= 4.5, (bg, fg)
    assert charts.contrast("#FFFFFF", "#000000") == 21.0


def test_rank_colours_go_from_dark_to_light() -> None:
    shades = charts.rank_colours(3)
    assert len(shades) == 3
    lightness = [sum(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in shades]
    assert lightness == sorted(lightness)
    assert len(charts.rank_colours(1)) == 1
