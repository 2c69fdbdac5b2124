"""Dropping near-duplicates within classes, one image kept per group."""

from numbers import Integral

import numpy as np
from imblearn.under_sampling.base import BaseCleaningSampler

from .._contract._out_of_core import chunk_rows, row_parts, take_rows_from
from .._contract._output import take_resampled
from ..base import PixelSamplerMixin
from ..duplicates._finding import duplicate_groups, threshold_for
from ..duplicates._hashing import HASHES, hash_items
from ..duplicates._search import hamming_pairs
from ..utils._constraints import Interval, StrOptions
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

    threshold : int or None, default=None
        The largest Hamming distance, in bits, of two near-duplicates; None:
        the hash's default (6 of 64 bits for the perceptual hash).

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
        "threshold": [Interval(Integral, 0, None, closed="left"), None],
        "image_shape": [tuple, list, None],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        hash="perceptual",
        hash_size=8,
        threshold=None,
        image_shape=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.hash = hash
        self.hash_size = hash_size
        self.threshold = threshold
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

    def _fit_resample(self, X, y):
        threshold = threshold_for(self.hash, self.hash_size, self.threshold)
        cleaned = np.flatnonzero(np.isin(y, list(self.sampling_strategy_)))
        dropped = np.zeros(len(y), dtype=bool)
        self.duplicate_groups_ = []
        if len(cleaned):
            hashes = self._hashes(X, cleaned)
            i, j = hamming_pairs(hashes, threshold)
            same_class = y[cleaned[i]] == y[cleaned[j]]
            groups = duplicate_groups(len(cleaned), i[same_class], j[same_class])
            for group in groups:
                dropped[cleaned[group[1:]]] = True
            self.duplicate_groups_ = [cleaned[group] for group in groups]
        indices = [np.flatnonzero((y == label) & ~dropped) for label in np.unique(y)]
        self.sample_indices_ = np.concatenate(indices)
        return take_resampled(X, self.sample_indices_), y[self.sample_indices_]
