"""SMAA-2 by Monte Carlo: rank acceptability, central weights, confidence factors.

Each draw samples a weight vector (and, optionally, a performance matrix), scores every option
with a batched kernel and ranks them; exact ties are broken by option id, so every row and every
column of the rank acceptability matrix sums to 1. From the counts: rank acceptability
``b_a^r``, first-rank acceptability ``p_best = b_a^1``, central weights ``E[w | a first]``,
standard errors ``sqrt(b (1 - b) / K)``, optional pairwise winning indices ``c_ac``, and
confidence factors from a second pass at each option's central weights (notes/analysis.md
section 5.4).

**Reproducibility (DESIGN.md section 5, contract).** Results depend on the seed and the number
of draws only. Draws come in fixed blocks whose size :func:`block_size` derives from the
problem's shape alone (options, criteria, uncertain parameters), never from the machine;
block ``b`` draws its weights and then its matrices from the stream seeded by
``SeedSequence(seed).spawn(...)[b]`` (a spawned child depends only on its index, so this is
the same stream whatever the number of blocks), the last block drawing only what is left.
Streams use numpy's SFC64 bit generator (see :func:`block_rng`). Per-block results are added
in block order, so ``chunk_blocks`` (how many blocks one vectorised ``score_fn`` call
evaluates) never changes a number, provided ``score_fn`` scores each draw independently of
the others in its batch (true of the evaluator's kernels). The confidence pass draws block
``b``'s matrices from the first child of block ``b``'s sequence. Memory is bounded by one
chunk, whatever ``n_samples``, and one block stays within :data:`BLOCK_BUDGET` bytes whatever
the library's size.

Confidence factors are computed for the :data:`CONFIDENCE_TOP` options with the highest
``p_best`` and any with ``p_best >= CONFIDENCE_MIN_P_BEST`` (DESIGN.md section 5), all their
central weight vectors scored in one batched pass per chunk; the others get NaN (``null``)
and :attr:`SMAAResult.confidence_note` says why.

References: Lahdelma & Salminen (2001), "SMAA-2: Stochastic multicriteria acceptability
analysis for group decision making", Operations Research 49(3); Tervonen & Lahdelma (2007),
"Implementing stochastic multicriteria acceptability analysis", EJOR 178(2).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

import numpy as np
import numpy.typing as npt

from evaluator.scoring.ranking import is_top

from .stability import (
    FloatArray,
    IntArray,
    ScoreFn,
    check_finite_matrix,
    check_weights,
    id_tie_rank,
    oriented_scores,
)

BLOCK_SIZE: Final = 5_000
"""Largest number of draws per block (small problems). Part of the reproducibility contract.

Why 5,000: large enough that per-block overhead (some fifty numpy calls) is spread thin,
small enough that a block's arrays (a few MB) stay cache-near and memory stays flat. On the
shipped library with sampled judgements, in a fresh process with the malloc thresholds the
CLI sets (:mod:`evaluator.allocator`), 1,000 / 2,000 / 5,000 measured 1.25 / 1.19 / 1.10 us
per draw; with glibc's defaults, which refault freed memory, 1.69 / 1.55 / 1.62.
"""

BLOCK_BUDGET: Final = 128 * 2**20
"""Bytes one block of draws may hold (estimated by :func:`block_size`). Part of the contract.

