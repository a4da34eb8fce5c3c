"""View-model of the evidence: performance-matrix cells, option cards and the per-source view.

Every number shown here is traced to the items and quotes behind it (DESIGN.md section 1).
Plain dicts, lists and strings only; the template escapes all text.

Per-source risk (the heatmap): for option *a* and source *s*, the sum over *a*'s risks that
*s* assesses of impact x *s*'s likelihood x *s*'s mitigation factor (range midpoints, as in
the point estimate of DESIGN.md section 4). Where *s* assesses none of *a*'s risks the cell
says "not assessed": silence is not "no risk".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

from ..evaluation import Evaluation, kendall_tau_b
from ..evidence import compile_evidence
from ..model import (
    FEASIBILITY_ID,
    MITIGATION_FACTOR,
    Benefit,
    Library,
    Likelihood,
    Option,
    Precondition,
    Risk,
    Scale,
    likelihood_bounds,
    midpoint,
    scale_bounds,
)
from .charts import sequential_colour
from .formatting import fmt, icd_term, number
from .summary import short_label

View = dict[str, Any]


def scale_text(value: Scale) -> str:
    """A magnitude or impact: ``4`` or ``3-4``."""
    low, high = scale_bounds(value)
    return number(low) if low == high else f"{number(low)}\u2013{number(high)}"


def likelihood_view(value: Likelihood) -> View:
    """A likelihood as written, its ICD 203 term and numeric range.

    ``stated_term`` is True when the analyst wrote the term; otherwise the term is the one
    whose range holds the midpoint (a translation, marked as such in the page).
    """
    low, high = likelihood_bounds(value)
    stated = isinstance(value, str)
    return {
        "term": value if isinstance(value, str) else icd_term(midpoint((low, high))),
        "stated_term": stated,
        "range": fmt(low, 2) if low == high else f"{fmt(low, 2)}\u2013{fmt(high, 2)}",
    }


def source_views(library: Library) -> dict[str, View]:
    """Per source id: title, outlet, date, document, stance and a one-line citation."""
    out: dict[str, View] = {}
    for s in library.sources:
        cite = ", ".join(x for x in (s.title, s.outlet, s.date) if x)
        out[s.id] = {
            "id": s.id,
            "title": s.title,
            "outlet": s.outlet or "",
            "date": s.date or "",
            "document": s.document,
            "stance": s.stance,
            "rationale": s.rationale or "",
            "cite": cite,
        }
    return out


def _quote(sources: Mapping[str, View], source: str, quote: str) -> View:
    return {"source": sources[source], "quote": quote}


_JUDGEMENT_PREFIX = re.compile(
    r"^\s*analyst(?:'s|\u2019s)? judge?ments?\s*[:;,.\u2013\u2014-]\s*", re.I
)


def judgement_text(text: str | None) -> str:
    """A rationale without a leading "Analyst's judgement:" (the page marks it once)."""
    if not text:
        return ""
    stripped = _JUDGEMENT_PREFIX.sub("", text, count=1)
    return stripped[:1].upper() + stripped[1:] if stripped else text


def mark_judgements(item: View) -> View:
    """Badge the item's first analyst judgement only: its own rationale, else the first
    assessment's; the others are styled as judgements without repeating the label."""
    item["rationale"] = judgement_text(item.get("rationale"))
    item["badge"] = bool(item["rationale"])
    seen = item["badge"]
    for a in item.get("assessments", []):
        a["rationale"] = judgement_text(a.get("rationale"))
        a["badge"] = bool(a["rationale"]) and not seen
        seen = seen or a["badge"]
    return item


def benefit_view(b: Benefit, sources: Mapping[str, View], criteria: Mapping[str, str]) -> View:
    """A benefit with its quotes."""
    return mark_judgements(
        {
            "id": b.id,
            "text": b.text,
            "criterion": criteria[b.criterion],
            "magnitude": scale_text(b.magnitude),
            "rationale": b.rationale or "",
            "assessments": [
                {
                    **_quote(sources, a.source, a.quote),
                    "likelihood": likelihood_view(a.likelihood),
                    "rationale": a.rationale or "",
                }
                for a in b.assessments
            ],
        }
    )


def risk_view(r: Risk, sources: Mapping[str, View], criteria: Mapping[str, str]) -> View:
    """A risk with each source's likelihood, mitigability and quote."""
    return mark_judgements(
        {
            "id": r.id,
            "text": r.text,
            "criterion": criteria[r.criterion],
            "impact": scale_text(r.impact),
            "rationale": r.rationale or "",
            "assessments": [
                {
                    **_quote(sources, a.source, a.quote),
                    "likelihood": likelihood_view(a.likelihood),
                    "mitigable": a.mitigable,
                    "factor": fmt(MITIGATION_FACTOR[a.mitigable], 2),
                    "rationale": a.rationale or "",
                }
                for a in r.assessments
            ],
        }
    )


