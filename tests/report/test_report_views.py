"""The analyst views' numbers (evaluator.report.views) on hand-checked cases, and on the
mini library against the scoring kernels."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import build_mini
from helpers import MINI

from evaluator.evaluation import as_library, evaluate
from evaluator.report.views import (
    benefit_harm,
    dominators,
    lead_changes,
    promethee_one,
    swept_weights,
    vikor_compromise,
    weight_sweep,
)
from evaluator.scoring import order, vikor_sr
from evaluator.scoring.promethee import promethee_flows


def test_swept_weights_rescale_the_others_in_proportion() -> None:
    w = swept_weights([0.5, 0.3, 0.2], 0, [0.0, 0.5, 1.0])
    assert w == pytest.approx(np.array([[0.0, 0.6, 0.4], [0.5, 0.3, 0.2], [1.0, 0.0, 0.0]]))
    # a weight of 1 leaves nothing to rescale: the others share 1 - t equally
    assert swept_weights([1.0, 0.0, 0.0], 0, [0.5]).tolist() == [[0.5, 0.25, 0.25]]


def test_weighted_sum_sweep_is_exact_with_the_crossover_by_hand() -> None:
    """Two options, minmax r = [[1, 0], [0, 1]], w = (0.5, 0.5): sweeping criterion 0,
    S_a(t) = t and S_b(t) = 1 - t cross at t = 0.5, where a overtakes b."""
    x = np.array([[10.0, 0.0], [0.0, 10.0]])
    sweep = weight_sweep(_SetupLike(np.array([0.5, 0.5])), x, ("a", "b"), 0)  # type: ignore[arg-type]
    assert sweep.exact
    assert sweep.scores == pytest.approx(np.array([[0.0, 1.0], [1.0, 0.0]]))
    assert [(c.t, c.before, c.after) for c in sweep.crossovers] == [(0.5, 1, 0)]


class _SetupLike:
    """A stand-in with the Setup attributes weight_sweep reads: a min-max weighted sum."""

    def __init__(self, weights: np.ndarray) -> None:
        self.weights = weights
        self.method = "weighted-sum"
        self.higher_is_better = True

    def score_stack(self, matrices: np.ndarray, weights: np.ndarray) -> np.ndarray:
        lo, hi = matrices.min(axis=-2, keepdims=True), matrices.max(axis=-2, keepdims=True)
        span = np.where(hi > lo, hi - lo, 1.0)
        r = (matrices - lo) / span
        return np.einsum("kmn,kn->km", r, weights)


@pytest.mark.parametrize(
    "method", ["weighted-sum", "weighted-product", "topsis", "promethee-ii", "vikor"]
)
def test_sweeps_agree_with_evaluate_on_mini(method: str) -> None:
    """At every crossover the top option changes in evaluate() itself (just either side),
    and the sweep at the current weight is the run's own scores."""
    library = as_library(MINI)
    ev = evaluate(library, method=method)
    ids = ev.option_ids
    ids_list = [c.id for c in library.all_criteria]
    changes = 0
    for j in range(len(ids_list)):
        sweep = weight_sweep(ev.setup, ev.matrix, ids, j)
        if sweep.exact:
            # straight lines: the score at the current weight lies on them
            t = sweep.weight
            now = sweep.scores[0] + t * (sweep.scores[1] - sweep.scores[0])
            assert now == pytest.approx(ev.scores, abs=1e-12)
        for cross in sweep.crossovers:
            changes += 1
            step = 1e-6
            for t, expected in ((cross.t - step, cross.before), (cross.t + step, cross.after)):
                if not 0.0 <= t <= 1.0:
                    continue
                w = swept_weights(ev.weights, j, [t])[0]
                other = evaluate(
                    library, method=method, weights=dict(zip(ids_list, w, strict=True))
                )
                assert other.option_ids[int(other.order[0])] == ids[expected], (j, t)
    assert changes > 0


def test_dominators_by_hand() -> None:
    # b is at least as good as a everywhere and better on the cost criterion; c trades off
    x = [[5.0, 3.0], [5.0, 2.0], [6.0, 4.0]]
    assert dominators(x, [1, -1]) == ((1,), (), ())
    # an identical option dominates nothing
    assert dominators([[1.0, 1.0], [1.0, 1.0]], [1, 1]) == ((), ())


def test_benefit_harm_by_hand() -> None:
    """Criteria: benefit, cost, feasibility (benefit). minmax r: benefit [0, 1, 0.5],
    cost (10, 20, 30 -> 1, 0.5, 0); w = (0.5, 0.3, 0.2)."""
    x = [[1.0, 10.0, 0.9], [3.0, 20.0, 0.5], [2.0, 30.0, 0.1]]
    bh = benefit_harm(x, [1, -1, 1], [0.5, 0.3, 0.2], 2)
    assert bh.gains.tolist() == pytest.approx([0.0, 0.5, 0.25])
    assert bh.harms.tolist() == pytest.approx([0.0, 0.15, 0.3])
    assert bh.feasibility.tolist() == [0.9, 0.5, 0.1]
    assert bh.dominated_by == ((), (), (1,))


