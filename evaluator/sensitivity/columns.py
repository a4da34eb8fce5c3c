"""Single-column knobs under the weighted sum: scores, reach and exact thresholds.

Most judgements move one column of the performance matrix (a likelihood, magnitude or
impact moves its item's cell, a precondition likelihood its option's feasibility, a gap its
own cell; a gap median of that column may follow). Under the weighted sum every column is
normalized on its own, so a candidate's scores are the run's scores with one column's
contribution replaced: ``S_i = A_i + w_j r_ij`` with ``A_i`` the score without column ``j``.
That is m numbers per candidate instead of an m x n matrix (a rank-one update of the
affected column).

**Reach** (:func:`reach_prunable`): over the knob's whole domain each option's normalized
value in column ``j`` stays in an interval: the moving cells' own values are linear in the
knob (extremes at the ends of the domain), a refilled gap stays within the known values'
range, and an untouched cell's min-max value moves only when the column's minimum or
maximum does, monotonically in each, so it is bounded by its values at the extreme
minimum and maximum. That gives each option a score interval ``[L_i, U_i]``. The winner
cannot change when ``L_winner`` exceeds every other ``U_i``, and a target's rank cannot
change when no other option's interval meets the target's, each by a margin covering the
tie tolerance of the ranking (``m x 1e-9 x max|score|``, since ties chain). Such a knob
needs no search: the outcome is the run's everywhere in its domain, which is what a search
would find.

**Closed form** (:func:`closed_form`): with one moving cell ``x(v) = x0 + s (v - v0)`` and
no gap median following it, the column's minimum and maximum change only where ``x``
crosses the other cells' minimum or maximum. Between these breakpoints every cell, the
minimum and the maximum are affine in ``v``, so ``(S_i - S_ref) x (max - min)`` is affine
too (min-max: ``r_i - r_ref = +-(x_i - x_ref) / (max - min)``; no normalization: the span is
taken as 1). Its value at the two ends of a piece gives the root exactly. The first root
over all options (against the winner, or the target for a rank) is the threshold, which
the caller then pins to the ranking's tie policy with a few bisection steps inside a
bracket of a millionth of the domain. Where a score sits within the tie margin at a
breakpoint, or a span is zero, the knob is left to the bisection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..scoring.normalize import normalize
from ..scoring.ranking import TIE_RTOL

if TYPE_CHECKING:
    from ..evidence import GapColumn
    from .thresholds import BoolArray, FloatArray, Knob, Searcher

COLUMN_NORMALIZATIONS = ("minmax", "offset-minmax", "none", "vector")
EXACT_NORMALIZATIONS = ("minmax", "offset-minmax", "none")


def column_values(s: Searcher, knob: Knob, q: int, values: FloatArray) -> FloatArray:
    """(k, m) values of the knob's column with the knob at each of ``values``."""
    j = s.column[q]
    col = np.repeat(s.matrix[None, :, j], len(values), axis=0)
    if knob.cell is not None:
        col[:, knob.cell[0]] = values
        return col
    slope = s.slopes[q]
    rows = slope.cells // s.matrix.shape[1]
    col[:, rows] += (values - knob.value)[:, None] * slope.slope[None, :]
    for gap in slope.refill:
        known = col[:, gap.known_rows]
        if s.evidence.gaps == "worst":
            fill = known.min(axis=1) if gap.worst_is_low else known.max(axis=1)
        else:
            fill = np.median(known, axis=1)
        col[:, gap.gap_rows] = fill[:, None]
    return col


def normalized(s: Searcher, j: int, col: FloatArray) -> FloatArray:
    """The run's normalization of column ``j`` alone, (k, m)."""
    norm = s.setup.normalization or "minmax"
    out: FloatArray = normalize(col[:, :, None], s.evidence.types[j : j + 1], norm)[:, :, 0]
    return out


def column_scores(s: Searcher, knob: Knob, q: int, values: FloatArray) -> FloatArray:
    """(k, m) weighted-sum scores with knob ``q`` at each of ``values``."""
    j = s.column[q]
    r = normalized(s, j, column_values(s, knob, q, values))
    out: FloatArray = s.without[None, :, j] + s.setup.weights[j] * r
    return out


def margin(s: Searcher, scores: FloatArray) -> float:
    """Scores closer than this may be tied under the ranking's policy (chains included)."""
    m = s.matrix.shape[0]
    return float(4 * m * TIE_RTOL * max(1.0, float(np.max(np.abs(scores)))) + 1e-12)


