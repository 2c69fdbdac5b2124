"""Geometric augmentations: flips, rotations, affine maps and crops."""

import math
from numbers import Integral, Real

import numpy as np

from . import _base
from ._base import (
    BaseTransform,
    _check_range,
    _uniform,
)
from ._params import lazy_constraints
from ._warp import (
    BORDER_MODES,
    INTERPOLATIONS,
    affine_inverse,
    fill_value,
    pad,
    warp,
)

__all__ = [
    "RandomAffine",
    "RandomCrop",
    "RandomFlip",
    "RandomResizedCrop",
    "RandomRotation",
]


def _draw_angle(rng, degrees):
    """An angle from (-degrees, degrees), or from a (low, high) range."""
    return _uniform(rng, _check_range(degrees, "degrees", symmetric_around=0))


def _geometric_constraints():
    """The constraints of the parameters geometric augmentations share."""
    from ..utils._constraints import Interval, StrOptions

    return {
        "interpolation": [StrOptions(INTERPOLATIONS)],
        "border_mode": [StrOptions(BORDER_MODES)],
        "fill": [Interval(Real, 0, 1, closed="both")],
        "backend": [StrOptions({"auto", "default", "opencv"})],
    }


class _GeometricMixin:
    def _warp(self, image, matrix):
        return warp(
            image,
            matrix,
            interpolation=self.interpolation,
            border_mode=self.border_mode,
            fill=self.fill,
            backend=self.backend,
        )


class RandomFlip(BaseTransform):
    """Flip images horizontally and/or vertically at random.

    Parameters
    ----------
    horizontal : bool, default=True
        Whether to flip left-right (``x[:, ::-1]``) with probability ``p``.
    vertical : bool, default=False
        Whether to flip top-bottom (``x[::-1]``) with probability ``p``,
        drawn independently of the horizontal flip.
    p : float in [0, 1], default=0.5
        Probability of each enabled flip.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augment import RandomFlip
    >>> x = np.arange(6, dtype=np.uint8).reshape(2, 3)
    >>> RandomFlip(p=1.0)(x)
    array([[2, 1, 0],
           [5, 4, 3]], dtype=uint8)
    """

    @lazy_constraints
    def _parameter_constraints():
        from ..utils._constraints import Interval

        return {
            "horizontal": ["boolean"],
            "vertical": ["boolean"],
            "p": [Interval(Real, 0, 1, closed="both")],
        }

    def __init__(self, *, horizontal=True, vertical=False, p=0.5):
        self.horizontal = horizontal
        self.vertical = vertical
        self.p = p

    def _augment(self, image, rng, records):
        flip_h = bool(self.horizontal and rng.random() < self.p)
        flip_v = bool(self.vertical and rng.random() < self.p)
        self._record(records, horizontal=flip_h, vertical=flip_v)
        if not (flip_h or flip_v):
            return image
        if _base.opencv_available() and (image.ndim == 2 or image.shape[2] <= 4):
            import cv2  # same pixels as the slicing below, contiguous and fast

            code = -1 if flip_h and flip_v else (1 if flip_h else 0)
            return cv2.flip(np.ascontiguousarray(image), code).reshape(image.shape)
        if flip_h:
            image = image[:, ::-1]
        if flip_v:
            image = image[::-1]
        return image


