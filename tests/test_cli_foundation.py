"""CLI verbs validate, list, schema and new, through typer's runner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import MINI, MINI_CORPUS
from typer.testing import CliRunner

from evaluator import load_library
from evaluator.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_validate_ok() -> None:
    code, out, err = run("validate", str(MINI), "--corpus", str(MINI_CORPUS))
    assert code == 0, err
    assert "valid: 3 options, 5 criteria, 3 profiles, 2 sources; 11 quotes found verbatim" in out


def test_validate_error_lines_and_no_traceback(broken_library: Callable[[str], Path]) -> None:
    lib = broken_library("unknown-criterion")
    code, out, err = run("validate", str(lib))
    assert code == 1
    assert out == ""
    assert err.strip().splitlines() == [
        f"{lib}/options/levee.yaml:9:16: benefits[0].criterion: unknown criterion 'safty'; "
        "criteria are: safety, support, cost-burden, ecology-harm"
    ]
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "case",
    [
        "yaml-syntax",
        "unknown-criterion",
        "unknown-source",
        "likelihood-out-of-range",
        "unknown-term",
        "magnitude-out-of-range",
        "duplicate-option-id",
        "empty-file",
        "not-utf8",
        "alias-bomb",
        "missing-field",
        "wrong-type",
        "misspelt-field",
    ],
)
def test_each_bad_input_exits_1_with_located_lines(
    case: str, broken_library: Callable[[str], Path]
) -> None:
    lib = broken_library(case)
    before = sorted(p.relative_to(lib) for p in lib.rglob("*"))
    code, _, err = run("validate", str(lib))
    assert code == 1
    lines = err.strip().splitlines()
    assert 1 <= len(lines) <= 3
    assert all(line.startswith(f"{lib}/options/") for line in lines)
    assert all(line.split(":")[1].isdigit() for line in lines)
    assert "Traceback" not in err
    assert sorted(p.relative_to(lib) for p in lib.rglob("*")) == before  # nothing written


def test_debug_flag_shows_traceback(broken_library: Callable[[str], Path]) -> None:
    result = runner.invoke(app, ["--debug", "validate", str(broken_library("empty-file"))])
    assert result.exit_code != 0
    assert result.exception is not None


def test_missing_library_is_a_user_error() -> None:
    code, _, err = run("validate", "no/such/dir")
    assert code == 1
    assert err.startswith("no/such/dir: not a library directory")


def test_bad_usage_exits_2() -> None:
    assert run("validate", str(MINI), "--no-such-flag")[0] == 2


def test_list_json_contract() -> None:
    code, out, _ = run("list", str(MINI), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert list(doc) == ["options", "criteria", "profiles", "sources"]
    assert doc["options"][0] == {
        "id": "levee",
        "title": "Build a higher levee",
        "theatre": "Lower town",
        "tags": ["engineering"],
    }
    assert doc["criteria"][-1] == {
        "id": "feasibility",
        "name": "Feasibility",
        "direction": "benefit",
        "group": "Feasibility",
    }
    assert doc["profiles"][1] == {"id": "safety-first", "name": "Safety first"}
    assert doc["sources"][1] == {"id": "review", "title": "River Review", "document": "review.txt"}


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_list_other_formats(fmt: str) -> None:
    code, out, _ = run("list", str(MINI), "--format", fmt)
    assert code == 0
    assert "levee" in out
    assert "feasibility" in out


def test_list_unknown_format_is_user_error() -> None:
    code, _, err = run("list", str(MINI), "--format", "xml")
    assert code == 1
    assert "table, csv, json, markdown" in err


def test_schema_is_json() -> None:
    code, out, _ = run("schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["$ref"] == "#/$defs/Option"
    code, out, _ = run("schema", "--file", "profiles")
    assert json.loads(out)["$ref"] == "#/$defs/ProfilesFile"
    assert run("schema", "--file", "nope")[0] == 1


def test_new_writes_scaffold_that_validates_once_filled(mini_copy: Path) -> None:
    code, out, err = run("new", "dredging", str(mini_copy))
    assert code == 0, err
    path = mini_copy / "options" / "dredging.yaml"
    assert out.strip() == f"{mini_copy}/options/dredging.yaml"
    text = path.read_text()
    assert "criterion: safety" in text
    # As written it does not validate: the analyst must fill in every empty field.
    assert run("validate", str(mini_copy))[0] == 1
    quote = "Restoring the old wetland upstream would soak up floodwater"
    filled = text.replace('title: ""', "title: Dredge the river").replace(
        'summary: ""', "summary: Dredge it."
    )
    filled = filled.replace('theatre: ""', "theatre: River").replace('text: ""', "text: Something.")
    filled = filled.replace('rationale: ""', "rationale: Analyst's judgement.").replace(
        'quote: ""', f'quote: "{quote}"'
    )
    path.write_text(filled)
    code, _, err = run("validate", str(mini_copy), "--corpus", str(MINI_CORPUS))
    assert code == 0, err
    assert "dredging" in [o.id for o in load_library(mini_copy).options]


def test_new_refuses_existing_and_bad_ids(mini_copy: Path) -> None:
    assert run("new", "levee", str(mini_copy))[0] == 1
    assert run("new", "Bad_Id", str(mini_copy))[0] == 1
    assert not (mini_copy / "options" / "Bad_Id.yaml").exists()


def test_python_dash_m() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "evaluator", "validate", str(MINI)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
