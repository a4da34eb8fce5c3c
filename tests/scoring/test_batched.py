"""Batched calls equal per-draw calls, for every method and normalization.

Three broadcasting patterns: a k x m x n stack with k x n weights, one m x n matrix with
k x n weights, and a k x m x n stack with one weight vector.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from scoring_cases import MakeProblem

from evaluator.scoring import (
    NORMALIZATIONS,
    PREFERENCE_FUNCTIONS,
    promethee_ii,
    topsis,
    vikor,
    weighted_product,
    weighted_product_log,
    weighted_sum,
)

K = 6

CASES: list[tuple[str, Callable[..., np.ndarray], dict[str, Any]]] = [
    *[(f"weighted_sum-{n}", weighted_sum, {"normalization": n}) for n in NORMALIZATIONS],
    *[
        (f"weighted_product-{n}", weighted_product, {"normalization": n})
        for n in ("sum", "linear", "none", "offset-minmax", "vector")
    ],
    ("weighted_product_log-sum", weighted_product_log, {"normalization": "sum"}),
    *[(f"topsis-{n}", topsis, {"normalization": n}) for n in NORMALIZATIONS],
    *[(f"promethee_ii-{f}", promethee_ii, {"preference": f}) for f in PREFERENCE_FUNCTIONS],
    ("promethee_ii-linear-given", promethee_ii, {"preference": "linear", "p": 4.0, "q": 1.0}),
    *[(f"vikor-{v}", vikor, {"v": v}) for v in (0.0, 0.5, 1.0)],
]


@pytest.mark.parametrize(("name", "kernel", "options"), CASES, ids=[c[0] for c in CASES])
def test_batched_equals_loop(
    make_problem: MakeProblem, name: str, kernel: Callable[..., np.ndarray], options: dict[str, Any]
) -> None:
    stack = make_problem(seed=11, n_options=7, n_criteria=5, k=K)
    single = make_problem(seed=12, n_options=7, n_criteria=5)
    types = stack.types

    both = kernel(stack.matrix, stack.weights, types, **options)
    assert both.shape == (K, 7)
    many_weights = kernel(single.matrix, stack.weights, types, **options)
    assert many_weights.shape == (K, 7)
    many_matrices = kernel(stack.matrix, single.weights, types, **options)
    assert many_matrices.shape == (K, 7)
    for i in range(K):
        np.testing.assert_allclose(
            both[i],
            kernel(stack.matrix[i], stack.weights[i], types, **options),
            rtol=1e-12,
            atol=1e-14,
            err_msg=name,
        )
        np.testing.assert_allclose(
            many_weights[i],
            kernel(single.matrix, stack.weights[i], types, **options),
            rtol=1e-12,
            atol=1e-14,
            err_msg=name,
        )
        np.testing.assert_allclose(
            many_matrices[i],
            kernel(stack.matrix[i], single.weights, types, **options),
            rtol=1e-12,
            atol=1e-14,
            err_msg=name,
        )


def test_stack_of_one_broadcasts_against_many_weights(make_problem: MakeProblem) -> None:
    problem = make_problem(seed=5, k=4)
    one = problem.matrix[:1]
    np.testing.assert_allclose(
        weighted_sum(one, problem.weights, problem.types),
        weighted_sum(problem.matrix[0], problem.weights, problem.types),
    )
