"""Shared by the linchpin tests: a loaded library with one judgement set to a value."""

from __future__ import annotations

from typing import Any

from evaluator.model import Library
from evaluator.sensitivity import Judgement


def with_value(library: Library, j: Judgement, value: float) -> Library:
    """The loaded library with judgement ``j`` set to the point ``value`` (no YAML)."""

    def item(it: Any) -> Any:
        if it.id != j.item:
            return it
        if j.field in ("magnitude", "impact"):
            return it.model_copy(update={j.field: value})
        views = [
            a.model_copy(update={"likelihood": value}) if a.source == j.source else a
            for a in it.assessments
        ]
        return it.model_copy(update={"assessments": views})

    options = [
        o.model_copy(
            update={
                "benefits": [item(b) for b in o.benefits],
                "risks": [item(r) for r in o.risks],
                "preconditions": [item(p) for p in o.preconditions],
            }
        )
        for o in library.options
    ]
    return library.model_copy(update={"options": options})
