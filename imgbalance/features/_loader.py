"""Load any image collection into one uint8 image array."""

import numpy as np
from PIL import Image
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from .._contract._collection import (
    check_image_collection,
    check_size,
    forget_input_features,
)
from .._contract._intensity import check_value_range, to_uint8, warn_outside
from .._contract._stacking import stack_collection
from ..utils._constraints import StrOptions
from ..utils._docstrings import fill_docs

__all__ = ["ImageLoader"]


def _convert(image, mode):
    """A uint8 (h, w[, c]) image in ``mode``: "keep", "L" or "RGB"."""
    channels = 1 if image.ndim == 2 else image.shape[2]
    if mode == "keep" or (mode, channels) in (("L", 1), ("RGB", 3)):
        return image
    if channels not in (1, 2, 3, 4):
        raise ValueError(
            f"Cannot convert an image of {channels} channels to mode {mode!r}; "
            "use mode='keep'."
        )
    planes = image.reshape(image.shape[:2]) if channels == 1 else image
    return np.asarray(Image.fromarray(planes).convert(mode))  # L, LA, RGB, RGBA


def _resize(image, size):
    """A uint8 image resized to ``size`` = (h, w): Pillow's bilinear filter
    (antialiased when shrinking), per channel where Pillow has no mode."""
    height, width = size
    if image.shape[:2] == (height, width):
        return image
    channels = 1 if image.ndim == 2 else image.shape[2]
    if channels in (1, 3):  # Pillow would premultiply RGBA, has no 2 or 5+ modes
        planes = image.reshape(image.shape[:2]) if channels == 1 else image
        resized = Image.fromarray(planes).resize(
            (width, height), Image.Resampling.BILINEAR
        )
        return np.asarray(resized).reshape((height, width) + image.shape[2:])
    return np.stack([_resize(image[..., c], size) for c in range(channels)], axis=-1)


