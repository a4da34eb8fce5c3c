"""Pydantic models of the scenario library file format (DESIGN.md section 3).

Why ``extra="forbid"`` everywhere: a misspelt field (``benfits:``) must be an error, not a
silently ignored key that drops an option's benefits from the score.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

#: ICD 203 estimative terms and their numeric ranges (US intelligence community standard).
ICD203_TERMS: dict[str, tuple[float, float]] = {
    "almost no chance": (0.01, 0.05),
    "very unlikely": (0.05, 0.20),
    "unlikely": (0.20, 0.45),
    "roughly even chance": (0.45, 0.55),
    "likely": (0.55, 0.80),
    "very likely": (0.80, 0.95),
    "almost certain": (0.95, 0.99),
}

#: Cost multiplier by mitigability (DESIGN.md section 4).
MITIGATION_FACTOR: dict[str, float] = {"yes": 0.5, "partly": 0.75, "no": 1.0}

FEASIBILITY_ID = "feasibility"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_MAX_LENGTH = 120

Likelihood = float | str | tuple[float, float]
Scale = float | tuple[float, float]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_float(value: int | float) -> float:
    """A number as a float; an integer too large for one becomes infinity (then refused).

    Why: ``math.isfinite`` and ``float`` raise OverflowError on an integer literal of
    hundreds of digits, which YAML happily reads.
    """
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _validate_weight(value: Any) -> float:
    # Before pydantic's float coercion, which reads `yes` (a YAML 1.1 boolean) as 1.0 and
    # accepts numbers written as text.
    if not _is_number(value):
        got = "true/false" if isinstance(value, bool) else f"{type(value).__name__} {value!r}"
        raise PydanticCustomError(
            "wrong_type", "a weight must be a number (got {got})", {"got": got[:60]}
        )
    return _as_float(value)


def _check_pair(value: Any, low: float, high: float, what: str) -> tuple[float, float]:
    if len(value) != 2 or not all(_is_number(v) for v in value):
        raise PydanticCustomError(
            "wrong_type", "{what} range must be [low, high], two numbers", {"what": what}
        )
    a, b = _as_float(value[0]), _as_float(value[1])
    if not all(math.isfinite(v) and low <= v <= high for v in (a, b)):
        raise PydanticCustomError(
            "out_of_range",
            "{what} range must lie within {low}-{high} (got [{a}, {b}])",
            {"what": what, "low": low, "high": high, "a": a, "b": b},
        )
    if a > b:
        raise PydanticCustomError(
            "out_of_range", "{what} range must be [low, high] with low <= high", {"what": what}
        )
    return (a, b)


def _validate_likelihood(value: Any) -> Likelihood:
    if isinstance(value, str):
        term = " ".join(value.lower().split())
        if term not in ICD203_TERMS:
            raise PydanticCustomError(
                "unknown_term",
                "'{got}' is not an ICD 203 estimative term; use one of: {terms}, "
                "a number in [0, 1] or [low, high]",
                {"got": value, "terms": ", ".join(ICD203_TERMS)},
            )
        return term
    if _is_number(value):
        number = _as_float(value)
        if not (math.isfinite(number) and 0.0 <= number <= 1.0):
            raise PydanticCustomError(
                "out_of_range", "likelihood must be in [0, 1] (got {got})", {"got": _short(value)}
            )
        return number
    if isinstance(value, list | tuple):
        return _check_pair(value, 0.0, 1.0, "likelihood")
    raise PydanticCustomError(
        "wrong_type",
        "likelihood must be a number in [0, 1], an ICD 203 term or [low, high] (got {kind})",
        {"kind": type(value).__name__},
    )


def _validate_scale(value: Any) -> Scale:
    if _is_number(value):
        number = _as_float(value)
        if not (math.isfinite(number) and 1 <= number <= 5):
            raise PydanticCustomError(
                "out_of_range",
                "must be 1-5 or [low, high] within 1-5 (got {got})",
                {"got": _short(value)},
            )
        return number
    if isinstance(value, list | tuple):
        return _check_pair(value, 1.0, 5.0, "value")
    raise PydanticCustomError(
        "wrong_type",
        "must be a number 1-5 or [low, high] within 1-5 (got {kind})",
        {"kind": type(value).__name__},
    )


def _short(value: Any) -> str:
    """A number for a message; a huge integer literal abbreviated."""
    text = str(value) if not isinstance(value, int) or abs(value) < 10**30 else ""
    return text or f"an integer of {len(str(abs(value)))} digits"


def _validate_mitigable(value: Any) -> str:
    # YAML 1.1 reads bare yes/no as booleans; accept them as the words they were.
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, str) and value.strip().lower() in MITIGATION_FACTOR:
        return value.strip().lower()
    raise PydanticCustomError(
        "invalid_value", "mitigable must be yes, partly or no (got {got})", {"got": repr(value)}
    )


def _validate_date(value: Any) -> str:
    # An unquoted YAML date arrives as a date object, a bare year as an int.
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        try:
            if len(value) == 4:
                _dt.date(int(value), 1, 1)
            elif len(value) == 7:
                _dt.date.fromisoformat(value + "-01")
            else:
                _dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if len(value) in (4, 7, 10):
                return value
    raise PydanticCustomError(
        "invalid_value",
        "date must be ISO: YYYY, YYYY-MM or YYYY-MM-DD (got {got})",
        {"got": repr(value)},
    )


_RANGE_SCHEMA = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
LikelihoodField = Annotated[
    Likelihood,
    BeforeValidator(_validate_likelihood),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 1},
                {"type": "string", "enum": list(ICD203_TERMS)},
                {**_RANGE_SCHEMA, "items": {"type": "number", "minimum": 0, "maximum": 1}},
            ],
            "description": "Probability: a number in [0, 1], an ICD 203 term, or [low, high].",
        }
    ),
]
ScaleField = Annotated[
    Scale,
    BeforeValidator(_validate_scale),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 1, "maximum": 5},
                {**_RANGE_SCHEMA, "items": {"type": "number", "minimum": 1, "maximum": 5}},
            ]
        }
    ),
]
MitigableField = Annotated[
    str,
    BeforeValidator(_validate_mitigable),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "enum": ["yes", "partly", "no"]}, {"type": "boolean"}]}
    ),
]
DateField = Annotated[
    str,
    BeforeValidator(_validate_date),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}),
]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, min_length=1, max_length=SLUG_MAX_LENGTH)]
Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(_Strict):
    """An article the library was encoded from."""

    id: Slug = Field(description="Slug naming the source in assessments and quotes.")
    title: Text = Field(description="The document's headline as printed.")
    outlet: Text | None = Field(None, description="Publisher, only as far as known.")
    date: DateField | None = Field(None, description="ISO date, as precise as the text allows.")
    document: Text = Field(description="File name of the document this source was encoded from.")
    stance: Text = Field(description="One line: the analyst's reading of the source's position.")
    rationale: Text | None = Field(
        None, description="How a title, outlet or date not printed in the document was inferred."
    )


class Criterion(_Strict):
    """A criterion options are scored on."""

    id: Slug = Field(description="Slug naming the criterion.")
    name: Text = Field(description="Short display name.")
    description: Text = Field(description="What a high value means, and whether that is good.")
    direction: Literal["benefit", "cost"] = Field(
        description="benefit: more is better; cost: less is better."
    )
    group: Text | None = Field(None, description="One level of value tree, e.g. Security.")


FEASIBILITY = Criterion(
    id=FEASIBILITY_ID,
    name="Feasibility",
    description=(
        "Built in: the probability that all of an option's preconditions hold (product of "
        "their likelihoods, assumed independent). Higher is better."
    ),
    direction="benefit",
    group="Feasibility",
)

RankingEntry = Annotated[
    str | list[str], Field(description="A criterion id, or a list of tied ids.")
]


class Profile(_Strict):
    """A named weighting of the criteria: explicit weights or a ranking."""

    id: Slug = Field(description="Slug naming the profile (`--profile`).")
    name: Text = Field(description="Display name.")
    description: Text = Field(description="The school of thought it stands for, and who argues it.")
    weights: dict[str, Annotated[float, BeforeValidator(_validate_weight)]] | None = Field(
        None,
        description="Relative weight per criterion (feasibility included), normalized to sum 1.",
    )
    ranking: list[RankingEntry] | None = Field(
        None,
        description="Every criterion once, most important first; a nested list is a tie. "
        "Turned into rank-order-centroid weights.",
    )

    @field_validator("weights")
    @classmethod
    def _weights_valid(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        if value is None:
            return value
        for key, weight in value.items():
            if not math.isfinite(weight) or weight < 0:
                raise PydanticCustomError(
                    "out_of_range",
                    "weight of {key} must be a finite number >= 0 (got {got})",
                    {"key": repr(key), "got": weight},
                )
        if value and sum(value.values()) <= 0:
            raise PydanticCustomError("out_of_range", "weights must not all be zero", {})
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> Profile:
        if (self.weights is None) == (self.ranking is None):
            raise PydanticCustomError(
                "invalid_value", "a profile needs exactly one of 'weights' or 'ranking'", {}
            )
        return self


class SourceQuote(_Strict):
    """A verbatim quote from a source, backing an ``unaffected`` declaration."""

    source: Slug = Field(description="Id of a source in sources.yaml.")
    quote: Text = Field(description="Verbatim text from the source's document (six words or more).")


ALSO_FOR_DESCRIPTION = (
    "Id of another item this same sentence is quoted for, when it truly states two "
    "arguments (silences the reused-quote lint for this pair)."
)


class BenefitAssessment(_Strict):
    """One source's view of whether a benefit will materialise."""

    source: Slug = Field(description="Id of the assessing source.")
    likelihood: LikelihoodField = Field(
        description="How likely the source holds the benefit is to materialise (low for an "
        "author who raises it in order to reject it)."
    )
    quote: Text = Field(description="Verbatim text from the source's document (six words or more).")
    rationale: Text | None = Field(None, description="Why this likelihood.")
    also_for: Slug | None = Field(None, description=ALSO_FOR_DESCRIPTION)


