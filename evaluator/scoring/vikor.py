"""VIKOR: compromise ranking by group utility and individual regret.

    f*_j, f-_j  best and worst value of criterion j (max/min for a benefit, min/max for a cost)
    N_ij = (f*_j - x_ij) / (f*_j - f-_j)              normalized distance to the best, in [0, 1]
    S_i  = sum_j w_j N_ij                              group utility (Manhattan)
    R_i  = max_j w_j N_ij                              individual regret (Chebyshev)
    Q_i  = v (S_i - S*) / (S- - S*) + (1 - v) (R_i - R*) / (R- - R*)

with S* = min S, S- = max S (likewise R). **Lower Q is better**: the registry marks VIKOR
``higher_is_better=False`` and rankings reverse for it. VIKOR works on raw values with its
own (f* - f) / (f* - f-) scaling: it takes no normalization. This equals pymcdm's ``VIKOR()``
(no normalization function) and scikit-criteria's ``VIKOR`` Q values.

Edge rules, never a division by zero: a constant criterion (f* = f-) has N_ij = 0 for every
option (all are at the best; pymcdm raises instead, scikit-criteria drops it, which is the
same); a degenerate S or R term (all S_i, or all R_i, within 1e-9 x max|S| of each other,
the rank tie tolerance) is dropped from Q, so Q_i = (1 - v) times the R term, v times the S
term, or 0 for every option if both are degenerate. v is the weight of the strategy of "the
majority of criteria" (0.5 by default, a consensus).

References
----------
Opricovic, S. (1998). *Multicriteria Optimization of Civil Engineering Systems*. Faculty of
Civil Engineering, Belgrade.
Opricovic, S., & Tzeng, G. H. (2004). Compromise solution by MCDM methods: A comparative
analysis of VIKOR and TOPSIS. *European Journal of Operational Research*, 156(2), 445-455.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from evaluator.scoring.normalize import FloatArray, as_float_array, cost_mask, weighted_total

DEGENERATE_RTOL = 1e-9
"""Relative spread below which S or R counts as all equal (the rank tie tolerance)."""


def regret_distances(matrix: npt.ArrayLike, types: npt.ArrayLike) -> FloatArray:
    """N_ij = (f*_j - x_ij) / (f*_j - f-_j), 0 for a constant criterion; shape (..., m, n)."""
    x = as_float_array(matrix, "matrix")
    if x.ndim < 2:
        raise ValueError(f"matrix must be options x criteria (2-D or a 3-D stack); got {x.shape}")
    cost = cost_mask(types, x.shape[-1])
    hi = x.max(axis=-2, keepdims=True)
    lo = x.min(axis=-2, keepdims=True)
    best = np.where(cost, lo, hi)
    span = np.where(cost, lo - hi, hi - lo)  # f* - f-, signed so N is in [0, 1]
    constant = span == 0
    return np.where(constant, 0.0, (best - x) / np.where(constant, 1.0, span))


def _extremes(t: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Min and max along the last (options) axis, keepdims.

    Why a loop over options: numpy reduces a short contiguous last axis (m ~ 10) row by
    row, several times slower than m elementwise passes over (k,) slices; m is small and
    never the draw axis.
    """
    lo = t[..., 0].copy()
    hi = t[..., 0].copy()
    for i in range(1, t.shape[-1]):
        np.minimum(lo, t[..., i], out=lo)
        np.maximum(hi, t[..., i], out=hi)
    return lo[..., None], hi[..., None]


def _scaled(t: FloatArray) -> FloatArray:
    """(t - min) / (max - min) along the last axis; 0 where t is degenerate."""
    lo, hi = _extremes(t)
    spread = hi - lo
    degenerate = spread <= DEGENERATE_RTOL * np.maximum(np.abs(lo), np.abs(hi))
    scaled: FloatArray = np.where(degenerate, 0.0, (t - lo) / np.where(degenerate, 1.0, spread))
    return scaled


def vikor_sr(
    matrix: npt.ArrayLike, weights: npt.ArrayLike, types: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Group utility S_i and individual regret R_i, each shape (m,) or (k, m)."""
    return _sr(regret_distances(matrix, types), as_float_array(weights, "weights"))


def _sr(dist: FloatArray, w: FloatArray) -> tuple[FloatArray, FloatArray]:
    group_utility = weighted_total(dist, w)
    # max_j w_j N_ij one criterion at a time: no (k, m, n) temporary, no short-axis reduction
    regret: FloatArray = w[..., 0, None] * dist[..., :, 0]
    for j in range(1, dist.shape[-1]):
        np.maximum(regret, w[..., j, None] * dist[..., :, j], out=regret)
    return group_utility, regret


def vikor(
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    types: npt.ArrayLike,
    v: float = 0.5,
) -> FloatArray:
    """VIKOR compromise index Q_i in [0, 1]; LOWER IS BETTER.

    Parameters
    ----------
    matrix : array_like, shape (m, n) or (k, m, n)
        Raw performances (VIKOR scales them itself; no normalization).
    weights : array_like, shape (n,) or (k, n)
        Used as given (callers normalize them to sum 1).
    types : array_like, shape (n,)
        +1 benefit, -1 cost.
    v : float
        Weight of group utility S against individual regret R, in [0, 1].

    Returns
    -------
    ndarray, shape (m,) or (k, m)
        Q_i; the best option has the smallest Q (0 unless both terms are degenerate).
    """
    return vikor_prepared(regret_distances(matrix, types), weights, v)


def vikor_prepared(distances: FloatArray, weights: npt.ArrayLike, v: float = 0.5) -> FloatArray:
    """Q_i from the distances N of :func:`regret_distances` (the weight-independent part).

    Why: the Monte Carlo scores one block of draws under many weight vectors (the
    confidence pass), so N is computed once per draw and only S, R and Q per weight set.
    Equal to :func:`vikor` on the matrix the distances came from, bit for bit.
    """
    if not 0.0 <= v <= 1.0:
        raise ValueError(f"v must be in [0, 1]; got {v}")
    group_utility, regret = _sr(distances, as_float_array(weights, "weights"))
    q: FloatArray = v * _scaled(group_utility) + (1.0 - v) * _scaled(regret)
    return q