class RandomAffine(_GeometricMixin, BaseTransform):
    """Rotate, translate, scale and shear images at random, about the centre.

    Parameters
    ----------
    degrees : float or (float, float), default=0
        Rotation angle in degrees, counter-clockwise: drawn uniformly from
        ``(-degrees, degrees)``, or from ``(low, high)``.
    translate : (float, float) or None, default=None
        Largest shift as fractions of the width and height: the shift is
        drawn from ``(-fx * w, fx * w)`` and ``(-fy * h, fy * h)`` pixels.
    scale : (float, float) or None, default=None
        Range of the zoom factor (> 1 enlarges).
    shear : float or (float, float) or None, default=None
        Horizontal shear angle in degrees, drawn like ``degrees``.
    interpolation : {"bilinear", "nearest"}, default="bilinear"
    border_mode : {"reflect", "constant", "edge"}, default="reflect"
        How pixels from outside the image are filled: mirrored without
        repeating the edge pixel, a constant ``fill``, or the edge pixel.
    fill : float in [0, 1], default=0.0
        Fill value for ``border_mode="constant"``, as a fraction of full
        intensity (0 black, 1 white).
    backend : {"auto", "default", "opencv"}, default="auto"
        ``"default"`` warps with Pillow; ``"opencv"`` with OpenCV
        (installed with imgbalance), several times faster on large images
        and tested close to the default; ``"auto"`` uses OpenCV when it
        imports.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augment import RandomAffine
    >>> x = np.zeros((32, 32, 3), dtype=np.uint8)
    >>> aug = RandomAffine(degrees=10, translate=(0.1, 0.1), scale=(0.9, 1.1))
    >>> out, records = aug.augment(x, rng=0)
    >>> out.shape, out.dtype, sorted(records[0])
    ((32, 32, 3), dtype('uint8'), ['angle', 'scale', 'shear', 'transform', 'translate'])
    """

    @lazy_constraints
    def _parameter_constraints():
        from ..utils._constraints import Interval

        return {
            "degrees": [Interval(Real, 0, None, closed="left"), tuple, list],
            "translate": [tuple, list, None],
            "scale": [tuple, list, None],
            "shear": [Interval(Real, 0, None, closed="left"), tuple, list, None],
            **_geometric_constraints(),
        }

    def __init__(
        self,
        degrees=0,
        *,
        translate=None,
        scale=None,
        shear=None,
        interpolation="bilinear",
        border_mode="reflect",
        fill=0.0,
        backend="auto",
    ):
        self.degrees = degrees
        self.translate = translate
        self.scale = scale
        self.shear = shear
        self.interpolation = interpolation
        self.border_mode = border_mode
        self.fill = fill
        self.backend = backend

    def _draw(self, rng, height, width):
        angle = _draw_angle(rng, self.degrees)
        tx = ty = 0.0
        if self.translate is not None:
            fx, fy = _check_range(self.translate, "translate", low=0)
            tx = _uniform(rng, (-fx * width, fx * width))
            ty = _uniform(rng, (-fy * height, fy * height))
        scale = 1.0
        if self.scale is not None:
            scale = _uniform(rng, _check_range(self.scale, "scale", low=1e-3))
        shear = 0.0
        if self.shear is not None:
            shear = _uniform(rng, _check_range(self.shear, "shear", symmetric_around=0))
        return angle, (tx, ty), scale, shear

    def _augment(self, image, rng, records):
        height, width = image.shape[:2]
        angle, translate, scale, shear = self._draw(rng, height, width)
        self._record(
            records, angle=angle, translate=translate, scale=scale, shear=shear
        )
        matrix = affine_inverse(height, width, angle, translate, scale, shear)
        return self._warp(image, matrix)


class RandomRotation(_GeometricMixin, BaseTransform):
    """Rotate images by a random angle about their centre.

    Parameters
    ----------
    degrees : float or (float, float), default=15
        Angle in degrees, counter-clockwise: drawn uniformly from
        ``(-degrees, degrees)``, or from ``(low, high)``; ``(90, 90)``
        rotates by exactly 90 degrees, as :func:`numpy.rot90`.
    interpolation : {"bilinear", "nearest"}, default="bilinear"
    border_mode : {"reflect", "constant", "edge"}, default="reflect"
    fill : float in [0, 1], default=0.0
    backend : {"auto", "default", "opencv"}, default="auto"
        See :class:`RandomAffine`.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augment import RandomRotation
    >>> x = np.arange(9, dtype=np.uint8).reshape(3, 3)
    >>> bool((RandomRotation((90, 90))(x) == np.rot90(x)).all())
    True
    """

    @lazy_constraints
    def _parameter_constraints():
        from ..utils._constraints import Interval

        return {
            "degrees": [Interval(Real, 0, None, closed="left"), tuple, list],
            **_geometric_constraints(),
        }

    def __init__(
        self,
        degrees=15,
        *,
        interpolation="bilinear",
        border_mode="reflect",
        fill=0.0,
        backend="auto",
    ):
        self.degrees = degrees
        self.interpolation = interpolation
        self.border_mode = border_mode
        self.fill = fill
        self.backend = backend

    def _augment(self, image, rng, records):
        height, width = image.shape[:2]
        angle = _draw_angle(rng, self.degrees)
        self._record(records, angle=angle)
        matrix = affine_inverse(height, width, angle, (0.0, 0.0), 1.0, 0.0)
        return self._warp(image, matrix)


