"""Photometric augmentations: colour jitter, noise and blur."""

from numbers import Real

import numpy as np
from PIL import Image

from . import _base
from ._base import (
    BaseTransform,
    _check_range,
    _full_scale,
    _resolve_backend,
    _uniform,
    _value_or_range,
    _value_range,
)
from ._params import lazy_constraints

__all__ = ["ColorJitter", "GaussianBlur", "GaussianNoise", "blur_opencv", "blur_scipy"]

_GRAY_WEIGHTS = np.array([0.299, 0.587, 0.114], dtype=np.float32)
_GRAY_WEIGHTS_64 = _GRAY_WEIGHTS.astype(np.float64)
_LEVELS = np.arange(256, dtype=np.float64)


def _rint_clip(lut):
    """``np.clip(np.rint(lut), 0, 255)`` in place (the ufuncs themselves:
    a few times faster on 256 levels than ``np.clip``'s checks)."""
    np.rint(lut, out=lut)
    np.maximum(lut, 0, out=lut)
    np.minimum(lut, 255, out=lut)


def _apply_lut(image, lut):
    """Map a uint8 image through a 256-entry uint8 lookup table.

    OpenCV's LUT and numpy's take give identical results; OpenCV is faster.
    """
    if _base.opencv_available() and (image.ndim == 2 or image.shape[2] <= 4):
        import cv2

        return cv2.LUT(np.ascontiguousarray(image), lut).reshape(image.shape)
    return np.take(lut, image)


def _split_alpha(image):
    """(colour part, alpha or None): RGBA and LA images keep alpha apart."""
    if image.ndim == 3 and image.shape[2] in (2, 4):
        return image[..., :-1], image[..., -1:]
    return image, None


def _channel_means(colour):
    """Per-channel means of an (h, w) or (h, w, c) image, exact for uint8."""
    if (
        colour.dtype == np.uint8
        and _base.opencv_available()
        and (colour.ndim == 2 or colour.shape[2] <= 4)
    ):
        import cv2

        channels = 1 if colour.ndim == 2 else colour.shape[2]
        return np.array(cv2.mean(np.ascontiguousarray(colour))[:channels])
    height, width = colour.shape[:2]
    channels = 1 if colour.ndim == 2 else colour.shape[2]
    dtype = np.uint64 if colour.dtype.kind in "biu" else np.float64
    # summing down the rows first keeps the reduction contiguous (fast)
    columns = colour.reshape(height, width * channels).sum(axis=0, dtype=dtype)
    return columns.reshape(width, channels).sum(axis=0) / (height * width)


def _gray_mean(colour):
    """Mean grey level (ITU-R 601 weights for RGB)."""
    means = _channel_means(colour)
    if means.size == 3:
        return float(means @ _GRAY_WEIGHTS_64)
    return float(means.mean())


def _gray(colour):
    return (colour.astype(np.float32) @ _GRAY_WEIGHTS)[..., None]


