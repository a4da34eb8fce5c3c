"""Local score functions for the sensitivity tests (no dependency on evaluator.scoring)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pytest

FloatArray = npt.NDArray[np.float64]
ScoreFn = Callable[[FloatArray, FloatArray], FloatArray]


def minmax(matrix: FloatArray, types: FloatArray) -> FloatArray:
    """Min-max per criterion over the options axis; benefit up, cost down; constant -> 1."""
    lo = matrix.min(axis=-2, keepdims=True)
    hi = matrix.max(axis=-2, keepdims=True)
    span = hi - lo
    safe = np.where(span > 0, span, 1.0)
    up = (matrix - lo) / safe
    r = np.where(np.asarray(types) > 0, up, 1.0 - up)
    return np.where(span > 0, r, 1.0)


def linear_score(matrix: FloatArray, weights: FloatArray) -> FloatArray:
    """Weighted sum of values taken as already normalized: k x n weights -> k x m."""
    out: FloatArray = (matrix * weights[:, None, :]).sum(axis=-1)
    return out


def make_weighted_sum(types: npt.ArrayLike) -> ScoreFn:
    """Plain weighted sum of min-max normalized values (the additive model)."""
    t = np.asarray(types, dtype=np.float64)

    def score(matrix: FloatArray, weights: FloatArray) -> FloatArray:
        out: FloatArray = (minmax(matrix, t) * weights[:, None, :]).sum(axis=-1)
        return out

    return score


@pytest.fixture(scope="session")
def weighted_sum_factory() -> Callable[[npt.ArrayLike], ScoreFn]:
    """``factory(types) -> score_fn`` for the weighted sum of min-max values."""
    return make_weighted_sum


@pytest.fixture(scope="session")
def linear() -> ScoreFn:
    """Weighted sum of values used as they are."""
    return linear_score


@pytest.fixture(scope="session")
def normalize_minmax() -> Callable[[FloatArray, FloatArray], FloatArray]:
    """The min-max normalization behind ``weighted_sum_factory``."""
    return minmax
