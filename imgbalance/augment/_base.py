"""What every augmentation shares: parameters, dtype handling, the RNG protocol."""

import functools
from numbers import Real

import numpy as np
from PIL import Image

from .._contract._intensity import full_scale
from ..utils._backends import opencv_available, resolve_opencv
from ._params import Parameters

__all__ = ["BaseTransform", "check_augmenter", "opencv_available"]


def _resolve_backend(backend):
    # opencv_available as this module holds it (tests replace it here)
    return resolve_opencv(backend, opencv_available)


def _check_range(value, name, *, symmetric_around=None, low=None, high=None):
    """``value`` as a (lo, hi) tuple: a number v means (c - v, c + v).

    Remembered for the values last seen (each image drew its parameters
    from ranges checked anew: a tenth of the time of a small image).
    """
    try:
        return _checked_range(value, name, symmetric_around, low, high)
    except TypeError:  # a list or an array: not hashable, checked each time
        return _checked_range.__wrapped__(value, name, symmetric_around, low, high)


@functools.lru_cache(maxsize=256, typed=True)
def _checked_range(value, name, symmetric_around, low, high):
    if isinstance(value, Real):
        if value < 0:
            raise ValueError(f"{name} must be non-negative; got {value!r}.")
        centre = symmetric_around
        lo, hi = centre - value, centre + value
    else:
        try:
            lo, hi = value
        except (TypeError, ValueError):
            raise ValueError(
                f"{name} must be a number or a (low, high) pair; got {value!r}."
            ) from None
        if not lo <= hi:
            raise ValueError(f"{name}: low must not exceed high; got {value!r}.")
    if low is not None:
        lo = max(lo, low)
    if high is not None and hi > high:
        raise ValueError(f"{name} must not exceed {high}; got {value!r}.")
    return float(lo), float(hi)


def _value_or_range(value, name, low):
    """(v, v) for a number ``v`` (used as is), or a checked (low, high) range."""
    if isinstance(value, Real):
        return (float(value),) * 2
    return _check_range(value, name, low=low)


def _uniform(rng, bounds):
    lo, hi = bounds
    return lo if lo == hi else lo + (hi - lo) * float(rng.random())


def _value_range(image):
    """The range an output of ``image`` is clipped to.

    uint8: [0, 255]. Float: [0, 1], widened to the image's own range when its
    values lie outside (so data on another scale is not cut).
    """
    if image.dtype == np.uint8:
        return 0.0, 255.0
    return min(0.0, float(image.min())), max(1.0, float(image.max()))


def _full_scale(image):
    """The value of 'full intensity': 255 for uint8, 1 for floats."""
    return 255.0 if image.dtype == np.uint8 else 1.0


