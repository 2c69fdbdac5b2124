"""What all image samplers share: input checking on the image contract, and
the embedding that samplers working on embeddings fit."""

import numpy as np
from imblearn.utils import check_target_type
from scipy.sparse import issparse
from sklearn.base import clone
from sklearn.utils.validation import assert_all_finite, validate_data

from ._contract._collection import check_image_collection, forget_input_features
from ._contract._labels import check_image_labels, check_label_values

__all__ = ["MAX_COMPONENTS", "ImageSamplerMixin", "PixelSamplerMixin", "make_embedder"]

# the default embedder's components, at most
MAX_COMPONENTS = 50


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


def _refuse_non_finite(collection):
    """Refuse NaN and infinity (the input contract's rule): in an array or a
    table of numbers (two passes, no copy), or in the arrays of a sequence.
    Paths are not opened (random samplers never decode)."""
    data = collection.data
    if collection.kind == "sequence":
        for i, item in enumerate(data):
            if isinstance(item, np.ndarray) and item.dtype.kind == "f":
                if not np.isfinite(item).all():
                    raise ValueError(
                        f"Input X[{i}] contains NaN or infinity; images need "
                        "finite pixel values (replace them, such as with "
                        "numpy.nan_to_num, first)."
                    )
        return
    values = data.data if issparse(data) else np.asarray(data)
    if values.dtype.kind != "f" or values.size == 0:
        return
    if not (np.isfinite(np.min(values)) and np.isfinite(np.max(values))):
        assert_all_finite(values, input_name="X")


