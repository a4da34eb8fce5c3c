"""A compiled library: point values and Monte Carlo draws of the performance matrix.

Everything stated as a point is folded into constants when the library is compiled
(:mod:`.compile`); only the uncertain inputs remain as parameters, in four consecutive
groups: scales (ranged magnitudes and impacts), item likelihoods (one per assessment with a
range), precondition likelihoods, and gaps (one uniform fraction per gap cell under
``--gaps neutral``). A point estimate and k Monte Carlo draws evaluate the same vectorised
expression on k columns of parameters, so k draws cost a few passes over whole rows.

The work is draw-last: every sum and product updates whole rows of length k, and the
result is a (k, m, n) view of an (m, n, k) array. Why: normalization reduces each
criterion across options, which on this layout runs over contiguous memory (about 5x
faster than on a C-ordered stack).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from .scatter import FloatArray, IntArray, Scatter

COVERAGE_CODES = ("evidence", "unaffected", "gap")
EVIDENCE, UNAFFECTED, GAP = 0, 1, 2


@dataclass(frozen=True)
class LensInfo:
    """What a source lens changed, and where the source was silent."""

    source: str
    mode: str  # "fallback" or "own"
    not_assessed: tuple[str, ...]  # items the source does not assess (pooled kept or dropped)
    options_not_discussed: tuple[str, ...]


@dataclass(frozen=True)
class EffectUse:
    """One benefit or risk counted in one cell: which option, item and criterion."""

    option: int
    item: str
    column: int
    gain: bool  # a benefit (gated under feasibility "expected"); False for a risk
    row: int | None  # its varying row, or None when folded into a constant
    constant: float  # its signed value when constant (0 otherwise)


@dataclass(frozen=True)
class ItemValue:
    """An item's point contribution to a cell, unsigned: magnitude x L, or impact x L x M."""

    option: str
    item: str
    criterion: str
    gain: bool
    value: float


@dataclass(frozen=True)
class GapColumn:
    """The gap cells of one criterion and the options whose values fill them."""

    column: int
    gap_rows: IntArray  # options with a gap on this criterion
    known_rows: IntArray  # options with evidence or an unaffected declaration
    worst_is_low: bool  # a benefit criterion: the worst value is the lowest
    parameters: IntArray  # neutral: each gap row's uniform fraction (index into gap group)


