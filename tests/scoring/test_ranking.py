"""Ranks with tolerance ties, id-ordered ties, and strict per-draw positions."""

from __future__ import annotations

import numpy as np
import pytest

from evaluator.scoring import order, rank, rank_positions, tie_groups


def test_average_ranks_for_ties() -> None:
    np.testing.assert_array_equal(rank([0.9, 0.5, 0.5, 0.1]), [1.0, 2.5, 2.5, 4.0])
    np.testing.assert_array_equal(rank([0.2, 0.2, 0.2]), [2.0, 2.0, 2.0])


def test_floating_point_split_ties_are_ties() -> None:
    # 0.6 and 0.6000000000000001 (the constant_criterion case in the peers' notes)
    a = 0.1 * 6
    b = 0.6
    assert a != b
    np.testing.assert_array_equal(rank([a, 0.3, b]), [1.5, 3.0, 1.5])


def test_tolerance_is_relative_to_the_largest_score() -> None:
    big = 1e6
    np.testing.assert_array_equal(rank([big, big - 1e-4, big - 1.0]), [1.5, 1.5, 3.0])
    np.testing.assert_array_equal(rank([1.0, 1.0 - 1e-8]), [1.0, 2.0])


def test_ties_chain() -> None:
    # successive gaps of 0.6e-9 each are within tolerance, so all three are one group
    scores = [1.0, 1.0 - 0.6e-9, 1.0 - 1.2e-9]
    np.testing.assert_array_equal(tie_groups(scores), [0, 0, 0])


def test_lower_is_better_direction() -> None:
    np.testing.assert_array_equal(rank([0.0, 1.0, 0.4], higher_is_better=False), [1.0, 3.0, 2.0])
    np.testing.assert_array_equal(order([0.0, 1.0, 0.4], higher_is_better=False), [0, 2, 1])


def test_order_breaks_ties_by_id() -> None:
    scores = [0.5, 0.9, 0.5, 0.5]
    ids = ["delta", "alpha", "charlie", "bravo"]
    np.testing.assert_array_equal(order(scores, ids), [1, 3, 2, 0])
    np.testing.assert_array_equal(order(scores), [1, 0, 2, 3])


def test_single_option() -> None:
    np.testing.assert_array_equal(rank([3.0]), [1.0])
    np.testing.assert_array_equal(order([3.0], ["x"]), [0])
    np.testing.assert_array_equal(rank_positions(np.zeros((4, 1))), np.zeros((4, 1)))


def test_rank_positions_break_exact_ties_by_id() -> None:
    scores = np.array([[0.2, 0.5, 0.5], [0.9, 0.1, 0.9], [0.3, 0.3, 0.3]])
    np.testing.assert_array_equal(rank_positions(scores), [[2, 0, 1], [0, 2, 1], [0, 1, 2]])
    ids = ["c", "b", "a"]  # id order is option 2, 1, 0
    np.testing.assert_array_equal(rank_positions(scores, ids), [[2, 1, 0], [1, 2, 0], [2, 1, 0]])
    np.testing.assert_array_equal(
        rank_positions(scores, higher_is_better=False), [[0, 1, 2], [1, 0, 2], [0, 1, 2]]
    )


def test_rank_positions_are_permutations_and_match_order() -> None:
    rng = np.random.default_rng(7)
    scores = rng.integers(0, 4, size=(500, 6)).astype(float)  # many exact ties
    ids = ["f", "e", "d", "c", "b", "a"]
    positions = rank_positions(scores, ids)
    np.testing.assert_array_equal(np.sort(positions, axis=1), np.tile(np.arange(6), (500, 1)))
    for row, pos in zip(scores, positions, strict=True):
        expected = np.empty(6, dtype=int)
        expected[order(row, ids, rtol=0.0)] = np.arange(6)
        np.testing.assert_array_equal(pos, expected)


def test_rank_positions_of_a_stack_of_stacks() -> None:
    scores = np.random.default_rng(0).random((3, 4, 5))
    positions = rank_positions(scores)
    np.testing.assert_array_equal(positions[1, 2], rank_positions(scores[1, 2]))


def test_misuse() -> None:
    with pytest.raises(ValueError, match="1-D"):
        rank(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="NaN"):
        rank([1.0, np.nan])
    with pytest.raises(ValueError, match="2 ids for 3 scores"):
        order([1.0, 2.0, 3.0], ["a", "b"])
