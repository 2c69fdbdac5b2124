"""Augmentations that change an image locally: elastic deformation (a
smooth random displacement of every pixel), random erasing (a rectangle
blanked out) and CutPaste (a rectangle copied to another place)."""

import functools
import math
from numbers import Real

import numpy as np

from ._base import BaseTransform, _resolve_backend, _uniform, _value_or_range
from ._color import blur_opencv, blur_scipy
from ._params import lazy_constraints
from ._warp import BORDER_MODES, INTERPOLATIONS, fill_value, opencv_modes

__all__ = ["CutPaste", "ElasticDeformation", "RandomErasing"]


@functools.lru_cache(maxsize=8)
def _grid(height, width):
    """The row and column of every pixel, float32 (read only: shared)."""
    grid = np.mgrid[0:height, 0:width].astype(np.float32)
    grid.flags.writeable = False
    return grid[0], grid[1]


def _remap_opencv(image, rows, cols, interpolation, border_mode, fill):
    import cv2

    flags, border = opencv_modes(interpolation, border_mode)
    out = cv2.remap(
        np.ascontiguousarray(image),
        cols,
        rows,
        flags,
        borderMode=border,
        borderValue=(fill,) * 4,
    )
    return out.reshape(image.shape)


def _remap_default(image, rows, cols, interpolation, border_mode, fill):
    from scipy.ndimage import map_coordinates

    # grid-constant: the fill beyond the edge is interpolated with the edge
    # pixel, as OpenCV does (plain "constant" jumps to the fill)
    mode = {"reflect": "mirror", "edge": "nearest", "constant": "grid-constant"}
    order = 1 if interpolation == "bilinear" else 0
    planes = image[..., None] if image.ndim == 2 else image
    out = np.empty(planes.shape, dtype=image.dtype)
    for c in range(planes.shape[2]):
        warped = map_coordinates(
            planes[..., c].astype(np.float32),
            [rows, cols],
            order=order,
            mode=mode[border_mode],
            cval=fill,
        )
        if image.dtype == np.uint8:
            warped = np.clip(np.rint(warped), 0, 255)
        out[..., c] = warped
    return out.reshape(image.shape)


class ElasticDeformation(BaseTransform):
    """Displace every pixel by a smooth random field (Simard, Steinkraus &
    Platt, 2003).

    Two fields of uniform noise in [-1, 1) (rows and columns), blurred by a
    Gaussian of standard deviation ``sigma`` and scaled by ``alpha``, say
    where each output pixel samples the input: small ``sigma`` crumples,
    large ``sigma`` bends smoothly. Simard et al. used ``alpha=34``,
    ``sigma=4`` on 28x28 digits; both are in pixels, so scale them with the
    image.

    Parameters
    ----------
    alpha : float or (float, float), default=34.0
        Scale of the displacement, in pixels: a number is used as is, a
        range is drawn from.
    sigma : float or (float, float), default=4.0
        Smoothness of the displacement (standard deviation of the Gaussian
        blur), in pixels, > 0: a number or a range.
    interpolation : {"bilinear", "nearest"}, default="bilinear"
    border_mode : {"reflect", "constant", "edge"}, default="reflect"
        What pixels from outside the image are: mirrored without repeating
        the edge pixel, a constant ``fill``, or the edge pixel.
    fill : float in [0, 1], default=0.0
        Fill value for ``border_mode="constant"``, as a fraction of full
        intensity.
    backend : {"auto", "default", "opencv"}, default="auto"
        ``"default"`` blurs and samples with SciPy (``gaussian_filter``,
        ``map_coordinates``); ``"opencv"`` with OpenCV (``GaussianBlur``,
        ``remap``), several times faster and tested close; ``"auto"`` uses
        OpenCV when it imports.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augment import ElasticDeformation
    >>> x = np.zeros((28, 28), dtype=np.uint8); x[:, 12:16] = 255
    >>> out, records = ElasticDeformation(alpha=34, sigma=4).augment(x, rng=0)
    >>> out.shape, out.dtype, sorted(records[0])
    ((28, 28), dtype('uint8'), ['alpha', 'sigma', 'transform'])
    >>> bool((out != x).any())
    True
    """

    @lazy_constraints
    def _parameter_constraints():
        from ..utils._constraints import Interval, StrOptions

        return {
            "alpha": [Interval(Real, 0, None, closed="left"), tuple, list],
            "sigma": [Interval(Real, 0, None, closed="neither"), tuple, list],
            "interpolation": [StrOptions(INTERPOLATIONS)],
            "border_mode": [StrOptions(BORDER_MODES)],
            "fill": [Interval(Real, 0, 1, closed="both")],
            "backend": [StrOptions({"auto", "default", "opencv"})],
        }

    def __init__(
        self,
        alpha=34.0,
        sigma=4.0,
        *,
        interpolation="bilinear",
        border_mode="reflect",
        fill=0.0,
        backend="auto",
    ):
        self.alpha = alpha
        self.sigma = sigma
        self.interpolation = interpolation
        self.border_mode = border_mode
        self.fill = fill
        self.backend = backend

    def _augment(self, image, rng, records):
        alpha = _uniform(rng, _value_or_range(self.alpha, "alpha", low=0.0))
        sigma = _uniform(rng, _value_or_range(self.sigma, "sigma", low=1e-6))
        self._record(records, alpha=alpha, sigma=sigma)
        height, width = image.shape[:2]
        noise = rng.random((2, height, width), dtype=np.float32)
        noise *= 2
        noise -= 1  # uniform in [-1, 1)
        opencv = _resolve_backend(self.backend) == "opencv" and (
            image.ndim == 2 or image.shape[2] <= 4
        )
        blur = blur_opencv if opencv else blur_scipy
        shifts = [blur(plane, sigma) for plane in noise]
        grid_rows, grid_cols = _grid(height, width)
        rows = shifts[0] * np.float32(alpha)
        rows += grid_rows
        cols = shifts[1] * np.float32(alpha)
        cols += grid_cols
        fill = fill_value(image, self.fill)
        remap = _remap_opencv if opencv else _remap_default
        return remap(image, rows, cols, self.interpolation, self.border_mode, fill)


