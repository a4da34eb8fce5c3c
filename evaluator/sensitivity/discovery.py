"""Scenario discovery over Monte Carlo draws: the simplest rule under which each option wins.

Given the sampled inputs of every draw (weights and judgements, one column each) and the
option that came first in each draw, find for each option best in at least ``min_share`` of
the draws a rule of one or two conditions (``feature <= v`` / ``feature >= v``) that marks out
where it wins, with the two measures PRIM reports for a box ``B`` (Friedman & Fisher 1999;
Bryant & Lempert 2010; notes/analysis.md section 5.6):

- **coverage** = (draws in ``B`` that the option wins) / (draws the option wins);
- **density** = (draws in ``B`` that the option wins) / (draws in ``B``).

**Selection criterion.** PRIM peels a box and leaves the analyst to pick a point on its
coverage-density trajectory; Bryant & Lempert add interpretability (few restricted dimensions)
and drop restrictions that do not matter. Here the choice is made by a fixed, stated rule so
that the same draws always give the same rules:

1. Candidate thresholds are each feature's order statistics at the quantile levels
   ``1/n, ..., (n-1)/n`` (``n = n_quantiles``; inverse-CDF quantiles, so every threshold is a
   value some draw took), as PRIM peels fixed quantiles of the remaining data.
2. A box is *admissible* when it holds at least ``min_draws`` draws and its coverage is at
   least ``min_coverage``: a rule must describe most of where the option wins, not a corner.
3. Every condition must earn its place: a one-condition rule must raise density by at least
   ``min_gain`` over the option's share of all draws, and a two-condition rule must beat,
   by ``min_gain``, both of its own one-condition halves (Bryant & Lempert's test that each
   restricted dimension matters, made deterministic) and the best one-condition rule.
4. Among admissible rules with the same number of conditions: those whose density is within
   ``tolerance`` of the highest count as equally dense, and of these the one with the highest
   coverage is taken (then the higher density, then the lowest (feature index, op with ``<=``
   first, threshold) of the sorted conditions). Why the tolerance: a box can nearly always be
   made a little denser by giving up much coverage (the threshold grid rarely falls exactly on
   the boundary), and two points of density are not worth a fifth of the wins; this is the
   spirit of CART's one-standard-error rule (Breiman et al. 1984), taking the simpler or
   broader model among those nearly as good as the best.
5. An option with no rule passing 3. gets a rule with no conditions, whose density is its
   share of the draws: it wins about as often whatever the sampled inputs.

**Search.** One-condition boxes are counted from per-feature histograms of threshold codes
(one ``bincount`` over the draws). Two-condition boxes are searched exactly, over every
threshold of both conditions, but only for pairs whose first feature is among the ``beam``
features with the densest admissible one-condition box (a pruned, PRIM-like greedy step: a
pair whose features each show no marginal effect can be missed). For each such feature one
joint histogram (its code x every feature's code) gives all pairs' counts by 2-D prefix sums.
So the work is about ``(1 + options x beam) x k x p`` byte reads and ``bincount`` steps,
linear in the draws and in the features. Work is chunked over draws and blocked over
features, so memory is one byte per draw and feature (the codes) plus bounded blocks; the
features themselves may come as :class:`FeatureColumns`, a few columns at a time, so the
``k x p`` floats never need to be held at once.
With ``beam`` at least the number of features the search is exhaustive (tested against brute
force).

**Why a small tested implementation rather than a library.** The two PRIM packages were
weighed. ema_workbench's PRIM brings statsmodels, SALib, Platypus-Opt, multiprocess,
formulaic, dill and tqdm with it, is built on pandas, and is designed around interactive
box selection (the analyst picks a point on the peeling trajectory). The ``PRIM`` package
needs matplotlib, mplcursors, scipy and pandas. Neither gives what the linchpin report
needs: a deterministic rule of one or two conditions per option, chosen by a stated
criterion, the same for the same draws. The search here is about 500 lines over numpy
alone, checked against brute force and against coverage and density recomputed from the
draws.

References: Friedman & Fisher (1999), "Bump hunting in high-dimensional data", Statistics and
Computing 9(2); Bryant & Lempert (2010), "Thinking inside the box: a participatory,
computer-assisted approach to scenario discovery", Technological Forecasting and Social
Change 77(1); Breiman, Friedman, Olshen & Stone (1984), "Classification and Regression Trees"
(the one-standard-error rule).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from .stability import BoolArray, FloatArray, IntArray

Op = Literal["<=", ">="]
OPS: Final[tuple[Op, Op]] = ("<=", ">=")

_EPS: Final = 1e-12
"""Slack on ``>=`` comparisons of shares, so a gain of exactly ``min_gain`` counts."""

_CHUNK_ROWS: Final = 2048
"""Draws per ``bincount`` call: bounds its index array to ``8 * 2048 * _FEATURE_BLOCK`` bytes."""

_FEATURE_BLOCK: Final = 256
"""Features handled together when building the grid and searching second conditions.

