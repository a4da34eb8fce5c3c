"""One tie rule: ranking, stability and SMAA follow evaluator.scoring.ranking.TIE_RTOL.

The tolerance is changed in that one module only (the report's half of this check is
tests/report/test_report_ties.py). Scores 1.0 and 0.95 are distinct at the default 1e-9
and tied at 0.1 x max|score|.
"""

from __future__ import annotations

import numpy as np
import pytest

import evaluator.scoring.ranking as ranking
import evaluator.sensitivity.smaa as smaa
import evaluator.sensitivity.stability as stability
from evaluator.scoring import rank
from evaluator.sensitivity.stability import top_option

SCORES = np.array([0.95, 1.0, 0.2])  # option 1 is ahead of option 0 by 0.05


def test_ranking_stability_and_smaa_follow_the_one_tolerance(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert rank(SCORES).tolist() == [2.0, 1.0, 3.0]
    assert top_option(SCORES) == 1
    assert not smaa.is_top(SCORES, 0)  # SMAA's confidence test: is option 0 on top?
    monkeypatch.setattr(ranking, "TIE_RTOL", 0.1)
    assert rank(SCORES).tolist() == [1.5, 1.5, 3.0]
    assert top_option(SCORES) == 0  # tied with option 1, first by index
    assert smaa.is_top(SCORES, 0)


def test_no_module_keeps_a_copy_of_the_rule() -> None:
    # Stability and SMAA use the ranking module's functions, not copies.
    assert stability.tie_groups is ranking.tie_groups
    assert smaa.is_top is ranking.is_top
    assert not hasattr(stability, "TIE_RTOL")
