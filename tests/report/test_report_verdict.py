"""The verdict (evaluator.report.summary): every claim checked against the number it rests on.

Fixtures: the mini library with hand-built SMAA results (a clear winner, a tie, a robustly
worst option) and a copy of mini with one "unaffected" declaration removed, so that one cell
becomes an evidence gap and the winner depends on how gaps are filled. Expected numbers are
computed here from the results, never copied from the verdict.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from conftest import GENERATED_AT, scenarios_valid
from helpers import MINI, SCENARIOS

from evaluator.evaluation import as_library, compare, evaluate
from evaluator.model import ICD203_TERMS
from evaluator.report.context import Results, build_context
from evaluator.report.summary import (
    Support,
    VerdictFacts,
    chance,
    compose_verdict,
    distinct,
    icd_term,
    short_label,
    verdict_facts,
)
from evaluator.sensitivity import SMAAResult, analyse_sensitivity

MINI_IDS = ("levee", "relocation", "wetland")  # library order: rows of every array


def smaa(acceptability: list[list[float]], samples: int = 20_000) -> SMAAResult:
    """A hand-built SMAA result for mini (rows in MINI_IDS order, columns ranks 1..3)."""
    ra = np.array(acceptability, dtype=float)
    assert np.allclose(ra.sum(axis=0), 1.0)
    assert np.allclose(ra.sum(axis=1), 1.0)
    return SMAAResult(
        options=MINI_IDS,
        samples=samples,
        seed=0,
        rank_acceptability=ra,
        rank_acceptability_se=np.full_like(ra, 0.001),
        central_weights=np.full((3, 5), 0.2),
        confidence=np.array([0.5, 0.5, 0.5]),
        confidence_samples=samples,
    )


def mini_results(
    acceptability: list[list[float]], library: Any = MINI, method: str = "weighted-sum"
) -> Results:
    lib = as_library(library)
    sens = analyse_sensitivity(lib, samples=10, seed=0, method=method)
    sens = dataclasses.replace(sens, smaa=smaa(acceptability))
    lenses = {s.id: evaluate(lib, lens=s.id, method=method) for s in lib.sources}
    return Results(lib, sens, compare(lib), lenses, "9.9.9", GENERATED_AT)


def verdict_of(results: Results) -> tuple[dict[str, Any], VerdictFacts]:
    facts = verdict_facts(results.library, results.sensitivity, results.comparison, results.lenses)
    return compose_verdict(facts), facts


def point(verdict: dict[str, Any], label: str) -> str:
    found = [p["text"] for p in verdict["points"] if p["label"] == label]
    assert len(found) == 1, (label, [p["label"] for p in verdict["points"]])
    return str(found[0])


def all_text(verdict: dict[str, Any]) -> str:
    return " ".join([verdict["headline"], *(p["text"] for p in verdict["points"])])


def title(results: Results, option: str) -> str:
    o = next(o for o in results.library.options if o.id == option)
    return short_label(o.id, o.title)


def check_common_claims(verdict: dict[str, Any], results: Results) -> None:
    """The claims every verdict makes that rest on the point run, stability, comparison,
    coverage and lenses, each checked against the number it states."""
    ev = results.evaluation
    sens = results.sensitivity
    order = [ev.option_ids[int(i)] for i in ev.order]
    scores = dict(zip(ev.option_ids, ev.scores.tolist(), strict=True))
    # the point run: winner, its score, the margin over the runner-up
    at = point(verdict, "At these weights")
    first, second = order[0], order[1]
    unit = "score" if ev.setup.higher_is_better else "Q, lower is better,"
    if ev.ranks[int(ev.order[0])] == ev.ranks[int(ev.order[1])]:
        assert (
            f"{title(results, first)} ranks first, tied with {title(results, second)} "
            f"({unit} {scores[first]:.3f})" in at
        )
    else:
        assert f"{title(results, first)} ranks first ({unit} {scores[first]:.3f})" in at
        margin = abs(scores[first] - scores[second])
        assert f"{margin:.3f} ahead of {title(results, second)}" in at
        assert f"({scores[second]:.3f})" in at
    # the closest weight threshold: the nearest end of a stability interval with a rival
    names = {c.id: c.name for c in results.library.all_criteria}
    ends = []
    for s in sens.stability:
        if s.high_rival is not None and s.high < 1:
            ends.append((s.high - s.weight, s, "rises above", s.high, s.high_rival))
        if s.low_rival is not None and s.low > 0:
            ends.append((s.weight - s.low, s, "falls below", s.low, s.low_rival))
    decides = " ".join(p["text"] for p in verdict["points"] if p["label"].startswith("What"))
    if not ends:
        assert (
            decides == "No single weight, moved alone with the others rescaled in proportion, "
            f"unseats {title(results, first)}."
        )
        return check_rest(verdict, results)
    _, s, way, threshold, rival = min(ends, key=lambda e: e[0])
    if abs(threshold - s.weight) < 1e-6:
        # the winner is on the edge: any of the limits at the current weight may be named
        said = []
        for distance, s, way, _limit, rival in ends:
            if distance < 1e-6:
                change = "rise" if way == "rises above" else "fall"
                said.append(
                    f"weight on {names[ev.criterion_ids[s.criterion_index]]}: the slightest "
                    f"{change} from its current {s.weight:.3f} puts "
                    f"{title(results, ev.option_ids[rival])} ahead of {title(results, first)}."
                )
        assert any(text in decides for text in said), (decides, said)
        return check_rest(verdict, results)
    crit = names[ev.criterion_ids[s.criterion_index]]
    match = re.search(
        rf"weight on {re.escape(crit)}: if it {way} (?:about )?([0-9.]+) "
        rf"\(now ([0-9.]+)(?:; found numerically)?\), "
        rf"{re.escape(title(results, ev.option_ids[rival]))} overtakes",
        decides,
    )
    assert match, decides
    shown, now = float(match.group(1)), float(match.group(2))
    assert shown == pytest.approx(threshold, abs=0.0006)
    assert now == pytest.approx(s.weight, abs=0.0006)
    assert match.group(1) != match.group(2)
    check_rest(verdict, results)


def check_rest(verdict: dict[str, Any], results: Results) -> None:
    """The claims resting on the comparison, the coverage and the lenses."""
    ev = results.evaluation
    order = [ev.option_ids[int(i)] for i in ev.order]
    first = order[0]
    # profile or method: the medians of Kendall's tau the sentence quotes
    comp = results.comparison
    cols = [c.split(":") for c in comp.columns]
    within = [
        comp.tau[a, b]
        for a in range(len(cols))
        for b in range(a + 1, len(cols))
        if cols[a][0] == cols[b][0]
    ]
    across = [
        comp.tau[a, b]
        for a in range(len(cols))
        for b in range(a + 1, len(cols))
        if cols[a][1] == cols[b][1]
    ]
    pm = point(verdict, "Profile or method")
    assert f"\u03c4 {np.nanmedian(within):.2f} between methods under one profile" in pm
    assert f"{np.nanmedian(across):.2f} between profiles under one method" in pm
    if np.nanmedian(within) - np.nanmedian(across) >= 0.1:
        assert pm.startswith("The value profile matters more than the method")
    # who ranks first in the other columns
    firsts = {o: int((comp.ranks[i] == 1.0).sum()) for i, o in enumerate(comp.option_ids)}
    other = point(verdict, "Other views")
    assert f"Across the {len(cols)} profile \u00d7 method combinations" in other
    named = sorted((o for o in firsts if firsts[o]), key=lambda o: (-firsts[o], order.index(o)))
    for o in named[:3]:
        assert f"{title(results, o)} in {firsts[o]}" in other
    rest = sum(firsts[o] for o in named[3:])
    assert (f"others in {rest}" in other) == (rest > 0)
    assert sum(firsts.values()) < len(cols) or "no option ranks first alone" not in other
    # gaps: the count of gap cells and what the winner is under each policy
    labels = [v for row in ev.setup.evidence.coverage_labels().values() for v in row.values()]
    gaps = point(verdict, "Gaps")
    if labels.count("gap"):
        assert f"{labels.count('gap')} of the {len(labels)} option \u00d7 criterion cells" in gaps
    else:
        assert f"None of the {len(labels)} option \u00d7 criterion cells" in gaps
    if ev.depends_on_gaps:
        assert gaps.startswith("The winner depends on how evidence gaps are filled")
        for policy, winner in ev.winner_by_gap_policy.items():
            assert re.search(
                rf"{re.escape(title(results, winner))} with gaps [a-z ]*\b{policy}\b", gaps
            ), (policy, gaps)
    elif labels.count("gap"):
        assert f"but {title(results, first)} ranks first whichever way" in gaps
    # sources: only the ones that discuss the option are counted
    sources_text = point(verdict, "Sources")
    for o in verdict["claims"]["support"]:
        discussing = [
            lens
            for lens in results.lenses.values()
            if lens.lens is None or o not in lens.lens.options_not_discussed
        ]
        put_first = sum(1 for lens in discussing if lens.ranks[lens.option_ids.index(o)] == 1.0)
        assert (
            f"{put_first} of the {len(discussing)} that discuss {title(results, o)} put it first"
            in sources_text
        )


def test_clear_winner() -> None:
    """p_best 0.85 for the wetland: the clear winner, with its number and ICD word."""
    results = mini_results([[0.05, 0.1, 0.85], [0.1, 0.8, 0.1], [0.85, 0.1, 0.05]])
    verdict, _ = verdict_of(results)
    assert verdict["headline"] == (
        "Restore the upstream wetland is the clear winner: best in 85% of 20,000 draws of the "
        "weights and judgements (very likely)."
    )
    assert icd_term(0.85) == "very likely"
    assert verdict["claims"]["clear_winner"] == "wetland"
    text = all_text(verdict)
    assert "effectively tied" not in text
    assert "clear winner" not in " ".join(p["text"] for p in verdict["points"])
    chances = point(verdict, "Chance of being best")
    assert chances.startswith("Restore the upstream wetland 85% (very likely)")
    assert "Relocate the lower town 10% (very unlikely)" in chances
    # levee is last in 85% of draws: robustly worst too
    assert point(verdict, "Worst") == (
        "Build a higher levee is robustly worst: last in 85% (very likely) of the draws."
    )
    assert point(verdict, "What could change it")
    check_common_claims(verdict, results)


def test_tie() -> None:
    """p_best 0.5 + 0.45 >= 0.9, no option >= 0.8: wetland and relocation effectively tied."""
    results = mini_results([[0.05, 0.3, 0.65], [0.45, 0.4, 0.15], [0.5, 0.3, 0.2]])
    verdict, _ = verdict_of(results)
    assert verdict["headline"] == (
        "No option is a clear winner: Restore the upstream wetland and Relocate the lower town "
        "are effectively tied, together best in 95% of 20,000 draws of the weights and "
        "judgements."
    )
    assert verdict["claims"]["tied"] == ["wetland", "relocation"]
    assert verdict["claims"]["tied_mass"] == pytest.approx(0.95)
    assert point(verdict, "Chance of being best") == (
        "Restore the upstream wetland 50% (roughly even chance); "
        "Relocate the lower town 45% (roughly even chance)."
    )
    assert icd_term(0.5) == icd_term(0.45) == "roughly even chance"
    assert point(verdict, "What decides")  # the label for a tie
    # nobody is last in >= 80%: the most often last is named with its share
    assert point(verdict, "Worst") == (
        "No option is robustly worst (last in 80% of the draws or more); "
        "Build a higher levee is last most often, in 65% (likely)."
    )
    assert verdict["claims"]["robustly_worst"] is None
    check_common_claims(verdict, results)


def test_tie_needs_the_next_option_until_the_mass_reaches_point_nine() -> None:
    """0.6 + 0.25 = 0.85 < 0.9: the third option joins the tie (0.6 + 0.25 + 0.15 = 1)."""
    results = mini_results([[0.15, 0.25, 0.6], [0.25, 0.5, 0.25], [0.6, 0.25, 0.15]])
    verdict, _ = verdict_of(results)
    assert verdict["claims"]["tied"] == ["wetland", "relocation", "levee"]
    assert (
        "Restore the upstream wetland, Relocate the lower town and Build a higher levee are"
        in (verdict["headline"])
    )
    assert "together best in 100% of" in verdict["headline"]
    check_common_claims(verdict, results)


def test_robustly_worst() -> None:
    """Relocation last in 90% of draws: robustly worst, even though it is second at the
    profile's weights; the wetland (p 0.7) is no clear winner, wetland + levee tie (1.0)."""
    results = mini_results([[0.3, 0.65, 0.05], [0.0, 0.1, 0.9], [0.7, 0.25, 0.05]])
    verdict, _ = verdict_of(results)
    assert point(verdict, "Worst") == (
        "Relocate the lower town is robustly worst: last in 90% (very likely) of the draws."
    )
    assert verdict["claims"]["robustly_worst"] == "relocation"
    assert verdict["claims"]["tied"] == ["wetland", "levee"]
    assert "together best in 100% of" in verdict["headline"]
    at = point(verdict, "At these weights")
    assert "yet it is best in only" not in at  # the wetland is in the tied set
    check_common_claims(verdict, results)