Why: memory then grows with the number of features only through the one-byte codes
(``k x p``), the thresholds and the cached counts, never through ``k x p`` floats or the
two-condition arrays (about ``40 * (n_quantiles - 1)**2 * _FEATURE_BLOCK`` bytes each).
"""

_CACHE_BYTES: Final = 256 * 2**20
"""Cap on the two-condition box counts kept for reuse across options (they depend on the
draws only); past it they are recounted, which changes no number."""


@dataclass(frozen=True)
class Condition:
    """``parameter op value``; ``feature`` is the parameter's column in the features."""

    parameter: str
    op: Op
    value: float
    feature: int

    def holds(self, column: npt.ArrayLike) -> BoolArray:
        """Whether each value of the parameter's column satisfies the condition."""
        col = np.asarray(column, dtype=np.float64)
        out: BoolArray = col <= self.value if self.op == "<=" else col >= self.value
        return out

    def to_dict(self) -> dict[str, object]:
        """DESIGN.md section 7 shape: ``{"parameter", "op", "value"}``."""
        return {"parameter": self.parameter, "op": self.op, "value": self.value}


@dataclass(frozen=True)
class Rule:
    """Where ``option`` wins: a box of ``conditions`` and its PRIM measures.

    ``coverage = wins_in_rule / wins``, ``density = wins_in_rule / draws_in_rule``. With no
    conditions the box is every draw: coverage 1 and density the option's share.
    """

    option: str
    conditions: tuple[Condition, ...]
    coverage: float
    density: float
    wins: int
    draws_in_rule: int
    wins_in_rule: int
    draws: int

    @property
    def share(self) -> float:
        """Share of all draws the option wins."""
        return self.wins / self.draws

    @property
    def mass(self) -> float:
        """Share of all draws inside the rule."""
        return self.draws_in_rule / self.draws

    def contains(self, features: npt.ArrayLike) -> BoolArray:
        """Which rows of a ``k x p`` features array (same columns) fall inside the rule."""
        x = np.asarray(features, dtype=np.float64)
        inside = np.ones(x.shape[0], dtype=np.bool_)
        for c in self.conditions:
            inside &= c.holds(x[:, c.feature])
        return inside

    def to_dict(self) -> dict[str, object]:
        """DESIGN.md section 7 ``rules`` item, plus the counts behind the two shares."""
        return {
            "option": self.option,
            "conditions": [c.to_dict() for c in self.conditions],
            "coverage": self.coverage,
            "density": self.density,
            "wins": self.wins,
            "draws_in_rule": self.draws_in_rule,
            "wins_in_rule": self.wins_in_rule,
        }


@runtime_checkable
class FeatureColumns(Protocol):
    """Features served a block of columns at a time, feature-major.

    Why: with thousands of sampled inputs the ``k x p`` float array is the largest object
    of a linchpin run (640 MB at 2,000 draws of 40,000 inputs), while the search keeps one
    byte per draw and feature; a source that can produce any columns on request (a seeded
    Monte Carlo can redraw them) keeps the floats to a bounded block.
    """

    @property
    def shape(self) -> tuple[int, int]:
        """(draws k, features p)."""
        ...

    def columns(self, lo: int, hi: int) -> FloatArray:
        """Features ``lo .. hi - 1`` of every draw, ``(hi - lo) x k``."""
        ...


