"""Kernel numerics at the edges of float64 (issue 16): huge and tiny columns, NaN, infinity.

Vector normalization and the Gaussian PROMETHEE preference are scale-invariant in exact
arithmetic, so scaling a column by 10**e must not change their result; before the fix the
squares overflowed above ~1e154 (the criterion silently vanished, or NaN) and underflowed
below ~1e-158. Non-finite inputs must raise, never give confident answers.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from evaluator.scoring import (
    METHOD_IDS,
    contributions,
    normalize,
    preference_indices,
    promethee_flows,
    promethee_ii,
    score,
    topsis,
    unicriterion_net_flows,
    vikor,
    weighted_product,
    weighted_sum,
)
from evaluator.sensitivity import UniformWeights, run_smaa

FloatArray = npt.NDArray[np.float64]
# NaN and infinity given on purpose make numpy warn on the way to a NaN score or a refusal.
quiet_nan = pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")

ordinary = arrays(
    np.float64,
    st.tuples(st.integers(2, 6), st.integers(1, 4)),
    elements=st.floats(-100, 100, allow_nan=False).filter(lambda v: v == 0 or abs(v) > 1e-3),
)
exponents = st.integers(-300, 300)


def types_for(n: int) -> FloatArray:
    return np.where(np.arange(n) % 2 == 0, 1.0, -1.0)


@given(ordinary, exponents)
def test_vector_normalization_is_scale_invariant(matrix: FloatArray, e: int) -> None:
    types = types_for(matrix.shape[1])
    expected = normalize(matrix, types, "vector")
    np.testing.assert_allclose(normalize(matrix * 10.0**e, types, "vector"), expected, atol=1e-12)


@pytest.mark.parametrize("scale", [1e155, 1e200, 1e300, 1e-160, 1e-200, 1e-300])
def test_vector_normalization_hand_checked_at_extreme_scales(scale: float) -> None:
    matrix = np.array([[3.0, 1.0], [4.0, 0.0]]) * scale
    result = normalize(matrix, [1, -1], "vector")
    np.testing.assert_allclose(result, [[0.6, 0.0], [0.8, 1.0]], atol=1e-15)


def test_topsis_keeps_a_huge_criterion() -> None:
    # Before: column 0 overflowed to a zero column, so only column 1 decided (B first).
    matrix = np.array([[2e160, 1.0], [1e160, 1.1]])
    scores = topsis(matrix, [0.9, 0.1], [1, 1])
    assert scores[0] > scores[1]
    np.testing.assert_allclose(scores, topsis(matrix / [1e160, 1.0], [0.9, 0.1], [1, 1]))


@given(ordinary, exponents)
def test_gaussian_preference_is_scale_invariant(matrix: FloatArray, e: int) -> None:
    types = types_for(matrix.shape[1])
    weights = np.full(matrix.shape[1], 1.0 / matrix.shape[1])
    expected = promethee_ii(matrix, weights, types, preference="gaussian")
    scaled = promethee_ii(matrix * 10.0**e, weights, types, preference="gaussian")
    assert np.all(np.isfinite(scaled))
    np.testing.assert_allclose(scaled, expected, atol=1e-12)


def test_gaussian_preference_at_1e154_is_finite() -> None:
    matrix = np.array([[1e154, 1.0], [3e154, 2.0], [0.0, 0.0]])
    scaled = promethee_ii(matrix, [0.5, 0.5], [1, 1], preference="gaussian")
    plain = promethee_ii(matrix / [1e154, 1.0], [0.5, 0.5], [1, 1], preference="gaussian")
    np.testing.assert_allclose(scaled, plain, atol=1e-15)


BAD_VALUES = [np.nan, np.inf, -np.inf]


@pytest.mark.parametrize("bad", BAD_VALUES)
@pytest.mark.parametrize("method", METHOD_IDS)
def test_score_and_contributions_refuse_non_finite(method: str, bad: float) -> None:
    matrix = np.array([[1.0, 2.0], [bad, 1.0], [3.0, 0.5]])
    with pytest.raises(ValueError, match="non-finite entry"):
        score(matrix, [0.5, 0.5], [1, -1], method=method)
    with pytest.raises(ValueError, match="non-finite entry"):
        score(np.ones((3, 2)), [bad, 0.5], [1, -1], method=method)
    if method in ("weighted-sum", "weighted-product"):
        with pytest.raises(ValueError, match="non-finite entry"):
            contributions(method, matrix, [0.5, 0.5], [1, -1])


@pytest.mark.parametrize("bad", BAD_VALUES)
@pytest.mark.parametrize(
    "entry",
    [
        promethee_ii,
        promethee_flows,
        preference_indices,
        lambda x, w, t: unicriterion_net_flows(x, t),
    ],
)
def test_promethee_refuses_non_finite_instead_of_finite_wrong_flows(entry, bad: float) -> None:  # type: ignore[no-untyped-def]
    matrix = np.array([[1.0, 2.0], [bad, 1.0], [3.0, 0.5]])
    with pytest.raises(ValueError, match=r"non-finite entry \((nan|-?inf) at index \(1, 0\)\)"):
        entry(matrix, [0.5, 0.5], [1, -1])


KERNELS = [
    weighted_sum,
    partial(weighted_sum, normalization="vector"),
    partial(weighted_sum, normalization="none"),
    partial(weighted_product, normalization="offset-minmax"),
    topsis,
    partial(topsis, normalization="minmax"),
    promethee_ii,
    partial(promethee_ii, preference="gaussian"),
    vikor,
]


@quiet_nan
@given(
    ordinary,
    st.sampled_from(BAD_VALUES),
    st.integers(0, 1000),
    st.sampled_from(range(len(KERNELS))),
)
def test_no_kernel_turns_non_finite_input_into_finite_scores(
    matrix: FloatArray, bad: float, where: int, kernel: int
) -> None:
    """Why this matters: the Monte Carlo checks only the scores, so a kernel must either
    refuse a NaN or infinite input or let it show in its scores."""
    m, n = matrix.shape
    hostile = matrix.copy()
    hostile[(where // n) % m, where % n] = bad
    weights = np.full(n, 1.0 / n)
    try:
        scores = KERNELS[kernel](hostile, weights, types_for(n))
    except ValueError:
        return
    assert not np.all(np.isfinite(scores))


def _linear(matrix: FloatArray, weights: FloatArray) -> FloatArray:
    return np.asarray(weighted_sum(matrix, weights, [1.0, 1.0, -1.0]))


def test_monte_carlo_refuses_a_non_finite_fixed_matrix() -> None:
    matrix = np.array([[1.0, 2.0, 3.0], [2.0, np.nan, 1.0]])
    with pytest.raises(ValueError, match=r"holds nan \(option 1, criterion 1\)"):
        run_smaa(_linear, UniformWeights(3), ["a", "b"], n_samples=10, seed=0, matrix=matrix)


@quiet_nan
@pytest.mark.parametrize(
    "kernel", [weighted_sum, topsis, vikor, promethee_ii], ids=lambda f: f.__name__
)
@pytest.mark.parametrize("bad", BAD_VALUES)
def test_monte_carlo_refuses_a_non_finite_draw(kernel, bad: float) -> None:  # type: ignore[no-untyped-def]
    base = np.array([[1.0, 2.0, 3.0], [2.0, 1.0, 1.0], [0.5, 0.5, 2.0]])

    def draw(rng: np.random.Generator, k: int) -> FloatArray:
        stack = base + rng.uniform(-0.1, 0.1, size=(k, *base.shape))
        stack[min(7, k - 1), 2, 0] = bad
        return stack

    def score_fn(matrix: FloatArray, weights: FloatArray) -> FloatArray:
        return np.asarray(kernel(matrix, weights, [1.0, 1.0, -1.0]))

    located = r"holds -?(nan|inf) \(draw 7, option 2, criterion 0\)|at index \(7, 2, 0\)"
    with pytest.raises(ValueError, match=located):
        run_smaa(
            score_fn, UniformWeights(3), ["a", "b", "c"], n_samples=50, seed=0, draw_matrices=draw
        )