@pytest.mark.parametrize("method", ["topsis", "vikor", "promethee-ii", "weighted-product"])
def test_other_methods(method: str) -> None:
    """Numerical stability limits (TOPSIS, VIKOR, PROMETHEE) and Q (lower is better)."""
    results = mini_results([[0.05, 0.3, 0.65], [0.45, 0.4, 0.15], [0.5, 0.3, 0.2]], method=method)
    verdict, _ = verdict_of(results)
    exact = all(s.exact for s in results.sensitivity.stability)
    edge = verdict["claims"].get("on_the_edge", False)
    assert ("found numerically" in all_text(verdict)) == (not exact and not edge)
    check_common_claims(verdict, results)


def test_numerical_limits_are_said_to_be_approximate() -> None:
    results = mini_results([[0.05, 0.1, 0.85], [0.1, 0.8, 0.1], [0.85, 0.1, 0.05]])
    facts = verdict_of(results)[1]
    text = point(compose_verdict(dataclasses.replace(facts, exact=False)), "What could change it")
    assert "if it rises above about 0.235 (now 0.200; found numerically)" in text
    assert "about" not in point(compose_verdict(facts), "What could change it")


def test_point_winner_outside_the_tied_set_is_said_so() -> None:
    """The wetland ranks first at the profile's weights but is best in only 5% of draws."""
    results = mini_results([[0.5, 0.3, 0.2], [0.45, 0.4, 0.15], [0.05, 0.3, 0.65]])
    verdict, _ = verdict_of(results)
    assert verdict["claims"]["tied"] == ["levee", "relocation"]
    at = point(verdict, "At these weights")
    assert at.endswith("yet it is best in only 5% (very unlikely) of the draws.")
    check_common_claims(verdict, results)


