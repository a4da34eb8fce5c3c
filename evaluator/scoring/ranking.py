"""Scores to ranks, with one tie policy shared by every method.

Tables (one score vector): scores within ``rtol x max|score|`` (1e-9 by default) of each
other are tied, because floating point splits exact ties (0.6 and 0.6000000000000001 are
the same score). Ties chain: sorted scores whose successive gaps are all within the
tolerance form one group. A tied group gets the average of the positions it spans (2.5 for
two options sharing places 2 and 3), and, where a permutation is needed, option ids give
the order inside a group.

Monte Carlo (a k x m block of scores): :func:`rank_positions` gives every draw a strict
order, breaking only *exact* ties by option id, with one stable argsort over the block, so
each row and each column of the rank acceptability matrix sums to 1.

``higher_is_better=False`` reverses the direction (VIKOR's Q, where lower is better).

References
----------
Kendall, M. G. (1945). The treatment of ties in ranking problems. *Biometrika*, 33(3),
239-251 (average ranks for ties).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from evaluator.scoring.normalize import FloatArray, as_float_array

TIE_RTOL = 1e-9
"""Scores closer than this times max|score| are tied.

Read at call time (``rtol=None``), so this one name sets the tolerance for every caller,
the report's page included (it embeds the value :func:`tie_rtol` returns).
"""


def tie_rtol(rtol: float | None = None) -> float:
    """``rtol``, or the module's :data:`TIE_RTOL` as it is now when None."""
    return TIE_RTOL if rtol is None else rtol


def _vector(scores: npt.ArrayLike) -> FloatArray:
    s = as_float_array(scores, "scores")
    if s.ndim != 1:
        raise ValueError(f"scores must be one value per option (1-D); got shape {s.shape}")
    if np.any(np.isnan(s)):
        raise ValueError("scores contain NaN")
    return s


def _id_keys(ids: Sequence[str] | None, m: int) -> npt.NDArray[np.intp]:
    """Each option's position in id order (index order when ``ids`` is None)."""
    if ids is None:
        return np.arange(m, dtype=np.intp)
    if len(ids) != m:
        raise ValueError(f"got {len(ids)} ids for {m} scores")
    keys = np.empty(m, dtype=np.intp)
    keys[sorted(range(m), key=lambda i: ids[i])] = np.arange(m, dtype=np.intp)
    return keys


def id_keys(ids: Sequence[str]) -> npt.NDArray[np.intp]:
    """Each option's position in ascending id order: the order inside a tie."""
    return _id_keys(ids, len(ids))


def tie_groups(
    scores: npt.ArrayLike,
    *,
    higher_is_better: bool = True,
    rtol: float | None = None,
    scale: npt.ArrayLike | None = None,
) -> npt.NDArray[np.intp]:
    """Group number of each option along the last axis: 0 for the best group, and so on.

    ``scores`` is (m,) or batched (..., m). Sorted scores are split wherever two
    successive ones differ by more than ``rtol x max|score|`` (ties chain). ``scale``
    (shape ``scores.shape[:-1]``) replaces ``max|score|`` when ``scores`` holds only some
    options of longer rows, a run of consecutive ones in score order (their groups are then
    the full rows' groups, renumbered from 0); the tolerance must stay the full rows'.
    """
    s = as_float_array(scores, "scores")
    if s.ndim == 0:
        raise ValueError("scores must have at least one axis (options)")
    if np.any(np.isnan(s)):
        raise ValueError("scores contain NaN")
    key = -s if higher_is_better else s
    order_ = np.argsort(key, axis=-1, kind="stable")
    srt = np.take_along_axis(key, order_, axis=-1)
    if s.shape[-1] == 0:
        return np.zeros(s.shape, dtype=np.intp)
    size = np.max(np.abs(s), axis=-1) if scale is None else np.asarray(scale, dtype=np.float64)
    tol = tie_rtol(rtol) * size[..., None]
    gaps = (srt[..., 1:] - srt[..., :-1]) > tol
    sorted_groups = np.concatenate(
        [np.zeros((*s.shape[:-1], 1), dtype=np.intp), np.cumsum(gaps, axis=-1)], axis=-1
    )
    groups = np.empty_like(order_)
    np.put_along_axis(groups, order_, sorted_groups.astype(np.intp), axis=-1)
    return groups


