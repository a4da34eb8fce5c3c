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

The library is compiled once (:class:`Evidence`): everything stated as a point is folded
into constants, and only the uncertain inputs (an ICD 203 term's range, ``[low, high]``
magnitudes and impacts) remain as parameters. The point estimate and the Monte Carlo then
evaluate the same vectorised expression on k columns of parameters, so k draws cost a few
passes over whole rows, never a Python loop over draws. Point estimates use range
midpoints; draws are uniform within each range.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from evaluator.model import (
    MITIGATION_FACTOR,
    Library,
    Scale,
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
class _Steps:
    """Sources combined into targets by whole-row slices (each row holds k draws).

    Targets come most-sources first and sources step-major: step ``d`` takes the ``d``-th
    source of every target that has one, so it updates the first ``n_d`` targets from
    source rows ``start_d .. start_d + n_d``: two slices, no fancy indexing.
    A target's sources are combined in listing order. Why: on (rows, k) arrays numpy's
    fancy-indexed in-place update (``a[i] += b[j]``) and ``reduceat`` along rows both
    measured about 10x slower.
    """

    targets: IntArray  # the target key of each compact row
    sources: IntArray  # the listing index of each source, in step-major order
    steps: tuple[tuple[int, int], ...]  # (n_d, start_d)

    @classmethod
    def layout(cls, keys: Sequence[int], ranks: Sequence[int] | None = None) -> _Steps:
        """Steps sending source ``i`` to target ``keys[i]``, in order of ``ranks`` (or i)."""
        order = ranks if ranks is not None else range(len(keys))
        by_target: dict[int, list[int]] = {}
        for i in sorted(range(len(keys)), key=lambda i: order[i]):
            by_target.setdefault(keys[i], []).append(i)
        targets = sorted(by_target, key=lambda t: -len(by_target[t]))  # stable
        sources: list[int] = []
        steps: list[tuple[int, int]] = []
        for d in range(max((len(v) for v in by_target.values()), default=0)):
            hit = [t for t in targets if len(by_target[t]) > d]  # a prefix of targets
            steps.append((len(hit), len(sources)))
            sources.extend(by_target[t][d] for t in hit)
        return cls(
            np.asarray(targets, dtype=np.intp), np.asarray(sources, dtype=np.intp), tuple(steps)
        )

    @property
    def in_order(self) -> bool:
        """True when sources are already listed step-major (no gather needed)."""
        return bool(np.array_equal(self.sources, np.arange(self.sources.size)))

    def ordered(self, rows: FloatArray) -> FloatArray:
        """``rows`` (one per source, in listing order) rearranged step-major."""
        return rows if self.in_order else np.take(rows, self.sources, axis=0)

    def add(self, compact: FloatArray, rows: FloatArray) -> None:
        """``compact[t] += each source row of target t``; rows step-major."""
        for count, start in self.steps:
            compact[:count] += rows[start : start + count]

    def multiply(self, compact: FloatArray, rows: FloatArray) -> None:
        """``compact[t] *= each source row of target t``; rows step-major."""
        for count, start in self.steps:
            compact[:count] *= rows[start : start + count]

    def combine_into(
        self, target: FloatArray, base: FloatArray, rows: FloatArray, multiply: bool = False
    ) -> None:
        """``target[t] = base[t]`` combined with t's source rows (listing order given)."""
        if not self.targets.size:
            return
        compact = np.empty((self.targets.size, rows.shape[1]))
        compact[:] = base[self.targets, None]
        (self.multiply if multiply else self.add)(compact, self.ordered(rows))
        target[self.targets] = compact


@dataclass(frozen=True)
class Evidence:
    """A library compiled for one lens, set of assumptions and feasibility mode.

    Parameters are the uncertain inputs only, in four consecutive groups (ending at
    ``parameter_cuts``): benefit magnitudes, risk impacts, risk likelihoods (one per counted
    assessment) and precondition likelihoods. Every input stated as a point, every forced
    precondition and every risk or precondition with no uncertain input is folded into the
    constants (``cell_base``, ``*_base``), so a draw samples nothing it does not need. Risks
    and preconditions with an uncertain input ("varying") are rows of their own, ordered for
    :class:`_Steps`.
    """

    option_ids: tuple[str, ...]
    criterion_ids: tuple[str, ...]
    types: FloatArray
    feasibility: str
    parameters: tuple[str, ...]  # what each uncertain parameter is, e.g. "risk-x impact"
    parameter_low: FloatArray  # (U,) range of each
    parameter_high: FloatArray
    parameter_cuts: tuple[int, int, int]  # ends of the magnitude, impact, risk-likelihood groups
    cell_base: FloatArray  # (m*n,) constant part of each cell (cell a*n + j)
    benefit_steps: _Steps  # uncertain magnitudes -> cells
    risk_likelihood_base: FloatArray  # (V,) per varying risk: sum of its point likelihoods
    risk_likelihood_steps: _Steps  # uncertain risk likelihoods -> varying risks
    risk_counts: FloatArray  # (V,) assessments counted
    risk_impact: FloatArray  # (V,) point impact, or 1 where the impact is a parameter
    impact_rows: IntArray  # varying risks whose impact is a parameter, in parameter order
    risk_mitigation: FloatArray  # (V,) pooled mitigation factor
    risk_cell_steps: _Steps  # varying risks -> cells
    feasibility_base: FloatArray  # (m,) product of each option's constant preconditions
    pre_likelihood_base: FloatArray  # (W,) per varying precondition: sum of point likelihoods
    pre_likelihood_steps: _Steps  # uncertain precondition likelihoods -> varying preconditions
    pre_counts: FloatArray  # (W,) assessments counted
    pre_option_steps: _Steps  # varying preconditions -> options
    precondition_ids: tuple[str, ...]
    precondition_point: FloatArray  # (P,) pooled probability at midpoints, or as assumed
    lens: LensInfo | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def shape(self) -> tuple[int, int]:
        """(options, criteria)."""
        return len(self.option_ids), len(self.criterion_ids)

    def point_matrix(self) -> FloatArray:
        """The m x n matrix at range midpoints."""
        mid = (self.parameter_low + self.parameter_high) / 2
        return np.ascontiguousarray(self.evaluate(mid[:, None])[0])

    def sample_matrices(self, rng: np.random.Generator, k: int) -> FloatArray:
        """k x m x n matrices with every uncertain input drawn uniformly in its range.

        One uniform draw of shape (parameters, k) per call, in parameter order. The result
        is a view of a draw-last (m, n, k) array (see :meth:`evaluate`).
        """
        params = rng.random((self.parameter_low.size, k))
        params *= (self.parameter_high - self.parameter_low)[:, None]
        params += self.parameter_low[:, None]
        return self.evaluate(params)

    def evaluate(self, params: FloatArray) -> FloatArray:
        """k x m x n matrices from k columns of parameter values (``params`` is U x k).

        The work is draw-last: every sum and product updates whole rows of length k. The
        result is a (k, m, n) view of an (m, n, k) array. Why: normalization reduces each
        criterion across options, which on this layout runs over contiguous memory, about
        5x faster than on a C-ordered stack.
        """
        m, n = self.shape
        k = params.shape[1]
        magnitudes, impacts, risk_lik, pre_lik = np.split(params, self.parameter_cuts, axis=0)
        cells = np.empty((m * n, k))
        cells[:] = self.cell_base[:, None]
        self.benefit_steps.combine_into(cells, self.cell_base, magnitudes)
        if self.risk_counts.size:
            values = np.empty((self.risk_counts.size, k))
            values[:] = self.risk_likelihood_base[:, None]
            self.risk_likelihood_steps.add(values, risk_lik)
            values /= self.risk_counts[:, None]  # the mean likelihood over sources
            values *= self.risk_impact[:, None]  # impact x likelihood x mitigation
            if self.impact_rows.size:
                values[self.impact_rows] *= impacts
            values *= self.risk_mitigation[:, None]
            self.risk_cell_steps.combine_into(cells, self.cell_base, values)
        feasible = self.feasibility_values(pre_lik)
        cells[self._feasibility_rows] = feasible
        if self.feasibility == "expected":
            rows, owners = self._gated_rows
            cells[rows] *= feasible[owners]
        return cells.reshape(m, n, k).transpose(2, 0, 1)

    def feasibility_values(self, pre_likelihoods: FloatArray) -> FloatArray:
        """m x k probability that all of each option's preconditions hold.

        ``pre_likelihoods`` holds the precondition-likelihood parameters (W' x k).
        """
        k = pre_likelihoods.shape[1]
        result = np.empty((len(self.option_ids), k))
        result[:] = self.feasibility_base[:, None]
        if self.pre_counts.size:
            pooled = np.empty((self.pre_counts.size, k))
            pooled[:] = self.pre_likelihood_base[:, None]
            self.pre_likelihood_steps.add(pooled, pre_likelihoods)
            pooled /= self.pre_counts[:, None]
            self.pre_option_steps.combine_into(result, self.feasibility_base, pooled, multiply=True)
        return result

    @property
    def _feasibility_rows(self) -> IntArray:
        m, n = self.shape
        return np.arange(m, dtype=np.intp) * n + (n - 1)

    @property
    def _gated_rows(self) -> tuple[IntArray, IntArray]:
        # Benefit cells and their option, for feasibility="expected".
        m, n = self.shape
        benefit = np.flatnonzero(self.types[:-1] > 0)
        owners = np.repeat(np.arange(m, dtype=np.intp), benefit.size)
        return owners * n + np.tile(benefit, m), owners


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

    plan = _Plan(m * n, m)
    pre_ids: list[str] = []
    pre_point: list[float] = []
    not_assessed: list[str] = []
    silent_options: list[str] = []

    for a, option in enumerate(library.options):
        discussed = False
        for benefit in option.benefits:
            plan.benefit(benefit.id, a * n + crit_index[benefit.criterion], benefit.magnitude)
            discussed |= any(q.source == lens for q in benefit.sources)
        for risk in option.risks:
            views = [v for v in risk.assessments if v.source == lens] if lens else []
            discussed |= bool(views)
            if lens and not views:
                not_assessed.append(risk.id)
            used = views or list(risk.assessments)
            factor = float(np.mean([MITIGATION_FACTOR[v.mitigable] for v in used]))
            likelihoods = [(v.source, likelihood_bounds(v.likelihood)) for v in used]
            cell = a * n + crit_index[risk.criterion]
            plan.risk(risk.id, cell, scale_bounds(risk.impact), factor, likelihoods)
        for pre in option.preconditions:
            pre_views = [v for v in pre.assessments if v.source == lens] if lens else []
            discussed |= bool(pre_views)
            if lens and not pre_views:
                not_assessed.append(pre.id)
            pre_used = pre_views or list(pre.assessments)
            likelihoods = [(v.source, likelihood_bounds(v.likelihood)) for v in pre_used]
            pre_point.append(plan.precondition(pre.id, a, likelihoods, assume.get(pre.id)))
            pre_ids.append(pre.id)
        if lens and not discussed:
            silent_options.append(option.id)

    lens_info = LensInfo(lens, tuple(not_assessed), tuple(silent_options)) if lens else None
    return plan.build(
        option_ids=option_ids,
        criterion_ids=tuple(c.id for c in criteria),
        types=types,
        feasibility=feasibility,
        precondition_ids=tuple(pre_ids),
        precondition_point=np.asarray(pre_point, dtype=np.float64),
        lens=lens_info,
    )


Bounds = tuple[float, float]


class _Plan:
    """Collects the constants and the uncertain parameters while a library is compiled."""

    def __init__(self, cells: int, options: int) -> None:
        self.cell_base = np.zeros(cells)
        self.feasibility_base = np.ones(options)
        # One list per parameter group: (label, low, high, target row).
        self.groups: list[list[tuple[str, float, float, int]]] = [[], [], [], []]
        self.risks: dict[str, list[float]] = {
            "likelihood": [],
            "count": [],
            "impact": [],
            "mitigation": [],
            "cell": [],
        }
        self.pres: dict[str, list[float]] = {"likelihood": [], "count": [], "option": []}

    def benefit(self, item: str, cell: int, magnitude: Scale) -> None:
        low, high = scale_bounds(magnitude)
        if high > low:
            self.groups[0].append((f"{item} magnitude", low, high, cell))
        else:
            self.cell_base[cell] += low

    def risk(
        self,
        item: str,
        cell: int,
        impact: Bounds,
        mitigation: float,
        likelihoods: list[tuple[str, Bounds]],
    ) -> None:
        fixed = [lo for _, (lo, hi) in likelihoods if hi <= lo]
        uncertain = [(s, b) for s, b in likelihoods if b[1] > b[0]]
        count = len(likelihoods)
        if not uncertain and impact[1] <= impact[0]:
            # Everything stated as a point: a constant, in the documented order.
            self.cell_base[cell] += sum(fixed) / count * impact[0] * mitigation
            return
        row = len(self.risks["count"])
        self.risks["likelihood"].append(sum(fixed))
        self.risks["count"].append(count)
        self.risks["mitigation"].append(mitigation)
        self.risks["cell"].append(cell)
        if impact[1] > impact[0]:
            self.risks["impact"].append(1.0)
            self.groups[1].append((f"{item} impact", impact[0], impact[1], row))
        else:
            self.risks["impact"].append(impact[0])
        for source, (lo, hi) in uncertain:
            self.groups[2].append((f"{item} likelihood ({source})", lo, hi, row))

    def precondition(
        self,
        item: str,
        option: int,
        likelihoods: list[tuple[str, Bounds]],
        forced: float | None,
    ) -> float:
        """Record one precondition; return its pooled probability at midpoints."""
        count = len(likelihoods)
        if forced is not None:
            self.feasibility_base[option] *= forced
            return forced
        point = sum((lo + hi) / 2 for _, (lo, hi) in likelihoods) / count
        uncertain = [(s, b) for s, b in likelihoods if b[1] > b[0]]
        if not uncertain:
            self.feasibility_base[option] *= point
            return point
        row = len(self.pres["count"])
        self.pres["likelihood"].append(sum(lo for _, (lo, hi) in likelihoods if hi <= lo))
        self.pres["count"].append(count)
        self.pres["option"].append(option)
        for source, (lo, hi) in uncertain:
            self.groups[3].append((f"{item} likelihood ({source})", lo, hi, row))
        return point

    def build(
        self,
        *,
        option_ids: tuple[str, ...],
        criterion_ids: tuple[str, ...],
        types: FloatArray,
        feasibility: str,
        precondition_ids: tuple[str, ...],
        precondition_point: FloatArray,
        lens: LensInfo | None,
    ) -> Evidence:
        def floats(values: list[float], order: Sequence[int] | None = None) -> FloatArray:
            picked = values if order is None else [values[i] for i in order]
            return np.asarray(picked, dtype=np.float64)

        def keys(group: int) -> list[int]:
            return [target for *_, target in self.groups[group]]

        def step_major(steps: _Steps, renumber: bool = False) -> _Steps:
            # Parameters are laid out in the steps' source order, so no gather is needed;
            # renumbered targets are rows 0, 1, ... of their own (reordered) array.
            targets = np.arange(steps.targets.size) if renumber else steps.targets
            return _Steps(targets, np.arange(steps.sources.size), steps.steps)

        # Magnitudes, step-major by cell.
        benefit = _Steps.layout(keys(0))
        magnitudes = [self.groups[0][i] for i in benefit.sources]

        # Varying risks: those with uncertain likelihoods first (most first), then the
        # impact-only ones; their likelihood parameters step-major.
        risk_lik = _Steps.layout(keys(2))
        with_lik = {int(r) for r in risk_lik.targets}
        rest = [r for r in range(len(self.risks["count"])) if r not in with_lik]
        risk_order = [int(r) for r in risk_lik.targets] + rest
        risk_at = {old: new for new, old in enumerate(risk_order)}
        risk_liks = [self.groups[2][i] for i in risk_lik.sources]
        impacts = self.groups[1]
        risk_cells = [int(self.risks["cell"][r]) for r in risk_order]

        # Varying preconditions (each has an uncertain likelihood), most likelihoods first.
        pre_lik = _Steps.layout(keys(3))
        pre_order = [int(q) for q in pre_lik.targets]
        pre_liks = [self.groups[3][i] for i in pre_lik.sources]
        pre_options = [int(self.pres["option"][q]) for q in pre_order]

        everything = magnitudes + impacts + risk_liks + pre_liks
        cuts = np.cumsum([len(magnitudes), len(impacts), len(risk_liks)])
        return Evidence(
            option_ids=option_ids,
            criterion_ids=criterion_ids,
            types=types,
            feasibility=feasibility,
            parameters=tuple(label for label, *_ in everything),
            parameter_low=floats([low for _, low, _, _ in everything]),
            parameter_high=floats([high for _, _, high, _ in everything]),
            parameter_cuts=(int(cuts[0]), int(cuts[1]), int(cuts[2])),
            cell_base=self.cell_base,
            benefit_steps=step_major(benefit),
            risk_likelihood_base=floats(self.risks["likelihood"], risk_order),
            risk_likelihood_steps=step_major(risk_lik, renumber=True),
            risk_counts=floats(self.risks["count"], risk_order),
            risk_impact=floats(self.risks["impact"], risk_order),
            impact_rows=np.asarray([risk_at[r] for *_, r in impacts], dtype=np.intp),
            risk_mitigation=floats(self.risks["mitigation"], risk_order),
            risk_cell_steps=_Steps.layout(risk_cells, ranks=risk_order),
            feasibility_base=self.feasibility_base,
            pre_likelihood_base=floats(self.pres["likelihood"], pre_order),
            pre_likelihood_steps=step_major(pre_lik, renumber=True),
            pre_counts=floats(self.pres["count"], pre_order),
            pre_option_steps=_Steps.layout(pre_options, ranks=pre_order),
            precondition_ids=precondition_ids,
            precondition_point=precondition_point,
            lens=lens,
        )