@pytest.fixture(scope="module")
def gap_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Mini with the wetland's "unaffected" on ecology harm removed: that cell is a gap."""
    target = tmp_path_factory.mktemp("gaps") / "mini"
    shutil.copytree(MINI, target)
    path = target / "options" / "wetland.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["unaffected"] = [u for u in data["unaffected"] if u["criterion"] != "ecology-harm"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


def test_ranking_that_depends_on_gaps(gap_library: Path) -> None:
    results = mini_results(
        [[0.05, 0.3, 0.65], [0.5, 0.35, 0.15], [0.45, 0.35, 0.2]], library=gap_library
    )
    ev = results.evaluation
    assert ev.depends_on_gaps  # the fixture does what it says
    assert ev.winner_by_gap_policy == {
        "neutral": "relocation",
        "zero": "wetland",
        "worst": "relocation",
    }
    verdict, _ = verdict_of(results)
    assert point(verdict, "Gaps") == (
        "The winner depends on how evidence gaps are filled: Relocate the lower town with gaps "
        "neutral or worst; Restore the upstream wetland with gaps zero (this report: neutral). "
        "1 of the 15 option \u00d7 criterion cells are evidence gaps."
    )
    assert verdict["claims"]["depends_on_gaps"] is True
    assert verdict["claims"]["gaps"] == (1, 15)
    check_common_claims(verdict, results)


