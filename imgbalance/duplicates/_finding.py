"""Groups of near-duplicate images in one collection, and the images of a
test set with a near-duplicate in the training set."""

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ._embedded import check_cosine_threshold, cosine_pairs, embed
from ._hashing import hash_images
from ._search import hamming_pairs

__all__ = [
    "DEFAULT_THRESHOLD",
    "SPLIT_THRESHOLD",
    "duplicate_groups",
    "find_duplicates",
    "find_leaks",
]

# bits of a 64-bit hash two near-duplicates may differ by, per hash: on 200
# distinct photo tiles with JPEG (quality 70), half-size and +5 % brightness
# copies of 100 of them (tests/test_duplicates.py), these thresholds find
# every copy and no distinct pair; larger hashes scale them by their bits
DEFAULT_THRESHOLD = {"perceptual": 6, "difference": 4, "average": 2}
# bits of 64 two near-duplicates' perceptual hashes may differ by where a
# split is made or leaks between two folders are sought: looser, as a leak
# missed costs a score and a pair joined only a little freedom of the
# split (a shift by one pixel of a 128-pixel photo tile can move 8 bits)
SPLIT_THRESHOLD = DEFAULT_THRESHOLD["perceptual"] + 2


def threshold_for(hash, hash_size, threshold):
    """The threshold in bits: the one given, or the default of ``hash``
    scaled to ``hash_size ** 2`` bits."""
    if threshold is not None:
        return threshold
    return round(DEFAULT_THRESHOLD[hash] * hash_size**2 / 64)


def duplicate_groups(n, i, j):
    """Connected groups of ``n`` items joined by pairs ``(i, j)``: a list of
    position arrays, each sorted, of two items or more, by first item."""
    if len(i) == 0:
        return []
    graph = coo_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    order = np.argsort(labels, kind="stable")
    cuts = np.flatnonzero(np.diff(labels[order])) + 1
    groups = [g for g in np.split(order, cuts) if len(g) > 1]
    return sorted(groups, key=lambda g: g[0])


def find_duplicates(
    X, *, hash="perceptual", hash_size=8, threshold=None, embedder=None
):
    """Groups of near-duplicate images (re-encoded, resized, slightly
    brighter or darker copies; bursts).

    Every image is hashed (:func:`perceptual_hash` by default), the pairs
    of hashes at most ``threshold`` bits apart are found without comparing
    all pairs (:func:`hamming_pairs`), and linked pairs form a group. With
    an ``embedder`` (a network's embedding,
    :class:`~imgbalance.features.TorchFeatures`, or any transformer), the
    images are embedded instead and the pairs are those within a cosine
    distance: copies that a hash misses (crops, flips, another shot of the
    same scene) can lie close there.

    Parameters
    ----------
    X : image collection
        An ``(n, h, w[, c])`` array, or a sequence of paths, PIL images or
        arrays (sizes may differ). JPEG files are decoded at a reduced scale.
    hash : {"perceptual", "difference", "average"}, default="perceptual"
    hash_size : int, default=8
        Hashes of ``hash_size ** 2`` bits.
    threshold : int, float or None, default=None
        The largest Hamming distance, in bits, of two near-duplicates. None:
        6 of 64 bits for the perceptual hash, 4 for the difference hash, 2
        for the average hash (scaled for other hash sizes). With an
        ``embedder``: the largest cosine distance (0 to 2), to be given (it
        depends on the embedding: measure it on copies you know).
    embedder : transformer or None, default=None
        None: the images are hashed. A transformer: a clone of it is fitted
        on ``X`` (a pretrained network's fit does nothing) and its output
        rows are compared by cosine distance; ``hash`` and ``hash_size`` are
        not used.

    Returns
    -------
    groups : list of ndarray
        Positions in ``X`` of each group of two images or more, sorted, the
        groups by their first image.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.duplicates import find_duplicates
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, (4, 64, 64), dtype=np.uint8)
    >>> X[3] = np.clip(X[1] * 1.05, 0, 255)  # a brighter copy of image 1
    >>> find_duplicates(X)
    [array([1, 3])]

    In an embedding (here the images' pixels, standing for a network's):

    >>> from imgbalance.features import PixelFeatures
    >>> find_duplicates(X, embedder=PixelFeatures(), threshold=0.01)
    [array([1, 3])]
    """
    if embedder is not None:
        threshold = check_cosine_threshold(threshold, embedder)
        (embedding,) = embed(embedder, X)
        i, j = cosine_pairs(embedding, threshold)
        return duplicate_groups(len(embedding), i, j)
    hashes = hash_images(X, hash, hash_size)
    i, j = hamming_pairs(hashes, threshold_for(hash, hash_size, threshold))
    return duplicate_groups(len(hashes), i, j)


def find_leaks(
    X_train, X_test, *, hash="perceptual", hash_size=8, threshold=None, embedder=None
):
    """The images of a test set with a near-duplicate in the training set.

    A near-duplicate of a training image in the test set (or an augmented
    copy of a test image in the training set, from balancing a folder
    before splitting it) inflates every score measured on that test set.

    Parameters
    ----------
    X_train, X_test : image collections
        See :func:`find_duplicates`.
    hash, hash_size, threshold
        See :func:`find_duplicates`.
    embedder : transformer or None, default=None
        See :func:`find_duplicates`; a clone is fitted on ``X_train`` and
        embeds both sets.

    Returns
    -------
    leaks : dict
        Position in ``X_test`` -> sorted positions in ``X_train`` of its
        near-duplicates, for the test images that have any.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.duplicates import find_leaks
    >>> rng = np.random.default_rng(0)
    >>> train = rng.integers(0, 256, (3, 64, 64), dtype=np.uint8)
    >>> test = np.stack([rng.integers(0, 256, (64, 64)), train[2]]).astype(np.uint8)
    >>> find_leaks(train, test)
    {1: array([2])}
    """
    if embedder is not None:
        threshold = check_cosine_threshold(threshold, embedder)
        train, test = embed(embedder, X_train, X_test, names=("X_train", "X_test"))
        i, j = cosine_pairs(test, threshold, train)
    else:
        train = hash_images(X_train, hash, hash_size, input_name="X_train")
        test = hash_images(X_test, hash, hash_size, input_name="X_test")
        i, j = hamming_pairs(test, threshold_for(hash, hash_size, threshold), train)
    starts = np.flatnonzero(np.r_[True, np.diff(i) != 0]) if len(i) else []
    return {int(i[a]): b for a, b in zip(starts, np.split(j, starts[1:]))}
