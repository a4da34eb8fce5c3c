"""SMAA-2 (notes/analysis.md 5.4): known cases, invariants, reproducibility, memory."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from helpers import SCENARIOS

from evaluator.evaluation import prepare
from evaluator.sensitivity import (
    BLOCK_SIZE,
    DirichletWeights,
    SMAAResult,
    UniformWeights,
    block_seed,
    confidence_block_seed,
    run_smaa,
)

FloatArray = npt.NDArray[np.float64]
ScoreFn = Callable[[FloatArray, FloatArray], FloatArray]

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
IDS = ["e", "b", "a", "d", "c"]  # deliberately not in id order


def perturb(rng: np.random.Generator, k: int) -> FloatArray:
    """Uniform +-1.5 around RAW."""
    return RAW + rng.uniform(-1.5, 1.5, size=(k, *RAW.shape))


def assert_same(a: SMAAResult, b: SMAAResult) -> None:
    for name in ("rank_acceptability", "central_weights", "confidence"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    if a.pairwise_winning is not None or b.pairwise_winning is not None:
        assert a.pairwise_winning is not None
        assert b.pairwise_winning is not None
        np.testing.assert_array_equal(a.pairwise_winning, b.pairwise_winning)
    assert a.to_dict(["1", "2", "3", "4"]) == b.to_dict(["1", "2", "3", "4"])


def test_two_options_analytic(linear: ScoreFn) -> None:
    """Uniform weights, A = (1, 0), B = (0.3, 0.6): A first iff w1 > 6/13 (so p = 7/13)."""
    values = np.array([[1.0, 0.0], [0.3, 0.6]])
    k = 100_000
    res = run_smaa(linear, UniformWeights(2), ["A", "B"], n_samples=k, seed=3, matrix=values)
    p = 7 / 13
    se = np.sqrt(p * (1 - p) / k)
    assert res.p_best[0] == pytest.approx(p, abs=4 * se)
    assert res.p_best_se[0] == pytest.approx(se, rel=0.01)
    assert res.central_weights[0, 0] == pytest.approx((1 + 6 / 13) / 2, abs=3e-3)
    assert res.central_weights[1, 0] == pytest.approx(3 / 13, abs=3e-3)
    np.testing.assert_array_equal(res.rank_acceptability[:, 1], res.rank_acceptability[::-1, 0])
    np.testing.assert_array_equal(res.confidence, [1.0, 1.0])


@pytest.mark.parametrize("sampled", [False, True])
def test_rows_and_columns_sum_to_one(
    weighted_sum_factory: Callable[[npt.ArrayLike], ScoreFn], sampled: bool
) -> None:
    kwargs: dict[str, Any] = {"draw_matrices": perturb} if sampled else {"matrix": RAW}
    res = run_smaa(
        weighted_sum_factory(TYPES),
        UniformWeights(4),
        IDS,
        n_samples=12_345,
        seed=0,
        pairwise=True,
        **kwargs,
    )
    ra = res.rank_acceptability
    np.testing.assert_allclose(ra.sum(axis=0), 1.0, atol=1e-12)
    np.testing.assert_allclose(ra.sum(axis=1), 1.0, atol=1e-12)
    assert res.pairwise_winning is not None
    off = ~np.eye(5, dtype=bool)
    np.testing.assert_allclose((res.pairwise_winning + res.pairwise_winning.T)[off], 1.0)
    np.testing.assert_allclose(res.rank_acceptability_se, np.sqrt(ra * (1 - ra) / 12_345))


@pytest.mark.parametrize("sampled", [False, True])
def test_chunking_never_changes_a_number(
    weighted_sum_factory: Callable[[npt.ArrayLike], ScoreFn], sampled: bool
) -> None:
    kwargs: dict[str, Any] = {"draw_matrices": perturb} if sampled else {"matrix": RAW}
    n = 2 * BLOCK_SIZE + 123  # two full blocks and a partial one
    runs = [
        run_smaa(
            weighted_sum_factory(TYPES),
            DirichletWeights((0.4, 0.3, 0.2, 0.1), 20.0),
            IDS,
            n_samples=n,
            seed=11,
            chunk_blocks=c,
            pairwise=True,
            **kwargs,
        )
        for c in (1, 2, 3, 50)
    ]
    for other in runs[1:]:
        assert_same(runs[0], other)


def test_same_seed_same_result_other_seed_differs(
    weighted_sum_factory: Callable[[npt.ArrayLike], ScoreFn],
) -> None:
    def run(seed: int) -> SMAAResult:
        return run_smaa(
            weighted_sum_factory(TYPES),
            UniformWeights(4),
            IDS,
            n_samples=5_000,
            seed=seed,
            draw_matrices=perturb,
        )

    assert_same(run(7), run(7))
    assert not np.array_equal(run(7).rank_acceptability, run(8).rank_acceptability)
    assert run(7).seed == 7
    assert_same(run(7), run(np.int64(7)))  # type: ignore[arg-type]
    assert run(7).samples == 5_000


@pytest.mark.parametrize("seed", [0, 1, 12345, 2**40])
def test_block_streams_do_not_depend_on_block_count(seed: int) -> None:
    """``SeedSequence(seed).spawn(n)[b]`` is the same stream for every n > b."""
    for b in (0, 1, 5):
        expected = block_seed(seed, b).generate_state(4)
        for n in (b + 1, 10, 1000):
            child = np.random.SeedSequence(seed).spawn(n)[b]
            np.testing.assert_array_equal(child.generate_state(4), expected)
        grandchild = block_seed(seed, b).spawn(1)[0].generate_state(4)
        np.testing.assert_array_equal(confidence_block_seed(seed, b).generate_state(4), grandchild)


def test_each_block_draws_from_sfc64_seeded_by_its_spawned_child() -> None:
    """The documented stream: block b's weights come first from SFC64(spawn(...)[b])."""
    seen: list[np.random.Generator] = []

    class Recorder:
        n_criteria = 4

        def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
            seen.append(rng)
            return rng.dirichlet(np.ones(4), size)

    run_smaa(
        lambda mat, w: w @ mat.T,
        Recorder(),
        IDS,
        n_samples=2 * BLOCK_SIZE,
        seed=9,
        matrix=RAW / 10,
    )
    assert len(seen) == 2
    for b, rng in enumerate(seen):
        assert isinstance(rng.bit_generator, np.random.SFC64)
        fresh = np.random.Generator(np.random.SFC64(np.random.SeedSequence(9).spawn(2)[b]))
        fresh.dirichlet(np.ones(4), BLOCK_SIZE)  # what the block drew
        np.testing.assert_array_equal(rng.random(3), fresh.random(3))


