"""Batched scoring kernels against a pymcdm loop and a plain numpy expression, in one run.

For each method, 100,000 weight vectors (Dirichlet, seeded) score one 10 x 9 matrix:

- **ours**: one batched kernel call, ``kernel(matrix, weights[k x n], types)``;
- **numpy**: the textbook formula written as plain numpy broadcasting over the same block
  (k x m x n temporaries, no tricks); ours should stay within 2x of it;
- **pymcdm**: a Python loop calling the same pymcdm method once per weight vector. It is
  timed on a subset (2,000 vectors by default) and extrapolated per vector; ours should be
  at least 100x faster.

Each timing is the median of 5 repeats (the machine is small and shared, so the spread is
printed when it exceeds the median). The three results are checked against each other
before timing (``max |diff|`` against pymcdm). Timings are never asserted anywhere; this
script only prints. On a small shared machine run it with ``OPENBLAS_NUM_THREADS=1``: a
multi-threaded BLAS fighting other processes for two cores makes the tiny matrix products
of the batched kernels 10-30x slower and very noisy.

Usage::

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_kernels.py \\
        [--vectors 100000] [--subset 2000] [--repeats 5] [--seed 0]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from evaluator.scoring import promethee_ii, topsis, vikor, weighted_product, weighted_sum

FloatArray = npt.NDArray[np.float64]
M, N = 10, 9


def _minmax(x: FloatArray, types: FloatArray) -> FloatArray:
    lo, hi = x.min(axis=0), x.max(axis=0)
    return np.where(types > 0, x - lo, hi - x) / (hi - lo)


def _vector(x: FloatArray, types: FloatArray) -> FloatArray:
    unit = x / np.sqrt((x**2).sum(axis=0))
    return np.where(types > 0, unit, 1.0 - unit)


def _sum(x: FloatArray, types: FloatArray) -> FloatArray:
    oriented = np.where(types > 0, x, 1.0 / x)
    return oriented / oriented.sum(axis=0)


def numpy_weighted_sum(x: FloatArray, w: FloatArray, t: FloatArray) -> FloatArray:
    return (_minmax(x, t)[None] * w[:, None, :]).sum(axis=-1)


def numpy_weighted_product(x: FloatArray, w: FloatArray, t: FloatArray) -> FloatArray:
    return np.prod(_sum(x, t)[None] ** w[:, None, :], axis=-1)


def numpy_topsis(x: FloatArray, w: FloatArray, t: FloatArray) -> FloatArray:
    v = _vector(x, t)[None] * w[:, None, :]
    d_plus = np.sqrt(((v - v.max(axis=1, keepdims=True)) ** 2).sum(axis=-1))
    d_minus = np.sqrt(((v - v.min(axis=1, keepdims=True)) ** 2).sum(axis=-1))
    return d_minus / (d_plus + d_minus)


def numpy_promethee_ii(x: FloatArray, w: FloatArray, t: FloatArray) -> FloatArray:
    pref = ((x[:, None, :] - x[None, :, :]) * t > 0).astype(np.float64)  # usual, [a, b, j]
    pi = np.einsum("abj,kj->kab", pref, w)
    return (pi.sum(axis=2) - pi.sum(axis=1)) / (x.shape[0] - 1)


def numpy_vikor(x: FloatArray, w: FloatArray, t: FloatArray) -> FloatArray:
    best = np.where(t > 0, x.max(axis=0), x.min(axis=0))
    worst = np.where(t > 0, x.min(axis=0), x.max(axis=0))
    wd = w[:, None, :] * ((best - x) / (best - worst))[None]
    s, r = wd.sum(axis=-1), wd.max(axis=-1)
    s_lo, s_hi = s.min(axis=1, keepdims=True), s.max(axis=1, keepdims=True)
    r_lo, r_hi = r.min(axis=1, keepdims=True), r.max(axis=1, keepdims=True)
    return 0.5 * (s - s_lo) / (s_hi - s_lo) + 0.5 * (r - r_lo) / (r_hi - r_lo)


@dataclass(frozen=True)
class Case:
    name: str
    ours: Callable[[FloatArray, FloatArray, FloatArray], FloatArray]
    numpy: Callable[[FloatArray, FloatArray, FloatArray], FloatArray]
    pymcdm: Callable[[], Callable[[FloatArray, FloatArray, FloatArray], FloatArray]]


def _cases() -> list[Case]:
    from pymcdm import methods as pm
    from pymcdm import normalizations as pn

    return [
        Case(
            "weighted-sum (minmax)",
            lambda x, w, t: weighted_sum(x, w, t, "minmax"),
            numpy_weighted_sum,
            lambda: pm.WSM(pn.minmax_normalization),
        ),
        Case(
            "weighted-product (sum)",
            lambda x, w, t: weighted_product(x, w, t, "sum"),
            numpy_weighted_product,
            lambda: pm.WPM(pn.sum_normalization),
        ),
        Case(
            "topsis (vector)",
            lambda x, w, t: topsis(x, w, t, "vector"),
            numpy_topsis,
            lambda: pm.TOPSIS(pn.vector_normalization),
        ),
        Case(
            "promethee-ii (usual)",
            lambda x, w, t: promethee_ii(x, w, t, "usual"),
            numpy_promethee_ii,
            lambda: pm.PROMETHEE_II("usual"),
        ),
        Case("vikor (v=0.5)", lambda x, w, t: vikor(x, w, t), numpy_vikor, lambda: pm.VIKOR()),
    ]


def _median_seconds(run: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median and spread (max - min) of ``repeats`` wall-clock timings."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times) - min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", type=int, default=100_000)
    parser.add_argument("--subset", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    matrix = rng.uniform(1.0, 10.0, (M, N))
    types = np.array([1, -1, 1, 1, -1, 1, -1, 1, 1], dtype=np.float64)
    weights = rng.dirichlet(np.ones(N), size=args.vectors)
    subset = weights[: args.subset]

    print(
        f"{args.vectors:,} weight vectors x one {M}x{N} matrix; pymcdm loop timed on "
        f"{args.subset:,} vectors and extrapolated; median of {args.repeats} repeats; "
        f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}"
    )
    header = (
        f"{'method':<24}{'ours ms':>10}{'numpy ms':>10}{'ours/numpy':>11}"
        f"{'pymcdm us/vec':>15}{'pymcdm s (est)':>16}{'speed-up':>10}{'max |diff|':>12}"
    )
    print(header)
    print("-" * len(header))
    for case in _cases():
        method = case.pymcdm()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reference = np.array([method(matrix, w, types) for w in weights[:200]])
        ours_sample = case.ours(matrix, weights[:200], types)
        numpy_sample = case.numpy(matrix, weights[:200], types)
        diff = max(
            float(np.abs(ours_sample - reference).max()),
            float(np.abs(numpy_sample - reference).max()),
        )

        ours_s, ours_spread = _median_seconds(
            lambda c=case: c.ours(matrix, weights, types), args.repeats
        )
        numpy_s, _ = _median_seconds(lambda c=case: c.numpy(matrix, weights, types), args.repeats)

        def loop(
            method: Callable[[FloatArray, FloatArray, FloatArray], FloatArray] = method,
        ) -> None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for w in subset:
                    method(matrix, w, types)

        loop_s, _ = _median_seconds(loop, args.repeats)
        per_vector = loop_s / args.subset
        estimate = per_vector * args.vectors
        print(
            f"{case.name:<24}{ours_s * 1e3:>10.1f}{numpy_s * 1e3:>10.1f}"
            f"{ours_s / numpy_s:>11.2f}{per_vector * 1e6:>15.1f}{estimate:>16.1f}"
            f"{estimate / ours_s:>9.0f}x{diff:>12.1e}"
        )
        if ours_spread > ours_s:
            print(f"  (noisy: ours spread {ours_spread * 1e3:.1f} ms)")
    print(
        "targets: ours/numpy <= 2 (within 2x of plain numpy); speed-up >= 100x over the pymcdm loop"
    )


if __name__ == "__main__":
    main()
