"""What the batched image feature extractors share: input handling."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from .._validation import _check_image_shape, _stack, check_image_collection

__all__ = ["BaseImageFeatures"]


class BaseImageFeatures(TransformerMixin, BaseEstimator):
    """Base class of feature extractors computed on a batch of images.

    ``X`` may be any image collection (see :mod:`imgbalance`). Images are
    stacked into one ``(n, h, w[, c])`` array (decoded, and resized when the
    subclass has a ``size``), then ``_compute(images)`` turns the batch into
    a 2-D float32 array. A 2-D ``X`` is read as images of ``image_shape``;
    without it each row is an image one pixel high, which suits tabular data
    but not images.

    Subclasses define ``_compute`` and ``_feature_names(n_features)``, and may
    define ``_image_shape_param``.
    """

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
        self : object
        """
        self.fit_transform(X)
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
        """Return the features of every image.

        Parameters
        ----------
        X : image collection
            See :meth:`fit`; images must give the fitted number of features.

        Returns
        -------
        features : ndarray of shape (n_samples, n_features_out_), float32
        """
        check_is_fitted(self, "n_features_out_")
        return self._transform(X, reset=False)

    def _images(self, X, reset):
        """``X`` as one ``(n, h, w[, c])`` array."""
        collection = check_image_collection(X, image_shape=self.image_shape)
        if reset:
            for attr in ("n_features_in_", "feature_names_in_"):
                if hasattr(self, attr):
                    delattr(self, attr)
        if collection.kind == "table":
            data = validate_data(self, collection.data, reset=reset, dtype="numeric")
            shape = collection.image_shape or (1, data.shape[1])
            return data.reshape((len(data),) + shape)
        if collection.kind == "images":
            n_values = int(np.prod(collection.image_shape))
            if reset:
                self.n_features_in_ = n_values
            elif hasattr(self, "n_features_in_") and n_values != self.n_features_in_:
                raise ValueError(
                    f"X has {n_values} features per image, but "
                    f"{type(self).__name__} is expecting {self.n_features_in_} "
                    "features as input (images of the shape seen in fit)."
                )
        size = _check_image_shape(getattr(self, "size", None), "size")
        if size is not None and len(size) != 2:
            raise ValueError(f"size must be a tuple (h, w); got {self.size!r}.")
        if size is None:
            return _stack(collection)
        return _stack(collection, item_transform=lambda image: _resize(image, size))

    def _transform(self, X, reset):
        features = self._compute(self._images(X, reset))
        n_out = features.shape[1]
        if reset:
            self.n_features_out_ = n_out
        elif n_out != self.n_features_out_:
            raise ValueError(
                f"X gives {n_out} features per image, but {type(self).__name__} "
                f"was fitted on images giving {self.n_features_out_}; pass "
                "images of the fitted size, or set size=(h, w)."
            )
        return features.astype(np.float32, copy=False)

    def get_feature_names_out(self, input_features=None):
        """Names of the output features.

        Parameters
        ----------
        input_features : None
            Ignored: the names describe the features, not the pixels.

        Returns
        -------
        names : ndarray of str objects
        """
        check_is_fitted(self, "n_features_out_")
        return np.asarray(self._feature_names(self.n_features_out_), dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags


def _resize(image, size):
    """Resize one image to ``size`` = (h, w): bilinear, antialiased when
    shrinking, per channel in float32; the dtype is kept (rounded)."""
    from ._pixels import _resize as resize_float

    out = resize_float(image.astype(np.float32, copy=False), size)
    if image.dtype.kind in "iub":
        info = np.iinfo(image.dtype) if image.dtype.kind != "b" else None
        low, high = (0, 1) if info is None else (info.min, info.max)
        return np.clip(np.rint(out), low, high).astype(image.dtype)
    return out.astype(image.dtype, copy=False)
