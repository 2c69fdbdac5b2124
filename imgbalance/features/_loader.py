"""Load any image collection into one uint8 image array."""

import numpy as np
from PIL import Image
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from .._validation import (
    _check_size,
    _forget_input_features,
    _stack,
    check_image_collection,
)

__all__ = ["ImageLoader"]


def _to_uint8(image):
    """uint8 copy: floats taken in [0, 1], other integers scaled from their
    dtype's largest value (65535 -> 255), rounded and clipped."""
    if image.dtype == np.uint8:
        return image
    if image.dtype.kind in "fb":
        values = image * 255.0
    else:
        values = image * (255.0 / np.iinfo(image.dtype).max)
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)


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
    image_shape : (int, int) or (int, int, int), default=None
        For a 2-D ``X`` of flattened images: the shape of each image.
        Without it each row is an image one pixel high.

    Attributes
    ----------
    image_shape_ : tuple of int
        Shape of each output image.
    n_features_in_ : int
        Columns of a 2-D ``X``; set for 2-D input only.

    Notes
    -----
    uint8 images are kept as they are; float images are taken in [0, 1] and
    other integer images are scaled from their dtype's largest value, then
    rounded. The output is images, not features: put a feature extractor
    after it.

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
    }

    def __init__(self, *, size=None, mode="keep", image_shape=None):
        self.size = size
        self.mode = mode
        self.image_shape = image_shape

    def fit(self, X, y=None):
        """Check that the images load to one shape; record it.

        Parameters
        ----------
        X : image collection
            Array ``(n, h, w[, c])``, 2-D array ``(n, features)``, or a
            sequence of paths, PIL images or arrays.
        y : None
            Ignored.

        Returns
        -------
        self : ImageLoader
        """
        self.fit_transform(X)
        return self

    def fit_transform(self, X, y=None):
        """Fit to ``X`` and return its images (decodes paths once).

        Parameters
        ----------
        X : image collection
            See :meth:`fit`.
        y : None
            Ignored.

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

    def _load(self, X, reset):
        size = _check_size(self.size)
        collection = check_image_collection(X, image_shape=self.image_shape)
        if reset:
            _forget_input_features(self)
        if collection.kind == "table":
            collection.data = validate_data(
                self, collection.data, reset=reset, dtype="numeric"
            )
            if collection.image_shape is None:
                collection.image_shape = (1, collection.data.shape[1])

        def load(image):
            image = _convert(_to_uint8(image), self.mode)
            return image if size is None else _resize(image, size)

        images = _stack(collection, item_transform=load)
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
