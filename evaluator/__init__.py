"""Policy-option scenario evaluator: source-attributed scenarios, MCDA scoring, robustness.

The Python API is ``load_library``, ``RunOptions``, ``evaluate``, ``compare``,
``analyse_sensitivity`` and ``find_linchpins``.
Importing the package has no side effects; the scoring half (numpy) loads on first use, so
``evaluator validate`` does not pay for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import EvaluatorError, InputError, LibraryError, OptionError, Problem
from .library import load_library

if TYPE_CHECKING:
    from .evaluation import Comparison, Evaluation, compare, evaluate
    from .run import RunOptions
    from .sensitivity import Linchpins, Sensitivity, analyse_sensitivity, find_linchpins

__version__ = "0.1.0"

__all__ = [
    "Comparison",
    "Evaluation",
    "EvaluatorError",
    "InputError",
    "LibraryError",
    "Linchpins",
    "OptionError",
    "Problem",
    "RunOptions",
    "Sensitivity",
    "__version__",
    "analyse_sensitivity",
    "compare",
    "evaluate",
    "find_linchpins",
    "load_library",
]

_LAZY = {
    "evaluate": "evaluation",
    "compare": "evaluation",
    "Evaluation": "evaluation",
    "Comparison": "evaluation",
    "analyse_sensitivity": "sensitivity",
    "Sensitivity": "sensitivity",
    "find_linchpins": "sensitivity",
    "Linchpins": "sensitivity",
    "RunOptions": "run",
}


def __getattr__(name: str) -> Any:
    """Load the scoring API on first use (PEP 562)."""
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'evaluator' has no attribute {name!r}")
