"""SMAA-2 on the shipped library, side by side with a naive floor and the peers.

Measured in one run, medians of --repeats (the machines are shared and noisy):

1. ``--no-uncertainty`` (fixed matrix): our ``run_smaa`` per draw vs a naive numpy floor
   (Dirichlet weights, one matmul on the normalized matrix, argsort; blocks of 100,000).
2. Uncertain judgements: our per-draw time with and without the confidence pass, vs a
   per-draw Python loop over pymcdm's weighted sum (minmax) on the same-size sampled
   matrix (timed on a subset and extrapolated). The three run in turn within each repeat
   and the speed-up is the median of the per-repeat ratios, so machine drift between
   measurements does not enter the ratio. Also timed in turn: drawing the random numbers
   alone (the Dirichlet weights and one uniform per uncertain parameter, block by block),
   the floor under our per-draw cost.
3. VIKOR with uniform weights on the shipped (fixed) matrix: ours vs pyrepo-mcda's
   ``VIKOR_SMAA``, the only other Python SMAA (``pip install pyrepo-mcda``).
4. ``--big``: peak traced memory of the fixed-matrix run at 1,000,000 and 10,000,000 draws.

The process first raises glibc's malloc thresholds, as ``evaluator sensitivity`` and
``evaluator report`` do (:mod:`evaluator.allocator`); ``--default-allocator`` measures without.

    python benchmarks/bench_smaa_peers.py [--draws 200000] [--repeats 5] [--big]
        [--clock wall|cpu] [--lib DIR]

``--clock cpu`` times with this process's CPU time instead of the wall clock: every timed
piece runs single-threaded (``OPENBLAS_NUM_THREADS=1``), so on a machine shared with other
jobs it measures the same work without the waiting.
"""

from __future__ import annotations

import argparse
import inspect
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

from evaluator.allocator import keep_freed_memory
from evaluator.evaluation import prepare, score_setup
from evaluator.scoring import normalize, vikor
from evaluator.sensitivity import DirichletWeights, UniformWeights, run_smaa
from evaluator.sensitivity.smaa import block_rng, block_seed, block_size

REPO = Path(__file__).resolve().parents[1]
CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}
clock = time.perf_counter  # --clock cpu: this process's CPU time, steadier on a loaded machine


def median_time(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times)


