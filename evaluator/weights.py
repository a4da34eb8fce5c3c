"""Weight vectors from profiles, overrides and rankings.

Rank-order-centroid (ROC) weights for a ranking of n criteria: the criterion in place r
gets ``w_r = (1/n) * sum_{k=r..n} 1/k`` (Barron & Barrett 1996; notes/analysis.md 5.2);
tied criteria share the mean of the weights of the places they occupy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from .errors import InputError, OptionError
from .model import Profile

FloatArray = npt.NDArray[np.float64]
RankingSpec = Sequence[str | Sequence[str]]


def roc_weights(n: int) -> FloatArray:
    """ROC weights for places 1..n (they sum to 1)."""
    inverse = 1.0 / np.arange(1, n + 1)
    return np.cumsum(inverse[::-1])[::-1] / n


def ranking_weights(ranking: RankingSpec, criterion_ids: Sequence[str]) -> FloatArray:
    """ROC weights in ``criterion_ids`` order for a ranking with nested-list ties."""
    groups = [[entry] if isinstance(entry, str) else list(entry) for entry in ranking]
    flat = [c for group in groups for c in group]
    _check_ranking(flat, criterion_ids)
    places = roc_weights(len(flat))
    weights = dict.fromkeys(criterion_ids, 0.0)
    start = 0
    for group in groups:
        shared = float(places[start : start + len(group)].mean())
        for criterion in group:
            weights[criterion] = shared
        start += len(group)
    return np.array([weights[c] for c in criterion_ids])


def _check_ranking(flat: list[str], criterion_ids: Sequence[str]) -> None:
    known = ", ".join(criterion_ids)
    unknown = [c for c in flat if c not in criterion_ids]
    if unknown:
        raise OptionError("ranking", f"unknown criterion '{unknown[0]}'; criteria are: {known}")
    repeated = sorted({c for c in flat if flat.count(c) > 1})
    if repeated:
        raise OptionError("ranking", f"'{repeated[0]}' is ranked more than once")
    missing = [c for c in criterion_ids if c not in flat]
    if missing:
        raise OptionError("ranking", f"leaves out {', '.join(missing)}; rank every criterion once")


def profile_weights(profile: Profile, criterion_ids: Sequence[str]) -> FloatArray:
    """A profile's weights in ``criterion_ids`` order, normalized to sum 1."""
    if profile.ranking is not None:
        return ranking_weights(profile.ranking, criterion_ids)
    raw = profile.weights or {}
    return normalize_weights(np.array([float(raw.get(c, 0.0)) for c in criterion_ids]), "profile")


def normalize_weights(weights: FloatArray, what: str = "weights") -> FloatArray:
    """Divide by the sum; refuse negative, NaN and all-zero vectors with a user error."""
    if not np.all(np.isfinite(weights)):
        raise InputError(f"{what}: weights must be finite numbers (got NaN or infinity)")
    if np.any(weights < 0):
        raise InputError(f"{what}: weights must not be negative")
    with np.errstate(over="ignore"):
        total = float(weights.sum())
    if total <= 0:
        raise InputError(f"{what}: weights must not all be zero")
    if not math.isfinite(total):
        # Finite weights whose sum overflows (1e308 twice): only their ratios matter.
        weights = weights / weights.max()
        total = float(weights.sum())
    result: FloatArray = weights / total
    return result


def parse_weight_overrides(items: Sequence[str]) -> dict[str, float]:
    """``["alliances=0.3", ...]`` -> ``{"alliances": 0.3}``; user errors for bad syntax."""
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--weight '{item}': expected CRITERION=NUMBER, e.g. feasibility=0.2")
        try:
            number = float(value)
        except ValueError:
            raise InputError(f"--weight '{item}': '{value}' is not a number") from None
        if not math.isfinite(number) or number < 0:
            raise InputError(f"--weight '{item}': a weight must be a finite number >= 0")
        out[name.strip()] = number
    return out


def apply_overrides(
    base: FloatArray, overrides: Mapping[str, float], criterion_ids: Sequence[str]
) -> FloatArray:
    """Set each overridden criterion's relative weight against ``base``, then renormalize.

    ``base`` is the profile's normalized vector; with an override for every criterion the
    overrides alone fix the vector.
    """
    unknown = [c for c in overrides if c not in criterion_ids]
    if unknown:
        raise OptionError(
            "weights",
            f"unknown criterion '{unknown[0]}'; criteria are: {', '.join(criterion_ids)}",
            unknown[0],
        )
    result = base.copy()
    for j, criterion in enumerate(criterion_ids):
        if criterion in overrides:
            result[j] = overrides[criterion]
    try:
        return normalize_weights(result, "weights")
    except InputError as exc:
        raise OptionError("weights", str(exc).removeprefix("weights: ")) from None


def parse_ranking(text: str) -> list[str | list[str]]:
    """``"a,b+c,d"`` -> ``["a", ["b", "c"], "d"]`` (``+`` joins tied criteria)."""
    out: list[str | list[str]] = []
    for part in text.split(","):
        names = [p.strip() for p in part.split("+") if p.strip()]
        if not names:
            raise OptionError(
                "ranking", f"'{text}' has an empty entry; write C1,C2+C3,C4 (+ for a tie)"
            )
        out.append(names[0] if len(names) == 1 else names)
    return out
