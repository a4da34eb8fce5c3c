"""Each method's prepare/aggregate hooks equal its kernel (issue 16's weight-independent work)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import evaluator.scoring.promethee as promethee
from evaluator.scoring import (
    METHOD_IDS,
    aggregate_prepared,
    aggregate_prepared_many,
    get_method,
    prepare_matrix,
    unicriterion_net_flows,
)

TYPES = np.array([1.0, -1.0, 1.0, -1.0, 1.0])


def _problem(seed: int, k: int | None) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    shape = (9, 5) if k is None else (k, 9, 5)
    x = rng.integers(1, 6, shape).astype(np.float64) + rng.random(shape) * (seed % 2)
    w = rng.dirichlet(np.ones(5), 1 if k is None else k)
    return x, (w[0] if k is None else w)


def _options(method: str) -> dict[str, Any]:
    return {"preference": "v-shape"} if method == "promethee-ii" else {}


@pytest.mark.parametrize("method", METHOD_IDS)
@pytest.mark.parametrize("k", [None, 1, 17])
@pytest.mark.parametrize("seed", [0, 1])
def test_aggregate_of_prepare_is_the_kernel_bit_for_bit(
    method: str, k: int | None, seed: int
) -> None:
    x, w = _problem(seed, k)
    spec = get_method(method)
    norm = None if spec.default_normalization is None else "offset-minmax"
    for options in ({}, _options(method)):
        kwargs = dict(options) if norm is None else {"normalization": norm, **options}
        direct = spec.kernel(x, w, TYPES, **kwargs)
        prepared = prepare_matrix(method, x, TYPES, norm, **options)
        assert np.array_equal(aggregate_prepared(method, prepared, w, **options), direct)


@pytest.mark.parametrize("method", METHOD_IDS)
def test_aggregate_many_scores_each_weight_set(method: str) -> None:
    x, _ = _problem(3, 11)
    sets = np.random.default_rng(4).dirichlet(np.ones(5), 6)
    spec = get_method(method)
    norm = None if spec.default_normalization is None else "offset-minmax"
    prepared = prepare_matrix(method, x, TYPES, norm)
    many = aggregate_prepared_many(method, prepared, sets)
    assert many.shape == (6, 11, 9)
    for c, w in enumerate(sets):
        one = aggregate_prepared(method, prepared, np.broadcast_to(w, (11, 5)))
        np.testing.assert_allclose(many[c], one, rtol=1e-12, atol=1e-15)


def _pairwise_flows(x: np.ndarray, name: str) -> np.ndarray:
    crit = promethee._criteria(x, TYPES, name, None, None, None)
    out = np.empty_like(x)
    for j in range(x.shape[-1]):
        pref = crit.preferences(j)
        out[..., j] = pref.sum(axis=-1) - pref.sum(axis=-2)
    return out / (x.shape[-2] - 1)


@pytest.mark.parametrize("k", [None, 30])
def test_usual_flows_by_counting_equal_the_pairwise_sums(k: int | None) -> None:
    x, _ = _problem(0, k)  # integer values: many ties
    flows = unicriterion_net_flows(x, TYPES)
    expected = _pairwise_flows(x, "usual")
    assert np.array_equal(flows, expected)
    assert np.array_equal(np.signbit(flows), np.signbit(expected))  # no -0.0


@pytest.mark.parametrize("name", ["v-shape", "gaussian", "level"])
def test_pairwise_flows_in_slices_of_draws_change_no_number(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    x, _ = _problem(1, 23)
    whole = unicriterion_net_flows(x, TYPES, name)
    monkeypatch.setattr(promethee, "PAIRWISE_BUDGET", 8 * 9 * 9 * 4)  # four draws a slice
    assert np.array_equal(unicriterion_net_flows(x, TYPES, name), whole)
    assert np.array_equal(whole, _pairwise_flows(x, name))