def paired_times(fns: list[Callable[[], object]], repeats: int) -> list[list[float]]:
    """Times of each fn, run in turn within every repeat, so drift on a shared machine hits
    all of them alike; ratios are then taken repeat by repeat."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for fn, out in zip(fns, times, strict=True):
            start = clock()
            fn()
            out.append(clock() - start)
    return times


def ratio_summary(slow: list[float], fast: list[float]) -> str:
    """Median and range of the per-repeat ratios slow / fast."""
    ratios = [s / f for s, f in zip(slow, fast, strict=True)]
    return f"{statistics.median(ratios):.0f}x (range {min(ratios):.0f}-{max(ratios):.0f}x)"


def naive_floor(normalized: np.ndarray, w0: np.ndarray, draws: int, kappa: float) -> None:
    rng = np.random.default_rng(0)
    alpha = kappa * w0[w0 > 0]
    block = 100_000
    counts = np.zeros((normalized.shape[0], normalized.shape[0]))
    for start in range(0, draws, block):
        k = min(block, draws - start)
        w = np.zeros((k, w0.size))
        w[:, w0 > 0] = rng.dirichlet(alpha, k)
        order = np.argsort(-(w @ normalized.T), axis=1)
        np.add.at(counts, (order, np.arange(normalized.shape[0])), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--lib", default=str(REPO / "scenarios"))
    parser.add_argument("--big", action="store_true")
    parser.add_argument("--default-allocator", action="store_true")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall")
    opts = parser.parse_args()
    global clock
    clock = CLOCKS[opts.clock]
    tuned = False if opts.default_allocator else keep_freed_memory()

    setup = prepare(opts.lib)
    base = score_setup(setup)
    ids, types = base.option_ids, setup.evidence.types
    m, n = base.matrix.shape
    w0 = setup.weights
    n_params = len(getattr(setup.evidence, "parameters", ()))
    print(
        f"library {opts.lib}: {m} options x {n} criteria, "
        f"{n_params} uncertain parameters; profile {setup.profile}; "
        f"{opts.draws:,} draws; median of {opts.repeats}; {opts.clock} clock; "
        f"malloc thresholds {'raised as the CLI does' if tuned else 'left at their defaults'}\n"
    )

    # The product path (robustness.analyse_sensitivity): normalize each block once.
    def ours_fixed(draws: int) -> object:
        return run_smaa(
            setup.score_prepared,
            DirichletWeights(tuple(w0), 20.0),
            ids,
            n_samples=draws,
            seed=0,
            matrix=base.matrix,
            prepare=setup.prepare_stack,
        )

    normalized = normalize(base.matrix, types, "minmax")
    t_ours = median_time(lambda: ours_fixed(opts.draws), opts.repeats)
    t_floor = median_time(lambda: naive_floor(normalized, w0, opts.draws, 20.0), opts.repeats)
    us = 1e6 / opts.draws
    print("1. fixed matrix (--no-uncertainty), weighted sum")
    print(
        f"   ours  {t_ours * us:8.3f} us/draw   naive floor {t_floor * us:8.3f} us/draw   "
        f"ratio {t_ours / t_floor:.2f}x (target <= 2x)"
    )

    # As analyse_sensitivity calls it: the batched confidence pass and the shape-derived
    # block size where this checkout has them (so the script also runs on older commits,
    # for before/after per-draw comparisons).
    accepted = inspect.signature(run_smaa).parameters
    extra = {
        key: value
        for key, value in (
            ("score_many", getattr(setup, "score_prepared_many", None)),
            ("n_parameters", n_params),
        )
        if key in accepted and value is not None
    }

    # As analyse_sensitivity prepares drawn stacks (in place where this checkout can).
    prepare_drawn = getattr(setup, "prepare_drawn", setup.prepare_stack)

    def ours_uncertain(confidence: bool, draws: int) -> object:
        return run_smaa(
            setup.score_prepared,
            DirichletWeights(tuple(w0), 20.0),
            ids,
            n_samples=draws,
            seed=0,
            draw_matrices=setup.evidence.sample_matrices,
            confidence=confidence,
            prepare=prepare_drawn,
            **extra,
        )

    draws_u = max(20_000, opts.draws // 4)

    from pymcdm.methods import WSM
    from pymcdm.normalizations import minmax_normalization

    wsm = WSM(minmax_normalization)
    rng = np.random.default_rng(0)
    loop_draws = 2_000

    # The loop gets its matrices and weights drawn in advance (by our vectorised sampler),
    # so only pymcdm's per-draw scoring and ranking are timed.
    loop_mats = setup.evidence.sample_matrices(rng, loop_draws)
    loop_w = np.zeros((loop_draws, n))
    loop_w[:, w0 > 0] = rng.dirichlet(20.0 * w0[w0 > 0], loop_draws)

    def pymcdm_loop() -> None:
        for matrix, w in zip(loop_mats, loop_w, strict=True):
            scores = wsm(matrix, w, types, validation=False)
            np.argsort(-scores)

    # The random numbers alone, block by block as run_smaa draws them: the weights and one
    # uniform per uncertain parameter. Why: numpy's generators set a floor under our
    # per-draw cost that no restructuring of the arithmetic can go below.
    size_u = block_size(m, n, n_params)
    sampler = DirichletWeights(tuple(w0), 20.0)

    def random_numbers_only(draws: int) -> None:
        for b, start in enumerate(range(0, draws, size_u)):
            k = min(size_u, draws - start)
            gen = block_rng(block_seed(0, b))
            sampler.sample(gen, k)
            gen.random((n_params, k))

    t_main, t_conf, t_loop, t_rng = paired_times(
        [
            lambda: ours_uncertain(False, draws_u),
            lambda: ours_uncertain(True, draws_u),
            pymcdm_loop,
            lambda: random_numbers_only(draws_u),
        ],
        opts.repeats,
    )
    per_main = [t / draws_u for t in t_main]
    per_conf = [t / draws_u for t in t_conf]
    per_loop = [t / loop_draws for t in t_loop]
    per_rng = [t / draws_u for t in t_rng]
    print("\n2. uncertain judgements (likelihoods, magnitudes, impacts sampled), weighted sum")
    print(f"   ours, rank pass only       {statistics.median(per_main) * 1e6:8.2f} us/draw")
    print(f"   ours, with confidence pass {statistics.median(per_conf) * 1e6:8.2f} us/draw")
    print(
        f"   pymcdm per-draw loop       {statistics.median(per_loop) * 1e6:8.2f} us/draw "
        f"(timed on {loop_draws:,})"
    )
    print(
        f"   speed-up vs pymcdm loop, per repeat (target >= 120x): rank pass "
        f"{ratio_summary(per_loop, per_main)}, with confidence {ratio_summary(per_loop, per_conf)}"
    )
    rng_share = statistics.median(r / t for r, t in zip(per_rng, per_main, strict=True))
    print(
        f"   of the rank pass, random numbers alone (Dirichlet weights, {n_params} uniforms) "
        f"{statistics.median(per_rng) * 1e6:.2f} us/draw ({rng_share:.0%}); with everything "
        f"else free the ratio would be {ratio_summary(per_loop, per_rng)}"
    )

    from pyrepo_mcda.mcda_methods import VIKOR_SMAA

    k = 20_000
    weights = np.random.default_rng(1).dirichlet(np.ones(n), k)

    def ours_vikor() -> object:
        return run_smaa(
            lambda mat, w: vikor(mat, w, types),
            UniformWeights(n),
            ids,
            n_samples=k,
            seed=0,
            matrix=base.matrix,
            higher_is_better=False,
        )

    def pyrepo_vikor() -> object:
        return VIKOR_SMAA()(base.matrix, weights, types)

    t_ov = median_time(ours_vikor, opts.repeats)
    t_pv = median_time(pyrepo_vikor, max(1, opts.repeats // 2))
    print(f"\n3. VIKOR SMAA, uniform weights, fixed matrix, {k:,} draws")
    print(
        f"   ours {t_ov / k * 1e6:8.2f} us/draw   pyrepo-mcda VIKOR_SMAA {t_pv / k * 1e6:8.2f} "
        f"us/draw   speed-up {t_pv / t_ov:.0f}x"
    )

    if opts.big:
        print("\n4. peak traced memory, fixed matrix")
        peaks = {}
        for draws in (1_000_000, 10_000_000):
            tracemalloc.start()
            ours_fixed(draws)
            peaks[draws] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            print(f"   {draws:>10,} draws: {peaks[draws] / 2**20:7.1f} MiB")
        print(f"   ratio 10M / 1M: {peaks[10_000_000] / peaks[1_000_000]:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
