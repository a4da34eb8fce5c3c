"""The ``evaluator`` command line: parses options, calls the API, prints. No scoring here."""

from __future__ import annotations

import functools
import inspect
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from .errors import EvaluatorError, InputError, OptionError

app = typer.Typer(
    name="evaluator",
    help="Compare policy options from source-attributed scenario files.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])

LibArg = Annotated[str, typer.Argument(help="Library directory.", show_default=True)]
FormatOpt = Annotated[
    str, typer.Option("--format", "-f", help="table, csv, json or markdown.", show_default=True)
]
DEBUG_ENV = "EVALUATOR_DEBUG"
# Set by the callback on every invocation, so one run's --debug never leaks into the next.
_debug = {"on": False}


def _err(line: str) -> None:
    from .terminal import printable

    sys.stderr.write(printable(line) + "\n")  # library text may hold terminal escapes


def user_errors(func: F) -> F:
    """The one error boundary: user errors -> plain lines on stderr and exit 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .terminal import guarded_run

        try:
            with guarded_run():
                return func(*args, **kwargs)
        except EvaluatorError as exc:
            if _debug["on"] or os.environ.get(DEBUG_ENV):
                raise
            lines = [flag_message(exc)] if isinstance(exc, OptionError) else exc.lines()
            for line in lines:
                _err(line)
            raise typer.Exit(code=1) from None
        except KeyboardInterrupt:
            _err("interrupted; nothing was written")
            raise typer.Exit(code=130) from None

    return wrapper  # type: ignore[return-value]


def flag_message(exc: OptionError) -> str:
    """An API error about a field, told in terms of the flag the user typed."""
    from .run import FLAGS

    flag = FLAGS.get(exc.field, "--" + exc.field.replace("_", "-"))
    return f"{flag} {exc.key}: {exc.detail}" if exc.key else f"{flag}: {exc.detail}"


def check_format(fmt: str) -> str:
    """Validate ``--format`` (a user error, exit 1, naming the choices)."""
    from .output import FORMATS

    if fmt not in FORMATS:
        raise InputError(f"unknown format '{fmt}'; choose one of: {', '.join(FORMATS)}")
    return fmt


@app.callback()
def main_callback(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks for user errors.")
    ] = False,
) -> None:
    """Compare policy options from source-attributed scenario files."""
    _debug["on"] = debug


@app.command("validate")
@user_errors
def validate_command(
    lib: LibArg = "scenarios",
    corpus: Annotated[
        str | None,
        typer.Option("--corpus", help="Directory of source documents: check every quote in them."),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Reused quotes and near-duplicate items are errors (gaps stay warnings).",
        ),
    ] = False,
) -> None:
    """Load and check a library; with --corpus, check every quote against its document.

    Warnings (gaps, reused quotes, near-duplicate items) go to stderr; with --strict the
    reused quotes and near-duplicates are errors (exit 1).
    """
    from .errors import LibraryError, Problem
    from .library import load_library

    warnings: list[Problem] = []
    library = load_library(lib, corpus=corpus, warnings=warnings)
    errors = [w for w in warnings if strict and w.code != "gap"]
    if errors:
        raise LibraryError(errors)
    for warning in warnings:
        _err(f"warning: {warning}")
    quotes = sum(
        sum(len(b.assessments) for b in o.benefits)
        + sum(len(r.assessments) for r in o.risks)
        + sum(len(p.assessments) for p in o.preconditions)
        for o in library.options
    )
    checked = f"; {quotes} quotes found verbatim in {corpus}" if corpus else f"; {quotes} quotes"
    print(
        f"{lib}: valid: {len(library.options)} options, {len(library.all_criteria)} criteria, "
        f"{len(library.profiles)} profiles, {len(library.sources)} sources{checked}"
    )


@app.command("list")
@user_errors
def list_command(lib: LibArg = "scenarios", fmt: FormatOpt = "table") -> None:
    """List the options, criteria, profiles and sources of a library."""
    from .library import load_library
    from .output import emit, to_json

    check_format(fmt)
    library = load_library(lib)
    doc: dict[str, list[dict[str, Any]]] = {
        "options": [
            {"id": o.id, "title": o.title, "theatre": o.theatre, "tags": list(o.tags)}
            for o in library.options
        ],
        "criteria": [
            {"id": c.id, "name": c.name, "direction": c.direction, "group": c.group}
            for c in library.all_criteria
        ],
        "profiles": [{"id": p.id, "name": p.name} for p in library.profiles],
        "sources": [
            {"id": s.id, "title": s.title, "document": s.document} for s in library.sources
        ],
    }
    if fmt == "json":
        print(to_json(doc))
        return
    for section, items in doc.items():
        columns = list(items[0]) if items else ["id"]
        rows = [
            [", ".join(v) if isinstance(v, list) else v for v in item.values()] for item in items
        ]
        emit(fmt, columns, rows, title=section)
        if fmt != "table":
            print()


@app.command("schema")
@user_errors
def schema_command(
    file: Annotated[
        str,
        typer.Option("--file", help="Root of the schema: option, sources, criteria or profiles."),
    ] = "option",
) -> None:
    """Print the JSON Schema of an option file (other file kinds under $defs)."""
    from .output import to_json
    from .schema_export import FILES, json_schema

    if file not in FILES:
        raise InputError(f"unknown file kind '{file}'; choose one of: {', '.join(FILES)}")
    print(to_json(json_schema(file)))


@app.command("new")
@user_errors
def new_command(
    option_id: Annotated[str, typer.Argument(help="Id of the new option (kebab-case).")],
    lib: LibArg = "scenarios",
) -> None:
    """Write a commented option file to fill in: LIB/options/OPTION_ID.yaml."""
    from .library import load_library
    from .scaffold import check_new_id, option_scaffold

    check_new_id(option_id)
    library = load_library(lib)
    if option_id in {o.id for o in library.options}:
        raise InputError(
            f"option '{option_id}' already exists in {library.option_files[option_id]}"
        )
    target = Path(lib) / "options" / f"{option_id}.yaml"
    if target.exists():
        raise InputError(f"{os.path.join(lib, 'options', option_id + '.yaml')} already exists")
    from .atomic import write_text_atomically

    shown = os.path.join(lib, "options", f"{option_id}.yaml")
    try:
        write_text_atomically(target, option_scaffold(library, option_id, lib))
    except OSError as exc:
        raise InputError(f"{shown}: cannot write the file ({exc.strerror or exc})") from None
    print(shown)


# The run options (DESIGN.md section 7): declared once, added to every verb that takes them
# by :func:`with_run_options`, parsed into one RunOptions.
RUN_OPTION_PARAMETERS: dict[str, tuple[Any, Any]] = {
    "profile": (
        str | None,
        typer.Option("--profile", "-p", help="Weight profile id (default: the library's first)."),
    ),
    "method": (
        str,
        typer.Option(
            "--method",
            "-m",
            help="weighted-sum, weighted-product, topsis, promethee-ii or vikor "
            "(lower Q is better).",
        ),
    ),
    "normalization": (
        str | None,
        typer.Option(
            "--normalization",
            help="minmax, sum, linear, vector, offset-minmax or none (default: the method's own).",
        ),
    ),
    "weight": (
        list[str] | None,
        typer.Option("--weight", "-w", help="C=W: set criterion C's relative weight (repeatable)."),
    ),
    "ranking": (
        str | None,
        typer.Option(
            "--ranking", help="C1,C2+C3,...: rank-order-centroid weights (+ joins a tie)."
        ),
    ),
    "lens": (
        str | None,
        typer.Option(
            "--lens", help="Score as one source sees the benefits, risks and preconditions."
        ),
    ),
    "lens_mode": (
        str,
        typer.Option(
            "--lens-mode",
            help="fallback: pooled values where the lens source is silent; own: only its "
            "own assessments count.",
        ),
    ),
    "assume": (
        list[str] | None,
        typer.Option(
            "--assume", help="PRECONDITION=met|failed|P: force a precondition (repeatable)."
        ),
    ),
    "feasibility": (
        str,
        typer.Option(
            "--feasibility",
            help="weight: a weighted criterion; expected: gains x P(preconditions).",
        ),
    ),
    "gaps": (
        str,
        typer.Option(
            "--gaps",
            help="neutral: a gap takes the median of the options with evidence; zero: no "
            "effect; worst: the worst value.",
        ),
    ),
    "options": (
        str | None,
        typer.Option("--options", help="ID,ID,...: rank only these options."),
    ),
    "min_feasibility": (
        float | None,
        typer.Option(
            "--min-feasibility", help="P: exclude (and list) options whose feasibility is below P."
        ),
    ),
}
RUN_OPTION_DEFAULTS: dict[str, Any] = {
    "profile": None,
    "method": "weighted-sum",
    "normalization": None,
    "weight": None,
    "ranking": None,
    "lens": None,
    "lens_mode": "fallback",
    "assume": None,
    "feasibility": "weight",
    "gaps": "neutral",
    "options": None,
    "min_feasibility": None,
}
#: Options that are per column in ``compare`` (so not shared by its columns).
PER_COLUMN = ("profile", "method", "weight", "ranking", "lens")


def with_run_options(*, exclude: tuple[str, ...] = ()) -> Callable[[F], F]:
    """Give a command every run option (less ``exclude``), parsed into ``run: RunOptions``.

    Why a decorator: typer reads a command's parameters from its signature, so the one
    declaration above is spliced into each command's signature instead of being copied.
    """

    def decorate(func: F) -> F:
        names = [n for n in RUN_OPTION_PARAMETERS if n not in exclude]
        own = inspect.signature(func, eval_str=True)
        kept = [p for p in own.parameters.values() if p.name != "run"]
        added = [
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=RUN_OPTION_DEFAULTS[name],
                annotation=Annotated[
                    RUN_OPTION_PARAMETERS[name][0], RUN_OPTION_PARAMETERS[name][1]
                ],
            )
            for name in names
        ]
        positional = [p for p in kept if p.kind != inspect.Parameter.KEYWORD_ONLY]
        keyword = [
            p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in kept if p not in positional
        ]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            values = {n: kwargs.pop(n) for n in names}
            return func(*args, run=parse_run_options(values), **kwargs)

        signature = own.replace(parameters=[*positional, *keyword, *added])
        wrapper.__signature__ = signature  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in signature.parameters.values()}
        return wrapper  # type: ignore[return-value]

    return decorate


def parse_run_options(values: dict[str, Any]) -> Any:
    """Command-line strings -> one validated RunOptions."""
    from .evaluation import parse_assume_items
    from .run import RunOptions
    from .weights import parse_weight_overrides

    fields = {k: v for k, v in values.items() if k not in ("weight", "options")}
    if values.get("weight") is not None:
        fields["weights"] = parse_weight_overrides(values["weight"])
    if values.get("assume") is not None:
        fields["assume"] = parse_assume_items(values["assume"])
    if values.get("options") is not None:
        fields["options"] = tuple(o.strip() for o in values["options"].split(",") if o.strip())
    return RunOptions(**{k: v for k, v in fields.items() if v is not None or k == "profile"})


def print_notes(notes: list[str] | tuple[str, ...]) -> None:
    """Warnings and explanations go to stderr, never into the JSON on stdout."""
    for note in notes:
        _err(f"note: {note}")


@app.command("score")
@user_errors
@with_run_options()
def score_command(lib: LibArg = "scenarios", fmt: FormatOpt = "table", *, run: Any) -> None:
    """Rank the options under one run, with per-criterion contributions."""
    from .evaluation import evaluate
    from .output import emit, to_json

    check_format(fmt)
    result = evaluate(lib, run)
    doc = result.to_dict()
    print_notes(doc["notes"])
    if fmt == "json":
        print(to_json(doc))
        return
    criteria = list(doc["weights"])
    has_parts = doc["ranking"] and doc["ranking"][0]["contributions"] is not None
    columns = ["rank", "option", "score", *(criteria if has_parts else [])]
    rows = [
        [
            r["rank"],
            r["option"],
            r["score"],
            *([r["contributions"][c] for c in criteria] if has_parts else []),
        ]
        for r in doc["ranking"]
    ]
    direction = "higher is better" if doc["higher_is_better"] else "lower Q is better"
    weights = ", ".join(f"{c} {w:.3f}" for c, w in doc["weights"].items())
    caption = (
        f"profile {doc['profile']}; method {doc['method']} ({direction}); normalization "
        f"{doc['normalization'] or 'n/a'}; feasibility {doc['feasibility']}; gaps {doc['gaps']}"
        + (f"; lens {doc['lens']} ({doc['lens_mode']})" if doc["lens"] else "")
        + f"\nweights: {weights}"
    )
    emit(fmt, columns, rows, title="Ranking", caption=caption)


@app.command("compare")
@user_errors
@with_run_options(exclude=PER_COLUMN)
def compare_command(
    lib: LibArg = "scenarios",
    profiles: Annotated[str, typer.Option("--profiles", help="all, or P1,P2,...")] = "all",
    methods: Annotated[str, typer.Option("--methods", help="all, or M1,M2,...")] = "all",
    lenses: Annotated[
        bool, typer.Option("--lenses", help="Add one column per source lens.")
    ] = False,
    fmt: FormatOpt = "table",
    *,
    run: Any,
) -> None:
    """Ranks of every option under every profile x method (and source lens), with Kendall's tau."""
    from .evaluation import compare
    from .output import emit, to_json

    check_format(fmt)

    def pick(text: str) -> list[str] | None:
        return None if text == "all" else [p.strip() for p in text.split(",") if p.strip()]

    result = compare(lib, run, profiles=pick(profiles), methods=pick(methods), lenses=lenses)
    doc = result.to_dict()
    print_notes(doc["notes"])
    if fmt == "json":
        print(to_json(doc))
        return
    columns = doc["columns"]
    rows = [[row["option"], *(row["ranks"][c] for c in columns)] for row in doc["rows"]]
    emit(fmt, ["option", *columns], rows, title="Ranks (1 = best)")
    if fmt != "csv":
        labels = [f"[{i + 1}]" for i in range(len(columns))]
        tau_rows = [
            [f"[{i + 1}] {a}", *(doc["kendall_tau"][a][b] for b in columns)]
            for i, a in enumerate(columns)
        ]
        emit(fmt, ["Kendall's tau", *labels], tau_rows, title="Rank agreement between columns")


SAMPLES_HELP = "Monte Carlo draws, 1 to 10,000,000."


class LazyProgress:
    """A rich progress bar on stderr that appears only after ~1 s, and only on a terminal."""

    def __init__(self, quiet: bool, description: str = "Monte Carlo") -> None:
        import time

        self.enabled = not quiet and sys.stderr.isatty()
        self.start = time.monotonic()
        self.description = description
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        import time

        if not self.enabled:
            return
        if self.bar is None:
            if time.monotonic() - self.start < 1.0:
                return
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TimeRemainingColumn

            self.bar = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                "{task.completed:,}/{task.total:,} draws",
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.description, total=total)
        self.bar.update(self.task, completed=done, total=total)

    def close(self) -> None:
        """Stop the bar (if it ever started)."""
        if self.bar is not None:
            self.bar.stop()


