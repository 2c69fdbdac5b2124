"""Near-duplicate groups found on the distinct hashes equal those of every
pair, without listing the pairs of equal hashes."""

import numpy as np
import pytest

from imgbalance.duplicates import hamming_pairs
from imgbalance.duplicates._hash_groups import hash_groups
from imgbalance.model_selection._parts import group_codes


@pytest.mark.parametrize("words", [1, 2])
@pytest.mark.parametrize("threshold", [0, 1, 3, 10])
def test_the_groups_are_those_of_every_pair(words, threshold):
    rng = np.random.default_rng(threshold + 10 * words)
    base = rng.integers(0, 2**63, (40, words), dtype=np.uint64)
    # copies, and copies with a few bits flipped: chains of near-duplicates
    hashes = base[rng.integers(0, 40, 600)].copy()
    flips = rng.integers(0, 64, (600, 3))
    for k in range(0, 600, 3):
        for bit in flips[k, : rng.integers(0, 4)]:
            hashes[k, 0] ^= np.uint64(1) << np.uint64(bit)
    expected = group_codes(len(hashes), hamming_pairs(hashes, threshold))
    found = hash_groups(hashes, threshold)
    assert found.dtype == np.int64
    assert found.tolist() == expected.tolist()
    one_d = hash_groups(hashes[:, 0], threshold)  # (n,) hashes
    assert one_d.tolist() == group_codes(
        600, hamming_pairs(hashes[:, 0], threshold)
    ).tolist()


def test_many_copies_of_one_image_are_one_group_without_their_pairs():
    # 200 000 copies have 2e10 pairs; grouped on the distinct hashes, two
    hashes = np.zeros(200_001, dtype=np.uint64)
    hashes[7] = 2**64 - 1  # 64 bits from the others
    found = hash_groups(hashes, 4)
    assert found[7] == 1 and np.count_nonzero(found) == 1
