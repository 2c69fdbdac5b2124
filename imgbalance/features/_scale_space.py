"""Gaussian scale-space maps of a batch of gray images: smoothed images,
differences of Gaussians, gradients, Hessian eigenvalues and local
contrast, each equal to what :func:`scipy.ndimage.gaussian_filter` gives
image by image (the same 1-D kernels, borders "reflect", applied along the
rows and then the columns)."""

from numbers import Real

import numpy as np
from scipy.ndimage import gaussian_filter1d

from .._contract._intensity import full_scale

__all__ = [
    "JET_CHANNELS",
    "check_sigmas",
    "dog_and_contrast",
    "gray01",
    "local_jet",
    "smooth",
]

# the maps local_jet gives at each scale, in order
JET_CHANNELS = ("dog", "gradient", "ridge_max", "ridge_min", "contrast")
# pixels filtered at once: their maps stay in the processor's caches
_CHUNK_PIXELS = 4096


def _chunk(images):
    """Images of an (n, h, w) batch filtered at once."""
    return max(1, _CHUNK_PIXELS // (images.shape[1] * images.shape[2]))


def check_sigmas(sigmas, name="sigmas"):
    """``sigmas`` as a tuple of positive floats."""
    try:
        values = tuple(sigmas)
        valid = bool(values) and all(
            isinstance(s, Real) and not isinstance(s, bool) and s > 0 for s in values
        )
    except TypeError:
        valid = False
    if not valid:
        raise ValueError(
            f"{name} must be a non-empty list of positive scales (standard "
            f"deviations in pixels); got {sigmas!r}."
        )
    return tuple(float(s) for s in values)


def gray01(gray):
    """(n, h, w) gray images as float64 on [0, 1] (integers divided by their
    full intensity, floats as they are)."""
    return np.asarray(gray, dtype=np.float64) / full_scale(gray.dtype)


def smooth(images, sigma, order=(0, 0)):
    """``gaussian_filter(image, sigma, order)`` of each (h, w) image of an
    (n, h, w) float64 batch."""
    rows = gaussian_filter1d(images, sigma, axis=1, order=order[0], mode="reflect")
    return gaussian_filter1d(rows, sigma, axis=2, order=order[1], mode="reflect")


def local_jet(images, sigma, ratio, out=None):
    """The maps of :data:`JET_CHANNELS` at scale ``sigma`` of an (n, h, w)
    float64 batch, as (n, h, w, 5):

    - ``dog``: ``L(sigma) - L(ratio * sigma)``, ``L`` the Gaussian-smoothed
      image;
    - ``gradient``: ``sigma * |grad L(sigma)|``;
    - ``ridge_max``, ``ridge_min``: the larger and the smaller eigenvalue
      of the Hessian of ``L(sigma)``, times ``sigma ** 2`` (a bright line
      or spot makes ``ridge_min`` negative, a dark one ``ridge_max``
      positive);
    - ``contrast``: the local standard deviation,
      ``sqrt(max(0, G(sigma) * image ** 2 - L(sigma) ** 2))``.

    ``out``, if given, is an (n, h, w, 5) float64 array (a view may do)
    that receives them.
    """
    if out is None:
        out = np.empty(images.shape + (len(JET_CHANNELS),), dtype=np.float64)
    step = _chunk(images)
    for start in range(0, len(images), step):
        part = images[start : start + step]
        # the 1-D passes along the rows, shared by the maps that need them
        rows = [
            gaussian_filter1d(part, sigma, axis=1, order=o, mode="reflect")
            for o in range(3)
        ]
        level, d_r, d_c, d_rr, d_cc, d_rc = (
            gaussian_filter1d(rows[r], sigma, axis=2, order=c, mode="reflect")
            for r, c in ((0, 0), (1, 0), (0, 1), (2, 0), (0, 2), (1, 1))
        )
        maps = out[start : start + step]
        maps[..., 0] = level - smooth(part, ratio * sigma)
        maps[..., 1] = sigma * np.sqrt(d_r * d_r + d_c * d_c)
        half_trace = (d_rr + d_cc) / 2
        half_difference = (d_rr - d_cc) / 2
        radius = np.sqrt(half_difference * half_difference + d_rc * d_rc)
        maps[..., 2] = sigma**2 * (half_trace + radius)
        maps[..., 3] = sigma**2 * (half_trace - radius)
        variance = smooth(np.square(part), sigma) - np.square(level)
        maps[..., 4] = np.sqrt(np.maximum(variance, 0))
    return out


def dog_and_contrast(images, sigma, ratio):
    """The ``dog`` and ``contrast`` maps of :func:`local_jet` alone: (n, h,
    w, 2)."""
    out = np.empty(images.shape + (2,), dtype=np.float64)
    step = _chunk(images)
    for start in range(0, len(images), step):
        part = images[start : start + step]
        level = smooth(part, sigma)
        maps = out[start : start + step]
        maps[..., 0] = level - smooth(part, ratio * sigma)
        variance = smooth(np.square(part), sigma) - np.square(level)
        maps[..., 1] = np.sqrt(np.maximum(variance, 0))
    return out