def is_top(scores: npt.ArrayLike, b: int) -> npt.NDArray[np.bool_]:
    """Row-wise: is option ``b`` in the top tie group (higher is better)?

    Same answer as ``tie_groups(scores)[..., b] == 0``, mostly without sorting. Ties chain
    (successive sorted scores within the tolerance), so with ``gap = max - s_b``: ``gap <=
    tol`` puts ``b`` on top, and since m options make at most m - 1 links, ``gap`` beyond
    ``(m - 1) tol`` rules it out (checked with a 2x margin for rounding). Only rows in
    between are sorted. Why: the SMAA confidence pass asks this for every draw and every
    first-ranked option.
    """
    s = np.asarray(scores, dtype=np.float64)
    tol = tie_rtol() * np.max(np.abs(s), axis=-1)
    gap = np.max(s, axis=-1) - s[..., b]
    top = np.asarray(gap <= tol)
    unsure = ~top & (gap <= 2 * s.shape[-1] * tol)
    if np.any(unsure):
        top[unsure] = tie_groups(s[unsure])[..., b] == 0
    return top


def rank(
    scores: npt.ArrayLike, *, higher_is_better: bool = True, rtol: float | None = None
) -> FloatArray:
    """Average ranks, 1 = best; tied options share the mean of their places (2.5).

    Parameters
    ----------
    scores : array_like, shape (m,)
    higher_is_better : bool
        False for methods where a lower score is better (VIKOR).
    rtol : float or None
        Scores within ``rtol * max|score|`` of each other are tied; None for
        :data:`TIE_RTOL`.
    """
    groups = tie_groups(_vector(scores), higher_is_better=higher_is_better, rtol=rtol)
    counts = np.bincount(groups)
    first = np.cumsum(counts) - counts + 1  # first place of each group
    result: FloatArray = (first + (counts - 1) / 2.0)[groups].astype(np.float64)
    return result


def order(
    scores: npt.ArrayLike,
    ids: Sequence[str] | None = None,
    *,
    higher_is_better: bool = True,
    rtol: float | None = None,
) -> npt.NDArray[np.intp]:
    """Option indices best first; inside a tie, in ascending id order (index order if None)."""
    groups = tie_groups(_vector(scores), higher_is_better=higher_is_better, rtol=rtol)
    keys = _id_keys(ids, groups.size)
    result: npt.NDArray[np.intp] = np.lexsort((keys, groups)).astype(np.intp)
    return result


def rank_positions(
    scores: npt.ArrayLike,
    ids: Sequence[str] | None = None,
    *,
    higher_is_better: bool = True,
) -> npt.NDArray[np.intp]:
    """Strict 0-based position of every option in every draw (0 = best), shape like scores.

    ``scores`` is (..., m), typically k draws x m options. Only exact ties are broken, by
    ascending option id (index order if ``ids`` is None); no tolerance is applied, so the
    result is a permutation of 0..m-1 in every row. Vectorised: one stable argsort.
    """
    s = as_float_array(scores, "scores")
    if s.ndim == 0:
        raise ValueError("scores must have at least one axis (options)")
    m = s.shape[-1]
    by_id = np.argsort(_id_keys(ids, m), kind="stable")  # column order = id order
    key = -s[..., by_id] if higher_is_better else s[..., by_id]
    winners = by_id[np.argsort(key, axis=-1, kind="stable")]  # option at each position
    positions = np.empty(s.shape, dtype=np.intp)
    np.put_along_axis(
        positions, winners, np.broadcast_to(np.arange(m, dtype=np.intp), s.shape), axis=-1
    )
    return positions
