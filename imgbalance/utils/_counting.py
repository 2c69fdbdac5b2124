"""Counting the values of a long array of small codes a part at a time.

:func:`numpy.bincount` first casts its input to the platform's integer
(8 bytes a value): on a million one-byte class codes that is 8 MB made and
let go, which the C library's allocator seldom gives back. Counted a part
at a time, the cast copy is a part's.
"""

import numpy as np

__all__ = ["count_codes"]

# values cast at a time (512 KB of int64)
_PART = 2**16


def count_codes(codes, minlength=0):
    """:func:`numpy.bincount` of ``codes`` (whole numbers from 0), counted
    a part at a time: an int64 count per value from 0 to the largest (at
    least ``minlength`` of them)."""
    counts = np.zeros(minlength, dtype=np.int64)
    for low in range(0, len(codes), _PART):
        part = np.bincount(codes[low : low + _PART], minlength=len(counts))
        if len(part) > len(counts):
            part[: len(counts)] += counts
            counts = part
        else:
            counts += part
    return counts
