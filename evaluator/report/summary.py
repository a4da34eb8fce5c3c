"""The verdict: the report's bottom line in plain words, generated from the numbers.

Two steps, so every claim can be checked against the number it rests on:
:func:`verdict_facts` reads the results into a :class:`VerdictFacts` of plain numbers and
names, and :func:`compose_verdict` turns those into sentences (and returns the numbers each
sentence states, under ``claims``). Tests build :class:`VerdictFacts` by hand.

The verdict words are DESIGN.md section 5's: an option is the **clear winner** when its
p_best >= 0.8; otherwise the options taken in p_best order whose p_best sums to >= 0.9 are
**effectively tied**; an option is **robustly worst** when its last-rank acceptability is
>= 0.8. Probabilities are put back into the ICD 203 estimative words the analysts wrote
them in (a probability p takes the term whose range holds it, ranges taken as half-open
[low, high) with the top one closed, and anything below 0.01 or above 0.99 the nearest end
term), always with the number beside them. Numbers are printed with as many digits as it
takes never to land on the wrong side of a threshold they are compared with: 0.7996 is
"79.96%", not "80%", under "no clear winner"; a weight threshold never prints equal to the
current weight.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from ..evaluation import Comparison, Evaluation
from ..model import ICD203_TERMS, Library
from ..scoring import METHODS
from ..sensitivity import Sensitivity, WhatIf
from . import formatting
from .formatting import count, distinct, fmt, icd_term, rank_text

#: DESIGN.md section 5.
CLEAR_WINNER = 0.8
TIED_MASS = 0.9
ROBUSTLY_WORST = 0.8
#: A stability limit closer than this to the current weight is "the slightest change".
EDGE = 1e-6
#: Kendall's tau medians closer than this: profile and method "matter about equally".
TAU_MARGIN = 0.1

_BOUNDS = tuple(
    sorted(
        {0.0, 1.0, CLEAR_WINNER, TIED_MASS, ROBUSTLY_WORST}
        | {b for bounds in ICD203_TERMS.values() for b in bounds}
    )
)


def chance(p: float) -> str:
    """``p`` as a percentage on the same side of every verdict threshold and ICD 203 range
    end as ``p`` itself (:func:`evaluator.report.formatting.chance`)."""
    return formatting.chance(p, _BOUNDS)


def with_term(p: float) -> str:
    """``59% (likely)``: the number, then its ICD 203 word."""
    return f"{chance(p)} ({icd_term(p)})"


SHORT = 30


def short_label(option_id: str, title: str) -> str:
    """A short name for charts and the verdict: the title if short, else the part before
    a colon, else the option id in words (``grand-bargain`` -> ``Grand bargain``)."""
    if len(title) <= SHORT:
        return title
    head = title.split(":", 1)[0].strip()
    if head and len(head) <= SHORT:
        return head
    words = option_id.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else title


def _quoted(text: str) -> str:
    return f"\u201c{text.rstrip('.')}\u201d"


def _names(items: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


# Facts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """One end of the winner's weight stability interval: where a rival overtakes."""

    criterion: str  # criterion name
    rises: bool  # True: the weight rising above ``threshold``; False: falling below it
    threshold: float
    weight: float  # the weight now
    rival: str  # option id

    @property
    def distance(self) -> float:
        return abs(self.threshold - self.weight)


@dataclass(frozen=True)
class Support:
    """How the per-source lenses treat one option."""

    first: int  # sources that discuss it and rank it first (rank exactly 1)
    discussing: int  # sources that discuss it
    sources: int  # all sources


@dataclass(frozen=True)
class Fragility:
    """A precondition of the winner whose failure hands first place to another option."""

    text: str
    likelihood: float
    winner_if_failed: str  # option id


