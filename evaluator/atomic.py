"""Write a text file atomically: nothing half-written, ever (DESIGN.md section 8)."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path


def write_text_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same directory,
    flushed to disk, then renamed over the target.

    The directory is created if missing. On any failure (including Ctrl-C, and SIGTERM
    under the CLI, which raises it as an interrupt) the temporary file is removed and an
    existing file at ``path`` is left untouched. Anything at ``path`` that is not a regular
    file (a device such as /dev/null, a directory, a pipe) is refused with ``OSError``:
    renaming over it would replace it.
    """
    target = Path(path)
    try:
        mode = target.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        raise FileExistsError(
            errno.EEXIST, "not a regular file; refusing to replace it", os.fspath(path)
        )
    directory = target.absolute().parent
    directory.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(0o644)  # mkstemp makes 0600; a report or option file is for sharing
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
