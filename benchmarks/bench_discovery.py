"""Scenario discovery (evaluator.sensitivity.discover_rules) on synthetic Monte Carlo draws.

Usage::

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_discovery.py
    # options: --draws 20000 --features 300 --repeats 5 --seed 0

Draws ``--draws x --features`` uniform inputs; four options win by planted rules on three of
them (the rest is noise), so four options get a rule. Prints the median of ``--repeats`` runs
of the full search (up to two conditions), of the one-condition search alone, and a
plain-numpy floor for the one-condition stage: every candidate box's counts for one option by
broadcasting (``k x p x thresholds`` comparisons), against which the histogram counting is
given as a ratio.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

from evaluator.sensitivity import describe_rule, discover_rules


def timed(fn: Callable[[], object], repeats: int) -> tuple[float, float, float]:
    """Median wall time, its spread, and median CPU time (steadier on a busy shared machine)."""
    walls, cpus = [], []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), max(walls) - min(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--draws", type=int, default=20_000)
    parser.add_argument("--features", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    k, p = args.draws, args.features
    x = rng.random((k, p))
    names = [f"input{j}" for j in range(p)]
    a, b, c = x[:, 0], x[:, 1], x[:, 2]
    winners = np.select([(a <= 0.3) & (b >= 0.6), c > 0.7, c < 0.25], [0, 1, 2], default=3).astype(
        np.intp
    )
    ids = ["air", "sanctions", "talks", "status-quo"]

    full, full_spread, full_cpu = timed(
        lambda: discover_rules(x, names, winners, ids), args.repeats
    )
    one, one_spread, one_cpu = timed(
        lambda: discover_rules(x, names, winners, ids, max_conditions=1), args.repeats
    )

    levels = np.arange(1, 20) / 20
    thresholds = np.quantile(x, levels, axis=0, method="inverted_cdf")  # L x p
    y = winners == 0

    def floor() -> None:
        for t in thresholds:  # one level at a time keeps the temporaries k x p
            below = x <= t
            below.sum(axis=0)
            (below & y[:, None]).sum(axis=0)

    floor_s, _, floor_cpu = timed(floor, args.repeats)
    print(f"draws {k:,} x features {p}, {len(ids)} options with a rule")
    print("median wall s (spread) / median CPU s")
    print(f"full search (<= 2 conditions): {full:.3f} ({full_spread:.3f}) / {full_cpu:.3f}")
    print(f"one condition only:            {one:.3f} ({one_spread:.3f}) / {one_cpu:.3f}")
    print(f"numpy floor, one option's one-condition counts: {floor_s:.3f} / {floor_cpu:.3f}")
    for rule in discover_rules(x, names, winners, ids):
        print(" ", describe_rule(rule))


if __name__ == "__main__":
    main()
