"""Scenario discovery: rules checked against the draws they summarise and a brute-force search."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluator.sensitivity import Condition, Rule, describe_rule, discover_rules
from evaluator.sensitivity import discovery as discovery_module

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
EPS = 1e-12


def box_mask(x: FloatArray, rule: Rule, names: Sequence[str]) -> npt.NDArray[np.bool_]:
    """The draws inside a rule, from its JSON form alone (names, ops and values)."""
    inside = np.ones(x.shape[0], dtype=bool)
    for c in rule.to_dict()["conditions"]:  # type: ignore[attr-defined]
        column = x[:, list(names).index(c["parameter"])]
        inside &= column <= c["value"] if c["op"] == "<=" else column >= c["value"]
    return inside


def assert_counts_match(
    x: FloatArray, names: Sequence[str], win: IntArray, ids: Sequence[str], rules: list[Rule]
) -> None:
    """Coverage, density and every count recomputed from the draws."""
    for rule in rules:
        y = win == list(ids).index(rule.option)
        inside = box_mask(x, rule, names)
        assert rule.draws == x.shape[0]
        assert rule.wins == int(y.sum())
        assert rule.draws_in_rule == int(inside.sum())
        assert rule.wins_in_rule == int((inside & y).sum())
        assert rule.coverage == (inside & y).sum() / y.sum()
        assert rule.density == (inside & y).sum() / inside.sum()
        assert 0 <= rule.coverage <= 1
        assert 0 <= rule.density <= 1
        assert np.array_equal(rule.contains(x), inside)


def reference_rules(
    x: FloatArray,
    win: IntArray,
    ids: Sequence[str],
    *,
    min_share: float,
    min_coverage: float,
    min_draws: int,
    min_gain: float,
    tolerance: float,
    n_quantiles: int,
) -> list[tuple[str, tuple[tuple[int, str, float], ...], int, int]]:
    """The module docstring's criterion by brute force over every one- and two-condition box.

    Thresholds from numpy's inverted-CDF quantiles; plain Python loops; no pruning.
    """
    k, p = x.shape
    levels = [i / n_quantiles for i in range(1, n_quantiles)]
    cands = [
        (j, op, float(v))
        for j in range(p)
        for op in ("<=", ">=")
        for v in sorted(set(np.quantile(x[:, j], levels, method="inverted_cdf").tolist()))
    ]

    def mask(conds: Sequence[tuple[int, str, float]]) -> npt.NDArray[np.bool_]:
        m = np.ones(k, dtype=bool)
        for j, op, v in conds:
            m &= x[:, j] <= v if op == "<=" else x[:, j] >= v
        return m

    def key(conds: Sequence[tuple[int, str, float]]) -> tuple[object, ...]:
        return tuple(item for j, op, v in conds for item in (j, ("<=", ">=").index(op), v))

    counts = np.bincount(win, minlength=len(ids))
    out = []
    for a in sorted(range(len(ids)), key=lambda a: (-counts[a], a)):
        if counts[a] / k < min_share - EPS:
            continue
        y = win == a
        wins = int(y.sum())

        def stats(conds: Sequence[tuple[int, str, float]]) -> tuple[int, int, float, float]:
            m = mask(conds)
            n, w = int(m.sum()), int((m & y).sum())  # noqa: B023
            return n, w, (w / n if n else 0.0), w / wins  # noqa: B023

        def pick(items: list[tuple[tuple[int, str, float], ...]]) -> tuple[object, ...] | None:
            if not items:
                return None
            scored = [(conds, *stats(conds)) for conds in items]
            top = max(s[3] for s in scored)
            near = [s for s in scored if s[3] >= top - tolerance - EPS]
            return min(near, key=lambda s: (-s[4], -s[3], key(s[0])))

        def admissible(conds: Sequence[tuple[int, str, float]]) -> bool:
            n, _, _, c = stats(conds)
            return n >= min_draws and c >= min_coverage - EPS

        single = {c: stats([c])[2] for c in cands}
        ones = [(c,) for c in cands if admissible([c]) and single[c] >= wins / k + min_gain - EPS]
        pairs = [
            (c1, c2)
            for c1, c2 in itertools.combinations(cands, 2)
            if not (c1[0] == c2[0] and c1[1] == c2[1])
            and admissible([c1, c2])
            and stats([c1, c2])[2] >= max(single[c1], single[c2]) + min_gain - EPS
        ]
        chosen: tuple[object, ...] = ((), k, wins, wins / k)
        best1, best2 = pick(ones), pick(pairs)
        if best1 is not None:
            chosen = best1
        if best2 is not None and best2[3] >= chosen[3] + min_gain - EPS:  # type: ignore[operator]
            chosen = best2
        conds, n, w = chosen[0], chosen[1], chosen[2]
        out.append((ids[a], conds, n, w))  # type: ignore[arg-type]
    return out


def as_tuples(rules: list[Rule]) -> list[tuple[str, tuple[tuple[int, str, float], ...], int, int]]:
    return [
        (
            r.option,
            tuple((c.feature, c.op, c.value) for c in r.conditions),
            r.draws_in_rule,
            r.wins_in_rule,
        )
        for r in rules
    ]


def test_one_feature_ten_draws_by_hand() -> None:
    """x = 0.0, 0.1, ..., 0.9; a wins where x <= 0.3, b elsewhere; a noise column that cannot
    separate them. Quantiles at tenths: the thresholds are the draws 0.0 .. 0.8."""
    x = np.column_stack([np.arange(10) / 10, [0.5, 0.1, 0.9, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6, 0.0]])
    names = ["x", "noise"]
    win = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
    rules = discover_rules(x, names, win, ["a", "b"], min_draws=1, n_quantiles=10)
    assert [r.option for r in rules] == ["b", "a"]  # most wins first
    b, a = rules
    assert b.conditions == (Condition("x", ">=", 0.4, 0),)
    assert (b.coverage, b.density, b.wins, b.draws_in_rule, b.wins_in_rule) == (1, 1, 6, 6, 6)
    assert a.conditions == (Condition("x", "<=", 0.3, 0),)
    assert (a.coverage, a.density, a.wins, a.draws_in_rule, a.wins_in_rule) == (1, 1, 4, 4, 4)
    assert_counts_match(x, names, win, ["a", "b"], rules)


def test_two_conditions_on_a_grid_by_hand() -> None:
    """A 4 x 4 grid of (u, v) in {0, 1/3, 2/3, 1}: a wins only where both are >= 2/3.

    a: u >= 2/3 alone has density 4/8; both conditions give 4/4, a gain of 0.5: two
    conditions, coverage 1, density 1. b (12 wins): u <= 1/3 and v <= 1/3 each hold 8 of its
    wins at density 1; equal density and coverage, so the lower feature index, u, is taken.
    """
    g = np.arange(4) / 3
    x = np.array([(u, v) for u in g for v in g])
    names = ["u", "v"]
    win = ((x[:, 0] >= 0.5) & (x[:, 1] >= 0.5)).astype(np.intp)
    ids = ["b", "a"]
    b, a = discover_rules(x, names, win, ids, min_draws=1, n_quantiles=4)
    assert a.option == "a"
    assert a.conditions == (Condition("u", ">=", 2 / 3, 0), Condition("v", ">=", 2 / 3, 1))
    assert (a.coverage, a.density) == (1, 1)
    assert b.conditions == (Condition("u", "<=", 1 / 3, 0),)
    assert (b.coverage, b.density, b.draws_in_rule) == (8 / 12, 1, 8)
    assert_counts_match(x, names, win, ids, [b, a])


def test_interval_on_one_feature() -> None:
    """a wins where 0.4 <= x <= 0.6: two conditions on the same parameter."""
    x = np.arange(100, dtype=float)[:, None] / 100
    win = ((x[:, 0] >= 0.4) & (x[:, 0] <= 0.59)).astype(np.intp)
    (b, a) = discover_rules(x, ["x"], win, ["b", "a"], min_draws=1, n_quantiles=100)
    assert a.conditions == (Condition("x", "<=", 0.59, 0), Condition("x", ">=", 0.4, 0))
    assert (a.coverage, a.density) == (1, 1)
    assert_counts_match(x, ["x"], win, ["b", "a"], [b, a])


def test_discrete_levels_give_thresholds_the_draws_took() -> None:
    """A judgement sampled on three levels (0, 1, 2): a wins exactly at level 2."""
    rng = np.random.default_rng(3)
    level = rng.integers(0, 3, 300).astype(float)
    x = np.column_stack([rng.random(300), level])
    win = (level == 2).astype(np.intp)
    rules = discover_rules(x, ["w", "mitigability"], win, ["b", "a"])
    a = next(r for r in rules if r.option == "a")
    assert a.conditions == (Condition("mitigability", ">=", 2.0, 1),)
    assert (a.coverage, a.density) == (1, 1)


def planted(k: int, p_noise: int, seed: int) -> tuple[FloatArray, list[str], IntArray, list[str]]:
    """Two features decide: 'air' wins where w_feas <= 0.3 and lik >= 0.6; elsewhere 'sanctions'
    where z > 0.5, else 'talks'. The remaining columns are noise."""
    rng = np.random.default_rng(seed)
    x = rng.random((k, 3 + p_noise))
    names = ["w_feas", "lik", "z"] + [f"noise{i}" for i in range(p_noise)]
    order = rng.permutation(x.shape[1])  # the deciding columns anywhere among the noise
    x, names = x[:, order], [names[i] for i in order]
    col = {n: i for i, n in enumerate(names)}
    air = (x[:, col["w_feas"]] <= 0.3) & (x[:, col["lik"]] >= 0.6)
    win = np.where(air, 0, np.where(x[:, col["z"]] > 0.5, 1, 2)).astype(np.intp)
    return x, names, win, ["air", "sanctions", "talks"]


def test_planted_rule_is_recovered() -> None:
    x, names, win, ids = planted(20_000, 60, seed=11)
    rules = discover_rules(x, names, win, ids)
    assert_counts_match(x, names, win, ids, rules)
    air = next(r for r in rules if r.option == "air")
    found = {(c.parameter, c.op): c.value for c in air.conditions}
    assert set(found) == {("w_feas", "<="), ("lik", ">=")}
    # The thresholds are 5 % quantiles (0.05 apart on a uniform input): within one step.
    assert found["w_feas", "<="] == pytest.approx(0.3, abs=0.06)
    assert found["lik", ">="] == pytest.approx(0.6, abs=0.06)
    assert air.coverage >= 0.8
    assert air.density >= 0.95
    for r in rules:
        assert {c.parameter for c in r.conditions} <= {"w_feas", "lik", "z"}


def test_same_draws_same_rules() -> None:
    x, names, win, ids = planted(5_000, 30, seed=5)
    first = discover_rules(x, names, win, ids)
    again = discover_rules(x.copy(), list(names), win.copy(), list(ids))
    assert first == again
    assert json.dumps([r.to_dict() for r in first]) == json.dumps([r.to_dict() for r in again])
    # Thresholds are order statistics and the rest is counting: the draws' order is irrelevant.
    shuffled = np.random.default_rng(9).permutation(x.shape[0])
    assert discover_rules(x[shuffled], names, win[shuffled], ids) == first


def test_options_below_min_share_get_no_rule() -> None:
    rng = np.random.default_rng(0)
    x = rng.random((1000, 3))
    win = np.zeros(1000, dtype=np.intp)
    win[:40] = 1  # 4 %
    win[40:100] = 2  # 6 %
    rules = discover_rules(x, ["a", "b", "c"], win, ["big", "rare", "small"])
    assert [r.option for r in rules] == ["big", "small"]
    assert [
        r.option for r in discover_rules(x, ["a", "b", "c"], win, ["x", "y", "z"], min_share=0.5)
    ] == ["x"]
    assert discover_rules(x, ["a", "b", "c"], win, ["x", "y", "z", "never"], min_share=1.0) == []


def test_no_pattern_gives_a_rule_without_conditions() -> None:
    """Winners drawn independently of the inputs: no condition earns its place."""
    rng = np.random.default_rng(1)
    x = rng.random((20_000, 10))
    win = rng.integers(0, 2, 20_000).astype(np.intp)
    rules = discover_rules(x, [f"f{i}" for i in range(10)], win, ["a", "b"])
    for r in rules:
        assert r.conditions == ()
        assert (r.coverage, r.density, r.draws_in_rule) == (1.0, r.share, 20_000)
        assert "no rule of one or two conditions" in describe_rule(r)


def test_max_conditions_one_and_no_features() -> None:
    x, names, win, ids = planted(4_000, 5, seed=2)
    for r in discover_rules(x, names, win, ids, max_conditions=1):
        assert len(r.conditions) <= 1
    rules = discover_rules(np.empty((4_000, 0)), [], win, ids)
    assert [len(r.conditions) for r in rules] == [0, 0, 0]


def test_to_dict_is_the_design_shape() -> None:
    x, names, win, ids = planted(4_000, 5, seed=2)
    rules = discover_rules(x, names, win, ids)
    for r in rules:
        d = r.to_dict()
        assert {"option", "conditions", "coverage", "density"} <= set(d)
        for c in d["conditions"]:  # type: ignore[attr-defined]
            assert set(c) == {"parameter", "op", "value"}
            assert c["op"] in ("<=", ">=")
    json.dumps([r.to_dict() for r in rules])


def test_describe_rule_in_plain_words() -> None:
    rule = Rule(
        option="joint-air-campaign",
        conditions=(
            Condition("w:feasibility", "<=", 0.12345, 0),
            Condition("lik:air-pre-x", ">=", 0.4012, 3),
        ),
        coverage=0.7412,
        density=0.8099,
        wins=100,
        draws_in_rule=91,
        wins_in_rule=74,
        draws=1000,
    )
    labels = {
        "w:feasibility": "weight[feasibility]",
        "lik:air-pre-x": "air-pre-x likelihood (source)",
    }
    assert describe_rule(rule, labels) == (
        "joint-air-campaign wins in 81% of the draws where weight[feasibility] <= 0.12 and "
        "air-pre-x likelihood (source) >= 0.4 (covering 74% of its wins)"
    )
    assert describe_rule(rule, digits=3).startswith(
        "joint-air-campaign wins in 81% of the draws where w:feasibility <= 0.123 and "
        "lik:air-pre-x >= 0.401"
    )


@pytest.mark.parametrize(
    ("share", "text"), [(0.996, "99%"), (1.0, "100%"), (0.004, "1%"), (0.0, "0%"), (0.5, "50%")]
)
def test_describe_rule_never_rounds_to_all_or_nothing(share: float, text: str) -> None:
    rule = Rule("a", (Condition("x", ">=", 125.0, 0),), share, share, 10, 10, 10, 10)
    assert (
        describe_rule(rule)
        == f"a wins in {text} of the draws where x >= 125 (covering {text} of its wins)"
    )


@pytest.mark.parametrize(
    ("features", "names", "winners", "ids", "message"),
    [
        (np.zeros(5), [], [0] * 5, ["a"], "k x p array"),
        (np.zeros((0, 2)), ["x", "y"], [], ["a"], "k x p array"),
        (np.zeros((5, 2)), ["x"], [0] * 5, ["a"], "names has 1 entries but features has 2"),
        (np.zeros((5, 2)), ["x", "x"], [0] * 5, ["a"], "names must be unique"),
        (np.zeros((5, 1)), ["x"], [0] * 4, ["a"], r"winners must have shape \(5,\)"),
        (np.zeros((5, 1)), ["x"], [0.0] * 5, ["a"], "integer option indices"),
        (np.zeros((5, 1)), ["x"], [True] * 5, ["a"], "integer option indices"),
        (np.zeros((5, 1)), ["x"], [0, 1, 2, 0, 0], ["a", "b"], r"index option_ids \(0..1\)"),
        (np.zeros((5, 1)), ["x"], [0, -1, 0, 0, 0], ["a", "b"], "index option_ids"),
        (np.zeros((5, 1)), ["x"], [0] * 5, ["a", "a"], "option_ids must be non-empty and unique"),
        (np.zeros((5, 1)), ["x"], [0] * 5, [], "option_ids must be non-empty and unique"),
    ],
)
def test_bad_input_is_a_value_error(
    features: object, names: list[str], winners: object, ids: list[str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        discover_rules(features, names, winners, ids)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_features_are_named(bad: float) -> None:
    x = np.zeros((5, 2))
    x[3, 1] = bad
    with pytest.raises(ValueError, match=r"features must be finite: column 'y' is .* in draw 3"):
        discover_rules(x, ["x", "y"], [0] * 5, ["a"])


class Columns:
    """A :class:`FeatureColumns` over an array, counting the columns it is asked for."""

    def __init__(self, x: FloatArray) -> None:
        self.x = x
        self.served = 0

    @property
    def shape(self) -> tuple[int, int]:
        k, p = self.x.shape
        return k, p

    def columns(self, lo: int, hi: int) -> FloatArray:
        self.served += hi - lo
        return np.ascontiguousarray(self.x[:, lo:hi].T)


def test_feature_columns_give_the_rules_of_the_array() -> None:
    """Served a block of columns at a time, every column once, the same rules come out."""
    x, names, win, ids = planted(3_000, 40, seed=2)
    source = Columns(x)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(discovery_module, "_FEATURE_BLOCK", 8)
        assert discover_rules(source, names, win, ids) == discover_rules(x, names, win, ids)
    assert source.served == x.shape[1]


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_feature_columns_are_named(bad: float) -> None:
    x = np.zeros((6, 3))
    x[:, 0] = np.arange(6)
    x[4, 2] = bad
    with pytest.raises(ValueError, match=r"features must be finite: column 'z' is .* in draw 4"):
        discover_rules(Columns(x), ["x", "y", "z"], [0, 0, 0, 1, 1, 1], ["a", "b"])


def test_feature_columns_of_the_wrong_shape_are_refused() -> None:
    class Short(Columns):
        def columns(self, lo: int, hi: int) -> FloatArray:
            return super().columns(lo, hi)[:, :-1]

    with pytest.raises(ValueError, match=r"columns\(0, 2\) returned shape \(2, 3\)"):
        discover_rules(Short(np.zeros((4, 2))), ["x", "y"], [0, 0, 1, 1], ["a", "b"])


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("min_share", 0.0),
        ("min_share", 1.5),
        ("max_conditions", 0),
        ("max_conditions", 3),
        ("min_coverage", 0.0),
        ("min_draws", 0),
        ("min_gain", -0.1),
        ("tolerance", 1.0),
        ("n_quantiles", 1),
        ("n_quantiles", 129),
        ("beam", 0),
    ],
)
def test_settings_out_of_range(setting: str, value: float) -> None:
    with pytest.raises(ValueError, match=f"{setting} must be"):
        discover_rules(np.zeros((5, 1)), ["x"], [0] * 5, ["a"], **{setting: value})  # type: ignore[arg-type]


def draws_of(max_features: int) -> st.SearchStrategy[tuple[list[list[int]], list[int]]]:
    """k draws of p inputs on a coarse grid (0..6, so ties are common) and k winners of 3."""
    return st.integers(min_value=8, max_value=40).flatmap(
        lambda k: st.tuples(
            st.integers(min_value=1, max_value=max_features).flatmap(
                lambda p: st.lists(
                    st.lists(st.integers(0, 6), min_size=p, max_size=p), min_size=k, max_size=k
                )
            ),
            st.lists(st.integers(0, 2), min_size=k, max_size=k),
        )
    )


small_draws = draws_of(3)


@given(
    draws=small_draws,
    min_coverage=st.sampled_from([0.3, 0.5, 0.8]),
    min_draws=st.integers(1, 4),
    min_gain=st.sampled_from([0.0, 0.05, 0.2]),
    tolerance=st.sampled_from([0.0, 0.02, 0.1]),
    n_quantiles=st.integers(2, 6),
)
def test_agrees_with_brute_force(
    draws: tuple[list[list[int]], list[int]],
    min_coverage: float,
    min_draws: int,
    min_gain: float,
    tolerance: float,
    n_quantiles: int,
) -> None:
    """With a beam as wide as the features the pruned search is exhaustive, so it must pick
    exactly the box the stated criterion picks by brute force (ties included: values on a
    coarse grid of 7 levels)."""
    x = np.array(draws[0], dtype=float) / 6
    win = np.array(draws[1], dtype=np.intp)
    ids = ["a", "b", "c"]
    names = [f"f{j}" for j in range(x.shape[1])]
    settings = {
        "min_coverage": min_coverage,
        "min_draws": min_draws,
        "min_gain": min_gain,
        "tolerance": tolerance,
        "n_quantiles": n_quantiles,
    }
    rules = discover_rules(x, names, win, ids, min_share=0.1, beam=x.shape[1], **settings)  # type: ignore[arg-type]
    assert as_tuples(rules) == reference_rules(x, win, ids, min_share=0.1, **settings)  # type: ignore[arg-type]
    assert_counts_match(x, names, win, ids, rules)
    for r in rules:
        assert r.share >= 0.1 - EPS
        assert len(r.conditions) <= 2
        for c in r.conditions:
            assert c.value in x[:, c.feature]  # thresholds are values the draws took


@given(draws=draws_of(5), n_quantiles=st.integers(2, 5), cache=st.sampled_from([0, 10**9]))
def test_blocks_and_cache_change_no_rule(
    draws: tuple[list[list[int]], list[int]], n_quantiles: int, cache: int
) -> None:
    """Blocks of 2 features and 7 draws, with and without the count cache: still exactly the
    brute-force choice (the blocking is a memory bound, never a different answer)."""
    x = np.array(draws[0], dtype=float) / 6
    win = np.array(draws[1], dtype=np.intp)
    ids = ["a", "b", "c"]
    names = [f"f{j}" for j in range(x.shape[1])]
    kw = {"min_draws": 2, "n_quantiles": n_quantiles}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(discovery_module, "_FEATURE_BLOCK", 2)
        mp.setattr(discovery_module, "_CHUNK_ROWS", 7)
        mp.setattr(discovery_module, "_CACHE_BYTES", cache)
        rules = discover_rules(x, names, win, ids, min_share=0.1, beam=x.shape[1], **kw)  # type: ignore[arg-type]
    expected = reference_rules(
        x, win, ids, min_share=0.1, min_coverage=0.5, min_gain=0.05, tolerance=0.02, **kw
    )  # type: ignore[arg-type]
    assert as_tuples(rules) == expected


@given(
    seed=st.integers(0, 2**32 - 1),
    k=st.integers(20, 300),
    level=st.integers(1, 9),
    n_noise=st.integers(1, 8),
)
def test_noise_features_do_not_change_a_separable_rule(
    seed: int, k: int, level: int, n_noise: int
) -> None:
    """'a' wins exactly where x <= its level/10 quantile: coverage and density 1, which no
    noise column can beat, so adding noise columns leaves a's rule as it was."""
    rng = np.random.default_rng(seed)
    x = rng.random((k, 1))
    cut = np.quantile(x[:, 0], level / 10, method="inverted_cdf")
    win = (x[:, 0] > cut).astype(np.intp)
    ids = ["a", "b"]
    kw = {"min_share": 0.01, "min_draws": 1, "n_quantiles": 10}
    alone = discover_rules(x, ["x"], win, ids, **kw)  # type: ignore[arg-type]
    noisy_x = np.column_stack([x, rng.random((k, n_noise))])
    noisy_names = ["x"] + [f"noise{i}" for i in range(n_noise)]
    noisy = discover_rules(noisy_x, noisy_names, win, ids, **kw)  # type: ignore[arg-type]
    rule_a = next(r for r in alone if r.option == "a")
    assert rule_a.conditions == (Condition("x", "<=", float(cut), 0),)
    assert (rule_a.coverage, rule_a.density) == (1.0, 1.0)
    assert next(r for r in noisy if r.option == "a") == rule_a
    assert_counts_match(noisy_x, noisy_names, win, ids, noisy)
