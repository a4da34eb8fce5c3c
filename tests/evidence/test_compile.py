"""The compiled evidence: grouped row updates, folded constants, the draw-last batch."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import MINI, SCENARIOS
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator import load_library
from evaluator.evidence import compile_evidence
from evaluator.evidence.scatter import Scatter

LIB = load_library(MINI)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 6), min_size=0, max_size=20),
    st.integers(1, 4),
    st.integers(0, 2**32 - 1),
)
def test_steps_combine_every_source_into_its_target_in_listing_order(
    keys: list[int], k: int, seed: int
) -> None:
    rows = np.random.default_rng(seed).uniform(0.5, 2.0, (len(keys), k))
    base = np.arange(7.0) + 1
    steps = Scatter.build(keys)
    summed, multiplied = np.full((7, k), -1.0), np.full((7, k), -1.0)
    steps.combine_into(summed, base, rows)
    steps.combine_into(multiplied, base, rows, multiply=True)
    want_sum, want_product = np.full((7, k), -1.0), np.full((7, k), -1.0)
    for key in set(keys):
        want_sum[key] = want_product[key] = base[key]
    for key, row in zip(keys, rows, strict=True):  # the listing order, bit for bit
        want_sum[key] += row
        want_product[key] *= row
    np.testing.assert_array_equal(summed, want_sum)
    np.testing.assert_array_equal(multiplied, want_product)
    # Every step updates a prefix of the targets from consecutive source rows.
    counts = [n for n, _ in steps.steps]
    assert counts == sorted(counts, reverse=True)
    assert sum(counts) == len(keys)


def test_scatter_gathers_repeated_rows_for_shared_items() -> None:
    # Uses 0 and 2 send the same source row (an included item) to two targets.
    steps = Scatter.build([5, 5, 2], rows=[1, 0, 1])
    assert steps.targets.tolist() == [5, 2]
    assert steps.gather.tolist() == [1, 1, 0]  # step 0: target 5's first, target 2's first
    assert steps.steps == ((2, 0), (1, 2))
    assert not steps.identity
    out = np.zeros((6, 1))
    steps.combine_into(out, np.zeros(6), np.array([[10.0], [1.0]]))
    assert out[:, 0].tolist() == [0, 0, 1, 0, 0, 11]


def test_only_uncertain_inputs_are_parameters() -> None:
    ev = compile_evidence(LIB)
    # From the mini library's files: ranges and ICD terms are parameters; point magnitudes,
    # point impacts, benefit likelihoods of 1 and the numeric likelihood 0.1
    # (wetland-overhyped, review) are constants. Every cell is evidence or declared
    # unaffected, so there is no gap parameter.
    assert ev.parameters == (
        "levee-spawning impact",
        "wetland-soaks magnitude",
        "levee-cost likelihood (gazette)",
        "levee-spawning likelihood (review)",
        "relocation-resistance likelihood (gazette)",
        "wetland-overhyped likelihood (gazette)",
        "compensation likelihood (gazette)",
        "farmers-sell likelihood (review)",
    )
    assert ev.parameter_cuts == (2, 6, 8)
    np.testing.assert_array_equal(ev.parameter_low, [3, 2, 0.95, 0.55, 0.55, 0.45, 0.3, 0.2])
    np.testing.assert_array_equal(ev.parameter_high, [4, 3, 0.99, 0.8, 0.8, 0.55, 0.5, 0.45])


def test_a_forced_precondition_draws_nothing() -> None:
    free = compile_evidence(LIB)
    forced = compile_evidence(LIB, assume={"farmers-sell": 1.0})
    assert set(free.parameters) - set(forced.parameters) == {"farmers-sell likelihood (review)"}
    assert forced.precondition_point[forced.precondition_ids.index("farmers-sell")] == 1.0


@pytest.mark.parametrize("feasibility", ["weight", "expected"])
@pytest.mark.parametrize("lens", [None, "face-ripped-off"])
def test_a_batch_equals_its_draws_one_at_a_time(feasibility: str, lens: str | None) -> None:
    ev = compile_evidence(load_library(SCENARIOS), lens=lens, feasibility=feasibility)
    low, high = ev.parameter_low[:, None], ev.parameter_high[:, None]
    params = low + (high - low) * np.random.default_rng(3).random((low.size, 40))
    batch = ev.evaluate(params)
    assert batch.shape == (40, *ev.shape)
    for d in range(40):
        np.testing.assert_array_equal(batch[d], ev.evaluate(params[:, d : d + 1])[0])


def test_sampled_stack_is_a_draw_last_view_and_matches_the_point_matrix_at_midpoints() -> None:
    ev = compile_evidence(LIB)
    stack = ev.sample_matrices(np.random.default_rng(0), 50)
    # Successive draws of one cell are adjacent in memory: the layout that makes
    # normalization across options fast.
    assert stack.strides[0] == stack.itemsize
    point = ev.point_matrix()
    assert point.flags["C_CONTIGUOUS"]
    mid = (ev.parameter_low + ev.parameter_high) / 2
    np.testing.assert_array_equal(ev.evaluate(mid[:, None], point=True)[0], point)