#: Shown when a file still uses the first release's benefit form (no likelihoods).
OLD_BENEFIT_FORM = (
    "benefits now carry per-source assessments with a likelihood; replace 'sources:' with "
    "'assessments: [{source: ID, likelihood: likely, quote: \"...\"}]' (one per source that "
    "asserts or disputes the benefit)"
)


class Benefit(_Strict):
    """A gain an option is argued to bring, on any criterion (on a cost criterion it lowers
    that cost)."""

    id: Slug = Field(description="Slug, unique across the library.")
    text: Text = Field(description="The argument in one sentence.")
    criterion: Slug = Field(description="Any declared criterion.")
    magnitude: ScaleField = Field(description="1-5, or [low, high] within 1-5.")
    rationale: Text | None = Field(None, description="Why this magnitude (an analyst's judgement).")
    assessments: list[BenefitAssessment] = Field(
        min_length=1, description="One per source that asserts or disputes the benefit."
    )

    @model_validator(mode="before")
    @classmethod
    def _refuse_old_form(cls, data: Any) -> Any:
        if isinstance(data, dict) and "sources" in data and "assessments" not in data:
            raise PydanticCustomError("old_format", OLD_BENEFIT_FORM, {})
        return data


class RiskAssessment(_Strict):
    """One source's view of a risk."""

    source: Slug = Field(description="Id of the assessing source.")
    likelihood: LikelihoodField = Field(description="How likely the source thinks the risk is.")
    mitigable: MitigableField = Field(description="yes, partly or no (true/false read as yes/no).")
    quote: Text = Field(description="Verbatim text from the source's document (six words or more).")
    rationale: Text | None = Field(None, description="Why this likelihood / mitigability.")
    also_for: Slug | None = Field(None, description=ALSO_FOR_DESCRIPTION)


