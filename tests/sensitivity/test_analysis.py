"""analyse_sensitivity and the sensitivity verb on the example library."""

from __future__ import annotations

import json

import numpy as np
import pytest
from helpers import MINI
from typer.testing import CliRunner

from evaluator import load_library
from evaluator.cli import app
from evaluator.evaluation import evaluate
from evaluator.sensitivity import analyse_sensitivity

LIB = load_library(MINI)
runner = CliRunner()
METHODS = ["weighted-sum", "weighted-product", "topsis", "promethee-ii", "vikor"]


def winner_at(method: str, criterion: str, t: float, w0: dict[str, float]) -> str:
    """Brute force: the top option with criterion's weight at t, others rescaled."""
    rest = 1 - w0[criterion]
    weights = {c: (t if c == criterion else w * (1 - t) / rest) for c, w in w0.items()}
    run = evaluate(LIB, method=method, weights=weights)
    return run.option_ids[int(run.order[0])]


@pytest.mark.parametrize("method", ["weighted-sum", "weighted-product"])
def test_exact_intervals_agree_with_a_sweep_through_evaluate(method: str) -> None:
    doc = analyse_sensitivity(LIB, method=method, samples=10, uncertainty=False).to_dict()
    w0 = doc["weights"]
    for criterion, interval in doc["stability"].items():
        assert interval["exact"] is True
        for t in np.linspace(0, 1, 41):
            inside = interval["low"] + 1e-9 < t < interval["high"] - 1e-9
            outside = t < interval["low"] - 1e-6 or t > interval["high"] + 1e-6
            if inside:
                assert winner_at(method, criterion, float(t), w0) == doc["winner"]
            elif outside:
                assert winner_at(method, criterion, float(t), w0) != doc["winner"]


def test_what_ifs_match_forced_evaluations() -> None:
    doc = analyse_sensitivity(LIB, samples=10).to_dict()
    for item in doc["what_ifs"]:
        met = evaluate(LIB, assume={item["precondition"]: "met"})
        failed = evaluate(LIB, assume={item["precondition"]: "failed"})
        assert item["winner_if_met"] == met.option_ids[int(met.order[0])]
        assert item["winner_if_failed"] == failed.option_ids[int(failed.order[0])]


@pytest.mark.parametrize("method", METHODS)
def test_huge_concentration_without_uncertainty_reproduces_ranking(method: str) -> None:
    # thrift, not balanced: at equal weights the mini library has an exact PROMETHEE tie and
    # an exactly degenerate VIKOR R term, where any perturbation legitimately flips the top.
    result = analyse_sensitivity(
        LIB, method=method, profile="thrift", samples=2000, uncertainty=False, concentration=1e9
    )
    doc = result.to_dict()
    assert doc["p_best"][doc["winner"]] == pytest.approx(1.0)


def test_exact_tie_splits_first_place_evenly() -> None:
    # relocation and wetland tie exactly under PROMETHEE II at balanced weights.
    doc = analyse_sensitivity(
        LIB, method="promethee-ii", samples=4000, uncertainty=False, concentration=1e9
    ).to_dict()
    assert doc["p_best"]["relocation"] == pytest.approx(0.5, abs=0.05)
    assert doc["p_best"]["wetland"] == pytest.approx(0.5, abs=0.05)


@pytest.mark.parametrize("method", METHODS)
def test_acceptability_rows_and_columns_sum_to_one(method: str) -> None:
    doc = analyse_sensitivity(LIB, method=method, samples=3000, seed=2).to_dict()
    table = np.array(list(doc["rank_acceptability"].values()))
    np.testing.assert_allclose(table.sum(axis=0), 1.0)
    np.testing.assert_allclose(table.sum(axis=1), 1.0)


def test_sensitivity_json_is_byte_identical_for_a_seed() -> None:
    args = ["sensitivity", str(MINI), "-n", "3000", "--seed", "7", "-f", "json", "-q"]
    first, second = runner.invoke(app, args), runner.invoke(app, args)
    assert first.exit_code == 0
    assert first.stdout == second.stdout
    other = runner.invoke(app, [*args[:4], "--seed", "8", "-f", "json", "-q"])
    assert json.loads(other.stdout)["p_best"] != json.loads(first.stdout)["p_best"]


