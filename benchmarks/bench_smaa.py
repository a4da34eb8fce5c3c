"""Per-draw cost and memory of ``run_smaa`` against a naive numpy floor in the same run.

The floor does the least work that yields rank acceptabilities: Dirichlet weights, one matrix
product (or one einsum over sampled matrices), one argsort and a bincount of rank positions, in
blocks of 100,000, with nothing else (no per-block streams, no central weights, no checks).
``run_smaa`` should stay within 2x of it. Timings are medians over interleaved repeats (the
machine is shared and noisy); peak memory is measured by ``tracemalloc`` in separate runs.

Usage::

    python benchmarks/bench_smaa.py [--repeats 5] [--draws 1000000] [--big]

``--big`` adds a 10,000,000-draw memory run (about a minute).
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from evaluator.sensitivity import BLOCK_SIZE, DirichletWeights, run_smaa

FloatArray = npt.NDArray[np.float64]
M, N = 10, 9
FLOOR_BLOCK = 100_000
KAPPA = 20.0

_rng = np.random.default_rng(2024)
RAW = _rng.uniform(1.0, 10.0, size=(M, N))
TYPES = np.where(np.arange(N) % 3 == 2, -1.0, 1.0)
W0 = _rng.dirichlet(np.ones(N))


def minmax(matrix: FloatArray) -> FloatArray:
    lo = matrix.min(axis=-2, keepdims=True)
    span = matrix.max(axis=-2, keepdims=True) - lo
    up = (matrix - lo) / np.where(span > 0, span, 1.0)
    return np.where(span > 0, np.where(TYPES > 0, up, 1.0 - up), 1.0)


def local_weighted_sum(matrix: FloatArray, weights: FloatArray) -> FloatArray:
    r = minmax(matrix)
    if r.ndim == 2:
        out: FloatArray = weights @ r.T
        return out
    stacked: FloatArray = np.einsum("kmn,kn->km", r, weights)
    return stacked


def pick_kernel() -> tuple[str, Callable[[FloatArray, FloatArray], FloatArray]]:
    try:
        from evaluator.scoring import weighted_sum
    except ImportError:
        return "local weighted sum", local_weighted_sum

    def real(matrix: FloatArray, weights: FloatArray) -> FloatArray:
        return weighted_sum(matrix, weights, TYPES)

    return "evaluator.scoring.weighted_sum", real


def draw_uniform(rng: np.random.Generator, k: int) -> FloatArray:
    return RAW + rng.uniform(-0.5, 0.5, size=(k, M, N))


def floor_fixed(n_draws: int) -> None:
    rng = np.random.default_rng(0)
    values = minmax(RAW)
    alpha = KAPPA * W0
    counts = np.zeros(M * M, dtype=np.int64)
    cells = np.arange(M)
    for start in range(0, n_draws, FLOOR_BLOCK):
        k = min(FLOOR_BLOCK, n_draws - start)
        w = rng.dirichlet(alpha, k)
        order = np.argsort(-(w @ values.T), axis=1)
        counts += np.bincount((order * M + cells).ravel(), minlength=M * M)


def floor_sampled(n_draws: int) -> None:
    rng = np.random.default_rng(0)
    alpha = KAPPA * W0
    counts = np.zeros(M * M, dtype=np.int64)
    cells = np.arange(M)
    for start in range(0, n_draws, FLOOR_BLOCK):
        k = min(FLOOR_BLOCK, n_draws - start)
        w = rng.dirichlet(alpha, k)
        scores = np.einsum("kmn,kn->km", minmax(draw_uniform(rng, k)), w)
        order = np.argsort(-scores, axis=1)
        counts += np.bincount((order * M + cells).ravel(), minlength=M * M)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def compare(
    label: str,
    floor: Callable[[int], None],
    runs: dict[str, Callable[[int], object]],
    n: int,
    repeats: int,
) -> None:
    times: dict[str, list[float]] = {"floor": [], **{name: [] for name in runs}}
    for _ in range(repeats):  # interleaved, so drifting load hits every variant alike
        times["floor"].append(timed(lambda: floor(n)))
        for name, run in runs.items():
            times[name].append(timed(lambda run=run: run(n)))  # type: ignore[misc]
    base = statistics.median(times["floor"])
    print(f"\n{label}: {n:,} draws, median of {repeats}")
    print(f"  {'naive floor':<38} {base / n * 1e6:8.3f} us/draw   1.00x")
    for name in runs:
        t = statistics.median(times[name])
        print(f"  {name:<38} {t / n * 1e6:8.3f} us/draw   {t / base:4.2f}x")


def peak_mib(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--big", action="store_true", help="also a 10M-draw memory run")
    args = parser.parse_args()

    kernel_name, score = pick_kernel()
    ids = [f"option-{i:02d}" for i in range(M)]
    weights = DirichletWeights(tuple(W0), KAPPA)
    print(f"run_smaa vs naive floor; {M} options x {N} criteria; kernel: {kernel_name}")
    print(f"BLOCK_SIZE={BLOCK_SIZE:,}; floor blocks of {FLOOR_BLOCK:,}; numpy {np.__version__}")

    def fixed(n: int, chunk: int = 1, conf: bool = True) -> object:
        return run_smaa(
            score,
            weights,
            ids,
            n_samples=n,
            seed=0,
            matrix=RAW,
            chunk_blocks=chunk,
            confidence=conf,
        )

    def sampled(n: int, chunk: int = 1, conf: bool = False) -> object:
        return run_smaa(
            score,
            weights,
            ids,
            n_samples=n,
            seed=0,
            draw_matrices=draw_uniform,
            chunk_blocks=chunk,
            confidence=conf,
        )

    compare(
        "fixed matrix",
        floor_fixed,
        {
            "run_smaa (chunk_blocks=1)": fixed,
            "run_smaa (chunk_blocks=10)": lambda n: fixed(n, chunk=10),
        },
        args.draws,
        args.repeats,
    )
    n_sampled = max(args.draws // 5, BLOCK_SIZE)
    compare(
        "uniform perturbations (draw_matrices)",
        floor_sampled,
        {
            "run_smaa main pass (chunk_blocks=1)": sampled,
            "run_smaa main pass (chunk_blocks=10)": lambda n: sampled(n, chunk=10),
            "run_smaa + confidence pass": lambda n: sampled(n, conf=True),
        },
        n_sampled,
        args.repeats,
    )

    sizes = [100_000, 1_000_000] + ([10_000_000] if args.big else [])
    print("\npeak traced memory (tracemalloc), chunk_blocks=1")
    print(f"  {'draws':>12} {'fixed matrix':>14} {'perturbations':>15}")
    for n in sizes:
        fixed_peak = peak_mib(lambda n=n: fixed(n))  # type: ignore[misc]
        sampled_peak = peak_mib(lambda n=n: sampled(n, conf=True))  # type: ignore[misc]
        print(f"  {n:>12,} {fixed_peak:>10.1f} MiB {sampled_peak:>11.1f} MiB")


if __name__ == "__main__":
    main()
