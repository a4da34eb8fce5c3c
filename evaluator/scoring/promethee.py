"""PROMETHEE II: net outranking flow from pairwise preferences.

For options a, b and criterion j, with d_j(a, b) = t_j (x_aj - x_bj) (t_j = +1 benefit,
-1 cost: the sign is applied to the difference, never 1/x):

    pi(a, b)   = sum_j w_j P_j(d_j(a, b))                 aggregated preference index
    phi+(a)    = sum_{b != a} pi(a, b) / (m - 1)          positive (leaving) flow
    phi-(a)    = sum_{b != a} pi(b, a) / (m - 1)          negative (entering) flow
    phi(a)     = phi+(a) - phi-(a) = sum_j w_j phi_j(a)   net flow, higher is better

where phi_j(a) = sum_b [P_j(d_j(a, b)) - P_j(d_j(b, a))] / (m - 1) is the unicriterion net
flow. Net flows lie in [-1, 1] for weights summing to 1 and sum to 0 over the options. The
method works on raw differences: it takes no normalization; the thresholds p, q, s are in
the criterion's own units.

Preference functions (Brans & Vincke's six generalized criteria) and their pymcdm names;
with the same p and q the values equal pymcdm's ``PROMETHEE_II`` functions:

    ours        Brans type                          pymcdm      P(d) for d > 0
    usual       I   usual criterion                 usual       1
    u-shape     II  quasi-criterion                 ushape      1 if d > q else 0
    v-shape     III linear preference               vshape      min(d / p, 1)
    level       IV  level criterion                 level       0 / 0.5 / 1 at q, p
    linear      V   linear with indifference area   vshape_2    clip((d - q) / (p - q), 0, 1)
    gaussian    VI  Gaussian criterion              (none)      1 - exp(-d**2 / (2 s**2))

P(d) = 0 for d <= 0 in every case. Default thresholds, per criterion j, from the column range
R_j = max_a x_aj - min_a x_aj (the largest difference the options show; per draw in a stack):
v-shape p = R_j; linear q = 0, p = R_j (then equal to v-shape); level q = 0, p = R_j / 2;
u-shape q = R_j / 2; gaussian s = R_j / 2. ``p``, ``q``, ``s`` may be a scalar or one value per
criterion; None or NaN entries take the default. A constant column (R_j = 0) gives P = 0.
``preference`` may also be a sequence naming one function per criterion.

Memory: criteria are compared one at a time (a loop over the n criteria, never over draws),
so the largest temporary is one (k x) m x m float64 array per matrix draw, e.g. 3.2 MB for
k = 1000 draws of 20 options. ``promethee_ii`` applies the weights to the unicriterion net
flows (m x n per draw), so one matrix against k weight vectors costs m x m, not k x m x m.
``pairwise_preferences`` (for inspection) returns all n criteria at once: (k x) m x m x n.

References
----------
Brans, J. P., & Vincke, Ph. (1985). A preference ranking organisation method (The PROMETHEE
method for multiple criteria decision-making). *Management Science*, 31(6), 647-656.
Brans, J. P., Vincke, Ph., & Mareschal, B. (1986). How to select and how to rank projects:
The PROMETHEE method. *European Journal of Operational Research*, 24(2), 228-238.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from evaluator.scoring.normalize import FloatArray, as_float_array, cost_mask, weighted_total

PREFERENCE_FUNCTIONS: tuple[str, ...] = (
    "usual",
    "u-shape",
    "v-shape",
    "level",
    "linear",
    "gaussian",
)
"""Names accepted by ``preference`` (Brans types I-VI in that order)."""

Thresholds = float | Sequence[float | None] | npt.NDArray[np.float64] | None


def _threshold(given: Thresholds, default: FloatArray, name: str, n_criteria: int) -> FloatArray:
    """Broadcast a user threshold to the default's shape; None/NaN entries take the default."""
    if given is None:
        return default
    values = np.asarray(given, dtype=np.float64)
    if values.ndim > 1 or values.size not in (1, n_criteria):
        raise ValueError(
            f"{name} must be a scalar or have one value per criterion ({n_criteria}); "
            f"got shape {values.shape}"
        )
    if np.any(values < 0):
        raise ValueError(f"{name} must be non-negative; got {values.tolist()}")
    return np.where(np.isnan(values), default, values)


def _preference(
    name: str, d: FloatArray, p: FloatArray, q: FloatArray, s: FloatArray
) -> FloatArray:
    """P(d) for one generalized criterion; thresholds broadcast against d."""
    positive = d > 0
    if name == "usual":
        return positive.astype(np.float64)
    if name == "u-shape":
        return (d > q).astype(np.float64)
    if name == "v-shape":
        ramp = d / np.where(p > 0, p, 1.0)
        return np.where(d > p, 1.0, np.where(positive, ramp, 0.0))
    if name == "level":
        return np.where(d > p, 1.0, np.where(d > q, 0.5, 0.0))
    if name == "linear":
        width = p - q
        ramp = (d - q) / np.where(width > 0, width, 1.0)
        return np.where(d > p, 1.0, np.where(d > q, ramp, 0.0))
    if name == "gaussian":
        # 0.5 * (d / s)**2, not d**2 / (2 s**2): the squares overflow (inf / inf = NaN) for
        # differences near 1e154 although their ratio is ordinary.
        spread = s > 0
        with np.errstate(over="ignore"):
            z = d / np.where(spread, s, 1.0)
            bell = 1.0 - np.exp(-0.5 * (z * z))
        return np.where(positive, np.where(spread, bell, 1.0), 0.0)
    known = ", ".join(PREFERENCE_FUNCTIONS)
    raise ValueError(f"unknown preference function {name!r}; known: {known}")


