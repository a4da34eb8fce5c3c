"""Evidence -> performance matrix (DESIGN.md section 4).

For option *a* and criterion *c*:

- benefit criterion: sum of the magnitudes of *a*'s benefits on *c*;
- cost criterion: sum over *a*'s risks on *c* of impact x likelihood x mitigation factor
  (yes 0.5, partly 0.75, no 1.0), likelihood and factor each the mean over the sources
  that assess the risk;
- ``feasibility``: the product of *a*'s precondition likelihoods (independence assumed),
  each the mean over its assessing sources; 1 for an option with no preconditions.

With ``feasibility="expected"`` each benefit cell is multiplied by the option's
feasibility (benefit gating, notes/analysis.md section 5.5).

The library is compiled once into arrays (:class:`Evidence`); the point estimate and the
Monte Carlo both evaluate the same vectorised expression, so k draws cost a few grouped
sums over contiguous rows, never a Python loop over draws. Point estimates use range
midpoints; draws are uniform within each range (an ICD 203 term's range, ``[low, high]``
magnitudes, impacts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt

from evaluator.model import (
    MITIGATION_FACTOR,
    Library,
    likelihood_bounds,
    scale_bounds,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
FEASIBILITY_MODES = ("weight", "expected")


@dataclass(frozen=True)
class LensInfo:
    """What a source lens changed, and where the source was silent."""

    source: str
    not_assessed: tuple[str, ...]  # risk and precondition ids kept at pooled values
    options_not_discussed: tuple[str, ...]


@dataclass(frozen=True)
class Evidence:
    """A library compiled to arrays for one lens, set of assumptions and feasibility mode.

    Benefits are stored sorted by the cell they add to (cell ``a * n + j``), risks likewise
    with their assessments grouped by risk, and preconditions grouped by option: every sum
    and product over a group then works on whole rows (see :class:`_Runs`).
    """

    option_ids: tuple[str, ...]
    criterion_ids: tuple[str, ...]
    types: FloatArray
    feasibility: str
    benefit_low: FloatArray  # (B,) magnitude ranges, sorted by cell
    benefit_high: FloatArray
    benefit_cells: IntArray  # (B,) cell each benefit adds to, ascending
    impact_low: FloatArray  # (R,) sorted by cell
    impact_high: FloatArray
    mitigation: FloatArray  # (R,) pooled factor
    risk_cells: IntArray  # (R,) ascending
    risk_lik_low: FloatArray  # (Ar,) one per counted assessment, grouped by risk
    risk_lik_high: FloatArray
    risk_counts: IntArray  # (R,) assessments counted per risk (at least 1)
    pre_lik_low: FloatArray  # (Ap,) grouped by precondition
    pre_lik_high: FloatArray
    pre_counts: IntArray  # (P,) assessments counted per precondition (at least 1)
    pre_forced: FloatArray  # (P,) NaN where not forced by an assumption
    pre_option: IntArray  # (P,) owning option, ascending
    precondition_ids: tuple[str, ...]
    lens: LensInfo | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def shape(self) -> tuple[int, int]:
        """(options, criteria)."""
        return len(self.option_ids), len(self.criterion_ids)

    def point_matrix(self) -> FloatArray:
        """The m x n matrix at range midpoints."""
        mid = _midpoints(self)
        return np.ascontiguousarray(self.evaluate(*(v[:, None] for v in mid))[0])

    def sample_matrices(self, rng: np.random.Generator, k: int) -> FloatArray:
        """k x m x n matrices with every uncertain input drawn uniformly in its range.

        One uniform draw of shape (parameters, k) per call, in the parameter order of the
        compiled arrays; an input given as a point has a span of 0, so it keeps its value
        (one draw for everything is cheaper than gathering the uncertain rows). The result
        is a view of a draw-last (m, n, k) array (see :meth:`evaluate`).
        """
        low, span, cuts = self._draw_layout
        params = rng.random((low.size, k))
        params *= span[:, None]
        params += low[:, None]
        magnitudes, impacts, risk_lik, pre_lik = np.split(params, cuts, axis=0)
        return self.evaluate(magnitudes, impacts, risk_lik, pre_lik)

    @cached_property
    def _draw_layout(self) -> tuple[FloatArray, FloatArray, list[int]]:
        groups = [
            (self.benefit_low, self.benefit_high),
            (self.impact_low, self.impact_high),
            (self.risk_lik_low, self.risk_lik_high),
            (self.pre_lik_low, self.pre_lik_high),
        ]
        low = np.concatenate([lo for lo, _ in groups])
        span = np.concatenate([hi - lo for lo, hi in groups])
        cuts = np.cumsum([lo.size for lo, _ in groups])[:-1].tolist()
        return low, span, cuts

    @cached_property
    def _groups(self) -> dict[str, _Runs]:
        risk_rows = np.repeat(np.arange(self.risk_counts.size), self.risk_counts)
        pre_rows = np.repeat(np.arange(self.pre_counts.size), self.pre_counts)
        return {
            "benefit": _Runs.of(self.benefit_cells),
            "risk": _Runs.of(self.risk_cells),
            "risk_lik": _Runs.of(risk_rows),
            "pre_lik": _Runs.of(pre_rows),
            "pre": _Runs.of(self.pre_option),
        }

    def evaluate(
        self,
        magnitudes: FloatArray,
        impacts: FloatArray,
        risk_likelihoods: FloatArray,
        pre_likelihoods: FloatArray,
    ) -> FloatArray:
        """k x m x n matrices from k draws of each parameter (each array is size x k).

        Parameters are draw-last and so is the work: every group sum adds whole rows of
        length k. The result is a (k, m, n) view of an (m, n, k) array.
        Why: normalization reduces each criterion across options, which on this layout runs
        over contiguous memory, about 5x faster than on a C-ordered stack.
        """
        m, n = self.shape
        k = magnitudes.shape[1]
        cells = np.zeros((m * n, k))
        self._groups["benefit"].sum_into(cells, magnitudes)
        if self.risk_counts.size:
            values = np.empty_like(impacts)
            self._groups["risk_lik"].sum_into(values, risk_likelihoods)
            values /= self.risk_counts[:, None]  # the mean likelihood over sources
            values *= impacts  # impact x likelihood x mitigation, in the documented order
            values *= self.mitigation[:, None]
            self._groups["risk"].sum_into(cells, values)
        grid = cells.reshape(m, n, k)
        feasible = self.feasibility_values(pre_likelihoods)  # m x k
        grid[:, -1, :] = feasible
        if self.feasibility == "expected":
            benefit = np.flatnonzero(self.types[:-1] > 0)
            grid[:, benefit, :] *= feasible[:, None, :]
        return grid.transpose(2, 0, 1)

    def pooled_preconditions(self, pre_likelihoods: FloatArray) -> FloatArray:
        """P x k probability of each precondition: mean over its sources, or as assumed."""
        pooled = np.empty((self.pre_counts.size, pre_likelihoods.shape[1]))
        self._groups["pre_lik"].sum_into(pooled, pre_likelihoods)
        pooled /= self.pre_counts[:, None]
        forced = ~np.isnan(self.pre_forced)
        pooled[forced] = self.pre_forced[forced, None]
        return pooled

    def feasibility_values(self, pre_likelihoods: FloatArray) -> FloatArray:
        """m x k probability that all of each option's preconditions hold (P x k input)."""
        result = np.ones((len(self.option_ids), pre_likelihoods.shape[1]))
        if not self.precondition_ids:
            return result
        self._groups["pre"].multiply_into(result, self.pooled_preconditions(pre_likelihoods))
        return result


