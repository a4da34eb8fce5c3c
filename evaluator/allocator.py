"""Process-level memory setting for Monte Carlo runs (an edge concern, used by the CLI).

The Monte Carlo allocates and frees arrays of about a megabyte per block. glibc's malloc
hands freed memory at the top of its heap back to the operating system once it exceeds a
trim threshold, and serves large requests with fresh mmap'd pages; both make the next block
fault its memory in again page by page. Measured on the shipped library (sampled judgements,
fresh process): about 1.7 us per draw with the defaults, about 1.3 with the thresholds below.
Raising them keeps at most ``TRIM_THRESHOLD`` of freed memory in the process for reuse.

Only glibc has ``mallopt`` with these parameters; elsewhere this does nothing. Numbers never
depend on it: it changes where memory comes from, not what is computed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

M_TRIM_THRESHOLD = -1  # glibc malloc.h
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 2**20  # glibc's own ceiling for its adaptive threshold
TRIM_THRESHOLD = 64 * 2**20

_tuned = False


def keep_freed_memory() -> bool:
    """Set glibc's mmap and trim thresholds once per process; True if they are set."""
    global _tuned
    if _tuned:
        return True
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    # mallopt returns 1 on success; setting either threshold also stops glibc adapting them.
    mmap_set = bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1)
    trim_set = bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1)
    _tuned = mmap_set and trim_set
    return _tuned
