"""Inline SVG charts for the report: pure functions returning ``Markup``.

Every chart is an HTML figure whose rows hold the text (labels and values, so they wrap and
stay readable at any width and reach screen readers) and a small SVG per row that draws only
geometry. Each row's SVG uses ``viewBox="0 0 100 10"`` with ``preserveAspectRatio="none"``:
x runs over the chart's value domain mapped onto 0..100, so bars stretch with the column and
no text is ever scaled. Coordinates are printed with fixed decimals, so the same numbers give
the same bytes. All text passes through ``markupsafe`` escaping.

Colours: one categorical palette, Okabe-Ito's eight (Okabe & Ito 2008, "Color Universal
Design"), distinguishable with the common colour-vision deficiencies and always paired with
a label; sequential scales vary the lightness of one hue, and text on a shaded cell is black
or white, whichever contrasts more (WCAG 2 contrast, always >= 4.5:1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from .formatting import fmt

PALETTE: tuple[str, ...] = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
)
"""Okabe-Ito: the report's one categorical palette, eight colours, every use labelled.
More than eight series share colours only where a legend in segment order tells them apart
(:func:`colour_keys` groups criteria first)."""

LOWER = "#E69F00"  # weight lowered (tornado)
RAISED = "#0072B2"  # weight raised (tornado)
_SEQ_LIGHT = (0xF1, 0xF6, 0xFB)
_SEQ_DARK = (0x08, 0x3D, 0x77)
_DIV_NEG = (0xB3, 0x58, 0x06)  # orange end (tau -1)
_DIV_POS = (0x08, 0x3D, 0x77)  # blue end (tau +1)
_DIV_MID = (0xF7, 0xF7, 0xF7)


@dataclass(frozen=True)
class Segment:
    """One piece of a bar: its value, colour and hover title."""

    value: float
    colour: str
    title: str


@dataclass(frozen=True)
class BarRow:
    """One labelled row of a bar chart; ``value`` is the text shown after the bar."""

    label: str
    segments: tuple[Segment, ...]
    value: str


def series_colour(index: int) -> str:
    """The colour of series ``index`` (cycling past the palette's end)."""
    return PALETTE[index % len(PALETTE)]


def colour_keys(
    names: Sequence[str], groups: Sequence[str]
) -> tuple[list[str], list[tuple[str, str]]]:
    """A colour per series and the legend, within the eight-colour palette.

    Up to eight series: one colour each. More: one colour per group (series without a group
    form their own), when that makes at most eight, the legend naming each group's members;
    else the colours cycle and the legend lists the series in order.
    """
    if len(names) <= len(PALETTE):
        return [series_colour(j) for j in range(len(names))], [
            (n, series_colour(j)) for j, n in enumerate(names)
        ]
    keys = [g or n for n, g in zip(names, groups, strict=True)]
    distinct = list(dict.fromkeys(keys))
    if len(distinct) <= len(PALETTE):
        colours = [series_colour(distinct.index(k)) for k in keys]
        legend_items = []
        for k in distinct:
            members = [n for n, key in zip(names, keys, strict=True) if key == k]
            label = k if members == [k] else f"{k}: {', '.join(members)}"
            legend_items.append((label, series_colour(distinct.index(k))))
        return colours, legend_items
    return [series_colour(j) for j in range(len(names))], [
        (n, series_colour(j)) for j, n in enumerate(names)
    ]


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> str:
    t = min(1.0, max(0.0, t))
    r, g, bl = (round(x + (y - x) * t) for x, y in zip(a, b, strict=True))
    return f"#{r:02X}{g:02X}{bl:02X}"


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#RRGGBB``."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` (always >= 4.5:1)."""
    return (
        "#FFFFFF"
        if contrast(background, "#FFFFFF") >= contrast(background, "#000000")
        else "#000000"
    )


def sequential_colour(value: float, high: float) -> tuple[str, str]:
    """(background, text colour) for ``value`` on a light-to-dark blue scale over [0, high]."""
    t = value / high if high > 0 else 0.0
    bg = _mix(_SEQ_LIGHT, _SEQ_DARK, t)
    return bg, text_on(bg)


def diverging_colour(value: float) -> tuple[str, str]:
    """(background, text colour) for a correlation in [-1, 1]: orange - grey - blue."""
    bg = _mix(_DIV_MID, _DIV_NEG, -value) if value < 0 else _mix(_DIV_MID, _DIV_POS, value)
    return bg, text_on(bg)


def rank_colours(count: int) -> tuple[str, ...]:
    """Dark (rank 1) to light (last rank) shades of one hue, for rank acceptability."""
    if count <= 1:
        return (_mix(_SEQ_LIGHT, _SEQ_DARK, 1.0),)
    return tuple(_mix(_SEQ_DARK, _SEQ_LIGHT, 0.1 + 0.8 * i / (count - 1)) for i in range(count))


def _x(value: float, low: float, high: float) -> float:
    span = high - low
    return 0.0 if span <= 0 else (value - low) / span * 100.0


def _rect(x0: float, x1: float, colour: str, title: str, *, y: str = "1", h: str = "8") -> Markup:
    left, right = min(x0, x1), max(x0, x1)
    return Markup(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" class="seg"><title>{}</title></rect>'
    ).format(fmt(left), y, fmt(right - left), h, colour, title)


def _zero_line(x: float) -> Markup:
    return Markup(
        '<line x1="{0}" x2="{0}" y1="0" y2="10" class="axis" vector-effect="non-scaling-stroke"/>'
    ).format(fmt(x))


def bar_svg(segments: Sequence[Segment], low: float, high: float, label: str) -> Markup:
    """One row's SVG: segments stacked from 0, positives rightwards, negatives leftwards."""
    parts: list[Markup] = []
    pos, neg = 0.0, 0.0
    for seg in segments:
        if seg.value >= 0:
            start, pos = pos, pos + seg.value
            end = pos
        else:
            start, neg = neg, neg + seg.value
            end = neg
        if end != start:
            parts.append(_rect(_x(start, low, high), _x(end, low, high), seg.colour, seg.title))
    if low < 0 < high:
        parts.append(_zero_line(_x(0.0, low, high)))
    return Markup(
        '<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
        'aria-label="{}">{}</svg>'
    ).format(label, Markup("").join(parts))


def _domain(rows: Sequence[BarRow]) -> tuple[float, float]:
    low, high = 0.0, 0.0
    for row in rows:
        pos = sum(s.value for s in row.segments if s.value > 0)
        neg = sum(s.value for s in row.segments if s.value < 0)
        low, high = min(low, neg), max(high, pos)
    if low == high:
        high = low + 1.0
    return low, high


def legend(items: Sequence[tuple[str, str]]) -> Markup:
    """A list of colour swatches and names."""
    entries = Markup("").join(
        Markup('<li><span class="swatch" style="background:{}"></span>{}</li>').format(c, name)
        for name, c in items
    )
    return Markup('<ul class="legend">{}</ul>').format(entries)


def bar_chart(
    rows: Sequence[BarRow],
    *,
    caption: str,
    legend_items: Sequence[tuple[str, str]] = (),
    domain: tuple[float, float] | None = None,
) -> Markup:
    """A figure of labelled (stacked or single) bars sharing one scale."""
    low, high = domain if domain is not None else _domain(rows)
    body = Markup("").join(
        Markup(
            '<div class="chart-row"><span class="chart-label">{}</span>{}'
            '<span class="chart-value">{}</span></div>'
        ).format(
            row.label, bar_svg(row.segments, low, high, f"{row.label}: {row.value}"), row.value
        )
        for row in rows
    )
    return Markup(
        '<figure class="chart"><figcaption>{}</figcaption>{}<div class="chart-grid">{}</div>'
        "</figure>"
    ).format(caption, legend(legend_items) if legend_items else Markup(""), body)


def score_bars(
    rows: Sequence[tuple[str, float]], *, caption: str, colour: str = PALETTE[4], digits: int = 3
) -> Markup:
    """One bar per option from zero (diverging when scores are negative)."""
    bar_rows = [
        BarRow(
            label, (Segment(value, colour, f"{label}: {fmt(value, digits)}"),), fmt(value, digits)
        )
        for label, value in rows
    ]
    return bar_chart(bar_rows, caption=caption)


def tornado_svg(
    base: float, low: float, high: float, domain: tuple[float, float], label: str
) -> Markup:
    """A tornado row: bars from the base score to the score at the low and the high weight."""
    lo, hi = domain
    bx = _x(base, lo, hi)
    parts = [
        _rect(bx, _x(low, lo, hi), LOWER, f"weight lowered: {fmt(low)}", y="1", h="4"),
        _rect(bx, _x(high, lo, hi), RAISED, f"weight raised: {fmt(high)}", y="5", h="4"),
        _zero_line(bx),
    ]
    return Markup(
        '<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
        'aria-label="{}">{}</svg>'
    ).format(label, Markup("").join(parts))


def tornado_chart(
    items: Sequence[tuple[str, float, float, str]], base: float, *, caption: str
) -> Markup:
    """Rows ``(criterion label, score at low weight, score at high weight, value text)``."""
    values = [base] + [v for _, a, b, _ in items for v in (a, b)]
    low, high = min(values), max(values)
    pad = (high - low) * 0.05 or 0.05
    domain = (low - pad, high + pad)
    body = Markup("").join(
        Markup(
            '<div class="chart-row"><span class="chart-label">{}</span>{}'
            '<span class="chart-value">{}</span></div>'
        ).format(label, tornado_svg(base, a, b, domain, f"{label}: {text}"), text)
        for label, a, b, text in items
    )
    scale = Markup(
        '<div class="chart-row chart-scale" aria-hidden="true"><span class="chart-label"></span>'
        '<span class="scale-ends"><span>{}</span><span>{}</span></span>'
        '<span class="chart-value"></span></div>'
    ).format(fmt(domain[0]), fmt(domain[1]))
    keys = legend([("weight lowered", LOWER), ("weight raised", RAISED)])
    return Markup(
        '<figure class="chart"><figcaption>{}</figcaption>{}<div class="chart-grid">{}{}</div>'
        "</figure>"
    ).format(caption, keys, body, scale)


def acceptability_chart(rows: Sequence[tuple[str, Sequence[float]]], *, caption: str) -> Markup:
    """Stacked 0..1 bars of each option's share of draws at rank 1, 2, ... (SMAA-2 b_i^r)."""
    count = len(rows[0][1]) if rows else 0
    colours = rank_colours(count)
    bar_rows = [
        BarRow(
            label,
            tuple(
                Segment(share, colours[r], f"rank {r + 1}: {fmt(100 * share, 1)}%")
                for r, share in enumerate(shares)
            ),
            f"{fmt(100 * shares[0], 1)}% first",
        )
        for label, shares in rows
    ]
    keys = [(f"rank {r + 1}", colours[r]) for r in range(count)]
    return bar_chart(bar_rows, caption=caption, legend_items=keys, domain=(0.0, 1.0))


#: Line colours for the highlighted options of a sweep (blue, vermillion, green, orange,
#: reddish purple: the palette less yellow and sky blue, which are faint as thin lines).
LINE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7")
OTHERS = "#000000"


@dataclass(frozen=True)
class Line:
    """One option's score line: points (t, score), colour, whether highlighted."""

    label: str
    points: tuple[tuple[float, float], ...]
    colour: str
    strong: bool


def sweep_svg(
    lines: Sequence[Line],
    marks: Sequence[float],
    now: float,
    domain: tuple[float, float],
    label: str,
) -> Markup:
    """Score lines over t in [0, 1] (x: 0..100, y: 0..60, top = high), a solid line at the
    current weight and a dashed one at each change of the top option."""
    lo, hi = domain

    def y(v: float) -> str:
        return fmt(60.0 - (0.0 if hi <= lo else (v - lo) / (hi - lo) * 56.0) - 2.0, 2)

    parts: list[Markup] = [
        Markup(
            '<line x1="{0}" x2="{0}" y1="0" y2="60" class="now" '
            'vector-effect="non-scaling-stroke"/>'
        ).format(fmt(100 * now, 2))
    ]
    for t in marks:
        parts.append(
            Markup(
                '<line x1="{0}" x2="{0}" y1="0" y2="60" class="cross" '
                'vector-effect="non-scaling-stroke"/>'
            ).format(fmt(100 * t, 2))
        )
    for line in sorted(lines, key=lambda item: item.strong):
        pts = " ".join(f"{fmt(100 * t, 2)},{y(v)}" for t, v in line.points)
        parts.append(
            Markup(
                '<polyline points="{}" stroke="{}" class="{}" vector-effect="non-scaling-stroke">'
                "<title>{}</title></polyline>"
            ).format(pts, line.colour, "strong" if line.strong else "faint", line.label)
        )
    return Markup(
        '<svg class="sweep" viewBox="0 0 100 60" preserveAspectRatio="none" role="img" '
        'aria-label="{}">{}</svg>'
    ).format(label, Markup("").join(parts))


def scatter_svg(
    points: Sequence[tuple[float, float, float, str, bool]],
    *,
    x_label: str,
    y_label: str,
    label: str,
) -> Markup:
    """A fixed-aspect scatter (640 x 400): points ``(x, y, size 0..1, mark, hollow)``; x grows
    to the right, y upwards; each point is a circle sized by ``size`` with ``mark`` inside."""
    left, right, top, bottom = 56.0, 624.0, 16.0, 352.0
    xs = [p[0] for p in points] or [0.0]
    ys = [p[1] for p in points] or [0.0]

    def span(values: Sequence[float]) -> tuple[float, float]:
        lo, hi = min(values), max(values)
        pad = (hi - lo) * 0.08 or 0.05
        return lo - pad, hi + pad

    (x0, x1), (y0, y1) = span(xs), span(ys)

    def px(v: float) -> float:
        return left + (v - x0) / (x1 - x0) * (right - left)

    def py(v: float) -> float:
        return bottom - (v - y0) / (y1 - y0) * (bottom - top)

    parts: list[Markup] = [
        Markup(
            '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" class="axis"/>'
            '<line x1="{l}" y1="{t}" x2="{l}" y2="{b}" class="axis"/>'
            '<text x="{cx}" y="390" text-anchor="middle">{xl}</text>'
            '<text x="14" y="{cy}" text-anchor="middle" transform="rotate(-90 14 {cy})">{yl}</text>'
            '<text x="{l}" y="370" text-anchor="start">{x0}</text>'
            '<text x="{r}" y="370" text-anchor="end">{x1}</text>'
            '<text x="50" y="{b}" text-anchor="end">{y0}</text>'
            '<text x="50" y="{tt}" text-anchor="end">{y1}</text>'
        ).format(
            l=fmt(left, 1),
            r=fmt(right, 1),
            t=fmt(top, 1),
            b=fmt(bottom, 1),
            tt=fmt(top + 10, 1),
            cx=fmt((left + right) / 2, 1),
            cy=fmt((top + bottom) / 2, 1),
            xl=x_label,
            yl=y_label,
            x0=fmt(x0, 2),
            x1=fmt(x1, 2),
            y0=fmt(y0, 2),
            y1=fmt(y1, 2),
        )
    ]
    for x, yv, size, mark, hollow in sorted(points, key=lambda p: -p[2]):
        radius = 9.0 + 9.0 * min(max(size, 0.0), 1.0)
        parts.append(
            Markup(
                '<g class="{}"><circle cx="{}" cy="{}" r="{}"/>'
                '<text x="{}" y="{}" text-anchor="middle">{}</text></g>'
            ).format(
                "pt hollow" if hollow else "pt",
                fmt(px(x), 1),
                fmt(py(yv), 1),
                fmt(radius, 1),
                fmt(px(x), 1),
                fmt(py(yv) + 5, 1),
                mark,
            )
        )
    return Markup(
        '<svg class="scatter" viewBox="0 0 640 400" role="img" aria-label="{}">{}</svg>'
    ).format(label, Markup("").join(parts))
