"""Memory a run freed, given back to the system before its writing stage."""

import numpy as np
import pytest

from imgbalance.utils._memory import give_back_freed_memory


def _resident_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def test_memory_freed_under_a_live_block_is_given_back():
    if not give_back_freed_memory():
        pytest.skip("the C library is not glibc: nothing to give back")
    # 60 MB of blocks of the heap (under glibc's mmap threshold), then one
    # live block above them: freeing the others leaves a hole that the
    # allocator keeps, not the top of its heap it would give back itself
    blocks = [np.ones(2000, dtype=np.uint8).tobytes() for _ in range(30_000)]
    above = np.ones(2000, dtype=np.uint8).tobytes()
    del blocks
    kept = _resident_mb()
    assert give_back_freed_memory() is True
    given = kept - _resident_mb()
    assert given > 40, f"only {given:.1f} MB given back"
    assert above == b"\x01" * 2000  # what is live stays
