"""Pairs of hashes within a Hamming distance, without comparing all pairs.

Multi-index hashing (Norouzi, Punjani & Fleet, CVPR 2012): the bits are cut
into ``m`` chunks; two hashes at most ``t`` bits apart differ in at most
``t // m`` bits of some chunk (pigeonhole). So each hash looks up, chunk by
chunk, the hashes whose chunk lies within ``t // m`` bits of its own (a
sorted table, searched for each flipped pattern), and only those candidates
are compared whole. The number of chunks is chosen to look at the fewest
candidates; where no cut pays (large thresholds), the pairs are compared
block by block.
"""

import itertools
import math
from numbers import Integral

import numpy as np

__all__ = ["hamming_pairs"]

# candidate pairs compared at a time when comparing all pairs (memory)
_BLOCK = 1 << 22
# bits flipped per chunk at most: beyond, the probes outnumber the savings
_MAX_FLIPS = 2


_BYTE_BITS = np.array([bin(v).count("1") for v in range(256)], dtype=np.uint8)


def _popcount(words):
    """Set bits of each uint64 (numpy 2's bitwise_count, or a byte table)."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(words)
    words = np.ascontiguousarray(words)
    counts = _BYTE_BITS[words.view(np.uint8)].reshape(words.shape + (8,))
    return counts.sum(axis=-1, dtype=np.uint8)


def _distances(a, b):
    """Hamming distances between rows ``a`` and ``b`` (uint64 words)."""
    return _popcount(a ^ b).sum(axis=1, dtype=np.int64)


def _chunks(n_words, pieces):
    """(word, shift, width) of each chunk: every word cut into ``pieces``."""
    out = []
    for word in range(n_words):
        widths = [64 // pieces + (i < 64 % pieces) for i in range(pieces)]
        shift = 64
        for width in widths:
            shift -= width
            out.append((word, shift, width))
    return out


def _plan(n_words, threshold, n_queries, n_table):
    """The cut looking at the fewest candidates: (chunks, flips), or None
    when comparing all pairs is cheaper."""
    best, best_cost = None, n_queries * n_table  # all pairs
    for pieces in range(1, 9):
        chunks = _chunks(n_words, pieces)
        flips = threshold // len(chunks)
        if flips > _MAX_FLIPS:
            continue
        cost = 0.0
        for _, _, width in chunks:
            probes = sum(math.comb(width, r) for r in range(flips + 1))
            cost += n_queries * probes * (1 + n_table / 2.0**width)
        if cost < best_cost:
            best, best_cost = (chunks, flips), cost
    return best


def _patterns(width, flips):
    """Every ``width``-bit mask with at most ``flips`` bits set."""
    masks = [0]
    for r in range(1, flips + 1):
        for bits in itertools.combinations(range(width), r):
            masks.append(sum(1 << b for b in bits))
    return np.array(masks, dtype=np.uint64)


def _expand(lo, hi):
    """For ranges [lo, hi) of a table: (query, table position) pairs."""
    counts = hi - lo
    total = int(counts.sum())
    queries = np.repeat(np.arange(len(lo)), counts)
    starts = np.repeat(lo - (np.cumsum(counts) - counts), counts)
    return queries, np.arange(total) + starts


# chunks of at most this many bits are looked up in a table of every value
# (one array read a probe); wider ones by binary search in the sorted keys
_TABLE_BITS = 20


def _lookup(keys, width):
    """The table's keys sorted (their order) and a function giving, for
    probed values, the [lo, hi) range of the sorted keys equal to each."""
    order = np.argsort(keys, kind="stable")
    if width <= _TABLE_BITS:
        starts = np.zeros((1 << width) + 1, dtype=np.intp)
        np.cumsum(
            np.bincount(keys.astype(np.intp), minlength=1 << width), out=starts[1:]
        )

        def ranges(probe):
            probe = probe.astype(np.intp)
            return starts[probe], starts[probe + 1]

    else:
        sorted_keys = keys[order]

        def ranges(probe):
            return (
                np.searchsorted(sorted_keys, probe, side="left"),
                np.searchsorted(sorted_keys, probe, side="right"),
            )

    return order, ranges


def _indexed(queries, table, threshold, chunks, flips, same):
    found = []
    for word, shift, width in chunks:
        mask = np.uint64((1 << width) - 1)
        keys = (table[:, word] >> np.uint64(shift)) & mask
        order, ranges = _lookup(keys, width)
        own = (queries[:, word] >> np.uint64(shift)) & mask
        for pattern in _patterns(width, flips):
            lo, hi = ranges(own ^ pattern)
            i, at = _expand(lo, hi)
            j = order[at]
            if same:
                i, j = i[i < j], j[i < j]
            near = _distances(queries[i], table[j]) <= threshold
            found.append(i[near] * len(table) + j[near])
    codes = np.unique(np.concatenate(found)) if found else np.empty(0, np.int64)
    return codes // len(table), codes % len(table)


def _all_pairs(queries, table, threshold, same):
    rows = max(1, _BLOCK // max(len(table), 1))
    left, right = [], []
    for start in range(0, len(queries), rows):
        block = queries[start : start + rows]
        distance = np.zeros((len(block), len(table)), dtype=np.int64)
        for word in range(queries.shape[1]):
            distance += _popcount(block[:, word, None] ^ table[None, :, word])
        near = distance <= threshold
        if same:
            near &= (
                np.arange(len(table))[None, :]
                > np.arange(start, start + len(block))[:, None]
            )
        i, j = np.nonzero(near)
        left.append(i + start)
        right.append(j)
    if not left:
        return np.empty(0, np.intp), np.empty(0, np.intp)
    return np.concatenate(left), np.concatenate(right)


def _as_hashes(hashes, name):
    hashes = np.asarray(hashes)
    if hashes.ndim == 1:
        hashes = hashes[:, None]
    if hashes.ndim != 2 or hashes.dtype != np.uint64:
        raise ValueError(
            f"{name} must be hashes as an (n, n_words) uint64 array (what "
            f"imgbalance.duplicates' hash functions return); got "
            f"{hashes.dtype} of shape {hashes.shape}."
        )
    return np.ascontiguousarray(hashes)


def hamming_pairs(hashes, threshold, other=None, *, method="auto"):
    """The pairs of hashes at most ``threshold`` bits apart.

    Parameters
    ----------
    hashes : ndarray of shape (n, n_words) or (n,), uint64
    threshold : int
        The largest Hamming distance of a pair, in bits.
    other : ndarray of shape (m, n_words) or (m,), uint64, default=None
        Pairs between ``hashes`` and ``other``; None: pairs within
        ``hashes``.
    method : {"auto", "index", "all"}, default="auto"
        ``"index"``: multi-index hashing; ``"all"``: compare every pair (in
        blocks); ``"auto"``: whichever looks at fewer pairs. Both find the
        same pairs.

    Returns
    -------
    i, j : ndarray of shape (n_pairs,), intp
        Positions in ``hashes`` and in ``other`` (within ``hashes``: ``i <
        j``), sorted by ``i`` then ``j``.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.duplicates import hamming_pairs
    >>> hashes = np.array([0b1111, 0b0111, 0b1 << 40], dtype=np.uint64)
    >>> hamming_pairs(hashes, threshold=1)
    (array([0]), array([1]))
    """
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, Integral)
        or threshold < 0
    ):
        raise ValueError(
            f"threshold must be a non-negative integer (bits); got {threshold!r}."
        )
    if method not in ("auto", "index", "all"):
        raise ValueError(f"method must be 'auto', 'index' or 'all'; got {method!r}.")
    queries = _as_hashes(hashes, "hashes")
    same = other is None
    table = queries if same else _as_hashes(other, "other")
    if table.shape[1] != queries.shape[1]:
        raise ValueError(
            f"hashes have {queries.shape[1] * 64} bits but other "
            f"{table.shape[1] * 64}; hash both with the same hash_size."
        )
    plan = None
    if method != "all":
        plan = _plan(queries.shape[1], int(threshold), len(queries), len(table))
        if plan is None and method == "index":
            chunks = _chunks(queries.shape[1], 8)
            plan = (chunks, int(threshold) // len(chunks))
    if plan is None:
        i, j = _all_pairs(queries, table, threshold, same)
    else:
        i, j = _indexed(queries, table, threshold, *plan, same)
    order = np.lexsort((j, i))
    return i[order].astype(np.intp), j[order].astype(np.intp)
