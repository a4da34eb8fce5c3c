"""What the live-weights section needs: controls for the template and data for report.js.

The section holds the sliders, one button per profile (its normalized weights), the live
ranking with contribution bars, a head-to-head of two options (the per-criterion terms of
:func:`evaluator.scoring.prepared.criterion_terms`), the view in the URL hash and a copy
command (:func:`command_base` plus one ``--weight C=V`` per slider). Kernel options that
have no command-line flag (VIKOR's ``v``, PROMETHEE's preference functions, set through
the Python API) are not in the command.

The page only aggregates. Python prepares each method's weight-independent part
(:func:`evaluator.scoring.prepared.aggregation_parts`: the normalized matrix, its log, TOPSIS's
unweighted ideal and anti-ideal, PROMETHEE's per-criterion net flows or VIKOR's normalized
distances; m x n, never m x m x n) and embeds it; report.js applies the weights exactly as
:func:`evaluator.scoring.prepared.aggregate` does, so its ranking for slider values v equals
``evaluator score --method M --weight C1=v1 ... --weight Cn=vn`` (one --weight per criterion
fixes the whole vector: w = v / sum(v), evaluator.weights.apply_overrides). With
``--feasibility expected`` the pipeline zeroes the feasibility weight after the overrides, so
the page does too and the feasibility slider is disabled.

Ties come from :mod:`evaluator.scoring.ranking` alone: its tolerance (read when the report
is built) and each option's place in id order are embedded; the page's tie code mirrors that
module and holds no constant of its own. The embedded ranking (``ranking``: option indices
best first, and average ranks) is what the page must reproduce on load at the run's weights,
or it shows an error.
"""

from __future__ import annotations

import shlex
from typing import Any

from ..evaluation import Evaluation
from ..model import FEASIBILITY_ID, Library
from ..scoring import METHODS
from ..scoring import ranking as tie_rule
from ..scoring.prepared import aggregation_parts
from ..weights import profile_weights
from . import charts
from .formatting import fmt

#: Flags the copy command states explicitly (from the run as resolved) or leaves to the
#: sliders (one --weight per slider fixes the whole vector, so --ranking has no say).
_EXPLICIT = ("--profile", "--method", "--normalization", "--feasibility", "--gaps", "--lens-mode")
_SUPERSEDED = ("--weight", "--ranking")

#: Methods whose per-criterion terms add up to the score (or log-score): the live ranking
#: draws them as contribution bars; the others get one bar for the score.
ADDITIVE = ("weighted-sum", "weighted-product", "promethee-ii")


def live_view(ev: Evaluation, library: Library) -> dict[str, Any]:
    """Everything the live-weights section shows: controls, presets, captions, the data."""
    setup = ev.setup
    method = setup.method
    data = slider_data(ev, library)
    weights = [
        f"--weight={c}={float(w)!r}" for c, w in zip(ev.criterion_ids, ev.weights, strict=True)
    ]
    if method in ("weighted-sum", "promethee-ii"):
        what = "w\u2c7c r\u1d62\u2c7c" if method == "weighted-sum" else "w\u2c7c \u03c6\u2c7c"
        bars = (
            f"Bars: each criterion's part of the score ({what}), right of the line for a gain, "
            "left for a loss; on a cost criterion a long segment means little harm."
        )
        total = "Score"
    elif method == "weighted-product":
        bars = (
            "Bars: each criterion's part of the log-score (w\u2c7c ln r\u1d62\u2c7c, "
            "all at most 0)."
        )
        total = "Log-score"
    elif method == "topsis":
        bars = "Bars: the closeness score (higher is better)."
        total = "Sum of the terms"
    else:
        bars = "Bars: 1 \u2212 Q, so the longest bar is the best (Q: lower is better)."
        total = "Sum of the terms"
    if method in ADDITIVE:
        caption = (
            "Each criterion's weighted part of the score for A and for B; the differences add "
            "up to the difference in "
            + ("log-score" if method == "weighted-product" else "score")
            + " (positive: A gains)."
        )
    elif method == "topsis":
        caption = (
            "Weighted normalized values w\u2c7c r\u1d62\u2c7c for A and B and their difference "
            "(positive: A is better there); TOPSIS combines them through distances, so they "
            "do not add up to the score."
        )
    else:
        caption = (
            "Weighted distances to the best, turned round (\u2212w\u2c7c N\u1d62\u2c7c; 0 is the "
            "best option on that criterion), and their difference (positive: A is closer); "
            "VIKOR combines them through S and R, so they do not add up to Q."
        )
    return {
        "controls": slider_controls(ev, library),
        "presets": presets(ev, library),
        "data": data,
        "method": METHODS[method].name,
        "normalization": setup.normalization or "",
        "expected": setup.feasibility == "expected",
        "bars": bars,
        "h2h_caption": caption,
        "h2h_total": total,
        "command": " ".join([*data["command"], *(shlex.quote(a) for a in weights)]),
    }


