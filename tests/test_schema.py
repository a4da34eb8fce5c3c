"""The exported JSON Schema accepts the example library and rejects single-file errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from helpers import MINI

from evaluator.schema_export import json_schema


def validator(kind: str) -> jsonschema.protocols.Validator:
    schema = json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("option", sorted((MINI / "options").glob("*.yaml")), ids=lambda p: p.stem)
def test_accepts_example_options(option: Path) -> None:
    data = load(option)
    # JSON Schema has no YAML 1.1 booleans for mitigable; the schema allows them explicitly.
    errors = list(validator("option").iter_errors(data))
    assert errors == []


@pytest.mark.parametrize("kind", ["sources", "criteria", "profiles"])
def test_accepts_example_files(kind: str) -> None:
    assert list(validator(kind).iter_errors(load(MINI / f"{kind}.yaml"))) == []


@pytest.mark.parametrize(
    "case",
    [
        "likelihood-out-of-range",
        "unknown-term",
        "magnitude-out-of-range",
        "missing-field",
        "wrong-type",
        "misspelt-field",
    ],
)
def test_rejects_single_file_cases(case: str, broken_library: Callable[[str], Path]) -> None:
    data = load(broken_library(case) / "options" / "levee.yaml")
    assert list(validator("option").iter_errors(data)), f"{case} should not validate"


def test_rejects_declared_feasibility(broken_library: Callable[[str], Path]) -> None:
    data = load(broken_library("reserved-feasibility") / "criteria.yaml")
    assert list(validator("criteria").iter_errors(data))


def test_every_field_has_a_description() -> None:
    defs = json_schema()["$defs"]
    for name in (
        "Option",
        "Benefit",
        "Risk",
        "RiskAssessment",
        "Precondition",
        "Source",
        "Criterion",
        "Profile",
    ):
        for field, spec in defs[name]["properties"].items():
            assert spec.get("description"), f"{name}.{field} has no description"