@dataclass(frozen=True)
class _Runs:
    """Rows grouped in runs of equal keys, for sums and products of each run into its key's row.

    Why not ``np.add.reduceat(x, starts, axis=0)``: on (rows, k) arrays it is about 6x slower
    than adding whole rows, and runs here are short (one to five sources), so a few
    row-gathering passes (``depth``) do the job.
    """

    first: IntArray  # first row of each run
    keys: IntArray  # the key (target row) of each run
    depth: tuple[tuple[IntArray, IntArray], ...]  # (target rows, source rows) for row d of runs

    @classmethod
    def of(cls, keys: IntArray) -> _Runs:
        """Runs of ``keys`` (sorted, so equal keys are adjacent)."""
        if keys.size == 0:
            return cls(keys, keys, ())
        first = np.flatnonzero(np.r_[True, np.diff(keys) != 0]).astype(np.intp)
        lengths = np.diff(np.r_[first, keys.size])
        depth = []
        for d in range(1, int(lengths.max())):
            longer = lengths > d
            depth.append((keys[first[longer]], first[longer] + d))
        return cls(first, keys[first], tuple(depth))

    def sum_into(self, target: FloatArray, rows: FloatArray) -> None:
        """``target[key] = sum of the run's rows``; other target rows are left alone."""
        if self.keys.size:
            target[self.keys] = rows[self.first]
        for into, source in self.depth:
            target[into] += rows[source]

    def multiply_into(self, target: FloatArray, rows: FloatArray) -> None:
        """``target[key] = product of the run's rows``; other target rows are left alone."""
        if self.keys.size:
            target[self.keys] = rows[self.first]
        for into, source in self.depth:
            target[into] *= rows[source]


def _midpoints(ev: Evidence) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    return (
        (ev.benefit_low + ev.benefit_high) / 2,
        (ev.impact_low + ev.impact_high) / 2,
        (ev.risk_lik_low + ev.risk_lik_high) / 2,
        (ev.pre_lik_low + ev.pre_lik_high) / 2,
    )


