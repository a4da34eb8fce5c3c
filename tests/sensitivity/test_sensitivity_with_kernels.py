"""The sensitivity functions driven by the real ``evaluator.scoring`` kernels.

Skipped while the kernels are absent, so the sensitivity core can be tested on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from evaluator import scoring
from evaluator.sensitivity import (
    BLOCK_SIZE,
    DirichletWeights,
    UniformWeights,
    run_smaa,
    stability_intervals_additive,
    stability_intervals_numeric,
    tornado,
)
from evaluator.sensitivity.stability import top_option

FloatArray = npt.NDArray[np.float64]
ScoreFn = Callable[[FloatArray, FloatArray], FloatArray]

KERNELS = ("weighted_sum", "weighted_product", "topsis", "promethee_ii", "vikor")

RAW = np.array(
    [
        [7.0, 2.0, 5.0, 1.0],
        [4.0, 8.0, 6.0, 3.0],
        [1.0, 6.0, 9.0, 2.0],
        [6.0, 5.0, 4.0, 9.0],
        [5.0, 5.0, 5.0, 5.0],
    ]
)
TYPES = np.array([1.0, 1.0, -1.0, 1.0])
IDS = ["e", "b", "a", "d", "c"]
W0 = np.array([0.4, 0.3, 0.2, 0.1])


def kernel(name: str) -> tuple[ScoreFn, bool]:
    """``(score_fn, higher_is_better)`` for a kernel of evaluator.scoring."""
    f = getattr(scoring, name)

    def score(matrix: FloatArray, weights: FloatArray) -> FloatArray:
        return np.asarray(f(matrix, weights, TYPES), dtype=np.float64)

    return score, name != "vikor"


def perturb(rng: np.random.Generator, k: int) -> FloatArray:
    return RAW + rng.uniform(-0.9, 0.9, size=(k, *RAW.shape))  # stays positive


@pytest.mark.parametrize("seed", range(10))
def test_numeric_equals_closed_form_with_weighted_sum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    raw = rng.uniform(1, 10, size=(6, 4))
    w0 = rng.dirichlet(np.ones(4))
    score, _ = kernel("weighted_sum")
    exact = stability_intervals_additive(scoring.normalize(raw, TYPES, "minmax"), w0)
    numeric = stability_intervals_numeric(score, raw, w0, tol=1e-6)
    for g, e in zip(numeric, exact, strict=True):
        assert g.low == pytest.approx(e.low, abs=2e-6)
        assert g.high == pytest.approx(e.high, abs=2e-6)
        assert (g.winner, g.low_rival, g.high_rival) == (e.winner, e.low_rival, e.high_rival)


@pytest.mark.parametrize("name", KERNELS)
def test_numeric_intervals_hold_for_every_method(name: str) -> None:
    score, higher = kernel(name)
    sign = 1.0 if higher else -1.0
    base = sign * score(RAW, W0[None, :])[0]
    for s in stability_intervals_numeric(score, RAW, W0, higher_is_better=higher):
        assert s.low <= s.weight <= s.high
        assert s.winner == top_option(base)
        for t in np.linspace(s.low, s.high, 7):
            w = W0.copy() * (1 - t) / (1 - W0[s.criterion_index])
            w[s.criterion_index] = t
            u = sign * score(RAW, np.stack([w, w]))[0]
            assert u[s.winner] >= u.max() - 1e-9 * np.abs(u).max()


@pytest.mark.parametrize("name", KERNELS)
@pytest.mark.parametrize("sampled", [False, True])
def test_smaa_with_every_method(name: str, sampled: bool) -> None:
    score, higher = kernel(name)
    kwargs: dict[str, Any] = {"draw_matrices": perturb} if sampled else {"matrix": RAW}
    runs = [
        run_smaa(
            score,
            DirichletWeights(tuple(W0), 20.0),
            IDS,
            n_samples=BLOCK_SIZE + 1,
            seed=3,
            higher_is_better=higher,
            chunk_blocks=c,
            pairwise=True,
            **kwargs,
        )
        for c in (1, 2)
    ]
    a, b = runs
    np.testing.assert_array_equal(a.rank_acceptability, b.rank_acceptability)
    np.testing.assert_array_equal(a.central_weights, b.central_weights)
    np.testing.assert_array_equal(a.confidence, b.confidence)
    np.testing.assert_allclose(a.rank_acceptability.sum(axis=0), 1.0)
    np.testing.assert_allclose(a.rank_acceptability.sum(axis=1), 1.0)
    best = a.p_best > 0
    assert np.all((a.confidence[best] >= 0) & (a.confidence[best] <= 1))


def test_smaa_weighted_sum_no_uncertainty_confidence_one() -> None:
    score, _ = kernel("weighted_sum")
    res = run_smaa(score, UniformWeights(4), IDS, n_samples=20_000, seed=0, matrix=RAW)
    best = res.p_best > 0
    np.testing.assert_array_equal(res.confidence[best], 1.0)


def test_tornado_with_vikor_lower_is_better() -> None:
    score, higher = kernel("vikor")
    items = tornado(
        score, RAW, W0, criteria=["c1", "c2", "c3", "c4"], options=IDS, higher_is_better=higher
    )
    q = score(RAW, np.stack([W0, W0]))[0]
    assert {i.winner for i in items} == {IDS[int(np.argmin(q))]}
