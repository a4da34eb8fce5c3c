"""The report's "What the conclusion rests on" section and the verdict's linchpin point."""

from __future__ import annotations

import re

import pytest
from conftest import GENERATED_AT
from helpers import MINI, SCENARIOS

from evaluator.report import compute_results, render_report
from evaluator.report.context import LINCHPINS_SHOWN, build_context
from evaluator.sensitivity import find_linchpins


@pytest.fixture(scope="module")
def shipped() -> tuple[dict, str]:  # type: ignore[type-arg]
    results = compute_results(SCENARIOS, samples=500, seed=0, generated_at=GENERATED_AT)
    context = build_context(results)
    return context, render_report(context)


def test_section_lists_the_analysis_of_the_same_run(shipped: tuple[dict, str]) -> None:  # type: ignore[type-arg]
    context, html = shipped
    view = context["linchpins"]
    found = find_linchpins(SCENARIOS, samples=500, seed=0).to_dict()
    sentences = [j["sentence"] for j in found["judgements"]]
    shown = [j["sentence"] for j in view["judgements"] + view["more_judgements"]]
    assert shown == sentences
    assert len(view["judgements"]) == min(LINCHPINS_SHOWN, len(sentences))
    assert view["fragile_found"] == found["fragile_found"]
    assert list(view["rules"]) == [r["sentence"] for r in found["rules"]]
    changing = [s for s in found["sources"] if s["winner_without"] != found["winner"]]
    assert len(view["sources"]) == len(changing)
    assert view["sources_kept"] == len(found["sources"]) - len(changing)
    assert 'id="linchpins"' in html
    assert "What the conclusion rests on" in html
    # The paste-ready marks become HTML, escaped first.
    section = re.search(r'<section id="linchpins".*?</section>', html, flags=re.S)
    assert section is not None
    assert "`" not in section.group(0)
    assert "<code>" in section.group(0)


def test_verdict_names_the_most_fragile_linchpin(shipped: tuple[dict, str]) -> None:  # type: ignore[type-arg]
    context, _ = shipped
    found = find_linchpins(SCENARIOS, samples=500, seed=0)
    points = {p["label"]: p["text"] for p in context["verdict"]["points"]}
    if found.fragile:
        first = found.fragile[0].sentence.replace("*", "").replace("`", "")
        assert first in points["Linchpin"]
    else:
        assert "Linchpin" not in points


def test_no_linchpin_point_when_nothing_is_fragile() -> None:
    results = compute_results(MINI, samples=200, seed=0, generated_at=GENERATED_AT)
    context = build_context(results)
    points = {p["label"] for p in context["verdict"]["points"]}
    assert results.linchpins is not None
    assert ("Linchpin" in points) == bool(results.linchpins.fragile)


def test_report_without_linchpins_says_so() -> None:
    results = compute_results(MINI, samples=200, seed=0, generated_at=GENERATED_AT, linchpins=False)
    html = render_report(build_context(results))
    assert "The linchpin analysis was not run for this report" in html


def test_linchpins_run_by_default_only_up_to_the_size_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import evaluator.report as report

    assert compute_results(MINI, samples=100, generated_at=GENERATED_AT).linchpins is not None
    monkeypatch.setattr(report, "LINCHPIN_AUTO_LIMIT", 2)  # mini has 3 options
    assert compute_results(MINI, samples=100, generated_at=GENERATED_AT).linchpins is None
    forced = compute_results(MINI, samples=100, generated_at=GENERATED_AT, linchpins=True)
    assert forced.linchpins is not None
