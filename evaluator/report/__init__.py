"""The HTML comparison report: build (compute + view-model), render, write.

``build_report`` runs the evaluation, the profile x method comparison, the per-source lenses
and the robustness analysis, turns them into a plain view-model (:mod:`.context`) and renders
it with one jinja2 environment; CSS, JS and SVG are inlined, so the file needs no network.
``write_report`` writes atomically: a temporary file in the target directory, then
``os.replace``, so a failure never leaves a half-written report.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from .. import __version__
from ..atomic import write_text_atomically
from ..evaluation import LibraryLike, as_library, compare, evaluate
from ..run import RunOptions
from ..sensitivity import analyse_sensitivity, find_linchpins
from .context import Results, build_context

__all__ = [
    "build_report",
    "compute_results",
    "default_report_path",
    "render_report",
    "write_report",
]

Progress = Callable[[int, int], None]
#: Draws for the report's scenario discovery: enough for rules about options that win 5%
#: of them (100 wins), far fewer than the rank acceptability needs.
LINCHPIN_SAMPLES = 2_000
#: Above this many options the report leaves the linchpin search out unless asked for it:
#: at 1,000 options it adds about 30 s, taking the report from 41 s to 69 s (DESIGN.md
#: section 8 wants the whole report well under a minute); `evaluator linchpins` runs it on
#: its own.
LINCHPIN_AUTO_LIMIT = 200


def _tojson(value: Any) -> Markup:
    """JSON safe inside ``<script>``: ``<``, ``>``, ``&``, ``'`` and U+2028/2029 escaped.

    Why not jinja's own ``tojson``: it leaves U+2028 and U+2029 alone (pallets/jinja#1882),
    which older JavaScript parsers treat as line ends.
    """
    text = (
        json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return Markup(text)


def _inline_marks(text: str) -> Markup:
    """Plain text with *emphasis* and `code` (the linchpin sentences' marks) as HTML.

    The text is escaped first, so only these two marks become tags.
    """
    escaped = str(escape(text))
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    escaped = re.sub(r"\*([^*]+)\*", r"<em>\1</em>", escaped)
    return Markup(escaped)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one jinja2 environment: package templates, autoescape, strict undefined."""
    env = Environment(
        loader=PackageLoader("evaluator.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["tojson"] = _tojson
    env.filters["marks"] = _inline_marks
    return env


@lru_cache(maxsize=2)
def _static(name: str) -> Markup:
    text = resources.files("evaluator.report").joinpath("static", name).read_text("utf-8")
    return Markup(text)


def render_report(context: dict[str, Any]) -> str:
    """Render a view-model with the report template (CSS and JS inlined)."""
    template = environment().get_template("report.html.j2")
    return template.render(**context, css=_static("report.css"), js=_static("report.js"))


def build_report(
    library: LibraryLike,
    options: RunOptions | Sequence[str] | None = None,
    *,
    samples: int = 20_000,
    seed: int = 0,
    generated_at: dt.datetime | None = None,
    progress: Progress | None = None,
    linchpins: bool | None = None,
    **kwargs: Any,
) -> str:
    """The whole report as one self-contained HTML string, for one run.

    ``library`` is a directory path or a loaded ``Library``; ``options`` (or keyword
    arguments building it) is the run the report shows: its ranking, sliders and manifest.
    ``generated_at`` is printed in the manifest (default: now, UTC); pass it in for
    reproducible bytes. User errors raise ``InputError``.
    """
    results = compute_results(
        library,
        RunOptions.build(options, **kwargs),
        samples=samples,
        seed=seed,
        generated_at=generated_at,
        progress=progress,
        linchpins=linchpins,
    )
    return render_report(build_context(results))


def compute_results(
    library: LibraryLike,
    options: RunOptions | Sequence[str] | None = None,
    *,
    samples: int = 20_000,
    seed: int = 0,
    generated_at: dt.datetime | None = None,
    progress: Progress | None = None,
    linchpins: bool | None = None,
) -> Results:
    """Run everything the report shows: sensitivity (with the main evaluation), the profile x
    method comparison, one evaluation per source lens and the linchpin analysis (scenario
    discovery over :data:`LINCHPIN_SAMPLES` draws, or ``samples`` if fewer), all with the
    same run options. ``linchpins=None`` runs the linchpin search on libraries of up to
    :data:`LINCHPIN_AUTO_LIMIT` options; True or False decides it outright.

    The comparison grid shares the run's lens mode, assumptions, feasibility, gaps and
    option subset (each column its own profile and method, with the method's default
    normalization, so every column exists for every method); each lens is this run seen
    through one source, in the run's lens mode.
    """
    lib = as_library(library)
    run = RunOptions.build(options)
    sensitivity = analyse_sensitivity(lib, run, samples=samples, seed=seed, progress=progress)
    shared = RunOptions.build(
        run,
        profile=None,
        method="weighted-sum",
        normalization=None,
        weights={},
        ranking=None,
        lens=None,
    )
    comparison = compare(lib, shared)
    lenses = {s.id: evaluate(lib, run, lens=s.id) for s in lib.sources}
    if linchpins is None:
        linchpins = len(lib.options) <= LINCHPIN_AUTO_LIMIT
    found = (
        find_linchpins(lib, run, samples=min(samples, LINCHPIN_SAMPLES), seed=seed)
        if linchpins
        else None
    )
    return Results(
        library=lib,
        sensitivity=sensitivity,
        comparison=comparison,
        lenses=lenses,
        version=__version__,
        generated_at=generated_at or dt.datetime.now(tz=dt.UTC),
        linchpins=found,
    )


def default_report_path(library_dir: str | os.PathLike[str], profile: str) -> str:
    """``reports/<library-name>-<profile>.html`` (relative to the working directory)."""
    name = Path(library_dir).resolve().name
    return str(Path("reports") / f"{name}-{profile}.html")


def write_report(path: str | os.PathLike[str], html: str) -> None:
    """Write ``html`` to ``path`` atomically (temp file in the same directory + rename).

    The directory is created if missing. On any failure the temporary file is removed and
    an existing file at ``path`` is left untouched.
    """
    write_text_atomically(path, html)
