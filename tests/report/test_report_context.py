"""Unit tests of the view-model (evaluator.report.context and its helpers) on the mini library."""

from __future__ import annotations

import json
import shutil
from typing import Any

import numpy as np
import pytest
import yaml
from conftest import GENERATED_AT
from helpers import MINI

from evaluator.evaluation import as_library, compare, evaluate
from evaluator.model import Library
from evaluator.report.context import Results, build_context
from evaluator.report.evidence_view import (
    disagreements,
    judgement_text,
    likelihood_view,
    scale_text,
    source_risks,
    source_views,
)
from evaluator.report.formatting import icd_term, percent
from evaluator.report.sliders import slider_data
from evaluator.scoring import normalize
from evaluator.sensitivity import analyse_sensitivity


@pytest.fixture(scope="module")
def library() -> Library:
    return as_library(MINI)


def results_for(library: Library, **run: Any) -> Results:
    sens = analyse_sensitivity(library, samples=500, seed=1, **run)
    lenses = {s.id: evaluate(library, lens=s.id, **run) for s in library.sources}
    return Results(library, sens, compare(library), lenses, "9.9.9", GENERATED_AT)


@pytest.fixture(scope="module")
def context(library: Library) -> dict[str, Any]:
    return build_context(results_for(library))


def test_context_is_plain_data(context: dict[str, Any]) -> None:
    """Only dicts, lists, strings, numbers, bools and our own Markup charts reach templates."""

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list | tuple):
            for v in node:
                walk(v)
        else:
            assert node is None or isinstance(node, str | int | float | bool), type(node)

    walk(context)


@pytest.mark.parametrize(
    ("p", "term"),
    [
        (0.0, "almost no chance"),
        (0.049, "almost no chance"),
        (0.05, "very unlikely"),
        (0.2, "unlikely"),
        (0.5, "roughly even chance"),
        (0.55, "likely"),
        (0.61, "likely"),
        (0.9, "very likely"),
        (0.97, "almost certain"),
        (1.0, "almost certain"),
    ],
)
def test_icd_term_takes_the_range_that_holds_p(p: float, term: str) -> None:
    assert icd_term(p) == term


def test_percent_and_scale_text() -> None:
    assert percent(0.613) == "61%"
    assert percent(0.6124, 1) == "61.2%"
    assert scale_text(4.0) == "4"
    assert scale_text((3.0, 4.0)) == "3\u20134"


def test_likelihood_view_marks_translated_terms() -> None:
    assert likelihood_view("likely") == {
        "term": "likely",
        "stated_term": True,
        "range": "0.55\u20130.80",
    }
    assert likelihood_view(0.1) == {"term": "very unlikely", "stated_term": False, "range": "0.10"}
    assert likelihood_view((0.3, 0.5))["range"] == "0.30\u20130.50"


def test_manifest_names_the_run(context: dict[str, Any], library: Library) -> None:
    m = context["manifest"]
    assert m["library"] == "mini"
    assert m["digest"] == library.digest
    assert len(m["digest"]) == 64
    assert (m["profile"], m["method"], m["normalization"], m["feasibility"]) == (
        "balanced",
        "weighted-sum",
        "minmax",
        "weight",
    )
    assert (m["seed"], m["samples"], m["version"]) == (1, "500", "9.9.9")
    assert m["generated_at"] == "2024-05-01T12:00:00+00:00"


def test_verdict_states_winner_margin_stability_smaa_and_precondition(
    context: dict[str, Any],
) -> None:
    verdict = context["verdict"]
    text = " ".join([verdict["headline"], *(p["text"] for p in verdict["points"])])
    assert "With the Balanced profile's own weights and the Weighted sum method, Restore" in text
    assert "ranks first (score 0.600), 0.046 ahead of Relocate the lower town (0.554)" in text
    assert (
        "the weight on Flood safety: if it rises above 0.235 (now 0.200), Relocate the lower "
        "town overtakes Restore the upstream wetland" in text
    )
    assert "draws of the weights and judgements" in text
    assert "\u201cUpstream farmers sell their low fields\u201d, judged unlikely" in text
    assert "if it fails, Relocate the lower town ranks first" in text
    assert text.index(verdict["headline"]) == 0


def test_ranking_has_contribution_bars_for_weighted_sum(context: dict[str, Any]) -> None:
    ranking = context["ranking"]
    assert [r["id"] for r in ranking["rows"]] == ["wetland", "relocation", "levee"]
    assert ranking["contributions"]["rows"][0]["total"] == "0.600"
    assert "Per-criterion contributions" in ranking["chart"]


def test_methods_without_contributions_get_score_bars(library: Library) -> None:
    ctx = build_context(results_for(library, method="vikor"))
    assert ctx["ranking"]["contributions"] is None
    assert "Q: lower is better" in ctx["ranking"]["chart"]


