"""The report's view-model: result objects in, plain dicts, lists and strings out.

This is the only report code that knows result shapes (notes/style.md section 2.1);
templates receive nothing they could call. Numbers are formatted here with fixed decimals
so the same results always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..evaluation import Comparison, Evaluation, kendall_tau_b
from ..model import FEASIBILITY_ID, ICD203_TERMS, Library
from ..scoring import METHODS, normalize, order, rank, vikor_sr
from ..scoring.prepared import aggregation_parts, criterion_terms
from ..scoring.promethee import promethee_flows
from ..sensitivity import Linchpins, Sensitivity
from ..weights import profile_weights
from . import charts
from .evidence_view import matrix_view, option_cards, source_view, source_views
from .formatting import count, fmt, icd_term, number, percent
from .sliders import live_view
from .summary import (
    chance,
    compose_verdict,
    contenders,
    short_label,
    verdict_facts,
    what_if_rows,
)
from .views import benefit_harm, promethee_one, vikor_compromise, weight_sweep

View = dict[str, Any]


@dataclass(frozen=True)
class Results:
    """Everything one report shows, computed by :func:`evaluator.report.build_report`."""

    library: Library
    sensitivity: Sensitivity
    comparison: Comparison
    lenses: Mapping[str, Evaluation]  # source id -> the run seen through that source
    version: str
    generated_at: dt.datetime
    linchpins: Linchpins | None = None  # what the conclusion rests on (None: not computed)

    @property
    def evaluation(self) -> Evaluation:
        """The report's main run."""
        return self.sensitivity.evaluation


#: Options shown in full detail (cards, matrix, coverage, acceptability and the other
#: per-option tables); past it each further option gets one compact row (issue 16).
DETAIL = 25


def build_context(results: Results) -> View:
    """The whole view-model, one key per report section."""
    lib, ev = results.library, results.evaluation
    view = {
        "title": f"Policy options compared: {lib.name}",
        "manifest": manifest(results),
        "verdict": verdict(results),
        "ranking": ranking(ev, lib, limit=DETAIL),
        "views": analyst_views(ev, lib, limit=DETAIL),
        "comparison": comparison(ev, results.comparison, lib),
        "matrix": matrix_view(ev, lib),
        "sources": source_view(ev, results.lenses, lib),
        "coverage": coverage(ev, lib),
        "cards": cards(results),
        "robustness": robustness(results.sensitivity, lib),
        "linchpins": linchpin_view(results.linchpins, lib),
        "sliders": live_view(ev, lib),
        "appendix": appendix(ev, lib),
    }
    view["scale"] = at_scale(view, results, DETAIL)
    return view


def at_scale(view: View, results: Results, detail: int) -> View:
    """Cut every per-option table to the ``detail`` best-ranked options (in place) and
    return the compact rows of the others (rank order) with the note that says so.

    The live ranking, the head-to-head, the rank table and the charts keep every option;
    the full tables stay in ``evaluator sensitivity --format json`` and ``compare``.
    """
    ev, lib = results.evaluation, results.library
    m = len(ev.option_ids)
    if m <= detail:
        return {"rest": [], "detail": m, "total": m, "note": "", "top_k": min(3, m)}
    view["cards"] = view["cards"][:detail]
    view["matrix"]["rows"] = view["matrix"]["rows"][:detail]
    view["coverage"]["rows"] = view["coverage"]["rows"][:detail]
    view["comparison"]["rows"] = view["comparison"]["rows"][:detail]
    view["sources"]["heat_rows"] = view["sources"]["heat_rows"][:detail]
    view["sources"]["lens_rows"] = view["sources"]["lens_rows"][:detail]
    view["robustness"]["smaa_rows"] = view["robustness"]["smaa_rows"][:detail]
    view["views"]["map"]["rows"] = view["views"]["map"]["rows"][:detail]
    for method in ("vikor", "promethee"):
        if view["views"][method] is not None:
            view["views"][method]["rows"] = view["views"][method]["rows"][:detail]
    smaa = results.sensitivity.smaa
    labels = ev.setup.evidence.coverage_labels()
    why = why_lines(results.sensitivity, lib)
    titles = {o.id: o.title for o in lib.options}
    top_k = min(3, m)
    rest = []
    for k, i in enumerate(int(x) for x in ev.order):
        if k < detail:
            continue
        o = ev.option_ids[i]
        counts = dict.fromkeys(("evidence", "unaffected", "gap"), 0)
        for label in labels[o].values():
            counts[label] += 1
        rest.append(
            {
                "id": o,
                "rank": number(float(ev.ranks[i])),
                "title": titles[o],
                "short": short_label(o, titles[o]),
                "score": fmt(float(ev.scores[i])),
                "p_best": percent(float(smaa.p_best[i]), 1),
                "top_k": percent(float(smaa.rank_acceptability[i, :top_k].sum()), 1),
                "last": percent(float(smaa.rank_acceptability[i, -1]), 1),
                "counts": counts,
                "why": why[o],
            }
        )
    note = (
        f"Full detail for the {detail} best-ranked of the {m} options; the other {m - detail} "
        "get one compact row each here. The full tables are in evaluator sensitivity "
        "--format json (and evaluator compare for the ranks)."
    )
    return {"rest": rest, "detail": detail, "total": m, "note": note, "top_k": top_k}


