"""The compiled evidence's grouped sums and its draw-last batched form."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import MINI, SCENARIOS
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator import load_library
from evaluator.scoring.evidence import _Runs, compile_evidence


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 6), min_size=1, max_size=20),
    st.integers(1, 4),
    st.integers(0, 2**32 - 1),
)
def test_runs_match_reduceat(keys_list: list[int], k: int, seed: int) -> None:
    keys = np.sort(np.asarray(keys_list, dtype=np.intp))
    rows = np.random.default_rng(seed).uniform(0.5, 2.0, (keys.size, k))
    runs = _Runs.of(keys)
    starts = np.flatnonzero(np.r_[True, np.diff(keys) != 0])
    summed = np.full((7, k), -1.0)
    runs.sum_into(summed, rows)
    multiplied = np.full((7, k), -1.0)
    runs.multiply_into(multiplied, rows)
    owners = keys[starts]
    np.testing.assert_allclose(summed[owners], np.add.reduceat(rows, starts), rtol=1e-15)
    np.testing.assert_allclose(multiplied[owners], np.multiply.reduceat(rows, starts), rtol=1e-15)
    untouched = np.setdiff1d(np.arange(7), owners)
    assert np.all(summed[untouched] == -1.0)
    assert np.all(multiplied[untouched] == -1.0)


def test_runs_of_no_keys_touch_nothing() -> None:
    target = np.full((3, 2), 7.0)
    _Runs.of(np.zeros(0, dtype=np.intp)).sum_into(target, np.zeros((0, 2)))
    assert np.all(target == 7.0)


@pytest.mark.parametrize("feasibility", ["weight", "expected"])
@pytest.mark.parametrize("lens", [None, "face-ripped-off"])
def test_a_batch_equals_its_draws_one_at_a_time(feasibility: str, lens: str | None) -> None:
    ev = compile_evidence(load_library(SCENARIOS), lens=lens, feasibility=feasibility)
    low, span, cuts = ev._draw_layout
    params = low[:, None] + span[:, None] * np.random.default_rng(3).random((low.size, 40))
    groups = np.split(params, cuts, axis=0)
    batch = ev.evaluate(*groups)
    assert batch.shape == (40, *ev.shape)
    for d in range(40):
        one = ev.evaluate(*(g[:, d : d + 1] for g in groups))[0]
        np.testing.assert_array_equal(batch[d], one)


def test_sampled_stack_is_a_draw_last_view_with_the_point_matrix_at_midpoints() -> None:
    ev = compile_evidence(load_library(MINI))
    stack = ev.sample_matrices(np.random.default_rng(0), 50)
    # Criterion columns across options are contiguous per draw-axis: the layout that makes
    # normalization fast. A C-ordered copy must hold the same numbers.
    assert stack.strides[0] == stack.itemsize
    np.testing.assert_array_equal(np.ascontiguousarray(stack), stack)
    point = ev.point_matrix()
    assert point.flags["C_CONTIGUOUS"]
    low, span, cuts = ev._draw_layout
    mid = np.split((low + span / 2)[:, None], cuts, axis=0)
    np.testing.assert_array_equal(ev.evaluate(*mid)[0], point)