def test_comparison_grid_marks_this_report(context: dict[str, Any]) -> None:
    comp = context["comparison"]
    assert len(comp["heads"]) == 15  # 3 profiles x 5 methods
    assert [h["current"] for h in comp["heads"]].count(True) == 1
    assert [g["span"] for g in comp["groups"]] == [5, 5, 5]
    assert comp["agreement"][0]["value"] == "1.00"


def test_matrix_cells_link_to_their_items_in_the_cards(context: dict[str, Any]) -> None:
    """A cell links to the first item behind it in the option's card (quotes shown there)."""
    rows = {r["id"]: r for r in context["matrix"]["rows"]}
    ids = [c["id"] for c in context["matrix"]["criteria"]]
    wetland = dict(zip(ids, rows["wetland"]["cells"], strict=True))
    card = next(c for c in context["cards"] if c["id"] == "wetland")
    assert wetland["safety"]["kind"] == "benefit"
    assert wetland["safety"]["target"] == f"item-wetland-{card['benefits'][0]['id']}"
    assert card["benefits"][0]["assessments"][0]["quote"].startswith("Restoring the old")
    assert wetland["safety"]["count"] == 1
    assert wetland["cost-burden"]["kind"] == "risk"
    assert wetland["cost-burden"]["target"] == f"item-wetland-{card['risks'][0]['id']}"
    assert len(card["risks"][0]["assessments"]) == 2
    assert wetland["feasibility"]["kind"] == "precondition"
    assert wetland["feasibility"]["what"] == card["preconditions"][0]["text"]
    assert wetland["ecology-harm"]["target"] == ""
    assert wetland["ecology-harm"]["count"] == 0
    assert "quote" not in str(wetland)  # no quote is repeated in the matrix


def test_source_risk_uses_only_that_sources_assessments(library: Library) -> None:
    gazette, review = source_risks(library, "gazette"), source_risks(library, "review")
    assert gazette["wetland"] == pytest.approx((2 * 0.5 * 0.5, 1))
    assert review["wetland"] == pytest.approx((2 * 0.1 * 0.5, 1))
    assert "relocation" not in review  # not assessed
    total, count = review["levee"]
    assert (total, count) == (pytest.approx(3.5 * 0.675 * 0.75), 1)


def test_source_view_heatmap_and_lenses(context: dict[str, Any]) -> None:
    view = context["sources"]
    rows = {r["id"]: r for r in view["heat_rows"]}
    assert rows["relocation"]["cells"][1] == {
        "value": "",
        "bg": "",
        "fg": "",
        "note": "not assessed",
        "na": True,
    }
    assert rows["levee"]["cells"][0]["value"] == "3.88"
    assert rows["wetland"]["pooled"]["value"] == "0.30"  # 2 x mean(0.5, 0.1) x 0.5
    assert [r["id"] for r in view["lens_rows"]] == ["wetland", "relocation", "levee"]
    assert view["disagreements"][0]["id"] == "wetland-overhyped"


def test_option_cards_in_rank_order_with_judgements(context: dict[str, Any]) -> None:
    cards = context["cards"]
    assert [c["id"] for c in cards] == ["wetland", "relocation", "levee"]
    levee = cards[2]
    assert levee["file"] == "levee.yaml"  # never the path the library was loaded from
    # the written "Analyst's judgement;" prefix goes: the page marks the item once instead
    assert levee["risks"][0]["rationale"] == "The text ranks it the costliest."
    assert levee["risks"][0]["badge"] is True
    assert levee["risks"][0]["assessments"][0]["likelihood"]["term"] == "almost certain"
    assert levee["why"].startswith("Rank 3 of 3, score 0.400, best in ")
    for card in cards:
        items = [*card["benefits"], *card["risks"], *card["preconditions"]]
        for item in items:
            badges = [item.get("badge", False)] + [a["badge"] for a in item["assessments"]]
            judged = [item.get("rationale")] + [a["rationale"] for a in item["assessments"]]
            assert sum(badges) == (1 if any(judged) else 0), item["id"]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Analyst's judgement: article 001 calls it limited.", "Article 001 calls it limited."),
        (
            "Analyst's judgement; the text ranks it the costliest.",
            "The text ranks it the costliest.",
        ),
        ("Analyst\u2019s judgement \u2014 partly.", "Partly."),
        ("Analyst's judgement from the precedent.", "Analyst's judgement from the precedent."),
        ("Plain reasoning.", "Plain reasoning."),
        ("", ""),
    ],
)
def test_judgement_text_drops_a_written_label(text: str, shown: str) -> None:
    assert judgement_text(text) == shown


def test_robustness_view(context: dict[str, Any]) -> None:
    rob = context["robustness"]
    assert len(rob["stability"]) == 5
    assert rob["ranks"] == ["1", "2", "3"]
    assert len(rob["smaa_rows"][0]["central"]) == 5
    assert {w["precondition_id"] for w in rob["what_ifs"]} == {"compensation", "farmers-sell"}


