"""The judgements of a library as knobs of the linchpin search (:mod:`.thresholds`).

The compiled evidence keeps only *uncertain* inputs as parameters and folds point
judgements into constants. :func:`open_library` opens every point judgement to its whole
admissible range (a likelihood to [0, 1], a magnitude or impact to [1, 5]), so that, once
compiled, every likelihood, magnitude and impact the run counts is a parameter;
:func:`parameter_knobs` sets each to its stated value (the midpoint of a term's band or of a
range; the number itself) and records what it stands for. :func:`gap_knobs` adds one knob
per gap cell, moved over its column's known range widened by that range on each side.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..evidence import GAP
from ..model import (
    Benefit,
    Library,
    Option,
    Precondition,
    Risk,
    likelihood_bounds,
    scale_bounds,
)
from .thresholds import FloatArray, Knob

Stated = dict[tuple[str, str | None, int], tuple[float, float]]


def open_library(library: Library) -> Library:
    """``library`` with every point likelihood opened to [0, 1] and every scale to [1, 5]."""

    def lik(a: Any) -> Any:
        low, high = likelihood_bounds(a.likelihood)
        return a if high > low else a.model_copy(update={"likelihood": (0.0, 1.0)})

    def scale(value: Any) -> Any:
        low, high = scale_bounds(value)
        return value if high > low else (1.0, 5.0)

    def option(o: Option) -> Option:
        benefits = [
            b.model_copy(
                update={
                    "magnitude": scale(b.magnitude),
                    "assessments": [lik(a) for a in b.assessments],
                }
            )
            for b in o.benefits
        ]
        risks = [
            r.model_copy(
                update={"impact": scale(r.impact), "assessments": [lik(a) for a in r.assessments]}
            )
            for r in o.risks
        ]
        pres = [
            p.model_copy(update={"assessments": [lik(a) for a in p.assessments]})
            for p in o.preconditions
        ]
        return o.model_copy(update={"benefits": benefits, "risks": risks, "preconditions": pres})

    return library.model_copy(update={"options": [option(o) for o in library.options]})


def _items(option: Option) -> list[Benefit | Risk | Precondition]:
    return [*option.benefits, *option.risks, *option.preconditions]


def stated_ranges(library: Library) -> tuple[Stated, dict[tuple[str, str, int], str]]:
    """Each judgement's stated range, keyed (item, source or field, occurrence).

    Also the mitigability of each risk assessment. The occurrence counts a source's
    assessments of one item, in file order, matching the compiled parameters' order.
    """
    ranges: Stated = {}
    mitigable: dict[tuple[str, str, int], str] = {}
    for o in library.options:
        for item in _items(o):
            seen: Counter[str] = Counter()
            for a in item.assessments:
                key = (item.id, a.source, seen[a.source])
                ranges[key] = likelihood_bounds(a.likelihood)
                if hasattr(a, "mitigable"):
                    mitigable[(item.id, a.source, seen[a.source])] = a.mitigable
                seen[a.source] += 1
        for b in o.benefits:
            ranges[(b.id, "magnitude", 0)] = scale_bounds(b.magnitude)
        for r in o.risks:
            ranges[(r.id, "impact", 0)] = scale_bounds(r.impact)
    return ranges, mitigable


@dataclass(frozen=True)
class Meta:
    """What a knob stands for, in the analyst's terms."""

    item: str
    source: str | None
    field: str
    low: float
    high: float
    scale: float
    occurrence: int = 0
    criterion: str | None = None
    words: str | None = None  # the stated judgement as written (an ICD 203 term)


def parameter_knobs(
    evidence: Any, stated: Stated, library: Library
) -> tuple[list[Knob], list[Meta], FloatArray]:
    """One knob per likelihood, magnitude and impact parameter of the opened evidence."""
    words = _terms(library)
    knobs: list[Knob] = []
    metas: list[Meta] = []
    base = np.asarray(evidence.midpoints(), dtype=np.float64).copy()
    seen: Counter[tuple[str, str]] = Counter()
    for p, label in enumerate(evidence.parameters):
        if label.startswith("gap "):
            continue
        if label.endswith(")"):
            item, _, rest = label.partition(" likelihood (")
            source: str | None = rest[:-1]
            key = (item, rest[:-1], seen[(item, rest[:-1])])
            seen[(item, rest[:-1])] += 1
            what, domain, scale = "likelihood", (0.0, 1.0), 1.0
        else:
            item, _, what = label.rpartition(" ")
            source, key, domain, scale = None, (item, what, 0), (1.0, 5.0), 4.0
        low, high = stated[key]
        base[p] = (low + high) / 2
        knobs.append(Knob(value=base[p], domain=domain, param=p))
        metas.append(Meta(item, source, what, low, high, scale, key[2], words=words.get(key)))
    return knobs, metas, base


def _terms(library: Library) -> dict[tuple[str, str | None, int], str]:
    """The ICD 203 term of each likelihood stated as one."""
    out: dict[tuple[str, str | None, int], str] = {}
    for o in library.options:
        for item in _items(o):
            seen: Counter[str] = Counter()
            for a in item.assessments:
                if isinstance(a.likelihood, str):
                    out[(item.id, a.source, seen[a.source])] = a.likelihood
                seen[a.source] += 1
    return out


def gap_knobs(evidence: Any, matrix: FloatArray) -> tuple[list[Knob], list[Meta]]:
    """One knob per gap cell (not the feasibility gaps that gate gains under "expected")."""
    knobs: list[Knob] = []
    metas: list[Meta] = []
    n = len(evidence.criterion_ids)
    for i, j in zip(*np.nonzero(evidence.coverage == GAP), strict=True):
        known = matrix[evidence.coverage[:, j] != GAP, j]
        if not known.size or (evidence.feasibility == "expected" and j == n - 1):
            continue
        low, high = float(known.min()), float(known.max())
        span = high - low
        domain = (low - span, high + span) if span > 0 else (low - 1.0, high + 1.0)
        if j == n - 1:
            domain = (max(0.0, domain[0]), min(1.0, domain[1]))
        option, criterion = evidence.option_ids[i], evidence.criterion_ids[j]
        knobs.append(Knob(value=float(matrix[i, j]), domain=domain, cell=(int(i), int(j))))
        metas.append(Meta(option, None, "gap", low, high, span or 1.0, criterion=criterion))
    return knobs, metas