def test_sensitivity_json_contract() -> None:
    doc = json.loads(
        runner.invoke(app, ["sensitivity", str(MINI), "-n", "500", "-f", "json"]).stdout
    )
    for key in (
        "samples",
        "seed",
        "stability",
        "tornado",
        "rank_acceptability",
        "p_best",
        "central_weights",
        "confidence",
    ):
        assert key in doc
    assert set(doc["stability"]["safety"]) >= {"weight", "low", "high"}
    assert set(doc["tornado"][0]) == {
        "criterion",
        "low_weight",
        "high_weight",
        "low",
        "high",
        "swing",
    }
    assert (doc["samples"], doc["seed"]) == (500, 0)


def test_uniform_weights_and_lens_options() -> None:
    doc = analyse_sensitivity(LIB, samples=500, sampling="uniform", lens="review").to_dict()
    assert doc["weight_model"] == {"kind": "uniform"}
    assert doc["lens"] == "review"


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_sensitivity_formats(fmt: str) -> None:
    result = runner.invoke(app, ["sensitivity", str(MINI), "-n", "500", "-f", fmt])
    assert result.exit_code == 0
    assert "wetland" in result.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--samples", "0"], "--samples: must be at least 1"),
        (["--sampling", "gaussian"], "use dirichlet or uniform"),
        (["--concentration", "-1"], "--concentration: must be a positive number"),
        (["--method", "nope"], "methods are"),
        (["--seed", "-3"], "--seed: must be a non-negative integer"),
    ],
)
def test_sensitivity_user_errors(args: list[str], needle: str) -> None:
    result = runner.invoke(app, ["sensitivity", str(MINI), *args])
    assert result.exit_code == 1
    assert needle in result.stderr


@pytest.mark.parametrize("method", METHODS)
def test_prepared_scoring_is_bit_identical(method: str) -> None:
    from evaluator.evaluation import prepare

    setup = prepare(LIB, method=method)
    rng = np.random.default_rng(5)
    mats = setup.evidence.sample_matrices(rng, 300)
    weights = rng.dirichlet(np.ones(mats.shape[-1]), 300)
    direct = setup.score_stack(mats, weights)
    assert np.array_equal(setup.score_prepared(setup.prepare_stack(mats), weights), direct)


@pytest.mark.parametrize("method", METHODS)
def test_smaa_prepare_hook_changes_no_number(method: str) -> None:
    from evaluator.evaluation import prepare
    from evaluator.sensitivity import DirichletWeights, run_smaa

    setup = prepare(LIB, method=method)
    common = {
        "n_samples": 12_345,
        "seed": 4,
        "draw_matrices": setup.evidence.sample_matrices,
        "higher_is_better": setup.higher_is_better,
    }
    sampler = DirichletWeights(tuple(setup.weights), 20.0)
    plain = run_smaa(setup.score_stack, sampler, setup.evidence.option_ids, **common)
    fast = run_smaa(
        setup.score_prepared,
        sampler,
        setup.evidence.option_ids,
        prepare=setup.prepare_stack,
        **common,
    )
    assert np.array_equal(plain.rank_acceptability, fast.rank_acceptability)
    assert np.array_equal(plain.confidence, fast.confidence, equal_nan=True)
    assert np.array_equal(plain.central_weights, fast.central_weights, equal_nan=True)


@pytest.mark.parametrize("normalization", ["sum", "linear", "vector", "offset-minmax", "none"])
def test_prepared_weighted_product_takes_every_ratio_rule(normalization: str) -> None:
    """Under "none" a cost enters the product as 1/x: the prepared stack must hold the
    product's factors (it once held normalize()'s -x and every Monte Carlo run failed)."""
    from helpers import ASSETS

    from evaluator.evaluation import prepare

    setup = prepare(ASSETS / "positive", method="weighted-product", normalization=normalization)
    rng = np.random.default_rng(6)
    mats = setup.evidence.sample_matrices(rng, 50)
    weights = rng.dirichlet(np.ones(mats.shape[-1]), 50)
    direct = setup.score_stack(mats, weights)
    assert np.array_equal(setup.score_prepared(setup.prepare_stack(mats), weights), direct)


def test_weighted_product_none_stability_is_exact_and_finite() -> None:
    """The closed form runs on the product's log factors (costs as 1/x under "none")."""
    from helpers import ASSETS

    sens = analyse_sensitivity(
        ASSETS / "positive", method="weighted-product", normalization="none", samples=50
    )
    assert all(s.exact for s in sens.stability)
    assert all(np.isfinite([s.low, s.high]).all() for s in sens.stability)
