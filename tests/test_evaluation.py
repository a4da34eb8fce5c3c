"""The Python API on the example library: hand-checked matrix, weights, lens, assumptions."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import MINI

from evaluator import InputError, load_library
from evaluator.evaluation import compare, evaluate, kendall_tau_b
from evaluator.evidence import compile_evidence

LIB = load_library(MINI)


def test_point_matrix_hand_checked() -> None:
    ev = compile_evidence(LIB)
    assert ev.criterion_ids == ("safety", "support", "cost-burden", "ecology-harm", "feasibility")
    expected = np.array(
        [
            # levee: cost 4 x 0.97 (almost certain) x 1.0 (no); ecology 3.5 x 0.675 x 0.75
            [5.0, 0.0, 3.88, 3.5 * 0.675 * 0.75, 1.0],
            # relocation: cost 3 x 0.675 x 0.75; feasibility midpoint of [0.3, 0.5]
            [5.0, 0.0, 3 * 0.675 * 0.75, 0.0, 0.4],
            # wetland: safety [2, 3] -> 2.5; cost 2 x mean(0.5, 0.1) x mean(0.5, 0.5);
            # feasibility 'unlikely' midpoint 0.325
            [2.5, 4.0, 2 * 0.3 * 0.5, 0.0, 0.325],
        ]
    )
    np.testing.assert_allclose(ev.point_matrix(), expected, rtol=0, atol=1e-12)


def test_lens_uses_the_sources_own_view_and_flags_silence() -> None:
    ev = compile_evidence(LIB, lens="review")
    # review alone rates the wetland risk at 0.1: 2 x 0.1 x 0.5
    assert ev.point_matrix()[2, 2] == pytest.approx(0.1)
    assert ev.lens is not None
    # Benefits count too since evidence model v2: review asserts neither gazette benefit.
    assert ev.lens.not_assessed == (
        "levee-protects-town",
        "levee-cost",
        "relocation-resistance",
        "compensation",
        "wetland-soaks",
    )
    assert ev.lens.options_not_discussed == ()


def test_lens_marks_options_a_source_never_discusses(mini_copy) -> None:  # type: ignore[no-untyped-def]
    path = mini_copy / "options" / "relocation.yaml"
    path.write_text(
        path.read_text()
        .replace("- source: review", "- source: gazette")
        .replace(
            "quote: Relocating the lower town would end the flood risk for good",
            "quote: A higher levee would protect the lower town from the spring floods",
        )
    )
    result = evaluate(mini_copy, lens="review")
    assert result.lens is not None
    assert result.lens.options_not_discussed == ("relocation",)
    rows = {r["option"]: r for r in result.to_dict()["ranking"]}
    assert rows["relocation"]["discussed"] is False


def test_assumptions_force_preconditions() -> None:
    met = compile_evidence(LIB, assume={"farmers-sell": 1.0}).point_matrix()
    failed = compile_evidence(LIB, assume={"farmers-sell": 0.0}).point_matrix()
    assert (met[2, -1], failed[2, -1]) == (1.0, 0.0)


def test_expected_feasibility_gates_benefits_and_zeroes_its_weight() -> None:
    result = evaluate(LIB, feasibility="expected")
    assert result.weights[-1] == 0.0
    assert result.weights.sum() == pytest.approx(1.0)
    assert result.matrix[2, 0] == pytest.approx(2.5 * 0.325)  # wetland safety x feasibility
    assert result.matrix[2, 2] == pytest.approx(0.3)  # risks are not gated
    assert any("feasibility expected" in n for n in result.notes)


def test_weighted_sum_scores_and_contributions_by_hand() -> None:
    result = evaluate(LIB)  # balanced: 0.2 each, minmax
    # wetland: safety (2.5-2.5)/2.5=0, support 1, cost (3.88-0.3)/(3.88-0.3)=1, ecology 1, feas 0
    by_id = dict(zip(result.option_ids, result.scores, strict=True))
    assert by_id["wetland"] == pytest.approx(0.6)
    assert result.contributions is not None
    np.testing.assert_allclose(result.contributions.sum(axis=1), result.scores)
    assert [result.option_ids[i] for i in result.order] == ["wetland", "relocation", "levee"]


def test_weight_override_is_relative_to_profile() -> None:
    result = evaluate(LIB, weights={"safety": 0.6})
    # balanced normalized is 0.2 each; safety set to 0.6 -> [0.6, .2, .2, .2, .2] / 1.4
    np.testing.assert_allclose(result.weights, np.array([0.6, 0.2, 0.2, 0.2, 0.2]) / 1.4)


def test_ranking_profile_gives_roc_weights_with_shared_ties() -> None:
    result = evaluate(LIB, profile="safety-first")
    roc = np.array([137, 77, 47, 27, 12]) / 300  # ROC for n = 5: (1/5) sum_{k>=r} 1/k
    w = dict(zip(result.criterion_ids, result.weights, strict=True))
    assert w["safety"] == pytest.approx(roc[0])
    assert w["cost-burden"] == pytest.approx((roc[1] + roc[2]) / 2)
    assert w["ecology-harm"] == pytest.approx((roc[1] + roc[2]) / 2)
    assert w["support"] == pytest.approx(roc[4])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"profile": "nope"}, "profiles are: balanced, safety-first, thrift"),
        ({"method": "ahp"}, "methods are: weighted-sum"),
        ({"lens": "nope"}, "sources are: gazette, review"),
        ({"assume": {"nope": "met"}}, "preconditions are: compensation, farmers-sell"),
        ({"assume": {"compensation": "1.5"}}, "must be in [0, 1]"),
        ({"weights": {"nope": 1.0}}, "criteria are: safety"),
        (
            {
                "weights": dict.fromkeys(
                    ("safety", "support", "cost-burden", "ecology-harm", "feasibility"), 0.0
                )
            },
            "must not all be zero",
        ),
        ({"normalization": "sum"}, "criterion 'support' can take a zero"),
        ({"ranking": "safety,support"}, "leaves out cost-burden"),
    ],
)
def test_user_errors_name_known_choices(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        evaluate(LIB, **kwargs)  # type: ignore[arg-type]


def test_every_method_gives_a_result_on_a_library_with_zeros() -> None:
    for method in ("weighted-sum", "weighted-product", "topsis", "promethee-ii", "vikor"):
        result = evaluate(LIB, method=method)
        assert np.all(np.isfinite(result.scores))
    wp = evaluate(LIB, method="weighted-product")
    assert wp.setup.normalization == "offset-minmax"
    # feasibility too: a what-if can force a precondition to fail (feasibility 0).
    assert "criteria support, ecology-harm, feasibility can be zero or negative" in wp.notes[0]


def test_tables_are_labelled_dataframes() -> None:
    result = evaluate(LIB)
    assert list(result.ranking_table.index) == ["wetland", "relocation", "levee"]
    assert result.matrix_table.loc["levee", "cost-burden"] == pytest.approx(3.88)
    assert result.normalized_table is not None
    assert result.contributions_table is not None


def test_compare_columns_and_tau() -> None:
    result = compare(
        LIB, profiles=["balanced", "thrift"], methods=["weighted-sum", "topsis"], lenses=True
    )
    assert result.columns == (
        "balanced:weighted-sum",
        "balanced:topsis",
        "thrift:weighted-sum",
        "thrift:topsis",
        "lens:gazette",
        "lens:review",
    )
    assert np.allclose(np.diag(result.tau), 1.0)
    doc = result.to_dict()
    assert doc["rows"][0]["option"] == "levee"


def test_lens_columns_use_the_default_profile_and_method() -> None:
    # Selecting thrift and TOPSIS must not change the lens columns (DESIGN.md section 7).
    picked = compare(LIB, profiles=["thrift"], methods=["topsis"], lenses=True)
    default = compare(LIB, profiles=["balanced"], methods=["weighted-sum"], lenses=True)
    assert np.array_equal(picked.ranks[:, -2:], default.ranks[:, -2:])
    review = evaluate(LIB, lens="review")
    assert np.array_equal(picked.ranks[:, -1], review.ranks)


def test_kendall_tau_b_known_values() -> None:
    assert kendall_tau_b(np.array([1.0, 2, 3]), np.array([1.0, 2, 3])) == 1.0
    assert kendall_tau_b(np.array([1.0, 2, 3]), np.array([3.0, 2, 1])) == -1.0
    # one tie: C=2, D=0 of n0=3 pairs, n1=0, n2=1 -> 2 / sqrt(3 * 2)
    assert kendall_tau_b(np.array([1.0, 2, 3]), np.array([1.0, 2.5, 2.5])) == pytest.approx(
        2 / 6**0.5
    )


def test_sampled_matrices_stay_in_range_and_match_point_at_midpoints() -> None:
    ev = compile_evidence(LIB)
    draws = ev.sample_matrices(np.random.default_rng(1), 2000)
    assert draws.shape == (2000, 3, 5)
    assert draws[:, 2, 0].min() >= 2.0
    assert draws[:, 2, 0].max() <= 3.0
    assert abs(draws[:, 2, 0].mean() - 2.5) < 0.05
    assert np.all(draws[:, 0, 0] == 5.0)  # point magnitude never varies


def test_public_api_is_importable_lazily() -> None:
    import subprocess
    import sys

    code = (
        "import sys, evaluator; assert 'numpy' not in sys.modules; "
        "from evaluator import evaluate, compare, analyse_sensitivity, Evaluation; "
        "assert callable(evaluate) and callable(analyse_sensitivity); print('ok')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "ok", done.stderr


def test_kendall_tau_matrix_equals_the_pairwise_tau_b() -> None:
    """The all-columns form (issue 16) equals tau-b per pair, NaN ranks and constants included."""
    import math

    from evaluator.evaluation import kendall_tau_b, kendall_tau_matrix

    rng = np.random.default_rng(0)
    for m, c in [(1, 2), (2, 3), (12, 5), (60, 4)]:
        ranks = rng.integers(1, 6, (m, c)).astype(np.float64)
        ranks[rng.random((m, c)) < 0.15] = np.nan
        ranks[:, 0] = 3.0  # a constant column: tau undefined
        got = kendall_tau_matrix(ranks)
        for a in range(c):
            for b in range(c):
                want = kendall_tau_b(ranks[:, a], ranks[:, b])
                assert (math.isnan(want) and math.isnan(got[a, b])) or got[a, b] == want
