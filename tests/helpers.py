"""Paths and small helpers shared by the tests (import as ``from helpers import ...``)."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
ASSETS = TESTS / "assets"
MINI = ASSETS / "mini"
MINI_CORPUS = ASSETS / "mini-corpus"
BROKEN = ASSETS / "broken"
SCENARIOS = REPO / "scenarios"
SEEDS = REPO.parent / "shared" / "seeds"
V2 = REPO / "tests" / "assets" / "v2"
