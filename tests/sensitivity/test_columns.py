"""Exactness of the linchpin search's shortcuts (evaluator.sensitivity.columns).

Pruning by reach and the closed-form thresholds of the weighted sum must change nothing:
pruned and unpruned runs give identical entries, closed-form thresholds agree with the
bisection to 1e-9, and with brute force on the loaded library (a judgement edited to just
before and just past its threshold, re-scored through ``evaluate``).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import yaml
from helpers import MINI, SCENARIOS
from hypothesis import given, settings
from hypothesis import strategies as st
from judgement_edits import with_value

from evaluator import load_library
from evaluator.evaluation import evaluate, prepare, score_setup
from evaluator.model import Library
from evaluator.scoring.ranking import TIE_RTOL, tie_groups
from evaluator.sensitivity import find_linchpins
from evaluator.sensitivity.columns import _median_with
from evaluator.sensitivity.linchpins import _searcher
from evaluator.sensitivity.thresholds import Searcher

TERMS = ["very unlikely", "unlikely", "roughly even chance", "likely", "very likely"]


def write_library(root: Path, m: int, n: int, seed: int) -> Path:
    """A seeded random library: criteria alternate benefit and cost; each option has 1-3
    benefits and 1-2 risks (1-3 assessments each) on random criteria, a precondition
    every other option, unaffected declarations on half the remaining cells and gaps on
    the rest; option 1 includes option 0 (shared items) when ``seed`` is odd."""
    rng = np.random.default_rng(seed)
    (root / "options").mkdir(parents=True)
    sources = [f"s{i}" for i in range(4)]
    (root / "sources.yaml").write_text(
        yaml.safe_dump(
            [{"id": s, "title": s, "document": f"{s}.txt", "stance": "Test."} for s in sources]
        ),
        encoding="utf-8",
    )
    criteria = [f"c{j}" for j in range(n)]
    (root / "criteria.yaml").write_text(
        yaml.safe_dump(
            [
                {
                    "id": c,
                    "name": c,
                    "description": "Test.",
                    "direction": "benefit" if j % 2 == 0 else "cost",
                }
                for j, c in enumerate(criteria)
            ]
        ),
        encoding="utf-8",
    )
    weights: dict[str, float] = {c: float(rng.uniform(0.5, 2)) for c in criteria}
    weights["feasibility"] = 1.0
    (root / "profiles.yaml").write_text(
        yaml.safe_dump([{"id": "p", "name": "P", "description": "Test.", "weights": weights}]),
        encoding="utf-8",
    )

    def views(extra: dict[str, str] | None = None) -> list[dict[str, Any]]:
        chosen = rng.choice(sources, size=int(rng.integers(1, 4)), replace=False)
        return [
            {
                "source": str(s),
                "likelihood": TERMS[int(rng.integers(len(TERMS)))],
                "quote": "a test quote of at least six words",
                **(extra or {}),
            }
            for s in chosen
        ]

    first: set[str] = set()  # option 0's criteria, evidence for option 1 when it includes it
    for i in range(m):
        used = rng.permutation(n)
        nb, nr = int(rng.integers(1, 4)), int(rng.integers(1, 3))
        benefits = [
            {
                "id": f"o{i}-b{k}",
                "text": "A gain.",
                "criterion": criteria[int(c)],
                "magnitude": int(rng.integers(1, 6)),
                "assessments": views(),
            }
            for k, c in enumerate(used[:nb])
        ]
        risks = [
            {
                "id": f"o{i}-r{k}",
                "text": "A harm.",
                "criterion": criteria[int(c)],
                "impact": int(rng.integers(1, 6)),
                "assessments": views({"mitigable": ["yes", "partly", "no"][k % 3]}),
            }
            for k, c in enumerate(used[nb : nb + nr])
        ]
        if i == 0:
            first = {criteria[int(c)] for c in used[: nb + nr]}
        rest = [criteria[int(c)] for c in used[nb + nr :]]
        if i == 1 and seed % 2:
            rest = [c for c in rest if c not in first]
        doc: dict[str, Any] = {
            "id": f"o{i}",
            "title": f"Option {i}",
            "summary": "Test.",
            "theatre": "Here",
            "benefits": benefits,
            "risks": risks,
            "unaffected": [
                {"criterion": c, "rationale": "Test."} for c in rest if rng.random() < 0.5
            ],
        }
        if i % 2:
            doc["preconditions"] = [
                {"id": f"o{i}-pre", "text": "A condition.", "assessments": views()}
            ]
        else:
            doc["unaffected"].append({"criterion": "feasibility", "rationale": "Test."})
        if i == 1 and seed % 2:
            doc["includes"] = ["o0"]
        (root / "options" / f"o{i}.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def libraries(tmp_path_factory: pytest.TempPathFactory) -> list[Library]:
    root = tmp_path_factory.mktemp("libraries")
    libs = [load_library(write_library(root / f"lib{s}", 9, 6, s)) for s in (1, 2)]
    return [load_library(MINI), *libs]


RUNS: list[dict[str, Any]] = [
    {},
    {"normalization": "offset-minmax"},
    {"normalization": "none"},
    {"gaps": "worst"},
    {"gaps": "zero", "feasibility": "expected"},
    {"method": "weighted-product"},
    {"method": "topsis"},
    {"method": "vikor"},
    {"method": "promethee-ii"},
]


@pytest.mark.parametrize("run", RUNS, ids=lambda r: "-".join(map(str, r.values())) or "default")
def test_pruned_and_unpruned_results_are_identical(
    libraries: list[Library], run: dict[str, Any]
) -> None:
    pruned_any = 0
    for lib in libraries:
        second = sorted(o.id for o in lib.options)[1]
        for target in [None, second] if run.get("method") in (None, "vikor") else [None]:
            pruned = find_linchpins(lib, samples=50, target=target, **run)
            full = find_linchpins(lib, samples=50, target=target, prune=False, **run)
            assert full.pruned == 0
            assert pruned.searched + pruned.pruned == full.searched
            assert [j.to_dict() for j in pruned.judgements] == [
                j.to_dict() for j in full.judgements
            ]
            pruned_any += pruned.pruned
    if run.get("method", "weighted-sum") in ("weighted-sum", "weighted-product"):
        assert pruned_any > 0  # the shortcut was taken, so the comparison means something


@pytest.mark.parametrize(
    ("normalization", "gaps"),
    [("minmax", "neutral"), ("offset-minmax", "worst"), ("none", "neutral")],
)
def test_closed_form_thresholds_agree_with_bisection(
    libraries: list[Library], normalization: str, gaps: str
) -> None:
    solved = 0
    shipped = (SCENARIOS / "sources.yaml").exists() and normalization == "minmax"
    libs = [*libraries, *([load_library(SCENARIOS)] if shipped else [])]
    for lib in libs:
        for target in (None, 0):
            setup = prepare(lib, normalization=normalization, gaps=gaps)
            base = score_setup(setup)
            searcher, knobs, _, _ = _searcher(lib, setup, base, target)
            active = ~searcher.screen(knobs, prune=False)
            closed = searcher.thresholds(knobs, active)
            solved += searcher.solved
            bisected = searcher.thresholds(knobs, active, exact=False)
            a = {(c.knob, c.direction): c for c in closed}
            b = {(c.knob, c.direction): c for c in bisected}
            assert set(a) == set(b)
            for key, change in a.items():
                assert abs(change.threshold - b[key].threshold) <= 1e-9
                assert (change.winner, change.rank) == (b[key].winner, b[key].rank) or (
                    np.isnan(change.rank) and change.winner == b[key].winner
                )
    assert solved > 20


@pytest.mark.parametrize("gaps", ["neutral", "worst"])
def test_closed_form_thresholds_agree_with_brute_force(libraries: list[Library], gaps: str) -> None:
    checked = 0
    for lib in libraries[1:]:
        found = find_linchpins(lib, samples=50, gaps=gaps)
        base = evaluate(lib, gaps=gaps).winner
        for j in found.judgements:
            if j.field not in ("likelihood", "magnitude", "impact"):
                continue
            assert isinstance(j.threshold, float)
            assert isinstance(j.value, float)
            low, high = (0.0, 1.0) if j.field == "likelihood" else (1.0, 5.0)
            sign = 1.0 if j.direction == "up" else -1.0
            step = 1e-6 * (high - low)
            past = min(high, max(low, j.threshold + sign * step))
            assert evaluate(with_value(lib, j, past), gaps=gaps).winner == j.new_winner != base
            for x in np.linspace(j.value, j.threshold - sign * step, 6):
                assert evaluate(with_value(lib, j, float(x)), gaps=gaps).winner == base
            checked += 1
    assert checked >= 5


def test_median_with_one_value_replaced_matches_numpy() -> None:
    rng = np.random.default_rng(0)
    for size in range(1, 9):
        known = np.sort(rng.integers(0, 5, size).astype(float))
        old = float(known[int(rng.integers(size))])
        new = rng.uniform(-1, 6, 7)
        got = _median_with(known, old, new)
        for value, median in zip(new, got, strict=True):
            replaced = list(known)
            replaced.remove(old)
            assert median == pytest.approx(np.median([*replaced, value]), abs=1e-12)


def _reference_outcomes(
    scores: np.ndarray, higher_is_better: bool, target: int | None, keys: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Winner and target rank from every option's tie group (the full sort)."""
    m = scores.shape[1]
    groups = tie_groups(scores, higher_is_better=higher_is_better)
    winner = np.argmin(groups * m + keys, axis=1)
    if target is None:
        return winner, np.full(len(scores), np.nan)
    mine = groups[:, target][:, None]
    rank = 1.0 + np.sum(groups < mine, axis=1) + (np.sum(groups == mine, axis=1) - 1) / 2.0
    return winner, rank


