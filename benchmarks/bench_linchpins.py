"""Wall time of the whole linchpin analysis on the shipped library (target: under 2 s).

Times ``find_linchpins`` (every judgement searched up and down, sources left out,
preconditions forced, scenario discovery over ``--samples`` draws) on an already loaded
library, median of ``--repeats`` runs, plus the same run with pruning off (every judgement
searched) for comparison. No timing is asserted anywhere.

``--synthetic M N`` builds a seeded random library of M options x N criteria instead (in a
temporary directory; each cell an item with probability 0.3, declared unaffected with 0.6,
else a gap; one to three assessments per item from five sources), to see how the search
scales.

``--suite`` runs the figures of ``benchmarks/README.md`` in one go: the shipped library
(pruning on and off), then synthetic 200 x 30 and 1,000 x 40 (pruning on; the last with
``--big-repeats`` runs, 1 by default, since it takes tens of seconds).

Usage::

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_linchpins.py [--lib scenarios]
        [--repeats 3] [--samples 2000] [--method weighted-sum] [--synthetic 200 20]
        [--suite [--big-repeats 1]]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from evaluator import load_library
from evaluator.sensitivity import find_linchpins

TERMS = ["very unlikely", "unlikely", "roughly even chance", "likely", "very likely"]


def write_synthetic(root: Path, m: int, n: int, seed: int = 0) -> None:
    """A random valid library of ``m`` options x ``n`` criteria (see the module docstring)."""
    rng = np.random.default_rng(seed)
    sources = [f"s{i}" for i in range(5)]
    (root / "options").mkdir(parents=True)
    (root / "sources.yaml").write_text(
        yaml.safe_dump(
            [{"id": s, "title": s, "document": f"{s}.txt", "stance": "Synthetic."} for s in sources]
        ),
        encoding="utf-8",
    )
    criteria = [f"c{j}" for j in range(n)]
    (root / "criteria.yaml").write_text(
        yaml.safe_dump(
            [
                {
                    "id": c,
                    "name": c,
                    "description": "Synthetic.",
                    "direction": "benefit" if j % 3 else "cost",
                }
                for j, c in enumerate(criteria)
            ]
        ),
        encoding="utf-8",
    )
    weights = {c: float(w) for c, w in zip(criteria, rng.uniform(0.5, 2, n), strict=True)}
    profile = {"id": "p", "name": "P", "description": "Synthetic.", "weights": weights}
    profile["weights"]["feasibility"] = 1.0
    (root / "profiles.yaml").write_text(yaml.safe_dump([profile]), encoding="utf-8")

    def views(extra: dict[str, str] | None = None) -> list[dict[str, object]]:
        chosen = rng.choice(sources, size=int(rng.integers(1, 4)), replace=False)
        return [
            {
                "source": str(s),
                "likelihood": TERMS[int(rng.integers(len(TERMS)))],
                "quote": "a synthetic quote of at least six words",
                **(extra or {}),
            }
            for s in chosen
        ]

    for i in range(m):
        benefits, risks, unaffected = [], [], []
        for c in criteria:
            u = rng.random()
            if u < 0.2:
                benefits.append(
                    {
                        "id": f"o{i}-{c}-b",
                        "text": "A gain.",
                        "criterion": c,
                        "magnitude": int(rng.integers(1, 6)),
                        "assessments": views(),
                    }
                )
            elif u < 0.3:
                risks.append(
                    {
                        "id": f"o{i}-{c}-r",
                        "text": "A harm.",
                        "criterion": c,
                        "impact": int(rng.integers(1, 6)),
                        "assessments": views({"mitigable": "partly"}),
                    }
                )
            elif u < 0.9:
                unaffected.append({"criterion": c, "rationale": "Synthetic."})
        doc: dict[str, object] = {
            "id": f"o{i}",
            "title": f"Option {i}",
            "summary": "Synthetic.",
            "theatre": "Nowhere",
            "benefits": benefits,
            "risks": risks,
            "unaffected": unaffected,
        }
        if rng.random() < 0.5:
            doc["preconditions"] = [
                {"id": f"o{i}-pre", "text": "A condition.", "assessments": views()}
            ]
        else:
            unaffected.append({"criterion": "feasibility", "rationale": "Synthetic."})
        (root / "options" / f"o{i}.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")


def run(library: Any, name: str, args: argparse.Namespace, repeats: int, full: bool) -> None:
    """Time ``find_linchpins`` on ``library`` and print one line per pruning setting."""
    for prune in (True, False) if full else (True,):
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            result = find_linchpins(library, method=args.method, samples=args.samples, prune=prune)
            times.append(time.perf_counter() - start)
        print(
            f"find_linchpins {name} ({args.method}, {args.samples:,} draws, "
            f"prune={prune}): median {statistics.median(times):.3f} s over {repeats} "
            f"[{', '.join(f'{t:.3f}' for t in times)}]; {result.searched} judgements searched, "
            f"{result.pruned} pruned, {len(result.judgements)} entries",
            flush=True,
        )


def synthetic(m: int, n: int) -> Any:
    """A loaded synthetic library of ``m`` options x ``n`` criteria."""
    tmp = Path(tempfile.mkdtemp())
    write_synthetic(tmp / "synthetic", m, n)
    return load_library(tmp / "synthetic")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", default="scenarios")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--method", default="weighted-sum")
    parser.add_argument("--synthetic", nargs=2, type=int, metavar=("M", "N"))
    parser.add_argument("--no-full", action="store_true", help="skip the run without pruning")
    parser.add_argument("--suite", action="store_true", help="shipped, 200 x 30, 1,000 x 40")
    parser.add_argument("--big-repeats", type=int, default=1)
    args = parser.parse_args()
    if args.suite:
        run(load_library(args.lib), args.lib, args, args.repeats, not args.no_full)
        run(synthetic(200, 30), "synthetic 200 x 30", args, args.repeats, False)
        run(synthetic(1000, 40), "synthetic 1000 x 40", args, args.big_repeats, False)
        return
    if args.synthetic:
        library = synthetic(*args.synthetic)
        name = "synthetic {} x {}".format(*args.synthetic)
    else:
        library, name = load_library(args.lib), args.lib
    run(library, name, args, args.repeats, not args.no_full)


if __name__ == "__main__":
    main()
