"""Fixtures for the report tests: built reports, a hostile library, golden files, a browser.

Golden files live in ``tests/report/golden/``. They are rewritten only on request:
``pytest --update-golden`` or ``UPDATE_GOLDEN=1 pytest``. The flag is registered in
``tests/conftest.py``: pytest reads ``pytest_addoption`` only from initial conftests, and
the root one always is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from helpers import MINI, SCENARIOS

from evaluator import LibraryError, load_library
from evaluator.evaluation import as_library, compare, evaluate
from evaluator.report import build_report, write_report
from evaluator.report.context import Results
from evaluator.sensitivity import SMAAResult, analyse_sensitivity

GOLDEN = Path(__file__).resolve().parent / "golden"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
GENERATED_AT = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)
GOLDEN_SAMPLES = 2000
GOLDEN_SEED = 7

#: Text that would run if it were ever parsed as HTML or script.
PAYLOADS = (
    "<script>window.__pwned = 'script';</script>",
    "</script><script>window.__pwned = 'breakout';</script>",
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    "line\u2028separator\u2029paragraph",
)
HOSTILE = " ".join(PAYLOADS)


@pytest.fixture(scope="session")
def update_golden(pytestconfig: pytest.Config) -> bool:
    """True when golden files should be rewritten (flag or UPDATE_GOLDEN=1)."""
    flag = bool(pytestconfig.getoption("--update-golden", default=False))
    return flag or os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="session")
def golden(update_golden: bool) -> Callable[[str, str], None]:
    """``golden(name, text)``: compare ``text`` with ``golden/name`` (or rewrite it)."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update_golden:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
            return
        if not path.exists():
            pytest.fail(f"missing golden file {path}; run pytest tests/report --update-golden")
        expected = path.read_text(encoding="utf-8")
        assert text == expected, (
            f"output differs from {path.name}; if the change is intended, refresh with "
            "pytest tests/report --update-golden (or UPDATE_GOLDEN=1)"
        )

    return check


def build_mini(**kwargs: Any) -> str:
    """The mini library's report with the golden settings."""
    library = kwargs.pop("library", MINI)
    options: dict[str, Any] = {
        "samples": GOLDEN_SAMPLES,
        "seed": GOLDEN_SEED,
        "generated_at": GENERATED_AT,
    }
    options.update(kwargs)
    return build_report(library, **options)


#: A hand-built SMAA result for the mini library (rows: levee, relocation, wetland), so the
#: section snapshots never move when the Monte Carlo's sampling changes.
FIXED_SMAA = SMAAResult(
    options=("levee", "relocation", "wetland"),
    samples=20_000,
    seed=0,
    rank_acceptability=np.array([[0.1, 0.15, 0.75], [0.3, 0.6, 0.1], [0.6, 0.25, 0.15]]),
    rank_acceptability_se=np.array(
        [[0.002, 0.0025, 0.003], [0.0032, 0.0035, 0.002], [0.0035, 0.003, 0.0025]]
    ),
    central_weights=np.array(
        [
            [0.25, 0.125, 0.125, 0.125, 0.375],
            [0.3, 0.1, 0.2, 0.2, 0.2],
            [0.15, 0.25, 0.2, 0.2, 0.2],
        ]
    ),
    confidence=np.array([0.5, 1.0, 1.0]),
    confidence_samples=20_000,
)
SNAPSHOT_VERSION = "0.0.0-snapshot"


def fixed_results(samples: int = 1, seed: int = 0) -> Results:
    """The mini library's results with :data:`FIXED_SMAA` in place of sampled draws.

    Everything else (evaluation, comparison, lenses, stability, tornado, what-ifs) is
    deterministic point computation; ``samples`` and ``seed`` reach only the SMAA that is
    thrown away, and the version and timestamp are fixed.
    """
    library = as_library(MINI)
    sampled = analyse_sensitivity(library, samples=samples, seed=seed)
    sensitivity = dataclasses.replace(
        sampled, smaa=FIXED_SMAA, weight_model={"kind": "dirichlet", "concentration": 20.0}
    )
    lenses = {s.id: evaluate(library, lens=s.id) for s in library.sources}
    return Results(library, sensitivity, compare(library), lenses, SNAPSHOT_VERSION, GENERATED_AT)


@pytest.fixture(scope="session")
def mini_html() -> str:
    """The mini report (weighted sum, golden settings)."""
    return build_mini()


def _poison(library: Path) -> None:
    """Append the payloads to every free-text field of a copied library."""

    def edit(path: Path, fields: tuple[str, ...]) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))

        def walk(node: Any) -> Any:
            if isinstance(node, dict):
                return {
                    k: (f"{v} {HOSTILE}" if k in fields and isinstance(v, str) else walk(v))
                    for k, v in node.items()
                }
            if isinstance(node, list):
                return [walk(x) for x in node]
            return node

        path.write_text(yaml.safe_dump(walk(data), allow_unicode=True), encoding="utf-8")

    text = ("title", "summary", "text", "quote", "rationale", "theatre")
    for option in sorted((library / "options").glob("*.yaml")):
        edit(option, text)
    edit(library / "sources.yaml", ("title", "outlet", "stance", "rationale"))
    edit(library / "criteria.yaml", ("name", "description", "group"))
    edit(library / "profiles.yaml", ("name", "description"))


