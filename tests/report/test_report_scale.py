"""The report at scale (issue 16): past 25 options, full detail for the 25 best-ranked and
one compact row each for the rest, saying so; every option stays in the live ranking."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import GENERATED_AT
from helpers import MINI

from evaluator.evaluation import evaluate
from evaluator.report import build_report
from evaluator.report.context import DETAIL

OPTIONS = 60


def option_doc(k: int) -> dict[str, Any]:
    """A valid option whose numbers vary with k (benefits on safety and support, risks on
    cost and ecology; every third option leaves support as a gap)."""
    quote = f"Option number {k} is described at length in this fixture quote for testing."
    doc: dict[str, Any] = {
        "id": f"opt-{k:02d}",
        "title": f"Synthetic option number {k:02d} for the scale test",
        "summary": f"Synthetic option {k}.",
        "theatre": "Test",
        "tags": ["synthetic"],
        "benefits": [
            {
                "id": f"b-safety-{k}",
                "text": f"Safety gain {k}.",
                "criterion": "safety",
                "magnitude": 1 + (k * 7) % 5,
                "assessments": [
                    {"source": "gazette", "likelihood": 0.5 + (k % 5) / 10, "quote": quote}
                ],
            }
        ],
        "risks": [
            {
                "id": f"r-cost-{k}",
                "text": f"Cost {k}.",
                "criterion": "cost-burden",
                "impact": 1 + (k * 3) % 5,
                "assessments": [
                    {
                        "source": "review",
                        "likelihood": 0.3 + (k % 7) / 10,
                        "mitigable": "no",
                        "quote": quote,
                    }
                ],
            },
            {
                "id": f"r-eco-{k}",
                "text": f"Ecology {k}.",
                "criterion": "ecology-harm",
                "impact": 1 + (k * 11) % 5,
                "assessments": [
                    {
                        "source": "gazette",
                        "likelihood": 0.2 + (k % 4) / 10,
                        "mitigable": "partly",
                        "quote": quote,
                    }
                ],
            },
        ],
        "unaffected": [{"criterion": "feasibility", "rationale": "Test fixture: no precondition."}],
    }
    if k % 3:
        doc["benefits"].append(
            {
                "id": f"b-support-{k}",
                "text": f"Support {k}.",
                "criterion": "support",
                "magnitude": 1 + (k * 13) % 5,
                "assessments": [{"source": "review", "likelihood": 0.9, "quote": quote}],
            }
        )
    return doc


@pytest.fixture(scope="module")
def big_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scale") / "big"
    root.mkdir()
    for name in ("criteria.yaml", "profiles.yaml", "sources.yaml"):
        shutil.copy(MINI / name, root / name)
    (root / "options").mkdir()
    for k in range(OPTIONS):
        text = yaml.safe_dump(option_doc(k), sort_keys=False)
        (root / "options" / f"opt-{k:02d}.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def big_html(big_library: Path) -> str:
    return build_report(big_library, samples=200, generated_at=GENERATED_AT)


def section(html: str, ident: str) -> str:
    match = re.search(rf'<section id="{ident}".*?</section>', html, re.S)
    assert match is not None, ident
    return match.group(0)


def test_full_detail_for_the_best_25_and_one_compact_row_for_the_rest(
    big_library: Path, big_html: str
) -> None:
    ev = evaluate(big_library)
    ranked = [ev.option_ids[int(i)] for i in ev.order]
    top, rest = ranked[:DETAIL], ranked[DETAIL:]
    assert len(rest) == OPTIONS - DETAIL
    cards = section(big_html, "options")
    # a full card (an article with its details) for each of the 25, in rank order
    carded = re.findall(r'<article class="card" id="option-([^"]+)"', cards)
    assert carded == top
    # one compact row each for the others, in rank order, still anchored for links
    compact = re.findall(r'<tr id="option-([^"]+)">', cards)
    assert compact == rest
    note = f"Full detail for the {DETAIL} best-ranked of the {OPTIONS} options"
    for ident in ("options", "matrix", "robustness", "comparison", "sources"):
        assert note in section(big_html, ident), ident
    assert "sensitivity --format json" in big_html
    # matrix and acceptability: detailed rows for the 25, a compact row for each other
    matrix = section(big_html, "matrix")
    assert re.findall(r'<a href="#option-([^"]+)">', matrix) == top
    robustness = section(big_html, "robustness")
    acceptability = robustness.split("<h4>Central weights</h4>")[0]
    assert len(re.findall(r'<td class="num shade top-k"', acceptability)) == DETAIL
    assert acceptability.count('<table class="numbers compact">') == 1
    # rank columns stop at 25, one more column holding every later rank together
    header = re.search(r'<table class="numbers acceptability.*?</thead>', acceptability, re.S)
    assert header is not None
    assert "Rank 25<" in header.group(0)
    assert "Rank 26<" not in header.group(0)
    assert f"Rank 26\u2013{OPTIONS}<" in header.group(0)
    # the sensitivity charts draw the lines of the 25 (the map keeps every point)
    sweeps = re.findall(r'<svg class="sweep".*?</svg>', big_html, re.S)
    assert sweeps
    assert all(svg.count("<polyline") == DETAIL for svg in sweeps)
    assert len(re.findall(r'<g class="pt', big_html)) == OPTIONS
    # every option is still in the live ranking and the head-to-head
    live = re.search(r'<ol id="live-ranking".*?</ol>', big_html, re.S)
    assert live is not None
    assert re.findall(r'data-option-id="([^"]+)"', live.group(0)) == ranked
    assert big_html.count('<option value="opt-') == 2 * OPTIONS


def test_small_libraries_show_everything_and_say_nothing(mini_html: str) -> None:
    assert "best-ranked of the" not in mini_html
    assert 'class="numbers compact"' not in mini_html
