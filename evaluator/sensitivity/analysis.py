"""The sensitivity API: ``analyse_sensitivity`` joins a prepared run to the algorithms.

Stability intervals are exact (closed form, notes/analysis.md 5.3) for the weighted sum,
and for the weighted product too: its score exp(sum_j w_j ln r_ij) is monotone in the
additive log-score, so the closed form applies to ln r. Other methods are searched
numerically with the batched kernel and labelled ``exact: false``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import OptionError
from ..evaluation import Evaluation, LibraryLike, Setup, compile_run, prepare, score_setup
from ..run import RunOptions
from ..safety import check_samples
from ..scoring.prepared import aggregation_parts
from .smaa import DirichletWeights, SMAAResult, UniformWeights, run_smaa
from .stability import (
    StabilityInterval,
    stability_intervals_additive,
    stability_intervals_numeric,
)
from .tornado import TornadoItem, tornado

FloatArray = npt.NDArray[np.float64]
Progress = Callable[[int, int], None]
DEFAULT_SAMPLES = 20_000
DEFAULT_CONCENTRATION = 20.0


@dataclass(frozen=True)
class WhatIf:
    """The ranking when one precondition is forced to hold, and when it is forced to fail."""

    precondition: str
    option: str
    likelihood: float
    winner_if_met: str
    winner_if_failed: str
    rank_if_met: float
    rank_if_failed: float
    changes_winner: bool


@dataclass(frozen=True)
class Sensitivity:
    """Everything ``evaluator sensitivity`` reports, for one prepared run."""

    evaluation: Evaluation
    stability: list[StabilityInterval]
    tornado: list[TornadoItem]
    what_ifs: list[WhatIf]
    smaa: SMAAResult
    weight_model: dict[str, Any]
    uncertainty: bool

    def to_dict(self) -> dict[str, Any]:
        """The ``sensitivity`` JSON document (DESIGN.md section 7) plus labelled extras."""
        ev = self.evaluation
        ids, crit = ev.option_ids, ev.criterion_ids

        def name(index: int | None) -> str | None:
            return None if index is None else ids[index]

        doc: dict[str, Any] = {
            "samples": self.smaa.samples,
            "seed": self.smaa.seed,
            "profile": ev.setup.profile,
            "method": ev.setup.method,
            "normalization": ev.setup.normalization,
            "feasibility": ev.setup.feasibility,
            "gaps": ev.setup.run.gaps,
            "lens_mode": ev.setup.run.lens_mode,
            "gap_cells": [list(cell) for cell in ev.setup.evidence.gap_cells],
            "lens": ev.lens.source if ev.lens else None,
            "weights": {c: float(w) for c, w in zip(crit, ev.weights, strict=True)},
            "weight_model": self.weight_model,
            "uncertainty": self.uncertainty,
            "winner": ids[int(ev.order[0])],
            "stability": {
                crit[s.criterion_index]: {
                    "weight": s.weight,
                    "low": s.low,
                    "high": s.high,
                    "low_rival": name(s.low_rival),
                    "high_rival": name(s.high_rival),
                    "exact": s.exact,
                }
                for s in self.stability
            },
            "tornado": [item.to_dict() for item in self.tornado],
        }
        doc.update(self.smaa.to_dict(crit))
        doc["what_ifs"] = [w.__dict__.copy() for w in self.what_ifs]
        doc["notes"] = list(ev.notes)
        return doc


def stability(evaluation: Evaluation) -> list[StabilityInterval]:
    """Winner stability interval per criterion: closed form where the model is additive."""
    setup = evaluation.setup
    if setup.method in ("weighted-sum", "weighted-product") and setup.normalization:
        # r for the weighted sum, ln r (the product's log factors) for the weighted product
        parts = aggregation_parts(
            setup.method, evaluation.matrix, setup.evidence.types, setup.normalization
        )
        return stability_intervals_additive(parts.values, setup.weights)
    return stability_intervals_numeric(
        setup.score_stack,
        evaluation.matrix,
        setup.weights,
        higher_is_better=setup.higher_is_better,
    )


def what_ifs(setup: Setup, base: Evaluation) -> list[WhatIf]:
    """For each precondition: the winner when it is met and when it fails."""
    out: list[WhatIf] = []
    winner = base.option_ids[int(base.order[0])]
    ev = setup.evidence
    pooled = dict(zip(ev.precondition_ids, ev.precondition_point, strict=True))
    owners: dict[str, list[str]] = {}
    for o in setup.library.options:
        for carried in setup.library.carried(o):
            for p in carried.preconditions:
                owners.setdefault(p.id, []).append(o.id)
    for pre_id in setup.evidence.precondition_ids:
        results = {}
        for state in ("met", "failed"):
            run = setup.run.build(setup.run, assume={**setup.run.assume, pre_id: state})
            evidence = compile_run(setup.library, run, setup.evidence.option_ids)
            results[state] = score_setup(setup.with_evidence(evidence))
        option = next(o for o in owners[pre_id] if o in base.option_ids)
        index = base.option_ids.index(option)
        met, failed = results["met"], results["failed"]
        top_met = met.option_ids[int(met.order[0])]
        top_failed = failed.option_ids[int(failed.order[0])]
        out.append(
            WhatIf(
                precondition=pre_id,
                option=option,
                likelihood=float(pooled[pre_id]),
                winner_if_met=top_met,
                winner_if_failed=top_failed,
                rank_if_met=float(met.ranks[index]),
                rank_if_failed=float(failed.ranks[index]),
                changes_winner=top_met != winner or top_failed != winner,
            )
        )
    return out


SAMPLING = ("dirichlet", "uniform")


def analyse_sensitivity(
    library: LibraryLike,
    options: RunOptions | Sequence[str] | None = None,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    uncertainty: bool = True,
    sampling: str = "dirichlet",
    concentration: float = DEFAULT_CONCENTRATION,
    spread: float = 0.5,
    progress: Progress | None = None,
    **kwargs: Any,
) -> Sensitivity:
    """Stability intervals, tornado, precondition what-ifs and SMAA-2 for one run.

    ``options`` (or keyword arguments building it) is the run; ``sampling`` draws weights
    from a Dirichlet centred on the run's weights (``concentration``) or uniformly over
    the simplex. Results depend on the inputs, ``seed`` and ``samples`` only.
    """
    check_samples(samples)
    if seed < 0:
        raise OptionError("seed", f"must be a non-negative integer (got {seed})")
    if sampling not in SAMPLING:
        raise OptionError("sampling", f"unknown sampling '{sampling}'; use dirichlet or uniform")
    if not (concentration > 0 and np.isfinite(concentration)):
        raise OptionError("concentration", f"must be a positive number (got {concentration})")
    setup = prepare(library, options, **kwargs)
    base = score_setup(setup)
    n = len(base.criterion_ids)
    sampler: DirichletWeights | UniformWeights
    if sampling == "uniform":
        sampler = UniformWeights(n)
        model: dict[str, Any] = {"kind": "uniform"}
    else:
        sampler = DirichletWeights(tuple(float(w) for w in setup.weights), concentration)
        model = {"kind": "dirichlet", "concentration": float(concentration)}
    smaa = run_smaa(
        setup.score_prepared,
        sampler,
        base.option_ids,
        n_samples=samples,
        seed=seed,
        matrix=None if uncertainty else base.matrix,
        draw_matrices=setup.evidence.sample_matrices if uncertainty else None,
        higher_is_better=setup.higher_is_better,
        progress=progress,
        prepare=setup.prepare_stack,
    )
    return Sensitivity(
        evaluation=base,
        stability=stability(base),
        tornado=tornado(
            setup.score_stack,
            base.matrix,
            setup.weights,
            criteria=base.criterion_ids,
            options=base.option_ids,
            higher_is_better=setup.higher_is_better,
            spread=spread,
        ),
        what_ifs=what_ifs(setup, base),
        smaa=smaa,
        weight_model=model,
        uncertainty=uncertainty,
    )