def cards(results: Results) -> list[View]:
    """The option cards; those of the verdict's options (the clear winner or the tied set,
    and the winner at the run's weights) open when printed."""
    lib, sens = results.library, results.sensitivity
    facts = verdict_facts(lib, sens, results.comparison, results.lenses)
    _, named = contenders(facts.p_best, facts.order)
    shown = {*named, results.evaluation.winner}
    out = option_cards(results.evaluation, lib, why_lines(sens, lib))
    for card in out:
        card["print_open"] = card["id"] in shown
    return out


def linchpin_view(found: Linchpins | None, lib: Library) -> View | None:
    """ "What the conclusion rests on": top judgements (fragile first), sources left out,
    preconditions that change the winner, and the discovered rules, each in plain words."""
    if found is None:
        return None
    doc = found.to_dict()
    titles = {o.id: o.title for o in lib.options}
    names = {s.id: s.title for s in lib.sources}
    winner = doc["winner"]
    judgements = [{"sentence": j["sentence"], "fragile": j["fragile"]} for j in doc["judgements"]]
    changing = [s for s in doc["sources"] if s["winner_without"] != winner]
    return {
        "winner": titles.get(winner, winner),
        "judgements": judgements[:LINCHPINS_SHOWN],
        "more_judgements": judgements[LINCHPINS_SHOWN:],
        "found": doc["judgements_found"],
        "fragile_found": doc["fragile_found"],
        "sources": [
            {
                "source": names.get(s["source"], s["source"]),
                "winner": titles.get(s["winner_without"] or "", s["winner_without"] or "none"),
            }
            for s in changing
        ],
        "sources_kept": len(doc["sources"]) - len(changing),
        "preconditions": [
            {
                "precondition": p["precondition"],
                "met": titles.get(p["winner_if_met"], p["winner_if_met"]),
                "failed": titles.get(p["winner_if_failed"], p["winner_if_failed"]),
            }
            for p in doc["preconditions"]
            if winner != p["winner_if_met"] or winner != p["winner_if_failed"]
        ],
        "rules": [r["sentence"] for r in doc["rules"]],
        "samples": count(doc["samples"]),
    }


#: Linchpins listed in the section; the rest sit in a collapsed list below them.
LINCHPINS_SHOWN = 3


def verdict(results: Results) -> View:
    """The verdict's headline and points (plain strings; the claims stay in Python)."""
    facts = verdict_facts(
        results.library,
        results.sensitivity,
        results.comparison,
        results.lenses,
        linchpins=results.linchpins,
    )
    composed = compose_verdict(facts)
    return {"headline": composed["headline"], "points": composed["points"]}


