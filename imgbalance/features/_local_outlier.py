"""Local outlier scores: how unlike the texture of the training images each
place of an image is, and what the most unusual places look like."""

from numbers import Integral, Real

import numpy as np

from ..utils._constraints import Interval
from ..utils._docstrings import fill_docs
from ._base import BaseImageFeatures, _to_gray
from ._scale_space import JET_CHANNELS, check_sigmas, gray01, local_jet

__all__ = ["LocalOutlierFeatures"]

# images whose descriptors are summed at once in fit (a bounded memory)
_FIT_CHUNK = 64
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
    the training images (where the normal texture dominates: defects are
    rare and small); a pixel's outlier score is its Mahalanobis distance to
    them. Each image gives:

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
    dilutes.

    Parameters
    ----------
    sigmas : tuple of float, default=(0.7, 1.0, 2.0, 3.0)
        The scales, in pixels (standard deviations of the Gaussians).
    top_k : int or tuple of int, default=(4, 16)
        How many of the highest-scoring pixels are pooled and described.
    percentile : float in [0, 100], default=99.0
        The percentile of the scores kept.
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
        size=None,
        image_shape=None,
        n_jobs=None,
    ):
        self.sigmas = sigmas
        self.top_k = top_k
        self.percentile = percentile
        self.size = size
        self.image_shape = image_shape
        self.n_jobs = n_jobs

    def _descriptors(self, gray):
        """(n, h, w, n_descriptors): the scale-space maps of every scale."""
        images = gray01(gray)
        return np.concatenate(
            [local_jet(images, s, 2.0) for s in check_sigmas(self.sigmas)], axis=-1
        )

    def _learn(self, images):
        _top_ks(self.top_k)
        batches = [i[None] for i in images] if isinstance(images, list) else [images]
        total, sums, products = 0, 0.0, 0.0
        for batch in batches:
            for start in range(0, len(batch), _FIT_CHUNK):
                gray = _to_gray(batch[start : start + _FIT_CHUNK])
                values = self._descriptors(gray).reshape(-1, 5 * len(self.sigmas))
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

    def _compute(self, images):
        ks = _top_ks(self.top_k)
        gray = _to_gray(images)
        n, height, width = gray.shape
        z = self._descriptors(gray).reshape(n, height * width, -1) - self.mean_
        z /= self.scale_
        scores = np.sqrt(
            np.maximum(np.einsum("nmi,nmi->nm", z @ self.precision_, z), 0)
        )
        order = np.argsort(-scores, axis=1, kind="stable")  # ties: first place first
        pooled = [
            scores.mean(axis=1),
            scores.std(axis=1),
            scores.max(axis=1),
            np.percentile(scores, self.percentile, axis=1),
        ]
        described = []
        for k in ks:
            top = order[:, : min(k, height * width)]
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
