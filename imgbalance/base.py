"""What all image samplers share: input checking on the image contract, and
the embedding that samplers working on embeddings fit."""

from numbers import Real

import numpy as np
from imblearn.utils import check_target_type
from scipy.sparse import issparse
from sklearn.base import clone
from sklearn.utils.validation import assert_all_finite, check_is_fitted, validate_data

from ._contract._collection import check_image_collection, forget_input_features
from ._contract._labels import check_image_labels, check_label_values

__all__ = [
    "MAX_COMPONENTS",
    "ImageSamplerMixin",
    "PixelSamplerMixin",
    "check_sample_weight",
    "make_embedder",
    "n_rows",
    "take_rows",
]

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


def n_rows(values):
    """The number of rows (images, labels, weights) of a container: its
    first dimension, or its length.

    Parameters
    ----------
    values : array-like, list or pandas object

    Returns
    -------
    n : int

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.base import n_rows
    >>> n_rows(np.zeros((5, 8, 8))), n_rows(["a.png", "b.png"])
    (5, 2)
    """
    shape = getattr(values, "shape", None)
    if shape is not None and len(shape) > 0:
        return int(shape[0])
    return len(values)


def take_rows(values, indices):
    """The rows of ``values`` at ``indices``, in the container it came in:
    a list (or tuple) gives a list, a pandas object its ``iloc`` rows, an
    array (or anything numpy reads) an array.

    Parameters
    ----------
    values : array-like, list or pandas object
    indices : array-like of int

    Returns
    -------
    rows : same container as values

    Examples
    --------
    >>> from imgbalance.base import take_rows
    >>> take_rows(["a", "b", "c"], [2, 2, 0])
    ['c', 'c', 'a']
    """
    indices = np.asarray(indices, dtype=np.intp)
    if hasattr(values, "iloc"):
        return values.iloc[indices]
    if isinstance(values, (list, tuple)):
        return [values[i] for i in indices]
    return np.take(np.asarray(values), indices, axis=0)


