"""Evidence -> performance matrix (DESIGN.md section 4): the one place the formula lives.

:func:`compile_evidence` walks a library once (:mod:`.compile`); the resulting
:class:`Evidence` gives point values and vectorised Monte Carlo draws (:mod:`.matrix`);
:mod:`.scatter` is the row reduction both use.
"""

from __future__ import annotations

from .compile import FEASIBILITY_MODES, GAP_POLICIES, LENS_MODES, compile_evidence
from .matrix import (
    COVERAGE_CODES,
    EVIDENCE,
    GAP,
    UNAFFECTED,
    EffectUse,
    Evidence,
    GapColumn,
    ItemValue,
    LensInfo,
)

__all__ = [
    "COVERAGE_CODES",
    "EVIDENCE",
    "FEASIBILITY_MODES",
    "GAP",
    "GAP_POLICIES",
    "LENS_MODES",
    "UNAFFECTED",
    "EffectUse",
    "Evidence",
    "GapColumn",
    "ItemValue",
    "LensInfo",
    "compile_evidence",
]
