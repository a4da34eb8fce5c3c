"""TOPSIS: hand-checked, published example, conventions and edge cases."""

from __future__ import annotations

import numpy as np
import pytest
from scoring_cases import HAND_MATRIX, HAND_TYPES, HAND_WEIGHTS

from evaluator.scoring import NORMALIZATIONS, topsis


def test_topsis_hand_checked() -> None:
    # vector: norms sqrt(21), sqrt(24), sqrt(14); cost column c2 -> 1 - x / sqrt(14)
    # v = w * r:
    #   a0 [0.218218, 0.244949, 0.039643]
    #   a1 [0.436436, 0.122474, 0.146548]
    #   a2 [0.109109, 0.122474, 0.093096]
    # ideal [0.436436, 0.244949, 0.146548], anti-ideal [0.109109, 0.122474, 0.039643]
    # a0: D+ = sqrt(0.218218^2 + 0.106905^2) = 0.242998, D- = sqrt(0.109109^2 + 0.122474^2)
    #     = 0.164027, C = 0.164027 / 0.407025 = 0.402990
    # a1: D+ = 0.122474, D- = sqrt(0.327327^2 + 0.106905^2) = 0.344342, C = 0.737639
    # a2: D+ = sqrt(0.327327^2 + 0.122474^2 + 0.053452^2) = 0.353553, D- = 0.053452,
    #     C = 0.131330
    scores = topsis(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES)
    np.testing.assert_allclose(scores, [0.402990, 0.737639, 0.131330], rtol=0, atol=2e-6)


def test_topsis_tzeng_huang_2011() -> None:
    """Tzeng & Huang's TOPSIS example, closeness printed to four decimals.

    Tzeng, G. H., & Huang, J. J. (2011). Multiple Attribute Decision Making: Methods and
    Applications. CRC Press. Four options, three benefit criteria, weights 0.3, 0.4, 0.3,
    vector normalization; C = 0.5037, 0.6581, 0.7482, 0.3340 (as transcribed in
    scikit-criteria's tests/agg/test_topsis.py, test_TOPSIS_tzeng2011multiple).
    """
    matrix = [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]]
    scores = topsis(matrix, [0.3, 0.4, 0.3], [1, 1, 1])
    np.testing.assert_array_equal(np.round(scores, 4), [0.5037, 0.6581, 0.7482, 0.3340])


def test_cost_convention_matches_classical_topsis() -> None:
    # classical TOPSIS keeps x / ||x|| for a cost and takes the column minimum as its ideal
    unit = HAND_MATRIX / np.linalg.norm(HAND_MATRIX, axis=0)
    v = unit * HAND_WEIGHTS
    ideal = np.where(HAND_TYPES > 0, v.max(axis=0), v.min(axis=0))
    anti = np.where(HAND_TYPES > 0, v.min(axis=0), v.max(axis=0))
    d_plus = np.linalg.norm(v - ideal, axis=1)
    d_minus = np.linalg.norm(v - anti, axis=1)
    np.testing.assert_allclose(
        topsis(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES), d_minus / (d_plus + d_minus)
    )


def test_invariant_to_weight_scale() -> None:
    np.testing.assert_allclose(
        topsis(HAND_MATRIX, 7.0 * HAND_WEIGHTS, HAND_TYPES),
        topsis(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES),
    )


@pytest.mark.parametrize("normalization", NORMALIZATIONS)
def test_identical_options_score_one_half(normalization: str) -> None:
    matrix = np.tile([[2.0, 3.0, 1.0]], (4, 1))
    scores = topsis(matrix, HAND_WEIGHTS, HAND_TYPES, normalization)
    np.testing.assert_array_equal(scores, 0.5)


def test_zero_entries_are_fine_under_vector() -> None:
    matrix = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, 0.0]])
    scores = topsis(matrix, [0.5, 0.5], [1, 1])
    assert np.all(np.isfinite(scores))
    np.testing.assert_allclose(scores, [0.5, 0.5, 0.0])


def test_one_option_and_one_criterion() -> None:
    np.testing.assert_array_equal(topsis([[3.0, 4.0]], [0.4, 0.6], [1, -1]), [0.5])
    scores = topsis([[3.0], [1.0], [2.0]], [1.0], [-1])
    assert list(np.argsort(-scores)) == [1, 2, 0]
