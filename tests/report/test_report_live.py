"""The live-weights section in headless Chromium: profile presets, the URL hash, the copy
command run through the CLI, and the head-to-head against Python.

The copy command is run exactly as the page shows it (``shlex.split``, from the directory
holding the library), so every run option it states must be right for the ranking to match.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import build_mini
from helpers import ASSETS, MINI
from typer.testing import CliRunner

from evaluator.cli import app
from evaluator.evaluation import as_library, evaluate
from evaluator.report import write_report
from evaluator.report.sliders import command_base
from evaluator.scoring.prepared import aggregation_parts, criterion_terms
from evaluator.weights import profile_weights

pytestmark = pytest.mark.browser

runner = CliRunner()

#: A run with every kind of run option set (on mini: one lens, the worst-gap policy, a
#: subset, a feasibility gate and expected feasibility), besides the defaults.
BUSY_RUN: dict[str, Any] = {
    "method": "topsis",
    "normalization": "minmax",
    "gaps": "worst",
    "lens": "gazette",
    "lens_mode": "own",
    "assume": {"compensation": "failed"},
    "feasibility": "expected",
    "min_feasibility": 0.05,
}
VECTORS = (
    {"safety": 0.9, "support": 0.1, "cost-burden": 0.05, "ecology-harm": 0.2, "feasibility": 0.3},
    {"safety": 0.0, "support": 0.7, "cost-burden": 0.6, "ecology-harm": 0.01, "feasibility": 1.0},
    {"safety": 0.2, "support": 0.0, "cost-burden": 0.0, "ecology-harm": 0.9, "feasibility": 0.0},
)


@pytest.fixture(scope="module")
def busy_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("live") / "busy.html"
    write_report(path, build_mini(samples=200, **BUSY_RUN))
    return path


def command_of(page: Any) -> list[str]:
    return shlex.split(str(page.page.input_value("#live-command")))


def run_command(args: list[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    assert args[:3] == ["evaluator", "score", "mini"]
    monkeypatch.chdir(ASSETS)  # the command names the library by its directory
    result = runner.invoke(app, [*args[1:], "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def shown_ranks(doc: Any) -> list[str]:
    return [str(r["rank"]) for r in doc["ranking"]]


@pytest.mark.parametrize("name", ["mini", "vikor", "promethee-ii", "expected"])
def test_copy_command_reproduces_the_ranking_on_screen(
    name: str, open_page: Any, report_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = open_page(report_files[name])
    winners = set()
    for values in VECTORS:
        page.set_weights(values)
        args = command_of(page)
        weights = [a for a in args if a.startswith("--weight=")]
        assert len(weights) == len(values)  # one --weight per slider
        doc = run_command(args, monkeypatch)
        assert [r["option"] for r in doc["ranking"]] == page.live_order()
        assert shown_ranks(doc) == page.live_ranks()
        winners.add(page.live_order()[0])
    assert len(winners) > 1  # the vectors move the ranking, so equality means something
    page.clean()


def test_copy_command_carries_every_run_option(
    open_page: Any, busy_report: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = open_page(busy_report)
    args = command_of(page)
    for flag in (
        "--profile=balanced",
        "--method=topsis",
        "--normalization=minmax",
        "--gaps=worst",
        "--lens=gazette",
        "--lens-mode=own",
        "--assume=compensation=failed",
        "--feasibility=expected",
        "--min-feasibility=0.05",
    ):
        assert flag in args
    for values in VECTORS:
        page.set_weights(values)
        doc = run_command(command_of(page), monkeypatch)
        assert [r["option"] for r in doc["ranking"]] == page.live_order()
        assert shown_ranks(doc) == page.live_ranks()
        # the same run in Python
        ev = evaluate(MINI, weights=page.slider_values(), **BUSY_RUN)
        assert [ev.option_ids[int(i)] for i in ev.order] == page.live_order()
    # without the run options the CLI ranks differently for some vector: they matter
    differ = 0
    for values in VECTORS:
        page.set_weights(values)
        plain = [a for a in command_of(page) if a.startswith("--weight=") or "=" not in a]
        doc = run_command(plain, monkeypatch)
        differ += [r["option"] for r in doc["ranking"]] != page.live_order()
    assert differ > 0
    page.clean()


def test_url_hash_round_trip(open_page: Any, report_files: dict[str, Path]) -> None:
    page = open_page(report_files["mini"])
    assert "#" not in page.page.url  # loading alone writes no state
    page.set_weights(VECTORS[1])
    page.page.select_option("#h2h-a", "wetland")
    page.page.select_option("#h2h-b", "levee")
    url = page.page.url
    assert "#w=" in url
    sliders, order, ranks = page.slider_values(), page.live_order(), page.live_ranks()
    again = open_page(report_files["mini"])
    again.open(url)
    assert again.slider_values() == sliders  # exactly: the hash carries the slider text
    assert again.live_order() == order
    assert again.live_ranks() == ranks
    assert again.page.input_value("#h2h-a") == "wetland"
    assert again.page.input_value("#h2h-b") == "levee"
    assert again.page.input_value("#live-command") == page.page.input_value("#live-command")
    # and the state differs from the report's own: the round trip is not the default view
    fresh = open_page(report_files["mini"])
    assert fresh.slider_values() != sliders
    for p in (page, again, fresh):
        p.clean()


def test_hash_with_unknown_or_hostile_parts_is_ignored(
    open_page: Any, report_files: dict[str, Path]
) -> None:
    page = open_page(report_files["mini"])
    default = page.slider_values()
    url = report_files["mini"].as_uri() + "#w=nope:0.5,safety:7,%3Cimg%3E:1;a=%3Cscript%3E;b=levee"
    page.open(url)
    values = page.slider_values()
    assert values["safety"] == 1.0  # clamped to the slider's range
    assert {c: v for c, v in values.items() if c != "safety"} == {
        c: v for c, v in default.items() if c != "safety"
    }
    assert page.page.input_value("#h2h-b") == "levee"
    page.clean()


def test_profile_presets_set_every_slider(open_page: Any, report_files: dict[str, Path]) -> None:
    library = as_library(MINI)
    ids = [c.id for c in library.all_criteria]
    page = open_page(report_files["mini"])
    orders = set()
    for profile in library.profiles:
        page.page.click(f'button[data-profile="{profile.id}"]')
        expected = dict(zip(ids, profile_weights(profile, ids).tolist(), strict=True))
        assert page.slider_values() == pytest.approx(expected, abs=1e-15)
        shares = page.page.eval_on_selector_all(
            "output[data-weight-for]", "els => els.map(e => e.textContent)"
        )
        assert shares == [f"{expected[c]:.3f}" for c in ids]  # normalized: thumb = share
        ev = evaluate(library, profile=profile.id)
        assert page.live_order() == [ev.option_ids[int(i)] for i in ev.order]
        assert (
            page.page.get_attribute(f'button[data-profile="{profile.id}"]', "aria-current")
            == "true"
        )
        orders.add(tuple(page.live_order()))
    assert len(orders) > 1
    page.clean()


@pytest.mark.parametrize(
    "name", ["mini", "weighted-product", "topsis", "promethee-ii", "vikor", "expected"]
)
def test_head_to_head_matches_python(
    name: str, open_page: Any, report_files: dict[str, Path]
) -> None:
    library = as_library(MINI)
    run: dict[str, Any] = {"method": "weighted-sum" if name in ("mini", "expected") else name}
    if name == "expected":
        run["feasibility"] = "expected"
    page = open_page(report_files[name])
    for values in VECTORS:
        page.set_weights(values)
        for a, b in (("levee", "wetland"), ("relocation", "levee")):
            page.page.select_option("#h2h-a", a)
            page.page.select_option("#h2h-b", b)
            ev = evaluate(library, weights=page.slider_values(), **run)
            setup = ev.setup
            parts = aggregation_parts(
                setup.method, ev.matrix, setup.evidence.types, setup.normalization, **setup.options
            )
            terms = criterion_terms(parts, ev.weights)
            ia, ib = ev.option_ids.index(a), ev.option_ids.index(b)
            cells = page.page.eval_on_selector_all(
                "#h2h-table tbody tr",
                """rows => rows.map(r => [r.dataset.criterion,
                    ...[".h2h-a", ".h2h-b", ".h2h-diff"].map(
                        s => parseFloat(r.querySelector(s).dataset.value))])""",
            )
            for criterion, va, vb, diff in cells:
                j = ev.criterion_ids.index(criterion)
                assert va == pytest.approx(terms[ia, j], abs=1e-12)
                assert vb == pytest.approx(terms[ib, j], abs=1e-12)
                assert diff == pytest.approx(terms[ia, j] - terms[ib, j], abs=1e-12)
            total = page.page.eval_on_selector(
                "#h2h-table tfoot .h2h-diff", "e => parseFloat(e.dataset.value)"
            )
            assert total == pytest.approx(float((terms[ia] - terms[ib]).sum()), abs=1e-12)
            if setup.method in ("weighted-sum", "promethee-ii"):
                # the terms add up to the score: the total difference is the score difference
                assert total == pytest.approx(float(ev.scores[ia] - ev.scores[ib]), abs=1e-12)
    page.clean()


def test_criterion_terms_by_hand() -> None:
    """Weighted sum, minmax: r = [[1, 0], [0, 1], [0.5, 0.5]]; w = (0.75, 0.25)."""
    x = np.array([[10.0, 1.0], [0.0, 3.0], [5.0, 2.0]])
    parts = aggregation_parts("weighted-sum", x, [1, 1], "minmax")
    terms = criterion_terms(parts, [0.75, 0.25])
    assert terms.tolist() == [[0.75, 0.0], [0.0, 0.25], [0.375, 0.125]]
    # VIKOR: N = distance to the best, (f* - x) / (f* - f-), turned round
    vik = criterion_terms(aggregation_parts("vikor", x, [1, 1]), [0.5, 0.5])
    assert vik.tolist() == [[-0.0, -0.5], [-0.5, -0.0], [-0.25, -0.25]]


def test_command_base_names_every_option_in_force() -> None:
    ev = evaluate(MINI, method="vikor", gaps="zero", options=("levee", "wetland"))
    args = command_base(ev, as_library(MINI))
    assert args == [
        "evaluator",
        "score",
        "mini",
        "--profile=balanced",
        "--method=vikor",
        "--feasibility=weight",
        "--gaps=zero",
        "--lens-mode=fallback",
        "--options=levee,wetland",
    ]