class BaseTransform(Parameters):
    """Base class of augmentations.

    An augmentation is an estimator-like object: its ``__init__`` stores
    keyword arguments only, so :meth:`get_params`, :meth:`set_params` and
    :func:`sklearn.base.clone` work and ``GridSearchCV`` can tune it inside a
    sampler (``sampler__augmenter__<name>__<param>``).

    Subclasses implement ``_augment(image, rng, records)``: draw their
    parameters from ``rng`` (a :class:`numpy.random.Generator`), append a
    dict of what they applied to ``records``, and return the new image, of
    the same shape and dtype. ``image`` is uint8 or float, ``(h, w)`` or
    ``(h, w, c)``; it must not be modified in place.

    Examples
    --------
    A transform of one's own: invert the image with probability ``p``.

    >>> import numpy as np
    >>> from imgbalance.augment import BaseTransform, Compose, RandomFlip
    >>> class RandomInvert(BaseTransform):
    ...     _parameter_constraints = {"p": [float]}
    ...     def __init__(self, p=0.5):
    ...         self.p = p
    ...     def _augment(self, image, rng, records):
    ...         invert = bool(rng.random() < self.p)
    ...         records.append({"transform": "RandomInvert", "inverted": invert})
    ...         top = 255 if image.dtype == np.uint8 else 1.0
    ...         return top - image if invert else image
    >>> image = np.zeros((2, 2), dtype=np.uint8)
    >>> out, records = Compose([RandomInvert(p=1.0), RandomFlip()]).augment(image, 0)
    >>> out.tolist(), records[0]
    ([[255, 255], [255, 255]], {'transform': 'RandomInvert', 'inverted': True})
    """

    def __setattr__(self, name, value):
        # a changed parameter is checked again before the next augmentation
        if not name.startswith("_"):
            object.__setattr__(self, "_params_checked", False)
        object.__setattr__(self, name, value)

    def __call__(self, image, rng=None):
        """Augment one image.

        Parameters
        ----------
        image : ndarray of shape (h, w) or (h, w, c), or PIL.Image.Image
            uint8, or float (usually in [0, 1]); other integer dtypes are
            scaled to [0, 1] (uint16 from 0..65535, the others from 0..255),
            augmented and converted back.
        rng : numpy.random.Generator, int or None, default=None
            Source of randomness. An int seeds a new Generator.

        Returns
        -------
        augmented : ndarray
            Same shape and dtype as ``image``, never a view of it.
        """
        return self.augment(image, rng)[0]

    def augment(self, image, rng=None):
        """Augment one image and report what was applied.

        Parameters
        ----------
        image : ndarray of shape (h, w) or (h, w, c), or PIL.Image.Image
            See :meth:`__call__`.
        rng : numpy.random.Generator, int or None, default=None
            Source of randomness. An int seeds a new Generator.

        Returns
        -------
        augmented : ndarray
            Same shape and dtype as ``image``, never a view of it.
        records : list of dict
            One dict per transform applied, in order: its ``"transform"``
            name and the parameters it drew.
        """
        if isinstance(image, Image.Image):
            from .._contract._decoding import load_image

            image = load_image(image)
        image = np.asarray(image)
        if image.ndim not in (2, 3) or image.dtype.kind not in "biuf":
            raise ValueError(
                f"image must be a numeric array of shape (h, w) or (h, w, c); "
                f"got shape {image.shape} and dtype {image.dtype}."
            )
        self._validate_tree()
        rng = np.random.default_rng(rng)
        work, restore = _to_working(image)
        records = []
        out = self._augment(work, rng, records)
        out = restore(out)
        if np.may_share_memory(out, image):
            out = out.copy()
        return np.ascontiguousarray(out), records

    def _validate_tree(self):
        """Check the parameters of this augmentation and of those it holds.

        Checked once, then again only after a parameter was set.
        """
        if not getattr(self, "_params_checked", False):
            self._validate_params()
            self._params_checked = True

    def _augment(self, image, rng, records):  # pragma: no cover - abstract
        raise NotImplementedError

    def _record(self, records, **params):
        records.append({"transform": type(self).__name__, **params})


def _to_working(image):
    """Return the working image (uint8 or float) and a function to restore.

    Other integer images are read by imgbalance's rule (uint16 on 0..65535,
    the rest on 0..255) as float32 in 0..1; restored, they are clipped to
    the dtype's range.
    """
    dtype = image.dtype
    if dtype == np.uint8 or dtype in (np.float32, np.float64):
        return image, lambda out: out
    if dtype.kind == "f":  # float16 and others: work in float32
        return image.astype(np.float32), lambda out: out.astype(dtype)
    top = np.float32(full_scale(dtype))
    low, high = (
        (0, 1) if dtype.kind == "b" else (np.iinfo(dtype).min, np.iinfo(dtype).max)
    )
    work = image.astype(np.float32) / top

    def restore(out):
        return np.clip(np.rint(out * top), low, high).astype(dtype)

    return work, restore


def check_augmenter(augmenter):
    """Check an augmenter before it is used: the parameters of an
    augmentation of this package and of those it holds (once); any other
    object with an ``augment(image, rng)`` method is taken as it is."""
    if isinstance(augmenter, BaseTransform):
        augmenter._validate_tree()
