"""How pixel values of each dtype are read: imgbalance's one rule.

======================================  ==============================
dtype                                   values read on (black .. white)
======================================  ==============================
bool                                    False .. True
uint8                                   0 .. 255
uint16                                  0 .. 65535
float (any width)                       0 .. 1
any other integer (int8 .. int64,       0 .. 255
uint32, uint64)
======================================  ==============================

The wider integers have no bit depth of their own: they are what numpy
gives for ``np.array([[0, 128, 255]])``, so they are read as 8-bit values.
A file is read by its own bit depth, whatever mode Pillow opens it in: a
16-bit PGM (mode "I" in Pillow) gives uint16, as a 16-bit PNG does, in the
samplers, the extractors, the hashes and the reports' thumbnails alike
(``_decoding.image_array``). Data on another scale (12-bit sensors, floats
in 0..255) is described by the caller, for example through
:class:`~imgbalance.features.ImageLoader`'s ``value_range``; values outside
their dtype's range are clipped, with a warning, by every reader that needs
their scale (:func:`within_scale`).
"""

import numpy as np

from ..utils._caller import warn

__all__ = [
    "check_value_range",
    "full_scale",
    "to_uint8",
    "scaled_rows",
    "unit_float",
    "warn_outside",
    "within_scale",
    "working_type",
]


def full_scale(dtype):
    """The value of full intensity (white) for ``dtype``, by the rule above.

    Parameters
    ----------
    dtype : numpy dtype

    Returns
    -------
    value : float
    """
    dtype = np.dtype(dtype)
    if dtype.kind == "u" and dtype.itemsize == 2:  # either byte order
        return 65535.0
    if dtype.kind in "iu":
        return 255.0
    return 1.0


def unit_float(images):
    """Float images as they are; integer (and bool) ones as float32 divided
    by their full intensity, so that every dtype reads on 0..1."""
    if images.dtype.kind == "f":
        return images
    return images.astype(np.float32) / np.float32(full_scale(images.dtype))


def working_type(dtype):
    """float32 where it holds every value of ``dtype`` exactly (8- and
    16-bit integers, float32), else float64."""
    dtype = np.dtype(dtype)
    return np.float32 if dtype.itemsize <= 2 or dtype == np.float32 else np.float64


def scaled_rows(rows, indices=None):
    """``rows`` (or those at ``indices``) in the working type, scaled to
    [0, 1] by the rule above: integers divided by their full intensity,
    floats as they are."""
    work = working_type(rows.dtype)
    part = rows if indices is None else rows[indices]
    return part.astype(work) / work(full_scale(rows.dtype))


def check_value_range(value_range, *, name="value_range"):
    """Validate a ``value_range`` parameter: None, "image" or (low, high).

    Returns
    -------
    value_range : None, "image" or tuple of two floats
    """
    if value_range is None or (isinstance(value_range, str) and value_range == "image"):
        return value_range
    try:
        low, high = (float(v) for v in value_range)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be None, 'image' or a pair (low, high); got {value_range!r}."
        ) from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(
            f"{name} must be a pair of finite numbers with low < high; got "
            f"{value_range!r}."
        )
    half_span = np.float64(high) / 2 - np.float64(low) / 2
    with np.errstate(over="ignore", divide="ignore"):
        spread = np.float64(255.0) / half_span
    if not np.isfinite(spread):  # subnormal spans (0, 5e-324) halve to 0
        raise ValueError(
            f"{name} {value_range!r} is too narrow to be spread over 0..255."
        )
    return low, high