def manifest(results: Results) -> View:
    """The run manifest: what produced these numbers."""
    lib, ev, smaa = results.library, results.evaluation, results.sensitivity.smaa
    setup = ev.setup
    model = results.sensitivity.weight_model
    weights_model = (
        f"Dirichlet around the profile, concentration {number(float(model['concentration']))}"
        if model.get("kind") == "dirichlet"
        else "uniform over all weight vectors"
    )
    notes = list(dict.fromkeys([*ev.notes, *results.comparison.notes]))
    return {
        "library": lib.name,
        "digest": lib.digest,
        "profile": setup.profile,
        "profile_name": lib.profile(setup.profile).name,
        "method": setup.method,
        "method_name": METHODS[setup.method].name,
        "normalization": setup.normalization or "none (the method works on raw values)",
        "feasibility": setup.feasibility,
        "gaps": setup.run.gaps,
        "run_options": [
            {"name": name, "value": _option_text(value)}
            for name, value in setup.run.to_dict().items()
        ],
        "command": " ".join(["evaluator score", lib.name, *setup.run.command_args()]),
        "seed": smaa.seed,
        "samples": count(smaa.samples),
        "weights_model": weights_model,
        "uncertainty": results.sensitivity.uncertainty,
        "version": results.version,
        "generated_at": results.generated_at.isoformat(timespec="seconds"),
        "counts": {
            "options": len(lib.options),
            "criteria": len(lib.all_criteria),
            "sources": len(lib.sources),
            "profiles": len(lib.profiles),
            "quotes": _count_quotes(lib),
        },
        "notes": notes,
    }


def _option_text(value: Any) -> str:
    """A run option as the manifest shows it ("default" for an unset one)."""
    if value is None or value == {} or value == []:
        return "default"
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _count_quotes(lib: Library) -> int:
    total = 0
    for o in lib.options:
        total += sum(len(b.assessments) for b in o.benefits)
        total += sum(len(r.assessments) for r in o.risks)
        total += sum(len(p.assessments) for p in o.preconditions)
    return total


def ranking(ev: Evaluation, lib: Library, limit: int | None = None) -> View:
    """Rank table (every option) and the contribution (or score) bars and numbers of the
    ``limit`` best-ranked options (all when None)."""
    titles = {o.id: o.title for o in lib.options}
    short = {o.id: short_label(o.id, o.title) for o in lib.options}
    names = [c.name for c in lib.all_criteria]
    order = [int(i) for i in ev.order]
    rows = [
        {
            "id": ev.option_ids[i],
            "title": titles[ev.option_ids[i]],
            "short": short[ev.option_ids[i]],
            "rank": number(float(ev.ranks[i])),
            "score": fmt(float(ev.scores[i])),
        }
        for i in order
    ]
    setup = ev.setup
    shown = order[:limit] if limit is not None else order
    contrib = ev.contributions
    if contrib is None and setup.method == "promethee-ii":
        parts = aggregation_parts(
            setup.method, ev.matrix, setup.evidence.types, None, **setup.options
        )
        contrib = criterion_terms(parts, ev.weights)
    colours, keys = charts.colour_keys(names, [c.group or "" for c in lib.all_criteria])
    if contrib is not None:
        log = setup.method == "weighted-product"
        what = "w\u2c7c ln r\u1d62\u2c7c (log-score)" if log else "w\u2c7c r\u1d62\u2c7c"
        if setup.method == "promethee-ii":
            what = "w\u2c7c \u03c6\u2c7c(a), each criterion's share of the net flow"
        bar_rows = [
            charts.BarRow(
                short[ev.option_ids[i]],
                tuple(
                    charts.Segment(
                        float(contrib[i, j]),
                        colours[j],
                        f"{names[j]}: {fmt(float(contrib[i, j]))}",
                    )
                    for j in range(len(names))
                ),
                fmt(float(contrib[i].sum())),
            )
            for i in shown
        ]
        chart = charts.bar_chart(
            bar_rows,
            caption=f"Per-criterion contributions {what}, which add up to each option's "
            + ("log-score" if log else "net flow" if setup.method == "promethee-ii" else "score")
            + ". "
            + (
                "Right of the line: the option is preferred to the others on that criterion "
                "more than they are to it; left: less."
                if setup.method == "promethee-ii"
                else "Values are scaled so that more is better on every criterion: on a cost "
                "criterion a long segment means little harm."
            ),
            legend_items=keys,
        )
        table: View | None = {
            "criteria": names,
            "rows": [
                {
                    "title": short[ev.option_ids[i]],
                    "full": titles[ev.option_ids[i]],
                    "cells": [fmt(float(v)) for v in contrib[i]],
                    "total": fmt(float(contrib[i].sum())),
                }
                for i in shown
            ],
        }
    else:
        lower = not setup.higher_is_better
        chart = charts.score_bars(
            [(short[ev.option_ids[i]], float(ev.scores[i])) for i in shown],
            caption=f"{METHODS[setup.method].name} scores"
            + (" (Q: lower is better)" if lower else " (higher is better)")
            + "; this method does not split into per-criterion contributions",
        )
        table = None
    return {
        "rows": rows,
        "shown": len(shown),
        "chart": chart,
        "contributions": table,
        "higher_is_better": setup.higher_is_better,
        "weights": [
            {"name": n, "value": fmt(float(w))} for n, w in zip(names, ev.weights, strict=True)
        ],
    }


