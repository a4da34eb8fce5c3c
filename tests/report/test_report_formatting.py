"""Number formatting lives in evaluator.report.formatting alone (issue 11 item 7)."""

from __future__ import annotations

import ast
from importlib import resources

import pytest

from evaluator.report import formatting

#: Formatting code anywhere else in the report: a formatter defined again, or a float
#: format spec (":.3f", ":,") written inline.
FORMATTERS = {"fmt", "number", "percent", "chance", "distinct", "icd_term", "rank_text", "count"}


def report_modules() -> dict[str, str]:
    root = resources.files("evaluator.report")
    return {
        p.name: p.read_text("utf-8")
        for p in root.iterdir()
        if p.name.endswith(".py") and p.name != "formatting.py"
    }


def inline_specs(source: str) -> list[str]:
    """Format specs of f-strings that format numbers (``{x:.2f}``, ``{n:,}``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = ast.unparse(node.format_spec)
            if any(c in spec for c in ".,%") or spec.rstrip("'\"").endswith(("f", "d", "e")):
                found.append(spec)
    return found


def test_no_report_module_formats_numbers_itself() -> None:
    for name, source in report_modules().items():
        tree = ast.parse(source)
        defined = {
            n.name
            for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef) and n.name.lstrip("_") in FORMATTERS
        }
        # summary binds chance to the verdict's thresholds; it formats nothing itself
        assert defined <= ({"chance"} if name == "summary.py" else set()), name
        assert inline_specs(source) == [], name


def test_the_check_finds_inline_formatting() -> None:
    assert inline_specs("x = f'{value:.2f} and {n:,}'") != []
    assert inline_specs("x = f'{name}'") == []


@pytest.mark.parametrize(
    ("p", "bounds", "text"),
    [
        (0.586, (0.8,), "59%"),
        (0.7996, (0.8,), "79.96%"),
        (0.8, (0.8,), "80%"),
        (0.0004, (), "0.04%"),
        (0.0, (), "0%"),
    ],
)
def test_chance_keeps_the_side_of_every_bound(
    p: float, bounds: tuple[float, ...], text: str
) -> None:
    assert formatting.chance(p, bounds) == text


def test_small_formatters() -> None:
    assert formatting.number(2.5) == "2.5"
    assert formatting.number(4.0) == "4"
    assert formatting.rank_text(2.5) == "2.5"
    assert formatting.rank_text(3.0) == "3"
    assert formatting.count(20000) == "20,000"
    assert formatting.percent(0.613) == "61%"
    assert formatting.distinct(0.12341, 0.12344) == ("0.12341", "0.12344")
