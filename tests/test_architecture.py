"""Imports flow one way (DESIGN.md section 2; notes/style.md section 2.2), checked on the AST."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers import REPO

PACKAGE = REPO / "evaluator"

# The numpy core (scoring, evidence, sensitivity algorithms) knows no files, terminals,
# templates or tables, and nothing above it.
CORE = {
    "yaml",
    "jinja2",
    "typer",
    "pandas",
    "evaluator.library",
    "evaluator.report",
    "evaluator.cli",
}
FORBIDDEN = {
    "scoring": CORE | {"pathlib", "rich"},
    "sensitivity": CORE,
    "evidence": CORE | {"pathlib", "rich", "evaluator.evaluation"},
    "model.py": {"numpy", "pandas", "yaml", "jinja2", "typer", "rich"},
    "errors.py": {"numpy", "pandas", "pydantic", "yaml", "jinja2", "typer", "rich"},
    "report": {"yaml", "evaluator.library", "evaluator.cli"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def files_under(target: str) -> list[Path]:
    path = PACKAGE / target
    return sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.exists() else []


@pytest.mark.parametrize("target", sorted(FORBIDDEN))
def test_layer_does_not_import_forbidden(target: str) -> None:
    for file in files_under(target):
        bad = {
            m
            for m in imported_modules(file)
            if any(m == f or m.startswith(f + ".") for f in FORBIDDEN[target])
        }
        assert not bad, f"{file.relative_to(REPO)} imports {sorted(bad)}"


def test_scoring_never_opens_files() -> None:
    for file in files_under("scoring"):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        calls = {
            n.func.id
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
        }
        assert "open" not in calls, f"{file.name} calls open()"
        assert "print" not in calls, f"{file.name} prints"


def test_evidence_imports_only_model_and_numpy() -> None:
    """The evidence compiler is pure: the model in, arrays out, no I/O and no scoring."""
    allowed = (
        "numpy",
        "evaluator.model",
        "evaluator.evidence",
        "__future__",
        "dataclasses",
        "collections",
        "typing",
        "math",
        "functools",
    )
    files = files_under("evidence")
    assert files, "evaluator/evidence/ is missing"
    for file in files:
        for module in imported_modules(file):
            assert module.startswith(allowed), f"{file.name} imports {module}"


def test_the_architecture_test_can_fail(tmp_path: Path) -> None:
    bad = REPO / "evaluator" / "scoring" / "_probe_bad.py"
    bad.write_text("import yaml\n")
    try:
        with pytest.raises(AssertionError, match="imports"):
            test_layer_does_not_import_forbidden("scoring")
    finally:
        bad.unlink()