class ColorJitter(BaseTransform):
    """Change brightness, contrast, saturation and hue at random.

    Factors are drawn as in torchvision and applied in a fixed order:
    brightness (multiply by ``b``), contrast (blend by ``c`` with the mean
    grey level, taken as ``b`` times the input's mean grey level), saturation
    (blend with the grey image by ``s``), hue (rotate by ``h`` turns).
    Brightness and contrast map uint8 images through one lookup table;
    values are clipped to the image's range after each step. Saturation and
    hue only change RGB(A) images; an alpha channel is kept as it is.

    Parameters
    ----------
    brightness : float or (float, float), default=0
        ``b`` is drawn from ``(max(0, 1 - brightness), 1 + brightness)`` or
        from the given range; 0 leaves brightness alone.
    contrast : float or (float, float), default=0
        Drawn like ``brightness``.
    saturation : float or (float, float), default=0
        Drawn like ``brightness``.
    hue : float or (float, float), default=0
        ``h`` is drawn from ``(-hue, hue)`` or the given range, within
        [-0.5, 0.5].

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augment import ColorJitter
    >>> grey = np.full((4, 4, 3), 128, dtype=np.uint8)
    >>> int(ColorJitter(brightness=(1.5, 1.5))(grey)[0, 0, 0])
    192
    """

    @lazy_constraints
    def _parameter_constraints():
        from ..utils._constraints import Interval

        return {
            "brightness": [Interval(Real, 0, None, closed="left"), tuple, list],
            "contrast": [Interval(Real, 0, None, closed="left"), tuple, list],
            "saturation": [Interval(Real, 0, None, closed="left"), tuple, list],
            "hue": [Interval(Real, 0, 0.5, closed="both"), tuple, list],
        }

    def __init__(self, brightness=0, contrast=0, saturation=0, hue=0):
        self.brightness = brightness
        self.contrast = contrast
        self.saturation = saturation
        self.hue = hue

    def _factors(self, rng):
        factors = {}
        for name in ("brightness", "contrast", "saturation"):
            bounds = _check_range(getattr(self, name), name, symmetric_around=1, low=0)
            if bounds != (1.0, 1.0):
                factors[name] = _uniform(rng, bounds)
        bounds = _check_range(self.hue, "hue", symmetric_around=0, high=0.5)
        if bounds[0] < -0.5:
            raise ValueError(f"hue must lie in [-0.5, 0.5]; got {self.hue!r}.")
        if bounds != (0.0, 0.0):
            factors["hue"] = _uniform(rng, bounds)
        return factors

    def _augment(self, image, rng, records):
        factors = self._factors(rng)
        self._record(records, **factors)
        colour, alpha = _split_alpha(image)
        is_rgb = colour.ndim == 3 and colour.shape[2] == 3
        if image.dtype == np.uint8:
            colour = self._jitter_uint8(colour, factors, is_rgb)
        else:
            colour = self._jitter_float(colour, factors, is_rgb, _value_range(image))
        if alpha is None:
            return colour
        return np.concatenate([colour, alpha], axis=-1)

    @staticmethod
    def _jitter_uint8(colour, factors, is_rgb):
        if "brightness" in factors or "contrast" in factors:
            # one lookup table for both steps
            # (in place on one array of 256: the arithmetic of
            # clip(rint(levels * b)), then clip(rint((lut - m) * c + m)))
            brightness = factors.get("brightness", 1.0)
            lut = _LEVELS.copy()
            if brightness != 1.0:
                lut *= brightness
                _rint_clip(lut)
            if "contrast" in factors:
                mean = _gray_mean(colour) * brightness
                lut -= mean
                lut *= factors["contrast"]
                lut += mean
                _rint_clip(lut)
            colour = _apply_lut(colour, lut.astype(np.uint8))
        if is_rgb and "saturation" in factors:
            gray = _gray(colour)
            out = gray + np.float32(factors["saturation"]) * (colour - gray)
            colour = np.clip(np.rint(out), 0, 255).astype(np.uint8)
        if is_rgb and "hue" in factors:
            hsv = Image.fromarray(np.ascontiguousarray(colour)).convert("HSV")
            h, s, v = hsv.split()
            shift = int(np.rint(factors["hue"] * 255))
            h = h.point(lambda level: (level + shift) % 256)
            colour = np.asarray(Image.merge("HSV", (h, s, v)).convert("RGB"))
        return colour

    @staticmethod
    def _jitter_float(colour, factors, is_rgb, value_range):
        lo, hi = value_range
        image_before_brightness = colour
        if "brightness" in factors:
            colour = np.clip(colour * factors["brightness"], lo, hi)
        if "contrast" in factors:
            mean = _gray_mean(image_before_brightness) * factors.get("brightness", 1.0)
            colour = np.clip((colour - mean) * factors["contrast"] + mean, lo, hi)
        if is_rgb and "saturation" in factors:
            gray = _gray(colour).astype(colour.dtype)
            colour = np.clip(gray + factors["saturation"] * (colour - gray), lo, hi)
        if is_rgb and "hue" in factors:
            from skimage.color import hsv2rgb, rgb2hsv

            hsv = rgb2hsv(np.clip(colour, 0, 1))
            hsv[..., 0] = (hsv[..., 0] + factors["hue"]) % 1.0
            colour = hsv2rgb(hsv).astype(colour.dtype)
        return colour


