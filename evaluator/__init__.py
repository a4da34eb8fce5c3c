"""Policy-option scenario evaluator: source-attributed scenarios, MCDA scoring, robustness."""

from __future__ import annotations

from .errors import EvaluatorError, InputError, InternalError, LibraryError, Problem
from .library import load_library

__version__ = "0.1.0"

__all__ = [
    "EvaluatorError",
    "InputError",
    "InternalError",
    "LibraryError",
    "Problem",
    "__version__",
    "load_library",
]
