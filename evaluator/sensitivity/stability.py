"""Weight stability intervals: how far one weight can move before the winner changes.

For criterion ``k`` the weight is set to ``w_k = t`` in [0, 1] and the other weights are
rescaled so their ratios are kept, ``w_j(t) = w0_j (1 - t) / (1 - w0_k)``
(notes/analysis.md section 5.3). The stability interval is the set of ``t`` over which the
current winner stays on top; it contains ``w0_k`` and, for the additive model, is closed and
convex, so it is reported as ``[low, high]`` with the rival that takes the lead beyond each end.

Conventions, fixed once for the whole package:

- **Ties at the top.** Scores within ``1e-9 * max|score|`` of each other are tied, chaining
  (the DESIGN.md section 4 rule, as in ``evaluator.scoring.ranking``); the winner is the
  lowest-index option of the top group (callers pass options in id order, so this is the id
  order; the tornado, which gets the ids, sorts them itself). A rival tied with the winner
  bounds the interval at ``w0_k`` itself on the side where it pulls ahead.
- **Closed intervals.** The winner still counts as on top where it ties, so each end is the
  point of the tie (``u_b(t) >= u_a(t)`` for every rival ``a``).
- **``w0_k == 1``.** The other weights are all zero, so their proportions are undefined; the
  remaining mass ``1 - t`` is then shared equally among them (the centre of the opposite face of
  the simplex), both here and in the tornado.

References: notes/analysis.md section 5.3; Mareschal (1988) "Weight stability intervals in
multicriteria decision aid", EJOR 33(1).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from evaluator.scoring.ranking import is_top, tie_groups

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

ScoreFn = Callable[[FloatArray, FloatArray], FloatArray]
"""``score_fn(matrix, weights_stack) -> scores``: matrix ``m x n`` (or a ``k x m x n`` stack),
weights ``k x n``, scores ``k x m``. The batched kernel contract of DESIGN.md section 4."""


_SNAP = 1e-12  # margins this small (relative to the value scale) are exact zeros
_REST_EPS = 1e-12  # other weights summing to less than this count as all zero


@dataclass(frozen=True)
class StabilityInterval:
    """Range ``[low, high]`` of one criterion's weight over which ``winner`` stays first.

    ``low_rival`` / ``high_rival`` is the option that takes the lead just beyond ``low`` /
    ``high`` (``None`` where the end is 0 or 1 and no rival reaches it). ``exact`` is True for
    the closed form, False for the numerical search (accurate to its ``tol``).
    """

    criterion_index: int
    weight: float
    low: float
    high: float
    winner: int
    low_rival: int | None
    high_rival: int | None
    exact: bool


@dataclass(frozen=True)
class RankingStabilityInterval:
    """Range ``[low, high]`` of one weight over which the whole current ranking is unchanged.

    ``low_pair`` / ``high_pair`` is the adjacent pair ``(upper, lower)`` of ``ranking`` that
    swaps just beyond that end (``None`` when the end is 0 or 1 and no pair swaps there).
    """

    criterion_index: int
    weight: float
    low: float
    high: float
    ranking: tuple[int, ...]
    low_pair: tuple[int, int] | None
    high_pair: tuple[int, int] | None
    exact: bool = True


def check_weights(weights: npt.ArrayLike) -> FloatArray:
    """Return ``weights`` as a float vector, or raise ``ValueError`` unless on the simplex."""
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"weights must be a non-empty vector, got shape {w.shape}")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError(f"weights must be finite and non-negative, got {w.tolist()}")
    if abs(float(w.sum()) - 1.0) > 1e-9 * w.size:
        raise ValueError(f"weights must sum to 1, got sum {float(w.sum())!r}")
    return w


def rescaled_weights(weights: npt.ArrayLike, criterion: int, t: npt.ArrayLike) -> FloatArray:
    """Weight vectors with ``w_k = t`` and the others rescaled in proportion (section 5.3).

    Returns one row per value of ``t`` (``len(t) x n``). Where the other weights are all zero
    (``w0_k == 1``) the remaining mass ``1 - t`` is shared equally among them.
    """
    w0 = np.asarray(weights, dtype=np.float64)
    ts = np.atleast_1d(np.asarray(t, dtype=np.float64))
    share = w0.copy()
    share[criterion] = 0.0
    rest = float(share.sum())
    if rest > _REST_EPS:
        share /= rest
    elif w0.size > 1:
        share[:] = 1.0 / (w0.size - 1)
        share[criterion] = 0.0
    stack = np.outer(1.0 - ts, share)
    stack[:, criterion] = ts
    return stack


def tie_ranking(scores: FloatArray, tie_rank: IntArray | None = None) -> list[int]:
    """Options best first: by tie group, then by ``tie_rank`` (default: index) inside a group.

    ``tie_rank`` holds each option's position in the tie order (see ``id_tie_rank``).
    """
    groups = tie_groups(scores)
    keys = np.arange(groups.size) if tie_rank is None else tie_rank
    return [int(i) for i in np.lexsort((keys, groups))]


def top_option(scores: FloatArray, tie_rank: IntArray | None = None) -> int:
    """Index of the best option (higher is better); ties as in ``tie_ranking``."""
    return tie_ranking(scores, tie_rank)[0]


def id_tie_rank(options: Sequence[str]) -> IntArray:
    """Each option's position in sorted-id order, the tie order of DESIGN.md section 4."""
    order = sorted(range(len(options)), key=lambda i: options[i])
    rank = np.empty(len(options), dtype=np.intp)
    rank[order] = np.arange(len(options))
    return rank


