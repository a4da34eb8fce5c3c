"""Property tests (hypothesis) of invariants every method must keep.

- Scaling all weights by c > 0 changes no rank, renormalized to sum 1 (as callers do) and
  raw: weighted-sum and PROMETHEE scores scale by c, TOPSIS and VIKOR do not move, and the
  weighted product is raised to the power c, so raw scaling is checked on its log-score
  (exp(c L) underflows to 0 for large c: one more reason callers normalize weights).
- An option that strictly dominates all others ranks first, alone, under every method.
- Ranks are a permutation up to ties; orders and per-draw positions are permutations.
- A constant criterion changes no weighted-sum rank, under every normalization.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from evaluator.scoring import (
    METHOD_IDS,
    METHODS,
    NORMALIZATIONS,
    order,
    rank,
    rank_positions,
    weighted_product_log,
    weighted_sum,
)


@dataclass(frozen=True)
class Case:
    matrix: np.ndarray
    weights: np.ndarray
    types: np.ndarray


values = st.one_of(st.integers(1, 6).map(float), st.floats(1.0, 100.0))


@st.composite
def cases(draw: st.DrawFn, min_options: int = 1) -> Case:
    m = draw(st.integers(min_options, 7))
    n = draw(st.integers(1, 5))
    matrix = draw(hnp.arrays(np.float64, (m, n), elements=values))
    raw = draw(hnp.arrays(np.float64, (n,), elements=st.floats(0.05, 1.0)))
    types = np.array(draw(st.lists(st.sampled_from([1, -1]), min_size=n, max_size=n)))
    return Case(matrix, raw / raw.sum(), types)


def _scorer(method_id: str) -> Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]:
    return METHODS[method_id].kernel


@given(case=cases(), factor=st.floats(1e-3, 1e3), method=st.sampled_from(METHOD_IDS))
def test_scaling_weights_changes_no_rank(case: Case, factor: float, method: str) -> None:
    kernel = _scorer(method)
    higher = METHODS[method].higher_is_better
    base = rank(kernel(case.matrix, case.weights, case.types), higher_is_better=higher)
    scaled = factor * case.weights
    renormalized = scaled / scaled.sum()
    np.testing.assert_array_equal(
        rank(kernel(case.matrix, renormalized, case.types), higher_is_better=higher), base
    )
    raw_kernel = weighted_product_log if method == "weighted-product" else kernel
    np.testing.assert_array_equal(
        rank(raw_kernel(case.matrix, scaled, case.types), higher_is_better=higher), base
    )


@given(
    case=cases(),
    margins=hnp.arrays(np.float64, (5,), elements=st.floats(1.0, 5.0)),
    method=st.sampled_from(METHOD_IDS),
)
def test_a_dominating_option_ranks_first(case: Case, margins: np.ndarray, method: str) -> None:
    n = case.matrix.shape[1]
    shifted = case.matrix + 10.0  # keep costs positive after subtracting a margin
    best = np.where(
        case.types > 0, shifted.max(axis=0) + margins[:n], shifted.min(axis=0) - margins[:n]
    )
    matrix = np.vstack([shifted, best])
    dominant = matrix.shape[0] - 1
    higher = METHODS[method].higher_is_better
    scores = _scorer(method)(matrix, case.weights, case.types)
    assert order(scores, higher_is_better=higher)[0] == dominant
    assert rank(scores, higher_is_better=higher)[dominant] == 1.0


@given(case=cases(), method=st.sampled_from(METHOD_IDS))
def test_ranks_are_a_permutation_up_to_ties(case: Case, method: str) -> None:
    higher = METHODS[method].higher_is_better
    scores = _scorer(method)(case.matrix, case.weights, case.types)
    assert np.all(np.isfinite(scores))
    m = scores.size
    ranks = rank(scores, higher_is_better=higher)
    assert ranks.sum() == m * (m + 1) / 2
    assert np.all((ranks >= 1) & (ranks <= m))
    sequence = order(scores, higher_is_better=higher)
    assert sorted(sequence.tolist()) == list(range(m))
    assert np.all(np.diff(ranks[sequence]) >= 0)  # the order walks the ranks upwards
    for value in np.unique(ranks):  # a tied group of size g starting at place f has f + (g-1)/2
        members = ranks == value
        first = 1 + np.count_nonzero(ranks < value)
        assert value == first + (members.sum() - 1) / 2
    positions = rank_positions(scores[None, :], higher_is_better=higher)[0]
    assert sorted(positions.tolist()) == list(range(m))


@given(
    case=cases(min_options=2),
    constant=st.floats(1.0, 50.0),
    share=st.floats(0.05, 0.9),
    cost=st.booleans(),
    normalization=st.sampled_from(NORMALIZATIONS),
)
def test_constant_criterion_changes_no_weighted_sum_rank(
    case: Case, constant: float, share: float, cost: bool, normalization: str
) -> None:
    base = rank(weighted_sum(case.matrix, case.weights, case.types, normalization))
    m = case.matrix.shape[0]
    matrix = np.column_stack([case.matrix, np.full(m, constant)])
    weights = np.append(case.weights * (1 - share), share)
    types = np.append(case.types, -1 if cost else 1)
    np.testing.assert_array_equal(rank(weighted_sum(matrix, weights, types, normalization)), base)
