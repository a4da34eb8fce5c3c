"""Weighted sum: hand-checked, published example, contributions, edge cases."""

from __future__ import annotations

import numpy as np
import pytest
from scoring_cases import HAND_MATRIX, HAND_TYPES, HAND_WEIGHTS

from evaluator.scoring import NonPositiveEntryError, contributions, rank, weighted_sum


def test_weighted_sum_hand_checked() -> None:
    # minmax: r = [[1/3, 1, 0], [1, 0, 1], [0, 0, 0.5]] (see test_normalize)
    # a0: 0.5/3 + 0.3*1 + 0        = 0.4666...
    # a1: 0.5*1 + 0     + 0.2*1    = 0.7
    # a2: 0     + 0     + 0.2*0.5  = 0.1
    scores = weighted_sum(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES)
    np.testing.assert_allclose(scores, [0.5 / 3 + 0.3, 0.7, 0.1], rtol=0, atol=1e-15)


def test_weighted_sum_triantaphyllou_2000() -> None:
    """Triantaphyllou's WSM example, as printed in Wikipedia's "Weighted sum model".

    Triantaphyllou, E. (2000). Multi-Criteria Decision Making Methods: A Comparative
    Study. Kluwer, ch. 2; the Wikipedia article (which cites it) prints the data
    (weights 0.20, 0.15, 0.40, 0.25; A1 = 25, 20, 15, 30; A2 = 10, 30, 20, 30;
    A3 = 30, 10, 30, 10; all benefit, same units, no normalization) and the WSM scores
    21.50, 22.00, 22.00 (A2 and A3 tie). We read the table in a copy of the article,
    not in the book.
    """
    matrix = [[25, 20, 15, 30], [10, 30, 20, 30], [30, 10, 30, 10]]
    scores = weighted_sum(matrix, [0.20, 0.15, 0.40, 0.25], [1, 1, 1, 1], "none")
    np.testing.assert_allclose(np.round(scores, 2), [21.50, 22.00, 22.00], rtol=0, atol=0)
    np.testing.assert_array_equal(rank(scores), [3.0, 1.5, 1.5])


@pytest.mark.parametrize("normalization", ["minmax", "sum", "linear", "vector", "none"])
def test_contributions_sum_to_the_score(normalization: str) -> None:
    parts = contributions("weighted-sum", HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES, normalization)
    assert parts is not None
    assert parts.shape == (3, 3)
    np.testing.assert_allclose(
        parts.sum(axis=1), weighted_sum(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES, normalization)
    )


def test_constant_criterion_adds_its_weight_to_every_option() -> None:
    matrix = np.column_stack([HAND_MATRIX, np.full(3, 7.0)])
    weights = np.append(HAND_WEIGHTS * 0.75, 0.25)
    scores = weighted_sum(matrix, weights, [*HAND_TYPES, -1])
    base = weighted_sum(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES)
    np.testing.assert_allclose(scores, 0.75 * base + 0.25)


@pytest.mark.parametrize("normalization", ["sum", "linear"])
def test_explicit_ratio_normalization_refuses_zero(normalization: str) -> None:
    matrix = HAND_MATRIX.copy()
    matrix[1, 1] = 0.0
    with pytest.raises(NonPositiveEntryError) as info:
        weighted_sum(matrix, HAND_WEIGHTS, HAND_TYPES, normalization)
    assert info.value.criterion_index == 1


def test_one_option_and_one_criterion() -> None:
    # one option: every column is constant, minmax gives 1, the score is sum(w) = 1
    np.testing.assert_allclose(weighted_sum([[3.0, 4.0]], [0.4, 0.6], [1, -1]), [1.0])
    # one criterion: the ranking follows it (a cost here: lowest first)
    scores = weighted_sum([[3.0], [1.0], [2.0]], [1.0], [-1])
    np.testing.assert_allclose(scores, [0.0, 1.0, 0.5])