SamplesOpt = Annotated[int, typer.Option("--samples", "-n", help=SAMPLES_HELP)]
SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed (results depend on it only).")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]


@app.command("sensitivity")
@user_errors
@with_run_options()
def sensitivity_command(
    lib: LibArg = "scenarios",
    samples: SamplesOpt = 20_000,
    seed: SeedOpt = 0,
    no_uncertainty: Annotated[
        bool, typer.Option("--no-uncertainty", help="Sample weights only, not the judgements.")
    ] = False,
    sampling: Annotated[
        str,
        typer.Option("--sampling", help="dirichlet (around the run's weights) or uniform."),
    ] = "dirichlet",
    concentration: Annotated[
        float, typer.Option("--concentration", help="Dirichlet concentration (higher = tighter).")
    ] = 20.0,
    quiet: QuietOpt = False,
    fmt: FormatOpt = "table",
    *,
    run: Any,
) -> None:
    """Stability intervals, tornado, precondition what-ifs and SMAA-2 rank acceptability."""
    from .allocator import keep_freed_memory
    from .output import emit, to_json
    from .sensitivity import analyse_sensitivity

    check_format(fmt)
    keep_freed_memory()
    progress = LazyProgress(quiet)
    try:
        result = analyse_sensitivity(
            lib,
            run,
            samples=samples,
            seed=seed,
            uncertainty=not no_uncertainty,
            sampling=sampling,
            concentration=concentration,
            progress=progress,
        )
    finally:
        progress.close()
    doc = result.to_dict()
    print_notes(doc["notes"])
    if fmt == "json":
        print(to_json(doc))
        return
    sep = "" if fmt == "table" else "\n"
    stab = doc["stability"]
    emit(
        fmt,
        ["criterion", "weight", "low", "high", "rival below", "rival above", "exact"],
        [
            [c, v["weight"], v["low"], v["high"], v["low_rival"], v["high_rival"], str(v["exact"])]
            for c, v in stab.items()
        ],
        title=f"Weight stability: {doc['winner']} stays first while each weight is in [low, high]",
    )
    print(sep, end="")
    options = list(doc["p_best"])
    emit(
        fmt,
        ["option", "P(best)", "SE", "confidence", *[f"rank {r + 1}" for r in range(len(options))]],
        [
            [
                o,
                doc["p_best"][o],
                doc["p_best_se"][o],
                doc["confidence"][o],
                *doc["rank_acceptability"][o],
            ]
            for o in sorted(options, key=lambda o: -doc["p_best"][o])
        ],
        title=f"SMAA-2 rank acceptability ({doc['samples']:,} draws, seed {doc['seed']})",
    )
    print(sep, end="")
    emit(
        fmt,
        ["criterion", "low weight", "high weight", "swing"],
        [[t["criterion"], t["low_weight"], t["high_weight"], t["swing"]] for t in doc["tornado"]],
        title="Tornado (widest swing first)",
    )
    print(sep, end="")
    emit(
        fmt,
        [
            "precondition",
            "option",
            "likelihood",
            "winner if met",
            "winner if failed",
            "changes winner",
        ],
        [
            [
                w["precondition"],
                w["option"],
                w["likelihood"],
                w["winner_if_met"],
                w["winner_if_failed"],
                str(w["changes_winner"]),
            ]
            for w in doc["what_ifs"]
        ],
        title="Precondition what-ifs",
    )