@dataclass(frozen=True)
class _ArrayColumns:
    """A ``k x p`` array served as :class:`FeatureColumns` (already checked finite)."""

    x: FloatArray

    @property
    def shape(self) -> tuple[int, int]:
        k, p = self.x.shape
        return k, p

    def columns(self, lo: int, hi: int) -> FloatArray:
        k = self.x.shape[0]
        xt = np.empty((hi - lo, k))
        for start in range(0, k, _CHUNK_ROWS):  # a blocked transpose: cache-friendly
            xt[:, start : start + _CHUNK_ROWS] = self.x[start : start + _CHUNK_ROWS, lo:hi].T
        return xt


def _checked_columns(
    source: FeatureColumns, lo: int, hi: int, names: Sequence[str] | None
) -> FloatArray:
    """``source.columns(lo, hi)`` as floats of the promised shape; with ``names``, checked
    finite (an array given to :func:`discover_rules` is checked whole, up front)."""
    k = source.shape[0]
    xt = np.asarray(source.columns(lo, hi), dtype=np.float64)
    if xt.shape != (hi - lo, k):
        raise ValueError(f"columns({lo}, {hi}) returned shape {xt.shape}, expected {(hi - lo, k)}")
    if names is not None:
        bad = ~np.isfinite(xt)
        if bad.any():
            j, i = (int(v) for v in np.argwhere(bad)[0])
            raise ValueError(
                f"features must be finite: column {names[lo + j]!r} is {xt[j, i]} in draw {i}"
            )
    return xt


