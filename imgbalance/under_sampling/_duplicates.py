"""Dropping near-duplicates within classes, one image kept per group."""

from numbers import Integral, Real

import numpy as np
from imblearn.under_sampling.base import BaseCleaningSampler

from .._contract._collection import ImageCollection
from .._contract._out_of_core import (
    chunk_rows,
    embed_rows,
    row_parts,
    take_rows_from,
)
from .._contract._output import take_resampled
from .._contract._stacking import pixels_of
from ..base import PixelSamplerMixin, make_embedder
from ..duplicates._embedded import (
    check_cosine_threshold,
    checked_embedding,
    cosine_pairs,
)
from ..duplicates._finding import duplicate_groups, threshold_for
from ..duplicates._hashing import HASHES, hash_items
from ..duplicates._search import hamming_pairs
from ..utils._constraints import HasMethods, Interval, StrOptions
from ..utils._docstrings import fill_docs

__all__ = ["DuplicateUnderSampler"]


@fill_docs
class DuplicateUnderSampler(PixelSamplerMixin, BaseCleaningSampler):
    """Drop near-duplicate images within classes, keeping one per group.

    Bursts, re-encoded and resized copies inflate a class and make the
    images a classifier learns from less varied than their count says.
    Within each class to clean, the images are hashed, near-duplicates
    found (see :func:`~imgbalance.duplicates.find_duplicates`) and each
    group reduced to its first image in ``X``. Put it before the other
    samplers of a pipeline, so that they draw from distinct images.
    Near-duplicates across classes (a labelling problem) are left alone.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        The classes to clean, as in imbalanced-learn's cleaning samplers:
        ``'auto'`` (= ``'not minority'``), ``'majority'``, ``'not
        majority'``, ``'all'``, a list of classes, or a callable.

    hash : {"perceptual", "difference", "average"}, default="perceptual"
        See :func:`~imgbalance.duplicates.find_duplicates`.

    hash_size : int, default=8
        Hashes of ``hash_size ** 2`` bits.

    threshold : int, float or None, default=None
        The largest Hamming distance, in bits, of two near-duplicates; None:
        the hash's default (6 of 64 bits for the perceptual hash). With an
        ``embedder``: the largest cosine distance (0 to 2), to be given.

    embedder : transformer or None, default=None
        None: the images are hashed. A transformer (a network's embedding,
        :class:`~imgbalance.features.TorchFeatures`, or any other): a clone
        is fitted on the images of the classes to clean, given as the
        embedding samplers give them (rows on 0..1, and ``image_shape``
        when it has that parameter), and near-duplicates are the images
        within ``threshold`` in cosine distance; ``hash`` and ``hash_size``
        are not used.

    <image_shape>
        None: each row is hashed as an image one pixel high.

    Attributes
    ----------
    sampling_strategy_ : dict
        The classes cleaned (and their sizes).

    sample_indices_ : ndarray of shape (n_samples_new,)
        For each output image, its position in ``X``: class by class, in
        the order of ``X`` within a class.

    duplicate_groups_ : list of ndarray
        The groups of near-duplicates found in the cleaned classes
        (positions in ``X``, sorted); the first image of each is kept.

    embedder_ : transformer or None
        The fitted clone of ``embedder`` (None without one, or when no
        class was cleaned).

    <input_attributes>

    See Also
    --------
    imgbalance.duplicates.find_duplicates : The groups, without a sampler.
    imgbalance.duplicates.find_leaks : Near-duplicates across a split.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.under_sampling import DuplicateUnderSampler
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, (6, 32, 32), dtype=np.uint8)
    >>> X[3] = X[0]  # an exact copy in class 0
    >>> y = np.array([0, 0, 0, 0, 1, 1])
    >>> sampler = DuplicateUnderSampler()
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sampler.sample_indices_.tolist(), sampler.duplicate_groups_
    ([0, 1, 2, 4, 5], [array([0, 3])])
    """

    _parameter_constraints: dict = {
        **BaseCleaningSampler._parameter_constraints,
        "hash": [StrOptions(set(HASHES))],
        "hash_size": [Interval(Integral, 2, 64, closed="both")],
        "threshold": [Interval(Real, 0, None, closed="left"), None],
        "embedder": [HasMethods(["fit_transform"]), None],
        "image_shape": [tuple, list, None],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        hash="perceptual",
        hash_size=8,
        threshold=None,
        embedder=None,
        image_shape=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.hash = hash
        self.hash_size = hash_size
        self.threshold = threshold
        self.embedder = embedder
        self.image_shape = image_shape

    def _images(self, X):
        """What the hashes are computed from: arrays of images, or the
        sequence's items."""
        if X.kind != "table":
            return X.data
        rows = np.asarray(X.data)
        shape = X.image_shape or (1, rows.shape[1])
        return rows.reshape((len(rows),) + tuple(shape))

    def _hashes(self, X, cleaned):
        """The hashes of the images at ``cleaned`` (only the classes to
        clean are decoded and hashed); an array's a part at a time."""
        images = self._images(X)
        if X.kind == "sequence":
            return hash_items(
                images[cleaned], self.hash, self.hash_size, positions=cleaned
            )
        parts = row_parts(len(cleaned), chunk_rows(images[0].nbytes))
        return np.concatenate(
            [
                hash_items(
                    take_rows_from(images, cleaned[start:stop]),
                    self.hash,
                    self.hash_size,
                    positions=cleaned[start:stop],
                )
                for start, stop in parts
            ]
        )

    def _hash_pairs(self, X, cleaned):
        """The pairs of near-duplicates among ``cleaned`` by their hashes."""
        if isinstance(self.threshold, Real) and not isinstance(
            self.threshold, Integral
        ):
            raise ValueError(
                f"threshold={self.threshold!r} must be a whole number of bits "
                "for a hash; a cosine distance is for an embedder."
            )
        hashes = self._hashes(X, cleaned)
        threshold = threshold_for(self.hash, self.hash_size, self.threshold)
        return hamming_pairs(hashes, threshold)

    def _embedding_pairs(self, X, cleaned):
        """The pairs of near-duplicates among ``cleaned`` in the
        embedder's space."""
        threshold = check_cosine_threshold(self.threshold, self.embedder)
        if X.kind == "sequence":  # decoded: the images to clean only
            pixels = pixels_of(ImageCollection(X.take(cleaned), X.kind, X.image_shape))
            members = None
        else:  # an array (maybe on disk): read a batch at a time
            pixels, members = pixels_of(X), cleaned
        rows = pixels.reshape(len(pixels), -1)
        self.embedder_ = make_embedder(
            self.embedder, len(cleaned), pixels, self.image_shape, random_state=None
        )
        embedding = checked_embedding(
            embed_rows(self.embedder_, rows, members), self.embedder, len(cleaned)
        )
        return cosine_pairs(embedding, threshold)

    def _fit_resample(self, X, y):
        cleaned = np.flatnonzero(np.isin(y, list(self.sampling_strategy_)))
        dropped = np.zeros(len(y), dtype=bool)
        self.duplicate_groups_ = []
        self.embedder_ = None
        if len(cleaned):
            # only the classes to clean are decoded and hashed (or embedded)
            if self.embedder is None:
                i, j = self._hash_pairs(X, cleaned)
            else:
                i, j = self._embedding_pairs(X, cleaned)
            same_class = y[cleaned[i]] == y[cleaned[j]]
            groups = duplicate_groups(len(cleaned), i[same_class], j[same_class])
            for group in groups:
                dropped[cleaned[group[1:]]] = True
            self.duplicate_groups_ = [cleaned[group] for group in groups]
        indices = [np.flatnonzero((y == label) & ~dropped) for label in np.unique(y)]
        self.sample_indices_ = np.concatenate(indices)
        return take_resampled(X, self.sample_indices_), y[self.sample_indices_]