def to_uint8(image, value_range=None):
    """A uint8 copy of one image, and whether values fell outside the rule.

    Parameters
    ----------
    image : ndarray
        Any real dtype. NaN or infinity raises ``ValueError``.
    value_range : None, "image" or (float, float), default=None
        None: the dtype's rule (module docstring). "image": the image's own
        minimum .. maximum (a constant image becomes 0). (low, high): these
        values become 0 and 255.

    Returns
    -------
    out : ndarray of uint8
        Values mapped linearly to 0..255, rounded, clipped.
    outside : (float, float) or None
        With ``value_range=None``, the image's (min, max) when some values lie
        outside its dtype's range and were clipped; None otherwise.
    """
    kind = image.dtype.kind
    if kind not in "biuf":
        raise TypeError(f"has dtype {image.dtype}, which has no uint8 value")
    if image.dtype == np.uint8 and value_range is None:
        return image, None
    if kind == "b":
        return image.astype(np.uint8) * np.uint8(255), None
    if kind == "f" and not np.isfinite(image).all():
        raise ValueError("holds NaN or infinity, which has no uint8 value")
    outside = None
    if value_range is None:
        low, high = 0.0, full_scale(image.dtype)
        if full_scale(image.dtype) != 65535.0 and image.size:
            found = float(image.min()), float(image.max())
            if found[0] < low or found[1] > high:
                outside = found
    elif isinstance(value_range, str):
        low, high = (float(image.min()), float(image.max())) if image.size else (0, 1)
    else:
        low, high = value_range
    if high <= low:  # a constant image under "image"
        return np.zeros(image.shape, np.uint8), None
    # halves: neither high - low nor image - low overflows near 1e308
    half_span = high / 2 - low / 2
    with np.errstate(over="ignore", divide="ignore"):
        scale = np.float64(255.0) / half_span
    if not np.isfinite(scale):  # an "image" too flat to spread: as constant
        return np.zeros(image.shape, np.uint8), outside
    with np.errstate(under="ignore"):
        values = (image.astype(np.float64) / 2 - low / 2) * scale
    return np.clip(np.rint(values), 0, 255).astype(np.uint8), outside


_FIX_OF_LOADER = (
    "Pass value_range=(low, high) for data on another scale, or "
    "value_range='image' to stretch each image."
)


def warn_outside(input_name, index, found, dtype, n_images, fix=_FIX_OF_LOADER):
    """One warning for values outside their dtype's range (clipped)."""
    scale = full_scale(dtype)
    kind = "float" if np.dtype(dtype).kind == "f" else str(np.dtype(dtype))
    more = "" if n_images == 1 else f" and {n_images - 1} other image(s)"
    warn(
        f"{input_name}[{index}]{more}: {kind} values from {found[0]:g} to "
        f"{found[1]:g}, outside the 0..{scale:g} that {kind} images are read on; "
        f"they were clipped. {fix}"
    )


_FIX_OF_EXTRACTOR = (
    "Put ImageLoader(value_range=(low, high)) first for data on another "
    "scale (such as floats in 0..255), or scale the images yourself."
)


def _has_bounds(dtype):
    """Whether values of ``dtype`` can lie outside the range they are read
    on: floats, and integers other than uint8, uint16 and bool."""
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return True
    return dtype.kind in "iu" and full_scale(dtype) == 255.0 and dtype != np.uint8


def within_scale(images, input_name="X"):
    """``images`` with the values outside their dtype's range clipped to it,
    with one warning naming the first image and counting the others: the
    rule every extractor applies where it reads intensities, as
    :class:`~imgbalance.features.ImageLoader` does (floats in 0..255 are
    not read as 0..1 without a word).

    Parameters
    ----------
    images : ndarray of shape (n, ...) or list of ndarray
        A batch, or images of any size.
    input_name : str, default="X"

    Returns
    -------
    images : the same container, clipped where needed (copies then)
    """
    batch = not isinstance(images, list)
    items = [images] if batch else images
    found = []  # (index, low, high, dtype) of each image outside
    out = []
    for at, part in enumerate(items):
        if not _has_bounds(part.dtype) or part.size == 0:
            out.append(part)
            continue
        axes = tuple(range(1, part.ndim)) if batch else None
        low, high = part.min(axis=axes), part.max(axis=axes)
        top = full_scale(part.dtype)
        outside = np.flatnonzero(np.atleast_1d((low < 0) | (high > top)))
        if len(outside) == 0:
            out.append(part)
            continue
        low, high = np.atleast_1d(low), np.atleast_1d(high)
        found += [(int(k) if batch else at, low[k], high[k]) for k in outside]
        out.append(np.clip(part, 0, top).astype(part.dtype, copy=False))
    if found:
        index, low, high = found[0]
        dtype = items[0].dtype if batch else items[index].dtype
        warn_outside(
            input_name,
            index,
            (float(low), float(high)),
            dtype,
            len(found),
            fix=_FIX_OF_EXTRACTOR,
        )
    return out[0] if batch else out