def _pair_bounds(
    rest: FloatArray, own: FloatArray, upper: IntArray, lower: IntArray, w0k: float, eps: float
) -> tuple[float, float, int | None, int | None]:
    """Bounds on ``t`` keeping ``upper[p]`` at or above ``lower[p]`` for every pair ``p``.

    The margin ``D(t) = u_upper(t) - u_lower(t)`` is linear in ``t``: ``D(0)`` is the
    difference of rest values and ``D(1)`` the difference on criterion ``k`` itself. Working
    with the two end values (instead of slope and intercept) lets near-zero margins be snapped
    to exact zeros, so pairs that are tied everywhere never produce spurious bounds.
    Returns ``(low, high, pair setting low, pair setting high)``.
    """
    d0 = rest[upper] - rest[lower]
    d1 = own[upper] - own[lower]
    d0 = np.where(np.abs(d0) <= eps, 0.0, d0)
    d1 = np.where(np.abs(d1) <= eps, 0.0, d1)
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = d0 / (d0 - d1)
    slope = d1 - d0

    low, low_pair = 0.0, None
    below = np.flatnonzero(d0 < 0)  # the lower option leads at t = 0: crossing below w0
    if below.size:
        # Lower option better at both ends can only be a tolerance tie at w0: bound at w0.
        t_low = np.where(d1[below] > 0, cross[below], 1.0)
        # Latest crossing wins; among equal crossings the steepest rival leads just below it.
        pick = np.lexsort((below, -slope[below], -t_low))[0]
        low, low_pair = min(float(t_low[pick]), w0k), int(below[pick])

    high, high_pair = 1.0, None
    above = np.flatnonzero(d1 < 0)  # the lower option leads at t = 1: crossing above w0
    if above.size:
        t_high = np.where(d0[above] > 0, cross[above], 0.0)
        pick = np.lexsort((above, slope[above], t_high))[0]
        high, high_pair = max(float(t_high[pick]), w0k), int(above[pick])
    return low, high, low_pair, high_pair