@dataclass(frozen=True)
class VerdictFacts:
    """Every number the verdict states, in plain values (option ids as keys)."""

    titles: Mapping[str, str]
    order: Sequence[str]  # option ids in the run's rank order
    scores: Mapping[str, float]
    ranks: Mapping[str, float]
    higher_is_better: bool
    profile: str  # profile name
    method: str  # method name
    samples: int
    p_best: Mapping[str, float]
    p_last: Mapping[str, float]
    moves: Sequence[Move] = ()
    exact: bool = True  # stability limits in closed form
    columns: int = 0  # profile x method columns of the comparison
    column_firsts: Mapping[str, int] = field(default_factory=dict)  # columns ranking it 1
    tau_within_profile: float | None = None  # median tau, same profile, other method
    tau_across_profiles: float | None = None  # median tau, same method, other profile
    gap_policy: str = "neutral"
    winner_by_gap_policy: Mapping[str, str] = field(default_factory=dict)
    coverage: Mapping[str, int] = field(default_factory=dict)  # evidence/unaffected/gap
    support: Mapping[str, Support] = field(default_factory=dict)
    fragility: Fragility | None = None


def verdict_facts(
    library: Library,
    sens: Sensitivity,
    comparison: Comparison,
    lenses: Mapping[str, Evaluation],
) -> VerdictFacts:
    """Read the report's results into :class:`VerdictFacts`."""
    ev = sens.evaluation
    ids = ev.option_ids
    smaa = sens.smaa
    rows = {o: smaa.options.index(o) for o in ids}
    winner = ev.winner
    texts = {p.id: p.text for o in library.options for p in o.preconditions}
    return VerdictFacts(
        titles={o.id: short_label(o.id, o.title) for o in library.options if o.id in rows},
        order=[ids[int(i)] for i in ev.order],
        scores={o: float(ev.scores[i]) for i, o in enumerate(ids)},
        ranks={o: float(ev.ranks[i]) for i, o in enumerate(ids)},
        higher_is_better=ev.setup.higher_is_better,
        profile=library.profile(ev.setup.profile).name,
        method=METHODS[ev.setup.method].name,
        samples=smaa.samples,
        p_best={o: float(smaa.rank_acceptability[rows[o], 0]) for o in ids},
        p_last={o: float(smaa.rank_acceptability[rows[o], -1]) for o in ids},
        moves=_moves(sens),
        exact=all(s.exact for s in sens.stability),
        columns=len(_grid(comparison)),
        column_firsts=_column_firsts(comparison),
        tau_within_profile=_tau_median(comparison, same_profile=True),
        tau_across_profiles=_tau_median(comparison, same_profile=False),
        gap_policy=ev.setup.run.gaps,
        winner_by_gap_policy=dict(ev.winner_by_gap_policy),
        coverage=_coverage_counts(ev),
        support=_support(ids, lenses),
        fragility=_fragility(sens.what_ifs, winner, texts),
    )


def _moves(sens: Sensitivity) -> list[Move]:
    ev = sens.evaluation
    ids = ev.option_ids
    names = {c.id: c.name for c in ev.library.all_criteria}
    out: list[Move] = []
    for s in sens.stability:
        crit = names[ev.criterion_ids[s.criterion_index]]
        if s.high_rival is not None and s.high < 1.0:
            out.append(Move(crit, True, s.high, s.weight, ids[s.high_rival]))
        if s.low_rival is not None and s.low > 0.0:
            out.append(Move(crit, False, s.low, s.weight, ids[s.low_rival]))
    return out


def _grid(comparison: Comparison) -> list[int]:
    return [j for j, c in enumerate(comparison.columns) if not c.startswith("lens:")]


def _column_firsts(comparison: Comparison) -> dict[str, int]:
    out: dict[str, int] = {}
    for j in _grid(comparison):
        for i, o in enumerate(comparison.option_ids):
            if comparison.ranks[i, j] == 1.0:
                out[o] = out.get(o, 0) + 1
    return out


def _tau_median(comparison: Comparison, *, same_profile: bool) -> float | None:
    """Median Kendall's tau over column pairs sharing the profile (other method), or sharing
    the method (other profile)."""
    grid = _grid(comparison)
    keys = {j: comparison.columns[j].split(":", 1) for j in grid}
    values = []
    for a, ja in enumerate(grid):
        for jb in grid[a + 1 :]:
            (pa, ma), (pb, mb) = keys[ja], keys[jb]
            pair = pa == pb and ma != mb if same_profile else ma == mb and pa != pb
            tau = float(comparison.tau[ja, jb])
            if pair and not math.isnan(tau):
                values.append(tau)
    return float(median(values)) if values else None


