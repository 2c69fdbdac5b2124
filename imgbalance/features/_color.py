"""Normalised per-channel colour histograms, batched."""

from numbers import Integral

import numpy as np

from .._contract._intensity import full_scale
from ..utils._constraints import Interval, StrOptions
from ..utils._docstrings import fill_docs
from ._base import BaseImageFeatures

__all__ = ["ColorHistogram"]


def _unit_bins(values, bins):
    """Bin of each value in [0, 1] (clipped), as ``np.histogram`` with
    ``range=(0, 1)`` assigns it (1.0 goes to the last bin)."""
    values = np.clip(values, 0.0, 1.0)
    index = (values * bins).astype(np.intp)
    index[index == bins] -= 1
    edges = np.linspace(0.0, 1.0, bins + 1)
    index -= values < edges[index]
    index += (values >= edges[index + 1]) & (index != bins - 1)
    return index


@fill_docs
class ColorHistogram(BaseImageFeatures):
    """Normalised histogram of each colour channel of every image.

    For each image and channel, the share of its pixels in each of ``bins``
    equal bins; each channel's histogram sums to 1. Grayscale images give
    one histogram, RGB(A) images three (an alpha channel is left out).

    Parameters
    ----------
    bins : int, default=16
        Bins per channel.
    color_space : {"rgb", "hsv"}, default="rgb"
        ``"rgb"`` bins the channels as they are (grayscale too); ``"hsv"``
        converts RGB images to hue, saturation and value first.
    size : (int, int) or None, default=None
        Resize every image to (h, w) first (bilinear). Histograms are
        normalised, so a sequence of images of different sizes needs no
        resizing.
    <image_shape>

    Notes
    -----
    Value ranges: uint8 and every other integer dtype but uint16 (int64
    from ``np.array``, for example) are binned over [0, 256), uint16 over
    [0, 65536), float images over [0, 1] (values outside a dtype's range
    are clipped, with a warning, so they count in the first or last bin).

    Attributes
    ----------
    <input_attributes>
    n_features_out_ : int
        ``bins`` times the number of channels.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.features import ColorHistogram
    >>> red = np.zeros((2, 4, 4, 3), dtype=np.uint8)
    >>> red[..., 0] = 255
    >>> model = ColorHistogram(bins=2)
    >>> model.fit_transform(red)[0]
    array([0., 1., 1., 0., 1., 0.], dtype=float32)
    >>> model.get_feature_names_out().tolist()
    ['r0', 'r1', 'g0', 'g1', 'b0', 'b1']
    """

    _parameter_constraints: dict = {
        "bins": [Interval(Integral, 1, None, closed="left")],
        "color_space": [StrOptions({"rgb", "hsv"})],
        "size": [tuple, list, None],
        "image_shape": [tuple, list, None],
    }

    _any_size = True

    def __init__(self, *, bins=16, color_space="rgb", size=None, image_shape=None):
        self.bins = bins
        self.color_space = color_space
        self.size = size
        self.image_shape = image_shape

    def _compute(self, images):
        if images.ndim == 3:
            images = images[..., None]
        if images.shape[3] in (2, 4):  # grey + alpha, RGB + alpha
            images = images[..., :-1]
        n_images, channels = len(images), images.shape[3]
        if self.color_space == "hsv":
            if channels != 3:
                raise ValueError(
                    f"color_space='hsv' needs RGB images; these have {channels} "
                    "channel(s). Use color_space='rgb'."
                )
            from skimage.color import rgb2hsv

            if images.dtype.kind in "iu":
                images = images / full_scale(images.dtype)
            images = rgb2hsv(images)
        bins = self._bins_of(images)
        pixels = images.shape[1] * images.shape[2]
        index = (
            np.arange(n_images)[:, None, None, None] * channels + np.arange(channels)
        ) * self.bins + bins
        counts = np.bincount(index.ravel(), minlength=n_images * channels * self.bins)
        return counts.reshape(n_images, channels * self.bins) / pixels

    def _bins_of(self, images):
        if images.dtype == np.uint8:
            return (images.astype(np.intp) * self.bins) >> 8
        if images.dtype.kind in "iu":  # [0, max + 1) in equal bins
            images = images / (full_scale(images.dtype) + 1.0)
        return _unit_bins(images.astype(np.float64, copy=False), self.bins)

    def _feature_names(self, n_features):
        channels = n_features // self.bins
        if self.color_space == "hsv":
            names = ["h", "s", "v"]
        elif channels == 1:
            names = ["gray"]
        elif channels == 3:
            names = ["r", "g", "b"]
        else:
            names = [f"c{i}" for i in range(channels)]
        return [f"{name}{b}" for name in names for b in range(self.bins)]
