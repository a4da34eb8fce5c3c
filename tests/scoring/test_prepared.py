"""Weight-independent parts + aggregation (what the report's page does) equal the kernels.

report.js mirrors :func:`evaluator.scoring.prepared.aggregate`; these tests tie that
function to the kernels for every method, normalization and preference function, including
zero weights, constant columns and VIKOR's degenerate terms.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scoring_cases import MakeProblem

from evaluator.scoring import NORMALIZATIONS, PREFERENCE_FUNCTIONS, order, rank, score
from evaluator.scoring.prepared import aggregate, aggregation_parts

CASES: list[tuple[str, str | None, dict[str, Any]]] = [
    *[("weighted-sum", n, {}) for n in NORMALIZATIONS],
    *[("weighted-product", n, {}) for n in ("sum", "linear", "none", "offset-minmax", "vector")],
    *[("topsis", n, {}) for n in NORMALIZATIONS],
    *[("promethee-ii", None, {"preference": f}) for f in PREFERENCE_FUNCTIONS],
    ("promethee-ii", None, {"preference": "linear", "p": 4.0, "q": 1.0}),
    *[("vikor", None, {"v": v}) for v in (0.0, 0.3, 0.5, 1.0)],
]


def _weights(rng: np.random.Generator, n: int, trial: int) -> np.ndarray:
    w = rng.dirichlet(np.ones(n))
    if trial % 3 == 0:
        w[rng.integers(n)] = 0.0
        w /= w.sum()
    return w


@pytest.mark.parametrize(("method", "normalization", "options"), CASES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_aggregate_equals_the_kernel(
    method: str,
    normalization: str | None,
    options: dict[str, Any],
    seed: int,
    make_problem: MakeProblem,
) -> None:
    problem = make_problem(seed=seed, n_options=7, n_criteria=5)
    x = problem.matrix.copy()
    x[:, 3] = 4.0  # a constant column: every rule's edge case
    parts = aggregation_parts(method, x, problem.types, normalization, **options)
    assert parts.values.shape == x.shape
    rng = np.random.default_rng(seed)
    for trial in range(8):
        w = _weights(rng, x.shape[1], trial)
        expected = score(x, w, problem.types, method, normalization, **options)
        got = aggregate(parts, w)
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)
        hib = method != "vikor"
        assert (
            rank(got, higher_is_better=hib).tolist()
            == rank(expected, higher_is_better=hib).tolist()
        )
        assert (
            order(got, higher_is_better=hib).tolist()
            == order(expected, higher_is_better=hib).tolist()
        )


def test_parts_do_not_depend_on_the_weights(make_problem: MakeProblem) -> None:
    """The parts take no weights at all; TOPSIS's extremes are the unweighted column ones."""
    problem = make_problem(seed=4)
    parts = aggregation_parts("topsis", problem.matrix, problem.types, "vector")
    assert parts.ideal is not None
    assert parts.anti_ideal is not None
    np.testing.assert_array_equal(parts.ideal, parts.values.max(axis=0))
    np.testing.assert_array_equal(parts.anti_ideal, parts.values.min(axis=0))


def test_vikor_degenerate_terms_are_dropped() -> None:
    """Two options identical on every criterion but one: R is degenerate for some weights."""
    x = np.array([[1.0, 5.0], [1.0, 5.0], [2.0, 5.0]])
    types = np.array([1, 1])
    parts = aggregation_parts("vikor", x, types)
    for w in ([1.0, 0.0], [0.5, 0.5], [0.0, 1.0]):
        np.testing.assert_allclose(aggregate(parts, w), score(x, w, types, "vikor"), atol=0)


def test_normalization_refused_for_methods_without_one() -> None:
    with pytest.raises(ValueError, match="takes no normalization"):
        aggregation_parts("vikor", np.ones((2, 2)), [1, 1], "minmax")
