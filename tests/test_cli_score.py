"""CLI verbs score and compare: every format, JSON equals the API, user errors exit 1."""

from __future__ import annotations

import json

import pytest
from helpers import MINI
from typer.testing import CliRunner

from evaluator.cli import app
from evaluator.evaluation import compare, evaluate

runner = CliRunner()
LIB = str(MINI)


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "method", ["weighted-sum", "weighted-product", "topsis", "promethee-ii", "vikor"]
)
def test_score_json_equals_api(method: str) -> None:
    code, out, _ = run("score", LIB, "--method", method, "--format", "json")
    assert code == 0
    assert json.loads(out) == json.loads(json.dumps(evaluate(LIB, method=method).to_dict()))


def test_score_json_contract_keys() -> None:
    doc = json.loads(run("score", LIB, "-f", "json")[1])
    for key in ("profile", "method", "lens", "weights", "ranking", "normalization", "feasibility"):
        assert key in doc
    assert set(doc["ranking"][0]) >= {"option", "title", "rank", "score", "contributions"}
    assert [r["rank"] for r in doc["ranking"]] == [1, 2, 3]


def test_score_options_reach_the_api() -> None:
    args = [
        "score",
        LIB,
        "-p",
        "thrift",
        "-m",
        "topsis",
        "--weight",
        "safety=0.5",
        "--lens",
        "review",
        "--assume",
        "farmers-sell=met",
        "--feasibility",
        "expected",
        "-f",
        "json",
    ]
    doc = json.loads(run(*args)[1])
    api = evaluate(
        LIB,
        profile="thrift",
        method="topsis",
        weights={"safety": 0.5},
        lens="review",
        assume={"farmers-sell": "met"},
        feasibility="expected",
    ).to_dict()
    assert doc == json.loads(json.dumps(api))
    assert doc["assumptions"] == {"farmers-sell": 1.0}


def test_ties_are_average_ranks_in_json() -> None:
    doc = json.loads(run("score", LIB, "-m", "promethee-ii", "-f", "json")[1])
    assert [r["rank"] for r in doc["ranking"]] == [1.5, 1.5, 3]
    assert [r["option"] for r in doc["ranking"][:2]] == [
        "relocation",
        "wetland",
    ]  # id order in a tie


def test_json_stdout_is_pure_and_notes_go_to_stderr() -> None:
    code, out, err = run("score", LIB, "-m", "weighted-product", "-f", "json")
    assert code == 0
    json.loads(out)
    assert "offset-minmax" in err


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_score_formats(fmt: str) -> None:
    code, out, _ = run("score", LIB, "-f", fmt)
    assert code == 0
    assert "wetland" in out
    if fmt == "csv":
        assert (
            out.splitlines()[0]
            == "rank,option,score,safety,support,cost-burden,ecology-harm,feasibility"
        )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--profile", "nope"], "profiles are: balanced, safety-first, thrift"),
        (
            ["--method", "nope"],
            "methods are: weighted-sum, weighted-product, topsis, promethee-ii, vikor",
        ),
        (["--lens", "nope"], "sources are: gazette, review"),
        (["--assume", "nope=met"], "preconditions are: compensation, farmers-sell"),
        (["--assume", "nope"], "expected PRECONDITION=met|failed|PROBABILITY"),
        (["--weight", "safety=-1"], "finite number >= 0"),
        (["--weight", "safety"], "expected CRITERION=NUMBER"),
        (
            ["--normalization", "linear"],
            "--normalization: criterion 'support' can take a zero or negative value",
        ),
        (["--feasibility", "maybe"], "use weight or expected"),
    ],
)
def test_score_user_errors(args: list[str], needle: str) -> None:
    code, out, err = run("score", LIB, *args)
    assert code == 1
    assert out == ""
    assert needle in err
    assert "Traceback" not in err


def test_compare_json_equals_api() -> None:
    code, out, _ = run("compare", LIB, "--lenses", "-f", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc == json.loads(json.dumps(compare(LIB, lenses=True).to_dict()))
    assert len(doc["columns"]) == 3 * 5 + 2
    assert doc["columns"][-2:] == ["lens:gazette", "lens:review"]
    assert set(doc["kendall_tau"]) == set(doc["columns"])


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_compare_formats(fmt: str) -> None:
    code, out, _ = run(
        "compare", LIB, "--profiles", "balanced,thrift", "--methods", "topsis", "-f", fmt
    )
    assert code == 0
    assert "balanced:topsis" in out


def test_compare_unknown_names() -> None:
    assert "profiles are" in run("compare", LIB, "--profiles", "nope")[2]
    assert "methods are" in run("compare", LIB, "--methods", "nope")[2]