def pooled_likelihood(p: Precondition) -> float:
    """Mean of the assessing sources' midpoints (DESIGN.md section 4)."""
    mids = [midpoint(likelihood_bounds(a.likelihood)) for a in p.assessments]
    return sum(mids) / len(mids)


def precondition_view(p: Precondition, sources: Mapping[str, View]) -> View:
    """A precondition with each source's likelihood and quote."""
    pooled = pooled_likelihood(p)
    return mark_judgements(
        {
            "id": p.id,
            "text": p.text,
            "pooled": fmt(pooled, 2),
            "pooled_term": icd_term(pooled),
            "rationale": "",
            "assessments": [
                {
                    **_quote(sources, a.source, a.quote),
                    "likelihood": likelihood_view(a.likelihood),
                    "rationale": a.rationale or "",
                }
                for a in p.assessments
            ],
        }
    )


def _cell_items(
    option: Option, criterion: str, sources: Mapping[str, View], names: Mapping[str, str]
) -> tuple[str, list[View]]:
    if criterion == FEASIBILITY_ID:
        return "precondition", [precondition_view(p, sources) for p in option.preconditions]
    benefits = [
        benefit_view(b, sources, names) for b in option.benefits if b.criterion == criterion
    ]
    risks = [risk_view(r, sources, names) for r in option.risks if r.criterion == criterion]
    return ("benefit", benefits) if benefits or not risks else ("risk", risks)


def matrix_view(ev: Evaluation, library: Library) -> View:
    """The unweighted performance matrix, options in rank order; each cell links to the first
    item behind it in the option's card (the quotes are shown there, once)."""
    sources = source_views(library)
    names = {c.id: c.name for c in library.all_criteria}
    criteria = library.all_criteria
    options = {o.id: o for o in library.options}
    rows = []
    for i in (int(k) for k in ev.order):
        option = options[ev.option_ids[i]]
        cells = []
        for j, c in enumerate(criteria):
            kind, items = _cell_items(option, c.id, sources, names)
            cells.append(
                {
                    "value": fmt(float(ev.matrix[i, j]), 2),
                    "kind": kind,
                    "target": f"item-{option.id}-{items[0]['id']}" if items else "",
                    "what": "; ".join(str(item["text"]) for item in items),
                    "count": len(items),
                }
            )
        rows.append(
            {
                "id": option.id,
                "title": short_label(option.id, option.title),
                "full": option.title,
                "cells": cells,
            }
        )
    header = [
        {"id": c.id, "name": c.name, "direction": c.direction, "group": c.group or ""}
        for c in criteria
    ]
    return {"criteria": header, "rows": rows, "expected": ev.setup.feasibility == "expected"}


def option_cards(
    ev: Evaluation, library: Library, why: Mapping[str, str] | None = None
) -> list[View]:
    """One card per option, in rank order, each headed by ``why[option]``."""
    sources = source_views(library)
    names = {c.id: c.name for c in library.all_criteria}
    options = {o.id: o for o in library.options}
    feas = ev.criterion_ids.index(FEASIBILITY_ID)
    cards = []
    for i in (int(k) for k in ev.order):
        o = options[ev.option_ids[i]]
        cards.append(
            {
                "id": o.id,
                "title": o.title,
                "why": (why or {}).get(o.id, ""),
                "summary": o.summary,
                "theatre": o.theatre,
                "tags": list(o.tags),
                "rank": number(float(ev.ranks[i])),
                "score": fmt(float(ev.scores[i])),
                "feasibility": fmt(float(ev.matrix[i, feas]), 2),
                "file": PurePath(library.option_files.get(o.id, "")).name,
                "benefits": [benefit_view(b, sources, names) for b in o.benefits],
                "risks": [risk_view(r, sources, names) for r in o.risks],
                "preconditions": [precondition_view(p, sources) for p in o.preconditions],
            }
        )
    return cards


def source_risks(library: Library, source: str) -> dict[str, tuple[float, int]]:
    """Per option: (expected harm the source itself assigns, risks it assesses).

    Options whose risks the source assesses none of are absent. The figures come from the
    evidence compiler under the source's own lens (its assessments only), so the report
    shows the same formula the scores use (DESIGN.md section 4).
    """
    evidence = compile_evidence(library, lens=source, lens_mode="own", gaps="zero")
    out: dict[str, tuple[float, int]] = {}
    for value in evidence.item_values():
        if not value.gain:
            total, count = out.get(value.option, (0.0, 0))
            out[value.option] = (total + value.value, count + 1)
    return out