@dataclass
class SpySampler:
    """Uniform weights that record every request."""

    n_criteria: int
    sizes: list[int] = field(default_factory=list)

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        self.sizes.append(size)
        return rng.dirichlet(np.ones(self.n_criteria), size)


def test_blocks_are_fixed_and_last_one_partial(linear: ScoreFn) -> None:
    spy = SpySampler(4)
    seen: list[tuple[int, int]] = []
    res = run_smaa(
        linear,
        spy,
        IDS,
        n_samples=BLOCK_SIZE + 5,
        seed=1,
        matrix=RAW / 10,
        chunk_blocks=4,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert spy.sizes == [BLOCK_SIZE, 5]
    assert seen == [(BLOCK_SIZE + 5, BLOCK_SIZE + 5)]
    # The first block is the same stream as in a run of exactly one block.
    one = run_smaa(linear, UniformWeights(4), IDS, n_samples=BLOCK_SIZE, seed=1, matrix=RAW / 10)
    both = np.rint(res.rank_acceptability * (BLOCK_SIZE + 5)).astype(int)
    first = np.rint(one.rank_acceptability * BLOCK_SIZE).astype(int)
    extra = both - first  # the 5 draws of the partial block, one count per row and column
    assert (extra >= 0).all()
    assert (extra.sum(axis=0) == 5).all()
    assert (extra.sum(axis=1) == 5).all()


def test_progress_counts_both_passes(
    weighted_sum_factory: Callable[[npt.ArrayLike], ScoreFn],
) -> None:
    seen: list[tuple[int, int]] = []
    run_smaa(
        weighted_sum_factory(TYPES),
        UniformWeights(4),
        IDS,
        n_samples=BLOCK_SIZE * 2 + 1,
        seed=0,
        draw_matrices=perturb,
        progress=lambda done, total: seen.append((done, total)),
    )
    total = 2 * (2 * BLOCK_SIZE + 1)
    b = BLOCK_SIZE
    assert [d for d, _ in seen] == [b, 2 * b, 2 * b + 1, 3 * b + 1, 4 * b + 1, 4 * b + 2]
    assert {t for _, t in seen} == {total}


def test_central_weights_on_the_simplex_and_zero_weights_stay_zero(
    weighted_sum_factory: Callable[[npt.ArrayLike], ScoreFn],
) -> None:
    res = run_smaa(
        weighted_sum_factory(TYPES),
        DirichletWeights((0.5, 0.0, 0.3, 0.2), 5.0),
        IDS,
        n_samples=20_000,
        seed=2,
        draw_matrices=perturb,
    )
    best = res.p_best > 0
    cw = res.central_weights[best]
    assert best.sum() >= 2
    np.testing.assert_allclose(cw.sum(axis=1), 1.0)
    assert (cw >= 0).all()
    assert (cw[:, 1] == 0).all()
    assert np.isnan(res.central_weights[~best]).all()


def test_dominated_option_is_never_best(linear: ScoreFn) -> None:
    values = np.array([[0.9, 0.8, 0.7], [0.2, 0.9, 0.4], [0.1, 0.7, 0.3]])  # C < B everywhere
    res = run_smaa(
        linear, UniformWeights(3), ["A", "B", "C"], n_samples=20_000, seed=0, matrix=values
    )
    assert res.p_best[2] == 0.0
    assert np.isnan(res.central_weights[2]).all()
    assert np.isnan(res.confidence[2])
    out = res.to_dict(["x", "y", "z"])
    assert out["central_weights"]["C"] is None  # type: ignore[index]
    assert out["confidence"]["C"] is None  # type: ignore[index]
    assert out["confidence"]["A"] == 1.0  # type: ignore[index]


def test_huge_concentration_reproduces_the_deterministic_ranking(
    weighted_sum_factory: Callable[[npt.ArrayLike], ScoreFn],
    normalize_minmax: Callable[[FloatArray, FloatArray], FloatArray],
) -> None:
    w0 = np.array([0.4, 0.3, 0.2, 0.1])
    scores = normalize_minmax(RAW, TYPES) @ w0
    ranking = np.argsort(-scores)
    res = run_smaa(
        weighted_sum_factory(TYPES),
        DirichletWeights(tuple(w0), 1e9),
        IDS,
        n_samples=3_000,
        seed=5,
        matrix=RAW,
    )
    expected = np.zeros((5, 5))
    expected[ranking, np.arange(5)] = 1.0
    np.testing.assert_array_equal(res.rank_acceptability, expected)
    np.testing.assert_allclose(res.central_weights[ranking[0]], w0, atol=1e-3)


def test_no_matrix_uncertainty_gives_confidence_one(
    weighted_sum_factory: Callable[[npt.ArrayLike], ScoreFn],
) -> None:
    """notes 5.4: each first-rank region is convex, so its centroid lies inside it."""
    score = weighted_sum_factory(TYPES)
    fixed = run_smaa(score, UniformWeights(4), IDS, n_samples=20_000, seed=4, matrix=RAW)
    best = fixed.p_best > 0
    assert best.sum() >= 3
    np.testing.assert_array_equal(fixed.confidence[best], 1.0)
    assert fixed.confidence_samples == 0

    def constant(rng: np.random.Generator, k: int) -> FloatArray:
        return np.broadcast_to(RAW, (k, *RAW.shape)).copy()

    drawn = run_smaa(
        score, UniformWeights(4), IDS, n_samples=20_000, seed=4, draw_matrices=constant
    )
    np.testing.assert_array_equal(drawn.confidence[best], 1.0)
    assert drawn.confidence_samples == 20_000
    np.testing.assert_array_equal(drawn.rank_acceptability, fixed.rank_acceptability)


def test_confidence_below_one_under_uncertainty(
    weighted_sum_factory: Callable[[npt.ArrayLike], ScoreFn],
) -> None:
    res = run_smaa(
        weighted_sum_factory(TYPES),
        UniformWeights(4),
        IDS,
        n_samples=10_000,
        seed=0,
        draw_matrices=perturb,
    )
    best = res.p_best > 0
    assert ((res.confidence[best] > 0) & (res.confidence[best] < 1)).any()
    assert (res.confidence[best] <= 1).all()


def test_exact_ties_broken_by_option_id(linear: ScoreFn) -> None:
    twins = np.array([[0.6, 0.6], [0.6, 0.6], [0.1, 0.2]])
    res = run_smaa(
        linear, UniformWeights(2), ["b", "a", "c"], n_samples=1_000, seed=0, matrix=twins
    )
    np.testing.assert_array_equal(res.rank_acceptability, [[0, 1, 0], [1, 0, 0], [0, 0, 1]])
    assert np.isnan(res.central_weights[0]).all()


def test_lower_is_better_mirrors_higher(linear: ScoreFn) -> None:
    def negated(matrix: FloatArray, weights: FloatArray) -> FloatArray:
        return -linear(matrix, weights)

    kw = {"n_samples": 5_000, "seed": 9, "matrix": RAW / 10}
    up = run_smaa(linear, UniformWeights(4), IDS, **kw)  # type: ignore[arg-type]
    down = run_smaa(negated, UniformWeights(4), IDS, higher_is_better=False, **kw)  # type: ignore[arg-type]
    assert_same(up, down)


def test_dirichlet_sampler_moments() -> None:
    w0 = np.array([0.5, 0.0, 0.3, 0.2])
    kappa = 20.0
    draws = DirichletWeights(tuple(w0), kappa).sample(np.random.default_rng(0), 200_000)
    assert (draws[:, 1] == 0).all()
    np.testing.assert_allclose(draws.sum(axis=1), 1.0)
    np.testing.assert_allclose(draws.mean(axis=0), w0, atol=2e-3)
    np.testing.assert_allclose(draws.var(axis=0), w0 * (1 - w0) / (kappa + 1), rtol=0.03)
    single = DirichletWeights((0.0, 1.0), 3.0).sample(np.random.default_rng(0), 5)
    np.testing.assert_array_equal(single, [[0.0, 1.0]] * 5)  # exactly, not 1 - 1e-16
    uniform = UniformWeights(3).sample(np.random.default_rng(1), 100_000)
    np.testing.assert_allclose(uniform.mean(axis=0), 1 / 3, atol=3e-3)


@pytest.mark.parametrize(
    "make",
    [
        lambda: DirichletWeights((0.5, 0.6), 1.0),
        lambda: DirichletWeights((0.5, 0.5), 0.0),
        lambda: DirichletWeights((0.0, 0.0), 1.0),
        lambda: UniformWeights(0),
    ],
)
def test_samplers_reject_bad_input(make: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        make()


@pytest.mark.parametrize(
    "kwargs",
    [
        {},  # neither matrix nor draw_matrices
        {"matrix": RAW, "draw_matrices": perturb},
        {"matrix": RAW[:, :3]},
        {"matrix": RAW, "n_samples": 0},
        {"matrix": RAW, "seed": -1},
        {"matrix": RAW, "seed": 1.5},
        {"matrix": RAW, "seed": True},
        {"matrix": RAW, "chunk_blocks": 0},
        {"matrix": RAW, "options": ["a", "a", "b", "c", "d"]},
        {"draw_matrices": lambda rng, k: RAW[None]},
        {"matrix": RAW * np.nan},
    ],
)
def test_rejects_bad_input(linear: ScoreFn, kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {"options": IDS, "n_samples": 100, "seed": 0, **kwargs}
    with pytest.raises(ValueError):
        run_smaa(linear, UniformWeights(4), **args)  # type: ignore[arg-type]


def test_keyboard_interrupt_propagates_and_leaves_no_state(linear: ScoreFn) -> None:
    def stop(done: int, total: int) -> None:
        raise KeyboardInterrupt

    kw = {
        "n_samples": 3 * BLOCK_SIZE,
        "seed": 1,
        "draw_matrices": lambda rng, k: perturb(rng, k) / 10,
    }
    with pytest.raises(KeyboardInterrupt):
        run_smaa(linear, UniformWeights(4), IDS, progress=stop, **kw)  # type: ignore[arg-type]
    after = run_smaa(linear, UniformWeights(4), IDS, **kw)  # type: ignore[arg-type]
    fresh = run_smaa(linear, UniformWeights(4), IDS, **kw)  # type: ignore[arg-type]
    assert_same(after, fresh)


def test_memory_stays_flat(weighted_sum_factory: Callable[[npt.ArrayLike], ScoreFn]) -> None:
    score = weighted_sum_factory(TYPES)

    def peak(n: int) -> int:
        tracemalloc.start()
        try:
            run_smaa(score, UniformWeights(4), IDS, n_samples=n, seed=0, draw_matrices=perturb)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(2 * BLOCK_SIZE), peak(20 * BLOCK_SIZE)
    assert large < 1.3 * small


def test_result_arrays_are_consistent(linear: ScoreFn) -> None:
    res = run_smaa(linear, UniformWeights(4), IDS, n_samples=2_000, seed=0, matrix=RAW / 10)
    assert res.options == tuple(IDS)
    assert res.rank_acceptability.shape == (5, 5)
    assert res.central_weights.shape == (5, 4)
    assert res.pairwise_winning is None
    assert not res.rank_acceptability.flags.writeable
    out = res.to_dict(["w", "x", "y", "z"])
    assert list(out)[:6] == [
        "samples",
        "seed",
        "rank_acceptability",
        "p_best",
        "p_best_se",
        "central_weights",
    ]
    assert "pairwise_winning" not in out


@pytest.mark.parametrize(
    ("method", "normalization"),
    [("weighted-sum", "minmax"), ("weighted-sum", "offset-minmax"), ("topsis", None)],
)
def test_drawn_stacks_prepared_in_place_change_no_number(
    method: str, normalization: str | None
) -> None:
    """The sensitivity run lets each freshly drawn stack be normalized in its own memory:
    every SMAA index is the same, bit for bit, as preparing a copy."""
    setup = prepare(SCENARIOS, method=method, normalization=normalization)
    ev = setup.evidence

    def run(prep: Callable[[FloatArray], FloatArray]) -> SMAAResult:
        return run_smaa(
            setup.score_prepared,
            DirichletWeights(tuple(float(w) for w in setup.weights), 20.0),
            ev.option_ids,
            n_samples=12_000,
            seed=3,
            draw_matrices=ev.sample_matrices,
            prepare=prep,
            score_many=setup.score_prepared_many,
            n_parameters=len(ev.parameters),
        )

    copied, in_place = run(setup.prepare_stack), run(setup.prepare_drawn)
    for name in ("rank_acceptability", "central_weights", "confidence"):
        a, b = getattr(copied, name), getattr(in_place, name)
        assert a.tobytes() == b.tobytes(), name
