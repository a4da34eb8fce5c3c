"""The Python API: ``evaluate`` and ``compare``. The only place arrays meet pandas labels.

Tables are built only when asked for (``Evaluation.ranking_table`` ...), so the CLI's JSON
path never imports pandas.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from .errors import InputError, OptionError
from .evidence import GAP_POLICIES, Evidence, LensInfo, compile_evidence
from .library import load_library
from .model import FEASIBILITY_ID, Library
from .run import RunOptions
from .scoring import (
    METHOD_IDS,
    NonPositiveEntryError,
    aggregate_prepared,
    aggregate_prepared_many,
    contributions,
    get_method,
    normalize,
    order,
    prepare_matrix,
    rank,
    resolve_normalization,
    score,
)
from .scoring.normalize import nonpositive_columns
from .weights import (
    apply_overrides,
    normalize_weights,
    parse_ranking,
    profile_weights,
    ranking_weights,
)

if TYPE_CHECKING:
    import pandas as pd

FloatArray = npt.NDArray[np.float64]
LibraryLike = Library | str | os.PathLike[str]


def as_library(library: LibraryLike) -> Library:
    """A loaded library, loading it if given a path."""
    return library if isinstance(library, Library) else load_library(library)


@dataclass(frozen=True)
class Setup:
    """A run resolved against its library: weights, evidence and the normalization used."""

    library: Library
    run: RunOptions
    profile: str
    normalization: str | None
    evidence: Evidence
    weights: FloatArray
    assumptions: Mapping[str, float]
    excluded: Mapping[str, float]  # options below min_feasibility -> their feasibility
    notes: tuple[str, ...]

    @property
    def method(self) -> str:
        """The scoring method's id."""
        return self.run.method

    @property
    def feasibility(self) -> str:
        """``weight`` or ``expected``."""
        return self.run.feasibility

    @property
    def options(self) -> Mapping[str, Any]:
        """Kernel options (VIKOR's ``v``, PROMETHEE's preference function)."""
        return self.run.method_options

    @property
    def higher_is_better(self) -> bool:
        """False for VIKOR, whose Q is lower-is-better."""
        return get_method(self.method).higher_is_better

    def score_stack(self, matrices: FloatArray, weights: FloatArray) -> FloatArray:
        """Batched scores (k x m) with this run's method, normalization and options."""
        return score(
            matrices, weights, self.evidence.types, self.method, self.normalization, **self.options
        )

    def prepare_stack(self, matrices: FloatArray) -> FloatArray:
        """The method's weight-independent part, once, so many weight vectors can score it.

        Why: normalization, logs, PROMETHEE's preference comparisons and VIKOR's distances
        do not depend on the weights, so the Monte Carlo computes them once per block of
        sampled matrices instead of once per weight set (the method's ``prepare`` hook).
        Scoring the result with :meth:`score_prepared` is bit-identical to
        :meth:`score_stack` (tested).
        """
        return prepare_matrix(
            self.method, matrices, self.evidence.types, self.normalization, **self.options
        )

    def prepare_drawn(self, matrices: FloatArray) -> FloatArray:
        """:meth:`prepare_stack` for a stack nothing else will read: it may be overwritten.

        Why: the Monte Carlo prepares each freshly drawn block once and drops it; under a
        min-max normalization the result then takes the stack's own memory. Same numbers.
        """
        return prepare_matrix(
            self.method,
            matrices,
            self.evidence.types,
            self.normalization,
            overwrite=True,
            **self.options,
        )

    def score_prepared(self, prepared: FloatArray, weights: FloatArray) -> FloatArray:
        """Scores of matrices already passed through :meth:`prepare_stack`.

        The aggregation is called directly: inputs were validated once, when the run was
        prepared, and this sits on the Monte Carlo's hot path.
        """
        return aggregate_prepared(self.method, prepared, weights, **self.options)

    def score_prepared_many(self, prepared: FloatArray, weight_sets: FloatArray) -> FloatArray:
        """Scores (c, ..., m) of prepared matrices under each of c weight sets, one pass."""
        return aggregate_prepared_many(self.method, prepared, weight_sets, **self.options)

    def with_evidence(self, evidence: Evidence) -> Setup:
        """The same run on other evidence (a what-if), keeping the normalization in force."""
        return replace(self, evidence=evidence)


