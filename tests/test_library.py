"""Loading a library: the happy path, and one located problem per failure mode."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import MINI, MINI_CORPUS, SCENARIOS

from evaluator import InputError, LibraryError, load_library
from evaluator.model import FEASIBILITY_ID


def problems_of(path: Path, **kwargs: object) -> list[tuple[str, str, int, str]]:
    """(code, file relative to the library, line, field) for every problem."""
    with pytest.raises(LibraryError) as info:
        load_library(path, **kwargs)  # type: ignore[arg-type]
    root = os.fspath(path)
    return [
        (p.code, os.path.relpath(p.file, root).replace(os.sep, "/"), p.line, p.field)
        for p in info.value.problems
    ]


def test_loads_example_library() -> None:
    library = load_library(MINI)
    assert [o.id for o in library.options] == ["levee", "relocation", "wetland"]
    assert [c.id for c in library.all_criteria][-1] == FEASIBILITY_ID
    assert library.profile("safety-first").ranking is not None
    assert library.option_files["levee"] == os.path.join(os.fspath(MINI), "options", "levee.yaml")
    assert len(library.digest) == 64


def test_corpus_check_passes_on_example_library() -> None:
    load_library(MINI, corpus=MINI_CORPUS)


def test_mitigable_booleans_read_as_words() -> None:
    levee = load_library(MINI).options[0]
    # YAML 1.1 reads the bare `no` in levee.yaml as False.
    assert levee.risks[0].assessments[0].mitigable == "no"


def test_digest_changes_with_content(mini_copy: Path) -> None:
    before = load_library(mini_copy).digest
    path = mini_copy / "options" / "levee.yaml"
    path.write_text(path.read_text().replace("magnitude: 5", "magnitude: 4"))
    assert load_library(mini_copy).digest != before


# The thirteen bad inputs of the foundation issue, plus the other cross-file checks.
CASES = [
    ("yaml-syntax", [("yaml-syntax", "options/levee.yaml", 15, "")]),
    (
        "unknown-criterion",
        [("unknown-reference", "options/levee.yaml", 9, "benefits[0].criterion")],
    ),
    (
        "unknown-source",
        [("unknown-reference", "options/levee.yaml", 31, "risks[1].assessments[0].source")],
    ),
    (
        "likelihood-out-of-range",
        [("out-of-range", "options/levee.yaml", 32, "risks[1].assessments[0].likelihood")],
    ),
    (
        "unknown-term",
        [("unknown-term", "options/levee.yaml", 32, "risks[1].assessments[0].likelihood")],
    ),
    (
        "magnitude-out-of-range",
        [("out-of-range", "options/levee.yaml", 10, "benefits[0].magnitude")],
    ),
    ("duplicate-option-id", [("duplicate-id", "options/levee.yaml", 1, "id")]),
    ("empty-file", [("empty-file", "options/levee.yaml", 1, "")]),
    ("not-utf8", [("encoding", "options/levee.yaml", 2, "")]),
    ("alias-bomb", [("alias-bomb", "options/levee.yaml", 2, "f")]),
    ("missing-field", [("missing-field", "options/levee.yaml", 1, "theatre")]),
    ("wrong-type", [("wrong-type", "options/levee.yaml", 6, "benefits")]),
    ("misspelt-field", [("unknown-field", "options/levee.yaml", 6, "benfits")]),
    # Benefits and risks may name any declared criterion, but not the built-in feasibility.
    ("feasibility-criterion", [("reserved-id", "options/levee.yaml", 9, "benefits[0].criterion")]),
    ("duplicate-key", [("duplicate-key", "options/levee.yaml", 3, "title")]),
    ("reserved-feasibility", [("reserved-id", "criteria.yaml", 17, "[4].id")]),
    ("incomplete-profile", [("incomplete-profile", "profiles.yaml", 4, "[0].weights")]),
    ("ranking-repeats", [("duplicate-id", "profiles.yaml", 8, "[1].ranking[1]")]),
    ("empty-library", [("empty-library", "options", 0, "")]),
]


@pytest.mark.parametrize(("case", "expected"), CASES, ids=[c for c, _ in CASES])
def test_broken_library_gives_located_problem(
    case: str, expected: list[tuple[str, str, int, str]], broken_library: Callable[[str], Path]
) -> None:
    assert problems_of(broken_library(case)) == expected


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (
            "quote-not-found",
            [("quote-not-found", "options/levee.yaml", 34, "risks[1].assessments[0].quote")],
        ),
        (
            "quote-too-short",
            [("quote-too-short", "options/levee.yaml", 34, "risks[1].assessments[0].quote")],
        ),
    ],
)
def test_quote_problems_are_located(
    case: str, expected: list[tuple[str, str, int, str]], broken_library: Callable[[str], Path]
) -> None:
    assert problems_of(broken_library(case), corpus=MINI_CORPUS) == expected


def test_too_short_quote_is_caught_without_corpus(broken_library: Callable[[str], Path]) -> None:
    assert [p[0] for p in problems_of(broken_library("quote-too-short"))] == ["quote-too-short"]


def test_all_problems_are_collected(mini_copy: Path) -> None:
    levee = mini_copy / "options" / "levee.yaml"
    text = levee.read_text().replace("magnitude: 5", "magnitude: 9")
    levee.write_text(text.replace("likelihood: likely", "likelihood: 1.7"))
    wetland = mini_copy / "options" / "wetland.yaml"
    wetland.write_text(wetland.read_text().replace("criterion: support", "criterion: nope"))
    codes = sorted(p[0] for p in problems_of(mini_copy))
    assert codes == ["out-of-range", "out-of-range", "unknown-reference"]


def test_one_bad_criterion_is_one_problem_not_a_cascade(mini_copy: Path) -> None:
    """A criterion that fails to load is reported once; the options and profiles naming it
    are not each called unknown (the name is defined, in the entry that failed)."""
    criteria = mini_copy / "criteria.yaml"
    criteria.write_text(criteria.read_text().replace("direction: benefit", "direction: up", 1))
    assert [(c, f) for c, f, _, _ in problems_of(mini_copy)] == [("invalid-value", "criteria.yaml")]


def test_a_broken_option_file_does_not_make_its_items_unknown(tmp_path: Path) -> None:
    """In the shipped library four files name items of afghanistan-force-pooling in
    ``also_for``; breaking that file gives its own problem only."""
    lib = tmp_path / "lib"
    shutil.copytree(SCENARIOS, lib)
    option = lib / "options" / "afghanistan-force-pooling.yaml"
    option.write_text(option.read_text().replace("magnitude: [2, 3]", "magnitude: nine", 1))
    found = problems_of(lib)
    assert [(c, f, field) for c, f, _, field in found] == [
        ("wrong-type", "options/afghanistan-force-pooling.yaml", "benefits[0].magnitude")
    ]


def test_a_missing_sources_file_is_one_problem(mini_copy: Path) -> None:
    (mini_copy / "sources.yaml").unlink()
    assert [(c, f) for c, f, _, _ in problems_of(mini_copy)] == [("missing-file", "sources.yaml")]


def test_unknown_names_are_still_reported_when_everything_loads(mini_copy: Path) -> None:
    wetland = mini_copy / "options" / "wetland.yaml"
    wetland.write_text(wetland.read_text().replace("criterion: support", "criterion: nope"))
    assert [c for c, _, _, _ in problems_of(mini_copy)] == ["unknown-reference"]


def test_missing_files_are_named(tmp_path: Path) -> None:
    (tmp_path / "options").mkdir()
    found = problems_of(tmp_path)
    assert [(c, f) for c, f, _, _ in found] == [
        ("missing-file", "criteria.yaml"),
        ("missing-file", "profiles.yaml"),
        ("missing-file", "sources.yaml"),
    ]


def test_not_a_directory_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a library directory"):
        load_library(tmp_path / "nope")


def test_missing_corpus_document_is_located(mini_copy: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "gazette.txt").write_text((MINI_CORPUS / "gazette.txt").read_text())
    found = problems_of(mini_copy, corpus=corpus)
    assert found == [("missing-document", "sources.yaml", 10, "[1].document")]


def test_json_files_are_accepted(mini_copy: Path) -> None:
    import json

    import yaml

    src = mini_copy / "criteria.yaml"
    (mini_copy / "criteria.json").write_text(json.dumps(yaml.safe_load(src.read_text()), indent=1))
    src.unlink()
    assert len(load_library(mini_copy).criteria) == 4


def test_both_yaml_and_json_is_a_problem(mini_copy: Path) -> None:
    (mini_copy / "criteria.json").write_text("[]")
    assert [p[0] for p in problems_of(mini_copy)] == ["duplicate-file"]


def test_ordinary_anchors_and_aliases_work(mini_copy: Path) -> None:
    path = mini_copy / "options" / "relocation.yaml"
    text = path.read_text().replace("tags: [managed-retreat]", "tags: &t [managed-retreat]\n")
    text += "# aliases are fine\n"
    path.write_text(
        text.replace(
            "summary: Move homes away from the river.",
            "summary: &s Move homes away from the river.",
        )
    )
    assert load_library(mini_copy).options[1].tags == ["managed-retreat"]


def test_profile_validation_messages(mini_copy: Path) -> None:
    path = mini_copy / "profiles.yaml"
    path.write_text(path.read_text().replace("safety: 0.2,", "safety: -1,"))
    found = problems_of(mini_copy)
    assert found == [("out-of-range", "profiles.yaml", 12, "[2].weights")]
