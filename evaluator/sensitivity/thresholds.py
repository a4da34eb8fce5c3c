"""The batched search behind linchpins: where does moving one input change the outcome?

A *knob* is one continuous input of a compiled library: an evidence parameter (a likelihood,
a magnitude or an impact) or one gap cell of the performance matrix. :class:`Searcher`
scores many (knob, value) candidates in one call: the other parameters stay at their point
values, ``Evidence.evaluate`` turns the parameter columns into k x m x n matrices (a gap
cell is then overwritten), and the run's batched kernel scores the stack. The *outcome* of
a candidate is the winner (rank 1 under the run's tie policy: a tie group, then option id)
or, with a target, the target's average rank.

The search (:meth:`Searcher.thresholds`) runs per direction: a grid of ``grid`` points from
the current value to the end of the knob's domain, all knobs in one batched call; the
first grid point whose outcome differs brackets the nearest change; each round then scores
``refine`` evenly spaced points inside every open bracket (again one call for all knobs)
and keeps the part before the first change, until the bracket is narrower than ``tol``.
So a change is found to ``tol`` in the parameter for every method. A window narrower than
the grid spacing in which the outcome changes and changes back can be missed; the grid is
fine (128 points) because the outcome is piecewise constant with few pieces.

Slopes (:meth:`Searcher.measure`, :mod:`.slopes`). Every cell is linear in each single
parameter, so one evaluation with a parameter moved gives its slopes; parameters that move
different options share an evaluation, so a few dozen evaluations measure them all.

Pruning (:meth:`Searcher.screen`), exact: a knob is skipped only when its outcome is the
run's over its whole domain, which is what the search would report. (1) A knob that moves
no cell. (2) Weighted sum with ``minmax``, ``offset-minmax`` or no normalization, a knob
moving one column: its *reach*, each option's score interval over the domain from the
slopes, cannot close the gap between the winner and any rival, or between the target and
any neighbour (:func:`.columns.reach_prunable`). (3) Otherwise, under the additive models,
a knob that moves the cells of one option only and keeps each of them, over its whole
domain, inside the range the other options span in that column: no other option's
normalized value moves, so no other score moves, and that option's score is monotone in
the knob; the outcome can then change somewhere in the domain only if it has changed at one
of the two ends, and a knob for which it has not is skipped. Other knobs (under TOPSIS,
PROMETHEE and VIKOR, whose scores couple options) are always searched.

Closed form: under the weighted sum (``minmax``, ``offset-minmax``, none) a knob moving one
cell is solved between breakpoints (:func:`.columns.closed_form`), and its bracket handed
to the refinement above, so it only pins the root to the tie policy. Under the weighted sum
with a column-wise normalization a candidate is scored from its one column (a rank-one
update of the scores), never from an m x n matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..evaluation import Setup
from ..evidence import Evidence, GapColumn
from ..scoring import NonPositiveEntryError
from ..scoring.normalize import normalize
from ..scoring.ranking import id_keys, tie_groups, tie_rtol
from . import columns, slopes
from .slopes import Slope

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

GRID = 128
REFINE = 15
TOL = 1e-9
MAX_ROUNDS = 40  # 16**40 >> any domain / TOL: only a bracket stuck on float spacing stops here
CHUNK = 4096  # most candidates per kernel call
CHUNK_FLOATS = 2**23  # and at most this many floats (64 MB) of matrices and parameters
PRUNABLE_NORMALIZATIONS = ("minmax", "offset-minmax", "none")


@dataclass(frozen=True)
class Knob:
    """One continuous input: evidence parameter ``param`` or gap ``cell``, within ``domain``."""

    value: float
    domain: tuple[float, float]
    param: int = -1
    cell: tuple[int, int] | None = None


@dataclass(frozen=True)
class Change:
    """The nearest value of knob ``knob`` in ``direction`` that changes the outcome."""

    knob: int
    direction: str  # "up" or "down"
    threshold: float
    winner: int
    rank: float


def _columns_of(mask: BoolArray) -> tuple[IntArray, BoolArray]:
    """Per row, the columns where ``mask`` holds (each row has one), padded to the longest
    row with the row's first such column; and which entries are real (not padding)."""
    counts = mask.sum(axis=1)
    starts = np.cumsum(counts) - counts  # each row's first entry in np.nonzero's order
    rows, cols = np.nonzero(mask)
    slot = np.arange(rows.size) - starts[rows]
    out = np.empty((mask.shape[0], int(counts.max())), dtype=np.intp)
    out[:] = cols[starts][:, None]
    out[rows, slot] = cols
    valid = np.zeros(out.shape, dtype=np.bool_)
    valid[rows, slot] = True
    return out, valid


