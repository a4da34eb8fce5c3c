"""What the live weight sliders need: controls for the template and data for report.js.

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

from typing import Any

from ..evaluation import Evaluation
from ..model import FEASIBILITY_ID, Library
from ..scoring import METHODS
from ..scoring import ranking as tie_rule
from ..scoring.prepared import aggregation_parts
from .charts import fmt


def slider_controls(ev: Evaluation, library: Library) -> list[dict[str, Any]]:
    """One labelled range input per criterion (feasibility included), at the run's weights."""
    expected = ev.setup.feasibility == "expected"
    return [
        {
            "id": c.id,
            "name": c.name,
            "direction": c.direction,
            "value": repr(float(w)),
            "shown": fmt(float(w)),
            "valuetext": valuetext(float(w), float(w)),
            "disabled": expected and c.id == FEASIBILITY_ID,
        }
        for c, w in zip(library.all_criteria, ev.weights, strict=True)
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


def slider_data(ev: Evaluation, library: Library) -> dict[str, Any]:
    """The JSON document report.js reads (embedded with ``|tojson``)."""
    titles = {o.id: o.title for o in library.options}
    setup = ev.setup
    return {
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