def check_sample_weight(sample_weight, n_samples, *, input_name="sample_weight"):
    """``sample_weight`` as a float64 array of ``n_samples`` finite values
    (a number gives that weight to every row).

    Parameters
    ----------
    sample_weight : array-like of shape (n_samples,) or float
    n_samples : int
    input_name : str, default="sample_weight"
        Its name in messages.

    Returns
    -------
    sample_weight : ndarray of shape (n_samples,), float64

    Examples
    --------
    >>> from imgbalance.base import check_sample_weight
    >>> check_sample_weight([1, 2, 3], 3)
    array([1., 2., 3.])
    >>> check_sample_weight(0.5, 2)
    array([0.5, 0.5])
    >>> check_sample_weight([1, 2], 3)
    Traceback (most recent call last):
    ...
    ValueError: sample_weight has 2 values but X has 3 rows; give one weight per row.
    """
    if isinstance(sample_weight, Real) and not isinstance(sample_weight, bool):
        return np.full(n_samples, float(sample_weight))
    if hasattr(sample_weight, "detach"):  # a tensor
        sample_weight = sample_weight.detach().cpu().numpy()
    try:
        weights = np.asarray(sample_weight, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{input_name} must hold numbers, one per row of X; got "
            f"{type(sample_weight).__name__}."
        ) from None
    if weights.ndim != 1:
        raise ValueError(
            f"{input_name} must be 1-D, one weight per row of X; got shape "
            f"{weights.shape}."
        )
    if len(weights) != n_samples:
        raise ValueError(
            f"{input_name} has {len(weights)} values but X has {n_samples} rows; "
            "give one weight per row."
        )
    assert_all_finite(weights, input_name=input_name)
    return weights


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

    # the weights travel with the rows whether or not a sampler is given
    # them (imgbalance.pipeline.Pipeline carries them itself): not requested
    # by default, so that metadata routing needs no request set on samplers
    __metadata_request__fit_resample = {"sample_weight": False}

    def fit_resample(self, X, y, *, sample_weight=None, **params):
        """Resample the image collection (and its sample weights).

        Parameters
        ----------
        X : array-like of shape (n_samples, h, w[, c]) or (n_samples, n_features), \
                or sequence of n_samples paths, PIL images or arrays
            The images: see the input contract in :mod:`imgbalance`. NaN
            and infinity in arrays raise ``ValueError`` (paths are not
            opened).

        y : array-like of shape (n_samples,)
            The label of each image.

        sample_weight : array-like of shape (n_samples,) or float, default=None
            A weight per image, resampled with the images by the rule of
            :meth:`resample_sample_weight`; it does not change which
            images are kept or made.

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

        sample_weight_resampled : ndarray of shape (n_samples_new,), float64
            Returned only when ``sample_weight`` is given.
        """
        if isinstance(X, tuple):  # a tuple in gives a list out
            X = list(X)
        check_label_values(y)  # before imbalanced-learn sorts them
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, n_rows(X))
        resampled = super().fit_resample(X, y, **params)
        if sample_weight is None:
            return resampled
        return (*resampled, self.resample_sample_weight(sample_weight))

    def resample_sample_weight(self, sample_weight):
        """The weights of the last ``fit_resample``'s output rows.

        The rule: an image kept, copied or augmented has the weight of its
        source (``sample_indices_``); an image SMOTE interpolates from a
        source ``s`` towards a neighbour ``t`` by the gap ``g`` has the
        weight ``w[s] + g * (w[t] - w[s])``, interpolated by the same gap
        as its pixels (:class:`~imgbalance.over_sampling.EmbeddingSMOTE`,
        ``neighbor_indices_`` and ``gaps_``; with an ``oversampler``, which
        tells no pairs, its source's). The weights do not change which
        images are kept or made.

        Parameters
        ----------
        sample_weight : array-like of shape (n_samples,) or float
            The weights of the rows given to ``fit_resample``.

        Returns
        -------
        sample_weight_resampled : ndarray of shape (n_samples_new,), float64

        Examples
        --------
        >>> import numpy as np
        >>> from imgbalance.over_sampling import RandomImageOverSampler
        >>> X = np.zeros((3, 4, 4), dtype=np.uint8)
        >>> sampler = RandomImageOverSampler(random_state=0)
        >>> X_res, y_res, w_res = sampler.fit_resample(
        ...     X, [0, 0, 1], sample_weight=[1.0, 2.0, 5.0])
        >>> sampler.sample_indices_.tolist(), w_res.tolist()
        ([0, 1, 2, 2], [1.0, 2.0, 5.0, 5.0])
        >>> sampler.resample_sample_weight([1.0, 1.0, 3.0]).tolist()
        [1.0, 1.0, 3.0, 3.0]
        """
        check_is_fitted(self, "sample_indices_")
        weights = check_sample_weight(sample_weight, self._n_rows_in)
        out = weights[self.sample_indices_]
        rows, neighbors, gaps = self._interpolated_rows()
        if len(rows):
            sources = self.sample_indices_[rows]
            out[rows] = weights[sources] + gaps * (
                weights[neighbors] - weights[sources]
            )
        return out

    def resample_rows(self, values):
        """Any per-row values (groups, ids, paths...) for the last
        ``fit_resample``'s output rows: each row gets its source's.

        Parameters
        ----------
        values : array-like, list or pandas object of n_samples rows
            One row per image given to ``fit_resample``.

        Returns
        -------
        values_resampled : same container as values, n_samples_new rows
            ``values[sample_indices_]``: a synthetic image takes its
            source's value (no interpolation, unlike
            :meth:`resample_sample_weight`).

        Examples
        --------
        >>> import numpy as np
        >>> from imgbalance.under_sampling import RandomImageUnderSampler
        >>> X = np.zeros((4, 4, 4), dtype=np.uint8)
        >>> sampler = RandomImageUnderSampler(random_state=0)
        >>> _ = sampler.fit_resample(X, [0, 0, 0, 1])
        >>> sampler.resample_rows(["a", "b", "c", "d"])
        ['c', 'd']
        """
        check_is_fitted(self, "sample_indices_")
        if n_rows(values) != self._n_rows_in:
            raise ValueError(
                f"values has {n_rows(values)} rows but the images given to "
                f"fit_resample were {self._n_rows_in}; give one value per image."
            )
        return take_rows(values, self.sample_indices_)

    def _interpolated_rows(self):
        """Output rows interpolated between two inputs: their positions,
        the neighbours (positions in ``X``) and the gaps. None here."""
        empty = np.empty(0, dtype=np.intp)
        return empty, empty, np.empty(0)

    def _check_X_y(self, X, y, accept_sparse=None):
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        collection = check_image_collection(
            X, image_shape=getattr(self, "image_shape", None)
        )
        check_image_labels(collection, y)
        _refuse_non_finite(collection)
        forget_input_features(self)
        self._n_rows_in = len(collection)
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
