"""The CLI's malloc setting: set once on glibc, a no-op elsewhere, and no number moves."""

from __future__ import annotations

import json
import platform
import subprocess
import sys

import pytest
from helpers import MINI

from evaluator.allocator import keep_freed_memory

GLIBC = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"


@pytest.mark.skipif(not GLIBC, reason="mallopt thresholds exist only in glibc")
def test_thresholds_are_set_once_per_process() -> None:
    assert keep_freed_memory() is True
    assert keep_freed_memory() is True


def test_results_do_not_depend_on_the_setting() -> None:
    code = (
        "import json, sys\n"
        "from evaluator.allocator import keep_freed_memory\n"
        "from evaluator.sensitivity import analyse_sensitivity\n"
        "if sys.argv[1] == 'tuned': keep_freed_memory()\n"
        f"r = analyse_sensitivity({str(MINI)!r}, samples=3000, seed=4)\n"
        "print(json.dumps(r.to_dict(), sort_keys=True))\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, mode], capture_output=True, text=True, check=True
        ).stdout
        for mode in ("default", "tuned")
    ]
    assert json.loads(runs[0])["samples"] == 3000
    assert runs[0] == runs[1]
