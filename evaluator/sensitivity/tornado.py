"""Tornado: every option's score as each weight swings between a low and a high bound.

For criterion ``k`` the weight is set to a low and a high value, the other weights rescaled in
proportion exactly as for the stability intervals (``w_j = w0_j (1 - t) / (1 - w0_k)``,
notes/analysis.md section 5.3, companion chart). By default the bounds are
``(1 - spread) * w0_k`` and ``min(1, (1 + spread) * w0_k)``.

**Swing** is the change in the current winner's score, ``score(high) - score(low)``, signed
and in the method's own units (so for VIKOR, where lower is better, a negative swing favours
the winner). Items are sorted by ``|swing|``, largest first, criteria in their given order on
equal swings. The winner is the option on top at the current weights, ties broken by option id.

Why the winner's change (notes 5.3) rather than the largest change of any option: the bar then
measures how much the recommended option's case depends on that weight, the question the
tornado answers in the report; every option's low and high scores are still in each item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .stability import (
    ScoreFn,
    check_weights,
    id_tie_rank,
    oriented_scores,
    rescaled_weights,
    top_option,
)


@dataclass(frozen=True)
class TornadoItem:
    """One bar of the tornado: scores of every option at a criterion's low and high weight."""

    criterion: str
    low_weight: float
    high_weight: float
    low: dict[str, float]
    high: dict[str, float]
    swing: float
    winner: str

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of DESIGN.md section 7 (a ``tornado`` item)."""
        return {
            "criterion": self.criterion,
            "low_weight": self.low_weight,
            "high_weight": self.high_weight,
            "low": dict(self.low),
            "high": dict(self.high),
            "swing": self.swing,
        }


def _weight_bounds(
    w0: float, criterion: str, spread: float, bounds: Mapping[str, tuple[float, float]] | None
) -> tuple[float, float]:
    if bounds is not None and criterion in bounds:
        low, high = (float(x) for x in bounds[criterion])
        if not 0.0 <= low <= high <= 1.0:
            raise ValueError(f"bounds for {criterion!r} must satisfy 0 <= low <= high <= 1")
        return low, high
    return (1.0 - spread) * w0, min(1.0, (1.0 + spread) * w0)


def tornado(
    score_fn: ScoreFn,
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    *,
    criteria: Sequence[str],
    options: Sequence[str],
    higher_is_better: bool = True,
    spread: float = 0.5,
    bounds: Mapping[str, tuple[float, float]] | None = None,
) -> list[TornadoItem]:
    """Tornado items for every criterion, sorted by ``|swing|`` descending.

    ``bounds`` maps a criterion id to its own ``(low_weight, high_weight)`` (e.g. its range
    across profiles); criteria not in it use ``spread``. One batched ``score_fn`` call.
    """
    w0 = check_weights(weights)
    mat = np.asarray(matrix, dtype=np.float64)
    n, m = w0.size, len(options)
    if len(criteria) != n:
        raise ValueError(f"got {len(criteria)} criterion ids for {n} weights")
    if mat.shape != (m, n):
        raise ValueError(f"matrix must be {m} x {n} (options x criteria), got {mat.shape}")
    if not 0.0 <= spread <= 1.0:
        raise ValueError(f"spread must be in [0, 1], got {spread}")
    if bounds is not None and (unknown := sorted(set(bounds) - set(criteria))):
        raise ValueError(f"bounds name unknown criteria: {unknown}")

    levels = [_weight_bounds(float(w0[k]), c, spread, bounds) for k, c in enumerate(criteria)]
    stack = np.concatenate(
        [w0[None, :]] + [rescaled_weights(w0, k, lh) for k, lh in enumerate(levels)]
    )
    raw = oriented_scores(score_fn, mat, stack, higher_is_better=True)
    oriented = raw if higher_is_better else -raw
    b = top_option(oriented[0], id_tie_rank(options))

    items = []
    for k, c in enumerate(criteria):
        low_s, high_s = raw[1 + 2 * k], raw[2 + 2 * k]
        items.append(
            TornadoItem(
                criterion=c,
                low_weight=levels[k][0],
                high_weight=levels[k][1],
                low={o: float(x) for o, x in zip(options, low_s, strict=True)},
                high={o: float(x) for o, x in zip(options, high_s, strict=True)},
                swing=float(high_s[b] - low_s[b]),
                winner=options[b],
            )
        )
    return sorted(items, key=lambda item: -abs(item.swing))
