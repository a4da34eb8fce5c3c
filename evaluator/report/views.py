"""The numbers behind the report's analyst views; pure functions on arrays, no markup.

- :func:`weight_sweep`: every option's score as one criterion's weight t runs over [0, 1],
  the other weights rescaled in proportion (w_k (1 - t) / (1 - w_j)), and the points where
  the top option changes. For the weighted sum and PROMETHEE II the score is linear in the
  weights (S_i = sum_j w_j r_ij; phi(a) = sum_j w_j phi_j(a), Brans & Vincke 1985), and the
  swept weights are affine in t, so each score is a straight line in t: the lines come from
  the two ends and the crossovers are exact intersections. Other methods are sampled on a
  grid with the batched kernel (``Setup.score_stack``) and each change of leader is narrowed
  by bisection.
- :func:`benefit_harm`: weighted gains and harms per option and the options each one is
  dominated by (Pareto, on every criterion, weight-free).
- :func:`vikor_compromise`: VIKOR's compromise solution (Opricovic & Tzeng 2004, section 2:
  "acceptable advantage" Q(a'') - Q(a') >= DQ = 1/(m - 1), "acceptable stability in decision
  making": a' also best by S or by R; when only the second fails the set is {a', a''}, when
  the first fails it is a', ..., a(M) for the largest M with Q(a(M)) - Q(a') < DQ).
- :func:`promethee_one`: the PROMETHEE I partial preorder from (phi+, phi-) (Brans & Vincke
  1985): a outranks b when phi+(a) >= phi+(b) and phi-(a) <= phi-(b), one strictly;
  indifferent when both are equal; incomparable otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..evaluation import Setup
from ..scoring import normalize, order
from ..scoring.normalize import FloatArray
from ..scoring.ranking import tie_rtol

#: Methods whose score is linear in the weights (so a sweep is a set of straight lines).
LINEAR = ("weighted-sum", "promethee-ii")
#: Grid for the other methods (t = 0, 1/40, ..., 1) and the bisection's steps.
GRID = 41
BISECTIONS = 40


@dataclass(frozen=True)
class Crossover:
    """The top option changes from ``before`` to ``after`` as the weight passes ``t``."""

    t: float
    before: int
    after: int


@dataclass(frozen=True)
class Sweep:
    """Scores (k x m) at the weights ``t`` (k,) of one criterion, and where the top changes."""

    criterion: int
    weight: float
    t: FloatArray
    scores: FloatArray
    crossovers: tuple[Crossover, ...]
    exact: bool


def swept_weights(weights: npt.ArrayLike, j: int, t: npt.ArrayLike) -> FloatArray:
    """Weight vectors (k x n) with w_j = t and the others rescaled in proportion.

    When w_j is 1 (no other weight to rescale) the others share 1 - t equally.
    """
    w = np.asarray(weights, dtype=float)
    ts = np.atleast_1d(np.asarray(t, dtype=float))
    rest = 1.0 - w[j]
    others = w.copy()
    others[j] = 0.0
    if rest > 0.0:
        others = others / rest
    else:
        others = np.where(np.arange(w.size) == j, 0.0, 1.0 / max(w.size - 1, 1))
    out: FloatArray = (1.0 - ts)[:, None] * others[None, :]
    out[:, j] = ts
    return out


def _leader(scores: FloatArray, ids: Sequence[str], higher: bool) -> int:
    return int(order(scores, ids, higher_is_better=higher)[0])


def lead_changes(start: npt.ArrayLike, slope: npt.ArrayLike, ids: Sequence[str]) -> list[Crossover]:
    """Where the top of the lines s_i(t) = start_i + t slope_i (higher is better) changes
    hands on (0, 1): a walk along the upper envelope, O(m) per change.

    From the leader L at t, the next change is the earliest t* > t at which a steeper line
    meets L's; just after t* the leader is, among the lines level with L there (within the
    tie rule's tolerance), the steepest, ties by the tie rule. Meetings within the tolerance
    of either end are ties there, not changes.
    """
    s0 = np.asarray(start, dtype=float)
    k = np.asarray(slope, dtype=float)
    edge = tie_rtol()

    def just_after(t: float, lead: int) -> int:
        """The leader just after t: the steepest of the lines level with ``lead`` at t."""
        values = s0 + t * k
        level = values >= values[lead] - edge * float(np.abs(values).max())
        tied = np.flatnonzero(level & (k >= float(k[level].max())))
        return int(tied[_leader(values[tied], [ids[int(i)] for i in tied], True)])

    lead = just_after(0.0, _leader(s0, ids, True))
    t = 0.0
    out: list[Crossover] = []
    for _ in range(s0.size):
        steeper = k - k[lead]
        with np.errstate(divide="ignore", invalid="ignore"):
            meet = np.where(steeper > 0, (s0[lead] - s0) / steeper, np.inf)
        meet = np.where(meet > t + edge, meet, np.inf)
        nxt = float(meet.min())
        if not nxt < 1.0 - edge:
            break
        new = just_after(nxt, lead)
        out.append(Crossover(nxt, lead, new))
        lead, t = new, nxt
    return out


def weight_sweep(
    setup: Setup, matrix: FloatArray, ids: Sequence[str], j: int, *, grid: int = GRID
) -> Sweep:
    """Every option's score against criterion j's weight (others rescaled in proportion)."""
    w = np.asarray(setup.weights, dtype=float)
    higher = setup.higher_is_better
    x = np.asarray(matrix, dtype=float)

    def scores_at(ts: FloatArray) -> FloatArray:
        weights = swept_weights(w, j, ts)
        stack = np.broadcast_to(x, (ts.size, *x.shape))
        result: FloatArray = setup.score_stack(np.ascontiguousarray(stack), weights)
        return result

    if setup.method in LINEAR:
        ends = scores_at(np.array([0.0, 1.0]))
        s0, slope = ends[0], ends[1] - ends[0]
        crossings = tuple(lead_changes(s0, slope, ids))
        ts = np.array([0.0, 1.0])
        return Sweep(j, float(w[j]), ts, np.vstack([s0, s0 + slope]), crossings, True)
    ts = np.linspace(0.0, 1.0, grid)
    scores = scores_at(ts)
    leaders = [_leader(row, ids, higher) for row in scores]
    found: list[Crossover] = []
    for k in range(grid - 1):
        if leaders[k] == leaders[k + 1]:
            continue
        lo, hi = float(ts[k]), float(ts[k + 1])
        first = leaders[k]
        for _ in range(BISECTIONS):
            mid = (lo + hi) / 2.0
            if _leader(scores_at(np.array([mid]))[0], ids, higher) == first:
                lo = mid
            else:
                hi = mid
        after = _leader(scores_at(np.array([hi]))[0], ids, higher)
        found.append(Crossover((lo + hi) / 2.0, first, after))
    return Sweep(j, float(w[j]), ts, scores, tuple(found), False)


@dataclass(frozen=True)
class BenefitHarm:
    """Per option: weighted gains and harms (min-max scaled), feasibility, dominators."""

    gains: FloatArray
    harms: FloatArray
    feasibility: FloatArray
    dominated_by: tuple[tuple[int, ...], ...]


def dominators(matrix: npt.ArrayLike, types: npt.ArrayLike) -> tuple[tuple[int, ...], ...]:
    """For each option, the options at least as good on every criterion and better on one."""
    x = np.asarray(matrix, dtype=float) * np.asarray(types, dtype=float)
    out = []
    for a in range(x.shape[0]):
        diff = x - x[a]  # > 0 where another option is better
        better = np.all(diff >= 0, axis=1) & np.any(diff > 0, axis=1)
        out.append(tuple(int(b) for b in np.flatnonzero(better)))
    return tuple(out)


def benefit_harm(
    matrix: npt.ArrayLike, types: npt.ArrayLike, weights: npt.ArrayLike, feasibility_index: int
) -> BenefitHarm:
    """Gains: sum over benefit criteria (feasibility apart) of w_j r_ij; harms: sum over cost
    criteria of w_j (1 - r_ij); r min-max scaled with costs turned round, so a harm of 0 is
    the least harm any option does on that criterion, w_j the most."""
    x = np.asarray(matrix, dtype=float)
    t = np.asarray(types, dtype=float)
    w = np.asarray(weights, dtype=float)
    r = normalize(x, t, "minmax")
    benefit = (t > 0) & (np.arange(t.size) != feasibility_index)
    gains: FloatArray = (r[:, benefit] * w[benefit]).sum(axis=1)
    cost = t < 0
    harms: FloatArray = ((1.0 - r[:, cost]) * w[cost]).sum(axis=1)
    return BenefitHarm(gains, harms, x[:, feasibility_index].copy(), dominators(x, t))


@dataclass(frozen=True)
class Compromise:
    """VIKOR's compromise solution and the two conditions behind it."""

    members: tuple[int, ...]
    advantage: bool
    stability: bool
    threshold: float


