"""Perceptual hashes of a batch of images: average, difference and DCT
(the hashes of Krawetz's "Looks like it" and "Kind of like that", as the
imagehash library computes them), each image shrunk to a few gray pixels
first (see ``_shrinking``).

A hash is ``hash_size ** 2`` bits, row by row, the first bit the most
significant, stored in 64-bit words: an ``(n, n_words)`` uint64 array
(one word for the usual 8x8). :func:`hash_to_hex` writes them as imagehash
writes its hashes.
"""

import math
from numbers import Integral

import numpy as np

from ..utils._docstrings import fill_docs
from ._shrinking import grays_of_collection, grays_of_items

__all__ = [
    "HASHES",
    "average_hash",
    "difference_hash",
    "hash_images",
    "hash_items",
    "hash_to_hex",
    "perceptual_hash",
]

# the DCT hash keeps the lowest hash_size x hash_size frequencies of an
# image this many times larger (imagehash's highfreq_factor)
_DCT_FACTOR = 4


def _pack(bits):
    """(n, h, w) booleans to (n, n_words) uint64, row by row, first bit
    most significant (padded with zero bits to whole words)."""
    n = len(bits)
    flat = bits.reshape(n, -1)
    n_words = -(-flat.shape[1] // 64)
    padded = np.zeros((n, n_words * 64), dtype=bool)
    padded[:, : flat.shape[1]] = flat
    packed = np.packbits(padded, axis=1, bitorder="big")
    return packed.view(">u8").astype(np.uint64).reshape(n, n_words)


def _dct_matrix(size, keep):
    """The first ``keep`` rows of the (unnormalised) DCT-II of ``size``
    points, as scipy.fftpack.dct computes it: 2 cos(pi k (2n + 1) / 2N)."""
    k = np.arange(keep)[:, None]
    n = np.arange(size)[None, :]
    return (2 * np.cos(np.pi * k * (2 * n + 1) / (2 * size))).astype(np.float64)


def _check_hash_size(hash_size):
    if (
        isinstance(hash_size, bool)
        or not isinstance(hash_size, Integral)
        or not 2 <= hash_size <= 64
    ):
        raise ValueError(
            f"hash_size must be an integer from 2 to 64; got {hash_size!r}."
        )
    return int(hash_size)


@fill_docs
def average_hash(X, *, hash_size=8, n_jobs=None):
    """Average hash: each pixel of the image shrunk to ``hash_size`` squared
    gray pixels, brighter than their mean or not.

    Parameters
    ----------
    <hash_parameters>

    Returns
    -------
    <hash_returns>

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.duplicates import average_hash, hash_to_hex
    >>> left_bright = np.zeros((1, 16, 16), np.uint8)
    >>> left_bright[0, :, :8] = 255
    >>> hash_to_hex(average_hash(left_bright))
    ['f0f0f0f0f0f0f0f0']
    """
    return _hash(X, "average", hash_size, grays_of_collection, n_jobs)


@fill_docs
def difference_hash(X, *, hash_size=8, n_jobs=None):
    """Difference hash: each pixel of the image shrunk to ``hash_size``
    rows of ``hash_size + 1`` gray pixels, brighter than its left
    neighbour or not.

    Parameters
    ----------
    <hash_parameters>

    Returns
    -------
    <hash_returns>

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.duplicates import difference_hash, hash_to_hex
    >>> ramp = np.tile(np.arange(0, 256, 16, dtype=np.uint8), (1, 16, 1))
    >>> hash_to_hex(difference_hash(ramp))  # brighter to the right: all ones
    ['ffffffffffffffff']
    """
    return _hash(X, "difference", hash_size, grays_of_collection, n_jobs)


@fill_docs
def perceptual_hash(X, *, hash_size=8, n_jobs=None):
    """DCT hash ("pHash"): the lowest ``hash_size`` x ``hash_size``
    frequencies of the 2-D DCT of the image shrunk to ``4 * hash_size``
    squared gray pixels, above their median or not. The most robust of the
    three to re-encoding, resizing and brightness changes.

    Parameters
    ----------
    <hash_parameters>

    Returns
    -------
    <hash_returns>

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.duplicates import perceptual_hash
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, (2, 64, 64), dtype=np.uint8)
    >>> brighter = np.clip(X[:1] * 1.05, 0, 255).astype(np.uint8)
    >>> hashes = perceptual_hash(np.concatenate([X, brighter]))
    >>> hashes.shape, hashes.dtype
    ((3, 1), dtype('uint64'))
    >>> bool(hashes[0, 0] == hashes[2, 0]), bool(hashes[0, 0] == hashes[1, 0])
    (True, False)
    """
    return _hash(X, "perceptual", hash_size, grays_of_collection, n_jobs)


def _average_bits(small, size):
    return small > small.mean(axis=(1, 2), keepdims=True)


def _difference_bits(small, size):
    return small[:, :, 1:] > small[:, :, :-1]


def _perceptual_bits(small, size):
    dct = _dct_matrix(small.shape[1], size)
    low = dct @ small.astype(np.float64) @ dct.T  # the lowest frequencies
    median = np.median(low.reshape(len(low), -1), axis=1)[:, None, None]
    return low > median


# each hash: the (width, height) its images are shrunk to, and its bits
HASHES = {
    "average": (lambda size: (size, size), _average_bits),
    "difference": (lambda size: (size + 1, size), _difference_bits),
    "perceptual": (
        lambda size: (size * _DCT_FACTOR, size * _DCT_FACTOR),
        _perceptual_bits,
    ),
}


def _hash(X, hash, hash_size, shrink, n_jobs=None):
    if hash not in HASHES:
        raise ValueError(
            f"hash must be one of {', '.join(map(repr, HASHES))}; got {hash!r}."
        )
    size = _check_hash_size(hash_size)
    shape, bits = HASHES[hash]
    small = shrink(X, *shape(size), n_jobs)
    if len(small) == 0:  # no image, no hash
        return np.empty((0, -(-(size * size) // 64)), dtype=np.uint64)
    return _pack(bits(small, size))


def hash_images(X, hash="perceptual", hash_size=8, n_jobs=None, input_name="X"):
    """The ``hash`` (a name of :data:`HASHES`) of every image of the
    collection ``X`` (checked as the samplers check their input, and
    named ``input_name`` in messages; an empty one has no hash)."""

    def shrink(X, width, height, n_jobs):
        return grays_of_collection(X, width, height, n_jobs, input_name)

    return _hash(X, hash, hash_size, shrink, n_jobs)


def hash_items(
    items, hash="perceptual", hash_size=8, n_jobs=None, positions=None, failed=None
):
    """The ``hash`` of each item (a path, PIL image or array), unchecked:
    for callers that checked their items (the samplers, the folder
    commands), without importing scikit-learn. ``positions``: the items'
    places in the user's ``X``, for messages; ``failed``: a dict to record
    the items that do not decode in, rather than stopping (see
    :func:`~imgbalance.duplicates._shrinking.grays_of_items`)."""

    def shrink(items, width, height, n_jobs):
        return grays_of_items(items, width, height, n_jobs, positions, failed)

    return _hash(items, hash, hash_size, shrink, n_jobs)


def hash_to_hex(hashes, hash_size=None):
    """Hashes as hexadecimal strings, as imagehash prints its hashes.

    Parameters
    ----------
    hashes : ndarray of shape (n, n_words), uint64
    hash_size : int or None, default=None
        The hashes' size, when not 8 (their bits beyond ``hash_size ** 2``
        are padding, not written).

    Returns
    -------
    hexes : list of str

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.duplicates import hash_to_hex
    >>> hash_to_hex(np.array([[1], [2**63 + 15]], dtype=np.uint64))
    ['0000000000000001', '800000000000000f']
    """
    hashes = np.asarray(hashes, dtype=np.uint64)
    if hashes.ndim == 1:
        hashes = hashes[:, None]
    n_bits = (hash_size or 8) ** 2 if hash_size else hashes.shape[1] * 64
    n_digits = math.ceil(n_bits / 4)
    out = []
    for row in hashes:
        value = 0
        for word in row:
            value = (value << 64) | int(word)
        value >>= hashes.shape[1] * 64 - n_bits
        out.append(f"{value:0{n_digits}x}")
    return out
