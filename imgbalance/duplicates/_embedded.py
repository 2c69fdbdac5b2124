"""Near-duplicates in a learnt embedding: the pairs of images whose
embeddings (a network's, or any transformer's) are within a cosine
distance, found with scikit-learn's radius search (imported when used:
the hashes' path, which imports this module, stays light)."""

from numbers import Real

import numpy as np

__all__ = ["check_cosine_threshold", "checked_embedding", "cosine_pairs", "embed"]


def check_cosine_threshold(threshold, embedder):
    """The cosine distance given with an embedder, checked: there is no
    default, as the distance of two copies depends on the embedding."""
    if threshold is None:
        raise ValueError(
            f"with embedder={type(embedder).__name__}(...), give threshold=, the "
            "largest cosine distance (0 to 2) of two near-duplicates in its "
            "embedding: there is no default, as it depends on the embedding. "
            "Measure it on a few copies you know (scikit-learn's "
            "sklearn.metrics.pairwise.cosine_distances of their embeddings)."
        )
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, Real)
        or not 0 <= threshold <= 2
    ):
        raise ValueError(
            "threshold must be a cosine distance between 0 and 2 with an "
            f"embedder; got {threshold!r}."
        )
    return float(threshold)


def checked_embedding(embedding, embedder, n_images, name="X"):
    """``embedding`` (what ``embedder`` gave for the ``n_images`` images of
    ``name``) as float64, refused unless one finite row per image."""
    embedding = np.asarray(embedding, dtype=np.float64)
    if embedding.ndim != 2 or len(embedding) != n_images:
        raise ValueError(
            f"embedder={type(embedder).__name__}(...) must give one row per "
            f"image of {name} ({n_images}); it gave an array of shape "
            f"{embedding.shape}."
        )
    if not np.isfinite(embedding).all():
        raise ValueError(
            f"embedder={type(embedder).__name__}(...) gave NaN or infinity "
            f"for images of {name}; near-duplicates cannot be measured there."
        )
    return embedding


def embed(embedder, *collections, names=("X",)):
    """The rows of each image collection embedded by a clone of
    ``embedder`` fitted on the first, checked by
    :func:`checked_embedding`; ``names`` name the collections in
    messages."""
    from sklearn.base import clone

    fitted = clone(embedder).fit(collections[0])
    return [
        checked_embedding(fitted.transform(X), embedder, len(X), name)
        for X, name in zip(collections, names)
    ]


def cosine_pairs(embedding, threshold, other=None):
    """The pairs of rows at most ``threshold`` apart in cosine distance.

    Rows are scaled to unit length, where the cosine distance ``d`` is half
    the squared Euclidean distance, so scikit-learn's radius search finds
    them within ``sqrt(2 d)``.

    Parameters
    ----------
    embedding : ndarray of shape (n, n_features)
    threshold : float
        The largest cosine distance of a pair.
    other : ndarray of shape (m, n_features), default=None
        Pairs between ``embedding`` and ``other``; None: pairs within
        ``embedding``.

    Returns
    -------
    i, j : ndarray of shape (n_pairs,), intp
        Positions in ``embedding`` and in ``other`` (within ``embedding``:
        ``i < j``), sorted by ``i`` then ``j``.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.duplicates._embedded import cosine_pairs
    >>> rows = np.array([[1.0, 0.0], [2.0, 0.1], [0.0, 1.0]])
    >>> cosine_pairs(rows, 0.01)
    (array([0]), array([1]))
    """
    if len(embedding) == 0 or (other is not None and len(other) == 0):
        return np.empty(0, np.intp), np.empty(0, np.intp)
    from sklearn.neighbors import NearestNeighbors
    from sklearn.preprocessing import normalize

    queries = normalize(embedding)
    table = queries if other is None else normalize(other)
    # a hair above the radius: a pair exactly at the threshold is kept
    radius = np.sqrt(2.0 * threshold) * (1 + 1e-12) + 1e-12
    search = NearestNeighbors(radius=radius).fit(table)
    found = search.radius_neighbors(queries, return_distance=False)
    i = np.repeat(np.arange(len(queries), dtype=np.intp), [len(f) for f in found])
    j = np.concatenate(found).astype(np.intp) if len(found) else np.empty(0, np.intp)
    if other is None:
        keep = i < j
        i, j = i[keep], j[keep]
    order = np.lexsort((j, i))
    return i[order], j[order]
