"""Reading YAML with positions: lines, merge keys, aliases, and the alias-bomb limit."""

from __future__ import annotations

import time

import pytest

from evaluator.yaml_reader import MAX_NODES, ReadError, format_path, read_document


def test_positions_are_one_based() -> None:
    doc = read_document(b"id: a\nrisks:\n  - impact: 3\n    text: x\n", "f.yaml")
    assert doc.data == {"id": "a", "risks": [{"impact": 3, "text": "x"}]}
    assert doc.positions[("risks", 0, "impact")] == (3, 13)
    assert doc.key_positions[("risks", 0, "text")] == (4, 5)
    assert doc.locate(("risks", 0, "missing")) == (3, 5)


def test_merge_keys_and_aliases() -> None:
    text = b"base: &b {a: 1, b: 2}\nother:\n  <<: *b\n  b: 3\nlist: [*b]\n"
    doc = read_document(text, "f.yaml")
    assert doc.data["other"] == {"a": 1, "b": 3}
    assert doc.data["list"] == [{"a": 1, "b": 2}]


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i, name in enumerate("bcdefghij"):
        prev = "abcdefghij"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    start = time.perf_counter()
    with pytest.raises(ReadError) as info:
        read_document("\n".join(lines).encode(), "bomb.yaml")
    assert time.perf_counter() - start < 5  # generous: refusing must not expand 10**10 nodes
    assert info.value.problem.code == "alias-bomb"
    assert str(MAX_NODES) in info.value.problem.message


@pytest.mark.parametrize(
    ("raw", "code", "line"),
    [
        (b"", "empty-file", 1),
        (b"# only a comment\n\n", "empty-file", 1),
        (b"a: [1, 2\nb: 3\n", "yaml-syntax", 2),
        (b"a: 1\na: 2\n", "duplicate-key", 2),
        (b"a: ok\nb: caf\xe9\n", "encoding", 2),
        (b"a: !!python/object:os.system x\n", "yaml-syntax", 1),
    ],
)
def test_read_problems(raw: bytes, code: str, line: int) -> None:
    with pytest.raises(ReadError) as info:
        read_document(raw, "f.yaml")
    assert (info.value.problem.code, info.value.problem.line) == (code, line)


def test_bom_is_ignored() -> None:
    assert read_document("\ufeffa: 1\n".encode(), "f.yaml").data == {"a": 1}


def test_format_path() -> None:
    assert format_path(("risks", 2, "assessments", 0, "quote")) == "risks[2].assessments[0].quote"
    assert format_path((0, "id")) == "[0].id"
