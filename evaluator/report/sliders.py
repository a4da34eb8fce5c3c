"""What the live weight sliders need: controls for the template and data for report.js.

The JS re-ranks with the report's method and the normalization actually used, over the
unweighted performance matrix embedded here, so its ranking for slider values v equals
``evaluator score --method M --weight C1=v1 ... --weight Cn=vn`` (one --weight per criterion
fixes the whole vector: w = v / sum(v), evaluator.weights.apply_overrides). With
``--feasibility expected`` the pipeline zeroes the feasibility weight after the overrides, so
the JS does too and the feasibility slider is disabled.
"""

from __future__ import annotations

from typing import Any

from ..evaluation import Evaluation
from ..model import FEASIBILITY_ID, Library
from ..scoring import METHODS, TIE_RTOL
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
            "disabled": expected and c.id == FEASIBILITY_ID,
        }
        for c, w in zip(library.all_criteria, ev.weights, strict=True)
    ]


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
        "types": [int(t) for t in setup.evidence.types],
        "options": [{"id": o, "title": titles[o]} for o in ev.option_ids],
        "matrix": [[float(x) for x in row] for row in ev.matrix],
        "weights": [float(w) for w in ev.weights],
        "tieRtol": TIE_RTOL,
        "vikorV": float(setup.options.get("v", 0.5)),
        "preference": str(setup.options.get("preference", "usual")),
    }
