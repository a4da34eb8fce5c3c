"""Scoring: normalization, the five methods, ranking, and the method registry.

Pure functions over numpy arrays (no files, no pandas). Each kernel is
``f(matrix, weights, types, **options) -> scores`` with ``matrix`` options x criteria (or a
k x m x n stack), ``weights`` used as given (or a k x n stack) and ``types`` +1 benefit /
-1 cost; :func:`score` is the one place that validates. ``evidence.py`` (library -> matrix)
is imported separately, so this package stays free of the file model.
"""

from evaluator.scoring.normalize import (
    NORMALIZATIONS,
    RATIO_NORMALIZATIONS,
    NonPositiveEntryError,
    normalize,
)
from evaluator.scoring.promethee import (
    PREFERENCE_FUNCTIONS,
    preference_indices,
    promethee_flows,
    promethee_ii,
    unicriterion_net_flows,
)
from evaluator.scoring.ranking import TIE_RTOL, order, rank, rank_positions, tie_groups
from evaluator.scoring.registry import (
    DEFAULT_METHOD,
    METHOD_IDS,
    METHODS,
    Method,
    aggregate_prepared,
    aggregate_prepared_many,
    contributions,
    get_method,
    prepare_matrix,
    resolve_normalization,
    score,
    validate_inputs,
)
from evaluator.scoring.topsis import topsis
from evaluator.scoring.vikor import vikor, vikor_sr
from evaluator.scoring.weighted_product import weighted_product, weighted_product_log
from evaluator.scoring.weighted_sum import weighted_sum

__all__ = [
    "DEFAULT_METHOD",
    "METHODS",
    "METHOD_IDS",
    "NORMALIZATIONS",
    "PREFERENCE_FUNCTIONS",
    "RATIO_NORMALIZATIONS",
    "TIE_RTOL",
    "Method",
    "NonPositiveEntryError",
    "aggregate_prepared",
    "aggregate_prepared_many",
    "contributions",
    "get_method",
    "normalize",
    "order",
    "preference_indices",
    "prepare_matrix",
    "promethee_flows",
    "promethee_ii",
    "rank",
    "rank_positions",
    "resolve_normalization",
    "score",
    "tie_groups",
    "topsis",
    "unicriterion_net_flows",
    "validate_inputs",
    "vikor",
    "vikor_sr",
    "weighted_product",
    "weighted_product_log",
    "weighted_sum",
]
