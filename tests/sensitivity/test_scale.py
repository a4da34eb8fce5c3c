"""Scale work (issue 16): bounded blocks, stacked what-ifs, the batched confidence pass."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from helpers import MINI, V2

from evaluator.evaluation import Evaluation, Setup, compile_run, prepare, score_setup
from evaluator.sensitivity import analyse_sensitivity, run_smaa
from evaluator.sensitivity.analysis import what_ifs
from evaluator.sensitivity.smaa import (
    BLOCK_BUDGET,
    BLOCK_SIZE,
    CONFIDENCE_TOP,
    DirichletWeights,
    UniformWeights,
    block_size,
)

RUNS: list[dict[str, Any]] = [
    {},
    {"feasibility": "expected"},
    {"gaps": "worst"},
    {"gaps": "zero"},
    {"method": "topsis"},
    {"method": "vikor"},
    {"method": "promethee-ii"},
    {"method": "weighted-product"},
]


def test_block_size_is_a_function_of_the_shape_within_the_budget() -> None:
    assert block_size(12, 10, 300) == BLOCK_SIZE  # small libraries keep full blocks
    big = block_size(1000, 41, 35_000)
    assert 1 <= big < BLOCK_SIZE
    assert big * 8 * (35_000 + 6 * 1000 * 41) <= BLOCK_BUDGET
    assert block_size(1000, 41, 35_000) == big  # deterministic
    assert block_size(100_000, 100, 10**7) == 1  # never zero
    assert block_size(2000, 41, 35_000) <= big


def _sampled_run(lib: Any, **kwargs: Any) -> Any:
    setup = prepare(lib)
    return run_smaa(
        setup.score_prepared,
        DirichletWeights(tuple(setup.weights), 20.0),
        setup.evidence.option_ids,
        n_samples=103,
        seed=5,
        draw_matrices=setup.evidence.sample_matrices,
        higher_is_better=setup.higher_is_better,
        prepare=setup.prepare_stack,
        **kwargs,
    )


def _same(a: Any, b: Any) -> None:
    for name in ("rank_acceptability", "central_weights", "confidence"):
        assert np.array_equal(getattr(a, name), getattr(b, name), equal_nan=True), name


@pytest.mark.parametrize("lib", [MINI, V2])
def test_small_blocks_reproduce_across_chunking_and_batched_confidence(lib: Any) -> None:
    """With a block of 7 draws (as a large library would get), batching changes nothing."""
    setup = prepare(lib)
    reference = _sampled_run(lib, block=7)
    for chunk in (2, 5, 100):
        _same(reference, _sampled_run(lib, block=7, chunk_blocks=chunk))
    _same(reference, _sampled_run(lib, block=7, score_many=setup.score_prepared_many))
    assert _sampled_run(lib, block=7).to_dict(setup.evidence.criterion_ids) == reference.to_dict(
        setup.evidence.criterion_ids
    )


def _old_what_ifs(setup: Setup, base: Evaluation) -> list[tuple[str, str, str, float, float]]:
    """The recompile-based what-ifs this replaces: two full compiles per precondition."""
    out = []
    owners: dict[str, list[str]] = {}
    for o in setup.library.options:
        for carried in setup.library.carried(o):
            for p in carried.preconditions:
                owners.setdefault(p.id, []).append(o.id)
    for pre_id in setup.evidence.precondition_ids:
        results = {}
        for state in ("met", "failed"):
            run = setup.run.build(setup.run, assume={**setup.run.assume, pre_id: state})
            evidence = compile_run(setup.library, run, setup.evidence.option_ids)
            results[state] = score_setup(setup.with_evidence(evidence))
        option = next(o for o in owners[pre_id] if o in base.option_ids)
        index = base.option_ids.index(option)
        met, failed = results["met"], results["failed"]
        out.append(
            (
                met.option_ids[int(met.order[0])],
                failed.option_ids[int(failed.order[0])],
                option,
                float(met.ranks[index]),
                float(failed.ranks[index]),
            )
        )
    return out


@pytest.mark.parametrize("lib", [MINI, V2])
@pytest.mark.parametrize("run", RUNS, ids=lambda r: ",".join(f"{k}={v}" for k, v in r.items()))
def test_what_ifs_agree_with_recompiling_the_library(lib: Any, run: dict[str, Any]) -> None:
    setup = prepare(lib, **run)
    base = score_setup(setup)
    new = what_ifs(setup, base)
    old = _old_what_ifs(setup, base)
    assert [w.precondition for w in new] == list(setup.evidence.precondition_ids)
    assert [
        (w.winner_if_met, w.winner_if_failed, w.option, w.rank_if_met, w.rank_if_failed)
        for w in new
    ] == old


def test_what_ifs_with_a_package_deal_and_an_assumption() -> None:
    """v2's ``w`` includes ``x``: forcing x's precondition moves both options."""
    setup = prepare(V2, assume={"x-pre": "met"})
    base = score_setup(setup)
    assert [
        (w.winner_if_met, w.winner_if_failed, w.option, w.rank_if_met, w.rank_if_failed)
        for w in what_ifs(setup, base)
    ] == _old_what_ifs(setup, base)


def _arc(m: int) -> np.ndarray:
    """m options on a quarter circle: each is best for its own slice of weight vectors."""
    theta = np.linspace(0.0, np.pi / 2, m)
    return np.column_stack([np.cos(theta), np.sin(theta)])


def _linear(matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    out: np.ndarray = (matrix * weights[:, None, :]).sum(axis=-1)
    return out


def _arc_smaa(m: int, **kwargs: Any) -> Any:
    ids = [f"o{i:03d}" for i in range(m)]
    matrix = _arc(m)
    return run_smaa(
        _linear,
        UniformWeights(2),
        ids,
        n_samples=20_000,
        seed=1,
        draw_matrices=lambda rng, k: np.broadcast_to(matrix, (k, m, 2)).copy(),
        **kwargs,
    )


def test_confidence_only_for_the_top_options_with_a_note() -> None:
    res = _arc_smaa(150)  # every option first in ~0.7% of draws: below the 1% floor
    first = res.p_best > 0
    computed = ~np.isnan(res.confidence)
    assert computed.sum() == CONFIDENCE_TOP
    assert first.sum() > CONFIDENCE_TOP
    # the computed ones are those with the highest p_best
    assert res.p_best[computed].min() >= res.p_best[first & ~computed].max()
    doc = res.to_dict(["a", "b"])
    assert sum(v is not None for v in doc["confidence"].values()) == CONFIDENCE_TOP  # type: ignore[attr-defined]
    note = doc["confidence_note"]
    assert isinstance(note, str)
    assert f"top {CONFIDENCE_TOP}" in note
    assert str(int(first.sum()) - CONFIDENCE_TOP) in note


def test_confidence_for_every_option_with_p_best_of_one_percent() -> None:
    res = _arc_smaa(40)  # each first in ~2.5% of draws: all 40 qualify
    first = res.p_best > 0
    assert np.array_equal(~np.isnan(res.confidence), first)
    assert (res.p_best[first] >= 0.01).all()
    assert "confidence_note" not in res.to_dict(["a", "b"])


def test_shipped_size_library_has_no_confidence_note() -> None:
    doc = analyse_sensitivity(MINI, samples=500).to_dict()
    assert "confidence_note" not in doc
    assert not any("confidence factors" in note for note in doc["notes"])