class _Rectangles:
    """A random rectangle of a fraction ``scale`` of the image and an aspect
    ratio (height / width) drawn log-uniformly from ``ratio``: 10 draws to
    find one that fits, as torchvision's RandomErasing."""

    def _ranges(self):
        """The checked ``scale`` and ``ratio`` ranges."""
        try:
            low, high = (float(v) for v in self.scale)
            ratio_low, ratio_high = (float(v) for v in self.ratio)
        except (TypeError, ValueError):
            raise ValueError(
                "scale and ratio must be (low, high) pairs of numbers; got "
                f"scale={self.scale!r}, ratio={self.ratio!r}."
            ) from None
        if not 0 <= low <= high <= 1:
            raise ValueError(
                f"scale must be (low, high) with 0 <= low <= high <= 1; got "
                f"{self.scale!r}."
            )
        if not 0 < ratio_low <= ratio_high:
            raise ValueError(
                f"ratio must be (low, high) with 0 < low <= high; got {self.ratio!r}."
            )
        return (low, high), (math.log(ratio_low), math.log(ratio_high))

    def _rectangle(self, rng, height, width):
        """(top, left, h, w) of the rectangle, or None."""
        (low, high), (log_low, log_high) = self._ranges()
        for _ in range(10):
            area = height * width * _uniform(rng, (low, high))
            aspect = math.exp(_uniform(rng, (log_low, log_high)))
            h = int(round(math.sqrt(area * aspect)))
            w = int(round(math.sqrt(area / aspect)))
            if 0 < h < height and 0 < w < width:
                top = int(rng.integers(0, height - h + 1))
                left = int(rng.integers(0, width - w + 1))
                return top, left, h, w
        return None