class Risk(_Strict):
    """A harm an option risks, on any criterion (on a benefit criterion it lowers that
    benefit)."""

    id: Slug = Field(description="Slug, unique across the library.")
    text: Text = Field(description="The risk in one sentence.")
    criterion: Slug = Field(description="Any declared criterion.")
    impact: ScaleField = Field(description="1-5, or [low, high] within 1-5.")
    rationale: Text | None = Field(None, description="Why this impact (an analyst's judgement).")
    assessments: list[RiskAssessment] = Field(
        min_length=1, description="One per source that speaks to it."
    )


class PreconditionAssessment(_Strict):
    """One source's view of whether a precondition will hold."""

    source: Slug = Field(description="Id of the assessing source.")
    likelihood: LikelihoodField = Field(description="How likely the source thinks it holds.")
    quote: Text = Field(description="Verbatim text from the source's document (six words or more).")
    rationale: Text | None = Field(None, description="Why this likelihood.")
    also_for: Slug | None = Field(None, description=ALSO_FOR_DESCRIPTION)


class Precondition(_Strict):
    """Something that must hold for the option to deliver."""

    id: Slug = Field(description="Slug, unique across the library (used by --assume).")
    text: Text = Field(description="The condition in one sentence.")
    assessments: list[PreconditionAssessment] = Field(
        min_length=1, description="One per source that speaks to it."
    )