def run_weights(library: Library, run: RunOptions) -> FloatArray:
    """The normalized weight vector of a run (profile or ranking, then overrides)."""
    ids = [c.id for c in library.all_criteria]
    if run.ranking is not None:
        spec = parse_ranking(run.ranking) if isinstance(run.ranking, str) else run.ranking
        w = ranking_weights(spec, ids)
    else:
        w = profile_weights(library.profile(run.profile_id(library)), ids)
    if run.weights:
        w = apply_overrides(w, run.weights, ids)
    if run.feasibility == "expected":
        w = w.copy()
        w[ids.index(FEASIBILITY_ID)] = 0.0
        try:
            w = normalize_weights(w, "weights without feasibility")
        except InputError as exc:
            raise OptionError("weights", str(exc)) from None
    return w


def compile_run(library: Library, run: RunOptions, options: Sequence[str] | None) -> Evidence:
    """The run's evidence for ``options`` (None: the run's own subset or every option)."""
    return compile_evidence(
        library,
        lens=run.lens,
        lens_mode=run.lens_mode,
        assume=parse_assumptions(library, run.assume),
        feasibility=run.feasibility,
        gaps=run.gaps,
        options=options if options is not None else run.options,
    )


def prepare(
    library: LibraryLike, options: RunOptions | Sequence[str] | None = None, **kwargs: Any
) -> Setup:
    """Resolve a run against a library: ``prepare(lib, RunOptions(...))``.

    Keyword arguments build (or amend) the :class:`RunOptions` as a convenience. User
    errors raise ``OptionError`` naming the field and the known choices.
    """
    lib = as_library(library)
    run = RunOptions.build(options, **kwargs)
    run.check(lib)
    notes: list[str] = []
    w = run_weights(lib, run)
    if run.feasibility == "expected":
        notes.append(
            "feasibility expected: benefits scaled by the probability that all "
            "preconditions hold; feasibility weight set to 0, others renormalized"
        )
    evidence = compile_run(lib, run, None)
    excluded: dict[str, float] = {}
    if run.min_feasibility is not None:
        feasible = evidence.point_matrix()[:, -1]
        keep = [
            o
            for o, f in zip(evidence.option_ids, feasible, strict=True)
            if f >= run.min_feasibility
        ]
        excluded = {
            o: float(f)
            for o, f in zip(evidence.option_ids, feasible, strict=True)
            if f < run.min_feasibility
        }
        if not keep:
            raise OptionError(
                "min_feasibility",
                f"no option reaches feasibility {run.min_feasibility}; the most feasible is "
                f"{max(feasible):.3g}",
            )
        if excluded:
            evidence = compile_run(lib, run, keep)
            listed = ", ".join(f"{o} ({f:.3g})" for o, f in excluded.items())
            notes.append(f"min feasibility {run.min_feasibility}: excluded {listed}")
    if evidence.gap_cells:
        notes.append(
            f"gaps {run.gaps}: {len(evidence.gap_cells)} option x criterion cells have no "
            "evidence and no 'unaffected' declaration"
        )
    matrix = evidence.point_matrix()
    ids = list(evidence.criterion_ids)
    requested = run.normalization if run.takes_normalization or run.normalization else None
    # The fallback is decided from the lowest attainable value (ranges and gaps included),
    # so point scores, draws, sliders and what-ifs all use one normalization.
    attainable = np.vstack([matrix, evidence.lower_bounds])
    try:
        used, reason = resolve_normalization(attainable, evidence.types, run.method, requested)
    except NonPositiveEntryError as exc:
        name = ids[exc.criterion_index]
        raise OptionError(
            "normalization",
            f"criterion '{name}' can take a zero or negative value, which "
            f"{requested} cannot take; use offset-minmax",
        ) from None
    if reason:
        notes.append(_fallback_note(attainable, run.method, requested, used, reason, ids))
    return Setup(
        library=lib,
        run=run,
        profile=run.profile_id(lib),
        normalization=used,
        evidence=evidence,
        weights=w,
        assumptions=parse_assumptions(lib, run.assume),
        excluded=excluded,
        notes=tuple(notes),
    )


def _fallback_note(
    matrix: FloatArray,
    method: str,
    requested: str | None,
    used: str | None,
    reason: str,
    ids: Sequence[str],
) -> str:
    """Say, naming criteria rather than column numbers, why another normalization was used."""
    spec = get_method(method)
    bad = [ids[j] for j in nonpositive_columns(matrix)]
    if requested is None and used == "offset-minmax" and bad:
        return (
            f"{spec.name}: criteria {', '.join(bad)} can be zero or negative (at a point "
            "estimate, within a stated range, or with a precondition forced to fail), which its "
            f"default normalization '{spec.default_normalization}' cannot take; used "
            "'offset-minmax' (1 + min-max, onto [1, 2]) instead"
        )
    return reason


