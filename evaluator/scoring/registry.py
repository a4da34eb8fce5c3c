"""The method registry and the one validating entry point, :func:`score`.

Kernels trust their inputs (they run inside Monte Carlo loops); :func:`score` checks
shapes, NaN, signs and weight sums once and then calls the kernel. Method ids are the
CLI's ``--method`` values; ``weighted-sum`` is the default.

How the methods that take no normalization treat raw values: PROMETHEE II compares raw
differences x_a - x_b per criterion (thresholds in the criterion's units); VIKOR scales each
criterion itself by (f* - x) / (f* - f-). Both are invariant to a positive affine change of
a criterion's scale only as far as their thresholds are (VIKOR fully, PROMETHEE with the
default range-based thresholds).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

from evaluator.scoring.normalize import (
    NORMALIZATIONS,
    RATIO_NORMALIZATIONS,
    FloatArray,
    NonPositiveEntryError,
    as_float_array,
    nonpositive_columns,
    normalize,
    require_positive,
    weighted_total,
)
from evaluator.scoring.promethee import promethee_ii, unicriterion_net_flows
from evaluator.scoring.topsis import topsis, topsis_prepared
from evaluator.scoring.vikor import regret_distances, vikor, vikor_prepared
from evaluator.scoring.weighted_product import (
    log_factors,
    product_factors,
    weighted_product,
    weighted_product_contributions,
    weighted_product_prepared,
)
from evaluator.scoring.weighted_sum import weighted_sum, weighted_sum_contributions

Kernel = Callable[..., FloatArray]
Contribution = Callable[[FloatArray, FloatArray, FloatArray, str], FloatArray]
Prepare = Callable[..., FloatArray]
"""``prepare(matrix, types, normalization, *, overwrite, **options)``: the weight-independent
part; ``overwrite=True`` lets it reuse ``matrix``'s memory (see :func:`prepare_matrix`)."""
Aggregate = Callable[..., FloatArray]
"""``aggregate(prepared, weights, **options)``: scores; with ``prepare``, the kernel."""
AggregateMany = Callable[[FloatArray, FloatArray], FloatArray]
"""``(prepared (..., m, n), weight_sets (c, n)) -> (c, ..., m)``: one pass for c weight sets."""


def _prepare_normalized(
    matrix: FloatArray,
    types: FloatArray,
    normalization: str | None,
    *,
    overwrite: bool = False,
    **_: Any,
) -> FloatArray:
    return normalize(matrix, types, str(normalization), overwrite=overwrite)


# The other hooks compute into new arrays whatever ``overwrite`` says.
def _prepare_log_factors(
    matrix: FloatArray,
    types: FloatArray,
    normalization: str | None,
    *,
    overwrite: bool = False,
    **_: Any,
) -> FloatArray:
    return log_factors(matrix, types, str(normalization))


def _prepare_flows(
    matrix: FloatArray,
    types: FloatArray,
    normalization: str | None,
    *,
    overwrite: bool = False,
    **options: Any,
) -> FloatArray:
    return unicriterion_net_flows(matrix, types, **options)


def _prepare_distances(
    matrix: FloatArray,
    types: FloatArray,
    normalization: str | None,
    *,
    overwrite: bool = False,
    **_: Any,
) -> FloatArray:
    return regret_distances(matrix, types)


def _aggregate_additive(prepared: FloatArray, weights: FloatArray, **_: Any) -> FloatArray:
    return weighted_total(prepared, weights)


def _aggregate_product(prepared: FloatArray, weights: FloatArray, **_: Any) -> FloatArray:
    return weighted_product_prepared(prepared, weights)


def _aggregate_topsis(prepared: FloatArray, weights: FloatArray, **_: Any) -> FloatArray:
    return topsis_prepared(prepared, weights)


def _aggregate_vikor(
    prepared: FloatArray, weights: FloatArray, v: float = 0.5, **_: Any
) -> FloatArray:
    return vikor_prepared(prepared, weights, v)


def _additive_many(prepared: FloatArray, weight_sets: FloatArray) -> FloatArray:
    """sum_j w_cj v_ij for every weight set c: one matrix product, (c, ..., m).

    A draw-last stack (the evidence compiler's layout: memory ordered m, n, k) is
    multiplied as m contiguous (c x n) @ (n x k) products, which BLAS takes without a copy.
    """
    if prepared.ndim == 3 and prepared.transpose(1, 2, 0).flags.c_contiguous:
        by_option: FloatArray = np.matmul(weight_sets, prepared.transpose(1, 2, 0))  # (m, c, k)
        return by_option.transpose(1, 2, 0)
    scores = np.matmul(prepared, weight_sets.T)  # (..., m, c)
    return np.moveaxis(scores, -1, 0)