@app.command("linchpins")
@user_errors
@with_run_options()
def linchpins_command(
    lib: LibArg = "scenarios",
    target: Annotated[
        str | None,
        typer.Option("--target", help="Ask about this option's rank instead of the winner."),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="How many judgements to list.")] = 10,
    samples: Annotated[
        int, typer.Option("--samples", "-n", help="Monte Carlo draws for scenario discovery.")
    ] = 2000,
    seed: SeedOpt = 0,
    fmt: FormatOpt = "table",
    *,
    run: Any,
) -> None:
    """Which single judgement, source or assumption the conclusion rests on."""
    from .output import emit, to_json
    from .sensitivity import find_linchpins
    from .terminal import printable

    check_format(fmt)
    doc = find_linchpins(lib, run, target=target, top=top, samples=samples, seed=seed).to_dict()
    print_notes(doc["notes"])
    if fmt == "json":
        print(to_json(doc))
        return
    sep = "" if fmt == "table" else "\n"
    asked = f"{doc['target']}'s rank ({doc['target_rank']:g})" if doc["target"] else "the winner"
    judgements = doc["judgements"]
    emit(
        fmt,
        ["#", "item", "source", "field", "value", "threshold", "dir", "new winner", "fragile"]
        + (["sentence"] if fmt == "csv" else []),
        [
            [
                n + 1,
                j["item"] + (f" x {j['criterion']}" if j["criterion"] else ""),
                j["source"],
                j["field"],
                j["value"],
                j["threshold"],
                j["direction"],
                j["new_winner"],
                "FRAGILE" if j["fragile"] else "",
            ]
            + ([j["sentence"]] if fmt == "csv" else [])
            for n, j in enumerate(judgements)
        ],
        title=f"Judgements that change {asked} (winner {doc['winner']}), fragile first, "
        "then the smallest change",
    )
    if fmt != "csv":
        print(sep, end="")
        for n, j in enumerate(judgements):
            print(printable(f"{n + 1}. {'FRAGILE: ' if j['fragile'] else ''}{j['sentence']}"))
    print(sep, end="")
    emit(
        fmt,
        ["source left out", "winner without it"],
        [[s["source"], s["winner_without"]] for s in doc["sources"]],
        title="Sources left out",
    )
    print(sep, end="")
    emit(
        fmt,
        ["precondition", "option", "winner if met", "winner if failed"],
        [
            [p["precondition"], p["option"], p["winner_if_met"], p["winner_if_failed"]]
            for p in doc["preconditions"]
        ],
        title="Preconditions forced",
    )
    print(sep, end="")
    emit(
        fmt,
        ["option", "rule", "coverage", "density"],
        [
            [
                r["option"],
                " and ".join(
                    f"{c['parameter']} {c['op']} {c['value']:.3g}" for c in r["conditions"]
                )
                or "(none)",
                r["coverage"],
                r["density"],
            ]
            for r in doc["rules"]
        ],
        title=f"Scenario discovery ({doc['samples']:,} draws, seed {doc['seed']})",
    )


