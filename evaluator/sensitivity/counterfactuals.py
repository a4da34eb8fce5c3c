"""The run re-scored under counterfactuals: each source left out, each precondition forced.

Both serve the linchpin analysis (:mod:`.linchpins`). Leaving a source out rebuilds the
library without its assessments (pooled means recomputed; an item left with none drops
out, so its cell may become a gap) and prepares the run afresh. Forcing a precondition is
the what-if of :func:`.analysis.what_ifs` (met: probability 1, failed: 0), done here on the
opened evidence of the linchpin search, where every precondition assessment is a
parameter: setting all of a precondition's assessments to 1 (or 0) makes its pooled mean
1 (or 0), exactly what ``assume`` does, so all preconditions are scored in one batched
call instead of one compilation each (the results are the same; tested). Under the weighted
sum, where a precondition moves the feasibility column only, that column alone is
re-scored (:meth:`.thresholds.Searcher.joint_scores`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import OptionError
from ..evaluation import Evaluation, Setup, prepare, score_setup
from ..model import Library
from ..run import RunOptions
from ..scoring import order, rank
from .analysis import WhatIf, what_ifs
from .thresholds import Searcher


@dataclass(frozen=True)
class SourceLeftOut:
    """The winner (and target rank) without one source's assessments."""

    source: str
    winner_without: str | None  # None: the run cannot be scored without the source
    target_rank: float | None = None


def without_source(library: Library, source: str) -> Library:
    """``library`` without ``source``'s assessments; items left with none drop out."""

    def keep(items: list[Any]) -> list[Any]:
        out = []
        for item in items:
            views = [a for a in item.assessments if a.source != source]
            if views:
                out.append(item.model_copy(update={"assessments": views}))
        return out

    options = [
        o.model_copy(
            update={
                "benefits": keep(o.benefits),
                "risks": keep(o.risks),
                "preconditions": keep(o.preconditions),
            }
        )
        for o in library.options
    ]
    return library.model_copy(update={"options": options})


def sources_left_out(library: Library, setup: Setup, target: str | None) -> list[SourceLeftOut]:
    """The winner of the run without each source's assessments, in turn."""
    out = []
    for s in library.sources:
        lib = without_source(library, s.id)
        known = {p.id for o in lib.options for p in o.preconditions}
        run = RunOptions.build(
            setup.run, assume={k: v for k, v in setup.run.assume.items() if k in known}
        )
        try:
            result = score_setup(prepare(lib, run))
        except OptionError:
            # e.g. a ratio normalization meets a gap's zero, or no option is feasible enough
            out.append(SourceLeftOut(s.id, None))
            continue
        rank_ = None
        if target is not None and target in result.option_ids:
            rank_ = float(result.ranks[result.option_ids.index(target)])
        out.append(SourceLeftOut(s.id, result.winner, rank_))
    return out


def forced_preconditions(searcher: Searcher, setup: Setup, base: Evaluation) -> list[WhatIf]:
    """:func:`.analysis.what_ifs` in one batched call on the searcher's opened evidence.

    Falls back to ``what_ifs`` when a precondition is not a parameter there (the run
    assumes it) or a forced column cannot be scored.
    """
    ev, opened = setup.evidence, searcher.evidence
    rows: dict[str, list[int]] = {}
    for p in range(opened.parameter_cuts[1], opened.parameter_cuts[2]):
        rows.setdefault(opened.parameters[p].partition(" likelihood (")[0], []).append(p)
    pres = list(ev.precondition_ids)
    if not pres:
        return []
    if any(p not in rows for p in pres):
        return what_ifs(setup, base)
    moves = [(rows[pre], value) for pre in pres for value in (1.0, 0.0)]
    fast = searcher.joint_scores(moves)
    if fast is not None:
        scores = fast
    else:
        params = np.repeat(searcher.base[:, None], 2 * len(pres), axis=1)
        for i, pre in enumerate(pres):
            params[rows[pre], 2 * i] = 1.0
            params[rows[pre], 2 * i + 1] = 0.0
        scores, ok = searcher.columns(params)
        if not ok.all():
            return what_ifs(setup, base)
    ids = base.option_ids
    owners: dict[str, str] = {}
    for o in setup.library.options:
        if o.id not in ids:
            continue
        for carried in setup.library.carried(o):
            for condition in carried.preconditions:
                owners.setdefault(condition.id, o.id)
    pooled = dict(zip(ev.precondition_ids, ev.precondition_point, strict=True))
    hib = setup.higher_is_better
    winner = base.winner
    out = []
    for i, pre in enumerate(pres):
        index = ids.index(owners[pre])
        met, failed = scores[2 * i], scores[2 * i + 1]
        top_met = ids[int(order(met, ids, higher_is_better=hib)[0])]
        top_failed = ids[int(order(failed, ids, higher_is_better=hib)[0])]
        out.append(
            WhatIf(
                precondition=pre,
                option=owners[pre],
                likelihood=float(pooled[pre]),
                winner_if_met=top_met,
                winner_if_failed=top_failed,
                rank_if_met=float(rank(met, higher_is_better=hib)[index]),
                rank_if_failed=float(rank(failed, higher_is_better=hib)[index]),
                changes_winner=top_met != winner or top_failed != winner,
            )
        )
    return out
