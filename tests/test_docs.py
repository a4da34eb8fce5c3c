"""The README keeps up with the CLI: every verb documented, every example runs."""

from __future__ import annotations

import re
import shlex

import pytest
import typer.main
from helpers import REPO, SCENARIOS
from typer.testing import CliRunner

from evaluator.cli import app

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
runner = CliRunner()


def test_readme_opens_with_the_two_commands() -> None:
    first_block = re.search(r"```bash\n(.*?)```", README, re.S)
    assert first_block is not None
    lines = first_block.group(1).strip().splitlines()
    assert lines == [
        "python -m pip install -e . && evaluator report scenarios",
        'python -m pip install -e ".[test]" && python -m pytest',
    ]


@pytest.mark.parametrize("verb", COMMANDS)
def test_every_verb_is_documented_and_has_help(verb: str) -> None:
    assert f"evaluator {verb}" in README
    result = runner.invoke(app, [verb, "--help"])
    assert result.exit_code == 0
    assert len(result.stdout.strip()) > 40


def example_lines() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", README, re.S)[1:]  # skip the install block
    return [
        line for block in blocks for line in block.splitlines() if line.startswith("evaluator ")
    ]


@pytest.mark.skipif(not (SCENARIOS / "sources.yaml").exists(), reason="scenarios/ not present")
@pytest.mark.parametrize("line", example_lines())
def test_readme_examples_run(line: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    args = shlex.split(line)[1:]
    if "--samples" in args:  # keep the suite fast: same command, fewer draws
        args[args.index("--samples") + 1] = "2000"
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr


@pytest.mark.skipif(not (SCENARIOS / "sources.yaml").exists(), reason="scenarios/ not present")
def test_readme_python_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    block = re.search(r"```python\n(.*?)```", README, re.S)
    assert block is not None
    code = block.group(1).replace("samples=20_000", "samples=2_000")  # same call, fewer draws
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert "result" in namespace