def test_vikor_compromise_by_hand() -> None:
    ids = ["a", "b", "c", "d"]
    # m = 4, DQ = 1/3: Q(b) - Q(a) = 0.2 < 1/3, so no acceptable advantage; the set is every
    # option within 1/3 of the best: a and b (c is 0.6 above)
    comp = vikor_compromise([0.0, 0.2, 0.6, 1.0], [0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3, 0.4], ids)
    assert (comp.members, comp.advantage, comp.threshold) == ((0, 1), False, pytest.approx(1 / 3))
    ids3 = ["a", "b", "c"]
    # m = 3, DQ = 0.5: Q(b) - Q(a) = 0.5, advantage holds; a is best by R, so stable
    comp = vikor_compromise([0.0, 0.5, 1.0], [0.2, 0.1, 0.5], [0.1, 0.2, 0.3], ids3)
    assert (comp.members, comp.advantage, comp.stability) == ((0,), True, True)
    # a best neither by S nor by R: the set is a and b
    comp = vikor_compromise([0.0, 0.5, 1.0], [0.2, 0.1, 0.5], [0.3, 0.2, 0.1], ids3)
    assert (comp.members, comp.advantage, comp.stability) == ((0, 1), True, False)


def test_vikor_view_numbers_match_the_kernel() -> None:
    library = as_library(MINI)
    ev = evaluate(library, method="vikor")
    s, r = vikor_sr(ev.matrix, ev.weights, ev.setup.evidence.types)
    comp = vikor_compromise(ev.scores, s, r, ev.option_ids)
    assert comp.members[0] == int(order(ev.scores, ev.option_ids, higher_is_better=False)[0])


def test_promethee_one_by_hand() -> None:
    # a vs b: a preferred more (0.6 > 0.5) but also outranked more (0.2 > 0.1): incomparable
    rel = promethee_one([0.6, 0.5, 0.3], [0.2, 0.1, 0.6])
    assert rel == [(0, 1, "R"), (0, 2, "P"), (1, 2, "P")]
    assert promethee_one([0.1, 0.4], [0.5, 0.2]) == [(0, 1, "P-")]
    assert promethee_one([0.3, 0.3], [0.2, 0.2]) == [(0, 1, "I")]


def test_promethee_flows_give_the_net_flow() -> None:
    library = as_library(MINI)
    ev = evaluate(library, method="promethee-ii")
    plus, minus = promethee_flows(ev.matrix, ev.weights, ev.setup.evidence.types)
    assert (plus - minus) == pytest.approx(ev.scores, abs=1e-12)


@pytest.mark.parametrize(
    ("method", "present", "absent"),
    [
        ("weighted-sum", [], ['id="vikor"', 'id="promethee"']),
        ("vikor", ['id="vikor"', "compromise"], ['id="promethee"']),
        (
            "promethee-ii",
            ['id="promethee"', "\u03c6\u2c7c(a)"],
            ['id="vikor"', "does not split into per-criterion"],
        ),
    ],
)
def test_method_views_appear_with_their_method(
    method: str, present: list[str], absent: list[str]
) -> None:
    html = build_mini(method=method, samples=50)
    for text in ['id="sensitivity"', 'id="map"', 'class="sweep"', 'class="scatter"', *present]:
        assert text in html
    for text in [*absent, 'id="tornado"']:
        assert text not in html


def brute_force_changes(s0: np.ndarray, k: np.ndarray, ids: list[str]) -> list[tuple[int, int]]:
    """Every pairwise meeting in (0, 1), the leader between consecutive ones by the tie
    rule, and the changes of leader (the walk's reference)."""
    cuts = {0.0, 1.0}
    for a in range(s0.size):
        for b in range(a + 1, s0.size):
            if k[a] != k[b]:
                t = (s0[b] - s0[a]) / (k[a] - k[b])
                if 1e-9 < t < 1 - 1e-9:
                    cuts.add(float(t))
    points = sorted(cuts)
    leaders = [int(order(s0 + (lo + hi) / 2 * k, ids)[0]) for lo, hi in itertools.pairwise(points)]
    return [(a, b) for a, b in itertools.pairwise(leaders) if a != b]


@pytest.mark.parametrize("seed", range(25))
def test_lead_changes_walk_the_upper_envelope(seed: int) -> None:
    """Against the brute force on random lines, some sharing a start (ties at 0) and some
    parallel; crossovers where the brute force sees them, in order."""
    rng = np.random.default_rng(seed)
    m = int(rng.integers(2, 12))
    s0 = np.round(rng.random(m), 2)
    k = np.round(rng.normal(size=m), 2)
    if m > 3:
        s0[1] = s0[0]  # a tie at t = 0
        k[3] = k[2]  # parallel lines
    ids = [f"o{i:02d}" for i in range(m)]
    walk = lead_changes(s0, k, ids)
    assert [(c.before, c.after) for c in walk] == brute_force_changes(s0, k, ids)
    for c in walk:
        assert s0[c.before] + c.t * k[c.before] == pytest.approx(s0[c.after] + c.t * k[c.after])