def _coverage_counts(ev: Evaluation) -> dict[str, int]:
    counts = {"evidence": 0, "unaffected": 0, "gap": 0}
    for row in ev.setup.evidence.coverage_labels().values():
        for label in row.values():
            counts[label] = counts.get(label, 0) + 1
    return counts


def _support(ids: Sequence[str], lenses: Mapping[str, Evaluation]) -> dict[str, Support]:
    out: dict[str, Support] = {}
    for o in ids:
        first = discussing = 0
        for lens in lenses.values():
            silent = lens.lens.options_not_discussed if lens.lens else ()
            if o in silent or o not in lens.option_ids:
                continue
            discussing += 1
            first += float(lens.ranks[lens.option_ids.index(o)]) == 1.0
        out[o] = Support(first, discussing, len(lenses))
    return out


def _fragility(
    what_ifs: Sequence[WhatIf], winner: str, texts: Mapping[str, str]
) -> Fragility | None:
    """The winner's precondition whose failure changes the winner, likeliest to fail first."""
    own = [w for w in what_ifs if w.option == winner and w.winner_if_failed != winner]
    if not own:
        return None
    pick = min(own, key=lambda w: (w.likelihood, w.precondition))
    return Fragility(texts[pick.precondition], pick.likelihood, pick.winner_if_failed)


# Sentences ---------------------------------------------------------------------------------


def contenders(p_best: Mapping[str, float], order: Sequence[str]) -> tuple[str | None, list[str]]:
    """(clear winner or None, the effectively tied options in p_best order).

    Ties in p_best keep the run's rank order.
    """
    ranked = sorted(order, key=lambda o: (-p_best[o], order.index(o)))
    if not ranked:
        return None, []
    if p_best[ranked[0]] >= CLEAR_WINNER:
        return ranked[0], [ranked[0]]
    tied: list[str] = []
    for o in ranked:
        tied.append(o)
        if mass(p_best[x] for x in tied) >= TIED_MASS:
            break
    return None, tied


def mass(values: Iterable[float]) -> float:
    """A sum of shares, exact to 12 decimals (0.6 + 0.3 is 0.9, not 0.8999...)."""
    return round(math.fsum(values), 12)


def compose_verdict(f: VerdictFacts) -> dict[str, Any]:
    """The verdict's headline, its supporting points and the numbers each one states."""
    t = f.titles
    clear, tied = contenders(f.p_best, f.order)
    claims: dict[str, Any] = {"clear_winner": clear, "tied": tied}
    draws = f"{count(f.samples)} draws of the weights and judgements"
    if clear is not None:
        headline = (
            f"{t[clear]} is the clear winner: best in {chance(f.p_best[clear])} of {draws} "
            f"({icd_term(f.p_best[clear])})."
        )
        shown = sorted(f.order, key=lambda o: (-f.p_best[o], f.order.index(o)))[:3]
    else:
        together = mass(f.p_best[o] for o in tied)
        claims["tied_mass"] = together
        headline = (
            f"No option is a clear winner: {_names([t[o] for o in tied])} are effectively "
            f"tied, together best in {chance(together)} of {draws}."
        )
        shown = list(tied)
    claims["chances"] = {o: f.p_best[o] for o in shown}
    each = "; ".join(f"{t[o]} {with_term(f.p_best[o])}" for o in shown)
    points: list[dict[str, str]] = [{"label": "Chance of being best", "text": f"{each}."}]
    points.append({"label": "At these weights", "text": _point_sentence(f, clear, tied)})
    for label, text in _decides(f, clear, claims):
        points.append({"label": label, "text": text})
    points.append({"label": "Worst", "text": _worst_sentence(f, claims)})
    points.append({"label": "Gaps", "text": _gap_sentence(f, claims)})
    if f.fragility is not None:
        fr = f.fragility
        points.append(
            {
                "label": "Fragile",
                "text": f"{t[f.order[0]]}'s lead rests on {_quoted(fr.text)}, judged "
                f"{icd_term(fr.likelihood)} ({fmt(fr.likelihood, 2)} pooled); if it fails, "
                f"{t[fr.winner_if_failed]} ranks first.",
            }
        )
        claims["fragility"] = fr
    sources = _sources_sentence(f, clear, tied, claims)
    if sources:
        points.append({"label": "Sources", "text": sources})
    return {"headline": headline, "points": points, "claims": claims}


