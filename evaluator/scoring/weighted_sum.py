"""Weighted sum model (simple additive weighting).

    S_i = sum_j w_j r_ij        (higher is better)

where r_ij is the normalized performance of option i on criterion j (``minmax`` by
default, see :mod:`evaluator.scoring.normalize`). The score decomposes exactly into
per-criterion contributions w_j r_ij, which the report shows.

References
----------
Fishburn, P. C. (1967). Additive utilities with incomplete product sets: application to
priorities and assignments. *Operations Research*, 15(3), 537-542.
Triantaphyllou, E. (2000). *Multi-Criteria Decision Making Methods: A Comparative Study*.
Kluwer, ch. 2.
"""

from __future__ import annotations

import numpy.typing as npt

from evaluator.scoring.normalize import FloatArray, as_float_array, normalize, weighted_total


def weighted_sum(
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    types: npt.ArrayLike,
    normalization: str = "minmax",
) -> FloatArray:
    """Weighted sum of normalized performances, one score per option (higher is better).

    Parameters
    ----------
    matrix : array_like, shape (m, n) or (k, m, n)
        Options x criteria, or a stack of k draws.
    weights : array_like, shape (n,) or (k, n)
        Used as given (callers normalize them to sum 1); broadcast against ``matrix``.
    types : array_like, shape (n,)
        +1 benefit, -1 cost.
    normalization : str
        A name from :data:`~evaluator.scoring.normalize.NORMALIZATIONS`.

    Returns
    -------
    ndarray, shape (m,) or (k, m)
    """
    r = normalize(matrix, types, normalization)
    return weighted_total(r, as_float_array(weights, "weights"))


def weighted_sum_contributions(
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    types: npt.ArrayLike,
    normalization: str = "minmax",
) -> FloatArray:
    """Per-criterion contributions w_j r_ij, shape (..., m, n); rows sum to the scores."""
    r = normalize(matrix, types, normalization)
    w = as_float_array(weights, "weights")
    return r * w[..., None, :]
