"""Library -> :class:`~.matrix.Evidence` (DESIGN.md section 4).

For option *s* and criterion *c*, with L the likelihood and M the mitigation factor
(yes 0.5, partly 0.75, no 1.0), each the mean over the assessing sources (or one source's
own under a lens):

- gain G = sum over *s*'s benefits on *c* of magnitude x L;
- harm H = sum over *s*'s risks on *c* of impact x L x M;
- a benefit criterion's value is G - H, a cost criterion's H - G;
- ``feasibility``: the product of *s*'s precondition likelihoods (independence assumed).

``feasibility="expected"`` scales every gain by the option's feasibility (never a harm).
An option carries the items of the options it ``includes``: the same items, so the same
parameters. A cell with no item and no ``unaffected`` declaration is a gap, filled by the
``gaps`` policy (:mod:`.matrix`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from evaluator.model import (
    MITIGATION_FACTOR,
    Benefit,
    BenefitAssessment,
    Library,
    Option,
    Precondition,
    PreconditionAssessment,
    Risk,
    RiskAssessment,
    carried_options,
    likelihood_bounds,
    scale_bounds,
)

from .matrix import EVIDENCE, GAP, UNAFFECTED, EffectUse, Evidence, GapColumn, LensInfo
from .scatter import FloatArray, Scatter

FEASIBILITY_MODES = ("weight", "expected")
GAP_POLICIES = ("neutral", "zero", "worst")
LENS_MODES = ("fallback", "own")
Bounds = tuple[float, float]
Param = tuple[str, float, float, int]  # label, low, high, target row
View = BenefitAssessment | RiskAssessment | PreconditionAssessment


def compile_evidence(
    library: Library,
    *,
    lens: str | None = None,
    lens_mode: str = "fallback",
    assume: Mapping[str, float] | None = None,
    feasibility: str = "weight",
    gaps: str = "neutral",
    options: Sequence[str] | None = None,
) -> Evidence:
    """Compile ``library`` (or the ``options`` subset, in library order) for one run.

    ``assume`` maps precondition ids to a forced probability (met = 1, failed = 0).
    Unknown ids raise ``KeyError``, unknown modes ``ValueError``; callers validate first.
    """
    for value, allowed, what in (
        (feasibility, FEASIBILITY_MODES, "feasibility"),
        (gaps, GAP_POLICIES, "gaps"),
        (lens_mode, LENS_MODES, "lens_mode"),
    ):
        if value not in allowed:
            raise ValueError(f"{what} must be one of {allowed} (got {value!r})")
    chosen = _chosen(library, options)
    assume = dict(assume or {})
    known_pre = {p.id for o in library.options for p in o.preconditions}
    unknown = sorted(set(assume) - known_pre)
    if unknown:
        raise KeyError(unknown[0])
    plan = _Plan(library, chosen, lens, lens_mode, assume, feasibility, gaps)
    return plan.build()


def _chosen(library: Library, options: Sequence[str] | None) -> list[Option]:
    if options is None:
        return list(library.options)
    wanted = set(options)
    missing = sorted(wanted - {o.id for o in library.options})
    if missing:
        raise KeyError(missing[0])
    return [o for o in library.options if o.id in wanted]


@dataclass
class _Varying:
    """Rows of items (or preconditions) with at least one uncertain input."""

    likelihood_base: list[float] = field(default_factory=list)
    counts: list[float] = field(default_factory=list)
    coefficient: list[float] = field(default_factory=list)
    likelihoods: list[Param] = field(default_factory=list)
    scales: list[Param] = field(default_factory=list)
    row_of: dict[str, int] = field(default_factory=dict)


class _Plan:
    """Walks the chosen options once, collecting constants and uncertain parameters."""

    def __init__(
        self,
        library: Library,
        chosen: list[Option],
        lens: str | None,
        lens_mode: str,
        assume: dict[str, float],
        feasibility: str,
        gaps: str,
    ) -> None:
        self.library = library
        self.chosen = chosen
        self.lens = lens
        self.lens_mode = lens_mode
        self.assume = assume
        self.feasibility = feasibility
        self.gaps = gaps
        criteria = library.all_criteria  # feasibility is always the last column
        self.criterion_ids = tuple(c.id for c in criteria)
        self.column = {c: j for j, c in enumerate(self.criterion_ids)}
        self.types = np.array([1.0 if c.direction == "benefit" else -1.0 for c in criteria])
        m, n = len(chosen), len(criteria)
        self.n = n
        self.cell_base = np.zeros(m * n)
        self.feasibility_base = np.ones(m)
        self.low = np.zeros(m * n)  # lowest attainable value of each cell
        self.gain_low: dict[int, float] = {}
        self.coverage = np.full((m, n), GAP, dtype=np.int8)
        self.items = _Varying()
        self.pres = _Varying()
        self.item_uses: list[tuple[int, int]] = []  # (item row, cell), harms and ungated gains
        self.gain_uses: list[tuple[int, int, int]] = []  # (item row, cell, option)
        self.gain_const: dict[tuple[int, int], float] = {}  # (cell, option) -> constant gain
        self.constant: dict[str, tuple[float, float, float]] = {}  # item -> (value, low, high)
        self.pre_uses: list[tuple[int, int]] = []  # (precondition row, option)
        self.effects: list[EffectUse] = []  # every item counted in a cell, for reports
        self.pre_point: dict[str, float] = {}
        self.pre_low = np.ones(m)
        self.row_low: list[float] = []  # lowest value of each varying item
        self.not_assessed: list[str] = []
        self.discussed: list[bool] = []

    # -- assessments a run counts ------------------------------------------------------

    def _views(self, item: Benefit | Risk | Precondition, keep_pooled: bool) -> list[View]:
        """The assessments counted for ``item``: pooled, or the lens source's own."""
        views: list[View] = list(item.assessments)
        if self.lens is None:
            return views
        own = [v for v in views if v.source == self.lens]
        if own:
            return list(own)
        if item.id not in self.not_assessed:
            self.not_assessed.append(item.id)
        return views if keep_pooled or self.lens_mode == "fallback" else []

    # -- the walk ----------------------------------------------------------------------

    def build(self) -> Evidence:
        n = self.n
        by_id = {o.id: o for o in self.library.options}  # once, not once per option
        for a, option in enumerate(self.chosen):
            self.discussed.append(self._discusses(option))
            carried = carried_options(option, by_id)
            for owner in carried:
                for benefit in owner.benefits:
                    self._effect(benefit, a, gain=True)
                for risk in owner.risks:
                    self._effect(risk, a, gain=False)
                for pre in owner.preconditions:
                    self._precondition(pre, a)
            if any(o.preconditions for o in carried):
                self.coverage[a, n - 1] = EVIDENCE
            for quiet in option.unaffected:
                self.coverage[a, self.column[quiet.criterion]] = UNAFFECTED
        return self._assemble()

    def _discusses(self, option: Option) -> bool:
        if self.lens is None:
            return True
        views: list[View] = [v for b in option.benefits for v in b.assessments]
        views.extend(v for r in option.risks for v in r.assessments)
        views.extend(v for p in option.preconditions for v in p.assessments)
        return any(v.source == self.lens for v in views) or any(
            q.source == self.lens for quiet in option.unaffected for q in quiet.sources
        )

    def _effect(self, item: Benefit | Risk, option: int, *, gain: bool) -> None:
        views = self._views(item, keep_pooled=False)
        if not views:
            return  # own lens: the source does not assess it, so it drops out
        j = self.column[item.criterion]
        cell = option * self.n + j
        self.coverage[option, j] = EVIDENCE
        gated = gain and self.feasibility == "expected"
        if item.id not in self.constant and item.id not in self.items.row_of:
            self._register_effect(item, views, gain)
        row_or_none = self.items.row_of.get(item.id)
        self.effects.append(
            EffectUse(option, item.id, j, gain, row_or_none, self.constant.get(item.id, (0.0,))[0])
        )
        if item.id in self.constant:
            value, low, _ = self.constant[item.id]
            if gated:
                self.gain_const[(cell, option)] = self.gain_const.get((cell, option), 0.0) + value
                self.gain_low[cell] = self.gain_low.get(cell, 0.0) + low
            else:
                self.cell_base[cell] += value
                self.low[cell] += low
            return
        row = self.items.row_of[item.id]
        low = self.row_low[row]
        if gated:
            self.gain_uses.append((row, cell, option))
            self.gain_low[cell] = self.gain_low.get(cell, 0.0) + low
        else:
            self.item_uses.append((row, cell))
            self.low[cell] += low

    def _register_effect(self, item: Benefit | Risk, views: list[View], gain: bool) -> None:
        """Fold a point item into a constant, or give it a row and its parameters."""
        direction = self.types[self.column[item.criterion]]
        sign = direction if gain else -direction  # G - H on a benefit criterion, H - G on a cost
        if isinstance(item, Risk):
            factor = float(
                np.mean(
                    [MITIGATION_FACTOR[v.mitigable] for v in views if isinstance(v, RiskAssessment)]
                )
            )
            scale, what = scale_bounds(item.impact), "impact"
        else:
            factor = 1.0
            scale, what = scale_bounds(item.magnitude), "magnitude"
        bounds = [(v.source, likelihood_bounds(v.likelihood)) for v in views]
        count = len(bounds)
        mean_low = sum(lo for _, (lo, _) in bounds) / count
        mean_high = sum(hi for _, (_, hi) in bounds) / count
        ends = sorted((sign * factor * scale[0] * mean_low, sign * factor * scale[1] * mean_high))
        uncertain = [(s, b) for s, b in bounds if b[1] > b[0]]
        if not uncertain and scale[1] <= scale[0]:
            value = sign * factor * scale[0] * mean_low
            self.constant[item.id] = (value, value, value)
            return
        rows = self.items
        row = len(rows.counts)
        rows.row_of[item.id] = row
        rows.likelihood_base.append(sum(lo for _, (lo, hi) in bounds if hi <= lo))
        rows.counts.append(count)
        ranged = scale[1] > scale[0]
        rows.coefficient.append(sign * factor * (1.0 if ranged else scale[0]))
        if ranged:
            rows.scales.append((f"{item.id} {what}", scale[0], scale[1], row))
        for source, (lo, hi) in uncertain:
            rows.likelihoods.append((f"{item.id} likelihood ({source})", lo, hi, row))
        self.row_low.append(ends[0])

    def _precondition(self, pre: Precondition, option: int) -> None:
        forced = self.assume.get(pre.id)
        if forced is not None:
            self.feasibility_base[option] *= forced
            self.pre_low[option] *= forced
            self.pre_point.setdefault(pre.id, forced)
            return
        views = self._views(pre, keep_pooled=True)
        bounds = [(v.source, likelihood_bounds(v.likelihood)) for v in views]
        count = len(bounds)
        point = sum((lo + hi) / 2 for _, (lo, hi) in bounds) / count
        self.pre_point.setdefault(pre.id, point)
        self.pre_low[option] *= sum(lo for _, (lo, _) in bounds) / count
        uncertain = [(s, b) for s, b in bounds if b[1] > b[0]]
        if not uncertain:
            self.feasibility_base[option] *= point
            return
        rows = self.pres
        if pre.id not in rows.row_of:
            row = len(rows.counts)
            rows.row_of[pre.id] = row
            rows.likelihood_base.append(sum(lo for _, (lo, hi) in bounds if hi <= lo))
            rows.counts.append(count)
            for source, (lo, hi) in uncertain:
                rows.likelihoods.append((f"{pre.id} likelihood ({source})", lo, hi, row))
        self.pre_uses.append((rows.row_of[pre.id], option))

    # -- arrays ------------------------------------------------------------------------

    def _assemble(self) -> Evidence:
        floats = _floats
        item_lik, item_lik_params = _identity_layout(self.items.likelihoods)
        pre_lik, pre_lik_params = _identity_layout(self.pres.likelihoods)
        scales = self.items.scales
        # Gated gains: one compact row per (cell, option) receiving any gain.
        gain_keys = sorted(
            {(c, o) for c, o in self.gain_const} | {(c, o) for _, c, o in self.gain_uses}
        )
        gain_row = {key: i for i, key in enumerate(gain_keys)}
        gain_base = floats([self.gain_const.get(key, 0.0) for key in gain_keys])
        item_gains = Scatter.build(
            [gain_row[(c, o)] for _, c, o in self.gain_uses], [r for r, _, _ in self.gain_uses]
        )
        gap_columns, gap_params = self._gap_columns()
        everything = [*scales, *item_lik_params, *pre_lik_params, *gap_params]
        cuts = np.cumsum([len(scales), len(item_lik_params), len(pre_lik_params)])
        lens_info = (
            LensInfo(
                self.lens,
                self.lens_mode,
                tuple(self.not_assessed),
                tuple(o.id for o, d in zip(self.chosen, self.discussed, strict=True) if not d),
            )
            if self.lens
            else None
        )
        return Evidence(
            option_ids=tuple(o.id for o in self.chosen),
            criterion_ids=self.criterion_ids,
            types=self.types,
            feasibility=self.feasibility,
            gaps=self.gaps,
            parameters=tuple(label for label, *_ in everything),
            parameter_low=floats([low for _, low, _, _ in everything]),
            parameter_high=floats([high for _, _, high, _ in everything]),
            parameter_cuts=(int(cuts[0]), int(cuts[1]), int(cuts[2])),
            cell_base=self.cell_base,
            item_likelihood_base=floats(self.items.likelihood_base),
            item_likelihood=item_lik,
            item_counts=floats(self.items.counts),
            item_coefficient=floats(self.items.coefficient),
            scale_rows=np.asarray([row for *_, row in scales], dtype=np.intp),
            item_cells=Scatter.build(
                [c for _, c in self.item_uses], [r for r, _ in self.item_uses]
            ),
            gain_cells=np.asarray([c for c, _ in gain_keys], dtype=np.intp),
            gain_owner=np.asarray([o for _, o in gain_keys], dtype=np.intp),
            gain_base=gain_base,
            item_gains=item_gains,
            feasibility_base=self.feasibility_base,
            pre_likelihood_base=floats(self.pres.likelihood_base),
            pre_likelihood=pre_lik,
            pre_counts=floats(self.pres.counts),
            pre_options=Scatter.build([o for _, o in self.pre_uses], [r for r, _ in self.pre_uses]),
            gap_columns=gap_columns,
            coverage=self.coverage,
            lower_bounds=self._lower_bounds(),
            precondition_ids=tuple(self.pre_point),
            precondition_point=floats(list(self.pre_point.values())),
            discussed=tuple(self.discussed),
            effects=tuple(self.effects),
            lens=lens_info,
        )

    def _gap_columns(self) -> tuple[tuple[GapColumn, ...], list[Param]]:
        """Columns whose gaps are filled from known values; neutral gaps' fractions."""
        if self.gaps == "zero":
            return (), []  # a gap cell keeps its empty value: 0, or 1 for feasibility
        columns: list[GapColumn] = []
        params: list[Param] = []
        for j, criterion in enumerate(self.criterion_ids):
            gap_rows = np.flatnonzero(self.coverage[:, j] == GAP)
            known_rows = np.flatnonzero(self.coverage[:, j] != GAP)
            if not gap_rows.size or not known_rows.size:
                continue  # no gap, or nothing to fill from: the empty value stays
            indices = []
            if self.gaps == "neutral":
                for i in gap_rows:
                    indices.append(len(params))
                    params.append((f"gap {self.chosen[i].id} {criterion}", 0.0, 1.0, int(i)))
            columns.append(
                GapColumn(
                    column=j,
                    gap_rows=gap_rows,
                    known_rows=known_rows,
                    worst_is_low=bool(self.types[j] > 0),
                    parameters=np.asarray(indices, dtype=np.intp),
                )
            )
        return tuple(columns), params

    def _lower_bounds(self) -> FloatArray:
        """The lowest value each criterion can take in any draw (gaps and gating included).

        Why: the zero-safe fallback is decided once per run from this, so point scores,
        draws and sliders all use the same normalization (DESIGN.md section 4).
        """
        m, n = len(self.chosen), self.n
        low = self.low.copy()
        for cell, gained in self.gain_low.items():
            # A gated gain is the gain times a probability in [0, 1].
            low[cell] += min(0.0, gained)
        grid = low.reshape(m, n)
        # What-ifs and linchpins force preconditions to fail, so an option with any
        # precondition can reach feasibility 0 within the run.
        grid[:, n - 1] = np.where(self.coverage[:, n - 1] == EVIDENCE, 0.0, self.pre_low)
        known = self.coverage != GAP
        bounds = np.empty(n)
        for j in range(n):
            values = grid[known[:, j], j]
            if self.gaps == "zero" and not known[:, j].all():
                values = np.append(values, 1.0 if j == n - 1 else 0.0)
            bounds[j] = values.min() if values.size else (1.0 if j == n - 1 else 0.0)
        return bounds


def _identity_layout(params: list[Param]) -> tuple[Scatter, list[Param]]:
    """Parameters reordered so that their scatter into target rows needs no gather."""
    scatter = Scatter.build([row for *_, row in params])
    ordered = [params[i] for i in scatter.gather]
    return Scatter.build([row for *_, row in ordered]), ordered


def _floats(values: Sequence[float]) -> FloatArray:
    return np.asarray(values, dtype=np.float64)
