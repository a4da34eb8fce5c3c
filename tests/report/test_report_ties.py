"""One tie rule: the report (view-model and page) follows evaluator.scoring.ranking.TIE_RTOL.

The tolerance is changed in that one place only; the context's ranks, its "who is on top"
helper, the embedded tolerance and the page's live ranks must all follow. On the mini
library (weighted sum, default profile) the scores are wetland 0.6, relocation 0.554,
levee 0.4: a tolerance of 0.1 x max|score| = 0.06 ties the first two (rank 1.5 each, in id
order) and leaves levee third.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import GENERATED_AT, Page
from helpers import MINI

import evaluator.scoring.ranking as ranking
from evaluator.evaluation import as_library, evaluate
from evaluator.report import build_report, compute_results, write_report
from evaluator.report.context import _top, build_context

WIDE = 0.1


def context_ranking(**kwargs: Any) -> tuple[list[str], list[str]]:
    ctx = build_context(compute_results(MINI, samples=20, generated_at=GENERATED_AT, **kwargs))
    rows = ctx["ranking"]["rows"]
    return [r["id"] for r in rows], [r["rank"] for r in rows]


def test_context_follows_the_tie_tolerance(monkeypatch: pytest.MonkeyPatch) -> None:
    assert context_ranking() == (["wetland", "relocation", "levee"], ["1", "2", "3"])
    assert _top({"b": 1.0, "a": 0.95}, higher=True) == "b"
    monkeypatch.setattr(ranking, "TIE_RTOL", WIDE)
    assert context_ranking() == (["relocation", "wetland", "levee"], ["1.5", "1.5", "3"])
    assert _top({"b": 1.0, "a": 0.95}, higher=True) == "a"  # tied, so the first id
    ctx = build_context(compute_results(MINI, samples=20, generated_at=GENERATED_AT))
    assert ctx["sliders"]["data"]["ties"]["rtol"] == WIDE


def test_report_modules_hold_no_tie_tolerance() -> None:
    """The report code names no tolerance of its own (report.js included)."""
    root = Path(__file__).resolve().parents[2] / "evaluator" / "report"
    for path in [*root.glob("*.py"), root / "static" / "report.js"]:
        text = path.read_text(encoding="utf-8")
        assert "TIE_RTOL" not in text, path.name
        assert "1e-9" not in text, path.name


@pytest.mark.browser
def test_page_follows_the_tie_tolerance(
    monkeypatch: pytest.MonkeyPatch, browser: Any, tmp_path: Path
) -> None:
    monkeypatch.setattr(ranking, "TIE_RTOL", WIDE)
    library = as_library(MINI)
    path = tmp_path / "wide.html"
    write_report(path, build_report(library, samples=20, generated_at=GENERATED_AT))
    page = Page(browser, path.as_uri())
    try:
        assert page.alert() is None  # the page reproduced the tied ranking on load
        assert (page.live_order(), page.live_ranks()) == (
            ["relocation", "wetland", "levee"],
            ["1.5", "1.5", "3"],
        )
        vectors = [
            {"safety": 0.0, "support": 0.0, "cost-burden": 0.0, "ecology-harm": 0.3},
            {"safety": 0.2, "support": 0.2, "cost-burden": 0.2, "ecology-harm": 0.2},
            {"safety": 0.9, "support": 0.1, "cost-burden": 0.3, "feasibility": 0.05},
            {"support": 0.8, "ecology-harm": 0.0, "feasibility": 0.0},
        ]
        ties = 0
        for values in vectors:
            sliders, live, ranks = page.apply(values)
            ev = evaluate(library, weights=sliders)
            assert live == [ev.option_ids[int(i)] for i in ev.order], values
            expected = [ev.ranks[int(i)] for i in ev.order]
            assert ranks == [str(int(r)) if r.is_integer() else f"{r:.1f}" for r in expected]
            ties += any(not r.is_integer() for r in expected)
        assert ties > 0
        page.clean()
    finally:
        page.close()
