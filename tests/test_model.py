"""The file-format models: value rules, and YAML round-trips (hypothesis)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from evaluator.model import (
    ICD203_TERMS,
    Option,
    Profile,
    RiskAssessment,
    Source,
    likelihood_bounds,
    midpoint,
    scale_bounds,
)


def assessment(**changes: Any) -> dict[str, Any]:
    base = {
        "source": "s",
        "likelihood": "likely",
        "mitigable": "partly",
        "quote": "one two three four five six",
    }
    return {**base, **changes}


@pytest.mark.parametrize(
    ("value", "bounds"),
    [
        ("likely", (0.55, 0.80)),
        ("  Roughly   EVEN chance ", (0.45, 0.55)),
        (0.3, (0.3, 0.3)),
        (1, (1.0, 1.0)),
        ([0.2, 0.4], (0.2, 0.4)),
    ],
)
def test_likelihood_forms(value: Any, bounds: tuple[float, float]) -> None:
    parsed = RiskAssessment.model_validate(assessment(likelihood=value))
    assert likelihood_bounds(parsed.likelihood) == pytest.approx(bounds)


@pytest.mark.parametrize(
    ("value", "error_type"),
    [
        (1.7, "out_of_range"),
        (-0.1, "out_of_range"),
        (float("nan"), "out_of_range"),
        ("probable", "unknown_term"),
        ([0.6, 0.2], "out_of_range"),
        ([0.2, 1.4], "out_of_range"),
        ([0.2], "wrong_type"),
        (True, "wrong_type"),
        ({"a": 1}, "wrong_type"),
    ],
)
def test_likelihood_rejects(value: Any, error_type: str) -> None:
    with pytest.raises(ValidationError) as info:
        RiskAssessment.model_validate(assessment(likelihood=value))
    assert [e["type"] for e in info.value.errors()] == [error_type]


@pytest.mark.parametrize(("given_", "word"), [(True, "yes"), (False, "no"), ("Partly", "partly")])
def test_mitigable_words(given_: Any, word: str) -> None:
    assert RiskAssessment.model_validate(assessment(mitigable=given_)).mitigable == word


def test_mitigable_rejects_other_words() -> None:
    with pytest.raises(ValidationError):
        RiskAssessment.model_validate(assessment(mitigable="maybe"))


def test_icd_terms_cover_the_standard() -> None:
    assert len(ICD203_TERMS) == 7
    lows = [low for low, _ in ICD203_TERMS.values()]
    assert lows == sorted(lows)
    assert midpoint(ICD203_TERMS["likely"]) == pytest.approx(0.675)


@pytest.mark.parametrize("date", ["2016", "2016-07", "2016-07-21"])
def test_dates_keep_their_precision(date: str) -> None:
    source = Source(id="s", title="t", document="d.txt", stance="x", date=date)
    assert source.date == date


def test_unquoted_yaml_date_becomes_iso() -> None:
    data = yaml.safe_load("id: s\ntitle: t\ndocument: d.txt\nstance: x\ndate: 2016-07-21\n")
    assert Source.model_validate(data).date == "2016-07-21"


@pytest.mark.parametrize("date", ["July 2016", "2016-13", "16-07-21"])
def test_bad_dates(date: str) -> None:
    with pytest.raises(ValidationError):
        Source(id="s", title="t", document="d.txt", stance="x", date=date)


def test_profile_needs_exactly_one_kind() -> None:
    with pytest.raises(ValidationError):
        Profile(id="p", name="n", description="d")
    with pytest.raises(ValidationError):
        Profile(id="p", name="n", description="d", weights={"a": 1}, ranking=["a"])


def test_scale_bounds() -> None:
    assert scale_bounds(3.0) == (3.0, 3.0)
    assert scale_bounds((2.0, 4.0)) == (2.0, 4.0)


# Round-trip: any valid option dumped to YAML and read back is the same option.
slugs = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,5}){0,2}", fullmatch=True)
text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip() == s and s != "")
likelihoods = st.one_of(
    st.floats(0, 1),
    st.sampled_from(list(ICD203_TERMS)),
    st.tuples(st.floats(0, 1), st.floats(0, 1)).map(lambda t: (min(t), max(t))),
)
scales = st.one_of(
    st.integers(1, 5).map(float),
    st.tuples(st.floats(1, 5), st.floats(1, 5)).map(lambda t: (min(t), max(t))),
)
options = st.builds(
    Option,
    id=slugs,
    title=text,
    summary=text,
    theatre=text,
    tags=st.lists(text, max_size=3),
    benefits=st.lists(
        st.fixed_dictionaries(
            {
                "id": slugs,
                "text": text,
                "criterion": slugs,
                "magnitude": scales,
                "assessments": st.lists(
                    st.fixed_dictionaries(
                        {"source": slugs, "likelihood": likelihoods, "quote": text}
                    ),
                    min_size=1,
                    max_size=2,
                ),
            }
        ),
        max_size=2,
    ),
    risks=st.lists(
        st.fixed_dictionaries(
            {
                "id": slugs,
                "text": text,
                "criterion": slugs,
                "impact": scales,
                "assessments": st.lists(
                    st.fixed_dictionaries(
                        {
                            "source": slugs,
                            "likelihood": likelihoods,
                            "mitigable": st.sampled_from(["yes", "partly", "no"]),
                            "quote": text,
                        }
                    ),
                    min_size=1,
                    max_size=2,
                ),
            }
        ),
        max_size=2,
    ),
    unaffected=st.lists(
        st.fixed_dictionaries(
            {
                "criterion": slugs,
                "rationale": text,
                "sources": st.lists(
                    st.fixed_dictionaries({"source": slugs, "quote": text}), max_size=1
                ),
            }
        ),
        max_size=2,
    ),
    includes=st.lists(slugs, max_size=2),
)


@given(options)
def test_option_yaml_round_trip(option: Option) -> None:
    dumped = yaml.safe_dump(option.model_dump(mode="json", exclude_none=True), allow_unicode=True)
    assert Option.model_validate(yaml.safe_load(dumped)) == option


def test_the_old_benefit_form_is_refused_with_the_new_form_shown() -> None:
    with pytest.raises(ValidationError, match="replace 'sources:' with 'assessments:"):
        Option.model_validate(
            {
                "id": "o",
                "title": "t",
                "summary": "s",
                "theatre": "x",
                "benefits": [
                    {
                        "id": "b",
                        "text": "t",
                        "criterion": "c",
                        "magnitude": 3,
                        "sources": [{"source": "s", "quote": "q"}],
                    }
                ],
            }
        )