def test_slider_data_uses_the_normalization_actually_used(library: Library) -> None:
    ev = evaluate(library, method="weighted-product")
    data = slider_data(ev, library)
    assert data["normalization"] == "offset-minmax"  # zeros rule out the default 'sum'
    assert data["criteria"][-1] == "feasibility"
    assert data["feasibilityIndex"] == 4
    # the page gets the product's log factors, never the raw matrix or the criterion types
    assert "matrix" not in data
    assert "types" not in data
    types = ev.setup.evidence.types
    expected = np.log(normalize(ev.matrix, types, "offset-minmax"))
    assert np.array_equal(np.asarray(data["prepared"]["values"]), expected)
    assert sum(data["weights"]) == pytest.approx(1.0)
    json.dumps(data, allow_nan=False)


def test_expected_feasibility_disables_its_slider(library: Library) -> None:
    ctx = build_context(results_for(library, feasibility="expected"))
    controls = {c["id"]: c for c in ctx["sliders"]["controls"]}
    assert controls["feasibility"]["disabled"]
    assert controls["feasibility"]["value"] == "0.0"
    assert not controls["safety"]["disabled"]


@pytest.mark.parametrize(
    "method", ["weighted-sum", "weighted-product", "topsis", "promethee-ii", "vikor"]
)
def test_slider_data_is_options_by_criteria(library: Library, method: str) -> None:
    """The embedded parts are m x n (never m x m x n), with length-n extremes for TOPSIS."""
    ev = evaluate(library, method=method)
    data = slider_data(ev, library)
    prepared = data["prepared"]
    assert np.asarray(prepared["values"]).shape == (3, 5)
    assert set(prepared) == {
        "topsis": {"values", "ideal", "antiIdeal"},
        "vikor": {"values", "v", "degenerateRtol"},
    }.get(method, {"values"})
    if method == "topsis":
        assert np.asarray(prepared["ideal"]).shape == (5,)
    assert data["ranking"] == {"order": ev.order.tolist(), "ranks": ev.ranks.tolist()}
    json.dumps(data, allow_nan=False)


def test_coverage_matrix_counts_every_cell(library: Library, context: dict[str, Any]) -> None:
    """Rows in rank order; each cell's label is the evidence model's; counts add up."""
    cov = context["coverage"]
    ev = evaluate(library)
    labels = ev.setup.evidence.coverage_labels()
    assert [r["id"] for r in cov["rows"]] == ["wetland", "relocation", "levee"]
    for row in cov["rows"]:
        assert [c["label"] for c in row["cells"]] == list(labels[row["id"]].values())
        for kind in ("evidence", "unaffected", "gap"):
            assert row["counts"][kind] == list(labels[row["id"]].values()).count(kind)
    every = [v for row in labels.values() for v in row.values()]
    assert cov["cells"] == len(every) == 15
    assert cov["totals"] == {k: every.count(k) for k in ("evidence", "unaffected", "gap")}
    assert cov["totals"]["unaffected"] == 5  # mini declares five "unaffected" cells
    assert sum(cov["column_gaps"]) == cov["totals"]["gap"]
    marks = {c["label"]: c["mark"] for row in cov["rows"] for c in row["cells"]}
    assert len(set(marks.values())) == len(marks)  # one mark per label


def test_rank_acceptability_is_a_shaded_table_with_top_k(
    library: Library, context: dict[str, Any]
) -> None:
    sens = analyse_sensitivity(library, samples=500, seed=1)
    r = context["robustness"]
    assert r["top_k"] == 3
    ids = sens.evaluation.option_ids
    for row, i in zip(r["smaa_rows"], sens.evaluation.order, strict=True):
        ra = sens.smaa.rank_acceptability[int(i)]
        assert [a["value"] for a in row["acceptability"]] == [percent(float(x), 1) for x in ra]
        assert row["top_k"]["value"] == percent(float(ra[:3].sum()), 1)
        assert row["full"] == next(o.title for o in library.options if o.id == ids[int(i)])
    shades = [a["bg"] for row in r["smaa_rows"] for a in row["acceptability"]]
    assert len(set(shades)) > 3  # shaded by value, not one colour


@pytest.mark.parametrize(
    ("likelihood", "mitigable", "listed"),
    [
        ("roughly even chance", "yes", False),  # same view: the sources agree
        ("roughly even chance", "no", True),  # same likelihood, other mitigability
        (0.1, "yes", True),  # the shipped fixture: likelihoods apart
    ],
)
def test_disagreements_list_only_items_the_sources_see_differently(
    tmp_path: Any, likelihood: Any, mitigable: str, listed: bool
) -> None:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    path = target / "options" / "wetland.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    review = doc["risks"][0]["assessments"][1]
    review["likelihood"], review["mitigable"] = likelihood, mitigable
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    library = as_library(target)
    found = [d["id"] for d in disagreements(library, source_views(library))]
    assert ("wetland-overhyped" in found) is listed
