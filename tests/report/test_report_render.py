"""Rendering: section snapshots, the full golden report, escaping, determinism, atomic writes.

Golden files are refreshed only with ``pytest tests/report --update-golden`` (or
``UPDATE_GOLDEN=1``); see conftest.py.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    GENERATED_AT,
    GOLDEN_SEED,
    PAYLOADS,
    build_mini,
    fixed_results,
)
from helpers import MINI
from markupsafe import escape

import evaluator.report as report
from evaluator import InputError, __version__
from evaluator.evaluation import as_library
from evaluator.report import (
    build_report,
    default_report_path,
    environment,
    write_report,
)
from evaluator.report.context import build_context

SECTIONS = (
    "verdict",
    "manifest",
    "ranking",
    "comparison",
    "matrix",
    "sources",
    "coverage",
    "options",
    "robustness",
    "sliders",
    "appendix",
)


@pytest.fixture(scope="module")
def mini_context() -> dict[str, Any]:
    """The view-model of fixed results: no sampled number reaches the section snapshots."""
    return build_context(fixed_results())


def render_section(section: str, context: dict[str, Any]) -> str:
    return environment().get_template(f"_{section}.html.j2").render(**context)


@pytest.mark.parametrize("section", SECTIONS)
def test_section_snapshot(
    section: str, mini_context: dict[str, Any], golden: Callable[[str, str], None]
) -> None:
    """Each section partial, rendered alone from fixed results, matches its snapshot."""
    html = render_section(section, mini_context)
    assert f'id="{section if section != "sliders" else "weights"}"' in html
    golden(f"sections/{section}.html", html)


def test_section_snapshots_do_not_depend_on_sampling(mini_context: dict[str, Any]) -> None:
    """Other draws (count and seed) give the same sections, byte for byte."""
    other = build_context(fixed_results(samples=3, seed=GOLDEN_SEED + 1))
    for section in SECTIONS:
        assert render_section(section, other) == render_section(section, mini_context), section


def test_fixed_smaa_reaches_the_snapshots(mini_context: dict[str, Any]) -> None:
    """The hand-built SMAA is what the sections show (p_best 60% for the wetland)."""
    assert "20,000" in render_section("manifest", mini_context)
    rows = {r["title"]: r for r in mini_context["robustness"]["smaa_rows"]}
    assert rows["Restore the upstream wetland"]["p_best"] == "60.0%"


def test_full_report_golden(mini_html: str, golden: Callable[[str, str], None]) -> None:
    """The one full golden: the whole mini report (seed 7, 2000 draws, fixed timestamp)."""
    golden("mini-report.html", mini_html)


def test_manifest_content(mini_html: str) -> None:
    assert "2024-05-01T12:00:00+00:00" in mini_html
    assert f"evaluator {__version__}" in mini_html
    assert "2,000 draws, seed 7" in mini_html
    assert "minmax" in mini_html


def test_report_never_contains_paths_or_command_lines(tmp_path: Path) -> None:
    """Loading from another directory or writing elsewhere changes no byte."""
    copies = []
    for name in ("a", "b"):
        target = tmp_path / name / "mini"
        shutil.copytree(MINI, target)
        copies.append(target)
    first = build_mini(library=copies[0])
    second = build_mini(library=str(copies[1]))
    assert first == second
    assert str(tmp_path) not in first
    assert "tests/assets" not in first


def test_two_builds_are_byte_identical_and_so_are_their_files(tmp_path: Path) -> None:
    one, two = build_mini(), build_mini()
    assert one == two
    paths = [tmp_path / "x" / "r.html", tmp_path / "y" / "deeper" / "other-name.html"]
    for path, html in zip(paths, (one, two), strict=True):
        write_report(path, html)
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_seed_and_timestamp_change_the_bytes() -> None:
    base = build_mini(samples=300)
    assert build_mini(samples=300, seed=GOLDEN_SEED + 1) != base
    later = GENERATED_AT + dt.timedelta(seconds=1)
    assert build_mini(samples=300, generated_at=later) != base


def test_every_method_and_feasibility_mode_renders() -> None:
    for method in ("weighted-sum", "weighted-product", "topsis", "promethee-ii", "vikor"):
        html = build_mini(method=method, samples=200)
        assert 'id="live-ranking"' in html
    html = build_mini(feasibility="expected", samples=200)
    assert re.search(r'data-criterion="feasibility"[^>]*disabled', html)


def test_user_errors_propagate() -> None:
    with pytest.raises(InputError, match="unknown profile"):
        build_report(MINI, profile="nope", samples=10)
    with pytest.raises(InputError, match="unknown method"):
        build_report(MINI, method="nope", samples=10)


def test_progress_is_reported() -> None:
    calls: list[tuple[int, int]] = []
    build_report(MINI, samples=100, progress=lambda done, total: calls.append((done, total)))
    assert calls
    assert calls[-1][0] == calls[-1][1]


def test_default_report_path() -> None:
    assert default_report_path("scenarios", "strict") == os.path.join(
        "reports", "scenarios-strict.html"
    )
    assert default_report_path("./tests/assets/mini/", "balanced") == os.path.join(
        "reports", "mini-balanced.html"
    )


# Self-contained and structured ------------------------------------------------------------


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tags: set[str] = set()
        self.external: list[str] = []
        self.ids: list[str] = []
        self.labels: set[str] = set()
        self.ranges: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        values = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        for key in ("src", "href", "action", "srcset"):
            value = values.get(key) or ""
            if key in values and not value.startswith("#"):
                self.external.append(f"{tag} {key}={value}")
        if "id" in values:
            self.ids.append(values["id"] or "")
        if tag == "label":
            self.labels.add(values.get("for") or "")
        if tag == "input" and values.get("type") == "range":
            self.ranges.append(values)


def outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


def test_self_contained(mini_html: str) -> None:
    """No external resource: no src/href leaving the page, no @import, url() or web fonts."""
    page = outline(mini_html)
    assert page.external == []
    assert "@import" not in mini_html
    assert "url(" not in mini_html
    assert "<link" not in mini_html
    assert mini_html.count("<style>") == 1


def test_headings_and_landmarks(mini_html: str) -> None:
    page = outline(mini_html)
    assert page.headings[0] == 1
    assert page.headings.count(1) == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"
    assert {"header", "nav", "main", "footer", "section", "article"} <= page.tags


def test_ids_are_unique(mini_html: str) -> None:
    ids = outline(mini_html).ids
    assert len(ids) == len(set(ids))


def test_slider_hooks(mini_html: str) -> None:
    """The report hooks of DESIGN.md section 7: one labelled range input per criterion."""
    page = outline(mini_html)
    criteria = [r["data-criterion"] for r in page.ranges]
    assert criteria == ["safety", "support", "cost-burden", "ecology-harm", "feasibility"]
    for r in page.ranges:
        assert (r["min"], r["max"], r["step"]) == ("0", "1", "any")
        assert r["id"] in page.labels
        assert float(r["value"] or "nan") == pytest.approx(0.2)
    ranking = re.search(r'<ol id="live-ranking".*?</ol>', mini_html, re.S)
    assert ranking is not None
    order = re.findall(r'data-option-id="([^"]+)"', ranking.group(0))
    assert order == ["wetland", "relocation", "levee"]


# Escaping ---------------------------------------------------------------------------------


def test_hostile_text_is_escaped(hostile_html: str) -> None:
    """Script, closing script and img/onerror payloads in every text field appear as text."""
    assert "window.__pwned" in hostile_html  # the payloads are shown...
    assert "<script>window.__pwned" not in hostile_html  # ...never as markup
    assert "<img src=x" not in hostile_html
    assert "&lt;script&gt;window.__pwned" in hostile_html
    assert "&lt;img src=x onerror=" in hostile_html
    # exactly the two script elements of the template open or close anywhere in the page
    assert len(re.findall(r"<script\b", hostile_html, re.I)) == 2
    assert len(re.findall(r"</script", hostile_html, re.I)) == 2


def test_embedded_json_escapes_markup_and_line_separators(hostile_html: str) -> None:
    match = re.search(
        r'<script type="application/json" id="slider-data">(.*?)</script>', hostile_html, re.S
    )
    assert match is not None
    data = match.group(1)
    assert "<" not in data
    assert ">" not in data
    assert "\u2028" not in data
    assert "\u2029" not in data
    assert "\\u003cscript\\u003e" in data
    assert "\\u2028" in data


def test_line_separator_is_shown_as_text(hostile_html: str) -> None:
    assert PAYLOADS[3] in hostile_html  # in element text it is harmless, and kept


# Atomic write -----------------------------------------------------------------------------


def test_write_report_creates_the_directory(tmp_path: Path) -> None:
    target = tmp_path / "new" / "dir" / "r.html"
    write_report(target, "<p>\u2028é</p>")
    assert target.read_text(encoding="utf-8") == "<p>\u2028é</p>"
    assert sorted(p.name for p in target.parent.iterdir()) == ["r.html"]


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_failed_write_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "r.html"

    def boom(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(report.os, failing, boom)
    with pytest.raises(OSError, match="disk full"):
        write_report(target, "<p>new</p>")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.html"
    target.write_text("old", encoding="utf-8")

    def boom(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(report.os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        write_report(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


# The page only aggregates ----------------------------------------------------------------


def test_report_js_has_no_normalization_or_kernel_code() -> None:
    """report.js applies weights to the embedded parts; Python prepares everything else."""
    source = (
        Path(report.__file__).parent.joinpath("static", "report.js").read_text(encoding="utf-8")
    )
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", source, flags=re.S)  # comments may name them
    forbidden = [
        r"normaliz",
        r"minmax",
        r'"(sum|linear|vector|offset-minmax|none)"',
        r"Math\.log",
        r"\bmatrix\b",
        r"\btypes\b",
        r"preference",
        r"\b1 / ",
        r"tieRtol|1e-9",
    ]
    for pattern in forbidden:
        assert not re.search(pattern, code), pattern


# Shorter: cards and appendix closed, each quote once, one judgement label per item ------


def _section(html: str, ident: str) -> str:
    match = re.search(rf'<section id="{ident}".*?</section>', html, re.S)
    assert match is not None, ident
    return match.group(0)


def test_cards_and_appendix_are_closed_and_everything_else_open(mini_html: str) -> None:
    options = _section(mini_html, "options")
    assert options.count('<article class="card"') == 3
    assert options.count("<details") == 3
    assert "<details open" not in mini_html
    assert len(re.findall(r'<span class="why">Rank \d of 3, score [0-9.]+, best in ', options)) == 3
    appendix = _section(mini_html, "appendix")
    blocks = re.findall(r'<details[^>]*class="block"[^>]*>\s*<summary><h3 id="([^"]+)"', appendix)
    assert blocks == [
        "manifest-h",
        "appendix-criteria",
        "appendix-profiles",
        "appendix-sources",
        "appendix-icd",
        "appendix-formulas",
    ]
    # every section heading is outside any details: visible, and printed
    for ident in (
        "verdict",
        "ranking",
        "comparison",
        "matrix",
        "sources",
        "coverage",
        "options",
        "robustness",
        "weights",
        "appendix",
    ):
        head = re.search(rf'<section id="{ident}"[^>]*>\s*<h2 id="{ident}-h">', mini_html)
        assert head is not None, ident
    assert mini_html.index('id="verdict"') < mini_html.index('id="contents"')
    assert mini_html.index('id="verdict"') < mini_html.index('id="manifest"')


def test_every_quote_is_shown_once(mini_html: str) -> None:
    lib = as_library(MINI)
    quotes = [
        a.quote
        for o in lib.options
        for item in (*o.benefits, *o.risks, *o.preconditions)
        for a in item.assessments
    ]
    assert quotes
    for quote in quotes:
        shown = str(escape(quote))
        assert mini_html.count(shown) == 1, quote


def test_one_judgement_label_per_item(mini_html: str) -> None:
    options = _section(mini_html, "options")
    items = re.findall(r'<li class="item .*?</ul>\s*</li>', options, re.S)
    assert items
    for item in items:
        assert item.count("Analyst judgement") <= 1
    assert "Analyst judgement</span> Analyst" not in mini_html


def test_matrix_and_coverage_links_reach_an_element(mini_html: str) -> None:
    ids = set(outline(mini_html).ids)
    for section in ("matrix", "coverage"):
        links = re.findall(r'href="#([^"]+)"', _section(mini_html, section))
        assert links
        assert set(links) <= ids, set(links) - ids