def test_gaps_that_do_not_change_the_winner_are_counted_and_said_so() -> None:
    results = mini_results([[0.05, 0.3, 0.65], [0.45, 0.4, 0.15], [0.5, 0.3, 0.2]])
    verdict, _ = verdict_of(results)
    assert verdict["claims"]["depends_on_gaps"] is False
    assert point(verdict, "Gaps").startswith("None of the 15 option \u00d7 criterion cells")


def test_fragile_precondition_is_the_winners() -> None:
    """The wetland's precondition "farmers sell" (0.325 pooled): if it fails, relocation."""
    results = mini_results([[0.05, 0.3, 0.65], [0.45, 0.4, 0.15], [0.5, 0.3, 0.2]])
    verdict, _ = verdict_of(results)
    what_if = next(w for w in results.sensitivity.what_ifs if w.option == "wetland")
    assert what_if.winner_if_failed == "relocation"
    assert point(verdict, "Fragile") == (
        "Restore the upstream wetland's lead rests on \u201cUpstream farmers sell their low "
        f"fields\u201d, judged {icd_term(what_if.likelihood)} ({what_if.likelihood:.2f} pooled); "
        "if it fails, Relocate the lower town ranks first."
    )


def test_sources_count_only_those_that_discuss_the_option() -> None:
    """A source that never mentions an option is left out of "N of M put it first"."""
    facts = verdict_of(mini_results([[0.05, 0.1, 0.85], [0.1, 0.8, 0.1], [0.85, 0.1, 0.05]]))[1]
    facts = dataclasses.replace(
        facts, support={**facts.support, "wetland": Support(first=3, discussing=4, sources=5)}
    )
    text = point(compose_verdict(facts), "Sources")
    assert "3 of the 4 that discuss Restore the upstream wetland put it first" in text
    assert "(1 does not discuss it)" in text
    assert "Seen through each of the 5 sources alone" in text


