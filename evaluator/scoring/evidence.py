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
Monte Carlo both evaluate the same vectorised expression, so k draws cost a few matrix
products, never a Python loop over draws. Point estimates use range midpoints; draws are
uniform within each range (an ICD 203 term's range, ``[low, high]`` magnitudes, impacts).
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
FEASIBILITY_MODES = ("weight", "expected")


@dataclass(frozen=True)
class LensInfo:
    """What a source lens changed, and where the source was silent."""

    source: str
    not_assessed: tuple[str, ...]  # risk and precondition ids kept at pooled values
    options_not_discussed: tuple[str, ...]


@dataclass(frozen=True)
class Evidence:
    """A library compiled to arrays for one lens, set of assumptions and feasibility mode."""

    option_ids: tuple[str, ...]
    criterion_ids: tuple[str, ...]
    types: FloatArray
    feasibility: str
    benefit_low: FloatArray  # (B,) magnitude ranges
    benefit_high: FloatArray
    benefit_scatter: FloatArray  # (B, m*n) 0/1: where each benefit adds
    impact_low: FloatArray  # (R,)
    impact_high: FloatArray
    mitigation: FloatArray  # (R,) pooled factor
    risk_scatter: FloatArray  # (R, m*n)
    risk_lik_low: FloatArray  # (Ar,) one per counted assessment
    risk_lik_high: FloatArray
    risk_pool: FloatArray  # (Ar, R) averaging matrix
    pre_lik_low: FloatArray  # (Ap,)
    pre_lik_high: FloatArray
    pre_pool: FloatArray  # (Ap, P)
    pre_forced: FloatArray  # (P,) NaN where not forced by an assumption
    pre_option: npt.NDArray[np.intp]  # (P,) owning option
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
        result: FloatArray = self.evaluate(*(v[None, :] for v in mid))[0]
        return result

    def sample_matrices(self, rng: np.random.Generator, k: int) -> FloatArray:
        """k x m x n matrices with every uncertain input drawn uniformly in its range."""
        # One draw for all parameters (point values too: their span is 0), then views.
        low, span, cuts = self._draw_layout
        params = rng.random((k, low.size))
        params *= span
        params += low
        magnitudes, impacts, risk_lik, pre_lik = np.split(params, cuts, axis=1)
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
    def _value_scatter(self) -> FloatArray:
        # Benefits and risk values land in cells by one matrix product, not two.
        return np.vstack([self.benefit_scatter, self.risk_scatter])

    @cached_property
    def _pre_groups(self) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        # Preconditions are listed option by option: group starts for multiply.reduceat.
        starts = np.flatnonzero(np.r_[True, np.diff(self.pre_option) != 0]).astype(np.intp)
        return starts, self.pre_option[starts]

    def evaluate(
        self,
        magnitudes: FloatArray,
        impacts: FloatArray,
        risk_likelihoods: FloatArray,
        pre_likelihoods: FloatArray,
    ) -> FloatArray:
        """k x m x n matrices from k draws of each parameter vector (each k x size)."""
        m, n = self.shape
        k = magnitudes.shape[0]
        pooled = risk_likelihoods @ self.risk_pool  # k x R
        values = np.concatenate([magnitudes, impacts * pooled * self.mitigation], axis=1)
        out = (values @ self._value_scatter).reshape(k, m, n)
        feasible = self.feasibility_values(pre_likelihoods)  # k x m
        out[:, :, -1] = feasible
        if self.feasibility == "expected":
            benefit = self.types[:-1] > 0
            out[:, :, :-1][:, :, benefit] *= feasible[:, :, None]
        return out

    def feasibility_values(self, pre_likelihoods: FloatArray) -> FloatArray:
        """k x m probability that all of each option's preconditions hold."""
        k = pre_likelihoods.shape[0]
        result = np.ones((k, len(self.option_ids)))
        if not self.precondition_ids:
            return result
        pooled = pre_likelihoods @ self.pre_pool  # k x P
        forced = ~np.isnan(self.pre_forced)
        pooled[:, forced] = self.pre_forced[forced]
        starts, owners = self._pre_groups
        result[:, owners] = np.multiply.reduceat(pooled, starts, axis=1)
        return result


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
    m, n = len(option_ids), len(criteria)
    types = np.array([1.0 if c.direction == "benefit" else -1.0 for c in criteria])
    assume = dict(assume or {})
    known_pre = {p.id for o in library.options for p in o.preconditions}
    unknown = sorted(set(assume) - known_pre)
    if unknown:
        raise KeyError(unknown[0])

    b_low: list[float] = []
    b_high: list[float] = []
    b_cells: list[int] = []
    i_low: list[float] = []
    i_high: list[float] = []
    mitigation: list[float] = []
    r_cells: list[int] = []
    rl_low: list[float] = []
    rl_high: list[float] = []
    rl_owner: list[tuple[int, int]] = []
    pl_low: list[float] = []
    pl_high: list[float] = []
    pl_owner: list[tuple[int, int]] = []
    forced: list[float] = []
    pre_option: list[int] = []
    pre_ids: list[str] = []
    not_assessed: list[str] = []
    silent_options: list[str] = []

    for a, option in enumerate(library.options):
        discussed = False
        for benefit in option.benefits:
            low, high = scale_bounds(benefit.magnitude)
            b_low.append(low)
            b_high.append(high)
            b_cells.append(a * n + crit_index[benefit.criterion])
            discussed |= any(q.source == lens for q in benefit.sources)
        for risk in option.risks:
            views = [v for v in risk.assessments if v.source == lens] if lens else []
            discussed |= bool(views)
            if lens and not views:
                not_assessed.append(risk.id)
            used = views or list(risk.assessments)
            low, high = scale_bounds(risk.impact)
            i_low.append(low)
            i_high.append(high)
            mitigation.append(float(np.mean([MITIGATION_FACTOR[v.mitigable] for v in used])))
            r_cells.append(a * n + crit_index[risk.criterion])
            for view in used:
                lo, hi = likelihood_bounds(view.likelihood)
                rl_low.append(lo)
                rl_high.append(hi)
                rl_owner.append((len(i_low) - 1, len(used)))
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
                pl_owner.append((len(pre_ids), len(pre_used)))
            forced.append(assume.get(pre.id, np.nan))
            pre_option.append(a)
            pre_ids.append(pre.id)
        if lens and not discussed:
            silent_options.append(option.id)

    def scatter(cells: list[int]) -> FloatArray:
        out = np.zeros((len(cells), m * n))
        out[np.arange(len(cells)), cells] = 1.0
        return out

    def pool(owners: list[tuple[int, int]], size: int) -> FloatArray:
        out = np.zeros((len(owners), size))
        for row, (item, count) in enumerate(owners):
            out[row, item] = 1.0 / count
        return out

    def arr(values: list[float]) -> FloatArray:
        return np.asarray(values, dtype=np.float64)

    lens_info = LensInfo(lens, tuple(not_assessed), tuple(silent_options)) if lens else None
    return Evidence(
        option_ids=option_ids,
        criterion_ids=tuple(c.id for c in criteria),
        types=types,
        feasibility=feasibility,
        benefit_low=arr(b_low),
        benefit_high=arr(b_high),
        benefit_scatter=scatter(b_cells),
        impact_low=arr(i_low),
        impact_high=arr(i_high),
        mitigation=arr(mitigation),
        risk_scatter=scatter(r_cells),
        risk_lik_low=arr(rl_low),
        risk_lik_high=arr(rl_high),
        risk_pool=pool(rl_owner, len(i_low)),
        pre_lik_low=arr(pl_low),
        pre_lik_high=arr(pl_high),
        pre_pool=pool(pl_owner, len(pre_ids)),
        pre_forced=arr(forced),
        pre_option=np.asarray(pre_option, dtype=np.intp),
        precondition_ids=tuple(pre_ids),
        lens=lens_info,
    )