def slider_controls(ev: Evaluation, library: Library) -> list[dict[str, Any]]:
    """One labelled range input per criterion (feasibility included), at the run's weights."""
    expected = ev.setup.feasibility == "expected"
    crit = {c.id: c for c in library.all_criteria}
    colours, _ = charts.colour_keys(
        [crit[c].name for c in ev.criterion_ids], [crit[c].group or "" for c in ev.criterion_ids]
    )
    return [
        {
            "colour": colour,
            "id": c.id,
            "name": c.name,
            "direction": c.direction,
            "value": repr(float(w)),
            "shown": fmt(float(w)),
            "valuetext": valuetext(float(w), float(w)),
            "disabled": expected and c.id == FEASIBILITY_ID,
        }
        for c, w, colour in zip(library.all_criteria, ev.weights, colours, strict=True)
    ]


def valuetext(value: float, share: float) -> str:
    """What a screen reader says for a slider (report.js writes the same words on input)."""
    return f"{fmt(share)} of the total weight (slider at {fmt(value)})"


def prepared_data(ev: Evaluation) -> dict[str, Any]:
    """The run's weight-independent part, as JSON-ready lists (keys as report.js reads them)."""
    setup = ev.setup
    parts = aggregation_parts(
        setup.method, ev.matrix, setup.evidence.types, setup.normalization, **setup.options
    )
    out: dict[str, Any] = {"values": parts.values.tolist()}
    if parts.ideal is not None and parts.anti_ideal is not None:
        out["ideal"] = parts.ideal.tolist()
        out["antiIdeal"] = parts.anti_ideal.tolist()
    if parts.v is not None and parts.degenerate_rtol is not None:
        out["v"] = parts.v
        out["degenerateRtol"] = parts.degenerate_rtol
    return out


def command_base(ev: Evaluation, library: Library) -> list[str]:
    """``evaluator score LIB`` and every run option in force, shell-quoted, without weights.

    The profile, method, normalization actually used, feasibility, gap policy and lens mode
    are always spelt out; lens, assumptions, option subset and feasibility gate when set
    (:meth:`evaluator.run.RunOptions.command_args`). The page appends one ``--weight C=V``
    per slider, which fixes the whole weight vector (evaluator.weights.apply_overrides).
    LIB is the library's directory name: run the command from the directory holding it.
    """
    setup = ev.setup
    run = setup.run
    args = [f"--profile={setup.profile}", f"--method={setup.method}"]
    if setup.normalization:
        args.append(f"--normalization={setup.normalization}")
    args += [
        f"--feasibility={setup.feasibility}",
        f"--gaps={run.gaps}",
        f"--lens-mode={run.lens_mode}",
    ]
    skip = _EXPLICIT + _SUPERSEDED
    args += [a for a in run.command_args() if a.split("=", 1)[0] not in skip]
    return [shlex.quote(a) for a in ["evaluator", "score", library.name, *args]]


def presets(ev: Evaluation, library: Library) -> list[dict[str, Any]]:
    """One button per profile: its normalized weights, in slider order."""
    ids = list(ev.criterion_ids)
    return [
        {
            "id": p.id,
            "name": p.name,
            "weights": [float(w) for w in profile_weights(p, ids)],
            "current": p.id == ev.setup.profile,
        }
        for p in library.profiles
    ]


def slider_data(ev: Evaluation, library: Library) -> dict[str, Any]:
    """The JSON document report.js reads (embedded with ``|tojson``)."""
    titles = {o.id: o.title for o in library.options}
    setup = ev.setup
    crit = {c.id: c for c in library.all_criteria}
    colours, _ = charts.colour_keys(
        [crit[c].name for c in ev.criterion_ids], [crit[c].group or "" for c in ev.criterion_ids]
    )
    return {
        "criterionNames": [crit[c].name for c in ev.criterion_ids],
        "colours": list(colours),
        "additive": setup.method in ADDITIVE,
        "command": command_base(ev, library),
        "profiles": [{"id": p["id"], "weights": p["weights"]} for p in presets(ev, library)],
        "method": setup.method,
        "methodName": METHODS[setup.method].name,
        "normalization": setup.normalization,
        "higherIsBetter": setup.higher_is_better,
        "feasibility": setup.feasibility,
        "feasibilityIndex": list(ev.criterion_ids).index(FEASIBILITY_ID),
        "criteria": list(ev.criterion_ids),
        "options": [{"id": o, "title": titles[o]} for o in ev.option_ids],
        "prepared": prepared_data(ev),
        "weights": [float(w) for w in ev.weights],
        "ranking": {
            "order": [int(i) for i in ev.order],
            "ranks": [float(r) for r in ev.ranks],
        },
        "ties": {
            "rtol": tie_rule.tie_rtol(),
            "idKeys": [int(k) for k in tie_rule.id_keys(ev.option_ids)],
        },
    }