@pytest.fixture(scope="session")
def hostile_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the mini library with script, markup and U+2028 in every text field."""
    target = tmp_path_factory.mktemp("hostile") / "mini"
    shutil.copytree(MINI, target)
    _poison(target)
    return target


@pytest.fixture(scope="session")
def hostile_html(hostile_library: Path) -> str:
    """The hostile library's report."""
    return build_mini(library=hostile_library)


def scenarios_valid() -> bool:
    """Whether the real library loads (it may be mid-edit while the report is developed)."""
    try:
        load_library(SCENARIOS)
    except LibraryError:
        return False
    return True


# Browser -----------------------------------------------------------------------------------

BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_path() -> str | None:
    """Debian's Chromium, or one on PATH."""
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium through playwright; skipped without it, except in CI where it fails."""
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the environment
        executable = None
    if executable is None:
        reason = "Chromium (/usr/bin/chromium or chromium on PATH) or playwright is not available"
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def report_files(
    tmp_path_factory: pytest.TempPathFactory, mini_html: str, hostile_html: str
) -> dict[str, Path]:
    """Reports written to disk for the browser: mini, hostile, and one per method on mini."""
    root = tmp_path_factory.mktemp("reports")
    files = {"mini": mini_html, "hostile": hostile_html}
    for method in ("weighted-product", "topsis", "promethee-ii", "vikor"):
        files[method] = build_mini(method=method, samples=300)
    files["expected"] = build_mini(feasibility="expected", samples=300)
    out = {}
    for name, html in files.items():
        path = root / f"{name}.html"
        write_report(path, html)
        out[name] = path
    return out


LOCAL = ("data:", "file:", "about:")

SET_WEIGHTS = """(values) => {
  for (const [criterion, value] of Object.entries(values)) {
    const input = document.querySelector(`input[type=range][data-criterion="${criterion}"]`);
    input.value = String(value);
    input.dispatchEvent(new Event("input", {bubbles: true}));
  }
}"""
LIVE_ORDER = "#live-ranking > [data-option-id]"
#: Set the sliders, then read them back with the live ranking: one round trip per vector.
APPLY_WEIGHTS = """(values) => {
  for (const [criterion, value] of Object.entries(values)) {
    const input = document.querySelector(`input[type=range][data-criterion="${criterion}"]`);
    input.value = String(value);
    input.dispatchEvent(new Event("input", {bubbles: true}));
  }
  const items = [...document.querySelectorAll("#live-ranking > [data-option-id]")];
  return {
    sliders: [...document.querySelectorAll("input[type=range][data-criterion]")].map(
      (e) => [e.dataset.criterion, parseFloat(e.value)]),
    order: items.map((e) => e.dataset.optionId),
    ranks: items.map((e) => e.querySelector(".live-rank").textContent),
  };
}"""


class Page:
    """A page with its console errors, page errors, dialogs and non-local requests."""

    def __init__(self, browser: Any, url: str, width: int = 1280) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on(
            "request",
            lambda r: None if r.url.startswith(LOCAL) else self.requests.append(r.url),
        )

        def on_dialog(dialog: Any) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        self.page.on("dialog", on_dialog)
        self.open(url)

    def open(self, url: str) -> None:
        """Load ``url`` in this tab (reusing a tab is cheaper than opening one)."""
        self.errors.clear()
        self.requests.clear()
        self.dialogs.clear()
        self.page.goto(url)

    def live_order(self) -> list[str]:
        return list(
            self.page.eval_on_selector_all(LIVE_ORDER, "els => els.map(e => e.dataset.optionId)")
        )

    def live_ranks(self) -> list[str]:
        """The rank shown beside each option, in list order ("1", "2.5", ...)."""
        return list(
            self.page.eval_on_selector_all(
                LIVE_ORDER, "els => els.map(e => e.querySelector('.live-rank').textContent)"
            )
        )

    def alert(self) -> str | None:
        """The text of the page's visible role=alert banner, or None if none is visible."""
        banner = self.page.locator("[role=alert]")
        if banner.count() == 0 or not banner.first.is_visible():
            return None
        return str(banner.first.text_content())

    def slider_values(self) -> dict[str, float]:
        pairs = self.page.eval_on_selector_all(
            "input[type=range][data-criterion]",
            "els => els.map(e => [e.dataset.criterion, parseFloat(e.value)])",
        )
        return {c: float(v) for c, v in pairs}

    def set_weights(self, values: dict[str, float]) -> None:
        self.page.evaluate(SET_WEIGHTS, values)

    def apply(self, values: dict[str, float]) -> tuple[dict[str, float], list[str], list[str]]:
        """Set the sliders; return their values, the live order and the ranks shown."""
        state = self.page.evaluate(APPLY_WEIGHTS, values)
        sliders = {c: float(v) for c, v in state["sliders"]}
        return sliders, list(state["order"]), list(state["ranks"])

    def clean(self) -> None:
        assert self.errors == []
        assert self.requests == []
        assert self.dialogs == []

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    pages: list[Page] = []

    def make(path: Path, width: int = 1280) -> Page:
        page = Page(browser, path.as_uri(), width)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.close()
