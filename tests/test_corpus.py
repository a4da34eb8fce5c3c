"""The quote-matching rule of DESIGN.md section 3: what is forgiven, and what is not."""

from __future__ import annotations

import pytest

from evaluator.corpus import check_length, check_quote, closest_passage, normalize_text, quote_found

DOC = (
    "The council\u2019s engineers say the levee will cost more\nthan any other option, and the "
    "\u201cmaintenance burden\u201d is over-\n   hyped \u2014 or so they say."
)


@pytest.mark.parametrize(
    "quote",
    [
        "The council's engineers say the levee will cost more than any other option",
        "the levee   will cost\tmore than any other option",  # whitespace runs
        'the "maintenance burden" is over-hyped',  # straight quotes; line-end hyphen
        "\u201cmaintenance burden\u201d is over- hyped - or so they say.",  # dash variants
    ],
)
def test_forgiven_differences(quote: str) -> None:
    assert quote_found(quote, DOC)


@pytest.mark.parametrize(
    "quote",
    [
        "the Levee will cost more than any other option",  # case
        "the levee will cost more than any other options",  # a changed word
        "the levee will cost more ... any other option",  # ellipsis
        "the levee will cost more than any other option.",  # punctuation not in the text
        "the maintenance burden is over-hyped",  # dropped quote marks
    ],
)
def test_unforgiven_differences(quote: str) -> None:
    assert not quote_found(quote, DOC)


def test_hyphen_inside_a_line_is_not_joined() -> None:
    # Only a hyphen that ends a line may be followed by whitespace.
    assert not quote_found(
        "well-known fact of the matter here", "a well- known fact of the matter here"
    )


def test_normalize_collapses_and_maps() -> None:
    assert normalize_text("  a\u2013b \u2018c\u2019\n\n d ") == "a-b 'c' d"


def test_length_rule() -> None:
    assert check_length("one two three four five six") is None
    assert "5 words" in (check_length("one two three four five") or "")


def test_miss_names_closest_passage() -> None:
    message = check_quote("the levee will cost less than any other option", DOC, "doc.txt")
    assert message is not None
    assert "doc.txt" in message
    assert "closest passage" in message
    assert "the levee will cost more than any other option" in message


def test_closest_passage_finds_exact_window() -> None:
    passage, ratio = closest_passage("engineers say the levee", DOC)
    assert passage == "engineers say the levee"
    assert ratio == 1.0
