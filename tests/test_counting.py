"""Counting codes a part at a time equals numpy's bincount."""

import numpy as np
import pytest

from imgbalance.utils import _counting
from imgbalance.utils._counting import count_codes


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.uint32, np.int64])
def test_count_codes_equals_bincount(monkeypatch, dtype):
    monkeypatch.setattr(_counting, "_PART", 7)  # many parts, of unlike maxima
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 200, 1000).astype(dtype)
    codes[-1] = 250  # the largest value in the last part only
    for minlength in (0, 10, 300):
        counts = count_codes(codes, minlength=minlength)
        assert counts.dtype == np.int64
        assert counts.tolist() == np.bincount(codes, minlength=minlength).tolist()
    assert count_codes(codes[:0]).tolist() == []
    assert count_codes(codes[:0], minlength=3).tolist() == [0, 0, 0]
