"""Memory a run freed, given back to the system between its stages.

The C library's allocator keeps memory a process frees for its next
requests; its heap seldom shrinks. Planning a run over a million files
frees tens of megabytes of arrays it used for a moment, in holes the
writing stage that follows does not fill: they would stay counted in the
process's resident memory for the rest of the run. Where the C library is
glibc, ``malloc_trim`` gives them back; elsewhere nothing is done.
"""

import ctypes
import sys

__all__ = ["give_back_freed_memory"]


def _trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).malloc_trim  # glibc's; musl has none
    except (OSError, AttributeError):
        return None


_TRIM = _trim()


def give_back_freed_memory():
    """Give the memory this process freed back to the system, where the C
    library can (glibc); returns whether it was asked."""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True
