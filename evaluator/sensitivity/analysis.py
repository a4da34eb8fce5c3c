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
from ..evaluation import Evaluation, LibraryLike, Setup, prepare, score_setup
from ..run import RunOptions
from ..safety import check_samples
from ..scoring.prepared import aggregation_parts
from ..scoring.ranking import id_keys, tie_groups
from .smaa import DirichletWeights, SMAAResult, UniformWeights, block_size, run_smaa
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
        if self.smaa.confidence_note is not None:
            doc["notes"].append(self.smaa.confidence_note)
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
    """For each precondition: the winner when it is met and when it fails.

    Forcing a precondition changes only the feasibility of the options carrying it
    (``includes`` can make that several), so each variant is the compiled library's point
    matrix with those options' feasibility recomputed (gated gains and gap fills follow in
    :meth:`~evaluator.evidence.Evidence.point_matrices`), and all variants are scored in
    stacked calls, in chunks of :func:`~.smaa.block_size` variants so memory stays bounded.
    Linear in the number of preconditions times the matrix size; the previous form
    recompiled the whole library twice per precondition.
    """
    ev = setup.evidence
    if not ev.precondition_ids:
        return []
    winner = base.option_ids[int(base.order[0])]
    pooled = dict(zip(ev.precondition_ids, ev.precondition_point, strict=True))
    row = {o: i for i, o in enumerate(ev.option_ids)}
    carried: dict[int, list[str]] = {}  # option row -> its preconditions, in compile order
    owners: dict[str, list[str]] = {}
    for o in setup.library.options:
        for owner in setup.library.carried(o):
            for p in owner.preconditions:
                owners.setdefault(p.id, []).append(o.id)
                if o.id in row:
                    carried.setdefault(row[o.id], []).append(p.id)
    holders: dict[str, list[int]] = {}
    for i, ids in carried.items():
        for p_id in dict.fromkeys(ids):
            holders.setdefault(p_id, []).append(i)
    base_feasibility = ev.point_feasibility()
    variants = [(p_id, forced) for p_id in ev.precondition_ids for forced in (1.0, 0.0)]
    m, n = ev.shape
    chunk = max(1, block_size(m, n, len(ev.parameters)))
    keys = id_keys(ev.option_ids)
    option_of = {p_id: next(o for o in owners[p_id] if o in row) for p_id in ev.precondition_ids}
    winners: list[str] = []
    ranks: list[float] = []
    for start in range(0, len(variants), chunk):
        part = variants[start : start + chunk]
        feasibility = np.repeat(base_feasibility[:, None], len(part), axis=1)
        for v, (p_id, forced) in enumerate(part):
            for i in holders[p_id]:
                value = 1.0
                for q in carried[i]:
                    value *= forced if q == p_id else float(pooled[q])
                feasibility[i, v] = value
        stack = ev.point_matrices(feasibility)
        scores = setup.score_stack(stack, np.broadcast_to(setup.weights, (len(part), n)))
        groups = tie_groups(scores, higher_is_better=setup.higher_is_better)
        top = np.where(groups == 0, keys, len(keys)).argmin(axis=1)
        index = np.array([row[option_of[p_id]] for p_id, _ in part])
        mine = groups[np.arange(len(part)), index][:, None]
        ahead, tied = (groups < mine).sum(axis=1), (groups == mine).sum(axis=1)
        winners.extend(ev.option_ids[int(t)] for t in top)
        ranks.extend(float(a + 1 + (t - 1) / 2.0) for a, t in zip(ahead, tied, strict=True))
    out: list[WhatIf] = []
    for k, p_id in enumerate(ev.precondition_ids):
        top_met, top_failed = winners[2 * k], winners[2 * k + 1]
        out.append(
            WhatIf(
                precondition=p_id,
                option=option_of[p_id],
                likelihood=float(pooled[p_id]),
                winner_if_met=top_met,
                winner_if_failed=top_failed,
                rank_if_met=ranks[2 * k],
                rank_if_failed=ranks[2 * k + 1],
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
        # Drawn stacks are the run's own, so their preparation may reuse them; the fixed
        # matrix is the evaluation's and must stay as it is.
        prepare=setup.prepare_drawn if uncertainty else setup.prepare_stack,
        score_many=setup.score_prepared_many,
        n_parameters=len(setup.evidence.parameters) if uncertainty else 0,
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
