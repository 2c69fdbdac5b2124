"""One mode for a collection of images of several: the rule every sampler
and feature extractor applies where images of a collection meet.

A real folder mixes modes: grayscale and RGB photos, RGBA icons, 16-bit
scans. Where images must be alike (stacked into one array, or giving
features of one length), they are converted by this rule:

- **channels**: all images keep theirs when they share them; otherwise
  colour wins: every image becomes RGB when any is colour (RGB or RGBA),
  grayscale otherwise. Alpha is dropped, as Pillow's ``convert("RGB")``
  and torchvision's image loader drop it (a transparent pixel keeps the
  colour stored under it).
- **bit depth**: 16-bit images beside 8-bit ones become 8-bit by the
  package's intensity rule (0..65535 mapped to 0..255, rounded); integers
  beside floats (or booleans) are all read on 0..1 as float32, as before.

Extractors that read gray images (LBP, Gabor, DAISY) take every image to
grayscale by the same luma as they would. One warning says what was
converted. To choose the mode yourself, put
``ImageLoader(mode="RGB")`` (or ``"L"``) first.
"""

import warnings

import numpy as np

from ..utils._caller import warn
from ._intensity import full_scale, to_uint8, unit_float

__all__ = ["ImageModeWarning", "ModeRule", "luma"]


class ImageModeWarning(UserWarning):
    """Images of several modes were converted to one.

    Shown once per process for each mode converted to (a cross-validation
    converts the same images fold after fold), unless the warnings filters ask for
    every one: ``warnings.simplefilter("always", ImageModeWarning)``;
    ``"ignore"`` shows none.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from imgbalance.utils import ImageModeWarning, stack_images
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always", ImageModeWarning)
    ...     images = stack_images([np.zeros((2, 2)), np.zeros((2, 2, 3))])
    >>> images.shape, caught[0].category.__name__
    ((2, 2, 2, 3), 'ImageModeWarning')
    """


# the modes converted to, said already in this process (the folds of a
# search differ in which kinds they hold): Python's "once" cannot keep
# them (every warnings.catch_warnings, as scikit-learn's searches use,
# clears its memory)
_SAID = set()


def _every_time(message):
    """Whether the warnings filters in effect ask to see ``message`` each
    time ("always", "error"), as a test or a user's
    ``simplefilter("always", ImageModeWarning)`` does."""
    for action, text, category, module, lineno in warnings.filters:
        if not issubclass(ImageModeWarning, category):
            continue
        if text is not None and not text.match(message):
            continue
        return action in ("always", "error")
    return False


# the channel layouts, by name
_LAYOUTS = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}
_COLOUR = ("RGB", "RGBA")


def luma(rgb):
    """Grayscale of RGB values (``(..., 3)``): uint8 as Pillow's "L"
    conversion (ITU-R 601-2 luma, rounded), other dtypes by the same
    weights (as float64)."""
    if rgb.dtype == np.uint8:
        r, g, b = (rgb[..., k].astype(np.int64) for k in range(3))
        return ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16).astype(np.uint8)
    return rgb @ np.array([0.299, 0.587, 0.114])


def _layout(image):
    """The channel layout of an (h, w[, c]) image: L, LA, RGB, RGBA, or the
    number of channels of another layout."""
    channels = 1 if image.ndim == 2 else image.shape[2]
    return _LAYOUTS.get(channels, channels)


def _merged_layout(a, b):
    if a == b:
        return a
    if not (isinstance(a, str) and isinstance(b, str)):
        return None  # 5 or more channels: no rule
    return "RGB" if a in _COLOUR or b in _COLOUR else "L"


def _merged_dtype(a, b):
    """The dtype two images are stored in together; ``uint16`` beside
    8-bit integers gives their dtype (the 16-bit one reduced to 8 bits)."""
    if a == b:
        return a
    scales = {full_scale(a), full_scale(b)}
    if scales == {255.0, 65535.0}:
        other = a if full_scale(a) == 255.0 else b
        return np.result_type(other, np.uint8)
    if len(scales) > 1:  # integers beside floats or booleans: all on 0..1
        return np.result_type(np.float32, *(d for d in (a, b) if d.kind == "f"))
    return np.result_type(a, b)


