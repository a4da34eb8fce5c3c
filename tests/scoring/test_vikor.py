"""VIKOR: hand-checked, Opricovic & Tzeng's published examples, degenerate terms."""

from __future__ import annotations

import numpy as np
import pytest
from scoring_cases import HAND_MATRIX, HAND_TYPES, HAND_WEIGHTS

from evaluator.scoring import METHODS, rank, vikor, vikor_sr


def test_vikor_hand_checked() -> None:
    # N = (f* - x) / (f* - f-): c0 (4 - x) / 3 = [2/3, 0, 1]; c1 (4 - x) / 2 = [0, 1, 1];
    # c2 cost (1 - x) / (1 - 3) = [1, 0, 0.5]
    # w N: [1/3, 0, 0.2], [0, 0.3, 0], [0.5, 0.3, 0.1]
    # S = [0.5333, 0.3, 0.9], R = [1/3, 0.3, 0.5]
    # Q = 0.5 (S - 0.3) / 0.6 + 0.5 (R - 0.3) / 0.2 = [0.2778, 0, 1]
    s, r = vikor_sr(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES)
    np.testing.assert_allclose(s, [0.8 / 1.5, 0.3, 0.9])
    np.testing.assert_allclose(r, [1 / 3, 0.3, 0.5])
    q = vikor(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES)
    np.testing.assert_allclose(q, [0.5 * (0.8 / 1.5 - 0.3) / 0.6 + 0.5 * (1 / 30) / 0.2, 0, 1])
    # lower is better
    assert METHODS["vikor"].higher_is_better is False
    np.testing.assert_array_equal(rank(q, higher_is_better=False), [2.0, 1.0, 3.0])


def test_vikor_opricovic_tzeng_2004() -> None:
    """The two-criterion example of Opricovic & Tzeng (2004).

    Opricovic, S., & Tzeng, G. H. (2004). Compromise solution by MCDM methods: A
    comparative analysis of VIKOR and TOPSIS. European Journal of Operational Research,
    156(2), 445-455. Risk (min) and altitude (max) of A1 = (1, 3000), A2 = (2, 3750),
    A3 = (5, 4500), equal weights, v = 0.5: S = 0.5, 0.375, 0.5; R = 0.5, 0.25, 0.5;
    Q = 1, 0, 1 (A2 is the compromise; as transcribed in scikit-criteria's
    test_VIKOR_opricovic2004compromise).
    """
    matrix = [[1.0, 3000.0], [2.0, 3750.0], [5.0, 4500.0]]
    s, r = vikor_sr(matrix, [0.5, 0.5], [-1, 1])
    np.testing.assert_allclose(s, [0.5, 0.375, 0.5], atol=1e-15)
    np.testing.assert_allclose(r, [0.5, 0.25, 0.5], atol=1e-15)
    np.testing.assert_allclose(vikor(matrix, [0.5, 0.5], [-1, 1]), [1.0, 0.0, 1.0], atol=1e-15)


OPRICOVIC_2007 = np.array(
    [
        [4184.3, 2914.0, 407.2, 251.0, 195, 244, 15, 2.41],
        [5211.9, 3630.0, 501.7, 308.3, 282, 346, 21, 1.41],
        [5021.3, 3920.5, 504.0, 278.6, 12, 56, 3, 4.42],
        [5566.1, 3957.9, 559.5, 335.3, 167, 268, 16, 3.36],
        [5060.5, 3293.5, 514.1, 284.2, 69, 90, 7, 4.04],
        [4317.9, 2925.9, 432.8, 239.3, 12, 55, 3, 4.36],
    ]
)


