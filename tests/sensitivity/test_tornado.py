"""Tornado: scores at low and high weights, swing of the winner, sorted by |swing|."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pytest

from evaluator.sensitivity import tornado

FloatArray = npt.NDArray[np.float64]
ScoreFn = Callable[[FloatArray, FloatArray], FloatArray]

V = np.array([[0.9, 0.2, 0.5], [0.4, 0.8, 0.6], [0.1, 0.6, 1.0]])
W = (0.5, 0.3, 0.2)
CRITERIA = ["security", "alliances", "values"]
OPTIONS = ["A", "B", "C"]


def test_worked_example(linear: ScoreFn) -> None:
    """notes 5.3 values: at w_security = 0.25 the others get 0.75 x (0.6, 0.4)."""
    items = tornado(linear, V, W, criteria=CRITERIA, options=OPTIONS)
    assert [i.criterion for i in items] == ["security", "alliances", "values"]
    first = items[0]
    assert (first.low_weight, first.high_weight) == (0.25, 0.75)
    assert first.low["A"] == pytest.approx(0.25 * 0.9 + 0.75 * (0.6 * 0.2 + 0.4 * 0.5))
    assert first.high["C"] == pytest.approx(0.75 * 0.1 + 0.25 * (0.6 * 0.6 + 0.4 * 1.0))
    assert first.winner == "A"
    assert first.swing == pytest.approx(first.high["A"] - first.low["A"])
    assert items[1].swing < 0  # more weight on alliances hurts A
    swings = [abs(i.swing) for i in items]
    assert swings == sorted(swings, reverse=True)


def test_json_shape(linear: ScoreFn) -> None:
    item = tornado(linear, V, W, criteria=CRITERIA, options=OPTIONS)[0].to_dict()
    assert list(item) == ["criterion", "low_weight", "high_weight", "low", "high", "swing"]
    low = item["low"]
    assert isinstance(low, dict)
    assert set(low) == set(OPTIONS)


def test_bounds_are_capped_and_overridable(linear: ScoreFn) -> None:
    items = tornado(
        linear,
        V,
        (0.8, 0.2, 0.0),
        criteria=CRITERIA,
        options=OPTIONS,
        spread=0.5,
        bounds={"alliances": (0.1, 0.6)},
    )
    by_id = {i.criterion: i for i in items}
    assert (by_id["security"].low_weight, by_id["security"].high_weight) == (0.4, 1.0)
    assert (by_id["alliances"].low_weight, by_id["alliances"].high_weight) == (0.1, 0.6)
    assert (by_id["values"].low_weight, by_id["values"].high_weight, by_id["values"].swing) == (
        0.0,
        0.0,
        0.0,
    )
    assert items[-1].criterion == "values"


def test_weight_one_uses_equal_shares(linear: ScoreFn) -> None:
    item = tornado(linear, V, (1.0, 0.0, 0.0), criteria=CRITERIA, options=OPTIONS)
    first = next(i for i in item if i.criterion == "security")
    assert first.low_weight == 0.5
    assert first.low["B"] == pytest.approx(0.5 * 0.4 + 0.25 * 0.8 + 0.25 * 0.6)


def test_lower_is_better_and_tie_by_id(linear: ScoreFn) -> None:
    def negated(matrix: FloatArray, weights: FloatArray) -> FloatArray:
        return -linear(matrix, weights)

    up = tornado(linear, V, W, criteria=CRITERIA, options=OPTIONS)
    down = tornado(negated, V, W, criteria=CRITERIA, options=OPTIONS, higher_is_better=False)
    assert [i.winner for i in down] == [i.winner for i in up]
    assert [i.swing for i in down] == [-i.swing for i in up]

    twins = np.array([[0.5, 0.5, 0.5], [0.5, 0.5, 0.5], [0.1, 0.1, 0.1]])
    items = tornado(linear, twins, W, criteria=CRITERIA, options=["b", "a", "c"])
    assert {i.winner for i in items} == {"a"}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"spread": 1.5},
        {"bounds": {"nope": (0.1, 0.2)}},
        {"bounds": {"values": (0.3, 0.2)}},
        {"criteria": ["x", "y"]},
        {"options": ["A", "B"]},
    ],
)
def test_rejects_bad_input(linear: ScoreFn, kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {"criteria": CRITERIA, "options": OPTIONS, **kwargs}
    with pytest.raises(ValueError):
        tornado(linear, V, W, **args)  # type: ignore[arg-type]