def _median_with(known: FloatArray, old: float, new: FloatArray) -> FloatArray:
    """Median of the sorted ``known`` values with one ``old`` value replaced by each ``new``."""
    n = known.size
    z = np.delete(known, int(np.searchsorted(known, old)))
    if n == 1:
        return new
    out: FloatArray
    if n == 2:
        out = (new + z[0]) / 2
    elif n % 2:
        out = np.clip(new, z[n // 2 - 1], z[n // 2])
    else:
        out = (np.clip(new, z[n // 2 - 2], z[n // 2]) + z[n // 2 - 1]) / 2
    return out


def _ends(s: Searcher, knob: Knob, q: int) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Each option's lowest and highest raw value in the column over the knob's domain."""
    j = s.column[q]
    col = s.matrix[:, j]
    low_x, high_x = col.copy(), col.copy()
    if knob.cell is not None:
        low_x[knob.cell[0]], high_x[knob.cell[0]] = knob.domain
        return low_x, high_x, low_x != high_x
    slope = s.slopes[q]
    rows = slope.cells // s.matrix.shape[1]
    a = col[rows] + slope.slope * (knob.domain[0] - knob.value)
    b = col[rows] + slope.slope * (knob.domain[1] - knob.value)
    low_x[rows], high_x[rows] = np.minimum(a, b), np.maximum(a, b)
    for gap in slope.refill:
        # A median (or min, or max) is monotone in each value: its extremes are taken
        # with every moving value at its own extreme.
        if s.evidence.gaps == "worst":
            pick = np.min if gap.worst_is_low else np.max
            low_f, high_f = pick(low_x[gap.known_rows]), pick(high_x[gap.known_rows])
        elif rows.size == 1:
            known = s.sorted_known(gap)
            t = int(rows[0])
            low_f, high_f = _median_with(known, col[t], np.array([low_x[t], high_x[t]]))
        else:
            low_f = np.median(low_x[gap.known_rows])
            high_f = np.median(high_x[gap.known_rows])
        low_x[gap.gap_rows], high_x[gap.gap_rows] = low_f, high_f
    return low_x, high_x, low_x != high_x


def _bounds(s: Searcher, knob: Knob, q: int) -> tuple[FloatArray, FloatArray]:
    """Each option's lowest and highest normalized value in the column over the domain."""
    j = s.column[q]
    norm = s.setup.normalization or "minmax"
    sign = float(s.evidence.types[j])
    col = s.matrix[:, j]
    low_x, high_x, moving = _ends(s, knob, q)
    if norm == "none":
        return np.minimum(sign * low_x, sign * high_x), np.maximum(sign * low_x, sign * high_x)
    offset = 1.0 if norm == "offset-minmax" else 0.0
    fixed = col[~moving]
    lo = np.full(col.size, offset)
    hi = np.full(col.size, offset + 1.0)
    if not fixed.size:
        return lo, hi
    f_min, f_max = float(fixed.min()), float(fixed.max())
    c_min, c_max = min(f_min, float(low_x.min())), max(f_max, float(high_x.max()))
    if c_min == f_min and c_max == f_max:  # the column's min and max never move
        if f_max == f_min:
            return np.full(col.size, offset + 1.0), np.full(col.size, offset + 1.0)
        a = (low_x - f_min) / (f_max - f_min)
        b = (high_x - f_min) / (f_max - f_min)
        if sign < 0:
            a, b = 1.0 - b, 1.0 - a
        return offset + a, offset + b
    if f_max > f_min:
        x = fixed
        if sign > 0:  # (x - min) / (max - min): lowest at the largest max and smallest min
            a, b = (x - f_min) / (c_max - f_min), (x - c_min) / (f_max - c_min)
        else:  # (max - x) / (max - min)
            a, b = (f_max - x) / (f_max - c_min), (c_max - x) / (c_max - f_min)
        lo[~moving], hi[~moving] = offset + a, offset + b
    return lo, hi


def reach_prunable(s: Searcher, knobs: list[Knob], rows: list[int]) -> BoolArray:
    """Which of the knobs ``rows`` cannot change the outcome anywhere in their domain."""
    out = np.zeros(len(rows), dtype=np.bool_)
    offset = 1.0 if s.setup.normalization == "offset-minmax" else 0.0
    reach = np.abs(s.without) + np.abs(s.setup.weights)[None, :] * (offset + 1.0)
    tie = margin(s, reach.max(axis=0))
    ref = s.winner if s.target is None else s.target
    for i, q in enumerate(rows):
        j = s.column[q]
        lo_r, hi_r = _bounds(s, knobs[q], q)
        w = float(s.setup.weights[j])
        low = s.without[:, j] + w * lo_r
        high = s.without[:, j] + w * hi_r
        if not s.setup.higher_is_better:
            low, high = -high, -low
        if s.target is None:
            high[ref] = -np.inf
            out[i] = bool(low[ref] > np.max(high) + tie)
        else:
            below = high < low[ref] - tie
            above = low > high[ref] + tie
            below[ref] = True
            out[i] = bool(np.all(below | above))
    return out


def closed_form(s: Searcher, knob: Knob, q: int, direction: str) -> tuple[bool, float | None]:
    """``(solved, threshold)``: the first root in ``direction``, or None when there is none.

    ``solved`` is False when the knob is left to the bisection (see the module docstring).
    """
    j = s.column[q]
    col = s.matrix[:, j]
    fixed = np.ones(col.size, dtype=np.bool_)
    bends: list[float] = []  # values of the moving cell where a gap median bends
    if knob.cell is not None:
        t, slope_t = knob.cell[0], 1.0
    else:
        slope = s.slopes[q]
        if slope.cells.size != 1:
            return False, None
        t, slope_t = int(slope.cells[0]) // s.matrix.shape[1], float(slope.slope[0])
        for gap in slope.refill:
            fixed[gap.gap_rows] = False
            if s.evidence.gaps != "worst":
                z = np.delete(
                    s.sorted_known(gap), int(np.searchsorted(s.sorted_known(gap), col[t]))
                )
                mid = z.size // 2
                bends += [float(z[i]) for i in (mid - 1, mid, mid + 1) if 0 <= i < z.size]
    fixed[t] = False
    end = knob.domain[1] if direction == "up" else knob.domain[0]
    v0 = knob.value
    others = col[fixed]
    if not others.size or slope_t == 0.0:
        return False, None
    points = [v0]
    for f in (float(others.min()), float(others.max()), *bends):
        v = v0 + (f - col[t]) / slope_t
        if min(v0, end) < v < max(v0, end):
            points.append(v)
    points.append(end)
    points = sorted(set(points), key=lambda v: abs(v - v0))
    grid = np.array(points)
    c = column_values(s, knob, q, grid)
    scores = s.without[None, :, j] + s.setup.weights[j] * normalized(s, j, c)
    span = np.ones(len(grid)) if s.setup.normalization == "none" else c.max(1) - c.min(1)
    if np.any(span <= 0):
        return False, None
    ref = s.winner if s.target is None else s.target
    diff = scores - scores[:, ref : ref + 1]
    diff[:, ref] = np.nan
    tie = margin(s, scores)
    if np.any(np.abs(np.delete(diff, ref, axis=1)) <= tie):
        return False, None
    h = diff * span[:, None]
    start = np.sign(h[0])
    for p in range(1, len(grid)):
        crossed = np.sign(h[p]) != start
        crossed[ref] = False
        if crossed.any():
            a, b = h[p - 1, crossed], h[p, crossed]
            tau = float(np.min(a / (a - b)))
            return True, float(grid[p - 1] + tau * (grid[p] - grid[p - 1]))
    return True, None


def joint_scores(s: Searcher, moves: list[tuple[list[int], float]]) -> FloatArray | None:
    """Scores with every parameter of each move set to its value, or None.

    For the weighted sum when each move's parameters all move one column: the cells are
    affine in the parameters jointly (a pooled mean is a sum), so the column is the
    run's plus each parameter's slopes times its change, its gaps filled again.
    """
    if not s.fast:
        return None
    knob_of = {kn.param: q for q, kn in enumerate(s.knobs) if kn.param >= 0}
    n = s.matrix.shape[1]
    out = np.empty((len(moves), s.matrix.shape[0]))
    for i, (params, value) in enumerate(moves):
        qs = [knob_of.get(p, -1) for p in params]
        if any(q not in s.column for q in qs) or len({s.column[q] for q in qs}) != 1:
            return None
        j = s.column[qs[0]]
        col = s.matrix[:, j].copy()
        refill: dict[int, GapColumn] = {}
        for q in qs:
            slope = s.slopes[q]
            col[slope.cells // n] += slope.slope * (value - s.knobs[q].value)
            refill.update({g.column: g for g in slope.refill})
        for gap in refill.values():
            known = col[gap.known_rows]
            if s.evidence.gaps == "worst":
                col[gap.gap_rows] = known.min() if gap.worst_is_low else known.max()
            else:
                col[gap.gap_rows] = np.median(known)
        out[i] = s.without[:, j] + s.setup.weights[j] * normalized(s, j, col[None])[0]
    return out
