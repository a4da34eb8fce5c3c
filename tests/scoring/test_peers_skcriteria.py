"""Agreement with scikit-criteria on random problems.

The same ranks under our tie rule, computed from its scores (its own ranks are dense and,
for VIKOR, put the whole compromise set first), and the same scores to 1e-9.
scikit-criteria is an optional test dependency.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pytest
from scoring_cases import MakeProblem, Problem

from evaluator.scoring import rank, topsis, vikor, weighted_product_log, weighted_sum

SHAPES = [(3, 2), (5, 3), (8, 5), (10, 9), (20, 4)]
SEEDS = [0, 1, 2]
Ours = Callable[[Problem], np.ndarray]

skc = pytest.importorskip("skcriteria")


def _skc_cases() -> list[tuple[str, Ours, Callable[[Problem], np.ndarray], bool]]:
    from skcriteria.agg.simple import WeightedProductModel, WeightedSumModel
    from skcriteria.agg.topsis import TOPSIS
    from skcriteria.agg.vikor import VIKOR
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.invert_objectives import InvertMinimize, NegateMinimize
    from skcriteria.preprocessing.scalers import MinMaxScaler, SumScaler, VectorScaler

    def dm(p: Problem) -> object:
        objectives = [max if t > 0 else min for t in p.types]
        return skc.mkdm(p.matrix, objectives, weights=p.weights)

    return [
        (
            "weighted_sum-minmax",
            lambda p: weighted_sum(p.matrix, p.weights, p.types, "minmax"),
            lambda p: (
                mkpipe(NegateMinimize(), MinMaxScaler(target="matrix"), WeightedSumModel())
                .evaluate(dm(p))
                .e_.score
            ),
            True,
        ),
        (
            "weighted_sum-sum",
            lambda p: weighted_sum(p.matrix, p.weights, p.types, "sum"),
            lambda p: (
                mkpipe(InvertMinimize(), SumScaler(target="matrix"), WeightedSumModel())
                .evaluate(dm(p))
                .e_.score
            ),
            True,
        ),
        (
            # scikit-criteria returns sum_j w_j log10 r_ij: compare on our log scale
            "weighted_product-sum",
            lambda p: weighted_product_log(p.matrix, p.weights, p.types, "sum") / np.log(10),
            lambda p: (
                mkpipe(InvertMinimize(), SumScaler(target="matrix"), WeightedProductModel())
                .evaluate(dm(p))
                .e_.score
            ),
            True,
        ),
        (
            "topsis-vector",
            lambda p: topsis(p.matrix, p.weights, p.types, "vector"),
            lambda p: mkpipe(VectorScaler(target="matrix"), TOPSIS()).evaluate(dm(p)).e_.similarity,
            True,
        ),
        (
            "vikor-0.5",
            lambda p: vikor(p.matrix, p.weights, p.types),
            lambda p: VIKOR(v=0.5).evaluate(dm(p)).e_.q_k,
            False,
        ),
    ]


SKC_CASES = _skc_cases()


@pytest.mark.parametrize(
    ("name", "ours", "theirs", "higher"), SKC_CASES, ids=[c[0] for c in SKC_CASES]
)
@pytest.mark.parametrize("shape", SHAPES, ids=[f"{m}x{n}" for m, n in SHAPES])
@pytest.mark.parametrize("seed", SEEDS)
def test_same_ranks_as_scikit_criteria(
    make_problem: MakeProblem,
    name: str,
    ours: Ours,
    theirs: Callable[[Problem], np.ndarray],
    higher: bool,
    shape: tuple[int, int],
    seed: int,
) -> None:
    problem = make_problem(seed=seed, n_options=shape[0], n_criteria=shape[1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        their_scores = np.asarray(theirs(problem), dtype=float)
    our_scores = ours(problem)
    np.testing.assert_array_equal(
        rank(our_scores, higher_is_better=higher),
        rank(their_scores, higher_is_better=higher),
        err_msg=name,
    )
    np.testing.assert_allclose(our_scores, their_scores, rtol=0, atol=1e-9, err_msg=name)