def comparison(ev: Evaluation, comp: Comparison, lib: Library) -> View:
    """Ranks under every profile x method, and Kendall's tau between the columns."""
    grid = [j for j, c in enumerate(comp.columns) if not c.startswith("lens:")]
    profiles = {p.id: p.name for p in lib.profiles}
    heads = []
    for j in grid:
        profile, _, method = comp.columns[j].partition(":")
        heads.append(
            {
                "column": comp.columns[j],
                "profile": profiles[profile],
                "method": METHODS[method].name,
                "current": profile == ev.setup.profile and method == ev.setup.method,
            }
        )
    groups: list[View] = []
    for h in heads:
        if groups and groups[-1]["profile"] == h["profile"]:
            groups[-1]["span"] += 1
        else:
            groups.append({"profile": h["profile"], "span": 1})
    titles = {o.id: o.title for o in lib.options}
    order = [ev.option_ids[int(i)] for i in ev.order]
    rows = [
        {
            "title": short_label(o, titles[o]),
            "full": titles[o],
            "ranks": [number(float(comp.ranks[comp.option_ids.index(o), j])) for j in grid],
            "firsts": [bool(comp.ranks[comp.option_ids.index(o), j] == 1.0) for j in grid],
        }
        for o in order
    ]
    # options the run excludes (below its feasibility gate) have no rank in any column
    kept = [k for k, o in enumerate(comp.option_ids) if o in ev.option_ids]
    base = np.asarray([ev.ranks[ev.option_ids.index(comp.option_ids[k])] for k in kept])
    agreement = []
    for j in grid:
        tau = kendall_tau_b(base, comp.ranks[kept, j])
        agreement.append(_tau_cell(tau))
    matrix = [
        {
            "column": heads[a]["column"],
            "cells": [_tau_cell(float(comp.tau[ja, jb])) for jb in grid],
        }
        for a, ja in enumerate(grid)
    ]
    return {"heads": heads, "groups": groups, "rows": rows, "agreement": agreement, "tau": matrix}


COVERAGE_MARKS = {"evidence": "\u2713", "unaffected": "\u2013", "gap": "?"}


def coverage(ev: Evaluation, lib: Library) -> View:
    """Option x criterion coverage (evidence / unaffected / gap) with counts per row, column
    and in all; options in rank order."""
    labels = ev.setup.evidence.coverage_labels()
    titles = {o.id: o.title for o in lib.options}
    criteria = list(ev.criterion_ids)
    names = {c.id: c.name for c in lib.all_criteria}
    kinds = ("evidence", "unaffected", "gap")
    rows = []
    columns = {c: dict.fromkeys(kinds, 0) for c in criteria}
    for i in (int(k) for k in ev.order):
        o = ev.option_ids[i]
        counts = dict.fromkeys(kinds, 0)
        cells = []
        for c in criteria:
            label = labels[o][c]
            counts[label] += 1
            columns[c][label] += 1
            cells.append({"label": label, "mark": COVERAGE_MARKS[label]})
        rows.append(
            {
                "id": o,
                "title": short_label(o, titles[o]),
                "full": titles[o],
                "cells": cells,
                "counts": counts,
            }
        )
    totals = {k: sum(col[k] for col in columns.values()) for k in kinds}
    return {
        "criteria": [names[c] for c in criteria],
        "rows": rows,
        "column_gaps": [columns[c]["gap"] for c in criteria],
        "totals": totals,
        "cells": sum(totals.values()),
        "gap_policy": ev.setup.run.gaps,
        "marks": [{"label": k, "mark": COVERAGE_MARKS[k]} for k in kinds],
    }