@pytest.mark.skipif(not SCENARIOS.exists(), reason="no scenarios library")
def test_scenarios_verdict_counts_sources_that_discuss_it() -> None:
    """On the shipped library a source that never discusses the winner is not counted."""
    if not scenarios_valid():
        pytest.skip("scenarios/ does not validate yet")
    lib = as_library(SCENARIOS)
    sens = analyse_sensitivity(lib, samples=400, seed=0)
    lenses = {s.id: evaluate(lib, lens=s.id) for s in lib.sources}
    results = Results(lib, sens, compare(lib), lenses, "9.9.9", GENERATED_AT)
    verdict, _ = verdict_of(results)
    check_common_claims(verdict, results)


# Numbers on the right side of their thresholds ---------------------------------------------


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (0.586, "59%"),
        (0.7996, "79.96%"),
        (0.8, "80%"),
        (0.8004, "80%"),
        (0.89996, "89.996%"),
        (0.9996, "99.96%"),
        (0.0004, "0.04%"),
        (0.0, "0%"),
        (0.5496, "54.96%"),
        (0.19996, "19.996%"),
    ],
)
def test_chance_keeps_the_side_of_every_threshold(p: float, text: str) -> None:
    assert chance(p) == text


def test_tied_mass_is_not_spoilt_by_float_sums() -> None:
    """0.6 + 0.3 is 0.9: the pair is tied and prints as 90%, not 90.0000000%."""
    results = mini_results([[0.1, 0.15, 0.75], [0.3, 0.6, 0.1], [0.6, 0.25, 0.15]])
    verdict, _ = verdict_of(results)
    assert verdict["claims"]["tied"] == ["wetland", "relocation"]
    assert "together best in 90% of" in verdict["headline"]


