"""Per-criterion normalization of a performance matrix (options x criteria).

Every rule works on each criterion column across the options (axis -2), so a stack of
matrices (k x m x n) is normalized draw by draw in one call. After normalization every
criterion is "higher is better"; ``types`` says which columns were costs.

    name            benefit (type +1)          cost (type -1)
    minmax          (x - min) / (max - min)    (max - x) / (max - min)
    sum             x / sum(x)                 (1/x) / sum(1/x)
    linear          x / max                    min / x
    vector          x / ||x||                  1 - x / ||x||
    offset-minmax   1 + minmax                 1 + minmax
    none            x                          -x

These are pymcdm's formulas (``minmax_normalization``, ``sum_normalization``,
``linear_normalization``, ``vector_normalization``), so results agree with pymcdm to
rounding. Edge rules (each maps a degenerate column to a fixed value, so it cannot change a
ranking): a constant column gives 1 under ``minmax`` (pymcdm's rule; 2 under
``offset-minmax``); an all-zero column gives 0 under ``vector`` for both directions; ``sum``
and ``linear`` refuse a zero or negative entry with :class:`NonPositiveEntryError`, never NaN.

Why ``offset-minmax``: evidence matrices hold zeros (no benefit, no risk), which ratio
rules cannot take; 1 + minmax maps every column onto [1, 2] and is safe for logarithms.
Why ``none`` negates costs: every method here assumes "higher is better" after
normalization; negation is the additive way to turn a cost around (a ratio method would
use 1/x, which :mod:`evaluator.scoring.weighted_product` does for ``none``).

References
----------
Hwang, C. L., & Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and
Applications*. Springer (vector and linear normalization).
Jahan, A., & Edwards, K. L. (2015). A state-of-the-art survey on the influence of
normalization techniques in ranking. *Materials & Design*, 65, 335-342.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

NORMALIZATIONS: tuple[str, ...] = ("minmax", "sum", "linear", "vector", "offset-minmax", "none")
"""Normalization names accepted everywhere (``--normalization`` in the CLI)."""

RATIO_NORMALIZATIONS: frozenset[str] = frozenset({"sum", "linear"})
"""Rules that divide by the raw values and so need every entry strictly positive."""


class NonPositiveEntryError(ValueError):
    """A rule that needs strictly positive values met a zero or negative one.

    The kernels know criteria only by column index; the pipeline maps
    ``criterion_index`` to a criterion id for the user's message.

    Attributes
    ----------
    criterion_index : int
        The first offending column.
    criterion_indices : tuple of int
        Every offending column, ascending.
    normalization : str
        The rule (or method) that refused the value.
    """

    def __init__(self, criterion_indices: tuple[int, ...], normalization: str, detail: str) -> None:
        self.criterion_indices = criterion_indices
        self.criterion_index = criterion_indices[0]
        self.normalization = normalization
        cols = ", ".join(str(j) for j in criterion_indices)
        noun = "column" if len(criterion_indices) == 1 else "columns"
        super().__init__(
            f"criterion {noun} {cols}: {detail}; use 'offset-minmax' (1 + min-max) instead"
        )


def as_float_array(values: npt.ArrayLike, name: str) -> FloatArray:
    """Convert to a float64 array, with the argument's name in the error."""
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric and rectangular: {exc}") from None


def cost_mask(types: npt.ArrayLike, n_criteria: int) -> npt.NDArray[np.bool_]:
    """Boolean mask of cost columns from a +1 / -1 ``types`` vector of length n."""
    t = np.asarray(types)
    if t.shape != (n_criteria,):
        raise ValueError(
            f"types has shape {t.shape} but the matrix has {n_criteria} criteria; "
            f"expected shape ({n_criteria},)"
        )
    return np.asarray(t < 0, dtype=np.bool_)


def nonpositive_columns(matrix: FloatArray) -> tuple[int, ...]:
    """Indices of columns holding a zero or negative entry in any option (and any draw)."""
    bad = np.any(matrix <= 0, axis=tuple(range(matrix.ndim - 1)))
    return tuple(int(j) for j in np.flatnonzero(bad))


def require_positive(matrix: FloatArray, normalization: str) -> None:
    """Raise :class:`NonPositiveEntryError` if any entry is zero or negative."""
    bad = nonpositive_columns(matrix)
    if bad:
        raise NonPositiveEntryError(
            bad,
            normalization,
            f"has a zero or negative entry, which '{normalization}' normalization "
            "cannot take (it needs strictly positive values)",
        )


def _minmax(x: FloatArray, cost: npt.NDArray[np.bool_], overwrite: bool = False) -> FloatArray:
    # Benefit: (x - min) / (max - min). Cost: (x - max) / -(max - min), which equals
    # (max - x) / (max - min) bit for bit (negating both operands of a division is exact),
    # and needs no oriented copy of the matrix.
    lo = x.min(axis=-2, keepdims=True)
    hi = x.max(axis=-2, keepdims=True)
    span = hi - lo
    constant = span == 0
    result: FloatArray = np.subtract(x, np.where(cost, hi, lo), out=x if overwrite else None)
    result /= np.where(constant, 1.0, np.where(cost, -span, span))
    if np.any(constant):
        # In place, where the mask says: a fresh np.where would allocate and write the
        # whole stack again (a tenth of a Monte Carlo draw's cost when any column is flat).
        np.copyto(result, 1.0, where=constant)
    return result