class Unaffected(_Strict):
    """The analyst's explicit statement that an option has no material effect on a criterion."""

    criterion: Slug = Field(
        description="Any criterion, feasibility included (then: no precondition beyond "
        "ordinary politics)."
    )
    rationale: Text = Field(description="Why the option has no material effect there.")
    sources: list[SourceQuote] = Field(
        default_factory=list, description="Optional quotes backing the statement."
    )


Item = Benefit | Risk | Precondition


class Option(_Strict):
    """A policy option: one file in the library's options/ directory."""

    id: Slug = Field(description="Slug, unique across the library.")
    title: Text = Field(description="Display title.")
    summary: Text = Field(description="What the option is, in a few sentences.")
    theatre: Text = Field(description="Where it plays out, e.g. Syria, Afghanistan, Global.")
    tags: list[Text] = Field(default_factory=list, description="Free keywords.")
    benefits: list[Benefit] = Field(default_factory=list, description="Gains, on any criterion.")
    risks: list[Risk] = Field(default_factory=list, description="Harms, on any criterion.")
    preconditions: list[Precondition] = Field(
        default_factory=list, description="Conditions that must hold for it to deliver."
    )
    unaffected: list[Unaffected] = Field(
        default_factory=list,
        description="Criteria on which the analyst holds the option has no material effect.",
    )
    includes: list[Slug] = Field(
        default_factory=list,
        description="Ids of options whose items this option also carries (a package deal).",
    )


class Library(BaseModel):
    """A whole validated library. Built by ``library.load_library``, not read from one file."""

    model_config = ConfigDict(frozen=True)

    name: str
    sources: list[Source]
    criteria: list[Criterion]
    profiles: list[Profile]
    options: list[Option]
    option_files: dict[str, str] = {}
    digest: str = ""

    @property
    def all_criteria(self) -> list[Criterion]:
        """Declared criteria plus the built-in feasibility criterion (last)."""
        return [*self.criteria, FEASIBILITY]

    def profile(self, profile_id: str) -> Profile:
        """The profile with this id; KeyError if unknown."""
        for profile in self.profiles:
            if profile.id == profile_id:
                return profile
        raise KeyError(profile_id)

    def carried(self, option: Option) -> list[Option]:
        """``option`` followed by every option it includes (see :func:`carried_options`)."""
        return carried_options(option, {o.id: o for o in self.options})


def carried_options(option: Option, by_id: Mapping[str, Option]) -> list[Option]:
    """``option`` followed by every option it includes, transitively, each once.

    An option carries the benefits, risks and preconditions of all of these: included items
    are the same items (one judgement, one parameter), not copies. Unknown ids are skipped
    and a cycle ends where it closes (the loader reports both as errors).
    """
    out: list[Option] = []
    seen: set[str] = set()
    queue = [option.id]
    while queue:
        current = queue.pop(0)
        if current in seen or current not in by_id:
            continue
        seen.add(current)
        out.append(by_id[current])
        queue.extend(by_id[current].includes)
    return out


def likelihood_bounds(value: Likelihood) -> tuple[float, float]:
    """The [low, high] range a likelihood stands for (a number is its own range)."""
    if isinstance(value, str):
        return ICD203_TERMS[value]
    if isinstance(value, tuple):
        return value
    return (value, value)


def scale_bounds(value: Scale) -> tuple[float, float]:
    """The [low, high] range of a magnitude or impact."""
    return value if isinstance(value, tuple) else (value, value)


def midpoint(bounds: tuple[float, float]) -> float:
    """Point estimate of a range: its midpoint."""
    return (bounds[0] + bounds[1]) / 2.0