def test_distinct_prints_enough_digits_to_differ() -> None:
    assert distinct(0.0846, 0.0476) == ("0.085", "0.048")
    assert distinct(0.0504, 0.0501) == ("0.0504", "0.0501")
    assert distinct(0.2351, 0.2) == ("0.235", "0.200")


def random_facts(rng: np.random.Generator, n: int) -> VerdictFacts:
    ids = [f"o{i}" for i in range(n)]
    p = rng.dirichlet(np.full(n, rng.choice([0.2, 1.0, 5.0])))
    last = rng.dirichlet(np.full(n, rng.choice([0.2, 1.0, 5.0])))
    scores = rng.random(n)
    order = sorted(ids, key=lambda o: -scores[ids.index(o)])
    return VerdictFacts(
        titles={o: o.upper() for o in ids},
        order=order,
        scores=dict(zip(ids, scores.tolist(), strict=True)),
        ranks={o: float(order.index(o) + 1) for o in ids},
        higher_is_better=True,
        profile="P",
        method="M",
        samples=1000,
        p_best=dict(zip(ids, p.tolist(), strict=True)),
        p_last=dict(zip(ids, last.tolist(), strict=True)),
    )


def test_the_verdict_never_contradicts_itself() -> None:
    """Random p_best and last-rank shares: the words always agree with the printed numbers."""
    rng = np.random.default_rng(11)
    terms = list(ICD203_TERMS.items())
    for _ in range(300):
        facts = random_facts(rng, int(rng.integers(2, 9)))
        v = compose_verdict(facts)
        head = v["headline"]
        if "is the clear winner" in head:
            shown = float(re.search(r"best in ([0-9.]+)%", head).group(1))  # type: ignore[union-attr]
            assert shown >= 80
        else:
            assert head.startswith("No option is a clear winner")
            mass = float(re.search(r"together best in ([0-9.]+)%", head).group(1))  # type: ignore[union-attr]
            assert mass >= 90
            for o in v["claims"]["tied"]:
                assert facts.p_best[o] < 0.8
        # every "N% (term)" pair: the printed number lies in the term's range
        for number, term in re.findall(r"([0-9.]+)% \(([a-z ]+)\)", " ".join(all_text(v).split())):
            value = float(number) / 100
            low, high = dict(terms).get(term, (0.0, 1.0))
            if term == terms[0][0]:
                low = 0.0
            if term == terms[-1][0]:
                high = 1.0
            assert low <= value <= high, (number, term)
        worst = point(v, "Worst")
        if "is robustly worst" in worst:
            assert float(re.search(r"last in ([0-9.]+)%", worst).group(1)) >= 80  # type: ignore[union-attr]
        else:
            assert float(re.search(r"in ([0-9.]+)% \(", worst).group(1)) < 80  # type: ignore[union-attr]


def test_context_carries_the_verdict_first() -> None:
    results = mini_results([[0.05, 0.1, 0.85], [0.1, 0.8, 0.1], [0.85, 0.1, 0.05]])
    ctx = build_context(results)
    assert ctx["verdict"]["headline"].startswith("Restore the upstream wetland is the clear winner")
    assert [p["label"] for p in ctx["verdict"]["points"]][:2] == [
        "Chance of being best",
        "At these weights",
    ]


def test_short_label() -> None:
    assert short_label("wetland", "Restore the upstream wetland") == "Restore the upstream wetland"
    assert (
        short_label("grand-bargain", "Grand bargain: sanctions relief and acceptance of Assad")
        == "Grand bargain"
    )
    assert (
        short_label(
            "afghanistan-transit-corridor",
            "Russian transit corridor for supplies to US and NATO forces in Afghanistan",
        )
        == "Afghanistan transit corridor"
    )