class Searcher:
    """Scores (knob, value) candidates in batches against one prepared run.

    Every cell a parameter reaches (a sum of item values, a product of pooled precondition
    likelihoods, a gain times feasibility) is linear in that one parameter, so once
    :meth:`screen` has measured each parameter's slopes, a candidate matrix is the run's
    matrix plus the slopes times the change, with only the gap columns it reaches filled
    again (their median, minimum or maximum is not linear). Why: re-evaluating the whole
    evidence per candidate costs every parameter and every gap column each time.
    Under ``feasibility="expected"`` with feasibility gaps (whose filled values gate gains)
    candidates are evaluated in full instead.
    """

    def __init__(
        self, setup: Setup, evidence: Evidence, base: FloatArray, target: int | None
    ) -> None:
        self.setup = setup
        self.evidence = evidence
        self.base = base
        self.target = target
        self.keys = id_keys(evidence.option_ids)
        self.matrix = evidence.evaluate(base[:, None], point=True)[0].copy()
        self.base_scores = setup.score_stack(self.matrix, setup.weights)
        winner, rank = self.outcomes(self.base_scores[None])
        self.winner, self.rank = int(winner[0]), float(rank[0])
        last = len(evidence.criterion_ids) - 1
        self.gap_of = {g.column: g for g in evidence.gap_columns}
        self.linear = not (
            evidence.feasibility == "expected"
            and any(g.column == last for g in evidence.gap_columns)
        )
        self.slopes: dict[int, Slope] = {}
        self.column: dict[int, int] = {}  # knobs that move one column only: that column
        self.solved = 0  # (knob, direction) searches answered in closed form
        self._sorted: dict[int, FloatArray] = {}
        self.knobs: list[Knob] = []
        size = self.matrix.size + base.size
        self.chunk = max(2, min(CHUNK, CHUNK_FLOATS // size))
        # Weighted sum, column-wise normalization: a candidate is scored from its column.
        self.fast = (
            self.linear
            and setup.method == "weighted-sum"
            and (setup.normalization or "minmax") in columns.COLUMN_NORMALIZATIONS
        )
        self.exact = self.fast and (setup.normalization or "minmax") in (
            columns.EXACT_NORMALIZATIONS
        )
        self.without = self.base_scores[:, None] - setup.weights[None, :] * (
            normalize(self.matrix, evidence.types, setup.normalization or "minmax")
            if self.fast
            else 0.0
        )

    def outcomes(self, scores: FloatArray) -> tuple[IntArray, FloatArray]:
        """Winner index and the target's average rank (NaN without one) per row of scores.

        Ties chain one tolerance at a time, so a tie group spans less than ``m`` tolerances:
        rows where no other option comes within ``2 m`` tolerances of the winner (or the
        target) are read off without sorting. In the other rows only the options within
        that window are sorted into tie groups (a run of consecutive options in score
        order, grouped with the full rows' tolerance), never all m: near a threshold most
        candidate rows are near-ties, and sorting 1,000 options for each was most of a
        linchpin search at scale.
        """
        k, m = scores.shape
        oriented = scores if self.setup.higher_is_better else -scores
        size = np.max(np.abs(scores), axis=1)
        window = (2 * m * tie_rtol() * size)[:, None]
        winner: IntArray = np.argmax(oriented, axis=1).astype(np.intp)
        top = oriented[np.arange(k), winner][:, None]
        in_top = oriented >= top - window
        near_top = np.sum(in_top, axis=1) > 1
        if self.target is None:
            if near_top.any():
                winner[near_top] = self._tied_winner(
                    oriented[near_top], size[near_top], in_top[near_top]
                )
            return winner, np.full(k, np.nan)
        mine = oriented[:, self.target][:, None]
        in_mine = np.abs(oriented - mine) <= window
        rank = 1.0 + np.sum(oriented > mine, axis=1).astype(np.float64)
        unsure = near_top | (np.sum(in_mine, axis=1) > 1)
        if unsure.any():
            o, z = oriented[unsure], size[unsure]
            winner[unsure] = self._tied_winner(o, z, in_top[unsure])
            rank[unsure] = self._tied_rank(o, z, in_mine[unsure])
        return winner, rank

    def _tied_winner(self, oriented: FloatArray, size: FloatArray, window: BoolArray) -> IntArray:
        """The winner of each row: the lowest id in the top tie group, which lies within the
        ``window`` (the best options, a prefix of the score order)."""
        cols, _ = _columns_of(window)  # padding repeats a column of the row: harmless here
        groups = tie_groups(np.take_along_axis(oriented, cols, axis=1), scale=size)
        keys = self.keys[cols]
        at = np.argmin(np.where(groups == 0, keys, len(self.keys)), axis=1)
        out: IntArray = cols[np.arange(len(cols)), at]
        return out

    def _tied_rank(self, oriented: FloatArray, size: FloatArray, window: BoolArray) -> FloatArray:
        """The target's average rank: 1 + the options above its tie group + half the rest of
        its group. Its group lies within the ``window`` (every option within 2m tolerances
        of it: a run of consecutive options in score order)."""
        assert self.target is not None
        mine = oriented[:, self.target][:, None]
        cols, valid = _columns_of(window)
        sub = np.take_along_axis(oriented, cols, axis=1)
        groups = tie_groups(sub, scale=size)
        at = np.argmax((cols == self.target) & valid, axis=1)  # in every window: distance 0
        same = (groups == groups[np.arange(len(cols)), at][:, None]) & valid
        above = np.sum(oriented > mine, axis=1) - np.sum(same & (sub > mine), axis=1)
        out: FloatArray = 1.0 + above + (same.sum(axis=1) - 1) / 2.0
        return out

    def changed(self, winner: IntArray, rank: FloatArray) -> BoolArray:
        """Which outcomes differ from the run's."""
        if self.target is None:
            out: BoolArray = winner != self.winner
            return out
        return np.asarray(rank != self.rank)

    def matrices(self, knobs: list[Knob], which: IntArray, values: FloatArray) -> FloatArray:
        """k x m x n matrices with knob ``which[i]`` set to ``values[i]``, the rest at base."""
        if not self.linear or any(
            knobs[int(q)].param >= 0 and int(q) not in self.slopes for q in set(which.tolist())
        ):
            return self.evaluate(knobs, which, values)
        k = len(which)
        m, n = self.matrix.shape
        # Draw-last, as Evidence.evaluate lays out its stacks: normalization then reduces
        # over contiguous memory (see evaluator.evidence.matrix).
        flat = np.empty((m * n, k))
        flat[:] = self.matrix.reshape(-1, 1)
        mats = flat.reshape(m, n, k).transpose(2, 0, 1)
        grouped = np.argsort(which, kind="stable")
        for rows in np.split(grouped, np.flatnonzero(np.diff(which[grouped])) + 1):
            knob = knobs[int(which[rows[0]])]
            if knob.cell is not None:
                mats[rows, knob.cell[0], knob.cell[1]] = values[rows]
                continue
            slope = self.slopes[int(which[rows[0]])]
            flat[np.ix_(slope.cells, rows)] += slope.slope[:, None] * (values[rows] - knob.value)
            for gap in slope.refill:
                known = mats[rows[:, None], gap.known_rows[None, :], gap.column]
                if self.evidence.gaps == "worst":
                    fill = known.min(axis=1) if gap.worst_is_low else known.max(axis=1)
                else:
                    fill = np.median(known, axis=1)
                mats[rows[:, None], gap.gap_rows[None, :], gap.column] = fill[:, None]
        return mats

    def columns(self, params: FloatArray) -> tuple[FloatArray, BoolArray]:
        """Scores of whole parameter columns (``params`` is U x k), evaluated in full."""
        return self._scores(self.evidence.evaluate(params, point=True))

    def evaluate(self, knobs: list[Knob], which: IntArray, values: FloatArray) -> FloatArray:
        """:meth:`matrices` the long way: the whole evidence evaluated per candidate."""
        k = len(which)
        params = np.repeat(self.base[:, None], k, axis=1)
        param = np.array([knobs[q].param for q in which], dtype=np.intp)
        moved = param >= 0
        params[param[moved], np.flatnonzero(moved)] = values[moved]
        mats = self.evidence.evaluate(params, point=True)
        for i in np.flatnonzero(~moved):
            cell = knobs[int(which[i])].cell
            assert cell is not None
            mats[i, cell[0], cell[1]] = values[i]
        return mats

    def score(
        self, knobs: list[Knob], which: IntArray, values: FloatArray
    ) -> tuple[IntArray, FloatArray]:
        """Outcomes of the candidates, scored in chunks of :attr:`chunk` candidates.

        Under the weighted sum a knob that moves one column is scored from that column
        alone (:func:`.columns.column_scores`), whatever the chunk.
        """
        winners: IntArray = np.empty(len(which), dtype=np.intp)
        ranks: FloatArray = np.empty(len(which))
        fast = np.zeros(len(which), dtype=np.bool_)
        if self.fast and len(which):
            fast = np.isin(which, np.fromiter(self.column, dtype=np.intp, count=len(self.column)))
            idx = np.flatnonzero(fast)
            grouped = idx[np.argsort(which[idx], kind="stable")]
            for rows in np.split(grouped, np.flatnonzero(np.diff(which[grouped])) + 1):
                if not rows.size:
                    continue
                q = int(which[rows[0]])
                step = max(1, CHUNK_FLOATS // (4 * self.matrix.shape[0]))
                for start in range(0, rows.size, step):
                    part = rows[start : start + step]
                    scores = columns.column_scores(self, knobs[q], q, values[part])
                    winners[part], ranks[part] = self.outcomes(scores)
        slow = np.flatnonzero(~fast)
        for start in range(0, len(slow), self.chunk):
            part = slow[start : start + self.chunk]
            mats = self.matrices(knobs, which[part], values[part])
            scores, ok = self._scores(mats)
            w, r = self.outcomes(scores)
            w[~ok], r[~ok] = self.winner, self.rank
            winners[part], ranks[part] = w, r
        return winners, ranks

    def _scores(self, mats: FloatArray) -> tuple[FloatArray, BoolArray]:
        """Scores of a stack, and which rows the run's normalization can take.

        Why: an input opened beyond its stated range can make a cell zero or negative, which
        a ratio normalization (``sum``, ``linear``, the weighted product's factors) refuses.
        Such a candidate counts as no change (its scores are those of the run): the method
        has no answer there, so it cannot be where the answer changes.
        """
        weights = self.setup.weights
        try:
            return self.setup.score_stack(mats, weights), np.ones(len(mats), dtype=np.bool_)
        except NonPositiveEntryError:
            pass
        scores = np.empty(mats.shape[:2])
        ok = np.ones(len(mats), dtype=np.bool_)
        for i in range(len(mats)):
            try:
                scores[i] = self.setup.score_stack(mats[i], weights)
            except NonPositiveEntryError:
                scores[i] = self.base_scores
                ok[i] = False
        return scores, ok

    def thresholds(
        self,
        knobs: list[Knob],
        active: BoolArray,
        *,
        grid: int = GRID,
        refine: int = REFINE,
        exact: bool = True,
    ) -> list[Change]:
        """The nearest change up and down of every active knob (see the module docstring).

        Under the weighted sum (``minmax``, ``offset-minmax`` or none) a knob moving one
        cell is solved in closed form (:func:`.columns.closed_form`); the root is then
        bracketed by a millionth of the domain on each side, checked there with the
        kernel, and the bracket refined like any other. ``exact=False`` bisects every knob.
        """
        near_l: list[float] = []
        far_l: list[float] = []
        knob_l: list[int] = []
        dir_l: list[str] = []
        steps = np.arange(1, grid + 1) / grid
        for direction in ("up", "down"):
            rows = [
                q
                for q, kn in enumerate(knobs)
                if active[q] and abs(self._end(kn, direction) - kn.value) > TOL
            ]
            if exact and self.exact:
                rows = self._closed(knobs, rows, direction, near_l, far_l, knob_l, dir_l)
            if not rows:
                continue
            x0 = np.array([knobs[q].value for q in rows])
            end = np.array([self._end(knobs[q], direction) for q in rows])
            pts = x0[:, None] + (end - x0)[:, None] * steps[None, :]
            which = np.repeat(np.asarray(rows, dtype=np.intp), grid)
            w, r = self.score(knobs, which, pts.ravel())
            hit = self.changed(w, r).reshape(len(rows), grid)
            for i in np.flatnonzero(hit.any(axis=1)):
                first = int(np.argmax(hit[i]))
                near_l.append(x0[i] if first == 0 else pts[i, first - 1])
                far_l.append(pts[i, first])
                knob_l.append(rows[i])
                dir_l.append(direction)
        near, far = np.array(near_l, dtype=np.float64), np.array(far_l, dtype=np.float64)
        which = np.asarray(knob_l, dtype=np.intp)
        inner = np.arange(1, refine + 1) / (refine + 1)
        rounds = 0
        while which.size and np.max(np.abs(far - near)) > TOL and rounds < MAX_ROUNDS:
            rounds += 1
            pts = near[:, None] + (far - near)[:, None] * inner[None, :]
            w, r = self.score(knobs, np.repeat(which, refine), pts.ravel())
            hit = self.changed(w, r).reshape(len(which), refine)
            for a in range(len(which)):
                if hit[a].any():
                    first = int(np.argmax(hit[a]))
                    far[a] = pts[a, first]
                    near[a] = near[a] if first == 0 else pts[a, first - 1]
                else:
                    near[a] = pts[a, -1]
        # The outcome just past the threshold (a millionth of the domain on): at the threshold
        # itself two options may still be tied, and a tie is not yet the new order.
        low = np.array([knobs[q].domain[0] for q in which], dtype=np.float64)
        high = np.array([knobs[q].domain[1] for q in which], dtype=np.float64)
        past = np.clip(far + np.sign(far - near) * 1e-6 * (high - low), low, high)
        w, r = self.score(knobs, np.concatenate([which, which]), np.concatenate([far, past]))
        hit = self.changed(w, r)
        k = len(which)
        use_past = hit[k:]
        w = np.where(use_past, w[k:], w[:k])
        r = np.where(use_past, r[k:], r[:k])
        return [
            Change(int(which[i]), dir_l[i], float(far[i]), int(w[i]), float(r[i]))
            for i in range(len(which))
        ]

    def _closed(
        self,
        knobs: list[Knob],
        rows: list[int],
        direction: str,
        near_l: list[float],
        far_l: list[float],
        knob_l: list[int],
        dir_l: list[str],
    ) -> list[int]:
        """Bracket each closed-form root; return the knobs left to the grid search."""
        left: list[int] = []
        cand: list[tuple[int, float, float]] = []
        for q in rows:
            if q not in self.column:
                left.append(q)
                continue
            solved, root = columns.closed_form(self, knobs[q], q, direction)
            if not solved:
                left.append(q)
                continue
            self.solved += 1
            if root is not None:
                kn = knobs[q]
                sign = 1.0 if direction == "up" else -1.0
                delta = 1e-6 * (kn.domain[1] - kn.domain[0])
                end = self._end(kn, direction)
                near = kn.value if abs(root - kn.value) <= delta else root - sign * delta
                far = end if abs(end - root) <= delta else root + sign * delta
                cand.append((q, near, far))
        if not cand:
            return left
        which = np.array([c[0] for c in cand] * 2, dtype=np.intp)
        values = np.array([c[1] for c in cand] + [c[2] for c in cand])
        w, r = self.score(knobs, which, values)
        hit = self.changed(w, r)
        k = len(cand)
        for i, (q, near, far) in enumerate(cand):
            if (hit[k + i] and not hit[i]) and near != far:
                near_l.append(near)
                far_l.append(far)
                knob_l.append(q)
                dir_l.append(direction)
            else:
                self.solved -= 1
                left.append(q)  # the tie policy moved it off the bracket: search instead
        return left

    @staticmethod
    def _end(knob: Knob, direction: str) -> float:
        return knob.domain[1] if direction == "up" else knob.domain[0]

    def measure(self, knobs: list[Knob]) -> None:
        """Every parameter knob's slopes, and the one column a knob moves, where it does.

        See :func:`.slopes.measure_slopes`.
        """
        self.knobs = knobs
        slopes.measure_slopes(self, knobs)

    def joint_scores(self, moves: list[tuple[list[int], float]]) -> FloatArray | None:
        """Scores with every parameter of each move set to its value, or None.

        See :func:`.columns.joint_scores`.
        """
        return columns.joint_scores(self, moves)

    def sorted_known(self, gap: GapColumn) -> FloatArray:
        """The run's known values of a gap column, sorted (cached)."""
        out = self._sorted.get(gap.column)
        if out is None:
            out = self._sorted[gap.column] = np.sort(self.matrix[gap.known_rows, gap.column])
        return out

    def screen(self, knobs: list[Knob], *, prune: bool = True) -> BoolArray:
        """Measure every parameter's slopes; return the knobs that cannot change the outcome.

        A knob that moves no cell is skipped. Under the weighted sum with ``minmax``,
        ``offset-minmax`` or no normalization, a knob that moves one column is skipped when
        its reach cannot change the outcome (:func:`.columns.reach_prunable`). Other knobs,
        under the additive models, follow the end-point screen of the module docstring. With
        ``prune=False`` none is skipped.
        """
        self.measure(knobs)
        out = np.zeros(len(knobs), dtype=np.bool_)
        if not prune:
            return out
        for q, kn in enumerate(knobs):
            if kn.param >= 0 and not self.slopes[q].cells.size:
                out[q] = True  # moves no cell at all
        rest = [q for q, kn in enumerate(knobs) if kn.param >= 0 and not out[q]]
        if self.exact:
            rows = [q for q in range(len(knobs)) if q in self.column and not out[q]]
            out[rows] = columns.reach_prunable(self, knobs, rows)
            rest = [q for q in rest if q not in self.column]
        setup = self.setup
        if not (
            setup.method in ("weighted-sum", "weighted-product")
            and setup.normalization in PRUNABLE_NORMALIZATIONS
        ):
            return out
        m, n = self.matrix.shape
        half = max(1, self.chunk // 2)
        for start in range(0, len(rest), half):
            rows_ = np.asarray(rest[start : start + half], dtype=np.intp)
            ends = np.array([[knobs[q].domain[0], knobs[q].domain[1]] for q in rows_])
            mats = self.matrices(knobs, np.repeat(rows_, 2), ends.ravel())
            moved = np.asarray(mats != self.matrix[None]).reshape(len(rows_), 2, m, n)
            scores, ok = self._scores(mats)
            if not ok.all():
                continue  # unsure: prune none of these
            winner, rank = self.outcomes(scores)
            flips = self.changed(winner, rank).reshape(len(rows_), 2)
            still = np.logical_not(np.any(flips, axis=1))
            for i, q in enumerate(rows_):
                if not still[i]:
                    continue
                touched = np.flatnonzero(moved[i].any(axis=(0, 2)))
                if touched.size != 1:
                    continue
                t = int(touched[0])
                columns_t: BoolArray = np.asarray(moved[i, :, t].any(axis=0))
                out[q] = self._inside(mats[2 * i : 2 * i + 2], t, columns_t)
        return out

    def _inside(self, mats: FloatArray, t: int, columns: BoolArray) -> bool:
        """Option ``t``'s moved cells stay within the other options' range in each column."""
        if self.setup.normalization == "none":
            return True
        others = np.delete(self.matrix, t, axis=0)
        if not others.size:
            return False
        for j in np.flatnonzero(columns):
            low, high = others[:, j].min(), others[:, j].max()
            if mats[:, t, j].min() < low or mats[:, t, j].max() > high:
                return False
        return True
