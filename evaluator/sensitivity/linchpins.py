"""Linchpins: which judgement, source or assumption the conclusion rests on (DESIGN.md 5).

ACH asks analysts to "analyse sensitivity to critical evidence" by hand (Heuer 1999,
*Psychology of Intelligence Analysis*, ch. 8, step 5); with every number traced to a
source's judgement this is done exactly, one judgement at a time:

- **Judgements.** Every likelihood (item and precondition assessments), magnitude, impact
  and gap is a continuous input. The compiled evidence keeps only *uncertain* inputs as
  parameters, so the library is compiled once more with every point judgement opened to
  its whole admissible range (a likelihood to [0, 1], a scale to [1, 5]; :mod:`.knobs`):
  every judgement is then a parameter, set to its stated point value, and
  :mod:`.thresholds` finds the nearest value up and down that changes the winner (or the
  target's rank) with batched kernel calls, to 1e-9 in the parameter. A gap is moved
  directly in the matrix, over its column's known range widened by that range on each
  side. Mitigability is discrete: an item's value is linear in its impact, so a level's
  mitigation factor M' is scored as the impact times M' / M; the nearest level that
  changes the outcome is reported.
- **Sources left out**: the run on a copy of the library without one source's assessments
  (pooled means recomputed; an item left with none drops out); **preconditions forced**:
  each precondition met, then failed (the what-ifs); both in :mod:`.counterfactuals`.
- **Scenario discovery** over Monte Carlo draws of the weights and the stated ranges
  (:func:`.discovery.discover_rules`).

A change is **within range** when the threshold lies inside the judgement's own stated
range (an ICD 203 term's band, or an explicit [low, high]; a gap's: its column's known
values): the evidence as encoded already allows the flip, so the linchpin is **fragile**.
Entries are ordered fragile first, then by |threshold - value| / scale (1 for a
likelihood, 4 for a magnitude or impact, the known range for a gap, 0.5 per mitigability
level).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import OptionError
from ..evaluation import (
    Evaluation,
    LibraryLike,
    Setup,
    as_library,
    compile_run,
    prepare,
    score_setup,
)
from ..model import (
    ICD203_TERMS,
    MITIGATION_FACTOR,
    Library,
)
from ..run import RunOptions
from ..safety import check_samples
from .analysis import DEFAULT_CONCENTRATION, WhatIf
from .counterfactuals import SourceLeftOut, forced_preconditions, sources_left_out
from .discovery import Rule, describe_rule, discover_rules
from .knobs import Meta, gap_knobs, open_library, parameter_knobs, stated_ranges
from .smaa import DirichletWeights, block_rng, block_seed, block_size
from .thresholds import CHUNK_FLOATS, Change, FloatArray, Knob, Searcher

LEVELS = ("yes", "partly", "no")  # mitigable, from the smallest harm factor to the largest


@dataclass(frozen=True)
class Judgement:
    """The smallest change of one judgement, in one direction, that changes the outcome."""

    item: str
    source: str | None
    field: str  # likelihood | magnitude | impact | mitigable | gap
    value: float | str
    threshold: float | str
    direction: str
    new_winner: str
    within_range: bool
    change: float  # |threshold - value| / scale
    sentence: str
    low: float | None = None  # the judgement's own stated range
    high: float | None = None
    criterion: str | None = None  # gaps: the cell's criterion (item is the option)
    new_rank: float | None = None  # with a target: its rank after the change

    @property
    def fragile(self) -> bool:
        """The judgement's own stated range allows the change."""
        return self.within_range

    def to_dict(self) -> dict[str, Any]:
        """DESIGN.md section 7 ``judgements`` item, plus the range, scale and sentence."""
        return {
            "item": self.item,
            "source": self.source,
            "field": self.field,
            "value": self.value,
            "threshold": self.threshold,
            "direction": self.direction,
            "new_winner": self.new_winner,
            "within_range": self.within_range,
            "fragile": self.fragile,
            "change": self.change,
            "low": self.low,
            "high": self.high,
            "criterion": self.criterion,
            "new_rank": self.new_rank,
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class Linchpins:
    """Everything ``evaluator linchpins`` reports."""

    evaluation: Evaluation
    target: str | None
    top: int
    samples: int
    seed: int
    judgements: list[Judgement]
    sources: list[SourceLeftOut]
    preconditions: list[WhatIf]
    rules: list[Rule]
    searched: int
    pruned: int
    notes: tuple[str, ...] = field(default=())

    @property
    def winner(self) -> str:
        """The run's winner."""
        return self.evaluation.winner

    @property
    def fragile(self) -> list[Judgement]:
        """Every judgement whose own range allows a change of the outcome."""
        return [j for j in self.judgements if j.fragile]

    def to_dict(self) -> dict[str, Any]:
        """The ``linchpins`` JSON document (DESIGN.md section 7): top ``top`` judgements."""
        ev = self.evaluation
        target_rank = None
        if self.target is not None:
            target_rank = float(ev.ranks[ev.option_ids.index(self.target)])
        return {
            "winner": self.winner,
            "target": self.target,
            "target_rank": target_rank,
            "profile": ev.setup.profile,
            "method": ev.setup.method,
            "normalization": ev.setup.normalization,
            "samples": self.samples,
            "seed": self.seed,
            "judgements": [j.to_dict() for j in self.judgements[: self.top]],
            "judgements_found": len(self.judgements),
            "fragile_found": len(self.fragile),
            "searched": self.searched,
            "pruned": self.pruned,
            "sources": [
                {
                    "source": s.source,
                    "winner_without": s.winner_without,
                    "target_rank": s.target_rank,
                }
                for s in self.sources
            ],
            "preconditions": [
                {
                    "precondition": w.precondition,
                    "option": w.option,
                    "winner_if_met": w.winner_if_met,
                    "winner_if_failed": w.winner_if_failed,
                }
                for w in self.preconditions
            ],
            "rules": [{**r.to_dict(), "sentence": describe_rule(r)} for r in self.rules],
            "notes": list(self.notes),
        }


def find_linchpins(
    library: LibraryLike,
    options: RunOptions | None = None,
    *,
    target: str | None = None,
    top: int = 10,
    samples: int = 2000,
    seed: int = 0,
    prune: bool = True,
    **kwargs: Any,
) -> Linchpins:
    """What the run's conclusion rests on: judgements, sources, preconditions and rules.

    ``options`` (or keyword arguments building it) is the run; ``target`` asks about that
    option's rank instead of the winner; ``top`` is how many judgements ``to_dict`` keeps
    (all are in ``judgements``); ``samples`` and ``seed`` drive the scenario discovery's
    Monte Carlo (results depend on the inputs, the seed and the number of draws only);
    ``prune=False`` searches every judgement (the pruning is exact, see
    :mod:`.thresholds`).
    """
    check_samples(samples)
    if seed < 0:
        raise OptionError("seed", f"must be a non-negative integer (got {seed})")
    if top < 1:
        raise OptionError("top", f"must be at least 1 (got {top})")
    lib = as_library(library)
    setup = prepare(lib, options, **kwargs)
    base = score_setup(setup)
    ids = base.option_ids
    if target is not None and target not in ids:
        raise OptionError("target", f"unknown option '{target}'; options are: {', '.join(ids)}")
    target_index = None if target is None else ids.index(target)
    searcher, knobs, metas, mitigable = _searcher(lib, setup, base, target_index)
    judgements, searched, pruned = _judgements(searcher, knobs, metas, mitigable, base, prune)
    return Linchpins(
        evaluation=base,
        target=target,
        top=top,
        samples=samples,
        seed=seed,
        judgements=judgements,
        sources=sources_left_out(lib, setup, target),
        preconditions=forced_preconditions(searcher, setup, base),
        rules=_rules(setup, samples, seed),
        searched=searched,
        pruned=pruned,
        notes=setup.notes,
    )


# -- judgements -------------------------------------------------------------------------


def _searcher(
    library: Library, setup: Setup, base_eval: Evaluation, target: int | None
) -> tuple[Searcher, list[Knob], list[Meta], dict[tuple[str, str, int], str]]:
    """The search over the opened library, with its knobs and what each stands for."""
    opened = compile_run(open_library(library), setup.run, setup.evidence.option_ids)
    stated, mitigable = stated_ranges(library)
    knobs, metas, base = parameter_knobs(opened, stated, library)
    searcher = Searcher(setup, opened, base, target)
    if not np.allclose(searcher.matrix, base_eval.matrix, rtol=1e-12, atol=1e-12):
        raise RuntimeError("internal error: the opened library does not reproduce the run")
    gaps, gap_metas = gap_knobs(opened, searcher.matrix)
    return searcher, knobs + gaps, metas + gap_metas, mitigable


def _judgements(
    searcher: Searcher,
    knobs: list[Knob],
    metas: list[Meta],
    mitigable: dict[tuple[str, str, int], str],
    base_eval: Evaluation,
    prune: bool,
) -> tuple[list[Judgement], int, int]:
    """Every judgement's nearest change up and down, sorted; and how many were searched."""
    setup, target = searcher.setup, searcher.target
    skip = searcher.screen(knobs, prune=prune)
    changes = searcher.thresholds(knobs, ~skip)
    ids = setup.evidence.option_ids
    words = _Words(base_eval, target)
    out = [_continuous(metas[c.knob], knobs[c.knob], c, ids, words) for c in changes]
    out += _mitigability(searcher, knobs, metas, skip, mitigable, ids, words)
    out.sort(key=lambda j: (not j.fragile, j.change, j.item, j.source or "", j.field, j.direction))
    return out, int(np.sum(~skip)), int(np.sum(skip))


def _mitigability(
    searcher: Searcher,
    knobs: list[Knob],
    metas: list[Meta],
    skip: Any,
    mitigable: dict[tuple[str, str, int], str],
    ids: tuple[str, ...],
    words: _Words,
) -> list[Judgement]:
    """Each counted risk assessment's mitigability moved to the other levels."""
    impact = {m.item: q for q, m in enumerate(metas) if m.field == "impact"}
    counted: dict[str, list[tuple[str, int]]] = {}
    for m in metas:
        if m.field == "likelihood" and m.item in impact and m.source is not None:
            counted.setdefault(m.item, []).append((m.source, m.occurrence))
    cands: list[tuple[str, str, int, str, str]] = []
    which: list[int] = []
    values: list[float] = []
    for item, views in counted.items():
        q = impact[item]
        low, high = knobs[q].domain
        levels = [mitigable[(item, s, k)] for s, k in views]
        factor = float(np.mean([MITIGATION_FACTOR[v] for v in levels]))
        for v, (source, k) in enumerate(views):
            for level in LEVELS:
                if level == levels[v]:
                    continue
                new = [*levels[:v], level, *levels[v + 1 :]]
                ratio = float(np.mean([MITIGATION_FACTOR[x] for x in new])) / factor
                value = knobs[q].value * ratio
                if skip[q] and low <= value <= high:
                    continue  # the impact's screen covers this value: no change
                cands.append((item, source, k, levels[v], level))
                which.append(q)
                values.append(value)
    if not cands:
        return []
    winner, rank = searcher.score(knobs, np.asarray(which, dtype=np.intp), np.asarray(values))
    hit = searcher.changed(winner, rank)
    best: dict[tuple[str, str, int, str], tuple[int, int]] = {}
    for c, (item, source, k, now, level) in enumerate(cands):
        if not hit[c]:
            continue
        steps = LEVELS.index(level) - LEVELS.index(now)
        direction = "up" if steps > 0 else "down"
        key = (item, source, k, direction)
        if key not in best or abs(steps) < best[key][1]:
            best[key] = (c, abs(steps))
    out = []
    for (item, source, _k, direction), (c, steps) in best.items():
        now, level = cands[c][3], cands[c][4]
        new_winner = ids[int(winner[c])]
        out.append(
            Judgement(
                item=item,
                source=source,
                field="mitigable",
                value=now,
                threshold=level,
                direction=direction,
                new_winner=new_winner,
                within_range=False,
                change=0.5 * steps,
                sentence=(
                    f"If {source} judged `{item}` mitigable '{level}' rather than '{now}', "
                    f"{words.consequence(int(winner[c]), float(rank[c]))}."
                ),
                new_rank=None if searcher.target is None else float(rank[c]),
            )
        )
    return out


class _Words:
    """Plain-words pieces shared by the sentences."""

    def __init__(self, base: Evaluation, target: int | None) -> None:
        self.ids = base.option_ids
        self.target = target
        self.rank = None if target is None else float(base.ranks[target])

    def consequence(self, winner: int, rank: float) -> str:
        if self.target is None or self.rank is None:
            return f"{self.ids[winner]} would rank first"
        return f"{self.ids[self.target]} would rank {_num(rank)} instead of {_num(self.rank)}"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def term_of(value: float, direction: str = "up") -> str | None:
    """The ICD 203 term whose band holds ``value``.

    At an edge shared by two bands, the band the change moves into: the upper one going up.
    """
    for term, (low, high) in ICD203_TERMS.items():
        inside = low <= value < high if direction == "up" else low < value <= high
        if inside or (value == low == 0.01 and direction == "down") or value == high == 0.99:
            return term
    return None


def _continuous(
    meta: Meta, knob: Knob, change: Change, ids: tuple[str, ...], words: _Words
) -> Judgement:
    t, v = change.threshold, knob.value
    tol = 1e-12
    within = meta.low - tol <= t <= meta.high + tol
    at_end = abs(t - (knob.domain[1] if change.direction == "up" else knob.domain[0])) <= 1e-9
    more = "" if at_end else " or higher" if change.direction == "up" else " or lower"
    allows = f"at most {meta.high:.3g}" if change.direction == "up" else f"at least {meta.low:.3g}"
    result = words.consequence(change.winner, change.rank)
    if meta.field == "likelihood":
        said = (
            f"*{meta.words}*"
            if meta.words
            else f"[{meta.low:g}, {meta.high:g}]"
            if meta.high > meta.low
            else f"likelihood {v:.3g}"
        )
        term = term_of(t, change.direction)
        new = f"*{term}* ({t:.2f})" if term else f"{t:.2f}"
        own = (
            "within the source's own range"
            if within
            else f"the source's own range allows {allows}"
            if meta.high > meta.low
            else f"the source states {v:.3g} exactly"
        )
        sentence = f"If {meta.source}'s {said} on `{meta.item}` were {new}{more}, {result}; {own}."
    elif meta.field == "gap":
        span = (
            f"the known values span {meta.low:.3g} to {meta.high:.3g}"
            if meta.high > meta.low
            else f"every known value is {meta.low:.3g}"
        )
        sentence = (
            f"If the gap `{meta.item}` x `{meta.criterion}` (filled with {v:.3g}) were "
            f"{t:.3g}{more}, {result}; {span}."
        )
    else:
        own = (
            "within its stated range"
            if within
            else f"its stated range allows {allows}"
            if meta.high > meta.low
            else f"it is stated as {v:g}"
        )
        sentence = f"If the {meta.field} of `{meta.item}` were {t:.2f}{more}, {result}; {own}."
    if abs(t - v) <= 1e-6 * meta.scale:
        sentence += (
            " The least change does it: the run sits on an edge here (in a column whose "
            "values are all equal, min-max normalization stretches any difference to the "
            "whole scale)."
        )
    return Judgement(
        item=meta.item,
        source=meta.source,
        field=meta.field,
        value=float(v),
        threshold=float(t),
        direction=change.direction,
        new_winner=ids[change.winner],
        within_range=bool(within),
        change=abs(t - v) / meta.scale,
        sentence=sentence,
        low=meta.low,
        high=meta.high,
        criterion=meta.criterion,
        new_rank=None if words.target is None else change.rank,
    )


# -- sources, rules ---------------------------------------------------------------------


class SampledColumns:
    """The Monte Carlo inputs of every draw (weights, then parameters), a block of columns
    at a time (:class:`.discovery.FeatureColumns`).

    Why redraw rather than keep: at 1,000 options the draws of 40,000 parameters take
    640 MB as floats, while the rule search keeps a byte per draw and input. Each block of
    draws comes from its own seeded stream, so any columns can be drawn again exactly; a
    chunk of at most 64 MB of columns is kept, and the search reads the columns in order,
    so each chunk is drawn once (a small library is a single chunk).
    """

    def __init__(self, setup: Setup, samples: int, seed: int) -> None:
        ev = setup.evidence
        self._low = ev.parameter_low
        self._span = ev.parameter_high - ev.parameter_low
        self._sampler = DirichletWeights(
            tuple(float(w) for w in setup.weights), DEFAULT_CONCENTRATION
        )
        self._seed = seed
        self._n_weights = len(ev.criterion_ids)
        # Blocks sized by the problem's shape under the SMAA's memory budget (5,000 draws
        # on small libraries): one block's parameter draws stay bounded at any scale.
        per_block = block_size(len(ev.option_ids), self._n_weights, self._low.size)
        self.sizes = [s for s in [per_block] * (samples // per_block) + [samples % per_block] if s]
        self.shape = (samples, self._n_weights + self._low.size)
        self._width = max(1, CHUNK_FLOATS // samples)
        self._chunk: tuple[int, FloatArray] | None = None

    def draw(self, block: int, rows: int | None = None) -> tuple[FloatArray, FloatArray]:
        """Block ``block``'s weights (size x n) and first ``rows`` parameters (rows x size).

        The parameters are drawn row after row from the block's stream, so the first rows
        of a shorter draw are those of the full one.
        """
        size = self.sizes[block]
        rng = block_rng(block_seed(self._seed, block))
        weights = self._sampler.sample(rng, size)
        count = self._low.size if rows is None else rows
        params = rng.random((count, size))
        params *= self._span[:count, None]
        params += self._low[:count, None]
        return weights, params

    def columns(self, lo: int, hi: int) -> FloatArray:
        """Inputs ``lo .. hi - 1`` of every draw, ``(hi - lo) x samples``."""
        if self._chunk is None or not (
            self._chunk[0] <= lo and hi <= self._chunk[0] + self._chunk[1].shape[0]
        ):
            self._chunk = (lo, self._fill(lo, min(self.shape[1], lo + max(self._width, hi - lo))))
        start, chunk = self._chunk
        return chunk[lo - start : hi - start]

    def array(self) -> FloatArray:
        """Every input of every draw at once, ``samples x inputs`` (small libraries, tests)."""
        return self._fill(0, self.shape[1]).T

    def _fill(self, lo: int, hi: int) -> FloatArray:
        n = self._n_weights
        out = np.empty((hi - lo, self.shape[0]))
        a = 0
        for b, size in enumerate(self.sizes):
            weights, params = self.draw(b, rows=max(0, hi - n))
            if lo < n:
                out[: n - lo, a : a + size] = weights.T[lo : min(hi, n)]
            if hi > n:
                first = max(lo, n) - n
                out[max(lo, n) - lo :, a : a + size] = params[first : hi - n]
            a += size
        return out


def sample_draws(setup: Setup, samples: int, seed: int) -> tuple[SampledColumns, list[str], Any]:
    """Monte Carlo features (sampled weights and parameters) and each draw's winner.

    Weights from a Dirichlet centred on the run's weights (concentration 20), parameters
    uniform in their stated ranges; block ``b`` of ``smaa.block_size`` draws comes from
    ``SeedSequence(seed).spawn(...)[b]`` as in the SMAA, so results depend on the seed and
    ``samples`` only. A block's draws are scored a few at a time (as many as 64 MB of
    matrices hold, a number fixed by the library's shape): each draw is scored on its own,
    so this bounds memory and changes no number. The features are returned as
    :class:`SampledColumns`, which draws them again on request instead of holding them.
    """
    ev = setup.evidence
    keys = np.argsort(np.argsort(np.array(ev.option_ids)))
    m = len(ev.option_ids)
    columns = SampledColumns(setup, samples, seed)
    winners = []
    step = max(1, CHUNK_FLOATS // (m * len(ev.criterion_ids)))
    for b, size in enumerate(columns.sizes):
        weights, params = columns.draw(b)
        scores = np.concatenate(
            [
                setup.score_stack(ev.evaluate(params[:, a : a + step]), weights[a : a + step])
                for a in range(0, size, step)
            ]
        )
        oriented = scores if setup.higher_is_better else -scores
        best = oriented.max(axis=1, keepdims=True)
        winners.append(np.argmin(np.where(oriented == best, keys, m), axis=1))
    names = [f"weight[{c}]" for c in ev.criterion_ids]
    seen: Counter[str] = Counter()
    for label in ev.parameters:  # a source assessing one item twice: "label #2"
        seen[label] += 1
        names.append(label if seen[label] == 1 else f"{label} #{seen[label]}")
    return columns, names, np.concatenate(winners)


def _rules(setup: Setup, samples: int, seed: int) -> list[Rule]:
    features, names, winners = sample_draws(setup, samples, seed)
    return discover_rules(features, names, winners, setup.evidence.option_ids)
