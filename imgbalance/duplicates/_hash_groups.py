"""Groups of near-duplicates from their hashes, paired on the distinct
hashes only.

``n`` copies of one image have ``n (n - 1) / 2`` pairs of equal hashes:
listed, ten thousand copies are fifty million pairs, a hundred thousand
past a machine's memory. Equal hashes are in one group without being
paired; the distinct hashes are paired, and the groups numbered as
:func:`~imgbalance.model_selection._parts.group_codes` numbers them (by
their first item), so the groups are those of every pair.
"""

import numpy as np

from ..model_selection._parts import group_codes, numbered_by_first_item
from ._search import hamming_pairs

__all__ = ["hash_groups"]


def hash_groups(hashes, threshold):
    """A group number (``0..``, in order of first item) for each of
    ``hashes`` ((n, n_words) or (n,) uint64): hashes at most ``threshold``
    bits apart, directly or through others, share one."""
    hashes = np.asarray(hashes)
    rows = hashes.reshape(len(hashes), -1)
    distinct, of_row = np.unique(rows, axis=0, return_inverse=True)
    codes = group_codes(len(distinct), hamming_pairs(distinct, threshold))
    # numbered again by first item, as group_codes numbers the items' groups
    return numbered_by_first_item(codes[of_row.ravel()])
