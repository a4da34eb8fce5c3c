"""The CLI's side of the terminal: stdout that fails, pipes that close, SIGTERM, hostile text.

Why a guard around every command: a write to a full disk (``> /dev/full``) raises OSError
from ``print``, and click turns a closed pipe (``evaluator list | head``) into a silent exit
1. A well-behaved Unix tool instead says why it could not write, or, when its reader has
gone, stops quietly with the status of a process ended by SIGPIPE.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import signal
import sys
import threading
import unicodedata
from collections.abc import Iterator
from typing import Any, TextIO, cast

import typer

#: Exit status of a process ended by SIGPIPE, as a shell reports it (128 + 13).
SIGPIPE_EXIT = 141
#: Exit status of a process ended by SIGTERM (128 + 15).
SIGTERM_EXIT = 143


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so the same clean-up runs (temporary files removed)."""


class _StdoutFailed(Exception):
    def __init__(self, error: OSError) -> None:
        self.error = error


class _GuardedStdout:
    """Delegates to the real stdout; turns its OSError into ``_StdoutFailed``.

    Why a distinct exception: an OSError from reading a library file must stay that file's
    error, and rich catches ``BrokenPipeError`` itself (then exits 1).
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise _StdoutFailed(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise _StdoutFailed(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


@contextlib.contextmanager
def guarded_run() -> Iterator[None]:
    """Run one command: SIGTERM cleans up like Ctrl-C; stdout failures end it plainly."""
    real = sys.stdout
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _raise_terminated)
    sys.stdout = cast(TextIO, _GuardedStdout(real))
    try:
        yield
        sys.stdout.flush()  # buffered output fails here, not at interpreter exit
    except _StdoutFailed as failed:
        if isinstance(failed.error, BrokenPipeError):
            _silence(real)
            raise typer.Exit(code=SIGPIPE_EXIT) from None
        _silence(real)
        reason = failed.error.strerror or type(failed.error).__name__
        sys.stderr.write(f"stdout: cannot write the output ({reason})\n")
        raise typer.Exit(code=1) from None
    except Terminated:
        sys.stderr.write("terminated; nothing was written\n")
        raise typer.Exit(code=SIGTERM_EXIT) from None
    finally:
        sys.stdout = real
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _silence(stream: TextIO) -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)


def printable(text: str) -> str:
    """User text made safe for a terminal: control characters and unpaired surrogates
    (from non-UTF-8 file names) shown as escapes, so data cannot move the cursor,
    recolour the screen or crash the encoder."""
    if text.isprintable():
        return text
    return "".join(_escape(ch) if unicodedata.category(ch) in _HIDDEN else ch for ch in text)


# Control, format (bidirectional overrides), surrogate and line/paragraph separators.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def _escape(ch: str) -> str:
    if ch in "\n\t":
        return " "
    if unicodedata.category(ch) == "Cs":
        return f"\\x{ord(ch) - 0xDC00:02x}" if 0xDC80 <= ord(ch) <= 0xDCFF else f"\\u{ord(ch):04x}"
    return ch.encode("unicode_escape").decode("ascii")


def _escape_unencodable(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(_escape(ch) for ch in bad), error.end


#: Error handler for the console streams: a path that is not UTF-8 prints as ``\xff``
#: (as the loader's messages show it), never a UnicodeEncodeError.
ESCAPE_ERRORS = "evaluator-escape"
codecs.register_error(ESCAPE_ERRORS, _escape_unencodable)


def escape_unencodable_output() -> None:
    """Make stdout and stderr escape what they cannot encode instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors=ESCAPE_ERRORS)
