"""Hostile and edge inputs (issue 16): one located line on stderr, exit 1, nothing damaged.

Each test builds its hostile library from a copy of ``tests/assets/mini``. Tests that need
a file the user may not read run the CLI without root's permission override when they can
(``setpriv`` drops the capability), and simulate the refusal otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from helpers import MINI, MINI_CORPUS, REPO
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from evaluator import load_library
from evaluator.cli import app
from evaluator.errors import LibraryError
from evaluator.safety import MAX_FILE_BYTES

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def cli(
    *args: str, prefix: tuple[str, ...] = (), **kwargs: object
) -> subprocess.CompletedProcess[bytes]:
    """The real console (real stdout/stderr encodings, signals, pipes)."""
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "evaluator", *args],
        cwd=REPO,
        timeout=120,
        check=False,
        **streams,  # type: ignore[arg-type]
    )


def one_error(code: int, err: str) -> str:
    """The single stderr line of a user error."""
    assert code == 1, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _setpriv_works() -> bool:
    if shutil.which("setpriv") is None:
        return False
    probe = subprocess.run([*UNPRIVILEGED, "true"], capture_output=True, check=False, timeout=30)
    return probe.returncode == 0


UNPRIVILEGED = (
    "setpriv",
    "--inh-caps=-all",
    "--bounding-set=-dac_override,-dac_read_search",
    "--",
)


def without_root_override() -> tuple[str, ...]:
    """A command prefix under which file permissions apply, or skip the test."""
    if os.geteuid() != 0:
        return ()
    if _setpriv_works():
        return UNPRIVILEGED
    pytest.skip("running as root and cannot drop the permission override")


# Aliases, nesting, sizes ------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["validate", "list", "score", "report"])
def test_self_referencing_alias_is_located(mini_copy: Path, verb: str) -> None:
    edit(mini_copy / "options" / "levee.yaml", "tags: [engineering]", "tags: &a [*a]")
    line = one_error(*run(verb, str(mini_copy))[::2])
    assert line == (
        f"{mini_copy}/options/levee.yaml:5:7: tags[0]: "
        "an alias refers to a list or mapping that contains it"
    )


@pytest.mark.parametrize("depth", [150, 600, 990])
def test_deep_nesting_is_located(mini_copy: Path, depth: int) -> None:
    edit(
        mini_copy / "options" / "levee.yaml",
        "tags: [engineering]",
        "tags: " + "[" * depth + "]" * depth,
    )
    line = one_error(*run("score", str(mini_copy))[::2])
    assert line.startswith(f"{mini_copy}/options/levee.yaml:5:")
    assert line.endswith("tags: lists and mappings nest more than 100 levels deep")


def test_file_size_limit_is_checked_before_parsing(mini_copy: Path) -> None:
    big = mini_copy / "options" / "huge.yaml"
    with big.open("wb") as handle:  # sparse: 50 MiB without writing them
        handle.truncate(50 * 2**20)
    start = time.perf_counter()
    line = one_error(*run("validate", str(mini_copy))[::2])
    assert time.perf_counter() - start < 10
    assert line == (
        f"{big}: file is 50.0 MiB; a library file may be at most "
        f"{MAX_FILE_BYTES // 2**20} MiB (an option file is a few KB): is it the right file?"
    )


def test_many_plain_values_are_not_called_an_alias_bomb(mini_copy: Path) -> None:
    items = ", ".join(["x"] * 250_000)
    edit(mini_copy / "options" / "levee.yaml", "tags: [engineering]", f"tags: [{items}]")
    line = one_error(*run("validate", str(mini_copy))[::2])
    assert "alias" not in line
    assert "holds more than 200000 values" in line


# Integers, booleans, exponents -------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("magnitude: 5", "magnitude: " + "9" * 400, "benefits[0].magnitude"),
        ("likelihood: likely", "likelihood: " + "9" * 400, "risks[1].assessments[0].likelihood"),
        ("impact: [3, 4]", "impact: [3, " + "9" * 400 + "]", "risks[1].impact"),
    ],
)
def test_huge_integer_literals_are_out_of_range(
    mini_copy: Path, old: str, new: str, field: str
) -> None:
    edit(mini_copy / "options" / "levee.yaml", old, new)
    line = one_error(*run("validate", str(mini_copy))[::2])
    assert f": {field}: " in line
    assert "must" in line
    assert "9" * 50 not in line


def test_huge_integer_weight_in_a_profile(mini_copy: Path) -> None:
    edit(mini_copy / "profiles.yaml", "{safety: 1,", "{safety: " + "9" * 400 + ",")
    line = one_error(*run("validate", str(mini_copy))[::2])
    assert line.endswith("[0].weights: weight of 'safety' must be a finite number >= 0 (got inf)")


def test_boolean_weight_is_refused(mini_copy: Path) -> None:
    edit(mini_copy / "profiles.yaml", "{safety: 1,", "{safety: yes,")
    line = one_error(*run("score", str(mini_copy))[::2])
    assert line == (
        f"{mini_copy}/profiles.yaml:4:21: [0].weights.safety: "
        "a weight must be a number (got true/false)"
    )


def test_weight_written_as_text_is_refused(mini_copy: Path) -> None:
    edit(mini_copy / "profiles.yaml", "{safety: 1,", "{safety: '1',")
    line = one_error(*run("score", str(mini_copy))[::2])
    assert line.endswith("[0].weights.safety: a weight must be a number (got str '1')")


def test_profile_weight_message_names_the_criterion(mini_copy: Path) -> None:
    edit(mini_copy / "profiles.yaml", "{safety: 1,", "{safety: -1,")
    line = one_error(*run("validate", str(mini_copy))[::2])
    assert "{key" not in line
    assert "weight of 'safety' must be a finite number >= 0 (got -1.0)" in line


def test_mitigable_message_shows_the_value(mini_copy: Path) -> None:
    edit(mini_copy / "options" / "levee.yaml", "mitigable: partly", "mitigable: maybe")
    line = one_error(*run("validate", str(mini_copy))[::2])
    assert line.endswith("mitigable must be yes, partly or no (got 'maybe')")


def test_json_numbers_with_an_exponent_are_numbers(mini_copy: Path) -> None:
    levee = mini_copy / "options" / "levee.yaml"
    data = yaml.safe_load(levee.read_text(encoding="utf-8"))
    levee.unlink()
    text = json.dumps(data, indent=1).replace('"magnitude": 5', '"magnitude": 5e0')
    text = text.replace('"impact": 4', '"impact": 0.4E1')
    assert "5e0" in text
    assert "0.4E1" in text
    (mini_copy / "options" / "levee.json").write_text(text, encoding="utf-8")
    library = load_library(mini_copy)
    levee_option = next(o for o in library.options if o.id == "levee")
    assert levee_option.benefits[0].magnitude == 5.0
    assert levee_option.risks[0].impact == 4.0


def test_yaml_exponent_is_a_number(mini_copy: Path) -> None:
    edit(mini_copy / "options" / "levee.yaml", "likelihood: likely", "likelihood: 7e-1")
    library = load_library(mini_copy)
    risk = next(o for o in library.options if o.id == "levee").risks[1]
    assert risk.assessments[0].likelihood == 0.7


# Files that are not what they seem ---------------------------------------------------------


def test_dangling_symlink_and_loop_are_refused(mini_copy: Path) -> None:
    options = mini_copy / "options"
    (options / "ghost.yaml").symlink_to("nowhere.yaml")
    (options / "loop1.yaml").symlink_to("loop2.yaml")
    (options / "loop2.yaml").symlink_to("loop1.yaml")
    code, _, err = run("score", str(mini_copy))
    assert code == 1
    assert "Traceback" not in err
    assert err.strip().splitlines() == [
        f"{options}/ghost.yaml: symbolic link to a missing file (nowhere.yaml)",
        f"{options}/loop1.yaml: symbolic link loop; fix the link",
        f"{options}/loop2.yaml: symbolic link loop; fix the link",
    ]


def test_working_symlink_is_read(mini_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "levee-elsewhere.yaml"
    (mini_copy / "options" / "levee.yaml").rename(outside)
    (mini_copy / "options" / "levee.yaml").symlink_to(outside)
    assert "levee" in {o.id for o in load_library(mini_copy).options}


def test_directory_named_like_a_top_file(mini_copy: Path) -> None:
    (mini_copy / "sources.yaml").unlink()
    (mini_copy / "sources.yaml").mkdir()
    with pytest.raises(LibraryError) as info:
        load_library(mini_copy)
    found = [p for p in info.value.problems if p.file.endswith("sources.yaml")]
    assert [(p.code, p.message) for p in found] == [("not-a-file", "is a directory, not a file")]


def test_file_name_not_utf8_is_refused(mini_copy: Path) -> None:
    name = os.fsdecode(b"lev\xffee.yaml")
    shutil.copyfile(mini_copy / "options" / "levee.yaml", mini_copy / "options" / name)
    done = cli("validate", str(mini_copy))
    err = done.stderr.decode("utf-8")
    assert done.returncode == 1, err
    assert err.splitlines() == [
        f"{mini_copy}/options/lev\\xffee.yaml: file name is not valid UTF-8; rename the file"
    ]


def test_unreadable_option_file(mini_copy: Path) -> None:
    levee = mini_copy / "options" / "levee.yaml"
    levee.chmod(0)
    done = cli("score", str(mini_copy), prefix=without_root_override())
    line = one_error(done.returncode, done.stderr.decode())
    assert line == f"{levee}: cannot read the file (Permission denied)"


def test_unreadable_option_file_simulated(mini_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    levee = mini_copy / "options" / "levee.yaml"
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self == levee:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", refuse)
    line = one_error(*run("score", str(mini_copy))[::2])
    assert line == f"{levee}: cannot read the file (Permission denied)"


def test_unreadable_options_directory(mini_copy: Path) -> None:
    options = mini_copy / "options"
    options.chmod(0)
    try:
        done = cli("validate", str(mini_copy), prefix=without_root_override())
    finally:
        options.chmod(0o755)
    line = one_error(done.returncode, done.stderr.decode())
    assert line == f"{options}: cannot list this directory (Permission denied)"
    assert "no options" not in line


def test_unreadable_library_directory(mini_copy: Path) -> None:
    mini_copy.chmod(0)
    try:
        done = cli("score", str(mini_copy), prefix=without_root_override())
    finally:
        mini_copy.chmod(0o755)
    line = one_error(done.returncode, done.stderr.decode())
    assert line == f"{mini_copy}: cannot read the library directory (Permission denied)"


def test_unreadable_options_directory_simulated(
    mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = mini_copy / "options"
    real_scandir = os.scandir

    def refuse(path: object) -> object:
        if Path(str(path)) == options:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", refuse)
    line = one_error(*run("list", str(mini_copy))[::2])
    assert line == f"{options}: cannot list this directory (Permission denied)"


def test_corpus_document_cannot_escape_the_corpus(mini_copy: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(MINI_CORPUS, corpus)
    secret = tmp_path / "secret.txt"
    secret.write_text("The secret sentence that must never be echoed back here.\n")
    edit(mini_copy / "sources.yaml", "document: review.txt", "document: ../secret.txt")
    line = one_error(*run("validate", str(mini_copy), "--corpus", str(corpus))[::2])
    assert line == (
        f"{mini_copy}/sources.yaml:10:13: [1].document: document '../secret.txt' "
        f"lies outside the corpus directory {corpus}"
    )
    assert "secret sentence" not in line
    (corpus / "link.txt").symlink_to(secret)
    edit(mini_copy / "sources.yaml", "document: ../secret.txt", "document: link.txt")
    line = one_error(*run("validate", str(mini_copy), "--corpus", str(corpus))[::2])
    assert "lies outside the corpus directory" in line


# Weights and numbers on the command line ---------------------------------------------------


def test_weights_whose_sum_overflows_are_normalized() -> None:
    code, out, err = run(
        "score", str(MINI), "--weight", "safety=1e308", "--weight", "support=1e308", "-f", "json"
    )
    assert code == 0, err
    weights = json.loads(out)["weights"]
    assert weights["safety"] == weights["support"] == 0.5
    assert sum(weights.values()) == pytest.approx(1.0)


def test_profile_weights_whose_sum_overflows_are_normalized(mini_copy: Path) -> None:
    edit(mini_copy / "profiles.yaml", "{safety: 1, support: 1,", "{safety: 1e308, support: 1e308,")
    code, out, err = run("score", str(mini_copy), "-f", "json")
    assert code == 0, err
    assert json.loads(out)["weights"]["safety"] == 0.5


@pytest.mark.parametrize("samples", ["1000000000000", str(10**23), "10000001"])
def test_samples_ceiling(samples: str) -> None:
    for verb in ("sensitivity", "report"):
        line = one_error(*run(verb, str(MINI), "--samples", samples, "-q")[::2])
        assert line.startswith("--samples: must be at most 10,000,000 (got ")


def test_samples_ceiling_is_documented() -> None:
    for verb in ("sensitivity", "report"):
        # rich draws the help in a box: its borders may fall inside a wrapped phrase
        help_text = " ".join(run(verb, "--help")[1].replace("\u2502", " ").split())
        assert "1 to 10,000,000" in help_text
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "10,000,000" in readme


@pytest.mark.parametrize("epoch", ["253402300800", "999999999999", str(10**30), "-1"])
def test_source_date_epoch_beyond_year_9999(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, epoch: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    out = tmp_path / "r.html"
    line = one_error(*run("report", str(MINI), "--out", str(out), "-n", "10", "-q")[::2])
    assert line.startswith("SOURCE_DATE_EPOCH must be seconds since 1970 from 0 to 253402300799")
    assert not out.exists()


def test_source_date_epoch_last_second_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    from evaluator.cli import generation_time

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    assert generation_time().isoformat() == "9999-12-31T23:59:59+00:00"


# Terminal output ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "theatre"),
    [
        ("Build [/] a levee", "[bold]Lower town"),
        ("[bold]Levee[/bold] :thumbs_up:", "[red]x[/]"),
        ("Levee \\e[31mred\\e[0m", "Lower\\u202etown"),
    ],
)
def test_user_text_is_not_rich_markup(mini_copy: Path, title: str, theatre: str) -> None:
    levee = mini_copy / "options" / "levee.yaml"
    edit(levee, "title: Build a higher levee", f'title: "{title}"')
    edit(levee, "theatre: Lower town", f'theatre: "{theatre}"')
    code, out, err = run("list", str(mini_copy))
    assert code == 0, err
    shown_title = title.replace("\\e", "\\x1b")
    shown_theatre = theatre.replace("\\u202e", "\\u202e")
    assert shown_title in out
    assert shown_theatre in out
    assert "\x1b" not in out
    assert "\u202e" not in out


def test_error_lines_escape_terminal_controls(mini_copy: Path) -> None:
    edit(
        mini_copy / "options" / "levee.yaml",
        "theatre: Lower town",
        'theatre: Lower town\n"\\e[2Jx\\u2028y": 1',
    )
    line = one_error(*run("validate", str(mini_copy))[::2])
    assert line.endswith("unknown field '\\x1b[2Jx\\u2028y'")


def test_stdout_that_cannot_be_written() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    for fmt in ("table", "json"):
        with Path("/dev/full").open("w") as full:
            done = cli("list", str(MINI), "-f", fmt, stdout=full)
        assert done.returncode == 1
        assert done.stderr.decode() == "stdout: cannot write the output (No space left on device)\n"


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_closed_pipe_ends_like_a_unix_tool(fmt: str) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "evaluator", "list", str(MINI), "-f", fmt],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first write
    err = proc.stderr.read()
    proc.wait(timeout=60)
    assert (proc.returncode, err) == (141, b"")


def test_library_path_not_utf8_prints(tmp_path: Path) -> None:
    lib = Path(os.fsdecode(os.fsencode(tmp_path) + b"/lib\xff"))
    shutil.copytree(MINI, lib)
    done = cli("validate", str(lib))
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8").startswith(f"{tmp_path}/lib\\xff: valid: 3 options")


# new ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option_id", "message"),
    [
        ("abc\ndef", "'abc\\ndef' is not a kebab-case id (lowercase letters, digits, hyphens)"),
        ("abc\n", "'abc\\n' is not a kebab-case id (lowercase letters, digits, hyphens)"),
        ("a" * 121, "the id is 121 characters long; ids are at most 120"),
        ("a" * 300, "the id is 300 characters long; ids are at most 120"),
    ],
)
def test_new_refuses_ids_the_model_refuses(mini_copy: Path, option_id: str, message: str) -> None:
    before = sorted(p.name for p in (mini_copy / "options").iterdir())
    line = one_error(*run("new", option_id, str(mini_copy))[::2])
    assert line == message
    assert sorted(p.name for p in (mini_copy / "options").iterdir()) == before


def test_new_accepts_the_longest_id(mini_copy: Path) -> None:
    code, _out, err = run("new", "a" * 120, str(mini_copy))
    assert code == 0, err
    assert (mini_copy / "options" / f"{'a' * 120}.yaml").is_file()


def test_new_into_a_read_only_library(mini_copy: Path) -> None:
    options = mini_copy / "options"
    options.chmod(0o555)
    try:
        done = cli("new", "fresh", str(mini_copy), prefix=without_root_override())
    finally:
        options.chmod(0o755)
    line = one_error(done.returncode, done.stderr.decode())
    assert line == f"{options}/fresh.yaml: cannot write the file (Permission denied)"
    assert not (options / "fresh.yaml").exists()


def test_new_into_a_read_only_library_simulated(
    mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    def refuse(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    line = one_error(*run("new", "fresh", str(mini_copy))[::2])
    assert line == f"{mini_copy}/options/fresh.yaml: cannot write the file (Permission denied)"


# Report targets and signals ----------------------------------------------------------------


def test_out_onto_a_non_regular_file_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    line = one_error(*run("report", str(MINI), "--out", str(fifo), "-n", "10", "-q")[::2])
    assert line == f"{fifo}: is not a regular file; refusing to replace it"
    assert not fifo.is_file()
    assert fifo.exists()
    folder = tmp_path / "folder.html"
    folder.mkdir()
    line = one_error(*run("report", str(MINI), "--out", str(folder), "-n", "10", "-q")[::2])
    assert line == f"{folder}: is a directory; refusing to replace it"


def test_out_through_a_link_to_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "null.html"
    link.symlink_to(os.devnull)
    line = one_error(*run("report", str(MINI), "--out", str(link), "-n", "10", "-q")[::2])
    assert line == f"{link}: is not a regular file; refusing to replace it"
    assert link.is_symlink()


def test_atomic_writer_refuses_non_regular_targets(tmp_path: Path) -> None:
    from evaluator.atomic import write_text_atomically

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(FileExistsError, match="not a regular file"):
        write_text_atomically(fifo, "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo"]


@pytest.mark.parametrize("inside", ["criteria.yaml", "options/levee.yaml", "notes.html"])
def test_out_inside_the_library_is_refused(mini_copy: Path, inside: str) -> None:
    target = mini_copy / inside
    before = target.read_bytes() if target.exists() else None
    line = one_error(*run("report", str(mini_copy), "--out", str(target), "-n", "10", "-q")[::2])
    assert line == (f"{target}: is inside the library {mini_copy}; write the report outside it")
    assert (target.read_bytes() if target.exists() else None) == before


_SLOW_WRITE = """
import os, sys, time
from pathlib import Path
marker = Path(sys.argv[1])
def slow_fsync(fd):
    marker.write_text("writing")
    time.sleep(60)
