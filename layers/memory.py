"""Give memory freed by a step back to the operating system.

Reading and preparing a large layer allocates and frees hundreds of
megabytes of small objects; glibc's allocator keeps freed memory for reuse, so
the process's resident size stays at its high-water mark and the next step
(drawing) adds to it. :func:`release` asks glibc to return what it can
(``malloc_trim``); elsewhere it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
from functools import cache

__all__ = ["release"]


@cache
def _trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (e.g. musl): nothing to trim
        return None


def release() -> None:
    """Collect garbage, then return freed heap memory to the operating system where possible.

    Examples
    --------
    >>> release()  # never fails, whatever the platform
    """
    gc.collect()
    trim = _trim()
    if trim is not None:
        trim(0)