@dataclass(frozen=True)
class _Grid:
    """Candidate thresholds and each draw's code against them.

    ``thresholds[j, t]`` are feature ``j``'s distinct candidate values, ascending, padded with
    ``+inf`` (``valid`` is False there). ``codes[j, i] = #{t: u_t < x_ij} + #{t: u_t <= x_ij}``
    with ``u = thresholds[j]`` (feature-major, so each feature's codes are contiguous). Why
    this code: ``x <= u_t`` iff ``code <= 2t + 1`` and ``x >= u_t`` iff ``code >= 2t + 1``, so
    every candidate box is a prefix or a suffix of one small histogram, and one ``bincount``
    counts them all.
    """

    thresholds: FloatArray
    valid: BoolArray
    codes: npt.NDArray[np.uint8]

    @property
    def n_codes(self) -> int:
        return 2 * int(self.thresholds.shape[1]) + 1

    @classmethod
    def build(
        cls, source: FeatureColumns, n_quantiles: int, names: Sequence[str] | None = None
    ) -> _Grid:
        """Thresholds and codes, a block of features at a time (``names``: check them finite)."""
        k, p = source.shape
        n_slots = n_quantiles - 1
        levels = np.arange(1, n_quantiles)
        ranks = np.clip((levels * k + n_quantiles - 1) // n_quantiles - 1, 0, k - 1)
        thresholds = np.full((p, n_slots), np.inf)
        codes = np.zeros((p, k), dtype=np.uint8)
        for lo in range(0, p, _FEATURE_BLOCK):  # a block of features at a time bounds memory
            hi = min(lo + _FEATURE_BLOCK, p)
            xt = _checked_columns(source, lo, hi, names)
            stats = np.partition(xt, ranks, axis=1)[:, ranks]  # non-decreasing along a row
            first = np.ones(stats.shape, dtype=np.bool_)
            first[:, 1:] = stats[:, 1:] != stats[:, :-1]
            slot = np.cumsum(first, axis=1) - 1
            rows, cols = np.nonzero(first)
            thresholds[lo + rows, slot[rows, cols]] = stats[rows, cols]
            # A loop over threshold slots, each comparison vectorised over every draw and
            # feature of the block; the +inf padding adds nothing.
            for t in range(int(slot[:, -1].max(initial=-1)) + 1):
                u = thresholds[lo:hi, t : t + 1]
                codes[lo:hi] += xt > u
                codes[lo:hi] += xt >= u
        return cls(thresholds, np.isfinite(thresholds), codes)

    def _blocks(
        self, rows: BoolArray | None, features: slice | int = slice(None)
    ) -> Iterator[npt.NDArray[np.uint8]]:
        """The codes of ``features`` over the selected draws, a chunk of draws at a time.

        Why the features are picked before the draws: masking draws copies every row it
        keeps, so a joint histogram over one block of features must not copy all of them.
        """
        k = self.codes.shape[1]
        for start in range(0, k, _CHUNK_ROWS):
            block = self.codes[features, start : start + _CHUNK_ROWS]
            yield block if rows is None else block[..., rows[start : start + _CHUNK_ROWS]]

    def histogram(self, rows: BoolArray | None) -> IntArray:
        """``p x S`` counts of codes per feature over the selected draws."""
        p, s = self.codes.shape[0], self.n_codes
        offsets = (np.arange(p, dtype=np.intp) * s)[:, None]
        out = np.zeros(p * s, dtype=np.intp)
        for block in self._blocks(rows):
            out += np.bincount((block + offsets).ravel(), minlength=p * s)
        return out.reshape(p, s)

    def joint_histogram(self, feature: int, rows: BoolArray | None, cols: slice) -> IntArray:
        """``S x c x S`` counts of (code of ``feature``, code of each feature in ``cols``)."""
        s = self.n_codes
        c = len(range(*cols.indices(self.codes.shape[0])))
        offsets = (np.arange(c, dtype=np.intp) * s)[:, None]
        out = np.zeros(s * c * s, dtype=np.intp)
        blocks = zip(self._blocks(rows, feature), self._blocks(rows, cols), strict=True)
        for lead_codes, block in blocks:
            lead = lead_codes.astype(np.intp) * (c * s)
            out += np.bincount((block + offsets + lead).ravel(), minlength=s * c * s)
        return out.reshape(s, c, s)


def _both_ops(h: IntArray, axis: int) -> IntArray:
    """Counts of ``<= u_t`` and ``>= u_t`` boxes from a code histogram along ``axis``.

    Returns the histogram with ``axis`` replaced by the threshold slot ``t`` and a new leading
    axis for the op (0: ``<=``, 1: ``>=``): ``<=`` sums codes ``0..2t+1``, ``>=`` the rest
    from ``2t+1`` on, that is the total less codes ``0..2t``.
    """
    cum = np.cumsum(np.moveaxis(h, axis, -1), axis=-1)
    le = cum[..., 1::2]
    ge = cum[..., -1:] - cum[..., 0:-1:2]
    return np.stack([np.moveaxis(le, -1, axis), np.moveaxis(ge, -1, axis)])


def _shares(w: IntArray, n: IntArray, wins: int) -> tuple[FloatArray, FloatArray]:
    density = np.divide(w, n, out=np.zeros(w.shape), where=n > 0)
    return density, w / wins


def _near_best(density: FloatArray, mask: BoolArray, tolerance: float) -> BoolArray:
    """Admissible entries whose density is within ``tolerance`` of the highest."""
    out: BoolArray = mask & (density >= np.where(mask, density, -np.inf).max() - tolerance - _EPS)
    return out


@dataclass(frozen=True)
class _Box:
    conditions: tuple[tuple[int, int, int], ...]  # (feature, op, slot), sorted
    draws_in: int
    wins_in: int


@dataclass(frozen=True)
class _Settings:
    min_share: float
    max_conditions: int
    min_coverage: float
    min_draws: int
    min_gain: float
    tolerance: float
    n_quantiles: int
    beam: int

    def __post_init__(self) -> None:
        checks = [
            ("min_share", 0 < self.min_share <= 1, "in (0, 1]"),
            ("max_conditions", self.max_conditions in (1, 2), "1 or 2"),
            ("min_coverage", 0 < self.min_coverage <= 1, "in (0, 1]"),
            ("min_draws", self.min_draws >= 1, "at least 1"),
            ("min_gain", 0 <= self.min_gain < 1, "in [0, 1)"),
            ("tolerance", 0 <= self.tolerance < 1, "in [0, 1)"),
            ("n_quantiles", 2 <= self.n_quantiles <= 128, "in 2..128"),
            ("beam", self.beam >= 1, "at least 1"),
        ]
        for name, ok, allowed in checks:
            if not ok:
                raise ValueError(f"{name} must be {allowed}, got {getattr(self, name)!r}")


def discover_rules(
    features: npt.ArrayLike | FeatureColumns,
    names: Sequence[str],
    winners: npt.ArrayLike,
    option_ids: Sequence[str],
    *,
    min_share: float = 0.05,
    max_conditions: int = 2,
    min_coverage: float = 0.5,
    min_draws: int = 20,
    min_gain: float = 0.05,
    tolerance: float = 0.02,
    n_quantiles: int = 20,
    beam: int = 5,
) -> list[Rule]:
    """The simplest rule of at most ``max_conditions`` conditions under which each option wins.

    Parameters
    ----------
    features
        ``k x p``: draw ``i``'s value of each sampled input (a weight, a likelihood...); or
        a :class:`FeatureColumns` serving them a block of columns at a time (same rules).
    names
        The ``p`` column names, used as each condition's ``parameter``.
    winners
        ``k`` integers: the index into ``option_ids`` of the option best in each draw.
    option_ids
        The ``m`` option ids.
    min_share
        Options best in fewer than this share of the draws get no rule.
    max_conditions
        1 or 2.
    min_coverage, min_draws, min_gain, tolerance, n_quantiles, beam
        The selection criterion and the search of the module docstring.

    Returns
    -------
    list of Rule
        One per option with ``wins / k >= min_share``, most wins first (ties by position in
        ``option_ids``). Same inputs give identical rules.

    Raises
    ------
    ValueError
        On shapes that do not match, non-finite features, winners that do not index
        ``option_ids``, duplicate names or ids, or settings out of range.
    """
    settings = _Settings(
        min_share, max_conditions, min_coverage, min_draws, min_gain, tolerance, n_quantiles, beam
    )
    source, win, unchecked = _check(features, names, winners, option_ids)
    k = source.shape[0]
    counts = np.bincount(win, minlength=len(option_ids))
    chosen = [
        int(a) for a in np.argsort(-counts, kind="stable") if counts[a] / k >= min_share - _EPS
    ]
    if not chosen:
        return []
    grid = _Grid.build(source, n_quantiles, names if unchecked else None)
    n1 = _both_ops(grid.histogram(None), axis=1)  # op x feature x slot
    cache: dict[tuple[int, int], IntArray] = {}  # box counts: the same for every option
    rules = []
    for a in chosen:
        wins = int(counts[a])
        box = _search(grid, n1, win == a, wins, cache, settings)
        rules.append(_to_rule(box, str(option_ids[a]), wins, k, grid, names))
    return rules


def _search(
    grid: _Grid,
    n1: IntArray,
    y: BoolArray,
    wins: int,
    cache: dict[tuple[int, int], IntArray],
    settings: _Settings,
) -> _Box:
    """The chosen box for one option (criterion in the module docstring)."""
    p, k = grid.codes.shape
    w1 = _both_ops(grid.histogram(y), axis=1)  # op x feature x slot
    d1, c1 = _shares(w1, n1, wins)
    ok1 = grid.valid[None] & (n1 >= settings.min_draws) & (c1 >= settings.min_coverage - _EPS)
    keep1 = ok1 & (d1 >= wins / k + settings.min_gain - _EPS)
    best, best_density = _Box((), k, wins), wins / k
    if keep1.any():
        near = _near_best(d1, keep1, settings.tolerance)
        # Highest coverage, then density, then lowest (feature, op, slot); lexsort's primary
        # key is the last one it is given.
        op, f, t = np.nonzero(near)
        i = int(np.lexsort((t, op, f, -d1[near], -c1[near]))[0])
        at = (op[i], f[i], t[i])
        best = _Box(((int(f[i]), int(op[i]), int(t[i])),), int(n1[at]), int(w1[at]))
        best_density = float(d1[at])
    if settings.max_conditions < 2 or p == 0:
        return best
    per_feature = np.where(ok1, d1, -np.inf).max(axis=(0, 2))
    seeds = [int(j) for j in np.argsort(-per_feature, kind="stable")[: settings.beam]]
    found: list[tuple[FloatArray, FloatArray, IntArray, IntArray, IntArray]] = []
    for j in (j for j in seeds if np.isfinite(per_feature[j])):
        for lo in range(0, p, _FEATURE_BLOCK):
            cols = slice(lo, min(lo + _FEATURE_BLOCK, p))
            n2 = cache.get((j, lo))
            if n2 is None:
                n2 = _both_ops(_both_ops(grid.joint_histogram(j, None, cols), 2), 1)
                if sum(v.nbytes for v in cache.values()) + n2.nbytes <= _CACHE_BYTES:
                    cache[j, lo] = n2
            # n2, w2: op_j x op_f x slot_j x feature (of the block) x slot_f
            w2 = _both_ops(_both_ops(grid.joint_histogram(j, y, cols), 2), 1)
            d2, c2 = _shares(w2, n2, wins)
            d1_f = d1[:, cols, :]
            halves = np.maximum(d1[:, j, :][:, None, :, None, None], d1_f[None, :, None, :, :])
            ok2 = (
                grid.valid[j][None, None, :, None, None]
                & grid.valid[None, None, None, cols, :]
                & (n2 >= settings.min_draws)
                & (c2 >= settings.min_coverage - _EPS)
                & (d2 >= halves + settings.min_gain - _EPS)
            )
            if cols.start <= j < cols.stop:  # same feature, same op: one condition in disguise
                ok2[0, 0, :, j - lo, :] = False
                ok2[1, 1, :, j - lo, :] = False
            if ok2.any():
                near = _near_best(d2, ok2, settings.tolerance)
                pairs = _sorted_pairs(j, lo, near)
                found.append((d2[near], c2[near], n2[near], w2[near], pairs))
    if not found:
        return best
    d, c, n, w, pairs = (np.concatenate(parts) for parts in zip(*found, strict=True))
    near = d >= d.max() - settings.tolerance - _EPS
    d, c, n, w, pairs = d[near], c[near], n[near], w[near], pairs[near]
    i = int(np.lexsort((*pairs.T[::-1], -d, -c))[0])
    if d[i] < best_density + settings.min_gain - _EPS:
        return best
    fa, opa, ta, fb, opb, tb = (int(v) for v in pairs[i])
    return _Box(((fa, opa, ta), (fb, opb, tb)), int(n[i]), int(w[i]))


def _sorted_pairs(j: int, lo: int, near: BoolArray) -> IntArray:
    """``(f_a, op_a, t_a, f_b, op_b, t_b)`` rows for the entries of ``near`` (second features
    numbered from ``lo``), each pair of conditions sorted by (feature, op, slot), so a box's
    key does not depend on its seed."""
    op_j, op_f, t_j, f_in_block, t_f = np.nonzero(near)
    f = f_in_block + lo
    lead = np.column_stack([np.full(f.shape, j), op_j, t_j]).astype(np.intp)
    other = np.column_stack([f, op_f, t_f]).astype(np.intp)
    other_first = (
        (other[:, 0] < lead[:, 0])
        | ((other[:, 0] == lead[:, 0]) & (other[:, 1] < lead[:, 1]))
        | ((other[:, 0] == lead[:, 0]) & (other[:, 1] == lead[:, 1]) & (other[:, 2] < lead[:, 2]))
    )[:, None]
    first = np.where(other_first, other, lead)
    second = np.where(other_first, lead, other)
    out: IntArray = np.concatenate([first, second], axis=1)
    return out


def _to_rule(box: _Box, option: str, wins: int, k: int, grid: _Grid, names: Sequence[str]) -> Rule:
    conditions = tuple(
        Condition(str(names[f]), OPS[op], float(grid.thresholds[f, t]), f)
        for f, op, t in box.conditions
    )
    return Rule(
        option=option,
        conditions=conditions,
        coverage=box.wins_in / wins,
        density=box.wins_in / box.draws_in,
        wins=wins,
        draws_in_rule=box.draws_in,
        wins_in_rule=box.wins_in,
        draws=k,
    )


def _check(
    features: npt.ArrayLike | FeatureColumns,
    names: Sequence[str],
    winners: npt.ArrayLike,
    option_ids: Sequence[str],
) -> tuple[FeatureColumns, IntArray, bool]:
    """The features as columns, the winners as indices, and whether the columns still need
    their finiteness check (a :class:`FeatureColumns` is checked block by block)."""
    source: FeatureColumns
    if isinstance(features, FeatureColumns):
        source, unchecked = features, True
        k, p = (int(v) for v in source.shape)
        if k == 0:
            raise ValueError("features must hold k >= 1 draws, got 0")
    else:
        x = np.asarray(features, dtype=np.float64)
        if x.ndim != 2 or x.shape[0] == 0:
            raise ValueError(
                f"features must be a k x p array with k >= 1 draws, got shape {x.shape}"
            )
        k, p = x.shape
        bad = ~np.isfinite(x)
        if bad.any() and len(names) == p:
            i, j = (int(v) for v in np.argwhere(bad)[0])
            raise ValueError(
                f"features must be finite: column {names[j]!r} is {x[i, j]} in draw {i} "
                f"({int(bad.sum())} non-finite values in all)"
            )
        source, unchecked = _ArrayColumns(x), False
    if len(names) != p:
        raise ValueError(f"names has {len(names)} entries but features has {p} columns")
    if len(set(names)) != p:
        raise ValueError("names must be unique")
    w = np.asarray(winners)
    if w.shape != (k,):
        raise ValueError(f"winners must have shape ({k},) to match features, got {w.shape}")
    if w.dtype == np.bool_ or not np.issubdtype(w.dtype, np.integer):
        raise ValueError(f"winners must be integer option indices, got dtype {w.dtype}")
    m = len(option_ids)
    if m == 0 or len(set(option_ids)) != m:
        raise ValueError("option_ids must be non-empty and unique")
    if w.min() < 0 or w.max() >= m:
        raise ValueError(
            f"winners must index option_ids (0..{m - 1}), got values in {w.min()}..{w.max()}"
        )
    return source, w.astype(np.intp), unchecked


def describe_rule(rule: Rule, labels: Mapping[str, str] | None = None, *, digits: int = 2) -> str:
    """State a rule in plain words for the report.

    ``labels`` maps option ids and parameter names to the words to print (the names
    themselves by default); thresholds are shown to ``digits`` significant figures, the shares
    as whole percentages (never 100 % or 0 % unless exact).
    """
    words = labels or {}
    who = words.get(rule.option, rule.option)
    if not rule.conditions:
        return (
            f"{who} wins in {_percent(rule.density)} of all draws; no rule of one or two "
            "conditions on the sampled inputs marks out where it wins more often"
        )
    where = " and ".join(
        f"{words.get(c.parameter, c.parameter)} {c.op} {_number(c.value, digits)}"
        for c in rule.conditions
    )
    return (
        f"{who} wins in {_percent(rule.density)} of the draws where {where} "
        f"(covering {_percent(rule.coverage)} of its wins)"
    )


def _percent(share: float) -> str:
    r = round(100 * share)
    if r == 100 and share < 1:
        r = 99
    elif r == 0 and share > 0:
        r = 1
    return f"{r}%"


def _number(value: float, digits: int) -> str:
    if value == 0:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
