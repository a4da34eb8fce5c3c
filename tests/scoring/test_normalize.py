"""Normalization rules, their pymcdm equivalence and their edge rules."""

from __future__ import annotations

import numpy as np
import pytest
from scoring_cases import HAND_MATRIX, HAND_TYPES, MakeProblem

from evaluator.scoring import NORMALIZATIONS, NonPositiveEntryError, normalize

pn = pytest.importorskip("pymcdm.normalizations")

PYMCDM = {
    "minmax": "minmax_normalization",
    "sum": "sum_normalization",
    "linear": "linear_normalization",
    "vector": "vector_normalization",
}


def test_names_are_the_contract() -> None:
    assert NORMALIZATIONS == ("minmax", "sum", "linear", "vector", "offset-minmax", "none")


def test_hand_checked_minmax() -> None:
    # c0 benefit: (x - 1) / 3; c1 benefit: (x - 2) / 2; c2 cost: (3 - x) / 2
    expected = np.array([[1 / 3, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 0.0, 0.5]])
    np.testing.assert_allclose(normalize(HAND_MATRIX, HAND_TYPES, "minmax"), expected)
    np.testing.assert_allclose(normalize(HAND_MATRIX, HAND_TYPES, "offset-minmax"), 1.0 + expected)


def test_hand_checked_ratio_rules() -> None:
    # sum: c0 / 7, c1 / 8, c2 cost (1/x) / (1/3 + 1 + 1/2 = 11/6)
    expected_sum = np.array([[2 / 7, 0.5, 2 / 11], [4 / 7, 0.25, 6 / 11], [1 / 7, 0.25, 3 / 11]])
    np.testing.assert_allclose(normalize(HAND_MATRIX, HAND_TYPES, "sum"), expected_sum)
    # linear: c0 / 4, c1 / 4, c2 cost 1 / x
    expected_linear = np.array([[0.5, 1.0, 1 / 3], [1.0, 0.5, 1.0], [0.25, 0.5, 0.5]])
    np.testing.assert_allclose(normalize(HAND_MATRIX, HAND_TYPES, "linear"), expected_linear)


def test_hand_checked_vector_and_none() -> None:
    norms = np.sqrt([21.0, 24.0, 14.0])
    unit = HAND_MATRIX / norms
    expected = np.column_stack([unit[:, 0], unit[:, 1], 1.0 - unit[:, 2]])
    np.testing.assert_allclose(normalize(HAND_MATRIX, HAND_TYPES, "vector"), expected)
    expected_none = HAND_MATRIX * np.array([1.0, 1.0, -1.0])
    np.testing.assert_array_equal(normalize(HAND_MATRIX, HAND_TYPES, "none"), expected_none)


@pytest.mark.parametrize("method", sorted(PYMCDM))
@pytest.mark.parametrize("seed", range(5))
def test_agrees_with_pymcdm(make_problem: MakeProblem, method: str, seed: int) -> None:
    problem = make_problem(seed=seed, n_options=7, n_criteria=5)
    fn = getattr(pn, PYMCDM[method])
    expected = np.column_stack(
        [fn(col, cost=t < 0) for col, t in zip(problem.matrix.T, problem.types, strict=True)]
    )
    ours = normalize(problem.matrix, problem.types, method)
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("method", NORMALIZATIONS)
def test_stack_is_normalized_draw_by_draw(make_problem: MakeProblem, method: str) -> None:
    problem = make_problem(seed=3, k=5)
    stacked = normalize(problem.matrix, problem.types, method)
    for i in range(5):
        np.testing.assert_array_equal(
            stacked[i], normalize(problem.matrix[i], problem.types, method)
        )


@pytest.mark.parametrize("method", NORMALIZATIONS)
def test_overwrite_gives_the_same_numbers_in_the_input_where_the_rule_can(
    make_problem: MakeProblem, method: str
) -> None:
    """``overwrite=True`` changes where the result lives, never a number: the min-max rules
    write into the input (flat columns included); the others leave it untouched."""
    problem = make_problem(seed=4, k=6)
    matrix = np.abs(problem.matrix) + 0.5  # the ratio rules need positive entries
    matrix[:, :, 1] = 2.0  # a flat column: min-max sets it to 1 in place
    expected = normalize(matrix, problem.types, method)
    given = matrix.copy()
    result = normalize(given, problem.types, method, overwrite=True)
    assert result.tobytes() == expected.tobytes()
    if method in ("minmax", "offset-minmax"):
        assert result is given
    else:
        assert np.array_equal(given, matrix)
    frozen = matrix.copy()
    frozen.flags.writeable = False  # e.g. a cached matrix: never written, still normalized
    assert normalize(frozen, problem.types, method, overwrite=True).tobytes() == expected.tobytes()
    assert np.array_equal(frozen, matrix)


def test_constant_column_minmax_gives_one() -> None:
    matrix = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    for types in ([1, 1], [1, -1]):
        r = normalize(matrix, types, "minmax")
        np.testing.assert_array_equal(r[:, 1], [1.0, 1.0, 1.0])
        np.testing.assert_array_equal(normalize(matrix, types, "offset-minmax")[:, 1], 2.0)


def test_all_zero_column_vector_gives_zero() -> None:
    matrix = np.array([[1.0, 0.0], [2.0, 0.0], [3.0, 0.0]])
    for types in ([1, 1], [1, -1]):
        r = normalize(matrix, types, "vector")
        np.testing.assert_array_equal(r[:, 1], 0.0)
        assert np.all(np.isfinite(r))


@pytest.mark.parametrize("method", ["minmax", "vector", "offset-minmax", "none"])
def test_zero_safe_rules_take_zeros(method: str) -> None:
    matrix = np.array([[0.0, 1.0], [2.0, 0.0], [3.0, 5.0]])
    assert np.all(np.isfinite(normalize(matrix, [1, -1], method)))


@pytest.mark.parametrize("method", ["sum", "linear"])
@pytest.mark.parametrize("bad", [0.0, -1.0])
def test_ratio_rules_refuse_non_positive_entries(method: str, bad: float) -> None:
    matrix = np.array([[1.0, 2.0, 3.0], [2.0, 3.0, bad], [3.0, 4.0, 5.0]])
    with pytest.raises(NonPositiveEntryError, match="criterion column 2") as info:
        normalize(matrix, [1, -1, 1], method)
    assert info.value.criterion_index == 2
    assert info.value.criterion_indices == (2,)
    assert isinstance(info.value, ValueError)
    assert "offset-minmax" in str(info.value)


def test_error_lists_every_offending_column_in_a_stack() -> None:
    stack = np.ones((3, 2, 4))
    stack[1, 0, 3] = 0.0
    stack[2, 1, 1] = -2.0
    with pytest.raises(NonPositiveEntryError) as info:
        normalize(stack, [1, 1, 1, 1], "sum")
    assert info.value.criterion_indices == (1, 3)
    assert info.value.criterion_index == 1


def test_unknown_name_and_bad_types_are_value_errors() -> None:
    with pytest.raises(ValueError, match="unknown normalization 'max'"):
        normalize(HAND_MATRIX, HAND_TYPES, "max")
    with pytest.raises(ValueError, match=r"types has shape \(2,\)"):
        normalize(HAND_MATRIX, [1, -1], "minmax")
