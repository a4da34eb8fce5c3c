"""Every number the report prints, formatted in one place.

Fixed decimals throughout, so the same results always give the same bytes; ``-0.000`` is
never printed. report.js mirrors :func:`fmt` (its ``fixed``) for the numbers it rewrites.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import ICD203_TERMS

__all__ = [
    "chance",
    "count",
    "distinct",
    "fmt",
    "icd_term",
    "number",
    "percent",
    "rank_text",
]


def fmt(value: float, digits: int = 3) -> str:
    """Fixed-decimal text, never ``-0.000``."""
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def number(value: float) -> str:
    """At most two decimals, trailing zeros dropped: ``4``, ``2.5``, ``0.33``."""
    text = fmt(value, 2)
    return text.rstrip("0").rstrip(".") if "." in text else text


def rank_text(value: float) -> str:
    """A rank: ``3``, or the average of tied places with one decimal, ``2.5``."""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def count(value: int) -> str:
    """A count with thousands separators: ``20,000``."""
    return f"{value:,}"


def percent(p: float, digits: int = 0) -> str:
    """``0.613`` -> ``61%`` (fixed decimals)."""
    return f"{fmt(100 * p, digits)}%"


def icd_term(p: float) -> str:
    """The ICD 203 estimative term whose range holds probability ``p`` (ranges half-open
    [low, high), the top one closed)."""
    terms = list(ICD203_TERMS.items())
    for term, (_, high) in terms[:-1]:
        if p < high:
            return term
    return terms[-1][0]


def chance(p: float, bounds: Iterable[float]) -> str:
    """``p`` as a percentage on the same side of every bound as ``p`` itself.

    With the bounds "p >= b" is read against (and "above zero"), the printed number must
    read the same as ``p``: 0.585 is "59%", 0.7996 is "79.96%" (not "80%") against 0.8,
    0.0004 is "0.04%".
    """
    limits = tuple(bounds)
    for digits in range(7):
        shown = float(fmt(100 * p, digits)) / 100
        same = all((shown >= b) == (p >= b) for b in limits)
        if same and (shown > 0) == (p > 0):
            return percent(p, digits)
    return percent(p, 7)


def distinct(value: float, current: float, digits: int = 3) -> tuple[str, str]:
    """``value`` and ``current`` with the fewest decimals (at least ``digits``) that differ."""
    for d in range(digits, 13):
        a, b = fmt(value, d), fmt(current, d)
        if a != b:
            return a, b
    return fmt(value, 12), fmt(current, 12)