def _product_many(prepared: FloatArray, weight_sets: FloatArray) -> FloatArray:
    result: FloatArray = np.exp(_additive_many(prepared, weight_sets))
    return result


WEIGHT_SUM_TOLERANCE = 1e-9
OFFSET_NORMALIZATION = "offset-minmax"


@dataclass(frozen=True)
class Method:
    """One scoring method as the pipeline sees it.

    Attributes
    ----------
    id : str
        The ``--method`` value.
    name : str
        Human-readable name for tables and reports.
    kernel : callable
        ``f(matrix, weights, types, **options) -> scores``.
    default_normalization : str or None
        None for methods that take no normalization (PROMETHEE II, VIKOR).
    higher_is_better : bool
        False for VIKOR's Q.
    contribution : callable or None
        ``(matrix, weights, types, normalization) -> (..., m, n)`` per-criterion terms that
        sum to the score (weighted sum: w_j r_ij) or to the log-score (weighted product:
        w_j ln r_ij); None if the method does not decompose by criterion.
    prepare, aggregate : callable
        The kernel split in two (see :func:`prepare_matrix`): the weight-independent part
        (normalized values, log factors, PROMETHEE's unicriterion net flows, VIKOR's
        distances) and the weighted aggregation; ``aggregate(prepare(x))`` equals the kernel
        bit for bit (tested).
    aggregate_many : callable or None
        Scores for c weight sets in one pass, ``(c, ..., m)``, where the aggregation is a
        matrix product; None: one ``aggregate`` per weight set.
    """

    id: str
    name: str
    kernel: Kernel
    default_normalization: str | None
    higher_is_better: bool
    contribution: Contribution | None
    prepare: Prepare
    aggregate: Aggregate
    aggregate_many: AggregateMany | None = None

    @property
    def takes_normalization(self) -> bool:
        """Whether the method accepts a ``normalization`` option."""
        return self.default_normalization is not None

    @property
    def decomposes(self) -> bool:
        """Whether the score splits into per-criterion contributions."""
        return self.contribution is not None


METHODS: Mapping[str, Method] = MappingProxyType(
    {
        m.id: m
        for m in (
            Method(
                "weighted-sum",
                "Weighted sum",
                weighted_sum,
                "minmax",
                True,
                weighted_sum_contributions,
                _prepare_normalized,
                _aggregate_additive,
                _additive_many,
            ),
            Method(
                "weighted-product",
                "Weighted product",
                weighted_product,
                "sum",
                True,
                weighted_product_contributions,
                _prepare_log_factors,
                _aggregate_product,
                _product_many,
            ),
            Method(
                "topsis",
                "TOPSIS",
                topsis,
                "vector",
                True,
                None,
                _prepare_normalized,
                _aggregate_topsis,
            ),
            Method(
                "promethee-ii",
                "PROMETHEE II",
                promethee_ii,
                None,
                True,
                None,
                _prepare_flows,
                _aggregate_additive,
                _additive_many,
            ),
            Method(
                "vikor", "VIKOR", vikor, None, False, None, _prepare_distances, _aggregate_vikor
            ),
        )
    }
)
DEFAULT_METHOD = "weighted-sum"
METHOD_IDS: tuple[str, ...] = tuple(METHODS)


def get_method(method_id: str) -> Method:
    """The registry entry for ``method_id``; ValueError naming the known ids otherwise."""
    try:
        return METHODS[method_id]
    except KeyError:
        raise ValueError(f"unknown method {method_id!r}; known: {', '.join(METHOD_IDS)}") from None


def _check_normalization_name(name: str) -> None:
    if name not in NORMALIZATIONS:
        raise ValueError(f"unknown normalization {name!r}; known: {', '.join(NORMALIZATIONS)}")


def _first_nonfinite(values: FloatArray) -> str:
    where = tuple(int(i) for i in np.argwhere(~np.isfinite(values))[0])
    return f"{values[where]} at index {where}"