class ImageSamplerMixin:
    """Make an imbalanced-learn sampler accept image collections.

    Put it before imbalanced-learn's ``BaseOverSampler`` or
    ``BaseUnderSampler`` in the bases. ``fit_resample`` then accepts every
    form of the image input contract (see :mod:`imgbalance`), and
    ``_fit_resample`` receives an ``ImageCollection`` (``imgbalance._contract``)
    as ``X``. It must return its output container through
    ``ImageCollection.take`` (or an array of the input's trailing shape):
    imbalanced-learn then hands lists back as lists and Series as Series.

    Fitted attributes set here: ``n_features_in_`` (values per image) for
    arrays, and ``feature_names_in_`` for DataFrames with string column
    names.

    Examples
    --------
    A sampler that keeps the first image of each class, for every form of
    the contract:

    >>> import numpy as np
    >>> from imblearn.under_sampling.base import BaseUnderSampler
    >>> from imgbalance.base import ImageSamplerMixin
    >>> class FirstOfEachClass(ImageSamplerMixin, BaseUnderSampler):
    ...     _sampling_type = "clean-sampling"
    ...
    ...     def _fit_resample(self, X, y):
    ...         _, first = np.unique(y, return_index=True)
    ...         self.sample_indices_ = np.sort(first)
    ...         return X.take(self.sample_indices_), y[self.sample_indices_]
    >>> X = np.zeros((5, 4, 4, 3), dtype=np.uint8)
    >>> X_res, y_res = FirstOfEachClass().fit_resample(X, [0, 0, 1, 1, 1])
    >>> X_res.shape, y_res
    ((2, 4, 4, 3), [0, 1])
    >>> items = [np.zeros((2, 2)), np.ones((2, 2)), np.ones((3, 3))]
    >>> X_res, y_res = FirstOfEachClass().fit_resample(items, ["a", "a", "b"])
    >>> type(X_res).__name__, [image.shape for image in X_res], y_res
    ('list', [(2, 2), (3, 3)], ['a', 'b'])
    """

    def fit_resample(self, X, y, **params):
        """Resample the image collection.

        Parameters
        ----------
        X : array-like of shape (n_samples, h, w[, c]) or (n_samples, n_features), \
                or sequence of n_samples paths, PIL images or arrays
            The images: see the input contract in :mod:`imgbalance`. NaN
            and infinity in arrays raise ``ValueError`` (paths are not
            opened).

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
        _refuse_non_finite(collection)
        forget_input_features(self)
        if collection.kind == "table":
            validate_data(
                self, X=collection.data, y=y, reset=True, skip_check_array=True
            )
        elif collection.kind == "images":
            self.n_features_in_ = int(np.prod(collection.image_shape))
        return collection, y, binarize_y

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.input_tags.string = True
        tags.sampler_tags.sample_indices = True
        return tags


class PixelSamplerMixin(ImageSamplerMixin):
    """:class:`ImageSamplerMixin` for samplers that compute on the pixels
    (augmenting, interpolating): dense, numeric, finite values only.

    Examples
    --------
    A sampler that grows each class with brighter copies of its first image:

    >>> import numpy as np
    >>> from imblearn.over_sampling.base import BaseOverSampler
    >>> from imgbalance.base import PixelSamplerMixin
    >>> from imgbalance.utils import stack_images
    >>> class Brighter(PixelSamplerMixin, BaseOverSampler):
    ...     def _fit_resample(self, X, y):
    ...         images = stack_images(X.data)
    ...         add = np.concatenate([
    ...             np.repeat(np.flatnonzero(y == label)[0], n)
    ...             for label, n in self.sampling_strategy_.items()
    ...         ])
    ...         self.sample_indices_ = np.concatenate([np.arange(len(y)), add])
    ...         brighter = np.clip(images[add].astype(int) + 10, 0, 255)
    ...         out = np.concatenate([images, brighter.astype(images.dtype)])
    ...         return out, y[self.sample_indices_]
    >>> X = np.full((4, 2, 2), 100, dtype=np.uint8)
    >>> X_res, y_res = Brighter().fit_resample(X, [0, 0, 0, 1])
    >>> X_res.shape, y_res, X_res[-1, 0, 0]
    ((6, 2, 2), [0, 0, 0, 1, 1, 1], np.uint8(110))
    >>> Brighter().fit_resample(np.full((4, 2, 2), np.nan), [0, 0, 0, 1])
    Traceback (most recent call last):
    ...
    ValueError: Input X contains NaN.
    """

    def _check_X_y(self, X, y, accept_sparse=None):
        collection, y, binarize_y = super()._check_X_y(X, y)
        return _dense_pixels(collection, type(self).__name__), y, binarize_y

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.input_tags.string = False
        tags.input_tags.sparse = False
        return tags


def make_embedder(embedder, n_images, pixels, image_shape, random_state):
    """The unfitted embedder a sampler working on embeddings fits.

    Parameters
    ----------
    embedder : transformer or None
        The sampler's ``embedder`` parameter. None gives
        ``PCA(n_components=min(50, n_images, n_pixels))``; a transformer is
        cloned, and given the images' shape when it has an ``image_shape``
        parameter left at None.
    n_images : int
        The images the embedder will be fitted on.
    pixels : ndarray of shape (n, h, w[, c]) or (n, n_features)
        The images, or a table of flattened images.
    image_shape : tuple or None
        For a table: the shape each row was flattened from.
    random_state : numpy.random.RandomState
        Draws the default PCA's seed.

    Returns
    -------
    embedder : transformer
        Not fitted.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.base import make_embedder
    >>> images = np.zeros((80, 8, 8), dtype=np.uint8)
    >>> make_embedder(None, 80, images, None, np.random.RandomState(0))
    PCA(n_components=50, random_state=209652396)
    """
    if embedder is None:
        from sklearn.decomposition import PCA  # only for the default

        n_components = min(MAX_COMPONENTS, n_images, int(np.prod(pixels.shape[1:])))
        return PCA(
            n_components=n_components,
            random_state=random_state.randint(np.iinfo(np.int32).max),
        )
    embedder = clone(embedder)
    params = embedder.get_params(deep=False)
    shape = image_shape if pixels.ndim == 2 else pixels.shape[1:]
    if "image_shape" in params and params["image_shape"] is None and shape:
        embedder.set_params(image_shape=tuple(shape))
    return embedder
