"""The report in real headless Chromium: sliders against the Python engine, safety, layout.

The expected ranking for slider values v is what ``evaluator score --method M --weight
C1=v1 ... --weight Cn=vn`` prints: ``evaluate(lib, method=M, weights={c: v_c for every c})``.
Skipped without Chromium, except in CI (env CI set), where a missing browser fails.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import ARTIFACTS, LIVE_ORDER, Page, scenarios_valid
from helpers import MINI, SCENARIOS

from evaluator.evaluation import as_library, evaluate
from evaluator.model import Library
from evaluator.report import build_report, write_report
from evaluator.weights import profile_weights

pytestmark = pytest.mark.browser

METHODS = ("weighted-sum", "weighted-product", "topsis", "promethee-ii", "vikor")


def python_order(library: Library, method: str, values: dict[str, float], **kw: Any) -> list[str]:
    ev = evaluate(library, method=method, weights=values, **kw)
    return [ev.option_ids[int(i)] for i in ev.order]


def weight_vectors(library: Library, seed: int = 3) -> list[dict[str, float]]:
    """Every profile, each criterion alone (with a little of the rest), zeros, random."""
    ids = [c.id for c in library.all_criteria]
    vectors = [
        dict(zip(ids, profile_weights(p, ids).tolist(), strict=True)) for p in library.profiles
    ]
    for j in range(len(ids)):
        vectors.append({c: (0.9 if k == j else 0.02) for k, c in enumerate(ids)})
    rng = np.random.default_rng(seed)
    for trial in range(6):
        v = np.round(rng.random(len(ids)), 3)
        if trial % 2 == 0:
            v[rng.integers(len(ids))] = 0.0
        vectors.append(dict(zip(ids, v.tolist(), strict=True)))
    return vectors


def check_sliders(page: Page, library: Library, method: str, **kw: Any) -> int:
    """Drive the sliders through every vector; return how many changed the winner."""
    initial = page.live_order()
    assert initial == python_order(library, method, page.slider_values(), **kw)
    changed = 0
    for values in weight_vectors(library):
        page.set_weights(values)
        shown = page.slider_values()
        assert shown == pytest.approx(values)
        expected = python_order(library, method, shown, **kw)
        assert page.live_order() == expected, (method, values)
        changed += expected[0] != initial[0]
    page.clean()
    return changed


@pytest.mark.parametrize("method", METHODS)
def test_sliders_rank_like_the_cli_on_mini(
    method: str, open_page: Any, report_files: dict[str, Path]
) -> None:
    name = "mini" if method == "weighted-sum" else method
    library = as_library(MINI)
    page = open_page(report_files[name])
    assert check_sliders(page, library, method) > 0


def test_sliders_with_expected_feasibility(open_page: Any, report_files: dict[str, Path]) -> None:
    page = open_page(report_files["expected"])
    check_sliders(page, as_library(MINI), "weighted-sum", feasibility="expected")


@pytest.fixture(scope="module")
def scenario_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if not scenarios_valid():
        pytest.skip("scenarios/ does not validate yet")
    root = tmp_path_factory.mktemp("scenario-reports")
    out = {}
    when = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    for method in METHODS:
        path = root / f"{method}.html"
        write_report(path, build_report(SCENARIOS, method=method, samples=300, generated_at=when))
        out[method] = path
    return out


@pytest.mark.parametrize("method", METHODS)
def test_sliders_rank_like_the_cli_on_scenarios(
    method: str, open_page: Any, scenario_reports: dict[str, Path]
) -> None:
    page = open_page(scenario_reports[method])
    assert check_sliders(page, as_library(SCENARIOS), method) > 0


def test_live_scores_match_python(open_page: Any, report_files: dict[str, Path]) -> None:
    library = as_library(MINI)
    page = open_page(report_files["topsis"])
    values = {
        "safety": 0.7,
        "support": 0.1,
        "cost-burden": 0.3,
        "ecology-harm": 0.0,
        "feasibility": 0.25,
    }
    page.set_weights(values)
    ev = evaluate(library, method="topsis", weights=values)
    shown = page.page.eval_on_selector_all(
        LIVE_ORDER, "els => els.map(e => e.querySelector('.live-score').textContent)"
    )
    assert shown == [f"{ev.scores[int(i)]:.3f}" for i in ev.order]
    weights = page.page.eval_on_selector_all(
        "output[data-weight-for]", "els => els.map(e => e.textContent)"
    )
    assert weights == [f"{w:.3f}" for w in ev.weights]


def test_all_zero_keeps_the_last_ranking_and_reset_restores(
    open_page: Any, report_files: dict[str, Path]
) -> None:
    page = open_page(report_files["mini"])
    initial = page.live_order()
    page.set_weights(
        {"safety": 0.9, "support": 0.0, "cost-burden": 0.1, "ecology-harm": 0.0, "feasibility": 0.5}
    )
    moved = page.live_order()
    assert moved != initial
    page.set_weights(dict.fromkeys(page.slider_values(), 0.0))
    assert page.live_order() == moved
    assert "All weights are zero" in page.page.text_content("#weights-status")
    page.page.click("#reset-weights")
    assert page.live_order() == initial
    assert page.slider_values() == pytest.approx(dict.fromkeys(page.slider_values(), 0.2))
    page.clean()


def test_sliders_work_from_the_keyboard(open_page: Any, report_files: dict[str, Path]) -> None:
    page = open_page(report_files["mini"])
    page.page.focus('input[data-criterion="safety"]')
    for _ in range(30):
        page.page.keyboard.press("ArrowRight")
    values = page.slider_values()
    assert values["safety"] > 0.4
    assert page.live_order() == python_order(as_library(MINI), "weighted-sum", values)
    labels = page.page.eval_on_selector_all(
        "input[type=range]", "els => els.map(e => e.labels.length)"
    )
    assert labels == [1] * 5
    page.clean()


def test_hostile_library_runs_no_script(open_page: Any, report_files: dict[str, Path]) -> None:
    page = open_page(report_files["hostile"])
    assert page.page.evaluate("typeof window.__pwned") == "undefined"
    assert page.page.eval_on_selector_all("img", "els => els.length") == 0
    # the payload is visible as text, and the sliders still work with hostile titles
    assert "<script>window.__pwned" in page.page.inner_text("#verdict")
    page.set_weights(
        {"safety": 1.0, "support": 0.0, "cost-burden": 0.0, "ecology-harm": 0.0, "feasibility": 0.0}
    )
    titles = page.page.eval_on_selector_all(
        LIVE_ORDER, "els => els.map(e => e.querySelector('.live-title').textContent)"
    )
    assert all("<script>" in t for t in titles)
    assert page.page.evaluate("typeof window.__pwned") == "undefined"
    page.clean()


@pytest.mark.parametrize("name", ["mini", "hostile"])
def test_no_horizontal_scroll_at_390(
    name: str, open_page: Any, report_files: dict[str, Path]
) -> None:
    page = open_page(report_files[name], width=390)
    width, client = page.page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width <= client
    page.clean()


def test_print_hides_sliders_and_keeps_charts(
    open_page: Any, report_files: dict[str, Path]
) -> None:
    page = open_page(report_files["mini"])
    page.page.emulate_media(media="print")
    assert page.page.eval_on_selector("#weights", "e => getComputedStyle(e).display") == "none"
    assert page.page.eval_on_selector("svg.bar", "e => e.getBoundingClientRect().width") > 50
    page.clean()


def test_screenshots(open_page: Any, report_files: dict[str, Path], tmp_path: Path) -> None:
    """Full-page screenshots at 390 and 1440 px in tests/artifacts/ (gitignored)."""
    if scenarios_valid():
        source = tmp_path / "scenarios.html"
        when = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
        write_report(source, build_report(SCENARIOS, samples=2000, generated_at=when))
    else:
        source = report_files["mini"]
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (390, 1440):
        page = open_page(source, width=width)
        scroll, client = page.page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client
        page.page.screenshot(path=str(ARTIFACTS / f"report-{width}.png"), full_page=True)
        page.clean()


def test_a_matrix_link_opens_the_closed_card(open_page: Any, report_files: dict[str, Path]) -> None:
    """Cards start closed; following a performance value opens the card at that item."""
    page = open_page(report_files["mini"])
    opened = "els => els.map(e => e.open)"
    assert page.page.eval_on_selector_all("#options details", opened) == [False] * 3
    link = page.page.locator("#matrix td a").first
    target = str(link.get_attribute("href"))
    link.click()
    assert page.page.evaluate("location.hash") == target
    assert page.page.locator(target).is_visible()
    assert page.page.eval_on_selector_all("#options details", opened).count(True) == 1
    page.clean()
