"""validate's lint: gaps (warnings), reused quotes and near-duplicates (errors with --strict)."""

from __future__ import annotations

from pathlib import Path

from helpers import V2
from typer.testing import CliRunner

from evaluator.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_gaps_are_warnings_even_when_strict() -> None:
    code, out, err = run("validate", str(V2), "--strict")
    assert code == 0
    assert "valid" in out
    assert (
        "z.yaml:1:5: id: gaps (no evidence, no 'unaffected' declaration): gain, feasibility" in err
    )


def _copy(tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "v2"
    shutil.copytree(V2, target)
    return target


def test_a_reused_quote_warns_and_strict_refuses_it(tmp_path: Path) -> None:
    lib = _copy(tmp_path)
    y = lib / "options" / "y.yaml"
    y.write_text(
        y.read_text().replace(
            "the first source says y certainly brings some gain",
            "x would bring a clear gain to every household nearby",
        )
    )
    code, _, err = run("validate", str(lib))
    assert code == 0
    assert "reused-quote" not in err  # the code is for tests; the message is for people
    assert "this quote is also used for 'x-gain'" in err
    code, out, err = run("validate", str(lib), "--strict")
    assert code == 1
    assert out == ""
    assert f"{lib}/options/y.yaml:" in err
    assert "also used for 'x-gain'" in err
    # Declared with also_for, the same sentence may serve both items.
    y.write_text(
        y.read_text().replace(
            "        quote: x would bring",
            "        also_for: x-gain\n        quote: x would bring",
        )
    )
    assert run("validate", str(lib), "--strict")[0] == 0


def test_a_restated_item_is_a_near_duplicate(tmp_path: Path) -> None:
    lib = _copy(tmp_path)
    z = lib / "options" / "z.yaml"
    z.write_text(
        z.read_text()
        + """  - id: z-harm-again
    text: A harm, restated.
    criterion: harm
    impact: 1
    assessments:
      - source: s2
        likelihood: 1
        mitigable: no
        quote: the first source says z surely does a little harm
"""
    )
    code, _, err = run("validate", str(lib), "--strict")
    assert code == 1
    assert "'z-harm-again' looks like a restatement of 'z-harm' (they share a quote)" in err
    # A sentence declared to state both arguments is neither reused nor a restatement.
    head, tail = z.read_text().split("  - id: z-harm-again")
    tail = tail.replace(
        "        mitigable: no\n", "        mitigable: no\n        also_for: z-harm\n"
    )
    z.write_text(head + "  - id: z-harm-again" + tail)
    assert "also_for: z-harm" in z.read_text()
    assert run("validate", str(lib), "--strict")[0] == 0


def test_an_included_cycle_and_a_conflicting_declaration_are_located(tmp_path: Path) -> None:
    lib = _copy(tmp_path)
    x = lib / "options" / "x.yaml"
    x.write_text(
        x.read_text()
        + "includes: [w]\nunaffected:\n  - criterion: gain\n    rationale: Contradiction.\n"
    )
    code, _, err = run("validate", str(lib))
    assert code == 1
    assert "includes form a cycle" in err
    assert "cannot also be declared unaffected" in err
    assert "Traceback" not in err


def test_the_old_benefit_form_is_a_located_error_showing_the_new_form(tmp_path: Path) -> None:
    lib = _copy(tmp_path)
    y = lib / "options" / "y.yaml"
    y.write_text(
        y.read_text().replace(
            "    assessments:\n      - source: s1\n        likelihood: 1\n",
            "    sources:\n      - source: s1\n",
            1,
        )
    )
    code, out, err = run("validate", str(lib))
    assert code == 1
    assert out == ""
    assert err.startswith(f"{lib}/options/y.yaml:6:5: benefits[0]: ")
    assert "replace 'sources:' with 'assessments: [{source: ID, likelihood: likely" in err
    assert "Traceback" not in err


def test_sensitivity_with_gaps_is_reproducible() -> None:
    from evaluator import analyse_sensitivity

    first = analyse_sensitivity(V2, samples=600, seed=3).to_dict()
    again = analyse_sensitivity(V2, samples=600, seed=3).to_dict()
    assert first == again
    assert first["p_best"] != analyse_sensitivity(V2, samples=600, seed=4).to_dict()["p_best"]


def test_a_quote_inside_another_quote_is_reused(tmp_path: Path) -> None:
    lib = _copy(tmp_path)
    y = lib / "options" / "y.yaml"
    y.write_text(
        y.read_text().replace(
            "the first source says y certainly brings some gain",
            "would bring a clear gain to every household",  # inside x-gain's quote
        )
    )
    code, _, err = run("validate", str(lib), "--strict")
    assert code == 1
    assert "this quote is also used for 'x-gain'" in err