def why_lines(sens: Sensitivity, lib: Library) -> dict[str, str]:
    """One line per option on why it ranks where it does: its rank, score and chance of
    being best, and the criteria where its weighted standing is furthest above and below
    the average option (min-max scaled values x weights, whatever the method)."""
    ev = sens.evaluation
    names = {c.id: c.name for c in lib.all_criteria}
    crit = [names[c] for c in ev.criterion_ids]
    scaled = normalize(ev.matrix, ev.setup.evidence.types, "minmax")
    w = np.asarray(ev.weights, dtype=float)
    edge = w * (scaled - scaled.mean(axis=0))
    p_best = sens.smaa.rank_acceptability[:, 0]
    rows = {o: i for i, o in enumerate(sens.smaa.options)}
    unit = "score" if ev.setup.higher_is_better else "Q"
    out: dict[str, str] = {}
    m = len(ev.option_ids)
    for i, o in enumerate(ev.option_ids):
        ranked = sorted(range(len(crit)), key=lambda j: (-edge[i, j], j))
        ups = [crit[j] for j in ranked if edge[i, j] > 1e-12][:2]
        downs = [crit[j] for j in reversed(ranked) if edge[i, j] < -1e-12][:1]
        p = float(p_best[rows[o]])
        reasons = [
            f"Rank {number(float(ev.ranks[i]))} of {m}, {unit} {fmt(float(ev.scores[i]))}, "
            f"best in {chance(p)} of draws"
        ]
        if ups:
            reasons.append(f"better than the average option on {' and '.join(ups)}")
        if downs:
            reasons.append(f"furthest below it on {downs[0]}")
        out[o] = "; ".join(reasons) + "."
    return out


def _tau_cell(tau: float) -> View:
    if math.isnan(tau):
        return {"value": "n/a", "bg": "", "fg": ""}
    bg, fg = charts.diverging_colour(tau)
    return {"value": fmt(tau, 2), "bg": bg, "fg": fg}


def _top(scores: Mapping[str, float], higher: bool) -> str:
    """The option on top of a score dict by the one tie rule (evaluator.scoring.ranking)."""
    ids = list(scores)
    return ids[int(order(list(scores.values()), ids, higher_is_better=higher)[0])]


