"""Scale: the CLI on seeded synthetic libraries of 200 x 30 and 1,000 x 40 (DESIGN.md section 8).

Writes a valid library (YAML) to a temporary directory: each option has 3-6 benefits and
3-6 risks with 1-3 assessments each (likelihoods as ICD 203 terms, numbers and ranges),
1-2 preconditions, and a few options include another (a package deal); criteria alternate
benefit / cost; a few profiles. Every file passes ``load_library`` (checked before timing).
Then, in a fresh process each time, it times ``validate``, ``score --format json``,
``sensitivity --samples 20000 --format json`` and ``report`` (the report for completeness),
and prints the median wall time of ``--repeats`` runs, the median CPU time (user + system;
steadier than wall time on a shared machine) and the largest peak resident memory
(``ru_maxrss`` of the child, from ``os.wait4``).

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_scale.py [--sizes 200x30,1000x40]
        [--repeats 3] [--samples 20000] [--steps validate,score,sensitivity,report]

Further steps: ``linchpins`` (the ``linchpins`` verb, JSON) and ``report-linchpins``
(``report --linchpins``, the search forced on whatever the library's size).

Targets (issue 16): at 1,000 x 40, ``sensitivity`` < 60 s and < 1 GiB; at 200 x 30 < 5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

TERMS = (
    "almost no chance",
    "very unlikely",
    "unlikely",
    "roughly even chance",
    "likely",
    "very likely",
    "almost certain",
)
LETTERS = np.array(list("abcdefghijklmnopqrstuvwxyz"))
N_SOURCES = 8


def _likelihood(rng: np.random.Generator) -> object:
    kind = rng.integers(3)
    if kind == 0:
        return str(TERMS[rng.integers(len(TERMS))])
    if kind == 1:
        return round(float(rng.uniform(0.05, 0.95)), 2)
    low = round(float(rng.uniform(0.05, 0.6)), 2)
    return [low, round(low + float(rng.uniform(0.05, 0.35)), 2)]


def _scale(rng: np.random.Generator) -> object:
    if rng.random() < 0.3:
        low = int(rng.integers(1, 5))
        return [low, int(rng.integers(low + 1, 6))]
    return int(rng.integers(1, 6))


def _words(rng: np.random.Generator, count: int) -> list[str]:
    # random pseudo-words, so the near-duplicate lint sees distinct items
    return ["".join(rng.choice(LETTERS, 7)) for _ in range(count)]


def _quote(rng: np.random.Generator, tag: str) -> str:
    # unique per assessment (the tag), so the reused-quote lint stays quiet
    return " ".join([*_words(rng, 6), tag])


def _text(rng: np.random.Generator, tag: str) -> str:
    return " ".join([tag, *_words(rng, 8)]) + "."


def _assessments(rng: np.random.Generator, tag: str, *, risk: bool) -> list[dict[str, object]]:
    sources = rng.choice(N_SOURCES, int(rng.integers(1, 4)), replace=False)
    out: list[dict[str, object]] = []
    for k, s in enumerate(sorted(int(x) for x in sources)):
        entry: dict[str, object] = {
            "source": f"s{s}",
            "likelihood": _likelihood(rng),
            "quote": _quote(rng, f"{tag}-q{k}"),
        }
        if risk:
            entry["mitigable"] = str(("yes", "partly", "no")[rng.integers(3)])
        out.append(entry)
    return out


def generate_library(root: Path, n_options: int, n_criteria: int, seed: int = 0) -> Path:
    """Write a valid synthetic library of ``n_options`` x (``n_criteria`` + feasibility)."""
    rng = np.random.default_rng(seed)
    (root / "options").mkdir(parents=True)
    criteria = [
        {
            "id": f"c{j}",
            "name": f"Criterion {j}",
            "description": "Synthetic criterion.",
            "direction": "benefit" if j % 2 == 0 else "cost",
        }
        for j in range(n_criteria)
    ]
    ids = [c["id"] for c in criteria] + ["feasibility"]
    profiles = [
        {
            "id": "even",
            "name": "Even",
            "description": "Every criterion counts the same.",
            "weights": dict.fromkeys(ids, 1),
        },
    ]
    for p in range(3):
        weights = {c: int(rng.integers(1, 6)) for c in ids}
        profiles.append(
            {
                "id": f"p{p}",
                "name": f"Profile {p}",
                "description": "Synthetic school.",
                "weights": weights,
            }
        )
    sources = [
        {"id": f"s{s}", "title": f"Source {s}", "document": f"s{s}.txt", "stance": "Synthetic."}
        for s in range(N_SOURCES)
    ]
    for name, data in (("criteria", criteria), ("profiles", profiles), ("sources", sources)):
        (root / f"{name}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    for i in range(n_options):
        oid = f"opt{i}"
        option: dict[str, object] = {
            "id": oid,
            "title": f"Option {i}",
            "summary": "A synthetic option.",
            "theatre": "Synthetic",
        }
        if i % 50 == 49:  # a few package deals
            option["includes"] = [f"opt{i - 1}"]
        option["benefits"] = [
            {
                "id": f"{oid}-b{b}",
                "text": _text(rng, f"{oid}-b{b}"),
                "criterion": str(ids[rng.integers(n_criteria)]),
                "magnitude": _scale(rng),
                "assessments": _assessments(rng, f"{oid}-b{b}", risk=False),
            }
            for b in range(int(rng.integers(3, 7)))
        ]
        option["risks"] = [
            {
                "id": f"{oid}-r{r}",
                "text": _text(rng, f"{oid}-r{r}"),
                "criterion": str(ids[rng.integers(n_criteria)]),
                "impact": _scale(rng),
                "assessments": _assessments(rng, f"{oid}-r{r}", risk=True),
            }
            for r in range(int(rng.integers(3, 7)))
        ]
        option["preconditions"] = [
            {
                "id": f"{oid}-p{p}",
                "text": _text(rng, f"{oid}-p{p}"),
                "assessments": [
                    {k: v for k, v in a.items() if k != "mitigable"}
                    for a in _assessments(rng, f"{oid}-p{p}", risk=False)
                ],
            }
            for p in range(int(rng.integers(1, 3)))
        ]
        (root / "options" / f"{oid}.yaml").write_text(yaml.safe_dump(option, sort_keys=False))
    return root


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak resident MiB of one child; raises if it fails."""
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: a full pipe would block
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{tail}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200x30,1000x40")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--samples", type=int, default=20_000)
    parser.add_argument("--steps", default="validate,score,sensitivity,report")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    env = {**os.environ, "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "1")}
    steps = args.steps.split(",")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes.split(","):
            m, n = (int(x) for x in size.split("x"))
            lib = generate_library(Path(tmp) / size, m, n, args.seed)
            from evaluator.library import load_library

            loaded = load_library(lib)
            assert len(loaded.options) == m, "generated library did not load in full"
            out = Path(tmp) / f"{size}.html"
            report = [
                "report",
                str(lib),
                "--samples",
                str(args.samples),
                "--out",
                str(out),
                "--quiet",
            ]
            commands = {
                "validate": ["validate", str(lib)],
                "score": ["score", str(lib), "--format", "json"],
                "sensitivity": [
                    "sensitivity",
                    str(lib),
                    "--samples",
                    str(args.samples),
                    "--format",
                    "json",
                    "--quiet",
                ],
                "report": report,
                # The linchpin search alone, and the report with it forced on (the report
                # leaves it out by default above 200 options).
                "linchpins": ["linchpins", str(lib), "--format", "json"],
                "report-linchpins": [*report, "--linchpins"],
            }
            for step in steps:
                cmd = [sys.executable, "-m", "evaluator", *commands[step]]
                runs = [run_once(cmd, env) for _ in range(args.repeats)]
                walls = [w for w, _, _ in runs]
                extra = f"{out.stat().st_size / 1e6:.1f} MB" if step.startswith("report") else ""
                row = (
                    size,
                    step,
                    statistics.median(walls),
                    min(walls),
                    max(walls),
                    statistics.median(c for _, c, _ in runs),
                    max(r for _, _, r in runs),
                    extra,
                )
                rows.append(row)
                print(
                    f"{size:>8} {step:<12} median {row[2]:8.2f} s (range {row[3]:.2f}-"
                    f"{row[4]:.2f}), cpu {row[5]:8.2f} s, peak {row[6]:7.0f} MiB {extra}",
                    flush=True,
                )
    print()
    print("| size | step | median s | range s | cpu s | peak MiB | output |")
    print("|---|---|---:|---:|---:|---:|---|")
    for size, step, med, lo, hi, cpu, rss, extra in rows:
        print(
            f"| {size} | {step} | {med:.2f} | {lo:.2f}-{hi:.2f} | {cpu:.2f} | {rss:.0f} | {extra} |"
        )


if __name__ == "__main__":
    main()