def _sum(x: FloatArray, cost: npt.NDArray[np.bool_]) -> FloatArray:
    require_positive(x, "sum")
    oriented = np.where(cost, 1.0 / x, x)
    result: FloatArray = oriented / oriented.sum(axis=-2, keepdims=True)
    return result


def _linear(x: FloatArray, cost: npt.NDArray[np.bool_]) -> FloatArray:
    require_positive(x, "linear")
    result: FloatArray = np.where(
        cost, x.min(axis=-2, keepdims=True) / x, x / x.max(axis=-2, keepdims=True)
    )
    return result


def _vector(x: FloatArray, cost: npt.NDArray[np.bool_]) -> FloatArray:
    with np.errstate(over="ignore", under="ignore"):
        norm = np.sqrt(np.sum(x * x, axis=-2, keepdims=True))
    safe = np.isfinite(norm) & (norm > _SAFE_NORM)
    if not safe.all() and not np.all(safe | ~np.any(x, axis=-2, keepdims=True)):
        return _vector_scaled(x, cost)
    zero = norm == 0
    unit = x / np.where(zero, 1.0, norm)
    return np.where(zero, 0.0, np.where(cost, 1.0 - unit, unit))


# Below this norm some squares may be subnormal (imprecise) or zero; 1e-100 leaves room.
_SAFE_NORM = 1e-100


def _vector_scaled(x: FloatArray, cost: npt.NDArray[np.bool_]) -> FloatArray:
    """``vector`` for columns whose squares overflow (above ~1e154) or underflow.

    x / ||x|| = y / ||y|| with y = x / max|x|, whose entries lie in [-1, 1]. Why not always:
    the extra pass costs about half again as much, and ordinary columns need none of it.
    """
    scale = np.maximum(x.max(axis=-2, keepdims=True), -x.min(axis=-2, keepdims=True))
    zero = scale == 0
    y = x / np.where(zero, 1.0, scale)
    y /= np.sqrt(np.sum(y * y, axis=-2, keepdims=True)) + zero  # the norm is >= 1 elsewhere
    return np.where(zero, 0.0, np.where(cost, 1.0 - y, y))


def normalize(
    matrix: npt.ArrayLike, types: npt.ArrayLike, method: str = "minmax", *, overwrite: bool = False
) -> FloatArray:
    """Normalize each criterion column across options (axis -2).

    Parameters
    ----------
    matrix : array_like, shape (m, n) or (k, m, n)
        Performance of m options on n criteria, optionally k draws of it.
    types : array_like, shape (n,)
        +1 for a benefit criterion, -1 for a cost.
    method : str
        One of :data:`NORMALIZATIONS`.
    overwrite : bool
        The caller gives ``matrix``'s values up: a rule that can compute in place
        (``minmax``, ``offset-minmax``) writes its result into ``matrix`` when that is a
        writeable float64 array, and returns it. Same numbers either way. Why: the Monte
        Carlo normalizes each freshly drawn stack once and never reads it again, and a
        second stack-sized array per block is traffic the draw does not need.

    Returns
    -------
    ndarray
        Same shape as ``matrix``; higher is better in every column.

    Raises
    ------
    NonPositiveEntryError
        ``sum`` or ``linear`` met a zero or negative entry.
    ValueError
        Unknown method or mismatched shapes.
    """
    x = as_float_array(matrix, "matrix")
    if x.ndim < 2:
        raise ValueError(f"matrix must be options x criteria (2-D or a 3-D stack); got {x.shape}")
    cost = cost_mask(types, x.shape[-1])
    overwrite = overwrite and x.flags.writeable  # a read-only view is never written to
    if method == "minmax":
        return _minmax(x, cost, overwrite)
    if method == "offset-minmax":
        shifted = _minmax(x, cost, overwrite)
        shifted += 1.0  # the same sum as 1.0 + minmax, in the array minmax returned
        return shifted
    if method == "sum":
        return _sum(x, cost)
    if method == "linear":
        return _linear(x, cost)
    if method == "vector":
        return _vector(x, cost)
    if method == "none":
        # With no cost column there is nothing to do: return the values themselves (kernels
        # never write into their inputs), which saves a full pass in the Monte Carlo.
        return np.where(cost, -x, x) if cost.any() else x
    known = ", ".join(NORMALIZATIONS)
    raise ValueError(f"unknown normalization {method!r}; known: {known}")


def weighted_total(values: FloatArray, weights: FloatArray) -> FloatArray:
    """Sum_j w_j v_ij over the last axis, broadcasting a stack of weights against a stack.

    ``values`` is (..., m, n) and ``weights`` (..., n); the result is (..., m). A single
    matrix against many weight vectors is one matrix product.
    """
    if weights.shape[-1:] != values.shape[-1:]:
        raise ValueError(
            f"weights have shape {weights.shape} but the matrix has shape {values.shape}; "
            f"weights need {values.shape[-1]} entries, one per criterion (last axis)"
        )
    if values.ndim == 2:
        result: FloatArray = weights @ values.T
        return result
    stacked: FloatArray = np.einsum("...mn,...n->...m", values, weights)
    return stacked