def robustness(sens: Sensitivity, lib: Library) -> View:
    """Stability intervals, tornado, rank acceptability, central weights, what-ifs."""
    ev = sens.evaluation
    full = {o.id: o.title for o in lib.options}
    titles = {o.id: short_label(o.id, o.title) for o in lib.options}
    names = {c.id: c.name for c in lib.all_criteria}
    ids = ev.option_ids
    winner = ids[int(ev.order[0])]
    higher = ev.setup.higher_is_better
    stability = []
    for s in sens.stability:
        crit = names[ev.criterion_ids[s.criterion_index]]
        stability.append(
            {
                "criterion": crit,
                "weight": fmt(s.weight),
                "low": fmt(s.low),
                "high": fmt(s.high),
                "low_rival": titles[ids[s.low_rival]] if s.low_rival is not None else "",
                "high_rival": titles[ids[s.high_rival]] if s.high_rival is not None else "",
                "exact": s.exact,
                "whole": s.low <= 0.0 and s.high >= 1.0,
            }
        )
    tornado_rows = []
    flips = []
    for item in sens.tornado:
        low, high = item.low[item.winner], item.high[item.winner]
        name = names[item.criterion]
        for side, label, weight in (
            (item.low, "falls to", item.low_weight),
            (item.high, "rises to", item.high_weight),
        ):
            top = _top(side, higher)
            if top != item.winner:
                at = f"{label} {fmt(weight, 2)}"
                flips.append(f"When the weight on {name} {at}, {titles[top]} ranks first.")
        bounds = f"{fmt(item.low_weight, 2)}\u2013{fmt(item.high_weight, 2)}"
        tornado_rows.append((f"{name} ({bounds})", low, high, f"{fmt(low)} \u2192 {fmt(high)}"))
    base = float(ev.scores[int(ev.order[0])])
    tornado = charts.tornado_chart(
        tornado_rows,
        base,
        caption=f"Score of {titles[winner]} as each weight moves between its low and high "
        "bound (others rescaled in proportion); the line marks its current score",
    )
    smaa = sens.smaa
    order = [int(i) for i in ev.order]
    top_k = min(3, len(ids))
    crit_names = [names[c] for c in ev.criterion_ids]
    # At scale (more than DETAIL options) rows stop at the DETAIL best-ranked options and
    # rank columns at DETAIL, with one more column for every later rank together: the full
    # matrix stays in `sensitivity --format json` (and shading a million cells took 20 s).
    m = len(ids)
    columns = min(m, DETAIL)
    smaa_rows = []
    for i in order[:DETAIL]:
        central = smaa.central_weights[i]
        never = bool(math.isnan(float(central[0])))
        conf = float(smaa.confidence[i])
        p = float(smaa.p_best[i])
        smaa_rows.append(
            {
                "title": titles[ids[i]],
                "full": full[ids[i]],
                "acceptability": [
                    _share_cell(float(x)) for x in smaa.rank_acceptability[i, :columns]
                ]
                + (
                    [_share_cell(float(smaa.rank_acceptability[i, columns:].sum()))]
                    if m > columns
                    else []
                ),
                "top_k": _share_cell(float(smaa.rank_acceptability[i, :top_k].sum())),
                "p_best": percent(p, 1),
                "p_best_se": fmt(100 * float(smaa.p_best_se[i]), 1),
                "p_term": icd_term(p),
                "central": [] if never else [fmt(float(w)) for w in central],
                "confidence": "" if math.isnan(conf) else percent(conf, 1),
            }
        )
    texts = {p.id: p.text for o in lib.options for p in o.preconditions}
    return {
        "stability": stability,
        "winner": titles[winner],
        "tornado": tornado,
        "tornado_flips": flips,
        "top_k": top_k,
        "ranks": [str(r + 1) for r in range(columns)]
        + ([f"{columns + 1}–{m}"] if m > columns else []),
        "smaa_rows": smaa_rows,
        "criteria": crit_names,
        "samples": count(smaa.samples),
        "what_ifs": what_if_rows(sens.what_ifs, titles, texts),
    }


def _share_cell(share: float) -> View:
    """A share of draws as a shaded table cell (darker = more draws)."""
    bg, fg = charts.sequential_colour(share, 1.0)
    return {"value": percent(share, 1), "bg": bg, "fg": fg}


def appendix(ev: Evaluation, lib: Library) -> View:
    """Criteria, profiles (normalized weights), sources and the formulas used."""
    ids = [c.id for c in lib.all_criteria]
    profiles = []
    for p in lib.profiles:
        w = profile_weights(p, ids)
        profiles.append(
            {
                "id": p.id,
                "name": p.name,
                "description": p.description,
                "kind": "rank-order-centroid from a ranking" if p.ranking else "explicit weights",
                "weights": [fmt(float(x)) for x in w],
                "current": p.id == ev.setup.profile,
            }
        )
    return {
        "criteria": [
            {
                "id": c.id,
                "name": c.name,
                "group": c.group or "",
                "direction": c.direction,
                "description": c.description,
            }
            for c in lib.all_criteria
        ],
        "criterion_names": [c.name for c in lib.all_criteria],
        "profiles": profiles,
        "sources": list(source_views(lib).values()),
        "method": ev.setup.method,
        "normalization": ev.setup.normalization or "",
        "feasibility": ev.setup.feasibility,
        "icd": [
            {"term": t, "range": f"{fmt(lo, 2)}\u2013{fmt(hi, 2)}"}
            for t, (lo, hi) in ICD203_TERMS.items()
        ],
    }


def analyst_views(ev: Evaluation, lib: Library, limit: int | None = None) -> View:
    """Weight-sensitivity lines, the benefit / harm / feasibility map, and the method's own
    view (VIKOR's S, R, Q and compromise set; PROMETHEE I flows)."""
    return {
        "sweeps": sweeps(ev, lib, limit),
        "map": harm_map(ev, lib),
        "vikor": vikor_view(ev, lib) if ev.setup.method == "vikor" else None,
        "promethee": promethee_view(ev, lib) if ev.setup.method == "promethee-ii" else None,
    }


