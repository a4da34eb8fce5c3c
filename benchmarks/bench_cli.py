"""Cold wall time of `evaluator score scenarios --format json` (target: under 0.5 s).

Runs the console script in fresh processes (median of N), then prints the slowest imports
on that path from `python -X importtime`, so what remains is visible. Not a unit test:
timing is measured and reported, never asserted.

    python benchmarks/bench_cli.py [--runs 7] [--lib scenarios]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def cold_run(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=REPO, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--lib", default="scenarios")
    opts = parser.parse_args()
    cmd = [sys.executable, "-m", "evaluator", "score", opts.lib, "--format", "json"]
    baseline = [sys.executable, "-c", "pass"]
    numpy_only = [sys.executable, "-c", "import numpy"]
    cold_run(cmd)  # warm the file cache, not the interpreter
    rows = []
    for label, args in (
        ("python -c pass", baseline),
        ("python -c 'import numpy'", numpy_only),
        ("evaluator score --format json", cmd),
    ):
        times = [cold_run(args) for _ in range(opts.runs)]
        rows.append((label, statistics.median(times), min(times)))
    print(f"{'command':34} {'median s':>9} {'min s':>7}")
    for label, median, best in rows:
        print(f"{label:34} {median:9.3f} {best:7.3f}")
    print(f"score / numpy-import floor: {rows[2][1] / rows[1][1]:.2f}x")

    done = subprocess.run(
        [sys.executable, "-X", "importtime", *cmd[1:]],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    imports = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            imports.append((int(parts[1]), parts[2].rstrip()))
    top = [(us, name) for us, name in imports if not name.startswith("    ")]
    print("\nslowest top-level imports on that path (cumulative ms):")
    for us, name in sorted(top, reverse=True)[:8]:
        print(f"  {us / 1000:7.1f}  {name.strip()}")
    heavy = {"pandas", "rich", "jinja2", "scipy"}
    loaded = {name.strip().split(".")[0] for _, name in imports} & heavy
    print(f"heavy modules imported on the JSON path: {sorted(loaded) or 'none'}")


if __name__ == "__main__":
    main()