def _additive_parts(
    values: npt.ArrayLike, weights: npt.ArrayLike
) -> tuple[FloatArray, FloatArray, float]:
    v = np.asarray(values, dtype=np.float64)
    w0 = check_weights(weights)
    if v.ndim != 2 or v.shape[1] != w0.size or v.shape[0] == 0:
        raise ValueError(f"values must be m x {w0.size} with m >= 1, got shape {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError("values must be finite")
    eps = _SNAP * max(1.0, float(np.max(np.abs(v))))
    return v, w0, eps


def _rest_values(v: FloatArray, w0: FloatArray, k: int) -> FloatArray:
    """Each option's value at ``t = 0``: the other criteria with renormalised weights."""
    rest: FloatArray = v @ rescaled_weights(w0, k, 0.0)[0]
    return rest


def stability_intervals_additive(
    values: npt.ArrayLike, weights: npt.ArrayLike
) -> list[StabilityInterval]:
    """Exact winner stability interval for every criterion of the additive model (sec. 5.3).

    ``values`` is the ``m x n`` matrix of normalized values, oriented so higher is better (as
    the weighted sum uses them); ``weights`` sum to 1. Exact because normalized values do not
    depend on the weights, so each option's value is a straight line in ``t``.
    """
    v, w0, eps = _additive_parts(values, weights)
    b = top_option(v @ w0)
    rivals = np.array([a for a in range(v.shape[0]) if a != b], dtype=np.intp)
    winners = np.full(rivals.size, b, dtype=np.intp)
    out = []
    for k in range(w0.size):
        low, high, lp, hp = _pair_bounds(
            _rest_values(v, w0, k), v[:, k], winners, rivals, float(w0[k]), eps
        )
        out.append(
            StabilityInterval(
                criterion_index=k,
                weight=float(w0[k]),
                low=low,
                high=high,
                winner=b,
                low_rival=None if lp is None else int(rivals[lp]),
                high_rival=None if hp is None else int(rivals[hp]),
                exact=True,
            )
        )
    return out


def ranking_stability_intervals_additive(
    values: npt.ArrayLike, weights: npt.ArrayLike
) -> list[RankingStabilityInterval]:
    """Exact interval per criterion over which the full ranking is unchanged (sec. 5.3 step 5).

    The intersection of the intervals of every adjacent pair of the current ranking; ties
    inside the ranking follow the same rule as the winner (lowest index first). Also
    intersected with the winner's own interval, which contains it exactly: a crossing found
    through a chain of adjacent pairs can round one ulp past the winner's direct crossing.
    """
    v, w0, eps = _additive_parts(values, weights)
    ranking = tie_ranking(v @ w0)
    upper = np.array(ranking[:-1], dtype=np.intp)
    lower = np.array(ranking[1:], dtype=np.intp)
    rivals = np.array(ranking[1:], dtype=np.intp)
    winners = np.full(rivals.size, ranking[0], dtype=np.intp)
    out = []
    for k in range(w0.size):
        rest = _rest_values(v, w0, k)
        low, high, lp, hp = _pair_bounds(rest, v[:, k], upper, lower, float(w0[k]), eps)
        w_low, w_high, _, _ = _pair_bounds(rest, v[:, k], winners, rivals, float(w0[k]), eps)
        low, high = max(low, w_low), min(high, w_high)
        out.append(
            RankingStabilityInterval(
                criterion_index=k,
                weight=float(w0[k]),
                low=low,
                high=high,
                ranking=tuple(ranking),
                low_pair=None if lp is None else (int(upper[lp]), int(lower[lp])),
                high_pair=None if hp is None else (int(upper[hp]), int(lower[hp])),
            )
        )
    return out


def oriented_scores(
    score_fn: ScoreFn, matrix: FloatArray, weight_stack: FloatArray, higher_is_better: bool
) -> FloatArray:
    """Call ``score_fn`` once and return ``k x m`` scores flipped so higher is better."""
    k = weight_stack.shape[0]
    if k == 1:
        # Why: BLAS takes a different code path (gemv) for a single row, which can round
        # differently from the same row inside a larger batch; padding to two rows keeps every
        # row's score independent of how rows are batched.
        pad_w = np.repeat(weight_stack, 2, axis=0)
        pad_m = np.repeat(matrix, 2, axis=0) if matrix.ndim == 3 else matrix
        return oriented_scores(score_fn, pad_m, pad_w, higher_is_better)[:1]
    scores = np.asarray(score_fn(matrix, weight_stack), dtype=np.float64)
    m = matrix.shape[-2]
    if scores.shape != (k, m):
        raise ValueError(f"score_fn returned shape {scores.shape}, expected {(k, m)}")
    if not np.all(np.isfinite(scores)):
        raise ValueError(f"{_nonfinite_cause(matrix)}; refusing to rank options on it")
    return scores if higher_is_better else -scores


def _nonfinite_cause(matrix: FloatArray) -> str:
    """Why scores came out NaN or infinite: name the first non-finite input if there is one."""
    bad = np.argwhere(~np.isfinite(matrix))
    if bad.size == 0:
        return "score_fn returned a non-finite score (NaN or infinity)"
    where = tuple(int(i) for i in bad[0])
    axes = ("draw", "option", "criterion")[-matrix.ndim :]
    place = ", ".join(f"{a} {i}" for a, i in zip(axes, where, strict=True))
    return f"a performance matrix holds {matrix[where]} ({place}), so scores are not finite"


def check_finite_matrix(matrix: FloatArray) -> FloatArray:
    """``matrix`` unchanged, or ``ValueError`` naming its first NaN or infinite entry."""
    if not np.all(np.isfinite(matrix)):
        raise ValueError(f"{_nonfinite_cause(matrix)}; refusing to rank options on it")
    return matrix


def stability_intervals_numeric(
    score_fn: ScoreFn,
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    *,
    higher_is_better: bool = True,
    tol: float = 1e-6,
    grid: int = 101,
) -> list[StabilityInterval]:
    """Winner stability interval per criterion for any scoring method, found numerically.

    Scans ``grid`` evenly spaced values of ``t`` for every criterion in one batched
    ``score_fn`` call, then refines the first change of winner on each side of ``w0_k`` by
    bisection (all brackets advanced together, one call per step) until each bracket is
    narrower than ``tol``. Each bound is the inner end of its final bracket, where the winner
    is still on top. Reports the interval around ``w0_k`` (a method whose winner loses and
    regains the lead between two grid points can hide a change from the scan). For the weighted
    sum with a weight-independent normalization it agrees with
    ``stability_intervals_additive`` to within ``tol``. ``exact`` is False.
    """
    w0 = check_weights(weights)
    mat = np.asarray(matrix, dtype=np.float64)
    if grid < 2 or not tol > 0:
        raise ValueError(f"need grid >= 2 and tol > 0, got grid={grid}, tol={tol}")
    n = w0.size
    b = top_option(oriented_scores(score_fn, mat, w0[None, :], higher_is_better)[0])

    ts = np.linspace(0.0, 1.0, grid)
    stack = np.concatenate([rescaled_weights(w0, k, ts) for k in range(n)])
    scan = oriented_scores(score_fn, mat, stack, higher_is_better).reshape(n, grid, -1)
    top = is_top(scan, b)

    # Brackets (criterion, side, inner t, outer t, leader at outer); side 0 = low, 1 = high.
    inner: list[float] = []
    outer: list[float] = []
    owner: list[tuple[int, int]] = []
    leader: list[int] = []
    bounds = [[0.0, 1.0] for _ in range(n)]
    for k in range(n):
        w0k = float(w0[k])
        below = np.flatnonzero(ts < w0k)[::-1]  # nearest first
        above = np.flatnonzero(ts > w0k)
        for side, idx in ((0, below), (1, above)):
            fails = np.flatnonzero(~top[k, idx])
            if not fails.size:
                continue
            j = int(fails[0])
            out_i = int(idx[j])
            inner.append(w0k if j == 0 else float(ts[idx[j - 1]]))
            outer.append(float(ts[out_i]))
            owner.append((k, side))
            leader.append(top_option(scan[k, out_i]))

    lo = np.array(inner)
    hi = np.array(outer)
    lead = leader
    while lo.size and np.max(np.abs(hi - lo)) > tol:
        mid = 0.5 * (lo + hi)
        rows = np.stack(
            [rescaled_weights(w0, k, t)[0] for (k, _), t in zip(owner, mid, strict=True)]
        )
        s = oriented_scores(score_fn, mat, rows, higher_is_better)
        ok = is_top(s, b)
        lo = np.where(ok, mid, lo)
        hi = np.where(ok, hi, mid)
        for i in np.flatnonzero(~ok).tolist():
            lead[i] = top_option(s[i])

    rivals: list[list[int | None]] = [[None, None] for _ in range(n)]
    for i, (k, side) in enumerate(owner):
        bounds[k][side] = float(lo[i])
        rivals[k][side] = lead[i]
    return [
        StabilityInterval(
            criterion_index=k,
            weight=float(w0[k]),
            low=bounds[k][0],
            high=bounds[k][1],
            winner=b,
            low_rival=rivals[k][0],
            high_rival=rivals[k][1],
            exact=False,
        )
        for k in range(n)
    ]
