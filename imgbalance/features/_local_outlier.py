"""Local outlier scores: how unlike the texture of the training images each
place of an image is, and what the most unusual places look like."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from ..utils._constraints import Interval
from ..utils._docstrings import fill_docs
from ._base import BaseImageFeatures, _to_gray
from ._scale_space import JET_CHANNELS, check_sigmas, gray01, local_jet

__all__ = ["LocalOutlierFeatures"]

# pixels whose descriptors are made at once (their arrays stay small)
_CHUNK_PIXELS = 1 << 15
# fit_transform keeps the descriptors of a batch up to this size (bytes)
_CACHE_BYTES = 1 << 28
# eigenvalues of the standardised covariance below this are raised to it
_EIGEN_FLOOR = 1e-6


def _top_ks(top_k):
    """``top_k`` as a tuple of different positive integers."""
    values = (top_k,) if isinstance(top_k, Integral) else top_k
    try:
        values = tuple(values)
        valid = bool(values) and len(set(values)) == len(values)
        valid = valid and all(
            isinstance(k, Integral) and not isinstance(k, bool) and k >= 1
            for k in values
        )
    except TypeError:
        valid = False
    if not valid:
        raise ValueError(
            f"top_k must be a positive integer or a list of different ones; got "
            f"{top_k!r}."
        )
    return values


def _spread(rows, cols):
    """The standard deviations along the two principal axes of the
    positions (n, k) of each image's k places, larger first: (n, 2)."""
    dr = rows - rows.mean(axis=1, keepdims=True)
    dc = cols - cols.mean(axis=1, keepdims=True)
    var_r, var_c = np.mean(dr * dr, axis=1), np.mean(dc * dc, axis=1)
    cov = np.mean(dr * dc, axis=1)
    half_trace = (var_r + var_c) / 2
    radius = np.hypot((var_r - var_c) / 2, cov)
    return np.sqrt(
        np.maximum(np.stack([half_trace + radius, half_trace - radius], 1), 0)
    )


