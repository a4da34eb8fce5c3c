"""TOPSIS: closeness to the ideal option.

    v_ij = w_j r_ij
    v+_j = max_i v_ij,   v-_j = min_i v_ij
    D+_i = ||v_i - v+||,  D-_i = ||v_i - v-||        (Euclidean)
    C_i  = D-_i / (D+_i + D-_i)                       (higher is better, in [0, 1])

This is pymcdm's convention: after normalization every criterion is oriented "higher is
better" (a cost column under ``vector`` becomes 1 - x/||x||), so the ideal is always the
column maximum. Classical TOPSIS keeps x/||x|| for costs and takes the column minimum as
their ideal; the distances, hence C_i, are identical. ``vector`` normalization is the
default, as in Hwang & Yoon and the published examples.

Why the distances are computed as D+_i**2 = sum_j w_j**2 (r_ij - max_i r_ij)**2: for
non-negative weights max_i w_j r_ij = w_j max_i r_ij, so the squared distances are linear
in w**2 and a block of k weight vectors costs two matrix products instead of a k x m x n
temporary. Weights are assumed non-negative (:func:`evaluator.scoring.score` checks).
Edge rule: if every option is at once ideal and anti-ideal (D+ = D- = 0, all options
identical on every weighted criterion), C_i = 0.5 for all, never NaN.

References
----------
Hwang, C. L., & Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and
Applications*. Springer, pp. 128-140.
Tzeng, G. H., & Huang, J. J. (2011). *Multiple Attribute Decision Making: Methods and
Applications*. CRC Press, ch. 5.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from evaluator.scoring.normalize import FloatArray, as_float_array, normalize, weighted_total


def topsis(
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    types: npt.ArrayLike,
    normalization: str = "vector",
) -> FloatArray:
    """Relative closeness C_i = D-_i / (D+_i + D-_i) to the ideal (higher is better).

    Parameters
    ----------
    matrix : array_like, shape (m, n) or (k, m, n)
    weights : array_like, shape (n,) or (k, n)
        Non-negative, used as given (TOPSIS is invariant to their overall scale).
    types : array_like, shape (n,)
        +1 benefit, -1 cost.
    normalization : str
        ``vector`` (default) or any other name from ``NORMALIZATIONS``.

    Returns
    -------
    ndarray, shape (m,) or (k, m)
    """
    return topsis_prepared(normalize(matrix, types, normalization), weights)


def topsis_prepared(normalized: FloatArray, weights: npt.ArrayLike) -> FloatArray:
    """Closeness from an already normalized (oriented) matrix or stack; see :func:`topsis`.

    The normalization is TOPSIS's weight-independent part, done once per draw by the
    Monte Carlo; equal to :func:`topsis` on the raw matrix, bit for bit.
    """
    r = normalized
    w = as_float_array(weights, "weights")
    w2 = w * w
    d_plus = np.sqrt(weighted_total((r - r.max(axis=-2, keepdims=True)) ** 2, w2))
    d_minus = np.sqrt(weighted_total((r - r.min(axis=-2, keepdims=True)) ** 2, w2))
    total = d_plus + d_minus
    degenerate = total == 0
    closeness: FloatArray = np.where(degenerate, 0.5, d_minus / np.where(degenerate, 1.0, total))
    return closeness
