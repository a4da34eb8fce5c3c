"""Fixtures for the report tests: built reports, a hostile library, golden files, a browser.

Golden files live in ``tests/report/golden/``. They are rewritten only on request:
``pytest --update-golden`` or ``UPDATE_GOLDEN=1 pytest``. The flag is registered in
``tests/conftest.py``: pytest reads ``pytest_addoption`` only from initial conftests, and
the root one always is.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import MINI, SCENARIOS

from evaluator import LibraryError, load_library
from evaluator.report import build_report, write_report

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