class RandomCrop(BaseTransform):
    """Shift images by padding them and cropping a window of the input size.

    The padded image is cropped at a random offset, so the content moves by
    up to ``padding`` pixels in each direction; pixels are copied, never
    interpolated.

    Parameters
    ----------
    padding : int or float, default=0.1
        Padding on each side: pixels when an int, a fraction of the height
        and width when a float in (0, 1).
    border_mode : {"reflect", "constant", "edge"}, default="constant"
    fill : float in [0, 1], default=0.0
        Fill value for ``border_mode="constant"``, as a fraction of full
        intensity.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augment import RandomCrop
    >>> x = np.ones((8, 8), dtype=np.uint8)
    >>> out, records = RandomCrop(padding=2).augment(x, rng=0)
    >>> out.shape, set(records[0]) == {"transform", "top", "left"}
    ((8, 8), True)
    """

    @lazy_constraints
    def _parameter_constraints():
        from ..utils._constraints import Interval, StrOptions

        return {
            "padding": [
                Interval(Integral, 0, None, closed="left"),
                Interval(Real, 0, 1, closed="neither"),
            ],
            "border_mode": [StrOptions(BORDER_MODES)],
            "fill": [Interval(Real, 0, 1, closed="both")],
        }

    def __init__(self, padding=0.1, *, border_mode="constant", fill=0.0):
        self.padding = padding
        self.border_mode = border_mode
        self.fill = fill

    def _augment(self, image, rng, records):
        height, width = image.shape[:2]
        if isinstance(self.padding, Integral):
            pad_y = pad_x = int(self.padding)
        else:
            pad_y, pad_x = round(self.padding * height), round(self.padding * width)
        top = int(rng.integers(0, 2 * pad_y + 1))
        left = int(rng.integers(0, 2 * pad_x + 1))
        self._record(records, top=pad_y - top, left=pad_x - left)
        fill = fill_value(image, self.fill)
        padded = pad(image, pad_y, pad_y, pad_x, pad_x, self.border_mode, fill)
        return padded[top : top + height, left : left + width]


class RandomResizedCrop(_GeometricMixin, BaseTransform):
    """Crop a random area of random aspect ratio and resize it to the input size.

    The crop is drawn as in torchvision's ``RandomResizedCrop`` (ten tries,
    then a central crop), and resized back to the input size with a single
    affine warp.

    Parameters
    ----------
    scale : (float, float), default=(0.08, 1.0)
        Range of the crop's area as a fraction of the image's area.
    ratio : (float, float), default=(3/4, 4/3)
        Range of the crop's aspect ratio (width / height), drawn
        log-uniformly.
    interpolation : {"bilinear", "nearest"}, default="bilinear"
    backend : {"auto", "default", "opencv"}, default="auto"
        See :class:`RandomAffine`.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augment import RandomResizedCrop
    >>> x = np.zeros((20, 30, 3), dtype=np.float32)
    >>> RandomResizedCrop(scale=(0.5, 1.0))(x, rng=0).shape
    (20, 30, 3)
    """

    @lazy_constraints
    def _parameter_constraints():
        from ..utils._constraints import StrOptions

        return {
            "scale": [tuple, list],
            "ratio": [tuple, list],
            "interpolation": [StrOptions(INTERPOLATIONS)],
            "backend": [StrOptions({"auto", "default", "opencv"})],
        }

    border_mode = "edge"
    fill = 0.0

    def __init__(
        self,
        scale=(0.08, 1.0),
        ratio=(3 / 4, 4 / 3),
        *,
        interpolation="bilinear",
        backend="auto",
    ):
        self.scale = scale
        self.ratio = ratio
        self.interpolation = interpolation
        self.backend = backend

    def _draw(self, rng, height, width):
        scale = _check_range(self.scale, "scale", low=0, high=1)
        ratio = _check_range(self.ratio, "ratio", low=1e-6)
        area = height * width
        log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
        for _ in range(10):
            target = area * _uniform(rng, scale)
            aspect = math.exp(_uniform(rng, log_ratio))
            w = round(math.sqrt(target * aspect))
            h = round(math.sqrt(target / aspect))
            if 0 < w <= width and 0 < h <= height:
                top = int(rng.integers(0, height - h + 1))
                left = int(rng.integers(0, width - w + 1))
                return top, left, h, w
        in_ratio = width / height
        if in_ratio < ratio[0]:
            w, h = width, round(width / ratio[0])
        elif in_ratio > ratio[1]:
            h, w = height, round(height * ratio[1])
        else:
            w, h = width, height
        return (height - h) // 2, (width - w) // 2, h, w

    def _augment(self, image, rng, records):
        height, width = image.shape[:2]
        top, left, h, w = self._draw(rng, height, width)
        self._record(records, top=top, left=left, height=h, width=w)
        sx, sy = w / width, h / height
        matrix = (sx, 0.0, left - 0.5 + 0.5 * sx, 0.0, sy, top - 0.5 + 0.5 * sy)
        return self._warp(image, matrix)
