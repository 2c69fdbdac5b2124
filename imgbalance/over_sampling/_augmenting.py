"""Over-sampling with augmented copies: planned, then rendered."""

from numbers import Integral

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from joblib import Parallel, delayed, effective_n_jobs
from scipy.sparse import issparse
from sklearn.base import clone
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.validation import assert_all_finite

from .._validation import load_image
from ..augment import default_augmenter
from ..base import ImageSamplerMixin

__all__ = ["AugmentingOverSampler", "plan_augmentation", "render_augmentation"]


def plan_augmentation(y, sampling_strategy, random_state):
    """Decide which image each synthetic sample comes from, and its seed.

    Sources are drawn evenly within each class: a random order of the class
    is used in full before any image is used twice.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        Labels.
    sampling_strategy : dict
        Class -> number of synthetic samples to make (a fitted
        ``sampling_strategy_``).
    random_state : int, RandomState instance or None
        Seed of the plan.

    Returns
    -------
    sources : ndarray of shape (n_synthetic,), int
        Position in ``y`` of each synthetic sample's source, class by class
        in the order of ``sampling_strategy``.
    seeds : ndarray of shape (n_synthetic,), int64
        The seed rendering each synthetic sample.
    """
    random_state = check_random_state(random_state)
    sources, seeds = [np.empty(0, dtype=np.intp)], [np.empty(0, dtype=np.int64)]
    for class_sample, n_new in sampling_strategy.items():
        if n_new <= 0:
            continue
        class_indices = np.flatnonzero(y == class_sample)
        rounds = -(-n_new // len(class_indices))
        order = [random_state.permutation(class_indices) for _ in range(rounds)]
        sources.append(np.concatenate(order)[:n_new])
        seeds.append(
            random_state.randint(0, np.iinfo(np.int64).max, size=n_new, dtype=np.int64)
        )
    return np.concatenate(sources), np.concatenate(seeds)


def _render_chunk(augmenter, get_source, sources, seeds):
    images, records = [], []
    decoded = {}
    for source, seed in zip(sources, seeds):
        image = decoded.get(source)
        if image is None:
            image = decoded[source] = get_source(source)
        out, applied = augmenter.augment(image, np.random.default_rng(seed))
        images.append(out)
        records.append(applied)
    return images, records


class _ArraySource:
    """Images of an array, by position."""

    def __init__(self, images):
        self.images = images

    def __call__(self, index):
        return self.images[index]


class _ItemSource:
    """Decoded items of a sequence (paths, PIL images, arrays), by position."""

    def __init__(self, items):
        self.items = items

    def __call__(self, index):
        return load_image(self.items[index], index=int(index))


def render_augmentation(augmenter, get_source, sources, seeds, *, n_jobs=None):
    """Render planned synthetic samples: the same pixels whatever ``n_jobs``.

    Parameters
    ----------
    augmenter : augmentation
        Applied to each source with a Generator seeded by its seed.
    get_source : callable
        ``get_source(index)`` returns the source image at that position (it
        is sent to the workers: keep it picklable and light).
    sources, seeds : ndarray of shape (n_synthetic,)
        From :func:`plan_augmentation`.
    n_jobs : int or None, default=None
        Parallel jobs through joblib; ``None`` means 1 unless in a
        ``joblib.parallel_config`` context.

    Returns
    -------
    images : list of ndarray
        One augmented image per planned sample, in plan order.
    records : list of list of dict
        What was applied to each.
    """
    n_jobs = effective_n_jobs(n_jobs)
    if n_jobs == 1 or len(sources) < 2:
        return _render_chunk(augmenter, get_source, sources, seeds)
    n_chunks = min(len(sources), 4 * n_jobs)
    bounds = np.linspace(0, len(sources), n_chunks + 1).astype(int)
    results = Parallel(n_jobs=n_jobs)(
        delayed(_render_chunk)(augmenter, get_source, sources[a:b], seeds[a:b])
        for a, b in zip(bounds[:-1], bounds[1:])
    )
    images = [image for chunk, _ in results for image in chunk]
    records = [record for _, chunk in results for record in chunk]
    return images, records


class AugmentingOverSampler(ImageSamplerMixin, BaseOverSampler):
    """Over-sample minority classes with augmented variants of their images.

    Keeps every original image and appends, for each class to grow,
    augmented variants of its images: sources are drawn evenly (every image
    of the class is used once before any is used twice) and each variant is
    rendered from its own seed. Generation is planned (source, seed) first,
    then rendered, so the same ``random_state`` gives the same pixels with
    any ``n_jobs``.

    Parameters
    ----------
    augmenter : augmentation or None, default=None
        An augmentation from :mod:`imgbalance.augment` (usually a
        :class:`~imgbalance.augment.Compose`). Its parameters can be tuned as
        ``augmenter__<name>__<param>``. None uses
        :func:`~imgbalance.augment.default_augmenter`: rotation up to 10
        degrees, shift up to 5 %, zoom 0.95-1.05, brightness and contrast
        within 10 %, no flips.

    sampling_strategy : float, str, dict or callable, default='auto'
        How many images each class should have after resampling, as in
        imbalanced-learn (see
        :class:`~imgbalance.over_sampling.RandomImageOverSampler`).

    random_state : int, RandomState instance or None, default=None
        Seed of the plan, and so of every rendered pixel.

    n_jobs : int or None, default=None
        Parallel jobs rendering the variants, through joblib. ``None``
        means 1 unless in a ``joblib.parallel_config`` context.

    image_shape : tuple (h, w) or (h, w, c), default=None
        For a 2-D ``X`` of flattened images: the shape each row was
        flattened from. Without it, each row is augmented as an image one
        pixel high, which suits tabular data but not images.

    Attributes
    ----------
    sampling_strategy_ : dict
        Maps each class to grow to the number of variants added.

    sample_indices_ : ndarray of shape (n_samples_new,)
        For each output image, the position of its source in ``X``: first
        ``0 .. n_samples - 1`` (the originals), then each variant's source.

    augmentations_ : list of list of dict
        For each synthetic image (in output order), the transforms applied
        and the parameters they drew.

    augmenter_ : augmentation
        The augmentation used (a clone of ``augmenter``, or the default).

    n_features_in_ : int
        Values per image; set for array input only.

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, set when ``X`` is a DataFrame with string column names.

    Notes
    -----
    The output container follows the input: an image array gives an array
    of the same dtype and trailing shape, a 2-D array or DataFrame the same.
    A sequence (list, tuple, Series, 1-D array) of paths, PIL images or
    arrays gives the same kind of sequence (a list for a tuple, an object
    array for a 1-D array) holding the original items unchanged, followed by
    the variants as numpy arrays: paths and PIL images of the minority
    classes are decoded (EXIF orientation applied), never written back.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.augment import Compose, RandomFlip, RandomRotation
    >>> from imgbalance.over_sampling import AugmentingOverSampler
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, (6, 16, 16, 3), dtype=np.uint8)
    >>> y = np.array([0, 0, 0, 0, 1, 1])
    >>> sampler = AugmentingOverSampler(
    ...     augmenter=Compose([RandomRotation(20), RandomFlip()]), random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> X_res.shape, X_res.dtype, np.bincount(y_res).tolist()
    ((8, 16, 16, 3), dtype('uint8'), [4, 4])
    >>> sampler.sample_indices_[6:].tolist()
    [5, 4]
    >>> [record["transform"] for record in sampler.augmentations_[0]]
    ['RandomRotation', 'RandomFlip']
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "augmenter": [HasMethods(["augment"]), None],
        "n_jobs": [Integral, None],
        "image_shape": [tuple, list, None],
    }

    def __init__(
        self,
        *,
        augmenter=None,
        sampling_strategy="auto",
        random_state=None,
        n_jobs=None,
        image_shape=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.augmenter = augmenter
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.image_shape = image_shape

    def _check_X_y(self, X, y, accept_sparse=None):
        collection, y, binarize_y = super()._check_X_y(X, y)
        data = collection.data
        if issparse(data):
            raise TypeError(
                "AugmentingOverSampler needs dense pixel values; got a sparse "
                "matrix. Convert it with X.toarray()."
            )
        if collection.kind == "table":
            data = np.asarray(data)
            if data.dtype.kind not in "biuf":
                try:  # a TypeError (say, a dict in X) keeps numpy's message
                    data = data.astype(np.float64)
                except ValueError:
                    raise ValueError(
                        f"X has dtype {data.dtype}; AugmentingOverSampler needs "
                        "numeric pixel values."
                    ) from None
            collection.data = data
        if collection.kind != "sequence" and data.dtype.kind == "f":
            assert_all_finite(data, input_name="X")
        return collection, y, binarize_y

    def _fit_resample(self, X, y):
        augmenter = self.augmenter
        self.augmenter_ = default_augmenter() if augmenter is None else clone(augmenter)
        self.augmenter_._validate_tree()
        sources, seeds = plan_augmentation(y, self.sampling_strategy_, self.random_state)
        n_samples = len(y)
        self.sample_indices_ = np.concatenate([np.arange(n_samples), sources])

        if X.kind == "sequence":
            get_source = _ItemSource(X.data)
        else:
            images = X.data
            if X.kind == "table":
                shape = X.image_shape or (1, images.shape[1])
                images = images.reshape((len(images),) + shape)
            get_source = _ArraySource(images)
        synthetic, self.augmentations_ = render_augmentation(
            self.augmenter_, get_source, sources, seeds, n_jobs=self.n_jobs
        )

        if X.kind == "sequence":
            out = np.empty(n_samples + len(sources), dtype=object)
            out[:n_samples] = X.data
            for i, image in enumerate(synthetic, start=n_samples):
                out[i] = image
        else:
            out = np.empty((n_samples + len(sources),) + X.data.shape[1:], X.data.dtype)
            out[:n_samples] = X.data
            for i, image in enumerate(synthetic, start=n_samples):
                out[i] = image.reshape(X.data.shape[1:])
        return out, y[self.sample_indices_]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.input_tags.string = False
        tags.input_tags.sparse = False
        return tags

