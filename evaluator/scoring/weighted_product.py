"""Weighted product model, computed in log space.

    P_i = prod_j r_ij ** w_j = exp(L_i),   L_i = sum_j w_j ln r_ij   (higher is better)

r_ij is the normalized performance (``sum`` by default). The product is evaluated as the
exponential of the log-score L_i, because raw products of many factors under- or overflow
(pymcdm's products reach 1e-181 with weights that do not sum to 1).
:func:`weighted_product_log` returns L_i itself, whose per-criterion contributions are
w_j ln r_ij. Any ratio normalization (``sum``, ``linear``, ``none``) gives the same ranking:
it only rescales each factor by a per-criterion constant.

With ``normalization="none"`` the raw values are used as ratio-scale factors, with costs
entering as 1/x (the classical, dimensionless WPM: P(A_K / A_L) = prod_j
(a_Kj / a_Lj) ** w_j). Every factor must be strictly positive: a zero or negative raw
value (for ``sum``, ``linear``, ``none``) or normalized value (``minmax`` maps each
column's worst option to 0) raises :class:`~evaluator.scoring.normalize.NonPositiveEntryError`
naming the column, never NaN; ``offset-minmax`` (onto [1, 2]) is always safe.

References
----------
Bridgman, P. W. (1922). *Dimensional Analysis*. Yale University Press.
Miller, D. W., & Starr, M. K. (1969). *Executive Decisions and Operations Research*.
Prentice-Hall.
Triantaphyllou, E. (2000). *Multi-Criteria Decision Making Methods: A Comparative Study*.
Kluwer, ch. 2.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from evaluator.scoring.normalize import (
    FloatArray,
    NonPositiveEntryError,
    as_float_array,
    cost_mask,
    nonpositive_columns,
    normalize,
    require_positive,
    weighted_total,
)


def product_factors(
    matrix: npt.ArrayLike, types: npt.ArrayLike, normalization: str = "sum"
) -> FloatArray:
    """The strictly positive factors r_ij of the product; raise if any is not positive."""
    if normalization == "none":
        x = as_float_array(matrix, "matrix")
        require_positive(x, "none")
        return np.where(cost_mask(types, x.shape[-1]), 1.0 / x, x)
    r = normalize(matrix, types, normalization)
    bad = nonpositive_columns(r)
    if bad:
        raise NonPositiveEntryError(
            bad,
            normalization,
            f"'{normalization}' normalization gives a zero or negative value there, "
            "whose logarithm a weighted product cannot take",
        )
    return r


def weighted_product_log(
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    types: npt.ArrayLike,
    normalization: str = "sum",
) -> FloatArray:
    """Log-score L_i = sum_j w_j ln r_ij, shape (m,) or (k, m) (higher is better)."""
    return weighted_total(
        log_factors(matrix, types, normalization), as_float_array(weights, "weights")
    )


def log_factors(
    matrix: npt.ArrayLike, types: npt.ArrayLike, normalization: str = "sum"
) -> FloatArray:
    """ln r_ij, the weight-independent part of the product (raises like :func:`product_factors`)."""
    log_r: FloatArray = np.log(product_factors(matrix, types, normalization))
    return log_r


def weighted_product_prepared(log_r: FloatArray, weights: npt.ArrayLike) -> FloatArray:
    """exp(sum_j w_j ln r_ij) from :func:`log_factors`; equal to :func:`weighted_product`."""
    result: FloatArray = np.exp(weighted_total(log_r, as_float_array(weights, "weights")))
    return result


def weighted_product(
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    types: npt.ArrayLike,
    normalization: str = "sum",
) -> FloatArray:
    """Weighted product prod_j r_ij ** w_j, returned as exp(sum_j w_j ln r_ij).

    Computed in log space (see :func:`weighted_product_log` for the log-score, whose
    per-criterion contributions are w_j ln r_ij); higher is better.

    Parameters
    ----------
    matrix : array_like, shape (m, n) or (k, m, n)
    weights : array_like, shape (n,) or (k, n)
        Used as given (callers normalize them to sum 1).
    types : array_like, shape (n,)
        +1 benefit, -1 cost.
    normalization : str
        ``sum`` (default), ``linear``, ``none``, ``offset-minmax``, ``vector`` or
        ``minmax`` (the last two refuse the zeros they produce).

    Raises
    ------
    NonPositiveEntryError
        A factor would be zero or negative.
    """
    return np.exp(weighted_product_log(matrix, weights, types, normalization))


def weighted_product_contributions(
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    types: npt.ArrayLike,
    normalization: str = "sum",
) -> FloatArray:
    """Per-criterion contributions w_j ln r_ij, shape (..., m, n); rows sum to the log-score."""
    log_r = np.log(product_factors(matrix, types, normalization))
    w = as_float_array(weights, "weights")
    return log_r * w[..., None, :]
