"""Wall time of the whole linchpin analysis on the shipped library (target: under 2 s).

Times ``find_linchpins`` (every judgement searched up and down, sources left out,
preconditions forced, scenario discovery over ``--samples`` draws) on an already loaded
library, median of ``--repeats`` runs, plus the same run with pruning off (every judgement
searched) for comparison. No timing is asserted anywhere.

Usage::

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_linchpins.py [--lib scenarios]
        [--repeats 3] [--samples 2000] [--method weighted-sum]
"""

from __future__ import annotations

import argparse
import statistics
import time

from evaluator import load_library
from evaluator.sensitivity import find_linchpins


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", default="scenarios")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--method", default="weighted-sum")
    args = parser.parse_args()
    library = load_library(args.lib)
    for prune in (True, False):
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            result = find_linchpins(library, method=args.method, samples=args.samples, prune=prune)
            times.append(time.perf_counter() - start)
        print(
            f"find_linchpins {args.lib} ({args.method}, {args.samples:,} draws, "
            f"prune={prune}): median {statistics.median(times):.3f} s over {args.repeats} "
            f"[{', '.join(f'{t:.3f}' for t in times)}]; {result.searched} judgements searched, "
            f"{result.pruned} pruned, {len(result.judgements)} entries"
        )


if __name__ == "__main__":
    main()
