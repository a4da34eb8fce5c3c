"""Evidence model v2 on a hand-checked library (tests/assets/v2), DESIGN.md section 4.

Options (rows w, x, y, z) and criteria (gain: benefit, harm: cost, feasibility):
- x: benefit on gain 4 x 0.5 = 2; risk on gain 2 x 1 x 1.0 = 2 -> gain G - H = 0;
  benefit on the cost criterion 2 x 0.5 = 1 -> harm H - G = -1; precondition 0.5.
- y: gain 2 x 1 = 2; harm 3 x 0.5 x 0.75 = 1.125; feasibility declared unaffected (1).
- z: harm 1 x 1 x 1.0 = 1; silent on gain and feasibility: two gaps.
- w: includes x (same items) plus harm 2 x 0.5 x 0.5 = 0.5 -> harm -1 + 0.5 = -0.5,
  gain 0, feasibility 0.5.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import MINI, V2

from evaluator import evaluate, load_library
from evaluator.evidence import GAP, compile_evidence

LIB = load_library(V2)
KNOWN = np.array([[0.0, -0.5, 0.5], [0.0, -1.0, 0.5], [2.0, 1.125, 1.0]])  # w, x, y


def matrix(**kwargs: object) -> np.ndarray:
    return compile_evidence(LIB, **kwargs).point_matrix()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("gaps", "z_row"),
    [
        ("neutral", [0.0, 1.0, 0.5]),  # medians of the known: gain 0, feasibility 0.5
        ("zero", [0.0, 1.0, 1.0]),  # silence read as no effect: 0, feasibility 1
        ("worst", [0.0, 1.0, 0.5]),  # the lowest known gain, the lowest known feasibility
    ],
)
def test_gain_minus_harm_in_both_directions_and_each_gap_policy(
    gaps: str, z_row: list[float]
) -> None:
    np.testing.assert_allclose(matrix(gaps=gaps), np.vstack([KNOWN, z_row]), atol=1e-12)


def test_coverage_and_gaps_are_reported() -> None:
    ev = compile_evidence(LIB)
    assert ev.gap_cells == [("z", "gain"), ("z", "feasibility")]
    assert ev.coverage_labels()["y"]["feasibility"] == "unaffected"
    assert ev.coverage_labels()["w"]["gain"] == "evidence"  # through includes
    assert ev.parameters == ("gap z gain", "gap z feasibility")


def test_expected_feasibility_scales_gains_only_and_fills_gaps_after_gating() -> None:
    # x: gain 4 x 0.5 x 0.5 (gated) - 2 = -1; harm -(1 x 0.5) = -0.5; w likewise with its
    # own 0.5 harm; z's gain gap is the median of the gated known gains (-1, -1, 2).
    np.testing.assert_allclose(
        matrix(feasibility="expected"),
        [[-1.0, 0.0, 0.5], [-1.0, -0.5, 0.5], [2.0, 1.125, 1.0], [-1.0, 1.0, 0.5]],
        atol=1e-12,
    )


def test_own_lens_drops_unassessed_items_and_keeps_pooled_preconditions() -> None:
    ev = compile_evidence(LIB, lens="s2", lens_mode="own")
    # s2 assesses only x-lost-gain, y-harm and w-harm. Gain: -2 for w and x, gaps for y
    # and z (median -2). Harm: x and z become gaps, filled with median(0.5, 1.125).
    np.testing.assert_allclose(
        ev.point_matrix(),
        [[-2.0, 0.5, 0.5], [-2.0, 0.8125, 0.5], [-2.0, 1.125, 1.0], [-2.0, 0.8125, 0.5]],
        atol=1e-12,
    )
    assert ev.lens is not None
    assert "x-pre" in ev.lens.not_assessed  # kept at its pooled likelihood, flagged
    assert ev.lens.options_not_discussed == ("z",)
    assert ev.discussed == (True, True, True, False)
    assert ev.coverage[3, 1] == GAP  # z's only item is s1's


def test_fallback_lens_keeps_pooled_values_where_the_source_is_silent() -> None:
    np.testing.assert_allclose(
        matrix(lens="s2", lens_mode="fallback"), matrix(), atol=1e-12
    )  # s2's own values equal the pooled ones here: each item has one source


def test_included_items_are_the_same_parameters() -> None:
    lib = LIB.model_copy(
        update={
            "options": [
                o.model_copy(
                    update={
                        "preconditions": [
                            p.model_copy(
                                update={
                                    "assessments": [
                                        a.model_copy(update={"likelihood": "likely"})
                                        for a in p.assessments
                                    ]
                                }
                            )
                            for p in o.preconditions
                        ]
                    }
                )
                for o in LIB.options
            ]
        }
    )
    ev = compile_evidence(lib)
    assert ev.parameters.count("x-pre likelihood (s1)") == 1
    draws = ev.sample_matrices(np.random.default_rng(1), 200)
    # w and x share x's precondition: their feasibility is one draw, not two.
    np.testing.assert_array_equal(draws[:, 0, 2], draws[:, 1, 2])
    assert np.ptp(draws[:, 1, 2]) > 0


def test_neutral_gap_draws_stay_within_the_known_range() -> None:
    ev = compile_evidence(LIB)
    draws = ev.sample_matrices(np.random.default_rng(2), 500)
    z_gain = draws[:, 3, 0]
    assert z_gain.min() >= 0.0 - 1e-12
    assert z_gain.max() <= 2.0 + 1e-12
    assert np.ptp(z_gain) > 1.0  # really sampled across the range


def test_every_method_gives_a_result_with_negative_values() -> None:
    for method in ("weighted-sum", "weighted-product", "topsis", "promethee-ii", "vikor"):
        result = evaluate(V2, method=method)
        assert np.all(np.isfinite(result.scores))
    wp = evaluate(V2, method="weighted-product")
    assert wp.setup.normalization == "offset-minmax"


def test_gaps_zero_reproduces_the_first_release_on_a_library_without_gaps() -> None:
    # The mini library declares every silent cell and rates its benefits at likelihood 1:
    # every policy gives the first release's matrix.
    for gaps in ("neutral", "zero", "worst"):
        np.testing.assert_array_equal(
            evaluate(MINI, gaps=gaps).matrix, evaluate(MINI, gaps="zero").matrix
        )


def test_winner_by_gap_policy_and_score_json() -> None:
    doc = evaluate(V2).to_dict()
    assert doc["gaps"] == "neutral"
    assert doc["coverage"]["z"]["gain"] == "gap"
    assert set(doc["winner_by_gap_policy"]) == {"neutral", "zero", "worst"}
    assert doc["depends_on_gaps"] is (len(set(doc["winner_by_gap_policy"].values())) > 1)


def test_min_feasibility_excludes_and_lists() -> None:
    result = evaluate(V2, min_feasibility=0.9)
    assert result.option_ids == ("y",)
    assert set(result.setup.excluded) == {"w", "x", "z"}
    assert any("excluded" in n for n in result.notes)


def test_options_subset_ranks_only_those() -> None:
    assert evaluate(V2, options=("x", "y")).option_ids == ("x", "y")