def compile_evidence(
    library: Library,
    *,
    lens: str | None = None,
    assume: Mapping[str, float] | None = None,
    feasibility: str = "weight",
) -> Evidence:
    """Compile ``library`` for one lens (a source id), assumptions and feasibility mode.

    ``assume`` maps precondition ids to a forced probability (met = 1, failed = 0).
    Unknown ids raise ``KeyError``; the caller turns that into a user error.
    """
    if feasibility not in FEASIBILITY_MODES:
        raise ValueError(f"feasibility must be one of {FEASIBILITY_MODES} (got {feasibility!r})")
    criteria = library.all_criteria  # feasibility is always the last column
    crit_index = {c.id: j for j, c in enumerate(criteria)}
    option_ids = tuple(o.id for o in library.options)
    n = len(criteria)
    types = np.array([1.0 if c.direction == "benefit" else -1.0 for c in criteria])
    assume = dict(assume or {})
    known_pre = {p.id for o in library.options for p in o.preconditions}
    unknown = sorted(set(assume) - known_pre)
    if unknown:
        raise KeyError(unknown[0])

    benefits: list[tuple[int, float, float]] = []  # (cell, low, high)
    # (cell, impact low, impact high, mitigation, [(likelihood low, high), ...])
    risks: list[tuple[int, float, float, float, list[tuple[float, float]]]] = []
    pl_low: list[float] = []
    pl_high: list[float] = []
    pre_counts: list[int] = []
    forced: list[float] = []
    pre_option: list[int] = []
    pre_ids: list[str] = []
    not_assessed: list[str] = []
    silent_options: list[str] = []

    for a, option in enumerate(library.options):
        discussed = False
        for benefit in option.benefits:
            low, high = scale_bounds(benefit.magnitude)
            benefits.append((a * n + crit_index[benefit.criterion], low, high))
            discussed |= any(q.source == lens for q in benefit.sources)
        for risk in option.risks:
            views = [v for v in risk.assessments if v.source == lens] if lens else []
            discussed |= bool(views)
            if lens and not views:
                not_assessed.append(risk.id)
            used = views or list(risk.assessments)
            low, high = scale_bounds(risk.impact)
            factor = float(np.mean([MITIGATION_FACTOR[v.mitigable] for v in used]))
            bounds = [likelihood_bounds(v.likelihood) for v in used]
            risks.append((a * n + crit_index[risk.criterion], low, high, factor, bounds))
        for pre in option.preconditions:
            pre_views = [v for v in pre.assessments if v.source == lens] if lens else []
            discussed |= bool(pre_views)
            if lens and not pre_views:
                not_assessed.append(pre.id)
            pre_used = pre_views or list(pre.assessments)
            for pre_view in pre_used:
                lo, hi = likelihood_bounds(pre_view.likelihood)
                pl_low.append(lo)
                pl_high.append(hi)
            pre_counts.append(len(pre_used))
            forced.append(assume.get(pre.id, np.nan))
            pre_option.append(a)
            pre_ids.append(pre.id)
        if lens and not discussed:
            silent_options.append(option.id)

    # Sorted by cell (stable, so file order within a cell) for the grouped sums.
    benefits.sort(key=lambda item: item[0])
    risks.sort(key=lambda item: item[0])

    def arr(values: list[float]) -> FloatArray:
        return np.asarray(values, dtype=np.float64)

    def ints(values: list[int]) -> IntArray:
        return np.asarray(values, dtype=np.intp)

    risk_bounds = [b for r in risks for b in r[4]]
    lens_info = LensInfo(lens, tuple(not_assessed), tuple(silent_options)) if lens else None
    return Evidence(
        option_ids=option_ids,
        criterion_ids=tuple(c.id for c in criteria),
        types=types,
        feasibility=feasibility,
        benefit_low=arr([b[1] for b in benefits]),
        benefit_high=arr([b[2] for b in benefits]),
        benefit_cells=ints([b[0] for b in benefits]),
        impact_low=arr([r[1] for r in risks]),
        impact_high=arr([r[2] for r in risks]),
        mitigation=arr([r[3] for r in risks]),
        risk_cells=ints([r[0] for r in risks]),
        risk_lik_low=arr([lo for lo, _ in risk_bounds]),
        risk_lik_high=arr([hi for _, hi in risk_bounds]),
        risk_counts=ints([len(r[4]) for r in risks]),
        pre_lik_low=arr(pl_low),
        pre_lik_high=arr(pl_high),
        pre_counts=ints(pre_counts),
        pre_forced=arr(forced),
        pre_option=ints(pre_option),
        precondition_ids=tuple(pre_ids),
        lens=lens_info,
    )
