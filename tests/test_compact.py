"""The smallest integer types and the positions found a part at a time."""

import numpy as np
import pytest

from imgbalance.utils import _compact
from imgbalance.utils._compact import positions_of, unsigned_type


@pytest.mark.parametrize(
    "bound, dtype",
    [
        (0, np.uint8),
        (256, np.uint8),
        (257, np.uint16),
        (65_536, np.uint16),
        (65_537, np.uint32),
        (2**32, np.uint32),
        (2**32 + 1, np.int64),
    ],
)
def test_unsigned_type_holds_every_value_below_the_bound(bound, dtype):
    assert unsigned_type(bound) is dtype


def test_positions_of_equal_flatnonzero_as_int32(monkeypatch):
    monkeypatch.setattr(_compact, "_PART", 7)  # many parts
    mask = np.random.default_rng(0).random(1000) < 0.3
    found = positions_of(mask)
    assert found.dtype == np.int32
    assert found.tolist() == np.flatnonzero(mask).tolist()
    assert positions_of(mask[:0]).tolist() == []
    assert positions_of(mask[:0]).dtype == np.int32
