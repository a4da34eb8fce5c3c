"""find_linchpins and the linchpins verb, checked by brute force on copies of the mini library.

A threshold is checked by editing the judgement in the library (YAML on disk, or the loaded
model for the many points of an interval scan), re-loading and re-scoring through
``evaluate``, which never opens a judgement into a range: just past the threshold the
outcome has changed, just before it and anywhere between the stated value and it, it has not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from helpers import MINI, SCENARIOS
from judgement_edits import with_value
from typer.testing import CliRunner

from evaluator import RunOptions, load_library
from evaluator.cli import app
from evaluator.errors import OptionError
from evaluator.evaluation import compile_run, evaluate, prepare
from evaluator.model import Library
from evaluator.scoring import order
from evaluator.sensitivity import find_linchpins
from evaluator.sensitivity.analysis import what_ifs
from evaluator.sensitivity.knobs import open_library, parameter_knobs, stated_ranges
from evaluator.sensitivity.linchpins import Judgement, sample_draws, term_of

runner = CliRunner()
LIB = load_library(MINI)
METHODS = ["weighted-sum", "weighted-product", "topsis", "promethee-ii", "vikor"]
EPS = 1e-6


def option_files(root: Path) -> list[Path]:
    return sorted((root / "options").glob("*.yaml"))


def edit_yaml(root: Path, j: Judgement, value: Any) -> None:
    """Set judgement ``j`` to ``value`` in the YAML files under ``root``."""
    for path in option_files(root):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        changed = False
        for kind in ("benefits", "risks", "preconditions"):
            for item in doc.get(kind, []):
                if item["id"] != j.item:
                    continue
                if j.field in ("magnitude", "impact"):
                    item[j.field] = value
                else:
                    for a in item["assessments"]:
                        if a["source"] == j.source:
                            a[j.field] = value
                changed = True
        if changed:
            path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")


def outcome(library: Library | Path, method: str, target: str | None) -> Any:
    result = evaluate(library, method=method)
    if target is None:
        return result.winner
    return float(result.ranks[result.option_ids.index(target)])


def clip(j: Judgement, x: float) -> float:
    low, high = (0.0, 1.0) if j.field == "likelihood" else (1.0, 5.0)
    return min(high, max(low, x))


def check_thresholds(tmp_path: Path, method: str, target: str | None) -> int:
    found = find_linchpins(LIB, method=method, target=target, samples=200)
    base = outcome(LIB, method, target)
    checked = 0
    for j in found.judgements:
        if j.field not in ("likelihood", "magnitude", "impact"):
            continue
        assert isinstance(j.threshold, float)
        assert isinstance(j.value, float)
        sign = 1.0 if j.direction == "up" else -1.0
        step = EPS * (1.0 if j.field == "likelihood" else 4.0)
        root = tmp_path / f"{method}-{checked}"
        import shutil

        shutil.copytree(MINI, root)
        edit_yaml(root, j, clip(j, j.threshold + sign * step))
        after = outcome(root, method, target)
        assert after != base, j.sentence
        if target is None:
            assert after == j.new_winner
        else:
            assert after == j.new_rank
        edit_yaml(root, j, clip(j, j.threshold - sign * step))
        assert outcome(root, method, target) == base, j.sentence
        # no earlier change between the stated value and the threshold
        for x in np.linspace(j.value, j.threshold - sign * step, 41):
            assert outcome(with_value(LIB, j, float(x)), method, target) == base, (j.sentence, x)
        checked += 1
    return checked


@pytest.mark.parametrize("method", METHODS)
def test_thresholds_agree_with_brute_force(tmp_path: Path, method: str) -> None:
    assert check_thresholds(tmp_path, method, None) >= 1


def test_target_rank_thresholds_agree_with_brute_force(tmp_path: Path) -> None:
    assert check_thresholds(tmp_path, "weighted-sum", "levee") >= 3


def test_a_judgement_with_no_entry_cannot_change_the_winner_over_its_domain() -> None:
    """Completeness: judgements the search reports nothing for never flip on a scan."""
    found = find_linchpins(LIB, samples=200)
    reported = {(j.item, j.source, j.field, j.direction) for j in found.judgements}
    base = evaluate(LIB).winner
    probe = Judgement("levee-protects-town", None, "magnitude", 5.0, 5.0, "down", "", False, 0, "")
    # levee-protects-town magnitude: 5 stated; scan the whole scale downwards
    flips = [x for x in np.linspace(1, 5, 81) if evaluate(with_value(LIB, probe, x)).winner != base]
    assert bool(flips) == (("levee-protects-town", None, "magnitude", "down") in reported)


@pytest.mark.parametrize("method", ["weighted-sum", "vikor"])
def test_mitigability_levels_agree_with_brute_force(tmp_path: Path, method: str) -> None:
    found = find_linchpins(LIB, method=method, samples=200)
    base = evaluate(LIB, method=method).winner
    levels = ["yes", "partly", "no"]
    risk_views = [
        (r.id, a.source, a.mitigable) for o in LIB.options for r in o.risks for a in r.assessments
    ]
    entries = {
        (j.item, j.source, j.direction): j for j in found.judgements if j.field == "mitigable"
    }
    import shutil

    for n, (item, source, now) in enumerate(risk_views):
        for direction, step in (("up", 1), ("down", -1)):
            i = levels.index(now) + step
            first_flip = None
            while 0 <= i < len(levels):
                root = tmp_path / f"{method}-{n}-{direction}-{i}"
                shutil.copytree(MINI, root)
                j = Judgement(
                    item, source, "mitigable", now, levels[i], direction, "", False, 0, ""
                )
                edit_yaml(root, j, levels[i])
                winner = evaluate(root, method=method).winner
                if winner != base:
                    first_flip = (levels[i], winner)
                    break
                i += step
            entry = entries.get((item, source, direction))
            if first_flip is None:
                assert entry is None
            else:
                assert entry is not None
                assert (entry.threshold, entry.new_winner) == first_flip
                assert entry.change == 0.5 * abs(levels.index(first_flip[0]) - levels.index(now))


@pytest.mark.parametrize("method", METHODS)
def test_opened_library_at_the_stated_values_reproduces_the_point_matrix(method: str) -> None:
    setup = prepare(LIB, method=method)
    opened = compile_run(open_library(LIB), setup.run, setup.evidence.option_ids)
    stated, _ = stated_ranges(LIB)
    knobs, metas, base = parameter_knobs(opened, stated, LIB)
    # every judgement is now a parameter: 11 likelihoods, 8 magnitudes and impacts
    assert sorted(m.field for m in metas).count("likelihood") == 11
    assert len(knobs) == 19
    matrix = opened.evaluate(base[:, None], point=True)[0]
    np.testing.assert_allclose(matrix, setup.evidence.point_matrix(), rtol=0, atol=1e-12)


def test_entries_are_sorted_fragile_first_then_by_relative_change() -> None:
    found = find_linchpins(LIB, samples=200)
    keys = [(not j.fragile, j.change) for j in found.judgements]
    assert keys == sorted(keys)
    for j in found.judgements:
        if j.field == "likelihood":
            assert isinstance(j.threshold, float)
            assert isinstance(j.value, float)
            assert j.change == pytest.approx(abs(j.threshold - j.value))
            assert j.within_range == (j.low <= j.threshold <= j.high)  # type: ignore[operator]
        assert j.fragile == j.within_range


def test_a_fragile_likelihood_is_found_when_its_range_allows_the_flip(mini_copy: Path) -> None:
    """Widen gazette's range on compensation (stated [0.3, 0.5]) to [0.3, 0.6]: the flip to
    relocation (threshold about 0.55, per the default run) now lies inside the range."""
    before = find_linchpins(mini_copy, samples=200)
    flip = next(j for j in before.judgements if j.item == "compensation" and j.direction == "up")
    assert not flip.fragile
    edit_yaml(mini_copy, flip, [0.3, 0.6])
    after = find_linchpins(mini_copy, samples=200)
    again = next(j for j in after.judgements if j.item == "compensation" and j.direction == "up")
    assert again.fragile
    assert again.within_range
    assert after.judgements[0].fragile
    assert "within the source's own range" in again.sentence


def test_sources_left_out_match_a_library_edited_by_hand(mini_copy: Path) -> None:
    found = find_linchpins(LIB, samples=200)
    by_source = {s.source: s.winner_without for s in found.sources}
    assert set(by_source) == {"gazette", "review"}
    for source in by_source:
        root = mini_copy.parent / f"without-{source}"
        import shutil

        shutil.copytree(MINI, root)
        for path in option_files(root):
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
            for kind in ("benefits", "risks", "preconditions"):
                kept = []
                for item in doc.get(kind, []):
                    item["assessments"] = [a for a in item["assessments"] if a["source"] != source]
                    if item["assessments"]:
                        kept.append(item)
                doc[kind] = kept
            path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        assert by_source[source] == evaluate(root).winner


def test_preconditions_forced_name_the_winner_when_met_and_failed() -> None:
    found = find_linchpins(LIB, samples=200)
    rows = {w.precondition: w for w in found.preconditions}
    assert set(rows) == {"compensation", "farmers-sell"}
    for pre, w in rows.items():
        assert w.winner_if_met == evaluate(LIB, assume={pre: "met"}).winner
        assert w.winner_if_failed == evaluate(LIB, assume={pre: "failed"}).winner


def test_rules_coverage_and_density_recomputed_from_the_draws() -> None:
    setup = prepare(LIB)
    columns, names, winners = sample_draws(setup, 1000, 3)
    features = columns.array()
    found = find_linchpins(LIB, samples=1000, seed=3)
    assert found.rules
    ids = setup.evidence.option_ids
    for rule in found.rules:
        wins = winners == ids.index(rule.option)
        inside = np.ones(len(winners), dtype=bool)
        for c in rule.conditions:
            column = features[:, names.index(c.parameter)]
            inside &= column <= c.value if c.op == "<=" else column >= c.value
        assert rule.coverage == pytest.approx((inside & wins).sum() / wins.sum())
        assert rule.density == pytest.approx((inside & wins).sum() / inside.sum())


def test_draws_winners_match_evaluate_at_the_sampled_inputs() -> None:
    setup = prepare(LIB)
    columns, _names, winners = sample_draws(setup, 50, 1)
    features = columns.array()
    criteria = setup.evidence.criterion_ids
    for row, win in zip(features[:5], winners[:5], strict=True):
        weights = dict(zip(criteria, row[: len(criteria)], strict=True))
        params = row[len(criteria) :]
        mats = setup.evidence.evaluate(params[:, None])
        scores = setup.score_stack(mats, np.array(list(weights.values())))[0]
        assert int(np.argmax(scores)) == win


def test_same_seed_same_result_and_other_seed_other_draws() -> None:
    a = find_linchpins(LIB, samples=500, seed=7).to_dict()
    b = find_linchpins(LIB, samples=500, seed=7).to_dict()
    assert json.dumps(a) == json.dumps(b)
    setup = prepare(LIB)
    seven, eight = (sample_draws(setup, 500, seed)[0].array() for seed in (7, 8))
    assert not np.array_equal(seven, eight)


@pytest.mark.parametrize("width", [1, 3, 7, 1000])
def test_sampled_columns_drawn_again_in_chunks_are_the_draws_themselves(width: int) -> None:
    """The features are drawn again chunk by chunk instead of kept: any chunk width, and
    any order of requests, gives exactly the columns of one draw of everything, across
    blocks of draws (a block size of 7 makes 1000 draws span many)."""
    setup = prepare(LIB)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("evaluator.sensitivity.linchpins.block_size", lambda *_: 7)
        whole, _, winners = sample_draws(setup, 1000, 5)
        expected = whole.array()
        chunked = sample_draws(setup, 1000, 5)[0]
        chunked._width = width
        p = chunked.shape[1]
        assert expected.shape == (1000, p) == chunked.shape
        spans = [(lo, min(p, lo + 2)) for lo in range(0, p, 2)] + [(p - 3, p), (0, 1), (4, 9)]
        for lo, hi in spans:
            assert np.array_equal(chunked.columns(lo, hi), expected[:, lo:hi].T)
    n = len(setup.evidence.criterion_ids)
    assert np.allclose(expected[:, :n].sum(axis=1), 1.0)  # the weights come first
    low, high = setup.evidence.parameter_low, setup.evidence.parameter_high
    assert np.all((expected[:, n:] >= low) & (expected[:, n:] <= high))
    assert len(winners) == 1000


def test_unknown_target_is_an_option_error_naming_the_options() -> None:
    with pytest.raises(OptionError, match="levee, relocation, wetland"):
        find_linchpins(LIB, target="dam", samples=100)


@pytest.mark.skipif(not (SCENARIOS / "sources.yaml").exists(), reason="scenarios/ not present")
@pytest.mark.parametrize(
    ("method", "target"),
    [("weighted-sum", None), ("weighted-product", None), ("weighted-sum", "grand-bargain")],
)
def test_pruning_changes_no_entry_on_the_shipped_library(method: str, target: str | None) -> None:
    lib = load_library(SCENARIOS)
    pruned = find_linchpins(lib, samples=100, method=method, target=target)
    full = find_linchpins(lib, samples=100, method=method, target=target, prune=False)
    assert pruned.pruned > 0
    assert full.pruned == 0
    assert [j.to_dict() for j in pruned.judgements] == [j.to_dict() for j in full.judgements]


def test_cli_json_is_the_api_document() -> None:
    result = runner.invoke(
        app,
        ["linchpins", str(MINI), "--format", "json", "--samples", "300", "--top", "3"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc == find_linchpins(LIB, samples=300, top=3).to_dict()
    assert len(doc["judgements"]) == 3
    for key in ("winner", "judgements", "sources", "preconditions", "rules", "target", "seed"):
        assert key in doc
    for j in doc["judgements"]:
        assert set(j) >= {
            "item",
            "source",
            "field",
            "value",
            "threshold",
            "direction",
            "new_winner",
            "within_range",
            "fragile",
            "sentence",
        }
    assert {"source", "winner_without"} <= set(doc["sources"][0])
    assert {"precondition", "winner_if_met", "winner_if_failed"} <= set(doc["preconditions"][0])
    assert {"option", "conditions", "coverage", "density"} <= set(doc["rules"][0])


def test_cli_takes_run_options_and_target() -> None:
    result = runner.invoke(
        app,
        [
            "linchpins",
            str(MINI),
            "--format",
            "json",
            "--samples",
            "200",
            "--method",
            "topsis",
            "--target",
            "levee",
            "--profile",
            "thrift",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    api = find_linchpins(LIB, samples=200, method="topsis", target="levee", profile="thrift")
    assert doc == api.to_dict()
    assert doc["target"] == "levee"
    assert doc["method"] == "topsis"


def test_cli_unknown_target_exits_1_naming_the_options() -> None:
    result = runner.invoke(app, ["linchpins", str(MINI), "--target", "dam", "--samples", "100"])
    assert result.exit_code == 1
    assert "--target: unknown option 'dam'; options are: levee, relocation, wetland" in (
        result.stderr
    )


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_cli_table_formats_list_judgements_sources_preconditions_and_rules(fmt: str) -> None:
    result = runner.invoke(
        app, ["linchpins", str(MINI), "--format", fmt, "--samples", "300"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    for word in ("compensation", "gazette", "farmers-sell", "wetland"):
        assert word in result.stdout


def test_gap_thresholds_agree_with_a_direct_scan_of_the_cell(mini_copy: Path) -> None:
    """Drop relocation's 'unaffected: support': the cell becomes a gap, filled with the
    median of the known values (0 and 4). The reported thresholds are checked by scoring the
    point matrix with the cell overwritten (ranked by ``evaluator.scoring.order``)."""
    path = mini_copy / "options" / "relocation.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["unaffected"] = [u for u in doc["unaffected"] if u["criterion"] != "support"]
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    setup = prepare(mini_copy)
    ids = setup.evidence.option_ids
    row, col = ids.index("relocation"), setup.evidence.criterion_ids.index("support")

    def winner_with(value: float) -> str:
        matrix = setup.evidence.point_matrix()
        matrix[row, col] = value
        scores = setup.score_stack(matrix, setup.weights)
        return ids[int(order(scores, ids, higher_is_better=setup.higher_is_better)[0])]

    base = winner_with(setup.evidence.point_matrix()[row, col])
    found = find_linchpins(mini_copy, samples=200)
    gaps = [j for j in found.judgements if j.field == "gap"]
    assert gaps
    for j in gaps:
        assert (j.item, j.criterion) == ("relocation", "support")
        assert isinstance(j.threshold, float)
        assert isinstance(j.value, float)
        assert j.value == pytest.approx(2.0)
        sign = 1.0 if j.direction == "up" else -1.0
        assert winner_with(j.threshold + sign * 1e-6) == j.new_winner != base
        for x in np.linspace(j.value, j.threshold - sign * 1e-6, 101):
            assert winner_with(float(x)) == base
        assert j.within_range == (0.0 <= j.threshold <= 4.0)
        assert j.change == pytest.approx(abs(j.threshold - j.value) / 4.0)


def write_positive_library(root: Path) -> Path:
    """Two options, every value positive: ``sum`` normalization is accepted for the run,
    but opening a likelihood of 1 to [0, 1] reaches a zero cell, which ``sum`` refuses."""
    (root / "options").mkdir(parents=True)
    (root / "sources.yaml").write_text(
        "- {id: s, title: S, document: s.txt, stance: Neutral.}\n", encoding="utf-8"
    )
    (root / "criteria.yaml").write_text(
        "- {id: a, name: A, description: More is better., direction: benefit}\n"
        "- {id: b, name: B, description: More is better., direction: benefit}\n",
        encoding="utf-8",
    )
    (root / "profiles.yaml").write_text(
        "- {id: even, name: Even, description: Same weights., "
        "weights: {a: 1, b: 1, feasibility: 1}}\n",
        encoding="utf-8",
    )
    for option, (ma, mb) in {"x": (3, 2), "y": (2, 4)}.items():
        items = [
            {
                "id": f"{option}-{c}",
                "text": f"Gains on {c}.",
                "criterion": c,
                "magnitude": m,
                "assessments": [
                    {"source": "s", "likelihood": 1, "quote": f"option {option} gains a lot on {c}"}
                ],
            }
            for c, m in (("a", ma), ("b", mb))
        ]
        doc = {
            "id": option,
            "title": option,
            "summary": "An option.",
            "theatre": "Here",
            "benefits": items,
            "unaffected": [{"criterion": "feasibility", "rationale": "No precondition."}],
        }
        (root / "options" / f"{option}.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    return root


def test_a_ratio_normalization_never_scores_a_zero_it_cannot_take(tmp_path: Path) -> None:
    root = write_positive_library(tmp_path / "positive")
    run = {"method": "weighted-product", "normalization": "sum"}
    found = find_linchpins(root, samples=200, **run)
    assert evaluate(root, **run).winner == found.winner == "y"
    assert found.judgements
    for j in found.judgements:
        assert j.field in ("likelihood", "magnitude")
        if j.field == "likelihood":
            assert isinstance(j.threshold, float)
            assert j.threshold > 0  # at 0 the cell is 0, which sum cannot take
            sign = 1.0 if j.direction == "up" else -1.0
            past = with_value(load_library(root), j, clip(j, j.threshold + sign * 1e-6))
            assert evaluate(past, **run).winner == j.new_winner != "y"


@pytest.mark.parametrize(
    "run",
    [
        {},
        {"method": "vikor"},
        {"feasibility": "expected"},
        {"gaps": "worst", "method": "topsis"},
        {"assume": {"compensation": "met"}},
    ],
)
def test_batched_forced_preconditions_equal_the_what_ifs(run: dict[str, Any]) -> None:
    for library in (
        LIB,
        *([load_library(SCENARIOS)] if (SCENARIOS / "sources.yaml").exists() else []),
    ):
        if "assume" in run and library is not LIB:
            continue
        setup = prepare(library, **run)
        base = evaluate(library, **run)
        found = find_linchpins(library, samples=100, **run)
        assert found.preconditions == what_ifs(setup, base)
        assert found.preconditions


@pytest.mark.parametrize(
    ("value", "direction", "term"),
    [
        (0.55, "up", "likely"),
        (0.55, "down", "roughly even chance"),
        (0.3, "up", "unlikely"),
        (0.99, "up", "almost certain"),
        (0.01, "down", "almost no chance"),
        (0.995, "up", None),
    ],
)
def test_a_threshold_is_named_by_the_icd_203_band_the_change_moves_into(
    value: float, direction: str, term: str | None
) -> None:
    assert term_of(value, direction) == term


@pytest.mark.skipif(not (SCENARIOS / "sources.yaml").exists(), reason="scenarios/ not present")
@pytest.mark.parametrize(
    "run",
    [
        {"feasibility": "expected"},
        {"gaps": "worst"},
        {"gaps": "zero"},
        {"lens": "face-ripped-off", "lens_mode": "own"},
        {"lens": "terror-gift-russia"},
        {"min_feasibility": 0.2},
        {"options": ("justice-cooperation", "intelligence-sharing", "lower-level-contact")},
    ],
)
def test_every_run_option_reproduces_the_run_and_prunes_nothing_that_matters(
    run: dict[str, Any],
) -> None:
    """find_linchpins checks that the opened library reproduces the run's matrix (it raises
    otherwise); pruning must leave every entry as the full search finds it."""
    lib = load_library(SCENARIOS)
    options = RunOptions(**run)
    pruned = find_linchpins(lib, options, samples=100)
    full = find_linchpins(lib, options, samples=100, prune=False)
    assert pruned.winner == evaluate(lib, options).winner
    assert [j.to_dict() for j in pruned.judgements] == [j.to_dict() for j in full.judgements]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--top", "0"], "--top: must be at least 1"),
        (["--samples", "0"], "--samples: must be at least 1"),
        (["--seed", "-1"], "--seed: must be a non-negative integer"),
        (["--format", "xml"], "unknown format 'xml'"),
    ],
)
def test_cli_bad_values_exit_1_with_one_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["linchpins", str(MINI), *args])
    assert result.exit_code == 1
    assert message in result.stderr
