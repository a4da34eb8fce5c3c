"""The executive summary: plain sentences generated from the numbers.

Probabilities are put back into the ICD 203 estimative words the analysts wrote them in
(DESIGN.md section 3): a probability p takes the term whose range holds it, ranges taken as
half-open [low, high) with the top one closed, and anything below 0.01 or above 0.99 the
nearest end term.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from ..evaluation import Comparison, Evaluation
from ..model import ICD203_TERMS, Library
from ..scoring import METHODS
from ..sensitivity import Sensitivity, WhatIf
from .charts import fmt


def icd_term(p: float) -> str:
    """The ICD 203 estimative term whose range holds probability ``p``."""
    terms = list(ICD203_TERMS.items())
    for term, (_, high) in terms[:-1]:
        if p < high:
            return term
    return terms[-1][0]


def percent(p: float, digits: int = 0) -> str:
    """``0.613`` -> ``61%`` (fixed decimals)."""
    return f"{fmt(100 * p, digits)}%"


def _quoted(text: str) -> str:
    return f"\u201c{text.rstrip('.')}\u201d"


def _winner_sentence(ev: Evaluation, titles: Mapping[str, str], profile: str) -> str:
    setup = ev.setup
    order = [int(i) for i in ev.order]
    first = order[0]
    name = titles[ev.option_ids[first]]
    method = METHODS[setup.method].name
    unit = "Q, lower is better" if not setup.higher_is_better else "score"
    lead = f"{name} ranks first under the {profile} profile with the {method} method"
    if len(order) == 1:
        return f"{lead}; it is the only option."
    second = order[1]
    runner = titles[ev.option_ids[second]]
    if ev.ranks[second] == ev.ranks[first]:
        return f"{lead}, tied with {runner} ({unit} {fmt(float(ev.scores[first]))})."
    margin = abs(float(ev.scores[first] - ev.scores[second]))
    return (
        f"{lead} ({unit} {fmt(float(ev.scores[first]))}); its margin over the runner-up, "
        f"{runner} ({fmt(float(ev.scores[second]))}), is {fmt(margin)}."
    )


def _stability_sentence(
    sens: Sensitivity, titles: Mapping[str, str], criteria: Mapping[str, str]
) -> str:
    ev = sens.evaluation
    ids = ev.option_ids
    moves: list[tuple[float, str]] = []
    for s in sens.stability:
        crit = criteria[ev.criterion_ids[s.criterion_index]]
        if s.high_rival is not None and s.high < 1.0:
            moves.append(
                (
                    s.high - s.weight,
                    f"the weight on {crit} rises above {fmt(s.high, 2)} (now {fmt(s.weight, 2)}), "
                    f"when {titles[ids[s.high_rival]]} overtakes",
                )
            )
        if s.low_rival is not None and s.low > 0.0:
            moves.append(
                (
                    s.weight - s.low,
                    f"the weight on {crit} falls below {fmt(s.low, 2)} (now {fmt(s.weight, 2)}), "
                    f"when {titles[ids[s.low_rival]]} overtakes",
                )
            )
    if not moves:
        return (
            "No single weight, moved alone with the others rescaled in proportion, can unseat it."
        )
    moves.sort(key=lambda m: (m[0], m[1]))
    text = f"It stays first unless {moves[0][1]}"
    if len(moves) > 1:
        text += f", or unless {moves[1][1]}"
    exact = all(s.exact for s in sens.stability)
    return text + ("." if exact else " (limits found numerically).")


def _smaa_sentence(sens: Sensitivity, titles: Mapping[str, str]) -> str:
    ev = sens.evaluation
    smaa = sens.smaa
    first = int(ev.order[0])
    p = float(smaa.p_best[first])
    se = float(smaa.p_best_se[first])
    judgements = " and judgements" if sens.uncertainty else ""
    text = (
        f"It is best in {percent(p)} of {smaa.samples:,} sampled weightings{judgements} "
        f"(standard error {fmt(100 * se, 1)} points): {icd_term(p)} to be the best choice."
    )
    best = max(range(len(ev.option_ids)), key=lambda i: (float(smaa.p_best[i]), -i))
    if best != first and float(smaa.p_best[best]) > p:
        text += (
            f" {titles[ev.option_ids[best]]} is best more often "
            f"({percent(float(smaa.p_best[best]))})."
        )
    return text


def _precondition_sentences(
    sens: Sensitivity, titles: Mapping[str, str], texts: Mapping[str, str]
) -> list[str]:
    ev = sens.evaluation
    first = int(ev.order[0])
    winner = ev.option_ids[first]
    rank = float(ev.ranks[first])
    own = [w for w in sens.what_ifs if w.option == winner]
    out: list[str] = []
    if not own:
        out.append("It has no preconditions, so its feasibility is 1.")
    else:
        key = sorted(own, key=lambda w: (-(w.rank_if_failed - rank), w.likelihood, w.precondition))
        pick = key[0]
        text = (
            f"Its standing rests most on the precondition {_quoted(texts[pick.precondition])}, "
            f"which the sources judge {icd_term(pick.likelihood)} "
            f"({fmt(pick.likelihood, 2)} pooled)"
        )
        if pick.rank_if_failed > rank:
            text += f"; if it fails, it falls to rank {_rank(pick.rank_if_failed)}"
            if pick.winner_if_failed != winner:
                text += f" and {titles[pick.winner_if_failed]} ranks first"
        else:
            text += "; even if it fails, it keeps its rank"
        out.append(text + ".")
    flips = [w for w in sens.what_ifs if w.option != winner and w.winner_if_met == w.option]
    for w in flips[:3]:
        out.append(
            f"If {_quoted(texts[w.precondition])} were certain to hold, "
            f"{titles[w.option]} would rank first."
        )
    return out


def _rank(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _agreement_sentence(
    ev: Evaluation,
    comparison: Comparison,
    lenses: Mapping[str, Evaluation],
) -> str:
    winner = ev.option_ids[int(ev.order[0])]
    row = comparison.option_ids.index(winner)
    grid = [j for j, c in enumerate(comparison.columns) if not c.startswith("lens:")]
    firsts = sum(1 for j in grid if comparison.ranks[row, j] == 1.0)
    text = f"It ranks first in {firsts} of the {len(grid)} profile and method combinations"
    if lenses:
        agree = sum(
            1
            for lens in lenses.values()
            if lens.option_ids[int(lens.order[0])] == winner and lens.ranks[int(lens.order[0])] == 1
        )
        text += f", and {agree} of the {len(lenses)} sources' own views put it first"
    return text + "."


def summary_sentences(
    library: Library,
    sens: Sensitivity,
    comparison: Comparison,
    lenses: Mapping[str, Evaluation],
) -> list[str]:
    """The executive summary, one sentence (or two) per point, in reading order."""
    ev = sens.evaluation
    titles = {o.id: o.title for o in library.options}
    criteria = {c.id: c.name for c in library.all_criteria}
    texts = {p.id: p.text for o in library.options for p in o.preconditions}
    profile = library.profile(ev.setup.profile).name
    out = [
        _winner_sentence(ev, titles, profile),
        _stability_sentence(sens, titles, criteria),
        _smaa_sentence(sens, titles),
    ]
    out.extend(_precondition_sentences(sens, titles, texts))
    out.append(_agreement_sentence(ev, comparison, lenses))
    return out


def what_if_rows(
    what_ifs: Sequence[WhatIf], titles: Mapping[str, str], texts: Mapping[str, str]
) -> list[dict[str, str | bool]]:
    """Table rows for the precondition what-ifs."""
    return [
        {
            "precondition": texts[w.precondition],
            "precondition_id": w.precondition,
            "option": titles[w.option],
            "likelihood": fmt(w.likelihood, 2),
            "term": icd_term(w.likelihood) if math.isfinite(w.likelihood) else "",
            "rank_if_met": _rank(w.rank_if_met),
            "rank_if_failed": _rank(w.rank_if_failed),
            "winner_if_met": titles[w.winner_if_met],
            "winner_if_failed": titles[w.winner_if_failed],
            "changes_winner": w.changes_winner,
        }
        for w in what_ifs
    ]
