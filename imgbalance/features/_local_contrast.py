"""Multi-scale local contrast: statistics of difference-of-Gaussians and
local standard deviation maps, pooled so that a small structure counts."""

from numbers import Integral, Real

import numpy as np

from ..utils._constraints import Interval
from ..utils._docstrings import fill_docs
from ._base import BaseImageFeatures, _to_gray
from ._pooling import check_pool, pool_names, pool_values
from ._scale_space import check_sigmas, dog_and_contrast, gray01

__all__ = ["LocalContrastFeatures"]

# added to the mean local contrast an image is divided by (1 gray level of 255)
_LEVEL_FLOOR = 1.0 / 255


@fill_docs
class LocalContrastFeatures(BaseImageFeatures):
    """Statistics of multi-scale difference-of-Gaussians and local-contrast
    maps.

    Each image (gray as Pillow's ``"L"`` mode, on [0, 1]) gives, at every
    scale ``s`` of ``sigmas``, two maps (Gaussian filters as
    :func:`scipy.ndimage.gaussian_filter`, borders "reflect"):

    - ``dog``: the difference of Gaussians ``L(s) - L(ratio * s)``, ``L``
      the smoothed image: positive on bright structures of about the
      scale's size, negative on dark ones;
    - ``contrast``: the local standard deviation at that scale,
      ``sqrt(max(0, G(s) * image ** 2 - L(s) ** 2))``: high on edges and
      busy texture, low where the surface is flat.

    Each map is pooled over the image by every statistic of ``pool``. With
    ``normalize``, both maps are first divided by the image's mean local
    contrast at that scale (plus 1/255), kept as a feature of its own
    (``level``): the pooled values then say how far the image's most
    extreme places stand out from its own texture, the same whether the
    surface is smooth or busy. The maximum, the minimum and the top-k mean
    keep a small structure (a scratch, a spot, a missing patch of texture)
    that the mean dilutes.

    Parameters
    ----------
    sigmas : tuple of float, default=(1.0, 2.0, 4.0)
        The scales, in pixels.
    ratio : float > 1, default=2.0
        The larger Gaussian of the difference, relative to the scale.
    pool : str or tuple of str, default=("mean", "std", "max", "min", \
"top_k", "percentile")
        The statistics of each map, in this order:
        <pool_statistics>
    <pool_parameters>
    normalize : bool, default=True
        Divide the maps by the image's mean local contrast at each scale
        (and add that level as a feature).
    <size>
    <image_shape>
    <feature_n_jobs>

    Attributes
    ----------
    <input_attributes>
    n_features_out_ : int
        ``len(sigmas) * (2 * len(pool) + normalize)``.

    See Also
    --------
    LocalOutlierFeatures : outlier scores against a model of the training
        images' texture.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.features import LocalContrastFeatures
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(128, 10, (4, 32, 32)).clip(0, 255).astype(np.uint8)
    >>> X[2:, 14:18, 14:18] = 255  # a bright spot on two of them
    >>> model = LocalContrastFeatures(sigmas=(2.0,), pool=("mean", "max"))
    >>> features = model.fit_transform(X)
    >>> model.get_feature_names_out().tolist()
    ['s2_level', 's2_dog_mean', 's2_dog_max', 's2_contrast_mean', 's2_contrast_max']
    >>> bool(features[2:, 2].min() > 2 * features[:2, 2].max())
    True
    """

    _reads_gray = True
    _any_size = True

    _parameter_constraints: dict = {
        "sigmas": [tuple, list],
        "ratio": [Interval(Real, 1, None, closed="neither")],
        "pool": [str, tuple, list],
        "top_k": [Interval(Integral, 1, None, closed="left")],
        "percentile": [Interval(Real, 0, 100, closed="both")],
        "normalize": ["boolean"],
        "size": [tuple, list, None],
        "image_shape": [tuple, list, None],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        *,
        sigmas=(1.0, 2.0, 4.0),
        ratio=2.0,
        pool=("mean", "std", "max", "min", "top_k", "percentile"),
        top_k=10,
        percentile=99.0,
        normalize=True,
        size=None,
        image_shape=None,
        n_jobs=None,
    ):
        self.sigmas = sigmas
        self.ratio = ratio
        self.pool = pool
        self.top_k = top_k
        self.percentile = percentile
        self.normalize = normalize
        self.size = size
        self.image_shape = image_shape
        self.n_jobs = n_jobs

    def _compute(self, images):
        stats = check_pool(self.pool, self.top_k, self.percentile)
        gray = gray01(_to_gray(images))
        n = len(gray)
        out = []
        for sigma in check_sigmas(self.sigmas):
            maps = dog_and_contrast(gray, sigma, self.ratio).reshape(n, -1, 2)
            if self.normalize:
                level = maps[..., 1].mean(axis=1)
                maps = maps / (level + _LEVEL_FLOOR)[:, None, None]
                out.append(level[:, None])
            pooled = pool_values(maps, stats, self.top_k, self.percentile)
            out.append(pooled.reshape(n, -1))  # dog's statistics, then contrast's
        return np.concatenate(out, axis=1)

    def _feature_names(self, n_features):
        stats = check_pool(self.pool, self.top_k, self.percentile)
        pooled = pool_names(stats, self.top_k, self.percentile)
        names = []
        for sigma in check_sigmas(self.sigmas):
            stem = f"s{sigma:g}"
            if self.normalize:
                names.append(f"{stem}_level")
            names += [f"{stem}_{m}_{p}" for m in ("dog", "contrast") for p in pooled]
        return names