@app.command("report")
@user_errors
@with_run_options()
def report_command(
    lib: LibArg = "scenarios",
    out: Annotated[
        str | None,
        typer.Option("--out", "-o", help="Output file (default reports/<lib>-<profile>.html)."),
    ] = None,
    samples: SamplesOpt = 20_000,
    seed: SeedOpt = 0,
    quiet: QuietOpt = False,
    linchpins: Annotated[
        bool | None,
        typer.Option(
            "--linchpins/--no-linchpins",
            help="Include 'What the conclusion rests on' (default: for libraries of up to "
            "200 options).",
        ),
    ] = None,
    *,
    run: Any,
) -> None:
    """Write one self-contained HTML comparison report and print its path."""
    from .allocator import keep_freed_memory
    from .evaluation import as_library
    from .report import build_report, default_report_path, write_report
    from .safety import check_output_target, check_samples

    keep_freed_memory()
    library = as_library(lib)
    run.check(library)
    check_samples(samples)
    check_output_target(
        out or default_report_path(lib, run.profile_id(library)), lib if out else None
    )
    progress = LazyProgress(quiet)
    try:
        html = build_report(
            library,
            run,
            samples=samples,
            seed=seed,
            generated_at=generation_time(),
            progress=progress,
            linchpins=linchpins,
        )
    finally:
        progress.close()
    target = out or default_report_path(lib, run.profile_id(library))
    try:
        write_report(target, html)
    except OSError as exc:
        raise InputError(f"{target}: cannot write the report ({exc.strerror or exc})") from None
    print(target)


def generation_time() -> Any:
    """Now (UTC), or SOURCE_DATE_EPOCH when set, so two runs can give identical bytes."""
    import datetime as dt

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            seconds = int(epoch)
        except ValueError:
            raise InputError(f"SOURCE_DATE_EPOCH must be an integer (got {epoch[:40]!r})") from None
        if not 0 <= seconds <= MAX_EPOCH:
            raise InputError(
                f"SOURCE_DATE_EPOCH must be seconds since 1970 from 0 to {MAX_EPOCH} "
                f"(the end of year 9999); got {epoch[:40]}"
            )
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC)


#: 9999-12-31T23:59:59Z, the last second a ``datetime`` can hold.
MAX_EPOCH = 253_402_300_799


def main() -> None:
    """Console-script entry point."""
    from .terminal import escape_unencodable_output

    escape_unencodable_output()  # a path that is not UTF-8 prints as \xff, never a crash
    app()
