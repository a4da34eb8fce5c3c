"""Atomic writes: a failure leaves neither a partial file nor a temporary one."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluator.atomic import write_text_atomically


def test_writes_text_and_creates_directories(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "out.html"
    write_text_atomically(target, "caf\u00e9\n")
    assert target.read_bytes() == "caf\u00e9\n".encode()
    assert oct(target.stat().st_mode & 0o777) == "0o644"


def test_failure_keeps_old_file_and_removes_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.html"
    target.write_text("old")

    def boom(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("evaluator.atomic.os.replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_text_atomically(target, "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.html"]