@fill_docs
class LocalOutlierFeatures(BaseImageFeatures):
    """How unlike the training images' texture each place of an image is,
    pooled, and what its most unusual places look like.

    Classical defect detection on textured surfaces models the normal
    texture and flags the places that do not fit it. Here each pixel of an
    image (gray as Pillow's ``"L"`` mode, on [0, 1]) is described at every
    scale ``s`` of ``sigmas`` by five Gaussian scale-space maps: the
    difference of Gaussians ``L(s) - L(2 s)``, the gradient magnitude, the
    two eigenvalues of the Hessian (lines and spots, bright or dark) and
    the local standard deviation (see ``feature names``). ``fit`` learns
    the mean and the covariance of these descriptors over every pixel of
    the training images, or of those of ``reference_class`` (the class's
    own texture: its normal surface); a pixel's outlier score is its
    Mahalanobis distance to them. Each image gives:

    - its scores pooled: mean, standard deviation, maximum, the
      ``percentile``-th percentile and the mean of the ``k`` largest for
      each ``k`` of ``top_k``;
    - for each ``k``: the mean standardised descriptor of the ``k``
      highest-scoring pixels (what the most unusual place is: bright or
      dark, a line, a spot or a flat patch, at which scale) and the
      spread of their positions along their two principal axes (long and
      thin, or round).

    Every feature keeps the evidence of a small defect wherever it is in
    the image, which pooling over the whole image or concatenating cells
    dilutes. Learning from every image is right when defects are rare and
    small; after an over-sampler has multiplied the defective images,
    learn from the clean class alone (``reference_class``), or its model
    of the normal texture learns the defects too.

    Parameters
    ----------
    sigmas : tuple of float, default=(0.7, 1.0, 2.0, 3.0)
        The scales, in pixels (standard deviations of the Gaussians).
    top_k : int or tuple of int, default=(4, 16)
        How many of the highest-scoring pixels are pooled and described.
    percentile : float in [0, 100], default=99.0
        The percentile of the scores kept.
    reference_class : int, str or None, default=None
        None: the texture is learnt from every image given to ``fit``. A
        label: from the images of that class only (``fit`` then needs
        ``y``), such as the clean class of a defect dataset.
    <size>
    <image_shape>
    <feature_n_jobs>

    Attributes
    ----------
    mean_ : ndarray of shape (n_descriptors,)
        Mean of the descriptors of the training pixels (``n_descriptors =
        5 * len(sigmas)``).
    scale_ : ndarray of shape (n_descriptors,)
        Their standard deviations (1 where it is 0).
    precision_ : ndarray of shape (n_descriptors, n_descriptors)
        The inverse of the covariance of the standardised descriptors (its
        eigenvalues below 1e-6 raised to 1e-6).
    <input_attributes>
    n_features_out_ : int
        ``4 + len(top_k) * (n_descriptors + 3)``.

    See Also
    --------
    LocalContrastFeatures : statistics of the scale-space maps, without a
        model of the texture.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.features import LocalOutlierFeatures
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(128, 10, (20, 32, 32)).clip(0, 255).astype(np.uint8)
    >>> X[10:, 12, 8:20] = 255  # a bright scratch on half the images
    >>> model = LocalOutlierFeatures(sigmas=(1.0,), top_k=8).fit(X)
    >>> features = model.transform(X)
    >>> names = model.get_feature_names_out().tolist()
    >>> features.shape, names[:5]
    ((20, 12), ['score_mean', 'score_std', 'score_max', 'score_p99', 'score_top8'])
    >>> top = names.index("score_top8")
    >>> bool(features[10:, top].min() > features[:10, top].max())
    True
    >>> names[-2:]
    ['top8_spread_major', 'top8_spread_minor']
    """

    _reads_gray = True
    _any_size = True

    _parameter_constraints: dict = {
        "sigmas": [tuple, list],
        "top_k": [Interval(Integral, 1, None, closed="left"), tuple, list],
        "percentile": [Interval(Real, 0, 100, closed="both")],
        "reference_class": [Integral, str, None],
        "size": [tuple, list, None],
        "image_shape": [tuple, list, None],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        *,
        sigmas=(0.7, 1.0, 2.0, 3.0),
        top_k=(4, 16),
        percentile=99.0,
        reference_class=None,
        size=None,
        image_shape=None,
        n_jobs=None,
    ):
        self.sigmas = sigmas
        self.top_k = top_k
        self.percentile = percentile
        self.reference_class = reference_class
        self.size = size
        self.image_shape = image_shape
        self.n_jobs = n_jobs

    def _descriptors(self, gray):
        """(n, h * w, n_descriptors): the scale-space maps of every scale."""
        images = gray01(gray)
        sigmas = check_sigmas(self.sigmas)
        n_maps = len(JET_CHANNELS)
        out = np.empty(images.shape + (n_maps * len(sigmas),), dtype=np.float64)
        for i, sigma in enumerate(sigmas):
            local_jet(images, sigma, 2.0, out=out[..., i * n_maps : (i + 1) * n_maps])
        return out.reshape(len(images), -1, out.shape[-1])

    @staticmethod
    def _chunks(batch):
        """Slices of an (n, h, w[, c]) batch of about _CHUNK_PIXELS pixels."""
        step = max(1, _CHUNK_PIXELS // (batch.shape[1] * batch.shape[2]))
        return (batch[start : start + step] for start in range(0, len(batch), step))

    def fit(self, X, y=None):
        """Learn the mean and covariance of the descriptors of the pixels.

        Parameters
        ----------
        X : image collection
            Array ``(n, h, w[, c])``, 2-D array ``(n, features)``, or a
            sequence of paths, PIL images or arrays.
        y : array-like of shape (n_samples,) or None, default=None
            The labels: needed with ``reference_class``, ignored otherwise.

        Returns
        -------
        self : object
        """
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X, y=None):
        """Fit to ``X`` (and ``y``, see :meth:`fit`) and return its features.

        Parameters
        ----------
        X : image collection
            See :meth:`fit`.
        y : array-like of shape (n_samples,) or None, default=None
            See :meth:`fit`.

        Returns
        -------
        features : ndarray of shape (n_samples, `n_features_out_`), float32
        """
        self._validate_params()
        self._fit_labels = None if y is None else np.asarray(y)
        try:
            return self._transform(X, reset=True)
        finally:
            del self._fit_labels
            self.__dict__.pop("_descriptor_cache", None)

    def _transform(self, X, reset):
        # one BLAS thread: the products are (pixels, d) by (d, d) with d about
        # 20, which threads do not speed up; beside the threads of n_jobs or
        # other processes on the cores they made them up to ten times slower
        with threadpool_limits(limits=1, user_api="blas"):
            return super()._transform(X, reset)

    def _reference(self, n_images):
        """Which images the texture is learnt from: a bool per image, or
        None for all of them."""
        if self.reference_class is None:
            return None
        labels = self._fit_labels
        if labels is None or len(labels) != n_images:
            raise ValueError(
                f"reference_class={self.reference_class!r} learns from the images "
                "of that class: pass their labels, fit(X, y), one per image."
            )
        chosen = labels == self.reference_class
        if not chosen.any():
            raise ValueError(
                f"reference_class={self.reference_class!r} is not among the labels "
                f"of y ({', '.join(map(repr, np.unique(labels).tolist()))}); give "
                "one of them, or None to learn from every image."
            )
        return chosen

    def _learn(self, images):
        """The mean and covariance of the reference images' descriptors,
        summed a chunk of images at a time in their order (so the same
        whatever ``n_jobs``). The descriptors of a batch that fits in
        _CACHE_BYTES are kept for fit_transform's features."""
        _top_ks(self.top_k)
        chosen = self._reference(len(images))
        listed = isinstance(images, list)
        batches = [i[None] for i in images] if listed else [images]
        n_values = sum(b.shape[0] * b.shape[1] * b.shape[2] for b in batches)
        keep = not listed and n_values * 40 * len(self.sigmas) <= _CACHE_BYTES
        cache, first = [], 0
        total, sums, products = 0, 0.0, 0.0
        for batch in batches:
            for part in self._chunks(batch):
                values = self._descriptors(_to_gray(part))
                if keep:
                    cache.append(values)
                if chosen is not None:
                    values = values[chosen[first : first + len(part)]]
                first += len(part)
                values = values.reshape(-1, values.shape[-1])
                total += len(values)
                sums = sums + values.sum(axis=0)
                products = products + values.T @ values
        mean = sums / total
        covariance = products / total - np.outer(mean, mean)
        scale = np.sqrt(np.clip(np.diag(covariance), 0, None))
        scale[scale == 0] = 1.0
        correlation = covariance / np.outer(scale, scale)
        values, vectors = np.linalg.eigh(correlation)
        values = np.maximum(values, _EIGEN_FLOOR)
        self.mean_, self.scale_ = mean, scale
        self.precision_ = (vectors / values) @ vectors.T
        if keep:
            self._descriptor_cache = (images, cache)

    def _compute(self, images):
        ks = _top_ks(self.top_k)
        cached = getattr(self, "_descriptor_cache", None)
        if cached is not None and cached[0] is images:  # fit_transform's batch
            parts = cached[1]
        else:
            parts = (self._descriptors(_to_gray(p)) for p in self._chunks(images))
        width = images.shape[2]
        return np.concatenate([self._compute_part(d, width, ks) for d in parts])

    def _scores(self, descriptors):
        """The standardised descriptors (n, h * w, d) and the scores (n, h
        * w) of the (n, h * w, d) descriptors of images."""
        z = descriptors - self.mean_
        z /= self.scale_
        scores = np.einsum("nmi,nmi->nm", z @ self.precision_, z)
        return z, np.sqrt(np.maximum(scores, 0))

    def score_maps(self, X):
        """The outlier score of every pixel: where each image is unlike the
        learnt texture.

        Parameters
        ----------
        X : image collection
            Images as for :meth:`transform` (a sequence may hold images of
            several sizes).

        Returns
        -------
        maps : ndarray of shape (n_samples, h, w), float64, or list of them
            A list when ``X`` holds images of several sizes.
        """
        check_is_fitted(self, "precision_")
        with threadpool_limits(limits=1, user_api="blas"):  # as _transform
            return self._score_maps(self._images(X, reset=False))

    def _score_maps(self, images):
        """:meth:`score_maps` of checked images."""
        batches = [i[None] for i in images] if isinstance(images, list) else [images]
        maps = []
        for batch in batches:
            parts = [
                self._scores(self._descriptors(_to_gray(p)))[1]
                for p in self._chunks(batch)
            ]
            maps.append(np.concatenate(parts).reshape(batch.shape[:3]))
        return [m[0] for m in maps] if isinstance(images, list) else maps[0]

    def _compute_part(self, descriptors, width, ks):
        z, scores = self._scores(descriptors)
        n_pixels = scores.shape[1]
        order = np.argsort(-scores, axis=1, kind="stable")  # ties: first place first
        pooled = [
            scores.mean(axis=1),
            scores.std(axis=1),
            scores.max(axis=1),
            np.percentile(scores, self.percentile, axis=1),
        ]
        described = []
        for k in ks:
            top = order[:, : min(k, n_pixels)]
            pooled.append(np.take_along_axis(scores, top, axis=1).mean(axis=1))
            described.append(np.take_along_axis(z, top[..., None], axis=1).mean(axis=1))
            rows, cols = np.divmod(top, width)
            described.append(_spread(rows.astype(np.float64), cols.astype(np.float64)))
        return np.concatenate([np.stack(pooled, axis=1), *described], axis=1)

    def _feature_names(self, n_features):
        ks = _top_ks(self.top_k)
        names = ["score_mean", "score_std", "score_max", f"score_p{self.percentile:g}"]
        names += [f"score_top{k}" for k in ks]
        channels = [
            f"s{s:g}_{c}" for s in check_sigmas(self.sigmas) for c in JET_CHANNELS
        ]
        for k in ks:
            names += [f"top{k}_{c}" for c in channels]
            names += [f"top{k}_spread_major", f"top{k}_spread_minor"]
        return names