@dataclass(frozen=True)
class Evidence:
    """A library compiled for one lens, lens mode, assumptions, feasibility and gap policy."""

    option_ids: tuple[str, ...]
    criterion_ids: tuple[str, ...]
    types: FloatArray
    feasibility: str
    gaps: str
    parameters: tuple[str, ...]  # label of each uncertain parameter
    parameter_low: FloatArray
    parameter_high: FloatArray
    parameter_cuts: tuple[
        int, int, int
    ]  # ends of the scale, item- and precondition-likelihood groups
    cell_base: FloatArray  # (m*n,) constant part of each cell (harms; gains unless gated)
    item_likelihood_base: FloatArray  # (R,) per varying item: sum of its point likelihoods
    item_likelihood: Scatter  # likelihood parameters -> varying items (identity layout)
    item_counts: FloatArray  # (R,) assessments counted
    item_coefficient: FloatArray  # (R,) sign x mitigation x point scale (1 where ranged)
    scale_rows: IntArray  # varying items whose scale is a parameter, in parameter order
    item_cells: Scatter  # varying items -> cells (harms; gains unless gated)
    gain_cells: IntArray  # (G,) cells receiving a gated gain (feasibility "expected")
    gain_owner: IntArray  # (G,) their option
    gain_base: FloatArray  # (G,) constant gated gains
    item_gains: Scatter  # varying benefit items -> gated gain rows
    feasibility_base: FloatArray  # (m,) product of each option's constant preconditions
    pre_likelihood_base: FloatArray  # (W,) per varying precondition: sum of point likelihoods
    pre_likelihood: Scatter  # precondition-likelihood parameters -> varying preconditions
    pre_counts: FloatArray  # (W,)
    pre_options: Scatter  # varying preconditions -> options (multiplied)
    gap_columns: tuple[GapColumn, ...]  # only columns with a gap and a known value
    coverage: npt.NDArray[np.int8]  # (m, n) EVIDENCE / UNAFFECTED / GAP
    lower_bounds: FloatArray  # (n,) lowest value each criterion can take in any draw
    precondition_ids: tuple[str, ...]
    precondition_point: FloatArray  # pooled probability at midpoints, or as assumed
    discussed: tuple[bool, ...]  # per option: does the lens source discuss it (True if no lens)
    effects: tuple[EffectUse, ...] = ()
    lens: LensInfo | None = None

    @property
    def shape(self) -> tuple[int, int]:
        """(options, criteria)."""
        return len(self.option_ids), len(self.criterion_ids)

    @property
    def gap_cells(self) -> list[tuple[str, str]]:
        """Every (option, criterion) gap, row-major."""
        rows, cols = np.nonzero(self.coverage == GAP)
        return [
            (self.option_ids[i], self.criterion_ids[j]) for i, j in zip(rows, cols, strict=True)
        ]

    def coverage_labels(self) -> dict[str, dict[str, str]]:
        """``{option: {criterion: "evidence"|"unaffected"|"gap"}}``."""
        return {
            o: {
                c: COVERAGE_CODES[int(code)]
                for c, code in zip(self.criterion_ids, row, strict=True)
            }
            for o, row in zip(self.option_ids, self.coverage, strict=True)
        }

    def item_values(self) -> list[ItemValue]:
        """Each counted item's point value (before feasibility gating), unsigned.

        Why here: reports that show a source's own figures (its expected harm on an option)
        take them from the one formula, not from a copy of it.
        """
        mid = self.midpoints()[:, None]
        scales, item_lik, _, _ = np.split(mid, self.parameter_cuts, axis=0)
        rows = self._item_values(scales, item_lik)[:, 0]
        out = []
        for use in self.effects:
            signed = use.constant if use.row is None else float(rows[use.row])
            # Undo the sign: G - H on a benefit criterion, H - G on a cost criterion.
            sign = self.types[use.column] * (1.0 if use.gain else -1.0)
            out.append(
                ItemValue(
                    self.option_ids[use.option],
                    use.item,
                    self.criterion_ids[use.column],
                    use.gain,
                    float(signed * sign),
                )
            )
        return out

    def midpoints(self) -> FloatArray:
        """Every parameter at the middle of its range (a gap fraction at 0.5)."""
        return (self.parameter_low + self.parameter_high) / 2

    def point_matrix(self) -> FloatArray:
        """The m x n matrix at range midpoints, gaps filled by the policy's point rule."""
        return np.ascontiguousarray(self.evaluate(self.midpoints()[:, None], point=True)[0])

    def sample_matrices(self, rng: np.random.Generator, k: int) -> FloatArray:
        """k x m x n matrices with every uncertain input drawn uniformly in its range.

        One uniform draw of shape (parameters, k) per call, in parameter order.
        """
        params = rng.random((self.parameter_low.size, k))
        # Gap fractions (the last group) are uniform on [0, 1] already: scaling them would
        # multiply by 1 and add 0, so only the groups before them are scaled.
        ranged = params[: self.parameter_cuts[2]]
        ranged *= (self.parameter_high - self.parameter_low)[: ranged.shape[0], None]
        ranged += self.parameter_low[: ranged.shape[0], None]
        return self.evaluate(params)

    def point_feasibility(self) -> FloatArray:
        """(m,) each option's feasibility at range midpoints (before any gap is filled)."""
        _, _, pre_lik, _ = np.split(self.midpoints()[:, None], self.parameter_cuts, axis=0)
        return self._feasibility(pre_lik)[:, 0]

    def point_matrices(self, feasibility: FloatArray) -> FloatArray:
        """k x m x n point matrices, each with its own (m x k) feasibility column.

        Why: forcing a precondition changes only the feasibility of the options that carry
        it (and what depends on that column: gated gains, gap fills), so what-ifs build
        every variant from one compiled library instead of recompiling it per variant.
        ``feasibility`` holds the values before gaps are filled, as :meth:`point_feasibility`.
        """
        k = feasibility.shape[1]
        params = np.repeat(self.midpoints()[:, None], k, axis=1)
        return self.evaluate(params, point=True, feasibility=feasibility)

    def evaluate(
        self, params: FloatArray, *, point: bool = False, feasibility: FloatArray | None = None
    ) -> FloatArray:
        """k x m x n matrices from k columns of parameter values (``params`` is U x k).

        ``point=True`` fills a neutral gap with the median of the known values (the point
        rule of DESIGN.md section 4) instead of the drawn fraction of their range.
        ``feasibility`` (m x k), if given, replaces the feasibility computed from the
        precondition parameters.
        """
        m, n = self.shape
        k = params.shape[1]
        scales, item_lik, pre_lik, gap_fraction = np.split(params, self.parameter_cuts, axis=0)
        cells = np.empty((m * n, k))
        cells[self.read_before_written] = self.cell_base[self.read_before_written, None]
        values = self._item_values(scales, item_lik)
        self.item_cells.combine_into(cells, self.cell_base, values)
        feasible = self._feasibility(pre_lik) if feasibility is None else feasibility
        view = cells.reshape(m, n, k)
        view[:, n - 1, :] = feasible
        # Feasibility gaps first: under "expected" the gated gains need the filled values.
        self._fill_gaps(view, gap_fraction, point, feasibility_only=True)
        if self.gain_cells.size:
            gains = self.item_gains.sums(self.gain_base, values)
            gains *= view[self.gain_owner, n - 1, :]
            cells[self.gain_cells] += gains
        self._fill_gaps(view, gap_fraction, point, feasibility_only=False)
        return view.transpose(2, 0, 1)

    @cached_property
    def read_before_written(self) -> IntArray:
        """Cells :meth:`evaluate` reads before writing them: only they start at the base.

        Every other cell is assigned whole first (a varying item's target, the feasibility
        column, a filled gap), so setting it to its base would be a wasted pass over k draws.
        """
        m, n = self.shape
        written = np.zeros(m * n, dtype=np.bool_)
        written[self.item_cells.targets] = True
        written[np.arange(m) * n + n - 1] = True
        for gap in self.gap_columns:
            written[gap.gap_rows * n + gap.column] = True
        return np.flatnonzero(~written)

    def _item_values(self, scales: FloatArray, likelihoods: FloatArray) -> FloatArray:
        """(R, k) signed value of each varying item: sign x scale x mean likelihood x factor."""
        k = scales.shape[1] if scales.size else likelihoods.shape[1]
        if not self.item_counts.size:
            return np.empty((0, k))
        values = self.item_likelihood.sums(self.item_likelihood_base, likelihoods)
        values /= self.item_counts[:, None]  # the mean likelihood over assessing sources
        values *= self.item_coefficient[:, None]
        if self.scale_rows.size:
            values[self.scale_rows] *= scales
        return values

    def _feasibility(self, likelihoods: FloatArray) -> FloatArray:
        """(m, k) probability that all of each option's preconditions hold."""
        k = likelihoods.shape[1]
        result = np.empty((len(self.option_ids), k))
        result[:] = self.feasibility_base[:, None]
        if self.pre_counts.size:
            pooled = self.pre_likelihood.sums(self.pre_likelihood_base, likelihoods)
            pooled /= self.pre_counts[:, None]
            self.pre_options.combine_into(result, self.feasibility_base, pooled, multiply=True)
        return result

    def _fill_gaps(
        self, view: FloatArray, fraction: FloatArray, point: bool, *, feasibility_only: bool
    ) -> None:
        """Gap cells from the known values of their column (DESIGN.md section 4)."""
        last = view.shape[1] - 1
        by_row = view.shape[2] >= ROW_BY_ROW_DRAWS
        for gap in self.gap_columns:
            if (gap.column == last) != feasibility_only:
                continue
            plane = view[:, gap.column, :]  # one criterion's (m, k) plane
            if point and self.gaps == "neutral":
                plane[gap.gap_rows] = np.median(plane.take(gap.known_rows, axis=0), axis=0)
                continue
            if by_row:
                low, high = _row_extremes(plane, gap.known_rows)
            else:
                known = plane.take(gap.known_rows, axis=0)
                low, high = known.min(axis=0), known.max(axis=0)
            if self.gaps == "worst":
                plane[gap.gap_rows] = low if gap.worst_is_low else high
                continue
            high -= low  # the spread of the known values, per draw
            if by_row:
                for row, parameter in zip(gap.gap_rows, gap.parameters, strict=True):
                    cell = plane[row]
                    np.multiply(fraction[parameter], high, out=cell)
                    cell += low
            else:
                fill = fraction.take(gap.parameters, axis=0)
                fill *= high
                fill += low
                plane[gap.gap_rows] = fill


ROW_BY_ROW_DRAWS = 2048
"""From this many draws per call, gap fills reduce and write a plane's rows one at a time.

Why: in place, each known value is read once and each gap cell written once, where
gathering rows into copies first (``take``, fancy assignment) doubles the traffic; on the
shipped library's blocks of 5,000 draws that made a gap fill a third cheaper. But it costs
two numpy calls per row, which at 1,000 options and the few dozen draws a block then holds
(a shape-derived block size) doubled the whole Monte Carlo. Both ways do the same
arithmetic on the same values, so the choice never changes a number (tested).
"""


def _row_extremes(plane: FloatArray, rows: IntArray) -> tuple[FloatArray, FloatArray]:
    """Element-wise min and max of ``plane``'s given rows, reduced in row order in place."""
    first = plane[rows[0]]
    low, high = first.copy(), first.copy()
    for r in rows[1:]:
        np.minimum(low, plane[r], out=low)
        np.maximum(high, plane[r], out=high)
    return low, high