HIGHLIGHTED = 5


def sweeps(ev: Evaluation, lib: Library, limit: int | None = None) -> View:
    """One small chart per criterion: every option's score against that criterion's weight
    (the lines of the ``limit`` best-ranked options when there are more; the changes of
    first place are found among all of them)."""
    setup = ev.setup
    ids = ev.option_ids
    short = {o.id: short_label(o.id, o.title) for o in lib.options}
    names = {c.id: c.name for c in lib.all_criteria}
    ranked = [int(i) for i in ev.order]
    strong = {i: charts.LINE_COLOURS[k] for k, i in enumerate(ranked[:HIGHLIGHTED])}
    higher = setup.higher_is_better
    unit = "score" if higher else "Q (lower is better)"
    out = []
    exact = True
    for j, c in enumerate(ev.criterion_ids):
        if setup.feasibility == "expected" and c == FEASIBILITY_ID:
            continue
        sweep = weight_sweep(setup, ev.matrix, ids, j)
        exact = exact and sweep.exact
        lines = [
            charts.Line(
                short[ids[i]],
                tuple(
                    (float(t), float(v)) for t, v in zip(sweep.t, sweep.scores[:, i], strict=True)
                ),
                strong.get(i, charts.OTHERS),
                i in strong,
            )
            for i in sorted(ranked[:limit])
        ]
        drawn = sweep.scores[:, ranked[:limit]]
        lo, hi = float(drawn.min()), float(drawn.max())
        about = "" if sweep.exact else "about "
        notes = [
            f"At {about}{_weight_text(x.t)}: {short[ids[x.after]]} overtakes {short[ids[x.before]]}"
            for x in sweep.crossovers
        ]
        if not notes:
            leader = ids[ranked[0]]
            notes = [f"{short[leader]} stays first from 0 to 1"]
        name = names[c]
        out.append(
            {
                "name": name,
                "weight": fmt(sweep.weight, 3),
                "low": fmt(lo, 3),
                "high": fmt(hi, 3),
                "svg": charts.sweep_svg(
                    lines,
                    [x.t for x in sweep.crossovers],
                    sweep.weight,
                    (lo, hi),
                    f"{unit} of every option against the weight on {name}",
                ),
                "notes": notes,
            }
        )
    legend = [(short[ids[i]], strong[i]) for i in ranked[:HIGHLIGHTED]]
    if len(ids) > HIGHLIGHTED:
        others = "the other options"
        if limit is not None and len(ids) > limit:
            others = f"the other options to rank {limit} (lines of the rest left out)"
        legend.append((others, charts.OTHERS))
    how = (
        "each line is exact (the score is linear in the weight) and each crossover is an exact "
        "intersection"
        if exact
        else "the lines are sampled at 41 weights and each change of first place narrowed by "
        "bisection (marked about)"
    )
    return {
        "charts": out,
        "legend": charts.legend(legend),
        "unit": unit,
        "how": how,
    }


def _weight_text(t: float) -> str:
    """A weight with three decimals, more when three would round it to 0 or 1."""
    text = fmt(t, 3)
    return fmt(t, 6) if text in ("0.000", "1.000") else text


def harm_map(ev: Evaluation, lib: Library) -> View:
    """Weighted gains against weighted harms, sized by feasibility, dominated options hollow."""
    setup = ev.setup
    ids = ev.option_ids
    short = {o.id: short_label(o.id, o.title) for o in lib.options}
    feas = list(ev.criterion_ids).index(FEASIBILITY_ID)
    bh = benefit_harm(ev.matrix, setup.evidence.types, ev.weights, feas)
    places = {int(i): k + 1 for k, i in enumerate(ev.order)}
    points = [
        (
            float(bh.harms[i]),
            float(bh.gains[i]),
            float(bh.feasibility[i]),
            str(places[i]),
            bool(bh.dominated_by[i]),
        )
        for i in range(len(ids))
    ]
    rows = [
        {
            "place": places[i],
            "title": short[ids[i]],
            "gains": fmt(float(bh.gains[i]), 3),
            "harms": fmt(float(bh.harms[i]), 3),
            "feasibility": fmt(float(bh.feasibility[i]), 2),
            "dominated_by": ", ".join(short[ids[b]] for b in bh.dominated_by[i]),
        }
        for i in (int(k) for k in ev.order)
    ]
    return {
        "svg": charts.scatter_svg(
            points,
            x_label="weighted harm (less is better)",
            y_label="weighted gain",
            label="Benefit, harm and feasibility of every option",
        ),
        "rows": rows,
        "dominated": sum(1 for d in bh.dominated_by if d),
    }