@dataclass(frozen=True)
class _Criteria:
    """Per-criterion inputs of the pairwise comparison, thresholds resolved."""

    x: FloatArray  # (..., m, n)
    sign: FloatArray  # (n,)
    names: tuple[str, ...]  # one preference function per criterion
    p: FloatArray  # (..., n)
    q: FloatArray
    s: FloatArray

    def preferences(self, j: int) -> FloatArray:
        """P_j(d_j(a, b)) for criterion j, shape (..., m, m): [a, b]."""
        col = self.x[..., j]
        d = (col[..., :, None] - col[..., None, :]) * self.sign[j]
        at = (Ellipsis, j, None, None)  # thresholds (..., n) -> (..., 1, 1)
        return _preference(self.names[j], d, self.p[at], self.q[at], self.s[at])


def _criteria(
    matrix: npt.ArrayLike,
    types: npt.ArrayLike,
    preference: str | Sequence[str],
    p: Thresholds,
    q: Thresholds,
    s: Thresholds,
) -> _Criteria:
    x = as_float_array(matrix, "matrix")
    if x.ndim < 2:
        raise ValueError(f"matrix must be options x criteria (2-D or a 3-D stack); got {x.shape}")
    if not np.all(np.isfinite(x)):
        # Why here, in a kernel: NaN compares false, so PROMETHEE would return finite,
        # plausible and wrong flows (every other kernel's scores turn NaN instead).
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(x))[0])
        raise ValueError(
            f"matrix {x.shape} has a non-finite entry ({x[where]} at index {where}); "
            "PROMETHEE needs finite values"
        )
    n = x.shape[-1]
    sign = np.where(cost_mask(types, n), -1.0, 1.0)
    names = (preference,) * n if isinstance(preference, str) else tuple(preference)
    if len(names) != n:
        raise ValueError(f"preference names {len(names)} functions for {n} criteria")
    unknown = sorted({f for f in names if f not in PREFERENCE_FUNCTIONS})
    if unknown:
        known = ", ".join(PREFERENCE_FUNCTIONS)
        raise ValueError(f"unknown preference function(s) {unknown}; known: {known}")

    spread = x.max(axis=-2) - x.min(axis=-2)  # (..., n)
    half = spread / 2.0
    is_ = {f: np.array([name == f for name in names]) for f in PREFERENCE_FUNCTIONS}
    q_all = _threshold(q, np.where(is_["u-shape"], half, 0.0), "q", n)
    p_all = _threshold(p, np.where(is_["level"], half, spread), "p", n)
    s_all = _threshold(s, half, "s", n)
    ranged = is_["linear"] | is_["level"]
    if np.any(ranged & np.any(q_all > p_all, axis=tuple(range(q_all.ndim - 1)))):
        raise ValueError("q must not exceed p for the 'linear' and 'level' preference functions")
    return _Criteria(x, sign, names, p_all, q_all, s_all)


def pairwise_preferences(
    matrix: npt.ArrayLike,
    types: npt.ArrayLike,
    preference: str | Sequence[str] = "usual",
    p: Thresholds = None,
    q: Thresholds = None,
    s: Thresholds = None,
) -> FloatArray:
    """Unicriterion preferences P_j(d_j(a, b)), shape (..., m, m, n): [a, b, j]."""
    crit = _criteria(matrix, types, preference, p, q, s)
    return np.stack([crit.preferences(j) for j in range(crit.x.shape[-1])], axis=-1)


PAIRWISE_BUDGET = 32 * 2**20
"""Bytes of one m x m preference temporary per slice of draws (never changes a number)."""


def _divisor(m: int) -> float:
    return float(max(m - 1, 1))


def preference_indices(
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    types: npt.ArrayLike,
    preference: str | Sequence[str] = "usual",
    p: Thresholds = None,
    q: Thresholds = None,
    s: Thresholds = None,
) -> FloatArray:
    """Aggregated preference indices pi(a, b) = sum_j w_j P_j, shape (..., m, m)."""
    crit = _criteria(matrix, types, preference, p, q, s)
    w = as_float_array(weights, "weights")
    n = crit.x.shape[-1]
    if w.shape[-1:] != (n,):
        raise ValueError(f"weights have shape {w.shape}; need {n} entries, one per criterion")
    pi: FloatArray = w[..., 0, None, None] * crit.preferences(0)
    for j in range(1, n):
        pi = pi + w[..., j, None, None] * crit.preferences(j)
    return pi


