"""Agreement with pymcdm on random problems: the same scores to 1e-9 (same formulas).

pymcdm is an optional test dependency. PROMETHEE names map ours -> pymcdm as
linear -> vshape_2, v-shape -> vshape, u-shape -> ushape, level -> level, usual -> usual.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pytest
from scoring_cases import MakeProblem, Problem

from evaluator.scoring import (
    promethee_ii,
    topsis,
    vikor,
    weighted_product,
    weighted_sum,
)

pymcdm_methods = pytest.importorskip("pymcdm.methods")
pn = pytest.importorskip("pymcdm.normalizations")

SHAPES = [(3, 2), (5, 3), (8, 5), (10, 9), (20, 4)]
SEEDS = [0, 1, 2]

PYMCDM_NORMALIZATION = {
    "minmax": pn.minmax_normalization,
    "sum": pn.sum_normalization,
    "linear": pn.linear_normalization,
    "vector": pn.vector_normalization,
}

Ours = Callable[[Problem], np.ndarray]
Theirs = Callable[[Problem], np.ndarray]


def _pymcdm_cases() -> list[tuple[str, Ours, Theirs]]:
    pm = pymcdm_methods
    cases: list[tuple[str, Ours, Theirs]] = []
    for norm in ("minmax", "sum", "linear"):
        cases.append(
            (
                f"weighted_sum-{norm}",
                lambda p, n=norm: weighted_sum(p.matrix, p.weights, p.types, n),
                lambda p, n=norm: pm.WSM(PYMCDM_NORMALIZATION[n])(p.matrix, p.weights, p.types),
            )
        )
    for norm in ("sum", "linear"):
        cases.append(
            (
                f"weighted_product-{norm}",
                lambda p, n=norm: weighted_product(p.matrix, p.weights, p.types, n),
                lambda p, n=norm: pm.WPM(PYMCDM_NORMALIZATION[n])(p.matrix, p.weights, p.types),
            )
        )
    for norm in ("vector", "minmax"):
        cases.append(
            (
                f"topsis-{norm}",
                lambda p, n=norm: topsis(p.matrix, p.weights, p.types, n),
                lambda p, n=norm: pm.TOPSIS(PYMCDM_NORMALIZATION[n])(p.matrix, p.weights, p.types),
            )
        )
    cases.append(
        (
            "promethee_ii-usual",
            lambda p: promethee_ii(p.matrix, p.weights, p.types, "usual"),
            lambda p: pm.PROMETHEE_II("usual")(p.matrix, p.weights, p.types),
        )
    )

    def thresholds(p: Problem) -> tuple[np.ndarray, np.ndarray]:
        spread = np.ptp(p.matrix, axis=0)
        return 0.6 * spread, 0.1 * spread  # p, q

    cases.append(
        (
            "promethee_ii-linear",
            lambda p: promethee_ii(
                p.matrix, p.weights, p.types, "linear", p=thresholds(p)[0], q=thresholds(p)[1]
            ),
            lambda p: pm.PROMETHEE_II("vshape_2", p=thresholds(p)[0], q=thresholds(p)[1])(
                p.matrix, p.weights, p.types
            ),
        )
    )
    cases.append(
        (
            "promethee_ii-linear-defaults",
            lambda p: promethee_ii(p.matrix, p.weights, p.types, "linear"),
            lambda p: pm.PROMETHEE_II(
                "vshape_2", p=np.ptp(p.matrix, axis=0), q=np.zeros(p.matrix.shape[1])
            )(p.matrix, p.weights, p.types),
        )
    )
    cases.append(
        (
            "promethee_ii-v-shape",
            lambda p: promethee_ii(p.matrix, p.weights, p.types, "v-shape", p=thresholds(p)[0]),
            lambda p: pm.PROMETHEE_II("vshape", p=thresholds(p)[0])(p.matrix, p.weights, p.types),
        )
    )
    cases.append(
        (
            "promethee_ii-level",
            lambda p: promethee_ii(
                p.matrix, p.weights, p.types, "level", p=thresholds(p)[0], q=thresholds(p)[1]
            ),
            lambda p: pm.PROMETHEE_II("level", p=thresholds(p)[0], q=thresholds(p)[1])(
                p.matrix, p.weights, p.types
            ),
        )
    )
    cases.append(
        (
            "promethee_ii-u-shape",
            lambda p: promethee_ii(p.matrix, p.weights, p.types, "u-shape", q=thresholds(p)[1]),
            lambda p: pm.PROMETHEE_II("ushape", q=thresholds(p)[1])(p.matrix, p.weights, p.types),
        )
    )
    cases.append(
        (
            "vikor-0.5",
            lambda p: vikor(p.matrix, p.weights, p.types, v=0.5),
            lambda p: pm.VIKOR(v=0.5)(p.matrix, p.weights, p.types),
        )
    )
    return cases


PYMCDM_CASES = _pymcdm_cases()


@pytest.mark.parametrize(("name", "ours", "theirs"), PYMCDM_CASES, ids=[c[0] for c in PYMCDM_CASES])
@pytest.mark.parametrize("shape", SHAPES, ids=[f"{m}x{n}" for m, n in SHAPES])
@pytest.mark.parametrize("seed", SEEDS)
def test_agrees_with_pymcdm(
    make_problem: MakeProblem,
    name: str,
    ours: Ours,
    theirs: Theirs,
    shape: tuple[int, int],
    seed: int,
) -> None:
    problem = make_problem(seed=seed, n_options=shape[0], n_criteria=shape[1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = np.asarray(theirs(problem), dtype=float)
    np.testing.assert_allclose(ours(problem), expected, rtol=0, atol=1e-9, err_msg=name)
