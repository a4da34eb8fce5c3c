"""Warnings about a valid library: gaps, reused quotes, near-duplicate items (DESIGN.md §3).

A gap is honest (the articles are silent), so it stays a warning; a reused quote or a
near-duplicate item counts one argument twice, so ``validate --strict`` makes those errors.

Near-duplicates: two items of the same kind (benefit, risk, precondition) in one option,
not declared with ``also_for`` to share a sentence that states both, whose quotes overlap
(one contains the other, same source), or whose wording is close: the mean of two overlap
coefficients, |A & B| / min(|A|, |B|), over the content-word stems of their texts (with
rationales) and of their quotes, is at least :data:`NEAR_DUPLICATE`.
The overlap coefficient (Szymkiewicz-Simpson) rather than Jaccard, because a restated
argument is often a short item inside a longer one.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .corpus import normalize_text
from .errors import Problem
from .model import (
    FEASIBILITY_ID,
    Benefit,
    BenefitAssessment,
    Option,
    Precondition,
    PreconditionAssessment,
    Risk,
    RiskAssessment,
    carried_options,
)
from .yaml_reader import Path_, format_path

NEAR_DUPLICATE = 0.25
"""Mean overlap of text and quote stems from which two items of one option are flagged."""

STEM = 5  # letters kept of each word: a crude stem ("sanction", "sanctions" -> "sanct")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "and",
        "or",
        "for",
        "with",
        "by",
        "from",
        "as",
        "at",
        "is",
        "are",
        "be",
        "been",
        "that",
        "this",
        "these",
        "it",
        "its",
        "their",
        "his",
        "her",
        "they",
        "them",
        "will",
        "would",
        "could",
        "can",
        "may",
        "might",
        "must",
        "not",
        "no",
        "into",
        "than",
        "more",
        "most",
        "other",
        "any",
        "all",
        "also",
        "such",
        "which",
        "who",
        "what",
        "when",
        "where",
        "while",
        "there",
        "so",
        "if",
        "but",
        "us",
    ]
)

Item = Benefit | Risk | Precondition
View = BenefitAssessment | RiskAssessment | PreconditionAssessment
Locate = Callable[[Path_], tuple[int, int]]


@dataclass(frozen=True)
class LintFile:
    """One option file: the option, its display name and a way to locate a field."""

    option: Option
    display: str
    locate: Locate


def _stems(text: str) -> frozenset[str]:
    words = re.findall(r"[a-z]+", text.lower())
    return frozenset(w[:STEM] for w in words if len(w) > 2 and w not in _STOP)


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _items(option: Option) -> Iterator[tuple[str, int, Item]]:
    for kind in ("benefits", "risks", "preconditions"):
        for i, item in enumerate(getattr(option, kind)):
            yield kind, i, item


def _views(item: Item) -> list[View]:
    return list(item.assessments)


def _problem(file: LintFile, path: Path_, code: str, message: str) -> Problem:
    line, column = file.locate(path)
    return Problem(file.display, line, column, format_path(path), code, message)


def gaps(files: list[LintFile], criteria: list[str]) -> list[Problem]:
    """One warning per option listing its gaps: criteria with no item and no declaration."""
    by_id = {f.option.id: f.option for f in files}
    out: list[Problem] = []
    for file in files:
        carried = carried_options(file.option, by_id)
        covered = {e.criterion for o in carried for e in o.benefits}
        covered.update(e.criterion for o in carried for e in o.risks)
        if any(o.preconditions for o in carried):
            covered.add(FEASIBILITY_ID)
        covered.update(u.criterion for u in file.option.unaffected)
        missing = [c for c in criteria if c not in covered]
        if missing:
            out.append(
                _problem(
                    file,
                    ("id",),
                    "gap",
                    f"gaps (no evidence, no 'unaffected' declaration): {', '.join(missing)}",
                )
            )
    return out


SHINGLE = 6  # words: every quote has at least six (the loader refuses shorter ones)


def reused_quotes(files: list[LintFile]) -> list[Problem]:
    """A sentence quoted (whole or in part) for two items, unless ``also_for`` declares it.

    Why shingles: comparing every pair of quotes is quadratic (a 1,000-option library holds
    tens of thousands). A quote inside another shares its first six words with it, so each
    quote is only compared with the quotes that contain those six words somewhere.
    """
    uses: list[tuple[LintFile, Path_, str, str, str, str | None]] = []
    for file in files:
        for kind, i, item in _items(file.option):
            for j, view in enumerate(_views(item)):
                text = normalize_text(view.quote).lower()
                path = (kind, i, "assessments", j, "quote")
                uses.append((file, path, item.id, view.source, text, view.also_for))
    holders: dict[tuple[str, tuple[str, ...]], set[int]] = {}
    for n, use in enumerate(uses):
        words = use[4].split()
        for k in range(max(1, len(words) - SHINGLE + 1)):
            holders.setdefault((use[3], tuple(words[k : k + SHINGLE])), set()).add(n)
    pairs: set[tuple[int, int]] = set()
    for n, use in enumerate(uses):
        head = (use[3], tuple(use[4].split()[:SHINGLE]))
        for other in holders.get(head, ()):
            if other != n and use[4] in uses[other][4]:
                pairs.add((min(n, other), max(n, other)))
    out: list[Problem] = []
    for first, second in sorted(pairs):
        a, b = uses[first], uses[second]
        if a[2] == b[2] or a[5] == b[2] or b[5] == a[2]:
            continue  # one item's own quotes, or declared: the sentence states both arguments
        out.append(
            _problem(
                b[0],
                b[1],
                "reused-quote",
                f"this quote is also used for '{a[2]}' ({a[0].display}); quote a sentence for "
                "one item, or declare a sentence that truly states both arguments with "
                f"also_for: {a[2]}",
            )
        )
    return out


def near_duplicates(files: list[LintFile]) -> list[Problem]:
    """Items of the same kind in one option that restate one argument (module docstring)."""
    out: list[Problem] = []
    for file in files:
        entries = []
        for kind, i, item in _items(file.option):
            words = item.text + " " + (getattr(item, "rationale", None) or "")
            quotes = [normalize_text(v.quote).lower() for v in _views(item)]
            declared = {v.also_for for v in _views(item) if v.also_for}
            entries.append(
                (kind, i, item, _stems(words), _stems(" ".join(quotes)), quotes, declared)
            )
        for a, b in itertools.combinations(entries, 2):
            if a[0] != b[0] or a[2].id in b[6] or b[2].id in a[6]:
                continue  # other kinds, or a sentence declared to state both arguments
            shared = any(qa in qb or qb in qa for qa in a[5] for qb in b[5])
            score = (_overlap(a[3], b[3]) + _overlap(a[4], b[4])) / 2
            if shared or score >= NEAR_DUPLICATE:
                why = "they share a quote" if shared else f"wording overlap {score:.2f}"
                out.append(
                    _problem(
                        file,
                        (b[0], b[1], "id"),
                        "near-duplicate",
                        f"'{b[2].id}' looks like a restatement of '{a[2].id}' ({why}); one "
                        "item per argument: merge them, adding the other source's view as an "
                        "assessment",
                    )
                )
    return out
