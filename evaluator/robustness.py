"""The robustness API: ``analyse_sensitivity`` joins a prepared run to ``sensitivity``.

Stability intervals are exact (closed form, notes/analysis.md 5.3) for the weighted sum,
and for the weighted product too: its score exp(sum_j w_j ln r_ij) is monotone in the
additive log-score, so the closed form applies to ln r. Other methods are searched
numerically with the batched kernel and labelled ``exact: false``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import InputError
from .evaluation import Evaluation, LibraryLike, Setup, prepare, score_setup
from .safety import check_samples
from .scoring import normalize
from .scoring.evidence import compile_evidence
from .sensitivity import (
    DirichletWeights,
    SMAAResult,
    StabilityInterval,
    TornadoItem,
    UniformWeights,
    run_smaa,
    stability_intervals_additive,
    stability_intervals_numeric,
    tornado,
)

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
        values = normalize(evaluation.matrix, setup.evidence.types, setup.normalization)
        if setup.method == "weighted-product":
            values = np.log(values)  # ratio normalizations are > 0 here (checked upstream)
        return stability_intervals_additive(values, setup.weights)
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
    owners = {p.id: o.id for o in setup.library.options for p in o.preconditions}
    for pre_id in setup.evidence.precondition_ids:
        results = {}
        for state, value in (("met", 1.0), ("failed", 0.0)):
            forced = {**setup.assumptions, pre_id: value}
            evidence = compile_evidence(
                setup.library,
                lens=setup.evidence.lens.source if setup.evidence.lens else None,
                assume=forced,
                feasibility=setup.feasibility,
            )
            variant = Setup(
                setup.library,
                setup.profile,
                setup.method,
                setup.normalization,
                setup.feasibility,
                evidence,
                setup.weights,
                setup.options,
                forced,
                setup.notes,
            )
            results[state] = score_setup(variant)
        option = owners[pre_id]
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


def analyse_sensitivity(
    library: LibraryLike,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    uncertainty: bool = True,
    weights_model: str = "dirichlet",
    concentration: float = DEFAULT_CONCENTRATION,
    spread: float = 0.5,
    progress: Progress | None = None,
    **evaluate_kwargs: Any,
) -> Sensitivity:
    """Stability intervals, tornado, precondition what-ifs and SMAA-2 for one run.

    ``evaluate_kwargs`` are those of :func:`evaluator.evaluate` (profile, method, weights,
    lens, assume, feasibility, normalization, ranking). Results depend on ``seed`` and
    ``samples`` only.
    """
    check_samples(samples)
    if seed < 0:
        raise InputError(f"--seed must be a non-negative integer (got {seed})")
    if weights_model not in ("dirichlet", "uniform"):
        raise InputError(f"unknown weights model '{weights_model}'; use dirichlet or uniform")
    if not (concentration > 0 and np.isfinite(concentration)):
        raise InputError(f"--concentration must be a positive number (got {concentration})")
    setup = prepare(library, **evaluate_kwargs)
    base = score_setup(setup)
    n = len(base.criterion_ids)
    sampler: DirichletWeights | UniformWeights
    if weights_model == "uniform":
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