def _score_text(f: VerdictFacts, option: str) -> str:
    unit = "score" if f.higher_is_better else "Q, lower is better,"
    return f"{unit} {fmt(f.scores[option])}"


def _point_sentence(f: VerdictFacts, clear: str | None, tied: Sequence[str]) -> str:
    t = f.titles
    first = f.order[0]
    lead = (
        f"With the {f.profile} profile's own weights and the {f.method} method, "
        f"{t[first]} ranks first"
    )
    if len(f.order) == 1:
        return f"{lead}; it is the only option."
    second = f.order[1]
    if f.ranks[second] == f.ranks[first]:
        text = f"{lead}, tied with {t[second]} ({_score_text(f, first)})"
    else:
        margin = abs(f.scores[first] - f.scores[second])
        text = (
            f"{lead} ({_score_text(f, first)}), {fmt(margin)} ahead of {t[second]} "
            f"({fmt(f.scores[second])})"
        )
    if first not in tied:
        p = f.p_best[first]
        text += f", yet it is best in only {with_term(p)} of the draws"
    return text + "."


def _decides(f: VerdictFacts, clear: str | None, claims: dict[str, Any]) -> list[tuple[str, str]]:
    """What decides between the contenders: the closest weight, profile or method, and who
    ranks first under the other profiles and methods."""
    t = f.titles
    out: list[tuple[str, str]] = []
    label = "What decides" if clear is None else "What could change it"
    if f.moves:
        move = min(f.moves, key=lambda m: (m.distance, m.criterion, m.rises))
        claims["closest_move"] = move
        threshold, now = distinct(move.threshold, move.weight)
        way = "rises above" if move.rises else "falls below"
        about, how = ("", "") if f.exact else ("about ", "; found numerically")
        if move.distance < EDGE:
            claims["on_the_edge"] = True
            text = (
                f"The closest call is the weight on {move.criterion}: the slightest "
                f"{'rise' if move.rises else 'fall'} from its current {fmt(move.weight)} puts "
                f"{t[move.rival]} ahead of {t[f.order[0]]}."
            )
        else:
            text = (
                f"The closest call is the weight on {move.criterion}: if it {way} {about}"
                f"{threshold} (now {now}{how}), {t[move.rival]} overtakes {t[f.order[0]]}."
            )
        out.append((label, text))
    elif len(f.order) > 1:
        out.append(
            (
                label,
                "No single weight, moved alone with the others rescaled in proportion, "
                f"unseats {t[f.order[0]]}.",
            )
        )
    within, across = f.tau_within_profile, f.tau_across_profiles
    if within is not None and across is not None:
        claims["tau"] = (within, across)
        numbers = (
            f"median Kendall\u2019s \u03c4 {fmt(within, 2)} between methods under one "
            f"profile, {fmt(across, 2)} between profiles under one method"
        )
        if within - across >= TAU_MARGIN:
            claims["matters_more"] = "profile"
            text = f"The value profile matters more than the method ({numbers})."
        elif across - within >= TAU_MARGIN:
            claims["matters_more"] = "method"
            text = f"The method matters more than the value profile ({numbers})."
        else:
            claims["matters_more"] = "equal"
            text = f"The value profile and the method matter about equally ({numbers})."
        out.append(("Profile or method", text))
    firsts = sorted(
        ((n, o) for o, n in f.column_firsts.items() if n > 0),
        key=lambda x: (-x[0], f.order.index(x[1]) if x[1] in f.order else len(f.order)),
    )
    claims["column_firsts"] = {o: n for n, o in firsts}
    if f.columns and firsts:
        shown = [f"{t.get(o, o)} in {n}" for n, o in firsts[:3]]
        rest = sum(n for n, _ in firsts[3:])
        if rest:
            shown.append(f"others in {rest}")
        alone = sum(n for n, _ in firsts)
        shared = (
            f" (in {f.columns - alone} of them no option ranks first alone)"
            if alone < f.columns
            else ""
        )
        out.append(
            (
                "Other views",
                f"Across the {f.columns} profile \u00d7 method combinations{shared}, first "
                f"place goes to {_names(shown)}.",
            )
        )
    return out