def parse_assumptions(library: Library, assume: Mapping[str, str | float]) -> dict[str, float]:
    """``{"pc": "met"|"failed"|0.7}`` -> forced probabilities; unknown ids name the known."""
    known = {p.id for o in library.options for p in o.preconditions}
    out: dict[str, float] = {}
    for name, value in assume.items():
        if name not in known:
            raise OptionError(
                "assume",
                f"unknown precondition '{name}'; preconditions are: {', '.join(sorted(known))}",
                name,
            )
        if value == "met":
            out[name] = 1.0
        elif value == "failed":
            out[name] = 0.0
        else:
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise OptionError(
                    "assume", f"'{value}': use met, failed or a probability", name
                ) from None
            if not (math.isfinite(number) and 0.0 <= number <= 1.0):
                raise OptionError("assume", f"{value}: a probability must be in [0, 1]", name)
            out[name] = number
    return out


def parse_assume_items(items: Sequence[str]) -> dict[str, str]:
    """``["pc=met", ...]`` -> ``{"pc": "met"}`` (values checked by :func:`parse_assumptions`)."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise InputError(f"--assume '{item}': expected PRECONDITION=met|failed|PROBABILITY")
        out[name.strip()] = value.strip()
    return out


@dataclass(frozen=True)
class Evaluation:
    """One scored run: arrays, and labelled tables on demand."""

    setup: Setup
    matrix: FloatArray
    scores: FloatArray
    ranks: FloatArray
    order: npt.NDArray[np.intp]
    contributions: FloatArray | None
    notes: tuple[str, ...] = field(default=())

    @property
    def library(self) -> Library:
        """The library scored."""
        return self.setup.library

    @property
    def option_ids(self) -> tuple[str, ...]:
        """Option ids in library order (rows of every array)."""
        return self.setup.evidence.option_ids

    @property
    def criterion_ids(self) -> tuple[str, ...]:
        """Criterion ids, feasibility last (columns of every matrix)."""
        return self.setup.evidence.criterion_ids

    @property
    def weights(self) -> FloatArray:
        """The normalized weight vector used."""
        return self.setup.weights

    @property
    def lens(self) -> LensInfo | None:
        """What the source lens changed, if one was applied."""
        return self.setup.evidence.lens

    def to_dict(self) -> dict[str, Any]:
        """The ``evaluator score --format json`` document (DESIGN.md section 7)."""
        s = self.setup
        titles = {o.id: o.title for o in s.library.options}
        silent = set(self.lens.options_not_discussed) if self.lens else set()
        rows = []
        for i in self.order:
            option = self.option_ids[i]
            row: dict[str, Any] = {
                "option": option,
                "title": titles[option],
                "rank": json_number(self.ranks[i]),
                "score": float(self.scores[i]),
                "contributions": None
                if self.contributions is None
                else {
                    c: float(v)
                    for c, v in zip(self.criterion_ids, self.contributions[i], strict=True)
                },
            }
            if self.lens:
                row["discussed"] = option not in silent
            rows.append(row)
        return {
            "profile": s.profile,
            "method": s.method,
            "lens": self.lens.source if self.lens else None,
            "lens_mode": s.run.lens_mode,
            "gaps": s.run.gaps,
            "weights": {c: float(w) for c, w in zip(self.criterion_ids, s.weights, strict=True)},
            "ranking": rows,
            "coverage": s.evidence.coverage_labels(),
            "winner_by_gap_policy": self.winner_by_gap_policy,
            "depends_on_gaps": self.depends_on_gaps,
            "normalization": s.normalization,
            "feasibility": s.feasibility,
            "higher_is_better": s.higher_is_better,
            "assumptions": dict(s.assumptions),
            "options": list(self.option_ids),
            "excluded": dict(s.excluded),
            "not_assessed_by_lens": list(self.lens.not_assessed) if self.lens else [],
            "notes": list(self.notes),
        }

    @property
    def winner(self) -> str:
        """The option ranked first (VIKOR: lowest Q)."""
        return self.option_ids[int(self.order[0])]

    @cached_property
    def winner_by_gap_policy(self) -> dict[str, str]:
        """The winner under each gap policy, everything else as in this run."""
        out: dict[str, str] = {}
        for policy in GAP_POLICIES:
            if policy == self.setup.run.gaps:
                out[policy] = self.winner
                continue
            variant = self.setup.run.build(self.setup.run, gaps=policy)
            evidence = compile_run(self.library, variant, self.option_ids)
            out[policy] = score_setup(self.setup.with_evidence(evidence)).winner
        return out

    @property
    def depends_on_gaps(self) -> bool:
        """True when the winner differs between the gap policies (DESIGN.md section 4)."""
        return len(set(self.winner_by_gap_policy.values())) > 1

    @cached_property
    def ranking_table(self) -> pd.DataFrame:
        """Options in rank order: rank, score, title."""
        import pandas as pd

        titles = {o.id: o.title for o in self.library.options}
        idx = [self.option_ids[i] for i in self.order]
        return pd.DataFrame(
            {
                "rank": [self.ranks[i] for i in self.order],
                "score": [self.scores[i] for i in self.order],
                "title": [titles[o] for o in idx],
            },
            index=pd.Index(idx, name="option"),
        )

    @cached_property
    def matrix_table(self) -> pd.DataFrame:
        """The unweighted performance matrix, options x criteria."""
        return self._frame(self.matrix)

    @cached_property
    def normalized_table(self) -> pd.DataFrame | None:
        """The normalized matrix the method aggregated (None for PROMETHEE II and VIKOR)."""
        if self.setup.normalization is None:
            return None
        return self._frame(
            normalize(self.matrix, self.setup.evidence.types, self.setup.normalization)
        )

    @cached_property
    def contributions_table(self) -> pd.DataFrame | None:
        """Per-criterion contributions (weighted sum: w r; weighted product: w ln r)."""
        return None if self.contributions is None else self._frame(self.contributions)

    def _frame(self, values: FloatArray) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            values,
            index=pd.Index(self.option_ids, name="option"),
            columns=pd.Index(self.criterion_ids, name="criterion"),
        )


def json_number(value: float) -> int | float:
    """An integral float as int (rank 2, not 2.0); otherwise the float."""
    return int(value) if float(value).is_integer() else float(value)


def score_setup(setup: Setup) -> Evaluation:
    """Score a prepared run."""
    w = setup.weights
    matrix = setup.evidence.point_matrix()
    scores = setup.score_stack(matrix, w)
    hib = setup.higher_is_better
    contrib = contributions(setup.method, matrix, w, setup.evidence.types, setup.normalization)
    return Evaluation(
        setup=setup,
        matrix=matrix,
        scores=scores,
        ranks=rank(scores, higher_is_better=hib),
        order=order(scores, setup.evidence.option_ids, higher_is_better=hib),
        contributions=contrib,
        notes=setup.notes,
    )


def evaluate(
    library: LibraryLike, options: RunOptions | Sequence[str] | None = None, **kwargs: Any
) -> Evaluation:
    """Score a library under one run: ``evaluate(lib, RunOptions(profile=..., ...))``.

    Keyword arguments (``profile=``, ``method=``, ``weights=``, ``lens=``, ``assume=``...,
    the fields of :class:`RunOptions`) build or amend the options as a convenience.
    ``weights`` maps criteria to relative weights set against the profile's normalized
    vector (DESIGN.md section 7). Raises ``OptionError`` naming the field and the known
    choices for anything unknown.
    """
    return score_setup(prepare(library, options, **kwargs))


@dataclass(frozen=True)
class Comparison:
    """Ranks of every option under several profile x method (and lens) columns."""

    columns: tuple[str, ...]
    option_ids: tuple[str, ...]
    ranks: FloatArray  # options x columns
    tau: FloatArray  # columns x columns, NaN where undefined
    notes: tuple[str, ...]
    run: RunOptions = field(default_factory=RunOptions)  # what every column shares

    def to_dict(self) -> dict[str, Any]:
        """The ``evaluator compare --format json`` document."""
        return {
            "columns": list(self.columns),
            "rows": [
                {
                    "option": o,
                    "ranks": {
                        c: None if math.isnan(r) else json_number(r)
                        for c, r in zip(self.columns, row, strict=True)
                    },
                }
                for o, row in zip(self.option_ids, self.ranks, strict=True)
            ],
            "kendall_tau": {
                a: {
                    b: None if math.isnan(t) else float(t)
                    for b, t in zip(self.columns, row, strict=True)
                }
                for a, row in zip(self.columns, self.tau, strict=True)
            },
            "gaps": self.run.gaps,
            "lens_mode": self.run.lens_mode,
            "feasibility": self.run.feasibility,
            "notes": list(self.notes),
        }


def compare(
    library: LibraryLike,
    options: RunOptions | Sequence[str] | None = None,
    *,
    profiles: Sequence[str] | None = None,
    methods: Sequence[str] | None = None,
    lenses: bool = False,
    **kwargs: Any,
) -> Comparison:
    """Rank under every profile x method (default: all), plus each source's lens.

    ``options`` (or keyword arguments) give what applies to every column: lens mode,
    assumptions, feasibility, gaps, options, min feasibility, normalization (where the
    method takes one). Lens columns use the default profile and method (DESIGN.md
    section 7), so they compare with each other. An option a column excludes (below
    ``min_feasibility``) has no rank there (NaN; ``null`` in JSON).
    """
    lib = as_library(library)
    base = RunOptions.build(options, **kwargs)
    profile_ids = list(profiles) if profiles else [p.id for p in lib.profiles]
    method_ids = list(methods) if methods else list(METHOD_IDS)
    all_ids = tuple(base.options) if base.options else tuple(o.id for o in lib.options)
    columns: list[str] = []
    ranks: list[FloatArray] = []
    notes: list[str] = []

    def add(name: str, run: Evaluation) -> None:
        column = np.full(len(all_ids), np.nan)
        position = {o: i for i, o in enumerate(run.option_ids)}
        for row, option in enumerate(all_ids):
            if option in position:
                column[row] = run.ranks[position[option]]
        columns.append(name)
        ranks.append(column)
        notes.extend(f"{name}: {n}" for n in run.notes)

    for profile in profile_ids:
        for method in method_ids:
            norm = base.normalization if get_method_or_error(method).takes_normalization else None
            run = evaluate(lib, base, profile=profile, method=method, normalization=norm)
            add(f"{profile}:{method}", run)
    if lenses:
        for source in lib.sources:
            run = evaluate(
                lib, base, profile=None, method="weighted-sum", normalization=None, lens=source.id
            )
            add(f"lens:{source.id}", run)
            silent = run.lens.options_not_discussed if run.lens else ()
            if silent:
                notes.append(f"lens:{source.id}: does not discuss {', '.join(silent)}")
    matrix = np.column_stack(ranks)
    return Comparison(
        tuple(columns),
        all_ids,
        matrix,
        kendall_tau_matrix(matrix),
        tuple(dict.fromkeys(notes)),
        base,
    )


def get_method_or_error(method: str) -> Any:
    """The registry entry; unknown ids are user errors naming the known ones."""
    if method not in METHOD_IDS:
        raise OptionError(
            "method", f"unknown method '{method}'; methods are: {', '.join(METHOD_IDS)}"
        )
    return get_method(method)


def kendall_tau_b(x: FloatArray, y: FloatArray) -> float:
    """Kendall's tau-b between two rankings (ties allowed); NaN if either is constant.

    tau_b = (C - D) / sqrt((n0 - n1)(n0 - n2)), n0 = n(n-1)/2, n1 and n2 the tied pairs
    in x and y (Kendall 1945). Options without a rank in either (NaN) are left out.
    """
    both = ~(np.isnan(x) | np.isnan(y))
    x, y = x[both], y[both]
    i, j = np.triu_indices(len(x), k=1)
    sx, sy = np.sign(x[i] - x[j]), np.sign(y[i] - y[j])
    n0 = len(i)
    n1, n2 = int(np.sum(sx == 0)), int(np.sum(sy == 0))
    denominator = math.sqrt((n0 - n1) * (n0 - n2))
    return float(np.sum(sx * sy) / denominator) if denominator else math.nan


def kendall_tau_matrix(ranks: FloatArray) -> FloatArray:
    """Pairwise tau-b between the columns of an options x columns rank matrix.

    Equal to :func:`kendall_tau_b` on every pair of columns, bit for bit (every count is an
    exact integer), but all pairs of columns at once: for each option i, the signs of its
    differences with the options after it (c columns) update the concordance, pair and tie
    counts as c x c matrix products. Why: the pairwise form is O(m^2) per pair of columns in
    Python-level temporaries; this is O(m^2 c^2) in BLAS with O(m c) memory, so ``compare``
    at 1,000 options takes milliseconds.
    """
    m, c = ranks.shape
    valid = ~np.isnan(ranks)
    filled = np.where(valid, ranks, 0.0)
    concord = np.zeros((c, c))  # sum of sx * sy over pairs ranked in both
    pairs = np.zeros((c, c))  # pairs ranked in both columns
    ties = np.zeros((c, c))  # [a, b]: pairs ranked in both and tied in a
    for i in range(m - 1):
        both = (valid[i + 1 :] & valid[i]).astype(np.float64)  # pair (i, j) ranked per column
        sign = np.sign(filled[i + 1 :] - filled[i]) * both
        tied = (sign == 0) * both
        concord += sign.T @ sign
        pairs += both.T @ both
        ties += tied.T @ both
    out = np.empty((c, c))
    for a in range(c):
        for b in range(c):
            denominator = math.sqrt((pairs[a, b] - ties[a, b]) * (pairs[a, b] - ties[b, a]))
            out[a, b] = concord[a, b] / denominator if denominator else math.nan
    return out
