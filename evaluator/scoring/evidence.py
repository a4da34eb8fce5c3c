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
class _Runs:
    """Adds or multiplies source rows into target rows, all sources of one target in turn.

    Step ``d`` takes the ``d``-th source of every target that has one, so each step is one
    gather and one in-place update of whole rows (length k), and a target's sources are
    combined in their listed order. Why not ``np.add.reduceat(..., axis=0)``: on (rows, k)
    arrays it is several times slower, and groups here are short (one to five sources).
    """

    steps: tuple[tuple[IntArray, IntArray], ...]  # (target rows, source rows) per step

    @classmethod
    def of(cls, keys: Sequence[int]) -> _Runs:
        """Runs sending source row ``i`` to target row ``keys[i]``."""
        key = np.asarray(keys, dtype=np.intp)
        if key.size == 0:
            return cls(())
        order = np.argsort(key, kind="stable")
        sorted_keys = key[order]
        starts = np.flatnonzero(np.r_[True, np.diff(sorted_keys) != 0])
        lengths = np.diff(np.r_[starts, key.size])
        position = np.arange(key.size) - np.repeat(starts, lengths)
        steps = []
        for d in range(int(position.max()) + 1):
            at = position == d
            steps.append((sorted_keys[at], order[at]))
        return cls(tuple(steps))

    def add_to(self, target: FloatArray, rows: FloatArray) -> None:
        """``target[key] += each of its source rows``."""
        for into, source in self.steps:
            target[into] += rows[source]

    def multiply_to(self, target: FloatArray, rows: FloatArray) -> None:
        """``target[key] *= each of its source rows``."""
        for into, source in self.steps:
            target[into] *= rows[source]


@dataclass(frozen=True)
class Evidence:
    """A library compiled for one lens, set of assumptions and feasibility mode.

    Parameters are the uncertain inputs only, in four consecutive groups (cut at
    ``parameter_cuts``): benefit magnitudes, risk impacts, risk likelihoods (one per counted
    assessment) and precondition likelihoods. Every input stated as a point, every forced
    precondition and every risk or precondition with no uncertain input is folded into the
    constants (``cell_base``, ``*_base``), so a draw samples nothing it does not need.
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
    benefit_runs: _Runs  # uncertain magnitudes -> cells
    risk_likelihood_base: FloatArray  # (V,) per varying risk: sum of its point likelihoods
    risk_likelihood_runs: _Runs  # uncertain risk likelihoods -> varying risks
    risk_counts: FloatArray  # (V,) assessments counted
    risk_impact: FloatArray  # (V,) point impact, or 1 where the impact is a parameter
    impact_runs: _Runs  # uncertain impacts -> varying risks
    risk_mitigation: FloatArray  # (V,) pooled mitigation factor
    risk_runs: _Runs  # varying risks -> cells
    feasibility_base: FloatArray  # (m,) product of each option's constant preconditions
    pre_likelihood_base: FloatArray  # (W,) per varying precondition: sum of point likelihoods
    pre_likelihood_runs: _Runs  # uncertain precondition likelihoods -> varying preconditions
    pre_counts: FloatArray  # (W,) assessments counted
    pre_runs: _Runs  # varying preconditions -> options
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
        self.benefit_runs.add_to(cells, magnitudes)
        if self.risk_counts.size:
            values = np.empty((self.risk_counts.size, k))
            values[:] = self.risk_likelihood_base[:, None]
            self.risk_likelihood_runs.add_to(values, risk_lik)
            values /= self.risk_counts[:, None]  # the mean likelihood over sources
            values *= self.risk_impact[:, None]  # impact x likelihood x mitigation
            self.impact_runs.multiply_to(values, impacts)
            values *= self.risk_mitigation[:, None]
            self.risk_runs.add_to(cells, values)
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
            self.pre_likelihood_runs.add_to(pooled, pre_likelihoods)
            pooled /= self.pre_counts[:, None]
            self.pre_runs.multiply_to(result, pooled)
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
        def floats(values: list[float]) -> FloatArray:
            return np.asarray(values, dtype=np.float64)

        def keys(group: int) -> list[int]:
            return [target for *_, target in self.groups[group]]

        sizes = np.cumsum([len(g) for g in self.groups])
        everything = [p for g in self.groups for p in g]
        return Evidence(
            option_ids=option_ids,
            criterion_ids=criterion_ids,
            types=types,
            feasibility=feasibility,
            parameters=tuple(label for label, *_ in everything),
            parameter_low=floats([low for _, low, _, _ in everything]),
            parameter_high=floats([high for _, _, high, _ in everything]),
            parameter_cuts=(int(sizes[0]), int(sizes[1]), int(sizes[2])),
            cell_base=self.cell_base,
            benefit_runs=_Runs.of(keys(0)),
            risk_likelihood_base=floats(self.risks["likelihood"]),
            risk_likelihood_runs=_Runs.of(keys(2)),
            risk_counts=floats(self.risks["count"]),
            risk_impact=floats(self.risks["impact"]),
            impact_runs=_Runs.of(keys(1)),
            risk_mitigation=floats(self.risks["mitigation"]),
            risk_runs=_Runs.of([int(c) for c in self.risks["cell"]]),
            feasibility_base=self.feasibility_base,
            pre_likelihood_base=floats(self.pres["likelihood"]),
            pre_likelihood_runs=_Runs.of(keys(3)),
            pre_counts=floats(self.pres["count"]),
            pre_runs=_Runs.of([int(o) for o in self.pres["option"]]),
            precondition_ids=precondition_ids,
            precondition_point=precondition_point,
            lens=lens,
        )
