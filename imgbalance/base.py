"""What all image samplers share: input checking on the image contract."""

import numpy as np
from imblearn.utils import check_target_type
from scipy.sparse import issparse
from sklearn.utils.validation import assert_all_finite, validate_data

from ._validation import (
    _forget_input_features,
    check_image_collection,
    check_image_labels,
    check_label_values,
)

__all__ = ["ImageSamplerMixin", "PixelSamplerMixin"]


def _dense_pixels(collection, sampler_name):
    """Refuse sparse pixels, make a table's values numeric, refuse
    non-finite values in arrays; for samplers that compute on pixels."""
    data = collection.data
    if issparse(data):
        raise TypeError(
            f"{sampler_name} needs dense pixel values; got a sparse matrix. "
            "Convert it with X.toarray()."
        )
    if collection.kind == "table":
        data = np.asarray(data)
        if data.dtype.kind not in "biuf":
            try:  # a TypeError (say, a dict in X) keeps numpy's message
                data = data.astype(np.float64)
            except ValueError:
                raise ValueError(
                    f"X has dtype {data.dtype}; {sampler_name} needs numeric "
                    "pixel values."
                ) from None
        collection.data = data
    if collection.kind != "sequence" and data.dtype.kind == "f":
        assert_all_finite(data, input_name="X")
    return collection


class ImageSamplerMixin:
    """Make an imbalanced-learn sampler accept image collections.

    Put it before imbalanced-learn's ``BaseOverSampler`` or
    ``BaseUnderSampler`` in the bases. ``fit_resample`` then accepts every
    form of the image input contract (see :mod:`imgbalance`), and
    ``_fit_resample`` receives an :class:`~imgbalance._validation.ImageCollection`
    as ``X``. It must return its output container through
    ``ImageCollection.take`` (or an array of the input's trailing shape):
    imbalanced-learn then hands lists back as lists and Series as Series.

    Fitted attributes set here: ``n_features_in_`` (values per image) for
    arrays, and ``feature_names_in_`` for DataFrames with string column
    names.
    """

    def fit_resample(self, X, y, **params):
        """Resample the image collection.

        Parameters
        ----------
        X : array-like of shape (n_samples, h, w[, c]) or (n_samples, n_features), \
                or sequence of n_samples paths, PIL images or arrays
            The images: see the input contract in :mod:`imgbalance`.

        y : array-like of shape (n_samples,)
            The label of each image.

        **params : dict
            Extra parameters passed to the sampler.

        Returns
        -------
        X_resampled : same container as X, of length n_samples_new
            Arrays keep their dtype and trailing shape; a list in gives a
            list out, a Series a Series, a DataFrame a DataFrame. Random
            samplers never decode paths.

        y_resampled : same container as y, of shape (n_samples_new,)
            The label of each resampled image.
        """
        if isinstance(X, tuple):  # a tuple in gives a list out
            X = list(X)
        check_label_values(y)  # before imbalanced-learn sorts them
        return super().fit_resample(X, y, **params)

    def _check_X_y(self, X, y, accept_sparse=None):
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        collection = check_image_collection(
            X, image_shape=getattr(self, "image_shape", None)
        )
        check_image_labels(collection, y)
        _forget_input_features(self)
        if collection.kind == "table":
            validate_data(
                self, X=collection.data, y=y, reset=True, skip_check_array=True
            )
        elif collection.kind == "images":
            self.n_features_in_ = int(np.prod(collection.image_shape))
        return collection, y, binarize_y

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.sampler_tags.sample_indices = True
        return tags


class PixelSamplerMixin(ImageSamplerMixin):
    """:class:`ImageSamplerMixin` for samplers that compute on the pixels
    (augmenting, interpolating): dense, numeric, finite values only."""

    def _check_X_y(self, X, y, accept_sparse=None):
        collection, y, binarize_y = super()._check_X_y(X, y)
        return _dense_pixels(collection, type(self).__name__), y, binarize_y

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.input_tags.string = False
        tags.input_tags.sparse = False
        return tags
