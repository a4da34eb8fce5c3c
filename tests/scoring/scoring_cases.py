"""Shared cases for the scoring tests: a hand-checked 3 x 3 problem and seeded random ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

# The hand-checked case used by every method's tiny test (numbers worked in each test).
#          c0 (benefit)  c1 (benefit)  c2 (cost)
HAND_MATRIX = np.array(
    [
        [2.0, 4.0, 3.0],  # a0
        [4.0, 2.0, 1.0],  # a1
        [1.0, 2.0, 2.0],  # a2
    ]
)
HAND_WEIGHTS = np.array([0.5, 0.3, 0.2])
HAND_TYPES = np.array([1, 1, -1])


@dataclass(frozen=True)
class Problem:
    """A random decision problem: matrix, weights summing to 1, types."""

    matrix: FloatArray
    weights: FloatArray
    types: npt.NDArray[np.int64]


MakeProblem = Callable[..., Problem]


def make_problem_case(
    seed: int = 0,
    n_options: int = 6,
    n_criteria: int = 4,
    *,
    k: int | None = None,
    low: float = 1.0,
    high: float = 10.0,
) -> Problem:
    rng = np.random.default_rng(seed)
    shape = (n_options, n_criteria) if k is None else (k, n_options, n_criteria)
    matrix = rng.uniform(low, high, shape)
    wshape = (n_criteria,) if k is None else (k, n_criteria)
    weights = rng.dirichlet(np.ones(n_criteria), size=None if k is None else k).reshape(wshape)
    types = rng.choice(np.array([1, -1]), n_criteria)
    types[0] = 1  # at least one benefit criterion
    return Problem(matrix, weights, types)
