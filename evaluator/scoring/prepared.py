"""Each method split into a weight-independent part and a weighted aggregation.

The report's live sliders re-rank in the browser for any weight vector w. Everything a
method computes that does not depend on w is prepared here, once, from the performance
matrix x (m options x n criteria); the page only aggregates it with w (report.js mirrors
:func:`aggregate`, nothing else). Every part is an m x n array (plus, for TOPSIS, two
length-n vectors), never m x m x n. Why each part is weight-independent:

weighted-sum (Fishburn 1967; Triantaphyllou 2000, ch. 2)
    ``values`` = r = normalize(x). S_i = sum_j w_j r_ij. Each normalization works on one
    criterion column of x at a time and never sees a weight.
weighted-product (Bridgman 1922; Miller & Starr 1969; Triantaphyllou 2000, ch. 2)
    ``values`` = ln r, with r the strictly positive factors of the product (``none``: x,
    costs as 1/x). P_i = prod_j r_ij ** w_j = exp(sum_j w_j ln r_ij): the weights are
    exponents of factors that do not depend on them.
topsis (Hwang & Yoon 1981, pp. 128-140; Tzeng & Huang 2011, ch. 5)
    ``values`` = r = normalize(x), ``ideal`` = max_i r_ij, ``anti_ideal`` = min_i r_ij.
    The weighted matrix is v_ij = w_j r_ij; for w_j >= 0, max_i w_j r_ij = w_j max_i r_ij
    (likewise min), so the ideal and anti-ideal of v are the unweighted column extremes
    scaled by w_j, and D+_i = sqrt(sum_j (w_j r_ij - w_j ideal_j) ** 2) (D-_i likewise).
promethee-ii (Brans & Vincke 1985; Brans, Vincke & Mareschal 1986)
    ``values`` = phi_j(a), the unicriterion net flows. pi(a, b) = sum_j w_j P_j(a, b) is
    linear in w and so is the net flow: phi(a) = sum_j w_j phi_j(a). The preference
    functions P_j and their thresholds depend on x only (defaults from column ranges).
vikor (Opricovic 1998; Opricovic & Tzeng 2004)
    ``values`` = N_ij = (f*_j - x_ij) / (f*_j - f-_j), the normalized distances to the best;
    f* and f- are column extremes of x. S_i = sum_j w_j N_ij, R_i = max_j w_j N_ij and
    Q_i = v (S_i - S*) / (S- - S*) + (1 - v) (R_i - R*) / (R- - R*) need w, so the page
    computes S, R and Q, dropping a degenerate S or R term as :mod:`.vikor` does
    (``degenerate_rtol``).

:func:`aggregate` is the pure-numpy twin of the page's aggregation; tests check that it
equals every kernel, so the page, which mirrors it, equals the kernels too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from evaluator.scoring.normalize import FloatArray, as_float_array, normalize
from evaluator.scoring.promethee import unicriterion_net_flows
from evaluator.scoring.registry import get_method
from evaluator.scoring.vikor import DEGENERATE_RTOL, regret_distances
from evaluator.scoring.weighted_product import product_factors


@dataclass(frozen=True)
class AggregationParts:
    """The weight-independent part of one method on one matrix.

    Attributes
    ----------
    method : str
        The method id (``weighted-sum``, ``weighted-product``, ``topsis``, ``promethee-ii``,
        ``vikor``).
    values : ndarray, shape (m, n)
        r, ln r, r, phi_j or N (see the module docstring).
    ideal, anti_ideal : ndarray, shape (n,), or None
        TOPSIS only: column max and min of r (unweighted).
    v : float or None
        VIKOR only: weight of the group-utility term.
    degenerate_rtol : float or None
        VIKOR only: relative spread below which S or R counts as all equal.
    """

    method: str
    values: FloatArray
    ideal: FloatArray | None = None
    anti_ideal: FloatArray | None = None
    v: float | None = None
    degenerate_rtol: float | None = None


def aggregation_parts(
    method: str,
    matrix: npt.ArrayLike,
    types: npt.ArrayLike,
    normalization: str | None = None,
    **options: Any,
) -> AggregationParts:
    """The weight-independent part of ``method`` on one matrix (options x criteria).

    ``normalization`` is the one actually used (None for the method's default; must be
    None for PROMETHEE II and VIKOR); ``options`` are the kernel's (``v``; ``preference``,
    ``p``, ``q``, ``s``). Inputs are trusted, as by the kernels.
    """
    spec = get_method(method)
    x = as_float_array(matrix, "matrix")
    if x.ndim != 2:
        raise ValueError(f"matrix must be options x criteria (2-D); got shape {x.shape}")
    if spec.default_normalization is None and normalization is not None:
        raise ValueError(f"method {method!r} takes no normalization (got {normalization!r})")
    chosen = normalization or spec.default_normalization
    if method == "weighted-sum":
        return AggregationParts(method, normalize(x, types, str(chosen)))
    if method == "weighted-product":
        return AggregationParts(method, np.log(product_factors(x, types, str(chosen))))
    if method == "topsis":
        r = normalize(x, types, str(chosen))
        return AggregationParts(method, r, ideal=r.max(axis=0), anti_ideal=r.min(axis=0))
    if method == "promethee-ii":
        return AggregationParts(method, unicriterion_net_flows(x, types, **options))
    v = float(options.get("v", 0.5))
    return AggregationParts(
        method, regret_distances(x, types), v=v, degenerate_rtol=DEGENERATE_RTOL
    )


def _scaled(t: FloatArray, rtol: float) -> FloatArray:
    """(t - min) / (max - min), 0 for every option when the spread is degenerate."""
    lo, hi = float(t.min()), float(t.max())
    if hi - lo <= rtol * max(abs(lo), abs(hi)):
        return np.zeros_like(t)
    scaled: FloatArray = (t - lo) / (hi - lo)
    return scaled


def aggregate(parts: AggregationParts, weights: npt.ArrayLike) -> FloatArray:
    """Scores for one weight vector (n,), equal to the method's kernel on the full matrix.

    This is what report.js computes, written in numpy: weighted sums over criteria, the
    TOPSIS distances, VIKOR's S, R and Q, and nothing weight-independent.
    """
    w = as_float_array(weights, "weights")
    a = parts.values
    if w.shape != a.shape[-1:]:
        raise ValueError(f"weights have shape {w.shape}; need ({a.shape[-1]},)")
    if parts.method in ("weighted-sum", "promethee-ii"):
        result: FloatArray = a @ w
        return result
    if parts.method == "weighted-product":
        return np.exp(a @ w)
    if parts.method == "topsis":
        assert parts.ideal is not None
        assert parts.anti_ideal is not None
        d_plus = np.sqrt((((a - parts.ideal) * w) ** 2).sum(axis=1))
        d_minus = np.sqrt((((a - parts.anti_ideal) * w) ** 2).sum(axis=1))
        total = d_plus + d_minus
        return np.where(total == 0, 0.5, d_minus / np.where(total == 0, 1.0, total))
    assert parts.v is not None
    assert parts.degenerate_rtol is not None
    group_utility = a @ w
    regret = (a * w).max(axis=1)
    rtol = parts.degenerate_rtol
    q: FloatArray = parts.v * _scaled(group_utility, rtol) + (1.0 - parts.v) * _scaled(regret, rtol)
    return q


def criterion_terms(parts: AggregationParts, weights: npt.ArrayLike) -> FloatArray:
    """Each option's weighted standing on each criterion, shape (m, n), higher is better.

    w_j a_ij for every method but VIKOR, whose distances to the best are turned round
    (-w_j N_ij). For the weighted sum and PROMETHEE II the terms add up to the score (the
    net flow is sum_j w_j phi_j), for the weighted product to the log-score; for TOPSIS and
    VIKOR they do not add up to the score and only show where each option stands. The
    report's head-to-head is ``terms[a] - terms[b]`` (report.js computes the same).
    """
    w = as_float_array(weights, "weights")
    a = parts.values
    if w.shape != a.shape[-1:]:
        raise ValueError(f"weights have shape {w.shape}; need ({a.shape[-1]},)")
    terms: FloatArray = a * w
    return -terms if parts.method == "vikor" else terms