def promethee_flows(
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    types: npt.ArrayLike,
    preference: str | Sequence[str] = "usual",
    p: Thresholds = None,
    q: Thresholds = None,
    s: Thresholds = None,
) -> tuple[FloatArray, FloatArray]:
    """Positive and negative flows (phi+, phi-), each divided by (m - 1) (PROMETHEE I)."""
    pi = preference_indices(matrix, weights, types, preference, p, q, s)
    div = _divisor(pi.shape[-1])
    return pi.sum(axis=-1) / div, pi.sum(axis=-2) / div


def unicriterion_net_flows(
    matrix: npt.ArrayLike,
    types: npt.ArrayLike,
    preference: str | Sequence[str] = "usual",
    p: Thresholds = None,
    q: Thresholds = None,
    s: Thresholds = None,
) -> FloatArray:
    """phi_j(a), shape (..., m, n): the net flow on criterion j alone (weights not applied).

    Computed one criterion at a time, so the largest temporary is (..., m, m).
    """
    crit = _criteria(matrix, types, preference, p, q, s)
    flows = np.empty_like(crit.x)
    m = crit.x.shape[-2]
    for j in range(crit.x.shape[-1]):
        if crit.names[j] == "usual":
            flows[..., j] = _usual_net_counts(crit.x[..., j], crit.sign[j] < 0)
            continue
        col = crit.x[..., j].reshape(-1, m)
        out = flows[..., j].reshape(-1, m) if flows.ndim > 2 else None
        step = max(1, PAIRWISE_BUDGET // (8 * m * m))
        if out is None:  # one matrix
            pref = crit.preferences(j)
            flows[..., j] = pref.sum(axis=-1) - pref.sum(axis=-2)
            continue
        p_j, q_j, s_j = (a[..., j].reshape(-1) for a in (crit.p, crit.q, crit.s))
        for start in range(0, col.shape[0], step):
            part = slice(start, start + step)
            d = (col[part, :, None] - col[part, None, :]) * crit.sign[j]
            pref = _preference(
                crit.names[j],
                d,
                p_j[part, None, None],
                q_j[part, None, None],
                s_j[part, None, None],
            )
            out[part] = pref.sum(axis=-1) - pref.sum(axis=-2)
        flows[..., j] = out.reshape(flows.shape[:-1])
    flows /= _divisor(m)
    return flows


def _usual_net_counts(col: FloatArray, cost: bool) -> FloatArray:
    """Under the usual criterion, #{b worse than a} - #{b better than a}, per option.

    Why: with P in {0, 1} the pairwise sums are exact integers, so counting through one
    sort per draw (O(m log m), no m x m temporary) gives the pairwise result bit for bit.
    """
    m = col.shape[-1]
    order = np.argsort(col, axis=-1)  # any order inside a tie gives the same group bounds
    srt = np.take_along_axis(col, order, axis=-1)
    place = np.broadcast_to(np.arange(m), col.shape)
    new_group = np.ones(col.shape, dtype=bool)
    new_group[..., 1:] = srt[..., 1:] != srt[..., :-1]
    # first sorted place of each value's tie group = how many values lie strictly below
    first = np.maximum.accumulate(np.where(new_group, place, 0), axis=-1)
    ends_group = np.ones(col.shape, dtype=bool)
    ends_group[..., :-1] = new_group[..., 1:]
    # one past the last place of the group = m minus how many lie strictly above
    stop = np.flip(
        np.minimum.accumulate(np.flip(np.where(ends_group, place + 1, m), axis=-1), axis=-1),
        axis=-1,
    )
    below = np.empty(col.shape, dtype=np.intp)
    above = np.empty(col.shape, dtype=np.intp)
    np.put_along_axis(below, order, first, axis=-1)
    np.put_along_axis(above, order, m - stop, axis=-1)
    net = (above - below) if cost else (below - above)
    return net.reshape(col.shape).astype(np.float64)


def promethee_ii(
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    types: npt.ArrayLike,
    preference: str | Sequence[str] = "usual",
    p: Thresholds = None,
    q: Thresholds = None,
    s: Thresholds = None,
) -> FloatArray:
    """Net outranking flow phi(a) = phi+(a) - phi-(a), flows divided by (m - 1).

    Higher is better; one option alone scores 0.

    Parameters
    ----------
    matrix : array_like, shape (m, n) or (k, m, n)
        Raw performances (no normalization: preferences use raw differences).
    weights : array_like, shape (n,) or (k, n)
        Used as given (callers normalize them to sum 1).
    types : array_like, shape (n,)
        +1 benefit, -1 cost (the sign is applied to each difference).
    preference : str or sequence of str
        ``usual`` (default), ``u-shape``, ``v-shape``, ``level``, ``linear``, ``gaussian``;
        or one per criterion. See the module docstring for the pymcdm mapping.
    p, q, s : float, sequence or None
        Preference, indifference and Gaussian thresholds per criterion; defaults from the
        column range as described in the module docstring.

    Returns
    -------
    ndarray, shape (m,) or (k, m)
    """
    phi_j = unicriterion_net_flows(matrix, types, preference, p, q, s)
    return weighted_total(phi_j, as_float_array(weights, "weights"))