def vikor_compromise(
    q: npt.ArrayLike, s: npt.ArrayLike, r: npt.ArrayLike, ids: Sequence[str]
) -> Compromise:
    """Opricovic & Tzeng (2004): the compromise set from Q, S and R (all lower is better)."""
    qv, sv, rv = (np.asarray(v, dtype=float) for v in (q, s, r))
    m = qv.size
    ranked = [int(i) for i in order(qv, ids, higher_is_better=False)]
    first = ranked[0]
    if m == 1:
        return Compromise((first,), True, True, 1.0)
    dq = 1.0 / (m - 1)
    eps = tie_rtol()  # Q, S and R lie in [0, 1]: the tie rule's tolerance, unscaled
    advantage = qv[ranked[1]] - qv[first] >= dq - eps
    stability = bool(sv[first] <= sv.min() + eps or rv[first] <= rv.min() + eps)
    if not advantage:
        members = tuple(i for i in ranked if qv[i] - qv[first] < dq - eps)
    elif not stability:
        members = (first, ranked[1])
    else:
        members = (first,)
    return Compromise(members, bool(advantage), stability, dq)


def promethee_one(phi_plus: npt.ArrayLike, phi_minus: npt.ArrayLike) -> list[tuple[int, int, str]]:
    """Every pair (a < b) with its PROMETHEE I relation: ``"P"`` (a outranks b), ``"P-"`` (b
    outranks a), ``"I"`` (indifferent) or ``"R"`` (incomparable); flows within the tie
    rule's tolerance (flows lie in [0, 1]) count as equal."""
    plus = np.asarray(phi_plus, dtype=float)
    minus = np.asarray(phi_minus, dtype=float)
    tol = tie_rtol()
    out = []
    for a in range(plus.size):
        for b in range(a + 1, plus.size):
            dp = plus[a] - plus[b]
            dm = minus[b] - minus[a]  # > 0: a is less outranked
            if abs(dp) <= tol and abs(dm) <= tol:
                rel = "I"
            elif dp >= -tol and dm >= -tol:
                rel = "P"
            elif dp <= tol and dm <= tol:
                rel = "P-"
            else:
                rel = "R"
            out.append((a, b, rel))
    return out