@fill_docs
class ImageLoader(TransformerMixin, BaseEstimator):
    """Turn any image collection into one ``(n, h, w[, c])`` uint8 array.

    The first step of a pipeline on file paths or on images of different
    sizes: paths are decoded (EXIF orientation applied; a file that fails to
    decode is named in the error), PIL images and arrays converted, resized
    and converted to one mode as asked.

    Parameters
    ----------
    size : (int, int) or None, default=None
        Resize every image to (h, w) (bilinear, antialiased when shrinking).
        Required when the images do not all have one size.
    mode : {"keep", "L", "RGB"}, default="keep"
        ``"L"``: grayscale images ``(n, h, w)``; ``"RGB"``: ``(n, h, w, 3)``
        (alpha dropped, grey repeated); ``"keep"``: the images' own channels
        (they must then all have the same number).
    <image_shape>
        Without it each row is an image one pixel high.
    value_range : None, "image" or (float, float), default=None
        Which values become black (0) and white (255). None: the dtype's
        own range (see Notes). ``(low, high)``: these values, for data on
        another scale, e.g. ``(0, 255)`` for floats in 0..255 or
        ``(0, 4095)`` for 12-bit data; values outside are clipped.
        ``"image"``: each image's own minimum and maximum (contrast
        stretched; a constant image becomes 0).

    Attributes
    ----------
    image_shape_ : tuple of int
        Shape of each output image.
    n_features_in_ : int
        Columns of a 2-D ``X``; set for 2-D input only.

    Notes
    -----
    With ``value_range=None`` each dtype is read on one range, mapped
    linearly to 0..255 and rounded: uint8 as it is; bool False/True to
    0/255; uint16 0..65535; float 0..1; every other integer dtype (int8 to
    int64, uint32, uint64: what ``np.array([[0, 128, 255]])`` gives) 0..255.
    Values outside their dtype's range are clipped, with one warning naming
    the first image and the range found. NaN or infinity is an error. The
    output is images, not features: put a feature extractor after it.

    Examples
    --------
    >>> from PIL import Image
    >>> from imgbalance.features import ImageLoader
    >>> images = [Image.new("RGB", (40, 30)), Image.new("L", (20, 20))]
    >>> out = ImageLoader(size=(16, 16), mode="RGB").fit_transform(images)
    >>> out.shape, out.dtype
    ((2, 16, 16, 3), dtype('uint8'))
    """

    _parameter_constraints: dict = {
        "size": [tuple, list, None],
        "mode": [StrOptions({"keep", "L", "RGB"})],
        "image_shape": [tuple, list, None],
        "value_range": [None, StrOptions({"image"}), tuple, list],
    }

    def __init__(self, *, size=None, mode="keep", image_shape=None, value_range=None):
        self.size = size
        self.mode = mode
        self.image_shape = image_shape
        self.value_range = value_range

    @fill_docs
    def fit(self, X, y=None):
        """Check that the images load to one shape; record it.

        Parameters
        ----------
        <fit_images>
        <y_ignored>

        Returns
        -------
        self : ImageLoader
        """
        self.fit_transform(X)
        return self

    @fill_docs
    def fit_transform(self, X, y=None):
        """Fit to ``X`` and return its images (decodes paths once).

        Parameters
        ----------
        X : image collection
            See :meth:`fit`.
        <y_ignored>

        Returns
        -------
        images : ndarray of shape (n_samples, h, w) or (n_samples, h, w, c), uint8
        """
        self._validate_params()
        return self._load(X, reset=True)

    def transform(self, X):
        """Load the images.

        Parameters
        ----------
        X : image collection
            See :meth:`fit`.

        Returns
        -------
        images : ndarray of shape (n_samples, h, w) or (n_samples, h, w, c), uint8
            Images of the shape seen in :meth:`fit`.
        """
        check_is_fitted(self, "image_shape_")
        return self._load(X, reset=False)

    def set_output(self, *, transform=None):
        """Accept a pipeline's output setting; the images stay an array.

        ``Pipeline.set_output(transform="pandas")`` sets the output of
        every step. A table cannot hold ``(n, h, w[, c])`` images, so
        ImageLoader keeps giving an array and the feature extractors after
        it give the DataFrame (with their feature names).

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None
            Checked, and otherwise without effect here.

        Returns
        -------
        self : ImageLoader
        """
        if transform not in (None, "default", "pandas", "polars"):
            raise ValueError(
                "transform must be 'default', 'pandas', 'polars' or None; got "
                f"{transform!r}."
            )
        return self

    def _load(self, X, reset):
        size = check_size(self.size)
        value_range = check_value_range(self.value_range)
        collection = check_image_collection(X, image_shape=self.image_shape)
        if reset:
            forget_input_features(self)
        if collection.kind == "table":
            collection.data = validate_data(
                self, collection.data, reset=reset, dtype="numeric"
            )
            if collection.image_shape is None:
                collection.image_shape = (1, collection.data.shape[1])

        outside = []  # (index, (min, max)) of images clipped by the rule

        def load(image, index):
            dtype = image.dtype
            try:
                image, found = to_uint8(image, value_range)
            except (ValueError, TypeError) as error:
                raise type(error)(f"X[{index}] {error}") from None
            if found is not None:
                outside.append((index, found, dtype))
            image = _convert(image, self.mode)
            return image if size is None else _resize(image, size)

        images = stack_collection(collection, item_transform=load)
        if outside:
            index, _, dtype = outside[0]
            low = min(found[0] for _, found, _ in outside)
            high = max(found[1] for _, found, _ in outside)
            warn_outside("X", index, (low, high), dtype, len(outside))
        if reset:
            self.image_shape_ = images.shape[1:]
        elif images.shape[1:] != self.image_shape_:
            raise ValueError(
                f"X gives images of shape {images.shape[1:]}, but ImageLoader "
                f"was fitted on images of shape {self.image_shape_}; set "
                "size=(h, w) to give every image one size."
            )
        return images

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.transformer_tags.preserves_dtype = []
        return tags
