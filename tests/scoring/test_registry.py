"""The method registry, the validating ``score`` entry point and the normalization fallback."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scoring_cases import HAND_MATRIX, HAND_TYPES, HAND_WEIGHTS

from evaluator.scoring import (
    DEFAULT_METHOD,
    METHOD_IDS,
    METHODS,
    NonPositiveEntryError,
    contributions,
    get_method,
    promethee_ii,
    resolve_normalization,
    score,
    topsis,
    vikor,
    weighted_product,
    weighted_sum,
)

ZERO_MATRIX = np.array([[0.0, 2.0, 3.0], [4.0, 2.0, 1.0], [1.0, 2.0, 2.0]])


def test_registry_contents() -> None:
    assert METHOD_IDS == ("weighted-sum", "weighted-product", "topsis", "promethee-ii", "vikor")
    assert DEFAULT_METHOD == "weighted-sum"
    expected = {
        "weighted-sum": (weighted_sum, "minmax", True, True),
        "weighted-product": (weighted_product, "sum", True, True),
        "topsis": (topsis, "vector", True, False),
        "promethee-ii": (promethee_ii, None, True, False),
        "vikor": (vikor, None, False, False),
    }
    for method_id, (kernel, default, higher, decomposes) in expected.items():
        spec = METHODS[method_id]
        assert spec.id == method_id
        assert spec.kernel is kernel
        assert spec.default_normalization == default
        assert spec.takes_normalization is (default is not None)
        assert spec.higher_is_better is higher
        assert spec.decomposes is decomposes
    with pytest.raises(dataclasses.FrozenInstanceError):
        METHODS["vikor"].higher_is_better = True  # type: ignore[misc]


def test_unknown_method_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown method 'electre'; known: weighted-sum, "):
        get_method("electre")
    with pytest.raises(ValueError, match="unknown method"):
        score(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES, method="electre")


@pytest.mark.parametrize("method", METHOD_IDS)
def test_score_equals_the_kernel(method: str) -> None:
    spec = get_method(method)
    expected = spec.kernel(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES)
    np.testing.assert_array_equal(score(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES, method), expected)


def test_score_passes_options() -> None:
    np.testing.assert_array_equal(
        score(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES, "vikor", v=0.2),
        vikor(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES, v=0.2),
    )
    np.testing.assert_array_equal(
        score(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES, "promethee-ii", preference="gaussian"),
        promethee_ii(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES, "gaussian"),
    )
    np.testing.assert_array_equal(
        score(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES, "topsis", "minmax"),
        topsis(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES, "minmax"),
    )


@pytest.mark.parametrize(
    ("matrix", "weights", "types", "message"),
    [
        (np.ones(3), [1.0], [1], r"got shape \(3,\)"),
        (
            np.ones((2, 3)),
            [0.5, 0.5],
            [1, 1, 1],
            r"matrix has shape \(2, 3\).*weights have shape \(2,\)",
        ),
        (np.ones((2, 0)), [], [], r"m, n >= 1"),
        (np.ones((4, 2, 3)), np.full((3, 3), 1 / 3), [1, 1, 1], r"stack of 4 matrices"),
        (np.ones((2, 3)), np.full(3, 1 / 3), [1, 0, 1], r"types must have shape \(3,\)"),
        (np.ones((2, 3)), np.full(3, 1 / 3), [1, 1], r"types must have shape \(3,\)"),
        (
            [[1.0, np.nan], [1.0, 2.0]],
            [0.5, 0.5],
            [1, 1],
            r"non-finite entry: nan at index \(0, 1\)",
        ),
        ([[1.0, np.inf], [1.0, 2.0]], [0.5, 0.5], [1, 1], r"non-finite"),
        (np.ones((2, 2)), [np.nan, 0.5], [1, 1], r"weights \(2,\) have a non-finite"),
        (np.ones((2, 2)), [1.5, -0.5], [1, 1], r"non-negative"),
        (np.ones((2, 2)), [0.5, 0.6], [1, 1], r"sum to 1 .* sums to 1.1"),
        (np.ones((2, 2)), [[0.5, 0.5], [0.2, 0.2]], [1, 1], r"sums to 0.4"),
        ([[1.0, 2.0], [3.0]], [0.5, 0.5], [1, 1], r"matrix must be numeric and rectangular"),
    ],
)
def test_score_refuses_misuse(matrix: object, weights: object, types: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        score(matrix, weights, types)  # type: ignore[arg-type]


def test_weight_sum_tolerance_is_1e9() -> None:
    score(HAND_MATRIX, HAND_WEIGHTS + np.array([5e-10, 0.0, 0.0]), HAND_TYPES)
    with pytest.raises(ValueError, match="sum to 1"):
        score(HAND_MATRIX, HAND_WEIGHTS + np.array([5e-9, 0.0, 0.0]), HAND_TYPES)


def test_normalization_arguments() -> None:
    with pytest.raises(ValueError, match="takes no normalization"):
        score(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES, "vikor", "minmax")
    with pytest.raises(ValueError, match="unknown normalization 'max'"):
        score(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES, "topsis", "max")


def test_score_refuses_zeros_for_ratio_normalizations() -> None:
    with pytest.raises(NonPositiveEntryError) as info:
        score(ZERO_MATRIX, HAND_WEIGHTS, HAND_TYPES, "weighted-product")
    assert info.value.criterion_index == 0
    with pytest.raises(NonPositiveEntryError):
        score(ZERO_MATRIX, HAND_WEIGHTS, HAND_TYPES, "weighted-sum", "linear")


def test_batched_score_validates_and_broadcasts() -> None:
    weights = np.array([HAND_WEIGHTS, [0.2, 0.2, 0.6]])
    scores = score(HAND_MATRIX, weights, HAND_TYPES, "topsis")
    assert scores.shape == (2, 3)
    stack = np.stack([HAND_MATRIX, HAND_MATRIX + 1.0])
    assert score(stack, HAND_WEIGHTS, HAND_TYPES).shape == (2, 3)
    assert score(stack, weights, HAND_TYPES, "vikor").shape == (2, 3)


class TestResolveNormalization:
    """The pipeline's fallback to offset-minmax, and the refusal of explicit ratio rules."""

    @pytest.mark.parametrize(
        ("method", "expected"),
        [
            ("weighted-sum", "minmax"),
            ("weighted-product", "sum"),
            ("topsis", "vector"),
            ("promethee-ii", None),
            ("vikor", None),
        ],
    )
    def test_defaults_on_positive_data(self, method: str, expected: str | None) -> None:
        assert resolve_normalization(HAND_MATRIX, HAND_TYPES, method, None) == (expected, None)

    def test_weighted_product_default_falls_back_on_zero(self) -> None:
        used, reason = resolve_normalization(ZERO_MATRIX, HAND_TYPES, "weighted-product", None)
        assert used == "offset-minmax"
        assert reason is not None
        assert "criterion column 0 holds" in reason
        assert "'sum'" in reason
        assert "offset-minmax" in reason
        score(ZERO_MATRIX, HAND_WEIGHTS, HAND_TYPES, "weighted-product", used)

    def test_reason_names_every_column(self) -> None:
        matrix = np.array([[0.0, 1.0, -2.0], [1.0, 1.0, 1.0]])
        _, reason = resolve_normalization(matrix, HAND_TYPES, "weighted-product", None)
        assert reason is not None
        assert "criterion columns 0, 2 hold" in reason

    @pytest.mark.parametrize("method", ["weighted-sum", "topsis"])
    def test_zero_safe_defaults_are_kept(self, method: str) -> None:
        used, reason = resolve_normalization(ZERO_MATRIX, HAND_TYPES, method, None)
        assert used == get_method(method).default_normalization
        assert reason is None

    @pytest.mark.parametrize("method", ["weighted-sum", "weighted-product", "topsis"])
    @pytest.mark.parametrize("requested", ["sum", "linear"])
    def test_explicit_ratio_rule_raises_on_zero(self, method: str, requested: str) -> None:
        with pytest.raises(NonPositiveEntryError, match="offset-minmax") as info:
            resolve_normalization(ZERO_MATRIX, HAND_TYPES, method, requested)
        assert info.value.criterion_index == 0

    def test_explicit_minmax_for_weighted_product_raises(self) -> None:
        with pytest.raises(NonPositiveEntryError):
            resolve_normalization(HAND_MATRIX, HAND_TYPES, "weighted-product", "minmax")

    def test_explicit_choice_is_kept(self) -> None:
        assert resolve_normalization(ZERO_MATRIX, HAND_TYPES, "weighted-sum", "vector") == (
            "vector",
            None,
        )
        assert resolve_normalization(HAND_MATRIX, HAND_TYPES, "topsis", "sum") == ("sum", None)

    def test_stack_falls_back_if_any_draw_has_a_zero(self) -> None:
        stack = np.stack([HAND_MATRIX, ZERO_MATRIX])
        used, _ = resolve_normalization(stack, HAND_TYPES, "weighted-product", None)
        assert used == "offset-minmax"

    def test_methods_without_normalization(self) -> None:
        used, reason = resolve_normalization(HAND_MATRIX, HAND_TYPES, "vikor", "vector")
        assert used is None
        assert reason is not None
        assert "'vector' was not applied" in reason

    def test_unknown_names(self) -> None:
        with pytest.raises(ValueError, match="unknown normalization"):
            resolve_normalization(HAND_MATRIX, HAND_TYPES, "weighted-sum", "max")
        with pytest.raises(ValueError, match="unknown method"):
            resolve_normalization(HAND_MATRIX, HAND_TYPES, "saw", None)


def test_contributions() -> None:
    parts = contributions("weighted-sum", HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES)
    assert parts is not None
    np.testing.assert_allclose(
        parts.sum(axis=1), weighted_sum(HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES)
    )
    for method in ("topsis", "promethee-ii", "vikor"):
        assert contributions(method, HAND_MATRIX, HAND_WEIGHTS, HAND_TYPES) is None
    stacked = contributions(
        "weighted-product", HAND_MATRIX, np.array([HAND_WEIGHTS, [0.2, 0.2, 0.6]]), HAND_TYPES
    )
    assert stacked is not None
    assert stacked.shape == (2, 3, 3)