def validate_inputs(
    matrix: npt.ArrayLike, weights: npt.ArrayLike, types: npt.ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Check and convert the three kernel inputs; ValueError with shapes on misuse.

    ``matrix`` is (m, n) or (k, m, n) with m, n >= 1 and finite entries; ``weights`` is (n,)
    or (k, n), finite, non-negative, each vector summing to 1 within 1e-9; ``types`` is
    (n,) of +1 / -1; stacked leading axes must broadcast.
    """
    x = as_float_array(matrix, "matrix")
    w = as_float_array(weights, "weights")
    t = as_float_array(types, "types")
    if x.ndim not in (2, 3) or 0 in x.shape:
        raise ValueError(
            "matrix must be options x criteria (m, n) or a stack (k, m, n) with m, n >= 1; "
            f"got shape {x.shape}"
        )
    n = x.shape[-1]
    if w.ndim not in (1, 2) or w.shape[-1] != n:
        raise ValueError(
            f"matrix has shape {x.shape} (options x criteria) but weights have shape "
            f"{w.shape}; expected ({n},) or (k, {n}), one weight per criterion"
        )
    if x.ndim == 3 and w.ndim == 2 and w.shape[0] not in (1, x.shape[0]) and x.shape[0] != 1:
        raise ValueError(
            f"a stack of {x.shape[0]} matrices {x.shape} cannot pair with {w.shape[0]} "
            f"weight vectors {w.shape}; the leading axes must match or be 1"
        )
    if t.shape != (n,) or not np.all(np.isin(t, (1.0, -1.0))):
        raise ValueError(
            f"types must have shape ({n},) with +1 (benefit) or -1 (cost) entries; "
            f"got shape {t.shape}: {t.tolist()}"
        )
    if not np.all(np.isfinite(x)):
        raise ValueError(f"matrix {x.shape} has a non-finite entry: {_first_nonfinite(x)}")
    if not np.all(np.isfinite(w)):
        raise ValueError(f"weights {w.shape} have a non-finite entry: {_first_nonfinite(w)}")
    if np.any(w < 0):
        raise ValueError(f"weights must be non-negative; got {w.min()} in weights {w.shape}")
    sums = w.sum(axis=-1)
    off = np.abs(sums - 1.0) > WEIGHT_SUM_TOLERANCE
    if np.any(off):
        worst = float(np.atleast_1d(sums)[np.flatnonzero(np.atleast_1d(off))[0]])
        raise ValueError(
            f"weights must sum to 1 (within {WEIGHT_SUM_TOLERANCE}); a vector in weights "
            f"{w.shape} sums to {worst!r}; normalize them first"
        )
    return x, w, t


def score(
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    types: npt.ArrayLike,
    method: str = DEFAULT_METHOD,
    normalization: str | None = None,
    **options: Any,
) -> FloatArray:
    """Validate the inputs once, then score with ``method``'s kernel.

    Parameters
    ----------
    matrix : array_like, shape (m, n) or (k, m, n)
    weights : array_like, shape (n,) or (k, n)
        Must sum to 1 (within 1e-9) and be non-negative.
    types : array_like, shape (n,)
        +1 benefit, -1 cost.
    method : str
        A registry id (:data:`METHOD_IDS`).
    normalization : str or None
        None for the method's default; must be None for ``promethee-ii`` and ``vikor``.
        Zeros are refused, not worked around: use :func:`resolve_normalization` first for
        the pipeline's fallback.
    **options
        Passed to the kernel (``v`` for VIKOR; ``preference``, ``p``, ``q``, ``s`` for
        PROMETHEE II).

    Returns
    -------
    ndarray, shape (m,) or (k, m)
        Higher is better unless ``METHODS[method].higher_is_better`` is False (VIKOR).
    """
    spec = get_method(method)
    x, w, t = validate_inputs(matrix, weights, types)
    if spec.default_normalization is None:
        if normalization is not None:
            raise ValueError(
                f"method {method!r} takes no normalization (got {normalization!r}); "
                "pass normalization=None"
            )
        return spec.kernel(x, w, t, **options)
    chosen = normalization or spec.default_normalization
    _check_normalization_name(chosen)
    return spec.kernel(x, w, t, normalization=chosen, **options)


def prepare_matrix(
    method: str,
    matrix: FloatArray,
    types: FloatArray,
    normalization: str | None = None,
    *,
    overwrite: bool = False,
    **options: Any,
) -> FloatArray:
    """The weight-independent part of ``method`` on a matrix or stack, inputs trusted.

    ``normalization`` is the one in force (None: the method's default, or none for
    PROMETHEE II and VIKOR). Why: under the Monte Carlo every block of sampled matrices is
    scored under many weight vectors (the confidence pass), so logs, PROMETHEE's preference
    comparisons and VIKOR's distances are computed once per draw, not once per weight set.
    ``overwrite=True``: the caller gives ``matrix`` up, and a hook that can compute in place
    (the min-max normalizations) writes its result there; the numbers are the same.
    """
    spec = get_method(method)
    norm = normalization or spec.default_normalization
    return spec.prepare(matrix, types, norm, overwrite=overwrite, **options)


def aggregate_prepared(
    method: str, prepared: FloatArray, weights: FloatArray, **options: Any
) -> FloatArray:
    """Scores from :func:`prepare_matrix`'s output; equal to the kernel bit for bit."""
    return get_method(method).aggregate(prepared, weights, **options)


def aggregate_prepared_many(
    method: str, prepared: FloatArray, weight_sets: FloatArray, **options: Any
) -> FloatArray:
    """Scores under each of c weight sets, shape (c, ..., m), in one batched pass.

    Where the aggregation is linear in the weights (weighted sum, PROMETHEE II; the
    weighted product in log space) this is one matrix product; equal to :func:`aggregate_prepared`
    per weight set up to rounding in the last bits.
    """
    spec = get_method(method)
    if spec.aggregate_many is not None:
        return spec.aggregate_many(prepared, weight_sets)
    lead = prepared.shape[:-2]
    return np.stack(
        [
            spec.aggregate(prepared, np.broadcast_to(w, (*lead, w.size)), **options)
            for w in weight_sets
        ]
    )


def contributions(
    method_id: str,
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    types: npt.ArrayLike,
    normalization: str | None = None,
) -> FloatArray | None:
    """Per-criterion contributions, shape (m, n) or (k, m, n), or None if not decomposable.

    ``weighted-sum``: w_j r_ij (rows sum to the score); ``weighted-product``: w_j ln r_ij
    (rows sum to the log-score); every other method: None.
    """
    spec = get_method(method_id)
    if spec.contribution is None:
        return None
    x, w, t = validate_inputs(matrix, weights, types)
    chosen = normalization or spec.default_normalization or "minmax"
    _check_normalization_name(chosen)
    return spec.contribution(x, w, t, chosen)


def resolve_normalization(
    matrix: npt.ArrayLike,
    types: npt.ArrayLike,
    method: str,
    requested: str | None,
) -> tuple[str | None, str | None]:
    """The normalization to use for ``method`` on ``matrix``, and why if it is not the asked one.

    Returns ``(normalization, reason)``; ``reason`` is None when nothing was changed.

    - ``requested`` None: the method's default, except that where the default is a ratio
      rule (``sum``, ``linear``; or any weighted product) and some column holds a zero or
      negative entry, ``offset-minmax`` is used and the reason names the column indices.
    - ``requested`` given: it is used as is; ``sum``/``linear`` (and, for the weighted
      product, any rule giving a non-positive factor) on such a column raise
      :class:`NonPositiveEntryError` carrying ``criterion_index``.
    - PROMETHEE II and VIKOR take no normalization: ``(None, None)``, or ``(None, reason)``
      saying that a requested one was not applied.
    """
    spec = get_method(method)
    x = as_float_array(matrix, "matrix")
    if spec.default_normalization is None:
        if requested is None:
            return None, None
        return None, (
            f"{spec.name} takes no normalization (it works on raw values), "
            f"so {requested!r} was not applied"
        )
    if requested is None:
        default = spec.default_normalization
        if default in RATIO_NORMALIZATIONS or method == "weighted-product":
            bad = nonpositive_columns(x)
            if bad:
                cols = ", ".join(str(j) for j in bad)
                noun, verb = ("column", "holds") if len(bad) == 1 else ("columns", "hold")
                return OFFSET_NORMALIZATION, (
                    f"criterion {noun} {cols} {verb} a zero or negative value, which the "
                    f"{spec.name.lower()} default normalization {default!r} cannot take; "
                    f"used {OFFSET_NORMALIZATION!r} (1 + min-max, onto [1, 2]) instead"
                )
        return default, None
    _check_normalization_name(requested)
    if requested in RATIO_NORMALIZATIONS:
        require_positive(x, requested)
    if method == "weighted-product":
        product_factors(x, types, requested)  # raises NonPositiveEntryError
    return requested, None


__all__ = [
    "DEFAULT_METHOD",
    "METHODS",
    "METHOD_IDS",
    "Method",
    "NonPositiveEntryError",
    "aggregate_prepared",
    "aggregate_prepared_many",
    "contributions",
    "get_method",
    "prepare_matrix",
    "resolve_normalization",
    "score",
    "validate_inputs",
]