@given(
    seed=st.integers(0, 2**32 - 1),
    m=st.integers(2, 40),
    rows=st.integers(1, 12),
    higher_is_better=st.booleans(),
    with_target=st.booleans(),
)
@settings(max_examples=300, deadline=None)
def test_windowed_tie_groups_give_the_full_sorts_winner_and_rank(
    seed: int, m: int, rows: int, higher_is_better: bool, with_target: bool
) -> None:
    """Near-ties sorted only within their window: the same winners and target ranks as
    sorting every option, on rows built of exact ties, chains of steps just under and just
    over the tolerance, and far-apart values, of either sign."""
    rng = np.random.default_rng(seed)
    level = rng.integers(0, 3, size=(rows, m)).astype(float) * rng.choice([1.0, 1e-6, 0.3])
    steps = rng.choice([0.0, 0.5, 0.99, 1.01, 2.0, 40.0], size=(rows, m))
    start = np.sign(rng.random() - 0.3) * 2.0 + level
    tolerance = TIE_RTOL * np.abs(start).max(axis=1, keepdims=True)  # each row's, to ~1e-7
    scores = start + np.cumsum(steps, axis=1) * tolerance
    for row in scores:
        rng.shuffle(row)
    target = int(rng.integers(m)) if with_target else None
    keys = rng.permutation(m).astype(np.intp)
    searcher = object.__new__(Searcher)
    searcher.setup = SimpleNamespace(higher_is_better=higher_is_better)  # type: ignore[assignment]
    searcher.target = target
    searcher.keys = keys
    winner, rank = searcher.outcomes(scores)
    expected_winner, expected_rank = _reference_outcomes(scores, higher_is_better, target, keys)
    assert np.array_equal(winner, expected_winner)
    assert np.array_equal(rank, expected_rank, equal_nan=True)