os.fsync = slow_fsync
sys.argv = ["evaluator", *sys.argv[2:]]
from evaluator.cli import main
main()
"""


def test_sigterm_during_a_report_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    import signal

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "report.html"
    target.write_text("the old report\n")
    marker = tmp_path / "marker"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _SLOW_WRITE,
            str(marker),
            "report",
            str(MINI),
            "--out",
            str(target),
            "-n",
            "10",
            "-q",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert len(list(out_dir.iterdir())) == 2  # the temporary file exists now
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert err.decode() == "terminated; nothing was written\n"
    assert sorted(p.name for p in out_dir.iterdir()) == ["report.html"]
    assert target.read_text() == "the old report\n"


# Invariants --------------------------------------------------------------------------------

ids = st.text(alphabet="ab9-\n\t _A", max_size=8) | st.text(
    alphabet="a-", min_size=110, max_size=130
)


@given(ids)
def test_new_accepts_exactly_the_ids_the_model_keeps(option_id: str) -> None:
    from pydantic import ValidationError

    from evaluator.errors import InputError
    from evaluator.model import Criterion
    from evaluator.scaffold import check_new_id

    try:
        kept = Criterion(id=option_id, name="n", description="d", direction="benefit").id
    except ValidationError:
        kept = None
    try:
        check_new_id(option_id)
    except InputError:
        accepted = False
    else:
        accepted = True
    assert accepted == (kept == option_id)


@given(st.text())
def test_printable_leaves_nothing_that_steers_a_terminal(text: str) -> None:
    import unicodedata

    from evaluator.terminal import printable

    shown = printable(text)
    assert not any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Zl", "Zp"} for ch in shown)
    if text.isprintable():
        assert shown == text


def test_exponent_resolver_does_not_change_pyyaml_itself() -> None:
    from evaluator.yaml_reader import read_document

    assert read_document(b"x: 5e0\n", "f.yaml").data == {"x": 5.0}
    assert yaml.safe_load("x: 5e0") == {"x": "5e0"}  # PyYAML's own loader is left alone
