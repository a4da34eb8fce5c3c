"""Each evidence parameter's slopes on the cells it moves, from a few evaluations.

Every cell of the performance matrix is linear in each single parameter (a sum of item
values, a product of pooled precondition likelihoods, a gain times a feasibility), so one
evaluation with a parameter moved gives its slopes. Parameters that move different options
share an evaluation: a greedy colouring by the options that carry each item (an included
option's items are carried by the includer too). So a few dozen evaluations of the whole
evidence measure every parameter of a 1,000-option library, where moving each parameter in
turn would cost two evaluations per judgement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ..evidence import GAP, GapColumn
from ..model import carried_options

if TYPE_CHECKING:
    from .thresholds import Knob, Searcher

CHUNK_FLOATS = 2**23  # at most this many floats (64 MB) of matrices per evaluation
IntArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Slope:
    """How an evidence parameter moves the matrix: its cells are linear in it."""

    cells: IntArray  # flat indices (option * n + criterion) of the known cells it moves
    slope: FloatArray  # their change per unit of the parameter
    refill: tuple[GapColumn, ...]  # gap columns whose known values it moves


def _supports(s: Searcher) -> list[set[int]]:
    """The options whose cells each evidence parameter can move (an item's carriers)."""
    lib = s.setup.library
    ids = s.evidence.option_ids
    index = {o: i for i, o in enumerate(ids)}
    by_id = {o.id: o for o in lib.options}
    carriers: dict[str, set[int]] = {}
    for o in lib.options:
        if o.id not in index:
            continue
        for carried in carried_options(o, by_id):
            ids_ = [x.id for x in carried.benefits] + [x.id for x in carried.risks]
            for item_id in ids_ + [x.id for x in carried.preconditions]:
                carriers.setdefault(item_id, set()).add(index[o.id])
    out = []
    for label in s.evidence.parameters:
        if label.endswith(")"):
            name = label.partition(" likelihood (")[0]
        else:
            name = label.rpartition(" ")[0]
        out.append(carriers.get(name, set()))
    return out


def measure_slopes(s: Searcher, knobs: list[Knob]) -> None:
    """Every parameter knob's slopes, and the one column a knob moves, where it does.

    Parameters that move different options' cells are moved together in one column of
    parameters (a greedy colouring by option), so a few dozen evaluations of the whole
    evidence measure every slope: each cell is linear in each single parameter, so its
    change divided by the parameter's change is the slope. A cell that changes outside
    the options assigned to its column would break the attribution; that is checked.
    """
    m, n = s.matrix.shape
    known = s.evidence.coverage != GAP
    supports = _supports(s)
    taken: dict[int, set[int]] = {}
    following: dict[int, int] = {}
    colours: list[list[int]] = []
    for q, kn in enumerate(knobs):
        if kn.param < 0:
            if kn.cell is not None:
                s.column[q] = kn.cell[1]
            continue
        opts = supports[kn.param]
        c = following.get(next(iter(opts)), 0) if len(opts) == 1 else 0
        while any(c in taken.get(o, ()) for o in opts):
            c += 1
        for o in opts:
            taken.setdefault(o, set()).add(c)
        if len(opts) == 1:
            following[next(iter(opts))] = c + 1
        while len(colours) <= c:
            colours.append([])
        colours[c].append(q)
    per_call = max(1, CHUNK_FLOATS // (s.matrix.size + s.base.size))
    for start in range(0, len(colours), per_call):
        block = colours[start : start + per_call]
        params = np.repeat(s.base[:, None], len(block), axis=1)
        for c, members in enumerate(block):
            for q in members:
                params[knobs[q].param, c] = _far(knobs[q])
        mats = s.evidence.evaluate(params, point=True)
        for c, members in enumerate(block):
            diff = mats[c] - s.matrix
            moved = (diff != 0) & known
            allowed = np.zeros(m, dtype=np.bool_)
            for q in members:
                allowed[list(supports[knobs[q].param])] = True
            if np.any(moved[~allowed]):
                raise RuntimeError("internal error: a parameter moved an unexpected option")
            for q in members:
                kn = knobs[q]
                rows = np.array(sorted(supports[kn.param]), dtype=np.intp)
                r, col = np.nonzero(moved[rows]) if rows.size else ((), ())
                cells = (rows[np.asarray(r, dtype=np.intp)] * n + col).astype(np.intp)
                slope = diff.ravel()[cells] / (_far(kn) - kn.value)
                cols = sorted({int(j) for j in col})
                refill = tuple(s.gap_of[j] for j in cols if j in s.gap_of)
                s.slopes[q] = Slope(cells, slope, refill)
                if len(cols) == 1:
                    s.column[q] = cols[0]


def _far(knob: Knob) -> float:
    low, high = knob.domain
    return low if knob.value - low > high - knob.value else high
