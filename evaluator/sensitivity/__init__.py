"""Robustness: stability, tornado, SMAA-2, scenario discovery, linchpins (DESIGN.md section 5).

The algorithms are pure numpy over arrays and ids; :mod:`.analysis` is the API that runs
them on a library (``analyse_sensitivity``). Every algorithm takes the scoring method as a batched
``score_fn(matrix, weights_stack) -> k x m`` plus ``higher_is_better``, so it works with any
kernel of ``evaluator.scoring`` without importing it.
"""

from __future__ import annotations

# analysis is the API: it joins a prepared run (evaluator.evaluation) to the algorithms.
from .analysis import Sensitivity, WhatIf, analyse_sensitivity
from .counterfactuals import SourceLeftOut
from .discovery import Condition, Rule, describe_rule, discover_rules
from .linchpins import Judgement, Linchpins, find_linchpins
from .smaa import (
    BLOCK_SIZE,
    DirichletWeights,
    DrawMatrices,
    Progress,
    SMAAResult,
    UniformWeights,
    WeightSampler,
    block_seed,
    confidence_block_seed,
    run_smaa,
)
from .stability import (
    RankingStabilityInterval,
    ScoreFn,
    StabilityInterval,
    ranking_stability_intervals_additive,
    rescaled_weights,
    stability_intervals_additive,
    stability_intervals_numeric,
)
from .tornado import TornadoItem, tornado

__all__ = [
    "BLOCK_SIZE",
    "Condition",
    "DirichletWeights",
    "DrawMatrices",
    "Judgement",
    "Linchpins",
    "Progress",
    "RankingStabilityInterval",
    "Rule",
    "SMAAResult",
    "ScoreFn",
    "Sensitivity",
    "SourceLeftOut",
    "StabilityInterval",
    "TornadoItem",
    "UniformWeights",
    "WeightSampler",
    "WhatIf",
    "analyse_sensitivity",
    "block_seed",
    "confidence_block_seed",
    "describe_rule",
    "discover_rules",
    "find_linchpins",
    "ranking_stability_intervals_additive",
    "rescaled_weights",
    "run_smaa",
    "stability_intervals_additive",
    "stability_intervals_numeric",
    "tornado",
]
