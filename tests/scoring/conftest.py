"""Fixtures for the scoring kernels (cases live in ``scoring_cases``)."""

from __future__ import annotations

import pytest
from scoring_cases import MakeProblem, make_problem_case


@pytest.fixture
def make_problem() -> MakeProblem:
    """Factory: ``make_problem(seed=..., n_options=..., n_criteria=..., k=None)``."""
    return make_problem_case
