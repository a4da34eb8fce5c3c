"""Weighted product: log-space evaluation, published example, refusal of zeros."""

from __future__ import annotations

import numpy as np
import pytest
from scoring_cases import HAND_MATRIX, HAND_TYPES, HAND_WEIGHTS

from evaluator.scoring import (
    NonPositiveEntryError,
    contributions,
    order,
    weighted_product,
    weighted_product_log,
)


def test_weighted_product_hand_checked() -> None:
    # sum normalization: c0 / 7, c1 / 8, c2 cost (1/x) / (11/6)
    # a0: (2/7)^0.5 (4/8)^0.3 (2/11)^0.2 = 0.534522 * 0.812252 * 0.711040 = 0.308734
    # a1: (4/7)^0.5 (2/8)^0.3 (6/11)^0.2 = 0.755929 * 0.659754 * 0.885776 = 0.441789
    # a2: (1/7)^0.5 (2/8)^0.3 (3/11)^0.2 = 0.377964 * 0.659754 * 0.771181 = 0.192300
    scores = weighted_product(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES)
    np.testing.assert_allclose(scores, [0.308734, 0.441789, 0.192300], rtol=0, atol=5e-6)
    np.testing.assert_allclose(
        weighted_product_log(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES), np.log(scores)
    )


def test_weighted_product_triantaphyllou_2000() -> None:
    """Triantaphyllou's WPM example (the WSM data, ratios of alternatives).

    Triantaphyllou, E. (2000). Multi-Criteria Decision Making Methods: A Comparative
    Study. Kluwer, ch. 2, as reproduced in Wikipedia's "Weighted product model"; the data
    (A1 = 25, 20, 15, 30; A2 = 10, 30, 20, 30; A3 = 30, 10, 30, 10; weights 0.20, 0.15,
    0.40, 0.25) and the ranking A1 > A2 > A3 are confirmed by scikit-criteria's test of
    the same article. The article prints P(A1/A2) = 1.007, and (from memory, not re-read
    here) P(A1/A3) = 1.067 and P(A2/A3) = 1.059; the formula reproduces all three to
    three decimals, which is what this test asserts.
    """
    matrix = [[25, 20, 15, 30], [10, 30, 20, 30], [30, 10, 30, 10]]
    log_p = weighted_product_log(matrix, [0.20, 0.15, 0.40, 0.25], [1, 1, 1, 1], "none")
    ratio = np.exp(log_p[:, None] - log_p[None, :])  # P(A_K / A_L)
    assert round(ratio[0, 1], 3) == 1.007
    assert round(ratio[0, 2], 3) == 1.067
    assert round(ratio[1, 2], 3) == 1.059
    np.testing.assert_array_equal(order(log_p), [0, 1, 2])


def test_ratio_normalizations_give_the_same_ranking() -> None:
    scores = {
        n: weighted_product_log(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES, n)
        for n in ("sum", "linear", "none")
    }
    np.testing.assert_allclose(scores["sum"] - scores["sum"][0], scores["none"] - scores["none"][0])
    np.testing.assert_allclose(
        scores["linear"] - scores["linear"][0], scores["none"] - scores["none"][0]
    )


def test_none_inverts_cost_factors() -> None:
    # classical WPM: a cost enters as x ** -w
    log_p = weighted_product_log([[2.0, 4.0], [4.0, 2.0]], [0.5, 0.5], [1, -1], "none")
    np.testing.assert_allclose(
        log_p, [0.5 * np.log(2) - 0.5 * np.log(4), 0.5 * np.log(4) - 0.5 * np.log(2)]
    )


def test_contributions_sum_to_the_log_score() -> None:
    parts = contributions("weighted-product", HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES)
    assert parts is not None
    np.testing.assert_allclose(
        parts.sum(axis=1), weighted_product_log(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES)
    )


@pytest.mark.parametrize("normalization", ["sum", "linear", "none"])
@pytest.mark.parametrize("bad", [0.0, -3.0])
def test_non_positive_raw_entry_is_refused(normalization: str, bad: float) -> None:
    matrix = HAND_MATRIX.copy()
    matrix[2, 0] = bad
    with pytest.raises(NonPositiveEntryError) as info:
        weighted_product(matrix, HAND_WEIGHTS, HAND_TYPES, normalization)
    assert info.value.criterion_index == 0


def test_minmax_zero_is_refused_and_offset_minmax_is_safe() -> None:
    with pytest.raises(NonPositiveEntryError, match="criterion columns 0, 1, 2") as info:
        weighted_product(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES, "minmax")
    assert info.value.criterion_index == 0
    matrix = HAND_MATRIX.copy()
    matrix[0, 0] = 0.0
    scores = weighted_product(matrix, HAND_WEIGHTS, HAND_TYPES, "offset-minmax")
    assert np.all(np.isfinite(scores))
    assert np.all((scores >= 1.0) & (scores <= 2.0))


def test_large_weights_do_not_underflow() -> None:
    # raw weights of 20 each: prod r ** w underflows in a naive product; the log score does not
    matrix = np.random.default_rng(0).uniform(1, 10, (5, 9))
    log_p = weighted_product_log(matrix, np.full(9, 20.0), np.ones(9))
    assert np.all(np.isfinite(log_p))


def test_one_option_and_one_criterion() -> None:
    np.testing.assert_allclose(weighted_product([[3.0, 4.0]], [0.4, 0.6], [1, -1]), [1.0])
    scores = weighted_product([[3.0], [1.0], [2.0]], [1.0], [1])
    np.testing.assert_allclose(scores, [0.5, 1 / 6, 1 / 3])
