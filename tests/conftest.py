"""Shared fixtures: the example library, broken variants of it, hypothesis profiles."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import BROKEN, MINI
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden``: rewrite the report's golden files instead of comparing."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/report/golden/* from the current output",
    )


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the example library."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def broken_library(tmp_path: Path) -> Callable[[str], Path]:
    """Build ``tests/assets/broken/<case>``: the example library with that case's files
    laid over it, and the paths listed in the case's REMOVE file deleted."""

    def build(case: str) -> Path:
        target = tmp_path / case
        shutil.copytree(MINI, target)
        overlay = BROKEN / case
        for file in overlay.rglob("*"):
            if file.is_file() and file.name != "REMOVE":
                dest = target / file.relative_to(overlay)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, dest)
        remove = overlay / "REMOVE"
        if remove.exists():
            for line in remove.read_text().split():
                (target / line).unlink()
        return target

    return build
