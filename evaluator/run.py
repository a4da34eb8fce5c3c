"""Every run option in one frozen object, validated once against a library.

The CLI parses its flags into a :class:`RunOptions` once and passes it down; ``evaluate``,
``compare``, ``analyse_sensitivity``, the report and every later analysis take it typed.
Errors name fields (``weights['x']``), never command-line flags: the CLI maps fields to
its flags (:data:`FLAGS`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any

from .errors import OptionError
from .evidence import FEASIBILITY_MODES, GAP_POLICIES, LENS_MODES
from .model import Library
from .scoring import METHOD_IDS, NORMALIZATIONS, get_method
from .weights import RankingSpec

#: The command-line flag of each field, for the CLI's messages and "copy command".
FLAGS: dict[str, str] = {
    "profile": "--profile",
    "method": "--method",
    "normalization": "--normalization",
    "weights": "--weight",
    "ranking": "--ranking",
    "lens": "--lens",
    "lens_mode": "--lens-mode",
    "assume": "--assume",
    "feasibility": "--feasibility",
    "gaps": "--gaps",
    "options": "--options",
    "min_feasibility": "--min-feasibility",
}

METHOD_OPTION_NAMES = ("v", "preference", "p", "q", "s")


@dataclass(frozen=True)
class RunOptions:
    """One run: how to weigh, score, read the evidence and which options to rank.

    - ``profile``: a profile id (None: the library's first);
    - ``method``, ``normalization`` (None: the method's default, with the zero-safe fallback);
    - ``weights``: relative overrides set against the profile's normalized weights;
    - ``ranking``: rank-order-centroid weights instead of the profile (``"a,b+c"`` or a list);
    - ``lens`` (a source id) and ``lens_mode`` (``fallback`` or ``own``);
    - ``assume``: precondition id -> ``"met"``, ``"failed"`` or a probability;
    - ``feasibility`` (``weight`` or ``expected``) and ``gaps`` (``neutral``, ``zero``,
      ``worst``);
    - ``options``: rank only these option ids; ``min_feasibility``: exclude (and list)
      options whose feasibility is below this probability;
    - ``method_options``: kernel options (``v`` for VIKOR; ``preference``, ``p``, ``q``,
      ``s`` for PROMETHEE II).
    """

    profile: str | None = None
    method: str = "weighted-sum"
    normalization: str | None = None
    weights: Mapping[str, float] = field(default_factory=dict)
    ranking: str | RankingSpec | None = None
    lens: str | None = None
    lens_mode: str = "fallback"
    assume: Mapping[str, str | float] = field(default_factory=dict)
    feasibility: str = "weight"
    gaps: str = "neutral"
    options: tuple[str, ...] | None = None
    min_feasibility: float | None = None
    method_options: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Read-only views: a frozen object whose mappings could change would not be frozen.
        for name in ("weights", "assume", "method_options"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        if self.options is not None:
            object.__setattr__(self, "options", tuple(self.options))
        self._check_choices()

    @classmethod
    def build(cls, options: RunOptions | Sequence[str] | None = None, **kwargs: Any) -> RunOptions:
        """``options`` with ``kwargs`` applied; keyword arguments alone build a new one.

        Unknown keywords that are kernel options (``v``, ``preference``...) go into
        ``method_options``; anything else is a ``TypeError``, as for any function. Why
        ``options`` may be a list of ids: the API's ``evaluate(lib, options=...)`` names
        the run ``options``, like the run's own ``options`` field (a subset of option ids);
        a sequence of strings there can only mean the subset.
        """
        if options is not None and not isinstance(options, RunOptions):
            kwargs["options"] = tuple(options)
            options = None
        names = {f.name for f in fields(cls)}
        kernel = {k: kwargs.pop(k) for k in list(kwargs) if k in METHOD_OPTION_NAMES}
        unknown = sorted(set(kwargs) - names)
        if unknown:
            raise TypeError(f"unknown run option {unknown[0]!r}")
        base = options or cls()
        if kernel:
            kwargs["method_options"] = {**base.method_options, **kernel}
        return replace(base, **kwargs) if kwargs else base

    def _check_choices(self) -> None:
        """The choices that need no library."""
        if self.method not in METHOD_IDS:
            raise OptionError("method", _unknown("method", self.method, METHOD_IDS))
        if self.normalization is not None and self.normalization not in NORMALIZATIONS:
            raise OptionError(
                "normalization", _unknown("normalization", self.normalization, NORMALIZATIONS)
            )
        for name, allowed in (
            ("feasibility", FEASIBILITY_MODES),
            ("gaps", GAP_POLICIES),
            ("lens_mode", LENS_MODES),
        ):
            value = getattr(self, name)
            if value not in allowed:
                raise OptionError(name, _unknown(name.replace("_", " "), value, allowed))
        if self.min_feasibility is not None and not (
            isinstance(self.min_feasibility, int | float)
            and math.isfinite(self.min_feasibility)
            and 0.0 <= self.min_feasibility <= 1.0
        ):
            raise OptionError(
                "min_feasibility", f"must be a probability in [0, 1] (got {self.min_feasibility})"
            )
        for key, value in self.weights.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise OptionError("weights", f"must be a number (got {value!r})", key)
            if not math.isfinite(value) or value < 0:
                raise OptionError("weights", f"must be a finite number >= 0 (got {value})", key)

    def check(self, library: Library) -> None:
        """Every id this run names exists in ``library``; errors name the known ones."""
        profiles = [p.id for p in library.profiles]
        if self.profile is not None and self.profile not in profiles:
            raise OptionError("profile", _unknown("profile", self.profile, profiles))
        sources = [s.id for s in library.sources]
        if self.lens is not None and self.lens not in sources:
            raise OptionError("lens", _unknown("source", self.lens, sources))
        criteria = [c.id for c in library.all_criteria]
        for key in self.weights:
            if key not in criteria:
                raise OptionError("weights", _unknown("criterion", key, criteria), key)
        known = [o.id for o in library.options]
        if self.options is not None:
            if not self.options:
                raise OptionError("options", "name at least one option")
            for option in self.options:
                if option not in known:
                    raise OptionError("options", _unknown("option", option, known))
        preconditions = sorted({p.id for o in library.options for p in o.preconditions})
        for key in self.assume:
            if key not in preconditions:
                raise OptionError(
                    "assume", _unknown("precondition", key, preconditions or ["none"]), key
                )

    def profile_id(self, library: Library) -> str:
        """The profile in force: the chosen one or the library's first."""
        return self.profile or library.profiles[0].id

    @property
    def takes_normalization(self) -> bool:
        """False for PROMETHEE II and VIKOR, which work on raw values."""
        return get_method(self.method).takes_normalization

    def to_dict(self) -> dict[str, Any]:
        """Every field, JSON-ready (the report's manifest)."""
        ranking = self.ranking
        return {
            "profile": self.profile,
            "method": self.method,
            "normalization": self.normalization,
            "weights": dict(self.weights),
            "ranking": ranking if ranking is None or isinstance(ranking, str) else list(ranking),
            "lens": self.lens,
            "lens_mode": self.lens_mode,
            "assume": dict(self.assume),
            "feasibility": self.feasibility,
            "gaps": self.gaps,
            "options": None if self.options is None else list(self.options),
            "min_feasibility": self.min_feasibility,
            "method_options": dict(self.method_options),
        }

    def command_args(self) -> list[str]:
        """Flags that reproduce this run with ``evaluator score`` (defaults left out)."""
        args: list[str] = []
        default = RunOptions()
        for name, flag in FLAGS.items():
            value = getattr(self, name)
            if value == getattr(default, name) or value is None:
                continue
            if name == "weights":
                args += [f"{flag}={c}={_number(w)}" for c, w in value.items()]
            elif name == "assume":
                args += [f"{flag}={p}={v}" for p, v in value.items()]
            elif name == "options":
                args.append(f"{flag}={','.join(value)}")
            elif name == "ranking" and not isinstance(value, str):
                args.append(f"{flag}={format_ranking(value)}")
            else:
                args.append(f"{flag}={_number(value) if isinstance(value, float) else value}")
        return args


def format_ranking(ranking: RankingSpec) -> str:
    """``["a", ["b", "c"]]`` -> ``"a,b+c"`` (the ``--ranking`` syntax)."""
    return ",".join(e if isinstance(e, str) else "+".join(e) for e in ranking)


def _number(value: float) -> str:
    return repr(float(value))


PLURALS = {"criterion": "criteria", "normalization": "normalizations"}


def _unknown(what: str, value: object, known: Sequence[str]) -> str:
    """``unknown profile 'x'; profiles are: a, b`` (a mode: ``...; use a or b``)."""
    if what in ("feasibility", "gaps", "lens mode"):
        return f"unknown {what} mode '{value}'; use {' or '.join(known)}".replace(
            "gaps mode", "gap policy"
        )
    plural = PLURALS.get(what, what + "s")
    return f"unknown {what} '{value}'; {plural} are: {', '.join(known)}"
