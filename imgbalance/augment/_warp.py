"""Warping an image by an affine map: OpenCV's warpAffine, or the same
map with Pillow (and numpy padding for the border modes), tested close."""

import math

import numpy as np
from PIL import Image

from ._base import _full_scale, _resolve_backend

__all__ = [
    "BORDER_MODES",
    "INTERPOLATIONS",
    "affine_inverse",
    "fill_value",
    "opencv_modes",
    "pad",
    "warp",
]

BORDER_MODES = {"reflect", "constant", "edge"}
INTERPOLATIONS = {"bilinear", "nearest"}


def fill_value(image, fill):
    """``fill`` (a fraction of full intensity) in the image's units."""
    value = fill * _full_scale(image)
    return float(np.rint(value)) if image.dtype == np.uint8 else float(value)


def opencv_modes(interpolation, border_mode):
    """OpenCV's interpolation flag and border type for these parameters'
    values (the reflection repeats no edge pixel)."""
    import cv2

    flag = cv2.INTER_LINEAR if interpolation == "bilinear" else cv2.INTER_NEAREST
    border = {
        "reflect": cv2.BORDER_REFLECT_101,
        "edge": cv2.BORDER_REPLICATE,
        "constant": cv2.BORDER_CONSTANT,
    }[border_mode]
    return flag, border


def _warp_opencv(image, matrix, interpolation, border_mode, fill):
    import cv2

    flag, border = opencv_modes(interpolation, border_mode)
    flags = flag | cv2.WARP_INVERSE_MAP
    height, width = image.shape[:2]
    if image.ndim == 3 and image.shape[2] > 4:
        return np.stack(
            [
                _warp_opencv(image[..., c], matrix, interpolation, border_mode, fill)
                for c in range(image.shape[2])
            ],
            axis=-1,
        )
    out = cv2.warpAffine(
        np.ascontiguousarray(image),
        np.array(matrix, dtype=np.float64).reshape(2, 3),
        (width, height),
        flags=flags,
        borderMode=border,
        borderValue=(fill,) * 4,
    )
    return out.reshape(image.shape)


def _pad_for(matrix, height, width):
    """Margins (top, bottom, left, right) covering every sampled position."""
    a, b, c, d, e, f = matrix
    xs = [a * x + b * y + c for x in (0, width - 1) for y in (0, height - 1)]
    ys = [d * x + e * y + f for x in (0, width - 1) for y in (0, height - 1)]
    return (
        max(0, math.ceil(-min(ys)) + 2),
        max(0, math.ceil(max(ys) - (height - 1)) + 2),
        max(0, math.ceil(-min(xs)) + 2),
        max(0, math.ceil(max(xs) - (width - 1)) + 2),
    )


def _border_index(n, before, after, border_mode):
    """Source indices of a padded axis: reflect (no edge repeat) or edge."""
    index = np.arange(-before, n + after)
    if border_mode == "edge" or n == 1:
        return np.clip(index, 0, n - 1)
    period = 2 * (n - 1)
    index = np.abs(index) % period
    return np.where(index >= n, period - index, index)


def pad(image, top, bottom, left, right, border_mode, fill):
    """Pad the first two axes, like np.pad with "reflect", "edge" or "constant"."""
    height, width = image.shape[:2]
    if border_mode == "constant":
        out = np.full(
            (height + top + bottom, width + left + right) + image.shape[2:],
            fill,
            dtype=image.dtype,
        )
        out[top : top + height, left : left + width] = image
        return out
    rows = _border_index(height, top, bottom, border_mode)
    cols = _border_index(width, left, right, border_mode)
    return image.take(rows, axis=0).take(cols, axis=1)


def _warp_default(image, matrix, interpolation, border_mode, fill):
    height, width = image.shape[:2]
    top, bottom, left, right = _pad_for(matrix, height, width)
    padded = pad(image, top, bottom, left, right, border_mode, fill)
    # matrix maps output pixel centres to input pixel centres (integers);
    # Pillow maps continuous coordinates, pixel centres at +0.5.
    a, b, c, d, e, f = matrix
    c, f = c + left, f + top
    coeffs = (a, b, c + 0.5 - 0.5 * a - 0.5 * b, d, e, f + 0.5 - 0.5 * d - 0.5 * e)
    resample = (
        Image.Resampling.BILINEAR
        if interpolation == "bilinear"
        else Image.Resampling.NEAREST
    )
    size = (width, height)
    # every channel is warped as a float32 plane: Pillow's 8-bit warps
    # truncate instead of rounding (half a level darker on average) and
    # premultiply RGBA by alpha
    planes = padded[..., None] if image.ndim == 2 else padded
    out = np.empty((height, width, planes.shape[2]), dtype=image.dtype)
    for ch in range(planes.shape[2]):
        plane = Image.fromarray(planes[..., ch].astype(np.float32))
        warped = np.asarray(
            plane.transform(size, Image.Transform.AFFINE, coeffs, resample=resample)
        )
        if image.dtype == np.uint8:
            warped = np.clip(np.rint(warped), 0, 255)
        out[..., ch] = warped
    return out.reshape(image.shape)


def warp(image, matrix, *, interpolation, border_mode, fill, backend):
    """Warp ``image`` by ``matrix``: output pixel centre -> input pixel centre.

    ``matrix`` is the 2x3 affine map ``(a, b, c, d, e, f)``: the output
    pixel (x, y) samples the input at ``(a x + b y + c, d x + e y + f)``, in
    pixel coordinates where pixel (x, y) has its centre at (x, y). The
    output has the input's shape and dtype.
    """
    matrix = tuple(round(float(v), 12) + 0.0 for v in matrix)
    fill = fill_value(image, fill)
    if _resolve_backend(backend) == "opencv":
        return _warp_opencv(image, matrix, interpolation, border_mode, fill)
    return _warp_default(image, matrix, interpolation, border_mode, fill)


def affine_inverse(height, width, angle, translate, scale, shear):
    """The output -> input map of a rotation (counter-clockwise, degrees),
    x-shear (degrees), scale and translation (pixels) about the centre.

    The forward map is ``L (p - centre) + centre + translate`` with
    ``L = scale * R(angle) @ Shear(shear)`` (image y axis pointing down).
    """
    theta = math.radians(angle)
    cos, sin = math.cos(theta), math.sin(theta)
    tan = math.tan(math.radians(shear))
    # inverse of L: Shear^-1 @ R^-1 / scale
    a, b = (cos - tan * sin) / scale, (-sin - tan * cos) / scale
    d, e = sin / scale, cos / scale
    cx, cy = (width - 1) / 2, (height - 1) / 2
    qx, qy = cx + translate[0], cy + translate[1]
    return (a, b, cx - a * qx - b * qy, d, e, cy - d * qx - e * qy)
