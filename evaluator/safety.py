"""Defensive file access and limits: what the loader and the CLI refuse, and why.

Every refusal is a located ``Problem`` or an ``InputError``, never a traceback and never a
silent skip: an option file that cannot be read must not simply vanish from the ranking.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError, OptionError, Problem
from .yaml_reader import ReadError

#: Largest library file read (checked before parsing); a real option file is a few KB.
MAX_FILE_BYTES = 4 * 1024 * 1024

#: Most Monte Carlo draws one run may ask for (``--samples``). Why a ceiling: the count
#: sizes per-block bookkeeping, and ten million draws already put the standard error of
#: every probability below 0.0002, far finer than any judgement in a library.
MAX_SAMPLES = 10_000_000


def display_path(path: str) -> str:
    """A path as the user typed it, with bytes that are not UTF-8 shown as ``\\xff``."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _problem(display: str, code: str, message: str) -> ReadError:
    return ReadError(Problem(display, 0, 0, "", code, message))


def read_library_file(path: Path, display: str) -> bytes:
    """The bytes of one library file, or ``ReadError`` saying why it cannot be used.

    Refused, each with its own message: a broken symbolic link or a link loop, anything
    that is not a regular file (a directory named ``sources.yaml``, a device), a file over
    :data:`MAX_FILE_BYTES`, and a file the user may not read.
    """
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _problem(display, "broken-link", "symbolic link loop; fix the link") from None
        if exc.errno == errno.ENOENT and path.is_symlink():
            target = display_path(str(path.readlink()))
            raise _problem(
                display, "broken-link", f"symbolic link to a missing file ({target})"
            ) from None
        raise _problem(display, "unreadable", f"cannot read the file ({_reason(exc)})") from None
    if stat.S_ISDIR(info.st_mode):
        raise _problem(display, "not-a-file", "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise _problem(display, "not-a-file", "is not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        raise _too_large(display, info.st_size)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _problem(display, "unreadable", f"cannot read the file ({_reason(exc)})") from None
    if len(raw) > MAX_FILE_BYTES:  # grew since stat
        raise _too_large(display, len(raw))
    return raw


def _too_large(display: str, size: int) -> ReadError:
    return _problem(
        display,
        "file-too-large",
        f"file is {size / 2**20:.1f} MiB; a library file may be at most "
        f"{MAX_FILE_BYTES // 2**20} MiB (an option file is a few KB): is it the right file?",
    )


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def find_option_files(
    options_dir: Path, root: Path, display_root: str, suffixes: tuple[str, ...]
) -> Iterator[str | Problem]:
    """Paths (relative to ``root``) of the option files under ``options_dir``, sorted.

    Yields a ``Problem`` instead for a directory that cannot be listed (it would otherwise
    look empty) and for a file name that is not valid UTF-8 (it could not be printed or
    written into a report). Broken links are yielded as paths, so reading them says why.
    Hidden files are skipped; linked directories are followed once.
    """
    seen: set[tuple[int, int]] = set()

    def walk(directory: Path) -> Iterator[str | Problem]:
        display = display_path(os.path.join(display_root, os.path.relpath(directory, root)))
        try:
            info = directory.stat()
            if (info.st_dev, info.st_ino) in seen:
                return
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            yield Problem(
                display, 0, 0, "", "unreadable", f"cannot list this directory ({_reason(exc)})"
            )
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if _is_dir(entry):
                yield from walk(path)
            elif path.suffix in suffixes:
                relative = os.path.relpath(path, root)
                if display_path(relative) != relative:
                    yield Problem(
                        display_path(os.path.join(display_root, relative)),
                        0,
                        0,
                        "",
                        "file-name-encoding",
                        "file name is not valid UTF-8; rename the file",
                    )
                else:
                    yield relative

    yield from walk(options_dir)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def check_library_dir(root: Path, display_root: str) -> None:
    """``InputError`` if the library directory cannot be listed (its files would all look
    missing otherwise)."""
    try:
        with os.scandir(root):
            pass
    except OSError as exc:
        raise InputError(
            f"{display_root}: cannot read the library directory ({_reason(exc)})"
        ) from None


def check_samples(samples: int) -> int:
    """``samples`` if it is a number of draws we run, else ``OptionError`` on ``samples``."""
    if samples < 1:
        raise OptionError("samples", f"must be at least 1 (got {samples})")
    if samples > MAX_SAMPLES:
        shown = f"{samples:,}" if samples < 10**30 else f"a number of {len(str(samples))} digits"
        raise OptionError(
            "samples",
            f"must be at most {MAX_SAMPLES:,} (got {shown}); more draws would not "
            "make the estimates meaningfully finer",
        )
    return samples


def check_output_target(target: str, library_dir: str | os.PathLike[str] | None = None) -> None:
    """Refuse to write over anything but a regular file, or into the library itself."""
    path = Path(target)
    try:
        info = path.stat()
    except OSError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise InputError(f"{display_path(target)}: is {kind}; refusing to replace it")
    if library_dir is not None:
        library = Path(library_dir).resolve()
        if path.resolve().is_relative_to(library):
            raise InputError(
                f"{display_path(target)}: is inside the library {display_path(str(library_dir))}; "
                "write the report outside it"
            )
