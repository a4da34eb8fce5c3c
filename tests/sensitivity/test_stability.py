"""Weight stability intervals: closed form (notes/analysis.md 5.3) and numerical search."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.scoring.ranking import TIE_RTOL, is_top, tie_groups
from evaluator.sensitivity import (
    rescaled_weights,
    stability_intervals_additive,
    stability_intervals_numeric,
)
from evaluator.sensitivity.stability import (
    ranking_stability_intervals_additive,
    tie_ranking,
    top_option,
)

FloatArray = npt.NDArray[np.float64]
ScoreFn = Callable[[FloatArray, FloatArray], FloatArray]

V_NOTES = np.array([[0.9, 0.2, 0.5], [0.4, 0.8, 0.6], [0.1, 0.6, 1.0]])
W_NOTES = (0.5, 0.3, 0.2)


def test_worked_check_notes_5_3() -> None:
    """notes/analysis.md 5.3: A, B, C score 0.61, 0.56, 0.43; intervals as printed there."""
    got = stability_intervals_additive(V_NOTES, W_NOTES)
    assert [s.winner for s in got] == [0, 0, 0]
    expected = [(0.4444, 1.0), (0.0, 0.3538), (0.0, 0.4118)]
    for s, (low, high) in zip(got, expected, strict=True):
        assert s.low == pytest.approx(low, abs=1e-4)
        assert s.high == pytest.approx(high, abs=1e-4)
        assert s.exact
    assert got[0].low == pytest.approx(4 / 9)  # (R_A - R_B) = 0.12, beta = 0.27
    assert (got[0].low_rival, got[0].high_rival) == (1, None)
    assert (got[1].low_rival, got[1].high_rival) == (None, 1)
    assert (got[2].low_rival, got[2].high_rival) == (None, 2)
    assert [s.weight for s in got] == list(W_NOTES)


def test_ends_are_ties_and_closed() -> None:
    """At each finite end the winner ties with the named rival (closed interval)."""
    for s in stability_intervals_additive(V_NOTES, W_NOTES):
        for t, rival in ((s.low, s.low_rival), (s.high, s.high_rival)):
            if rival is None:
                continue
            scores = V_NOTES @ rescaled_weights(W_NOTES, s.criterion_index, t)[0]
            assert scores[s.winner] == pytest.approx(scores[rival], abs=1e-12)
            assert top_option(scores) == s.winner or scores[s.winner] >= scores.max() - 1e-12


def test_tie_at_the_top_bounds_at_w0() -> None:
    """Tied winners: the lowest index wins and the rival bounds the interval at w0 itself."""
    got = stability_intervals_additive([[1.0, 0.0], [0.0, 1.0]], [0.5, 0.5])
    assert [s.winner for s in got] == [0, 0]
    assert (got[0].low, got[0].high, got[0].low_rival) == (0.5, 1.0, 1)
    assert (got[1].low, got[1].high, got[1].high_rival) == (0.0, 0.5, 1)


def test_identical_rival_never_bounds() -> None:
    values = [[0.5, 0.5], [0.5, 0.5], [0.0, 0.0]]
    for s in stability_intervals_additive(values, [0.3, 0.7]):
        assert (s.winner, s.low, s.high, s.low_rival, s.high_rival) == (0, 0.0, 1.0, None, None)


def test_weight_one_shares_the_rest_equally() -> None:
    """w0_k == 1: the remaining 1 - t is spread equally over the other criteria."""
    assert rescaled_weights([1.0, 0.0, 0.0], 0, [0.2]) == pytest.approx(np.array([[0.2, 0.4, 0.4]]))
    values = [[1.0, 0.0, 0.0], [0.0, 1.0, 1.0], [0.5, 0.5, 0.5]]
    s = stability_intervals_additive(values, [1.0, 0.0, 0.0])[0]
    # A = t, B = 1 - t, C = 0.5: both cross at 0.5; B is steeper, so B leads just below.
    assert (s.winner, s.low, s.high, s.low_rival, s.high_rival) == (0, 0.5, 1.0, 1, None)


def test_zero_weight_criterion() -> None:
    s = stability_intervals_additive([[1.0, 0.0], [0.0, 1.0]], [1.0, 0.0])[1]
    assert (s.weight, s.low, s.high, s.high_rival) == (0.0, 0.0, 0.5, 1)


def test_single_criterion() -> None:
    s = stability_intervals_additive([[0.2], [0.9]], [1.0])[0]
    assert (s.winner, s.low, s.high, s.low_rival, s.high_rival) == (1, 0.0, 1.0, None, None)


def test_tie_ranking_chains_and_orders_by_index() -> None:
    assert tie_ranking(np.array([0.5, 1.0, 1.0 - 1e-12, 0.1])) == [1, 2, 0, 3]
    assert tie_ranking(np.array([1.0 - 1e-12, 1.0]), np.array([0, 1])) == [0, 1]
    assert top_option(np.array([1.0, 1.0]), np.array([1, 0])) == 1


@pytest.mark.parametrize(
    ("values", "weights"),
    [
        ([[0.5, 0.5]], [0.5, 0.6]),
        ([[0.5, 0.5]], [1.5, -0.5]),
        ([[0.5, 0.5]], [np.nan, 1.0]),
        ([[0.5, 0.5, 0.1]], [0.5, 0.5]),
        ([[np.nan, 0.5]], [0.5, 0.5]),
    ],
)
def test_rejects_bad_input(values: list[list[float]], weights: list[float]) -> None:
    with pytest.raises(ValueError):
        stability_intervals_additive(values, weights)


def _brute_force_run(
    values: FloatArray, w0: FloatArray, k: int, upper_lower: list[tuple[int, int]], step: float
) -> tuple[float, float]:
    """Ends of the run of grid points around w0_k where every pair keeps its order."""
    ts = np.union1d(np.arange(0.0, 1.0 + step / 2, step), [w0[k]])
    scores = rescaled_weights(w0, k, ts) @ values.T
    tol = 1e-9 * np.abs(scores).max(axis=1)
    ok = np.ones(ts.size, dtype=bool)
    for u, lw in upper_lower:
        ok &= scores[:, u] >= scores[:, lw] - tol
    i0 = int(np.flatnonzero(ts == w0[k])[0])
    assert ok[i0]
    lo = i0
    while lo > 0 and ok[lo - 1]:
        lo -= 1
    hi = i0
    while hi < ts.size - 1 and ok[hi + 1]:
        hi += 1
    return float(ts[lo]), float(ts[hi])


@st.composite
def problems(draw: st.DrawFn) -> tuple[FloatArray, FloatArray]:
    """Values on a 0.05 grid and integer weights, so exact ties occur but slopes stay large."""
    m = draw(st.integers(2, 5))
    n = draw(st.integers(2, 4))
    values = np.array(draw(st.lists(st.integers(0, 20), min_size=m * n, max_size=m * n)))
    ints = np.array(draw(st.lists(st.integers(0, 10), min_size=n, max_size=n)), dtype=float)
    if ints.sum() == 0:
        ints[draw(st.integers(0, n - 1))] = 1.0
    return values.reshape(m, n) / 20.0, ints / ints.sum()


@settings(max_examples=200, deadline=None)
@given(problems())
def test_closed_form_matches_brute_force_sweep(problem: tuple[FloatArray, FloatArray]) -> None:
    values, w0 = problem
    step = 1e-3
    for s in stability_intervals_additive(values, w0):
        assert s.low <= s.weight <= s.high
        pairs = [(s.winner, a) for a in range(values.shape[0]) if a != s.winner]
        lo, hi = _brute_force_run(values, w0, s.criterion_index, pairs, step)
        assert s.low == pytest.approx(lo, abs=step + 1e-9)
        assert s.high == pytest.approx(hi, abs=step + 1e-9)
        # The named rival really leads just beyond each end.
        for end, rival, sign in ((s.low, s.low_rival, -1), (s.high, s.high_rival, 1)):
            if rival is None:
                assert end in (0.0, 1.0)
                continue
            t = end + sign * 1e-7  # slopes here are >= 1/600, so the lead is >= 1e-10
            if 0.0 <= t <= 1.0:
                u = values @ rescaled_weights(w0, s.criterion_index, t)[0]
                assert u[rival] > u[s.winner]


@settings(max_examples=150, deadline=None)
@given(problems())
def test_ranking_stability_matches_brute_force(problem: tuple[FloatArray, FloatArray]) -> None:
    values, w0 = problem
    step = 1e-3
    winner = stability_intervals_additive(values, w0)
    for s, wi in zip(ranking_stability_intervals_additive(values, w0), winner, strict=True):
        assert wi.low <= s.low <= s.weight <= s.high <= wi.high  # nested in the winner's
        assert s.ranking[0] == wi.winner
        pairs = list(zip(s.ranking[:-1], s.ranking[1:], strict=True))
        lo, hi = _brute_force_run(values, w0, s.criterion_index, pairs, step)
        assert s.low == pytest.approx(lo, abs=step + 1e-9)
        assert s.high == pytest.approx(hi, abs=step + 1e-9)
        if s.low_pair is not None:
            assert s.low_pair in pairs
        if s.high_pair is not None:
            assert s.high_pair in pairs


def test_numeric_worked_check(linear: ScoreFn) -> None:
    got = stability_intervals_numeric(linear, V_NOTES, W_NOTES, tol=1e-7)
    exact = stability_intervals_additive(V_NOTES, W_NOTES)
    for g, e in zip(got, exact, strict=True):
        assert not g.exact
        assert g.low == pytest.approx(e.low, abs=1e-7)
        assert g.high == pytest.approx(e.high, abs=1e-7)
        assert (g.winner, g.low_rival, g.high_rival) == (e.winner, e.low_rival, e.high_rival)
        assert e.low <= g.low
        assert g.high <= e.high + 1e-12


def test_numeric_weight_one_matches_closed_form(linear: ScoreFn) -> None:
    values = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 1.0], [0.5, 0.5, 0.5]])
    w0 = [1.0, 0.0, 0.0]
    exact = stability_intervals_additive(values, w0)
    numeric = stability_intervals_numeric(linear, values, w0, tol=1e-8)
    for g, e in zip(numeric, exact, strict=True):
        assert (g.low, g.high) == pytest.approx((e.low, e.high), abs=1e-8)
        assert (g.low_rival, g.high_rival) == (e.low_rival, e.high_rival)


@pytest.mark.parametrize("seed", range(25))
def test_numeric_equals_closed_form_for_weighted_sum(
    seed: int,
    weighted_sum_factory: Callable[[npt.ArrayLike], ScoreFn],
    normalize_minmax: Callable[[FloatArray, FloatArray], FloatArray],
) -> None:
    """Min-max does not depend on the weights, so the numerical search is the closed form."""
    rng = np.random.default_rng(seed)
    m, n = int(rng.integers(2, 8)), int(rng.integers(2, 6))
    raw = rng.uniform(0, 10, size=(m, n))
    types = rng.choice([-1.0, 1.0], size=n)
    w0 = rng.dirichlet(np.ones(n))
    if seed % 5 == 0:
        w0[0] = 0.0
        w0 /= w0.sum()
    exact = stability_intervals_additive(normalize_minmax(raw, types), w0)
    numeric = stability_intervals_numeric(weighted_sum_factory(types), raw, w0, tol=1e-6)
    for g, e in zip(numeric, exact, strict=True):
        assert g.low == pytest.approx(e.low, abs=2e-6)
        assert g.high == pytest.approx(e.high, abs=2e-6)
        assert (g.winner, g.low_rival, g.high_rival) == (e.winner, e.low_rival, e.high_rival)


def test_numeric_lower_is_better(linear: ScoreFn) -> None:
    """A method whose lower scores win (VIKOR-like) gives the same intervals."""

    def negated(matrix: FloatArray, weights: FloatArray) -> FloatArray:
        return -linear(matrix, weights)

    a = stability_intervals_numeric(linear, V_NOTES, W_NOTES)
    b = stability_intervals_numeric(negated, V_NOTES, W_NOTES, higher_is_better=False)
    assert a == b


def test_numeric_calls_score_fn_in_batches(linear: ScoreFn) -> None:
    calls: list[int] = []

    def counting(matrix: FloatArray, weights: FloatArray) -> FloatArray:
        calls.append(weights.shape[0])
        return linear(matrix, weights)

    stability_intervals_numeric(counting, V_NOTES, W_NOTES, tol=1e-6, grid=101)
    assert calls[1] == 3 * 101  # the whole scan in one call
    assert len(calls) == 2 + 14  # then one call per bisection step: 0.01 / 2**14 < 1e-6


def test_numeric_rejects_bad_scores(linear: ScoreFn) -> None:
    def wrong_shape(matrix: FloatArray, weights: FloatArray) -> FloatArray:
        return linear(matrix, weights)[:, :2]

    def nan_scores(matrix: FloatArray, weights: FloatArray) -> FloatArray:
        return linear(matrix, weights) * np.nan

    for fn in (wrong_shape, nan_scores):
        with pytest.raises(ValueError):
            stability_intervals_numeric(fn, V_NOTES, W_NOTES)


# Scores built from a few levels plus offsets below, at and above the tie tolerance, so exact
# ties, chained near-ties and clear gaps all occur.
_levels = st.sampled_from([0.0, 1.0, -1.0, 0.5, 1.0 + 0.5 * TIE_RTOL, 1.0 + 3 * TIE_RTOL])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_levels, min_size=5, max_size=5), min_size=1, max_size=6))
def test_is_top_agrees_with_tie_groups(rows: list[list[float]]) -> None:
    scores = np.array(rows)
    groups = tie_groups(scores)
    for b in range(scores.shape[1]):
        np.testing.assert_array_equal(is_top(scores, b), groups[:, b] == 0)


def test_is_top_follows_chained_ties() -> None:
    # 1 ties 1 - 0.6 tol, which ties 1 - 1.2 tol: the chain keeps all three on top.
    tol = TIE_RTOL
    scores = np.array([[1.0, 1.0 - 0.6 * tol, 1.0 - 1.2 * tol, 0.5]])
    assert [bool(is_top(scores, b)[0]) for b in range(4)] == [True, True, True, False]
    # One score vector (not a stack) gives one answer per option, the same ones.
    assert [bool(is_top(scores[0], b)) for b in range(4)] == [True, True, True, False]
    # Broken chain: 1 - 2.2 tol is more than tol below its neighbour.
    broken = np.array([1.0, 1.0 - 0.6 * tol, 1.0 - 2.2 * tol, 0.5])
    assert [bool(is_top(broken, b)) for b in range(4)] == [True, True, False, False]