Why 128 MiB: at 1,000 options x 41 criteria a draw holds some 2 MB (its parameters, the
matrix, its normalized copy and the kernel's temporaries), so a block is about 60 draws and a
run with its confidence pass stays far below 1 GiB; every library of up to ~100 options x
40 criteria still gets full blocks of :data:`BLOCK_SIZE`, so their numbers did not change
when the budget was introduced.
"""

CONFIDENCE_TOP: Final = 20
"""Confidence factors are computed for this many options with the highest ``p_best`` ..."""

CONFIDENCE_MIN_P_BEST: Final = 0.01
"""... and for any option with at least this ``p_best`` (DESIGN.md section 5)."""


def block_size(n_options: int, n_criteria: int, n_parameters: int = 0) -> int:
    """Draws per block: a function of the problem's shape only (reproducibility contract).

    One draw is estimated at ``8 * (parameters + 6 m n + 4 m + 2 n)`` bytes: the uniform
    parameter column, the matrix with its normalized copy and the kernels' temporaries (six
    m x n float64 arrays), scores, ranks and weights. The block holds as many draws as fit
    in :data:`BLOCK_BUDGET`, at least 1 and at most :data:`BLOCK_SIZE`. Why the shape and
    never the machine's memory: the block size decides which stream each draw comes from,
    so deriving it from anything else would change the numbers from one machine to the next.
    """
    m, n, u = (
        _integer(v, name, 0)
        for v, name in (
            (n_options, "n_options"),
            (n_criteria, "n_criteria"),
            (n_parameters, "n_parameters"),
        )
    )
    per_draw = 8 * (u + 6 * m * n + 4 * m + 2 * n)
    return max(1, min(BLOCK_SIZE, BLOCK_BUDGET // max(per_draw, 1)))


DrawMatrices = Callable[[np.random.Generator, int], FloatArray]
"""``draw_matrices(rng, k) -> k x m x n`` performance matrices, drawn from ``rng`` only."""

Progress = Callable[[int, int], None]
"""``progress(done, total)``, called after each chunk; ``total`` counts both passes."""

ScoreMany = Callable[[FloatArray, FloatArray], FloatArray]
"""``score_many(matrices, weight_sets)``: (k, m, n) prepared stack and (c, n) -> (c, k, m)."""


class WeightSampler(Protocol):
    """Draws weight vectors on the simplex."""

    @property
    def n_criteria(self) -> int:
        """Length of each weight vector."""
        ...

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """``size x n`` weight vectors, each summing to 1, drawn from ``rng`` only."""
        ...


@dataclass(frozen=True)
class DirichletWeights:
    """Dirichlet(``concentration * profile``): mean ``profile``, Var ``w(1 - w)/(kappa + 1)``.

    Criteria whose profile weight is 0 stay at exactly 0 in every draw, and the others follow
    Dirichlet(``kappa * w0``) over the positive entries. Why: Dirichlet needs every alpha > 0,
    and a zero weight states that the criterion does not count, which sampling should keep.
    """

    profile: tuple[float, ...]
    concentration: float = 20.0

    def __post_init__(self) -> None:
        w = check_weights(self.profile)
        object.__setattr__(self, "profile", tuple(float(x) for x in w))
        kappa = float(self.concentration)
        if not (np.isfinite(kappa) and kappa > 0):
            raise ValueError(f"concentration must be positive and finite, got {kappa}")
        object.__setattr__(self, "concentration", kappa)

    @property
    def n_criteria(self) -> int:
        """Number of criteria."""
        return len(self.profile)

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """``size x n`` draws."""
        w0 = np.asarray(self.profile)
        positive = w0 > 0
        if positive.sum() == 1:  # a point mass; numpy's dirichlet may return 1 - 1e-16
            return np.tile(positive.astype(np.float64), (size, 1))
        draws = rng.dirichlet(self.concentration * w0[positive], size)
        if positive.all():
            return draws
        out = np.zeros((size, w0.size))
        out[:, positive] = draws
        return out


@dataclass(frozen=True)
class UniformWeights:
    """Uniform on the simplex, Dirichlet(1, ..., 1): no preference assumed."""

    n_criteria: int

    def __post_init__(self) -> None:
        if self.n_criteria < 1:
            raise ValueError(f"need at least one criterion, got {self.n_criteria}")

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """``size x n`` draws."""
        return rng.dirichlet(np.ones(self.n_criteria), size)


@dataclass(frozen=True, eq=False)
class SMAAResult:
    """SMAA-2 indices; rows follow ``options``, NaN where an option is never first.

    ``rank_acceptability[a, r]`` is the share of draws with option ``a`` at rank ``r + 1``.
    ``confidence_samples`` is 0 when the matrix is fixed: confidence is then deterministic
    (0 or 1). ``pairwise_winning[a, c]`` is the share of draws with ``a`` ranked above ``c``
    (computed only on request).
    """

    options: tuple[str, ...]
    samples: int
    seed: int
    rank_acceptability: FloatArray
    rank_acceptability_se: FloatArray
    central_weights: FloatArray
    confidence: FloatArray
    confidence_samples: int
    pairwise_winning: FloatArray | None = None
    confidence_note: str | None = None

    @property
    def p_best(self) -> FloatArray:
        """First-rank acceptability ``b_a^1``."""
        return self.rank_acceptability[:, 0]

    @property
    def p_best_se(self) -> FloatArray:
        """Monte Carlo standard error of ``p_best``."""
        return self.rank_acceptability_se[:, 0]

    def to_dict(self, criteria: Sequence[str]) -> dict[str, object]:
        """The SMAA keys of the ``sensitivity`` JSON (DESIGN.md section 7); never best = None."""

        def maybe(x: float) -> float | None:
            return None if np.isnan(x) else float(x)

        out: dict[str, object] = {
            "samples": self.samples,
            "seed": self.seed,
            "rank_acceptability": {
                o: [float(x) for x in row]
                for o, row in zip(self.options, self.rank_acceptability, strict=True)
            },
            "p_best": {o: float(p) for o, p in zip(self.options, self.p_best, strict=True)},
            "p_best_se": {o: float(s) for o, s in zip(self.options, self.p_best_se, strict=True)},
            "central_weights": {
                o: None
                if np.isnan(row).any()
                else {c: float(w) for c, w in zip(criteria, row, strict=True)}
                for o, row in zip(self.options, self.central_weights, strict=True)
            },
            "confidence": {
                o: maybe(float(p)) for o, p in zip(self.options, self.confidence, strict=True)
            },
        }
        if self.confidence_note is not None:
            out["confidence_note"] = self.confidence_note
        if self.pairwise_winning is not None:
            out["pairwise_winning"] = {
                a: {c: float(p) for c, p in zip(self.options, row, strict=True) if c != a}
                for a, row in zip(self.options, self.pairwise_winning, strict=True)
            }
        return out


def block_seed(seed: int, block: int) -> np.random.SeedSequence:
    """Seed of main-pass block ``block``: ``SeedSequence(seed).spawn(n)[block]`` for any n."""
    return np.random.SeedSequence(seed, spawn_key=(block,))


def confidence_block_seed(seed: int, block: int) -> np.random.SeedSequence:
    """Seed of confidence-pass block ``block``: ``block_seed(seed, block).spawn(1)[0]``."""
    return np.random.SeedSequence(seed, spawn_key=(block, 0))


def block_rng(seed: np.random.SeedSequence) -> np.random.Generator:
    """The generator of one block: numpy's SFC64 bit generator seeded by ``seed``.

    Why not ``default_rng`` (PCG64): SFC64 makes uniform doubles about 25% faster and passes
    the same statistical test batteries (numpy's bit-generator docs); each block has its own
    spawned seed, so PCG64's jump-ahead is not needed. Part of the reproducibility contract.
    """
    return np.random.Generator(np.random.SFC64(seed))


def _block_sizes(n_samples: int, size: int) -> list[int]:
    full, rest = divmod(n_samples, size)
    return [size] * full + ([rest] if rest else [])


def confidence_candidates(first_counts: IntArray, n_samples: int, tie_rank: IntArray) -> list[int]:
    """Options whose confidence factor is computed, ascending: see :data:`CONFIDENCE_TOP`.

    Only options ranked first in some draw qualify (the others have no central weights);
    among equal counts the lower id-order rank comes first, so the choice is deterministic.
    """
    ever = [int(a) for a in np.flatnonzero(first_counts > 0)]
    ranked = sorted(ever, key=lambda a: (-int(first_counts[a]), int(tie_rank[a])))
    keep = set(ranked[:CONFIDENCE_TOP])
    keep.update(a for a in ever if first_counts[a] / n_samples >= CONFIDENCE_MIN_P_BEST)
    return sorted(keep)


def confidence_note(n_computed: int, n_left: int) -> str:
    """Why some options that were first in a draw have no confidence factor."""
    return (
        f"confidence factors are computed for the {n_computed} options with the highest "
        f"p_best (the top {CONFIDENCE_TOP} and any with p_best >= {CONFIDENCE_MIN_P_BEST}); "
        f"{n_left} other options that rank first in some draws get null"
    )


def _chunks(sizes: list[int], chunk_blocks: int) -> list[range]:
    return [range(i, min(i + chunk_blocks, len(sizes))) for i in range(0, len(sizes), chunk_blocks)]


def _draw(
    draw_matrices: DrawMatrices, rng: np.random.Generator, size: int, m: int, n: int
) -> FloatArray:
    mats = np.asarray(draw_matrices(rng, size), dtype=np.float64)
    if mats.shape != (size, m, n):
        raise ValueError(f"draw_matrices returned shape {mats.shape}, expected {(size, m, n)}")
    return mats


def _join(parts: list[FloatArray]) -> FloatArray:
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _rank_order(scores: FloatArray, id_order: IntArray | None) -> IntArray:
    """``k x m``: the option at each rank (best first), exact ties in id order."""
    if id_order is None:  # options already in id order
        return np.argsort(-scores, axis=1, kind="stable")
    return id_order[np.argsort(-scores[:, id_order], axis=1, kind="stable")]


class _Tally:
    """Per-block sums, added in block order (integer counts and weight sums)."""

    def __init__(self, m: int, n: int, pairwise: bool) -> None:
        self.m = m
        self.rank_counts = np.zeros((m, m), dtype=np.int64)
        self.first_weight_sums = np.zeros((m, n))
        self.pair_counts = np.zeros((m, m), dtype=np.int64) if pairwise else None
        self._cells = np.arange(m)

    def add_block(self, order: IntArray, weights: FloatArray) -> None:
        m = self.m
        flat = (order * m + self._cells).ravel()
        self.rank_counts += np.bincount(flat, minlength=m * m).reshape(m, m)
        # Weight sums per (first-ranked option, criterion) in one bincount; each bin adds
        # its draws in draw order, as a per-criterion bincount would.
        n = weights.shape[1]
        cells = (order[:, :1] * n + np.arange(n)).ravel()
        self.first_weight_sums += np.bincount(cells, weights.ravel(), m * n).reshape(m, n)
        if self.pair_counts is not None:
            pos = np.empty_like(order)
            np.put_along_axis(pos, order, np.broadcast_to(self._cells, order.shape), axis=1)
            self.pair_counts += (pos[:, :, None] < pos[:, None, :]).sum(axis=0)


def _integer(value: int, name: str, minimum: int) -> int:
    """``value`` as a plain int (numpy integers accepted), or ``ValueError``."""
    try:
        number = operator.index(value)
    except TypeError:
        raise ValueError(f"{name} must be an integer, got {value!r}") from None
    if isinstance(value, bool) or number < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return number


def run_smaa(
    score_fn: ScoreFn,
    weights: WeightSampler,
    options: Sequence[str],
    *,
    n_samples: int,
    seed: int,
    matrix: npt.ArrayLike | None = None,
    draw_matrices: DrawMatrices | None = None,
    higher_is_better: bool = True,
    progress: Progress | None = None,
    chunk_blocks: int = 1,
    pairwise: bool = False,
    confidence: bool = True,
    prepare: Callable[[FloatArray], FloatArray] | None = None,
    score_many: ScoreMany | None = None,
    n_parameters: int = 0,
    block: int | None = None,
) -> SMAAResult:
    """Run SMAA-2 over ``n_samples`` draws (Lahdelma & Salminen 2001; notes section 5.4).

    Give either a fixed ``matrix`` (``m x n``) or ``draw_matrices``. ``score_fn`` is a batched
    kernel (``k x n`` weights against an ``m x n`` matrix or ``k x m x n`` stack, giving
    ``k x m``); ``higher_is_better=False`` for methods such as VIKOR. The confidence factor of
    an option is the share of fresh matrix draws in which, at its central weights, no other
    option scores higher by more than the tie tolerance (JSMAA's rule; Tervonen & Lahdelma
    2007); for a fixed matrix it is computed once and is 0 or 1. ``chunk_blocks`` trades memory
    for speed and never changes a result. ``prepare`` (optional) maps a matrix or stack to
    what ``score_fn`` takes, once per chunk: a weight-independent step such as normalization
    then runs once however many weight vectors score the same draws (the confidence pass
    scores each draw at every first-ranked option's central weights). Each stack from
    ``draw_matrices`` is passed to ``prepare`` once and never read again, so ``prepare`` may
    overwrite it when ``draw_matrices`` returns a new array on every call (as
    :meth:`Evidence.sample_matrices` does); a fixed ``matrix`` it must leave as it is.
    ``confidence=False``
    skips the confidence pass (confidence then NaN). ``score_many`` (optional) scores a
    prepared stack under c weight vectors at once, ``(c, k, m)``, for the confidence pass;
    without it ``score_fn`` is called once per candidate. ``n_parameters`` (the uncertain
    inputs behind ``draw_matrices``) enters :func:`block_size`; ``block`` overrides the
    block size (tests; it changes the numbers, like any other block size). A
    ``KeyboardInterrupt`` propagates
    unchanged; nothing outside this call is modified, and results are built only once every
    draw is counted.
    """
    m, n = len(options), weights.n_criteria
    if m < 1 or len(set(options)) != m:
        raise ValueError("options must be a non-empty sequence of distinct ids")
    n_samples, seed = _integer(n_samples, "n_samples", 1), _integer(seed, "seed", 0)
    if chunk_blocks < 1:
        raise ValueError(f"chunk_blocks must be >= 1, got {chunk_blocks}")
    size = block_size(m, n, n_parameters) if block is None else _integer(block, "block", 1)
    if (matrix is None) == (draw_matrices is None):
        raise ValueError("give exactly one of matrix (fixed) and draw_matrices (sampled)")
    fixed = None
    if matrix is not None:
        fixed = np.asarray(matrix, dtype=np.float64)
        if fixed.shape != (m, n):
            raise ValueError(f"matrix must be {m} x {n} (options x criteria), got {fixed.shape}")
        check_finite_matrix(fixed)
    ready = (lambda x: x) if prepare is None else prepare
    fixed_ready: FloatArray | None = None if fixed is None else ready(fixed)

    tie_rank = id_tie_rank(options)
    id_order = None if np.array_equal(tie_rank, np.arange(m)) else np.argsort(tie_rank)
    sizes = _block_sizes(n_samples, size)
    chunks = _chunks(sizes, chunk_blocks)
    total = n_samples * (2 if confidence and draw_matrices is not None else 1)
    done = 0

    tally = _Tally(m, n, pairwise)
    for blocks in chunks:
        w_parts, m_parts = [], []
        for b in blocks:
            rng = block_rng(block_seed(seed, b))
            w = np.asarray(weights.sample(rng, sizes[b]), dtype=np.float64)
            if w.shape != (sizes[b], n):
                raise ValueError(f"weight sampler returned {w.shape}, expected {(sizes[b], n)}")
            w_parts.append(w)
            if draw_matrices is not None:
                m_parts.append(_draw(draw_matrices, rng, sizes[b], m, n))
        w_chunk = _join(w_parts)
        mats = fixed_ready if fixed_ready is not None else ready(_join(m_parts))
        order = _rank_order(oriented_scores(score_fn, mats, w_chunk, higher_is_better), id_order)
        start = 0
        for b in blocks:
            stop = start + sizes[b]
            tally.add_block(order[start:stop], w_chunk[start:stop])
            start = stop
        done += start
        if progress is not None:
            progress(done, total)

    acceptability = tally.rank_counts / n_samples
    first = tally.rank_counts[:, 0]
    central = np.full((m, n), np.nan)
    best = np.flatnonzero(first > 0).tolist()
    central[best] = tally.first_weight_sums[best] / first[best][:, None]

    conf = np.full(m, np.nan)
    conf_samples = 0
    note = None
    cand = confidence_candidates(first, n_samples, tie_rank) if confidence else []
    if cand and len(cand) < len(best):
        note = confidence_note(len(cand), len(best) - len(cand))
    if cand and fixed_ready is not None:
        at_central = oriented_scores(score_fn, fixed_ready, central[cand], higher_is_better)
        conf[cand] = [float(is_top(at_central[i], a)) for i, a in enumerate(cand)]
    elif cand and draw_matrices is not None:
        hits = np.zeros(m, dtype=np.int64)
        w_sets = central[cand]
        for blocks in chunks:
            mats = ready(
                _join(
                    [
                        _draw(
                            draw_matrices,
                            block_rng(confidence_block_seed(seed, b)),
                            sizes[b],
                            m,
                            n,
                        )
                        for b in blocks
                    ]
                )
            )
            k = sum(sizes[b] for b in blocks)
            scores = _scores_at(score_fn, score_many, mats, w_sets, k, higher_is_better)
            for i, a in enumerate(cand):
                hits[a] += int(is_top(scores[i], a).sum())
            done += k
            if progress is not None:
                progress(done, total)
        conf[cand] = hits[cand] / n_samples
        conf_samples = n_samples

    pair = None if tally.pair_counts is None else tally.pair_counts / n_samples
    for arr in (acceptability, central, conf, pair):
        if arr is not None:
            arr.flags.writeable = False
    return SMAAResult(
        options=tuple(options),
        samples=n_samples,
        seed=seed,
        rank_acceptability=acceptability,
        rank_acceptability_se=np.sqrt(acceptability * (1.0 - acceptability) / n_samples),
        central_weights=central,
        confidence=conf,
        confidence_samples=conf_samples,
        pairwise_winning=pair,
        confidence_note=note,
    )


def _scores_at(
    score_fn: ScoreFn,
    score_many: ScoreMany | None,
    mats: FloatArray,
    w_sets: FloatArray,
    k: int,
    higher_is_better: bool,
) -> FloatArray:
    """(c, k, m) scores of k prepared draws at each of c weight vectors, higher is better."""
    m, n = mats.shape[-2], w_sets.shape[1]
    if score_many is None:
        return np.stack(
            [
                oriented_scores(score_fn, mats, np.broadcast_to(w, (k, n)), higher_is_better)
                for w in w_sets
            ]
        )
    scores = np.asarray(score_many(mats, w_sets), dtype=np.float64)
    if scores.shape != (len(w_sets), k, m):
        raise ValueError(f"score_many returned {scores.shape}, expected {(len(w_sets), k, m)}")
    if not np.all(np.isfinite(scores)):
        check_finite_matrix(mats)  # names the first non-finite input, if there is one
        raise ValueError("score_many returned a non-finite score; refusing to rank on it")
    return scores if higher_is_better else -scores