@pytest.mark.parametrize(
    ("weights", "printed_s", "printed_r", "printed_q"),
    [
        (
            [1, 1, 1, 1, 1, 1, 1, 1],
            [0.692, 0.700, 0.290, 0.423, 0.280, 0.346],
            [0.125, 0.125, 0.121, 0.125, 0.067, 0.125],
            [0.991, 1.000, 0.473, 0.670, 0.000, 0.578],
        ),
        (
            [2, 2, 2, 2, 1, 1, 1, 1],
            [0.701, 0.600, 0.386, 0.365, 0.317, 0.459],
            [0.167, 0.114, 0.161, 0.167, 0.089, 0.167],
            [1.000, 0.533, 0.552, 0.563, 0.000, 0.686],
        ),
        (
            [1, 1, 1, 1, 2, 2, 2, 2],
            [0.683, 0.800, 0.193, 0.480, 0.243, 0.232],
            [0.113, 0.167, 0.080, 0.122, 0.044, 0.083],
            [0.684, 1.000, 0.147, 0.554, 0.041, 0.191],
        ),
        (
            [1, 1, 1, 1, 3.2, 3.2, 3.2, 3.2],
            [0.678, 0.857, 0.138, 0.513, 0.222, 0.167],
            [0.129, 0.190, 0.057, 0.139, 0.042, 0.060],
            [0.668, 1.000, 0.051, 0.588, 0.058, 0.078],
        ),
    ],
    ids=["W1", "W2", "W3", "W4"],
)
def test_vikor_opricovic_tzeng_2007(
    weights: list[float], printed_s: list[float], printed_r: list[float], printed_q: list[float]
) -> None:
    """The reservoir-system example of Opricovic & Tzeng (2007), four weight sets.

    Opricovic, S., & Tzeng, G. H. (2007). Extended VIKOR method in comparison with
    outranking methods. European Journal of Operational Research, 178(2), 514-529. Six
    alternatives, eight criteria (profit max, cost min, energy max, peak energy max,
    homes relocated min, reservoir area min, villages displaced min, environmental
    protection max); S, R and Q printed to three decimals for each weight set (as
    transcribed in scikit-criteria's test_VIKOR_opricovic2007extended). All 72 values
    round to the print exactly.
    """
    types = [1, -1, 1, 1, -1, -1, -1, 1]
    w = np.array(weights) / np.sum(weights)
    s, r = vikor_sr(OPRICOVIC_2007, w, types)
    np.testing.assert_array_equal(np.round(s, 3), printed_s)
    np.testing.assert_array_equal(np.round(r, 3), printed_r)
    np.testing.assert_array_equal(np.round(vikor(OPRICOVIC_2007, w, types), 3), printed_q)


def test_constant_criterion_is_at_its_best_for_everyone() -> None:
    matrix = np.column_stack([HAND_MATRIX, np.full(3, 5.0)])
    q = vikor(matrix, [*HAND_WEIGHTS * 0.8, 0.2], [*HAND_TYPES, 1])
    s, r = vikor_sr(matrix, [*HAND_WEIGHTS * 0.8, 0.2], [*HAND_TYPES, 1])
    assert np.all(np.isfinite(q))
    np.testing.assert_allclose(s, 0.8 * vikor_sr(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES)[0])
    assert np.all(r <= 0.8 * 0.5 + 1e-15)


def test_degenerate_s_term_is_dropped() -> None:
    # N = [0, 1], [1, 0], [0.5, 0.5]; w N = [0, 0.5], [0.5, 0], [0.25, 0.25]
    # S = 0.5 for every option (degenerate), R = [0.5, 0.5, 0.25]: Q = (1 - v) * R term
    matrix = [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]
    s, r = vikor_sr(matrix, [0.5, 0.5], [1, 1])
    np.testing.assert_allclose(s, [0.5, 0.5, 0.5])
    np.testing.assert_allclose(r, [0.5, 0.5, 0.25])
    np.testing.assert_allclose(vikor(matrix, [0.5, 0.5], [1, 1], v=0.3), [0.7, 0.7, 0.0])


def test_degenerate_r_term_is_dropped() -> None:
    # N = [1, 0, 0], [1, 1, 0], [0, 1, 1] with w = 1/3 each:
    # S = [1/3, 2/3, 2/3], R = 1/3 for every option (degenerate): Q = v * S term
    matrix = [[0.0, 1.0, 1.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    w = np.full(3, 1 / 3)
    s, r = vikor_sr(matrix, w, [1, 1, 1])
    np.testing.assert_allclose(s, [1 / 3, 2 / 3, 2 / 3])
    np.testing.assert_allclose(r, [1 / 3, 1 / 3, 1 / 3])
    np.testing.assert_allclose(vikor(matrix, w, [1, 1, 1], v=0.4), [0.0, 0.4, 0.4])


def test_both_terms_degenerate_give_zero() -> None:
    np.testing.assert_array_equal(vikor(np.ones((4, 3)), [0.2, 0.3, 0.5], [1, -1, 1]), 0.0)
    np.testing.assert_array_equal(vikor([[1.0, 2.0]], [0.5, 0.5], [1, -1]), [0.0])


def test_one_criterion_ranks_by_it() -> None:
    np.testing.assert_allclose(vikor([[3.0], [1.0], [2.0]], [1.0], [-1]), [1.0, 0.0, 0.5])


@pytest.mark.parametrize("v", [-0.1, 1.5])
def test_v_outside_unit_interval_is_refused(v: float) -> None:
    with pytest.raises(ValueError, match="v must be in"):
        vikor(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES, v=v)
