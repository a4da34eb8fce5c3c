"""Rows into target rows by whole-row slices: the evidence compiler's only reduction.

Each row holds k Monte Carlo draws. Sources are laid out step-major: step ``d`` takes the
``d``-th source of every target that has one, so it updates the first ``n_d`` targets from
``n_d`` consecutive rows: two slices, no fancy-indexed update. Why: on (rows, k) arrays,
numpy's fancy-indexed in-place update (``a[i] += b[j]``) and ``reduceat`` along rows both
measured about 10x slower than these slices.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Scatter:
    """Sends source row ``rows[u]`` to target ``keys[u]`` for every use ``u``.

    Targets come most-sources-first; within a target, uses keep their listing order, so
    sums are taken in a fixed order and results never depend on batching.
    """

    targets: IntArray  # the target of each compact row
    gather: IntArray  # the source row of each step-major position
    steps: tuple[tuple[int, int], ...]  # (n_d, start_d)
    identity: bool  # gather is 0, 1, 2, ...: no copy needed

    @classmethod
    def build(cls, keys: Sequence[int], rows: Sequence[int] | None = None) -> Scatter:
        """Steps sending ``rows[u]`` (default ``u``) to target ``keys[u]``."""
        source_rows = list(range(len(keys))) if rows is None else list(rows)
        by_target: dict[int, list[int]] = {}
        for use, key in enumerate(keys):
            by_target.setdefault(key, []).append(source_rows[use])
        targets = sorted(by_target, key=lambda t: -len(by_target[t]))  # stable
        gather: list[int] = []
        steps: list[tuple[int, int]] = []
        for d in range(max((len(v) for v in by_target.values()), default=0)):
            hit = [t for t in targets if len(by_target[t]) > d]  # a prefix of targets
            steps.append((len(hit), len(gather)))
            gather.extend(by_target[t][d] for t in hit)
        order = np.asarray(gather, dtype=np.intp)
        return cls(
            np.asarray(targets, dtype=np.intp),
            order,
            tuple(steps),
            bool(np.array_equal(order, np.arange(order.size))),
        )

    @property
    def empty(self) -> bool:
        """True when nothing is sent anywhere."""
        return not self.targets.size

    def _ordered(self, rows: FloatArray) -> FloatArray:
        return rows if self.identity else np.take(rows, self.gather, axis=0)

    def combine_into(
        self, target: FloatArray, base: FloatArray, rows: FloatArray, *, multiply: bool = False
    ) -> None:
        """``target[t] = base[t]`` summed (or multiplied) with t's source rows."""
        if self.empty:
            return
        ordered = self._ordered(rows)
        combine = np.multiply if multiply else np.add
        # Every target has a first source, so the first step covers all of them and the
        # base is combined with it in one pass (base op row, as a running sum would).
        compact = combine(base[self.targets, None], ordered[: self.targets.size])
        for count, start in self.steps[1:]:
            part = compact[:count]
            combine(part, ordered[start : start + count], out=part)
        target[self.targets] = compact

    def sums(self, base: FloatArray, rows: FloatArray) -> FloatArray:
        """A (len(base), k) array: ``base[t]`` plus t's source rows, for every target."""
        out = np.empty((base.size, rows.shape[1]))
        if self.targets.size < base.size:  # rows no source reaches keep their base
            out[:] = base[:, None]
        self.combine_into(out, base, rows)
        return out

    @staticmethod
    def identity_of(count: int) -> Scatter:
        """Each of ``count`` rows to the target of the same number."""
        return Scatter.build(list(range(count)))