def source_view(ev: Evaluation, lenses: Mapping[str, Evaluation], library: Library) -> View:
    """The option x source risk heatmap and each source's own ranking (lens)."""
    sources = source_views(library)
    options = {o.id: o for o in library.options}
    order = [ev.option_ids[int(i)] for i in ev.order]
    cost = [j for j, t in enumerate(ev.setup.evidence.types) if t < 0]
    pooled = {o: float(ev.matrix[ev.option_ids.index(o)][cost].sum()) for o in order}
    by_source = {s.id: source_risks(library, s.id) for s in library.sources}
    cells = {(o, s.id): by_source[s.id].get(o) for o in order for s in library.sources}
    high = max([v[0] for v in cells.values() if v] + list(pooled.values()) + [0.0])

    def cell(value: float, note: str) -> View:
        bg, fg = sequential_colour(value, high)
        return {"value": fmt(value, 2), "bg": bg, "fg": fg, "note": note, "na": False}

    heat_rows = []
    for o in order:
        n_risks = len(options[o].risks)
        row = []
        for s in library.sources:
            found = cells[(o, s.id)]
            if found is None:
                row.append({"value": "", "bg": "", "fg": "", "note": "not assessed", "na": True})
            else:
                row.append(cell(found[0], f"{found[1]} of {n_risks} risks assessed"))
        heat_rows.append(
            {
                "id": o,
                "title": short_label(o, options[o].title),
                "full": options[o].title,
                "cells": row,
                "pooled": cell(pooled[o], f"{n_risks} risks"),
            }
        )
    lens_rows = []
    for o in order:
        i = ev.option_ids.index(o)
        ranks = []
        for s in library.sources:
            lens = lenses[s.id]
            silent = lens.lens.options_not_discussed if lens.lens else ()
            ranks.append({"rank": number(float(lens.ranks[i])), "silent": o in silent})
        lens_rows.append(
            {
                "id": o,
                "title": short_label(o, options[o].title),
                "full": options[o].title,
                "pooled": number(float(ev.ranks[i])),
                "ranks": ranks,
            }
        )
    taus = [kendall_tau_b(ev.ranks, lenses[s.id].ranks) for s in library.sources]
    return {
        "sources": [sources[s.id] for s in library.sources],
        "heat_rows": heat_rows,
        "lens_rows": lens_rows,
        "lens_tau": ["n/a" if math.isnan(t) else fmt(t, 2) for t in taus],
        "not_assessed": [_not_assessed(lenses[s.id]) for s in library.sources],
        "disagreements": disagreements(library, sources),
    }


def _not_assessed(lens: Evaluation) -> int:
    """How many risks and preconditions the lens's source leaves at pooled values."""
    return len(lens.lens.not_assessed) if lens.lens is not None else 0


def disagreements(library: Library, sources: Mapping[str, View], limit: int = 12) -> list[View]:
    """Risks and preconditions two or more sources assess differently (likelihood or
    mitigability), widest likelihood spread first."""
    found: list[tuple[float, str, View]] = []
    titles = {o.id: short_label(o.id, o.title) for o in library.options}
    for o in library.options:
        items: Sequence[Risk | Precondition] = [*o.risks, *o.preconditions]
        for item in items:
            if len(item.assessments) < 2:
                continue
            mids = [midpoint(likelihood_bounds(a.likelihood)) for a in item.assessments]
            spread = max(mids) - min(mids)
            mitigations = {getattr(a, "mitigable", "") for a in item.assessments}
            if spread == 0 and len(mitigations) == 1:
                continue  # the sources agree on it: not a disagreement
            views = [
                {
                    "source": sources[a.source],
                    "likelihood": likelihood_view(a.likelihood),
                    "mitigable": getattr(a, "mitigable", ""),
                }
                for a in item.assessments
            ]
            kind = "risk" if isinstance(item, Risk) else "precondition"
            found.append(
                (
                    spread,
                    item.id,
                    {
                        "id": item.id,
                        "kind": kind,
                        "text": item.text,
                        "option": titles[o.id],
                        "spread": fmt(spread, 2),
                        "views": views,
                    },
                )
            )
    found.sort(key=lambda f: (-f[0], f[1]))
    return [f[2] for f in found[:limit]]