def vikor_view(ev: Evaluation, lib: Library) -> View:
    """S, R and Q per option (rank order) and the compromise set (Opricovic & Tzeng 2004)."""
    setup = ev.setup
    ids = ev.option_ids
    short = {o.id: short_label(o.id, o.title) for o in lib.options}
    s, r = vikor_sr(ev.matrix, ev.weights, setup.evidence.types)
    q = np.asarray(ev.scores, dtype=float)
    comp = vikor_compromise(q, s, r, ids)
    rank_s = rank(s, higher_is_better=False)
    rank_r = rank(r, higher_is_better=False)
    rows = [
        {
            "title": short[ids[i]],
            "s": fmt(float(s[i]), 3),
            "r": fmt(float(r[i]), 3),
            "q": fmt(float(q[i]), 3),
            "rank_s": number(float(rank_s[i])),
            "rank_r": number(float(rank_r[i])),
            "member": i in comp.members,
        }
        for i in (int(k) for k in ev.order)
    ]
    ranked = [int(k) for k in ev.order]
    first = short[ids[ranked[0]]]
    members = [short[ids[i]] for i in comp.members]
    if len(members) == 1:
        verdict = f"{first} is the compromise solution: both conditions hold."
    elif not comp.advantage:
        verdict = (
            f"No acceptable advantage: Q of the runner-up is within {fmt(comp.threshold, 3)} "
            f"(1/(m\u22121)) of {first}'s, so the compromise set is {', '.join(members)} "
            f"(every option whose Q is less than {fmt(comp.threshold, 3)} above the best)."
        )
    else:
        verdict = (
            f"Acceptable advantage holds, but {first} is best neither by S nor by R (no "
            f"acceptable stability), so the compromise set is {' and '.join(members)}."
        )
    return {
        "rows": rows,
        "threshold": fmt(comp.threshold, 3),
        "advantage": comp.advantage,
        "stability": comp.stability,
        "verdict": verdict,
    }


#: Incomparable pairs named in the text (best-ranked first); the count covers them all.
LISTED_PAIRS = 12


def promethee_view(ev: Evaluation, lib: Library) -> View:
    """PROMETHEE I: phi+ and phi- per option and the pairs the partial preorder leaves
    incomparable (PROMETHEE II's complete ranking decides them by phi alone)."""
    setup = ev.setup
    ids = ev.option_ids
    short = {o.id: short_label(o.id, o.title) for o in lib.options}
    plus, minus = promethee_flows(ev.matrix, ev.weights, setup.evidence.types, **setup.options)
    relations = promethee_one(plus, minus)
    incomparable = [(a, b) for a, b, rel in relations if rel == "R"]
    rows = [
        {
            "title": short[ids[i]],
            "plus": fmt(float(plus[i]), 3),
            "minus": fmt(float(minus[i]), 3),
            "net": fmt(float(plus[i] - minus[i]), 3),
        }
        for i in (int(k) for k in ev.order)
    ]
    place = {int(i): k for k, i in enumerate(ev.order)}
    pairs = sorted(
        incomparable, key=lambda p: (min(place[p[0]], place[p[1]]), max(place[p[0]], place[p[1]]))
    )
    return {
        "rows": rows,
        "incomparable_count": len(pairs),
        "incomparable": [
            f"{short[ids[a]]} and {short[ids[b]]}"
            if place[a] < place[b]
            else f"{short[ids[b]]} and {short[ids[a]]}"
            for a, b in pairs[:LISTED_PAIRS]
        ],
        "pairs": len(relations),
    }
