"""Wall time and size of the HTML report for the real library (default 20,000 draws).

Builds the report in-process ``--repeats`` times (the library loaded each time, as the CLI
does) and prints the median, min and max build time, the file size, and the wall time of one
``evaluator report`` run in a fresh interpreter (imports included), which is what a user
waits for. Targets: under 2 s wall and under 1.5 MB.

Usage::

    python benchmarks/bench_report.py [LIB] [--repeats 5] [--samples 20000] [--method M]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from evaluator.report import build_report

WALL_TARGET_S = 2.0
SIZE_TARGET_BYTES = 1_500_000


def build_once(lib: str, samples: int, method: str) -> tuple[float, int]:
    start = time.perf_counter()
    html = build_report(
        lib,
        samples=samples,
        method=method,
        generated_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
    )
    return time.perf_counter() - start, len(html.encode("utf-8"))


def cli_wall(lib: str, samples: int, method: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "report.html")
        exe = [sys.executable, "-m", "evaluator", "report", lib, "--out", out, "-q"]
        args = [*exe, "--samples", str(samples), "--method", method]
        env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
        start = time.perf_counter()
        subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lib", nargs="?", default="scenarios")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--samples", type=int, default=20_000)
    parser.add_argument("--method", default="weighted-sum")
    args = parser.parse_args()

    build_once(args.lib, 200, args.method)  # warm caches (templates, imports)
    times, size = [], 0
    for _ in range(args.repeats):
        seconds, size = build_once(args.lib, args.samples, args.method)
        times.append(seconds)
    wall = statistics.median(cli_wall(args.lib, args.samples, args.method) for _ in range(3))
    print(f"report of {args.lib!r}, {args.method}, {args.samples:,} draws")
    print(
        f"  build (in-process): median {statistics.median(times):.3f} s "
        f"(min {min(times):.3f}, max {max(times):.3f}) over {args.repeats} runs"
    )
    print(
        f"  evaluator report, fresh process, median of 3: {wall:.3f} s (target {WALL_TARGET_S} s)"
    )
    print(f"  size: {size:,} bytes ({size / 1e6:.2f} MB; target < {SIZE_TARGET_BYTES / 1e6} MB)")


if __name__ == "__main__":
    main()