class GaussianNoise(BaseTransform):
    """Add Gaussian noise of a random standard deviation.

    Parameters
    ----------
    std : float or (float, float), default=(0.0, 0.05)
        Standard deviation as a fraction of full intensity (255 for uint8,
        1 for floats): a number is used as is, a range is drawn from.
    per_channel : bool, default=True
        Independent noise per channel; False adds the same noise to every
        channel of a pixel.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augment import GaussianNoise
    >>> x = np.full((64, 64), 128, dtype=np.uint8)
    >>> out = GaussianNoise(std=0.02)(x, rng=0)
    >>> out.dtype, round(float(out.std()) / 255, 2)
    (dtype('uint8'), 0.02)
    """

    @lazy_constraints
    def _parameter_constraints():
        from ..utils._constraints import Interval

        return {
            "std": [Interval(Real, 0, None, closed="left"), tuple, list],
            "per_channel": ["boolean"],
        }

    def __init__(self, std=(0.0, 0.05), *, per_channel=True):
        self.std = std
        self.per_channel = per_channel

    def _augment(self, image, rng, records):
        std = _uniform(rng, _value_or_range(self.std, "std", low=0))
        self._record(records, std=std)
        shape = image.shape
        if not self.per_channel and image.ndim == 3:
            shape = image.shape[:2] + (1,)
        noise = rng.standard_normal(shape, dtype=np.float32)
        noise *= np.float32(std * _full_scale(image))
        lo, hi = _value_range(image)
        out = np.clip(image + noise, lo, hi)
        if image.dtype == np.uint8:
            return np.rint(out).astype(np.uint8)
        return out.astype(image.dtype)


def blur_opencv(image, sigma):
    """``image`` (at most 4 channels) blurred by a Gaussian of ``sigma``
    pixels with OpenCV: kernel cut at 4 sigma, borders mirrored without
    repeating the edge pixel; the image's dtype."""
    import cv2

    radius = max(1, int(4 * sigma + 0.5))
    out = cv2.GaussianBlur(
        np.ascontiguousarray(image),
        (2 * radius + 1, 2 * radius + 1),
        sigmaX=sigma,
        sigmaY=sigma,
        borderType=cv2.BORDER_REFLECT_101,
    )
    return out.reshape(image.shape)


def blur_scipy(image, sigma):
    """The same blur with SciPy, over the first two axes of a float image."""
    from scipy.ndimage import gaussian_filter

    sigmas = (sigma, sigma) + (0,) * (image.ndim - 2)
    return gaussian_filter(image, sigmas, mode="mirror", truncate=4.0)


class GaussianBlur(BaseTransform):
    """Blur with a Gaussian kernel of random standard deviation.

    Parameters
    ----------
    sigma : float or (float, float), default=(0.1, 2.0)
        Standard deviation in pixels: a number is used as is, a range is
        drawn from.
    backend : {"auto", "default", "opencv"}, default="auto"
        ``"default"`` filters with SciPy (kernel truncated at 4 sigma,
        mirrored borders); ``"opencv"`` with OpenCV's ``GaussianBlur``
        (same border); ``"auto"`` uses OpenCV when it is installed.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augment import GaussianBlur
    >>> x = np.zeros((15, 15), dtype=np.float32); x[7, 7] = 1
    >>> out = GaussianBlur(sigma=1.0, backend="default")(x)
    >>> round(float(out.sum()), 3), bool(out[7, 7] < 1)
    (1.0, True)
    """

    @lazy_constraints
    def _parameter_constraints():
        from ..utils._constraints import Interval, StrOptions

        return {
            "sigma": [Interval(Real, 0, None, closed="neither"), tuple, list],
            "backend": [StrOptions({"auto", "default", "opencv"})],
        }

    def __init__(self, sigma=(0.1, 2.0), *, backend="auto"):
        self.sigma = sigma
        self.backend = backend

    def _augment(self, image, rng, records):
        sigma = _uniform(rng, _value_or_range(self.sigma, "sigma", low=1e-6))
        self._record(records, sigma=sigma)
        if _resolve_backend(self.backend) == "opencv" and (
            image.ndim == 2 or image.shape[2] <= 4
        ):
            return blur_opencv(image, sigma)
        out = blur_scipy(image.astype(np.float32), sigma)
        if image.dtype == np.uint8:
            return np.clip(np.rint(out), 0, 255).astype(np.uint8)
        return out.astype(image.dtype)
