"""Properties of the gap policies on random small libraries (hypothesis)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import SCENARIOS, V2
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator import load_library
from evaluator.evidence import EVIDENCE, GAP, compile_evidence
from evaluator.evidence import matrix as matrix_module
from evaluator.model import (
    Benefit,
    BenefitAssessment,
    Criterion,
    Library,
    Option,
    Profile,
    Risk,
    RiskAssessment,
    Source,
    Unaffected,
)

CRITERIA = [
    Criterion(id="good", name="Good", description="d", direction="benefit"),
    Criterion(id="bad", name="Bad", description="d", direction="cost"),
]
SOURCES = [Source(id=s, title=s, document=f"{s}.txt", stance="s") for s in ("s1", "s2")]
QUOTE = "a quote of six words or more"


@st.composite
def libraries(draw: st.DrawFn) -> Library:
    n = draw(st.integers(2, 5))
    options = []
    for i in range(n):
        benefits, risks = [], []
        for j in range(draw(st.integers(0, 2))):
            benefits.append(
                Benefit(
                    id=f"o{i}-b{j}",
                    text="t",
                    criterion=draw(st.sampled_from(["good", "bad"])),
                    magnitude=float(draw(st.integers(1, 5))),
                    assessments=[
                        BenefitAssessment(
                            source=draw(st.sampled_from(["s1", "s2"])),
                            likelihood=draw(st.floats(0, 1)),
                            quote=QUOTE,
                        )
                    ],
                )
            )
        for j in range(draw(st.integers(0, 2))):
            risks.append(
                Risk(
                    id=f"o{i}-r{j}",
                    text="t",
                    criterion=draw(st.sampled_from(["good", "bad"])),
                    impact=float(draw(st.integers(1, 5))),
                    assessments=[
                        RiskAssessment(
                            source=draw(st.sampled_from(["s1", "s2"])),
                            likelihood=draw(st.floats(0, 1)),
                            mitigable=draw(st.sampled_from(["yes", "partly", "no"])),
                            quote=QUOTE,
                        )
                    ],
                )
            )
        used = {e.criterion for e in (*benefits, *risks)}
        quiet = [
            Unaffected(criterion=c, rationale="r")
            for c in ("good", "bad", "feasibility")
            if c not in used and draw(st.booleans())
        ]
        options.append(
            Option(
                id=f"o{i}",
                title="t",
                summary="s",
                theatre="x",
                benefits=benefits,
                risks=risks,
                unaffected=quiet,
            )
        )
    profile = Profile(id="p", name="p", description="d", weights={"good": 1, "bad": 1})
    return Library(
        name="random", sources=SOURCES, criteria=CRITERIA, profiles=[profile], options=options
    )


@settings(max_examples=150, deadline=None)
@given(libraries())
def test_a_neutral_gap_is_never_strictly_best_on_its_criterion(library: Library) -> None:
    ev = compile_evidence(library)
    point = ev.point_matrix()
    for j, direction in enumerate(ev.types):
        gaps = ev.coverage[:, j] == GAP
        known = ~gaps
        if not gaps.any() or not known.any():
            continue
        oriented = point[:, j] * direction  # higher is better
        best_known = oriented[known].max()
        # The median of the known values: never strictly above the best of them.
        assert oriented[gaps].max() <= best_known + 1e-12
        assert oriented[gaps].min() >= oriented[known].min() - 1e-12


@settings(max_examples=150, deadline=None)
@given(libraries(), st.data())
def test_declaring_a_gap_unaffected_never_changes_an_evidence_cell(
    library: Library, data: st.DataObject
) -> None:
    before = compile_evidence(library)
    gaps = list(zip(*np.nonzero(before.coverage == GAP), strict=True))
    if not gaps:
        return
    row, column = data.draw(st.sampled_from(gaps))
    criterion = before.criterion_ids[column]
    options = list(library.options)
    target = options[row]
    options[row] = target.model_copy(
        update={"unaffected": [*target.unaffected, Unaffected(criterion=criterion, rationale="r")]}
    )
    after = compile_evidence(library.model_copy(update={"options": options}))
    evidence = before.coverage == EVIDENCE
    np.testing.assert_array_equal(after.point_matrix()[evidence], before.point_matrix()[evidence])
    assert after.coverage[row, column] != GAP


@settings(max_examples=100, deadline=None)
@given(libraries())
def test_zero_policy_cells_are_the_plain_sums(library: Library) -> None:
    """--gaps zero: every cell is G - H (or H - G) of its items; silence is 0, feasibility 1."""
    ev = compile_evidence(library, gaps="zero")
    point = ev.point_matrix()
    for i, option in enumerate(library.options):
        for j, criterion in enumerate(CRITERIA):
            sign = 1.0 if criterion.direction == "benefit" else -1.0
            gain = sum(
                b.magnitude * b.assessments[0].likelihood  # type: ignore[operator]
                for b in option.benefits
                if b.criterion == criterion.id
            )
            factor = {"yes": 0.5, "partly": 0.75, "no": 1.0}
            harm = sum(
                r.impact * r.assessments[0].likelihood * factor[r.assessments[0].mitigable]  # type: ignore[operator]
                for r in option.risks
                if r.criterion == criterion.id
            )
            assert (
                point[i, j] == np.float64(sign * (gain - harm))
                or abs(point[i, j] - sign * (gain - harm)) < 1e-12
            )
        assert point[i, -1] == 1.0


@settings(max_examples=30, deadline=None)
@given(libraries())
def test_draws_with_gaps_are_reproducible(library: Library) -> None:
    ev = compile_evidence(library)
    a = ev.sample_matrices(np.random.default_rng(5), 50)
    b = compile_evidence(library).sample_matrices(np.random.default_rng(5), 50)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("gaps", ["neutral", "worst"])
@pytest.mark.parametrize("library_dir", [SCENARIOS, V2])
def test_gap_fills_row_by_row_and_gathered_are_bit_identical(library_dir: Path, gaps: str) -> None:
    """Large batches fill gaps a row at a time, small ones by gathering rows: the same
    arithmetic on the same values, so the matrices agree bit for bit (the Monte Carlo's
    numbers must not depend on the block size's side of the switch)."""
    library = load_library(library_dir)
    for feasibility in ("weight", "expected"):
        evidence = compile_evidence(library, gaps=gaps, feasibility=feasibility)
        params = np.random.default_rng(4).random((evidence.parameter_low.size, 300))
        params *= (evidence.parameter_high - evidence.parameter_low)[:, None]
        params += evidence.parameter_low[:, None]
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(matrix_module, "ROW_BY_ROW_DRAWS", 1)
            by_row = np.ascontiguousarray(evidence.evaluate(params))
            mp.setattr(matrix_module, "ROW_BY_ROW_DRAWS", 10**9)
            gathered = np.ascontiguousarray(evidence.evaluate(params))
        assert evidence.gap_columns
        assert by_row.tobytes() == gathered.tobytes()


@pytest.mark.parametrize("gaps", ["neutral", "zero", "worst"])
@pytest.mark.parametrize("library_dir", [SCENARIOS, V2])
def test_no_cell_is_read_before_it_is_set(library_dir: Path, gaps: str) -> None:
    """``evaluate`` starts only :attr:`Evidence.read_before_written` at their base and
    assigns every other cell whole: with fresh float arrays full of NaN (what an
    uninitialised array may hold), the matrices are the same, point and drawn."""
    library = load_library(library_dir)
    original = np.empty

    def poisoned(shape: Any, dtype: Any = float, *args: Any, **kwargs: Any) -> Any:
        out = original(shape, dtype, *args, **kwargs)
        if np.issubdtype(out.dtype, np.floating):
            out.fill(np.nan)
        return out

    for feasibility in ("weight", "expected"):
        evidence = compile_evidence(library, gaps=gaps, feasibility=feasibility)
        params = np.random.default_rng(2).random((evidence.parameter_low.size, 50))
        expected = evidence.evaluate(params).copy(), evidence.point_matrix()
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(matrix_module.np, "empty", poisoned)
            got = evidence.evaluate(params).copy(), evidence.point_matrix()
        for a, b in zip(expected, got, strict=True):
            assert not np.isnan(b).any()
            assert a.tobytes() == b.tobytes()
