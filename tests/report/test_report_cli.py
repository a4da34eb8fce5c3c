"""The ``evaluator report`` verb end to end: default path, reproducible bytes, user errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import MINI
from typer.testing import CliRunner

from evaluator.cli import app

runner = CliRunner()


def test_report_writes_the_default_path_and_prints_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = runner.invoke(app, ["report", str(MINI), "--samples", "200", "-q"])
    assert result.exit_code == 0, result.output
    target = Path("reports") / "mini-balanced.html"
    assert result.stdout.strip() == str(target)
    html = target.read_text(encoding="utf-8")
    assert "2023-11-14T22:13:20+00:00" in html
    assert str(tmp_path) not in html


def test_source_date_epoch_gives_identical_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    outs = [tmp_path / "a" / "one.html", tmp_path / "b" / "two.html"]
    for out in outs:
        args = ["report", str(MINI), "--out", str(out), "--samples", "200", "--seed", "3", "-q"]
        result = runner.invoke(app, [*args, "--method", "topsis"])
        assert result.exit_code == 0, result.output
    assert outs[0].read_bytes() == outs[1].read_bytes()


def test_unknown_profile_is_a_user_error_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["report", str(MINI), "--profile", "nope", "--samples", "10"])
    assert result.exit_code == 1
    assert "unknown profile 'nope'" in result.output
    assert not (tmp_path / "reports").exists()
