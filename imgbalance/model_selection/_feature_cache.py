"""Per-image features computed once for a whole comparison.

Most strategies hand the features step images it has seen already: the
originals of a fold, copies of them (random over-sampling), a choice of
them (under-sampling). Features that depend on one image alone and learn
nothing in ``fit`` (pixels, HOG, LBP, Gabor, colour histograms, DAISY) are
therefore computed once for every image of the comparison; a fold looks its
images up by their bytes and computes only the images made for it
(augmented or synthetic ones). The features are the ones the pipeline would
compute, bit for bit: the same steps on the same pixels.
"""

import hashlib

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, clone

__all__ = ["CachedFeatures", "FeatureCache", "per_image_steps"]


def _per_image_classes():
    """The extractors whose features of an image depend on that image
    alone, with nothing learned in ``fit`` but the input's shape."""
    from ..features import (
        ColorHistogram,
        DaisyFeatures,
        GaborFeatures,
        HOGFeatures,
        LBPFeatures,
        LocalContrastFeatures,
        PixelFeatures,
    )

    return (
        ColorHistogram,
        DaisyFeatures,
        GaborFeatures,
        HOGFeatures,
        LBPFeatures,
        LocalContrastFeatures,
        PixelFeatures,
    )


def per_image_steps(features):
    """How many leading steps of ``features`` (a transformer or a
    pipeline) compute each image's features from that image alone: a
    FeatureUnion counts when all its parts do."""
    from sklearn.pipeline import FeatureUnion

    kinds = _per_image_classes()

    def per_image(step):
        if isinstance(step, FeatureUnion):
            return all(per_image(part) for _, part in step.transformer_list)
        return type(step) in kinds

    steps = [step for _, step in getattr(features, "steps", [("features", features)])]
    n = 0
    while n < len(steps) and per_image(steps[n]):
        n += 1
    return n


def image_keys(images):
    """A 16-byte digest of each image's pixels (with its shape and dtype)."""
    images = np.ascontiguousarray(images)
    head = f"{images.dtype.str}{images.shape[1:]}".encode()
    return [
        hashlib.blake2b(head + image.tobytes(), digest_size=16).digest()
        for image in images
    ]


class FeatureCache:
    """The features of every image of a comparison, by the image's bytes.

    Parameters
    ----------
    steps : list of transformer
        The per-image steps, applied in turn (unfitted; fitted here).
    images : ndarray of shape (n, h, w[, c])
        The images of the comparison.
    """

    def __init__(self, steps, images):
        self.steps = [clone(step) for step in steps]
        rows = images
        for step in self.steps:
            rows = step.fit_transform(rows)
        self.rows = rows
        self.keys = image_keys(images)

    def features(self, images):
        """The features of ``images``: looked up where an image is one of
        the comparison's, computed by the steps where it is not."""
        where = {key: i for i, key in enumerate(self.keys)}
        found = np.array([where.get(key, -1) for key in image_keys(images)])
        missing = np.flatnonzero(found < 0)
        out = np.empty((len(images), self.rows.shape[1]), dtype=self.rows.dtype)
        known = found >= 0
        out[known] = self.rows[found[known]]
        if len(missing):
            rows = images[missing]
            for step in self.steps:
                rows = step.transform(rows)
            out[missing] = rows
        return out


class CachedFeatures(TransformerMixin, BaseEstimator):
    """The per-image steps of a comparison's features, through its
    :class:`FeatureCache`.

    Parameters
    ----------
    cache : FeatureCache
    """

    def __init__(self, cache=None):
        self.cache = cache

    def fit(self, X, y=None):
        """Nothing to learn: the cache's steps are fitted.

        Parameters
        ----------
        X : ndarray of shape (n, h, w[, c])
        y : ignored

        Returns
        -------
        self : CachedFeatures
        """
        return self

    def transform(self, X):
        """The features of ``X``.

        Parameters
        ----------
        X : ndarray of shape (n, h, w[, c])

        Returns
        -------
        features : ndarray of shape (n, n_features)
        """
        return self.cache.features(np.asarray(X))

    def __sklearn_clone__(self):
        return self  # the cache is read only: no copy per fit