def _with_layout(image, layout):
    have = _layout(image)
    if have == layout:
        return image
    planes = image if image.ndim == 3 else image[..., None]
    if layout == "L" and have in _COLOUR:  # for extractors that read gray
        gray = luma(planes[..., :3])
        if image.dtype.kind in "iub" and gray.dtype != image.dtype:
            gray = np.rint(gray)
        return gray.astype(image.dtype, copy=False)
    if layout == "L":  # from LA (or a one-channel 3-D array)
        return planes[..., 0]
    if have in ("L", "LA"):
        return np.repeat(planes[..., :1], 3, axis=-1)
    return planes[..., :3]  # RGBA: alpha dropped


def _with_dtype(image, dtype):
    if image.dtype == dtype:
        return image
    if full_scale(image.dtype) == full_scale(dtype):
        return image.astype(dtype)
    if dtype.kind == "f":
        return unit_float(image).astype(dtype, copy=False)
    return to_uint8(image)[0].astype(dtype, copy=False)  # 16-bit to 8-bit


class ModeRule:
    """The rule of the module docstring applied to a collection's images as
    they come: :meth:`add` each one and get it in the kind of all so far;
    :meth:`changed` says when the earlier ones must follow (convert them
    with :meth:`convert`); :meth:`warn` once at the end."""

    def __init__(self, input_name="X", *, gray=False):
        self.input_name, self.gray = input_name, gray
        self.layout = self.dtype = None
        self.kinds = []  # the layout and bit depth each image came in

    def add(self, image):
        """``image`` in the common kind; sets :attr:`changed`."""
        kind = (_layout(image), image.dtype)
        self.kinds.append(kind)
        if self.gray and isinstance(kind[0], str):  # what the extractor reads
            kind = ("L", kind[1])
        if self.layout is None:
            self.layout, self.dtype = kind
            self.changed = False
            return image
        layout = _merged_layout(self.layout, kind[0])
        dtype = _merged_dtype(self.dtype, kind[1])
        self.changed = (layout, dtype) != (self.layout, self.dtype)
        if layout is not None:
            self.layout, self.dtype = layout, dtype
        return self.convert(image)

    def convert(self, image):
        """One image in the common kind (unchanged where no rule applies)."""
        if self.layout is None or _merged_layout(_layout(image), self.layout) is None:
            return image
        return _with_dtype(_with_layout(image, self.layout), self.dtype)

    def warn(self):
        """One warning saying what was converted, if anything was (not colour
        made gray for an extractor that reads gray). It names the kinds, not
        their numbers: the folds of a cross-validation give one message, so
        Python shows it once."""
        layouts = set() if self.gray else {k for k, _ in self.kinds} - {self.layout}
        deep = full_scale(self.dtype) == 255.0 and any(
            full_scale(d) == 65535.0 for _, d in self.kinds
        )
        if not layouts and not deep:
            return
        changes = [
            f"{layout} to {self.layout}"
            for layout in ("L", "LA", "RGB", "RGBA")
            if layout in layouts
        ]
        if any("A" in str(layout) for layout in layouts):
            changes.append("alpha dropped")
        if deep:
            changes.append("16 bits made 8")
        message = (
            f"{self.input_name} holds images of several modes, converted to one "
            f"({self.layout} {self.dtype}): {', '.join(changes)}. Put "
            "ImageLoader(mode='RGB') or ImageLoader(mode='L') first to choose "
            "the mode yourself."
        )
        said = (self.input_name, self.layout, str(self.dtype))  # the mode made
        if said in _SAID and not _every_time(message):
            return
        _SAID.add(said)
        warn(message, ImageModeWarning)