class RandomErasing(_Rectangles, BaseTransform):
    """Blank out a random rectangle (Zhong et al., 2020; torchvision's
    ``RandomErasing``).

    With probability ``p``, a rectangle of a random area (a fraction of the
    image drawn from ``scale``) and aspect ratio (height over width, drawn
    log-uniformly from ``ratio``) is placed at random and filled; up to 10
    draws are made to find one that fits, else nothing is erased.

    Parameters
    ----------
    p : float in [0, 1], default=0.5
        Probability of erasing.
    scale : (float, float), default=(0.02, 0.33)
        Range of the erased area, as a fraction of the image's.
    ratio : (float, float), default=(0.3, 3.3)
        Range of the rectangle's aspect ratio (height / width).
    value : float in [0, 1] or "random", default=0.0
        The fill, as a fraction of full intensity (0 black), or "random":
        uniform noise over the image's range, independent per pixel and
        channel.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augment import RandomErasing
    >>> x = np.full((32, 32, 3), 255, dtype=np.uint8)
    >>> out, records = RandomErasing(p=1.0).augment(x, rng=0)
    >>> r = records[0]
    >>> box = out[r["top"] : r["top"] + r["height"], r["left"] : r["left"] + r["width"]]
    >>> black = (out == 0).all(axis=2)
    >>> bool((box == 0).all()), int(black.sum()) == box.shape[0] * box.shape[1]
    (True, True)
    """

    @lazy_constraints
    def _parameter_constraints():
        from ..utils._constraints import Interval, StrOptions

        return {
            "p": [Interval(Real, 0, 1, closed="both")],
            "scale": [tuple, list],
            "ratio": [tuple, list],
            "value": [Interval(Real, 0, 1, closed="both"), StrOptions({"random"})],
        }

    def __init__(self, p=0.5, *, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=0.0):
        self.p = p
        self.scale = scale
        self.ratio = ratio
        self.value = value

    def _augment(self, image, rng, records):
        erase = bool(rng.random() < self.p)
        found = self._rectangle(rng, *image.shape[:2]) if erase else None
        if found is None:
            self._record(records, erased=False, top=0, left=0, height=0, width=0)
            return image
        top, left, h, w = found
        self._record(records, erased=True, top=top, left=left, height=h, width=w)
        out = image.copy()
        patch = out[top : top + h, left : left + w]
        if self.value == "random":
            if image.dtype == np.uint8:
                patch[...] = rng.integers(0, 256, patch.shape, dtype=np.uint8)
            else:
                low, high = min(0.0, float(image.min())), max(1.0, float(image.max()))
                patch[...] = rng.uniform(low, high, patch.shape)
        else:
            patch[...] = fill_value(image, self.value)
        return out


class CutPaste(_Rectangles, BaseTransform):
    """Copy a random rectangle of the image to another random place of it
    (Li, Sohn, Yoon & Pfister, CVPR 2021).

    With probability ``p``, a rectangle of a random area (a fraction of the
    image drawn from ``scale``) and aspect ratio (drawn log-uniformly from
    ``ratio``) is cut at a random place (up to 10 draws to find one that
    fits) and pasted at another random place, over what was there: a local
    irregularity made of the image's own texture, every other pixel kept.
    On ``make_defects`` (``benchmarks/defect_synthesis.py``), over-sampling
    the defect classes with it helped LocalOutlierFeatures more than copies
    did (see the user guide's section on small, local evidence). The
    paper's colour jitter of the patch is left to a :class:`Compose`.

    Parameters
    ----------
    p : float in [0, 1], default=1.0
        Probability of pasting.
    scale : (float, float), default=(0.02, 0.15)
        Range of the rectangle's area, as a fraction of the image's.
    ratio : (float, float), default=(0.3, 3.3)
        Range of the rectangle's aspect ratio (height / width).

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augment import CutPaste
    >>> x = np.arange(32 * 32, dtype=np.float32).reshape(32, 32)
    >>> out, records = CutPaste().augment(x, rng=0)
    >>> r = records[0]
    >>> h, w = r["height"], r["width"]
    >>> pasted = out[r["to_top"] : r["to_top"] + h, r["to_left"] : r["to_left"] + w]
    >>> cut = x[r["top"] : r["top"] + h, r["left"] : r["left"] + w]
    >>> r["pasted"], bool((pasted == cut).all())
    (True, True)
    """

    @lazy_constraints
    def _parameter_constraints():
        from ..utils._constraints import Interval

        return {
            "p": [Interval(Real, 0, 1, closed="both")],
            "scale": [tuple, list],
            "ratio": [tuple, list],
        }

    def __init__(self, p=1.0, *, scale=(0.02, 0.15), ratio=(0.3, 3.3)):
        self.p = p
        self.scale = scale
        self.ratio = ratio

    def _augment(self, image, rng, records):
        paste = bool(rng.random() < self.p)
        height, width = image.shape[:2]
        found = self._rectangle(rng, height, width) if paste else None
        if found is None:
            self._record(
                records,
                pasted=False,
                top=0,
                left=0,
                height=0,
                width=0,
                to_top=0,
                to_left=0,
            )
            return image
        top, left, h, w = found
        to_top = int(rng.integers(0, height - h + 1))
        to_left = int(rng.integers(0, width - w + 1))
        self._record(
            records,
            pasted=True,
            top=top,
            left=left,
            height=h,
            width=w,
            to_top=to_top,
            to_left=to_left,
        )
        out = image.copy()
        out[to_top : to_top + h, to_left : to_left + w] = image[
            top : top + h, left : left + w
        ]
        return out
