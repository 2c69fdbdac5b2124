"""Arrays of a number per file or per output held in few bytes: the
smallest integer type for a range of values, and positions found a part
at a time (a million of them as int32, without an int64 copy first)."""

import numpy as np

__all__ = ["positions_of", "unsigned_type"]

# values looked at a time where a whole array's int64 copy would be made
_PART = 2**16


def unsigned_type(bound):
    """The smallest unsigned integer type holding every whole number from
    0 to below ``bound`` (int64 past uint32)."""
    for dtype in (np.uint8, np.uint16, np.uint32):
        if bound <= np.iinfo(dtype).max + 1:
            return dtype
    return np.int64


def positions_of(mask):
    """The positions where ``mask`` (bool) holds, in order: int32 where
    they fit (4 bytes each, not 8), found a part at a time."""
    dtype = np.int32 if len(mask) < 2**31 else np.int64
    parts = [
        np.flatnonzero(mask[low : low + _PART]).astype(dtype) + low
        for low in range(0, len(mask), _PART)
    ]
    return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)