def _worst_sentence(f: VerdictFacts, claims: dict[str, Any]) -> str:
    t = f.titles
    if len(f.order) < 2:
        return "With one option there is no worst."
    worst = sorted(f.order, key=lambda o: (-f.p_last[o], -f.order.index(o)))[0]
    p = f.p_last[worst]
    if p >= ROBUSTLY_WORST:
        claims["robustly_worst"] = worst
        return f"{t[worst]} is robustly worst: last in {with_term(p)} of the draws."
    claims["robustly_worst"] = None
    claims["most_often_last"] = worst
    return (
        f"No option is robustly worst (last in {chance(ROBUSTLY_WORST)} of the draws or more); "
        f"{t[worst]} is last most often, in {with_term(p)}."
    )


def _gap_sentence(f: VerdictFacts, claims: dict[str, Any]) -> str:
    t = f.titles
    cells = sum(f.coverage.values())
    gaps = f.coverage.get("gap", 0)
    claims["gaps"] = (gaps, cells)
    winners = dict(f.winner_by_gap_policy)
    depends = len(set(winners.values())) > 1
    claims["depends_on_gaps"] = depends
    count = f"{gaps} of the {cells} option \u00d7 criterion cells are evidence gaps"
    if gaps == 0:
        return (
            f"None of the {cells} option \u00d7 criterion cells is an evidence gap: each has "
            "evidence or an explicit \u201cunaffected\u201d."
        )
    if depends:
        by_winner: dict[str, list[str]] = {}
        for policy, w in winners.items():
            by_winner.setdefault(w, []).append(policy)
        said = "; ".join(
            f"{t.get(w, w)} with gaps {' or '.join(ps)}" for w, ps in by_winner.items()
        )
        return (
            f"The winner depends on how evidence gaps are filled: {said} (this report: "
            f"{f.gap_policy}). {count[0].upper()}{count[1:]}."
        )
    only = next(iter(winners.values()), f.order[0])
    return f"{count}, but {t.get(only, only)} ranks first whichever way they are filled."


def _sources_sentence(
    f: VerdictFacts, clear: str | None, tied: Sequence[str], claims: dict[str, Any]
) -> str:
    t = f.titles
    if not f.support:
        return ""
    about = list(dict.fromkeys([*(tied[:3]), f.order[0]]))
    parts = []
    for o in about:
        s = f.support.get(o)
        if s is None:
            continue
        silent = s.sources - s.discussing
        if s.discussing == 0:
            parts.append(f"none of the {s.sources} sources discusses {t[o]}")
            continue
        text = f"{s.first} of the {s.discussing} that discuss {t[o]} put it first"
        if silent:
            text += f" ({silent} do{'es' if silent == 1 else ''} not discuss it)"
        parts.append(text)
    claims["support"] = {o: f.support[o] for o in about if o in f.support}
    if not parts:
        return ""
    text = "; ".join(parts)
    sources = max(s.sources for s in f.support.values())
    return f"Seen through each of the {sources} sources alone: {text}."


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
            "rank_if_met": rank_text(w.rank_if_met),
            "rank_if_failed": rank_text(w.rank_if_failed),
            "winner_if_met": titles[w.winner_if_met],
            "winner_if_failed": titles[w.winner_if_failed],
            "changes_winner": w.changes_winner,
        }
        for w in what_ifs
    ]
