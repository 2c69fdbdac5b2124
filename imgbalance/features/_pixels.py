"""Raw pixels as features."""

import numpy as np
from PIL import Image
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.utils.validation import check_is_fitted, validate_data

from .._validation import _check_image_shape, _stack, check_image_collection

__all__ = ["PixelFeatures"]


def _to_float(image, scale):
    """float32 copy of ``image``, integer dtypes divided by their largest value."""
    out = image.astype(np.float32)
    if scale and image.dtype.kind in "iu":
        out /= np.float32(np.iinfo(image.dtype).max)
    return out


def _resize(image, size):
    """Resize a float32 (h, w[, c]) image to ``size`` = (h, w), bilinear."""
    if size is None or image.shape[:2] == tuple(size):
        return image
    height, width = size
    if image.ndim == 2:
        resized = Image.fromarray(image).resize(
            (width, height), Image.Resampling.BILINEAR
        )
        return np.asarray(resized, dtype=np.float32)
    return np.stack(
        [_resize(image[..., c], size) for c in range(image.shape[2])], axis=-1
    )


class PixelFeatures(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Flatten images into rows of float32 pixel values.

    The simplest image features, and the step that turns an image collection
    (array, paths, PIL images) into the 2-D matrix a scikit-learn classifier
    expects.

    Parameters
    ----------
    size : tuple (h, w) or None, default=None
        Resize every image to this size (bilinear, antialiased when
        shrinking) before flattening. Required when the images do not all
        have one size. None keeps the size.

    scale : bool, default=True
        Divide integer pixel values by the largest value of their dtype
        (255 for uint8, 65535 for uint16), so features lie in [0, 1]. Float
        images are kept as they are.

    image_shape : tuple (h, w) or (h, w, c), default=None
        For a 2-D ``X`` of flattened images: the shape each row was
        flattened from. Only needed together with ``size``.

    Attributes
    ----------
    n_features_in_ : int
        Values per input image (or columns of a 2-D ``X``); set for array
        input only.

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, set when ``X`` is a DataFrame with string column names.

    n_features_out_ : int
        Number of output features, ``h * w * c`` after resizing.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.features import PixelFeatures
    >>> X = np.full((2, 4, 4, 3), 255, dtype=np.uint8)
    >>> Xt = PixelFeatures().fit_transform(X)
    >>> Xt.shape, Xt.dtype, float(Xt.max())
    ((2, 48), dtype('float32'), 1.0)
    >>> PixelFeatures(size=(2, 2)).fit_transform(X).shape
    (2, 12)
    """

    _parameter_constraints: dict = {
        "size": [tuple, list, None],
        "scale": ["boolean"],
        "image_shape": [tuple, list, None],
    }

    def __init__(self, *, size=None, scale=True, image_shape=None):
        self.size = size
        self.scale = scale
        self.image_shape = image_shape

    def fit(self, X, y=None):
        """Check the images and record the number of output features.

        Parameters
        ----------
        X : image collection
            Array ``(n, h, w[, c])``, 2-D array ``(n, features)``, or a
            sequence of paths, PIL images or arrays.

        y : None
            Ignored.

        Returns
        -------
        self : PixelFeatures
        """
        self._validate_params()
        self._transform(X, reset=True)
        return self

    def fit_transform(self, X, y=None):
        """Fit to ``X`` and return its features (decodes paths once).

        Parameters
        ----------
        X : image collection
            See :meth:`fit`.

        y : None
            Ignored.

        Returns
        -------
        features : ndarray of shape (n_samples, n_features_out_), float32
        """
        self._validate_params()
        return self._transform(X, reset=True)

    def transform(self, X):
        """Return the pixels of every image as one float32 row.

        Parameters
        ----------
        X : image collection
            See :meth:`fit`. Must give as many features per image as in
            ``fit``.

        Returns
        -------
        features : ndarray of shape (n_samples, n_features_out_), float32
        """
        check_is_fitted(self, "n_features_out_")
        return self._transform(X, reset=False)

    def _transform(self, X, reset):
        size = _check_image_shape(self.size, "size")
        if size is not None and len(size) != 2:
            raise ValueError(f"size must be a tuple (h, w); got {self.size!r}.")
        collection = check_image_collection(X, image_shape=self.image_shape)
        if reset:
            for attr in ("n_features_in_", "feature_names_in_"):
                if hasattr(self, attr):
                    delattr(self, attr)
        if collection.kind == "table" and size is None:
            data = validate_data(self, collection.data, reset=reset, dtype="numeric")
            features = _to_float(data, self.scale)
        else:
            if collection.image_shape is not None:
                self._check_values_per_image(collection.image_shape, reset)
            if size is None and collection.kind != "sequence":
                images = _stack(collection)
                features = _to_float(images.reshape(len(images), -1), self.scale)
            else:
                images = _stack(
                    collection,
                    item_transform=lambda image: _resize(
                        _to_float(image, self.scale), size
                    ),
                )
                features = images.reshape(len(images), -1)
        n_out = features.shape[1]
        if reset:
            self.n_features_out_ = n_out
        elif n_out != self.n_features_out_:
            raise ValueError(
                f"X gives {n_out} pixel features per image, but PixelFeatures "
                f"was fitted on images giving {self.n_features_out_}; pass "
                "images of the fitted shape or set size=(h, w)."
            )
        return features

    def _check_values_per_image(self, image_shape, reset):
        n_values = int(np.prod(image_shape))
        if reset:
            self.n_features_in_ = n_values
        elif hasattr(self, "n_features_in_") and n_values != self.n_features_in_:
            raise ValueError(
                f"X has {n_values} features per image, but PixelFeatures is "
                f"expecting {self.n_features_in_} features as input (images of "
                "the shape seen in fit)."
            )

    @property
    def _n_features_out(self):
        return self.n_features_out_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags
