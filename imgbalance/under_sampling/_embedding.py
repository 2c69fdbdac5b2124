"""imbalanced-learn's under-samplers and cleaners run on an embedding of the
images, keeping real images."""

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.under_sampling import ClusterCentroids
from imblearn.under_sampling.base import BaseUnderSampler
from sklearn.base import clone
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state

from .._contract._out_of_core import embed_rows
from .._contract._output import take_resampled
from .._contract._stacking import pixels_of
from ..base import PixelSamplerMixin, make_embedder
from ..utils._constraints import HasMethods
from ..utils._docstrings import fill_docs

__all__ = ["EmbeddingUnderSampler"]


def _check_sampler(sampler):
    """Refuse what is not an under-sampler or a cleaner of
    imbalanced-learn's kind: over-samplers and combinations add images."""
    if isinstance(sampler, BaseOverSampler) or getattr(
        sampler, "_sampling_type", None
    ) not in ("under-sampling", "clean-sampling"):
        raise ValueError(
            f"sampler={type(sampler).__name__}() is not an under-sampler or a "
            "cleaner (it adds images, or is not an imbalanced-learn sampler); "
            "use one of imblearn.under_sampling (ClusterCentroids, NearMiss, "
            "TomekLinks, EditedNearestNeighbours...). To grow and then clean, "
            "use EmbeddingSMOTE followed by this sampler."
        )


def _nearest_images(sampler, embedding, y, embedding_res, y_res):
    """For each output row of a sampler that makes new rows
    (ClusterCentroids), the position of the nearest image of its class;
    the classes it leaves alone keep their images, in order."""
    indices = np.empty(len(y_res), dtype=np.intp)
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        out = y_res == label
        if label not in sampler.sampling_strategy_:
            indices[out] = members
            continue
        # in float64: float32 distances can swap two images at close range
        search = NearestNeighbors(n_neighbors=1)
        search.fit(embedding[members].astype(np.float64))
        found = search.kneighbors(
            embedding_res[out].astype(np.float64), return_distance=False
        )
        indices[out] = members[found[:, 0]]
    return indices


@fill_docs
class EmbeddingUnderSampler(PixelSamplerMixin, BaseUnderSampler):
    """Any imbalanced-learn under-sampler or cleaner, run on an embedding of
    the images, keeping real images.

    imbalanced-learn's under-samplers and cleaners refuse image arrays, and
    on flattened pixels they measure the wrong distance. Here the images
    are embedded (PCA by default, or any transformer such as
    :class:`~imgbalance.features.HOGFeatures`), ``sampler`` runs on the
    embedding, and the images it keeps come back as they were given: an
    array's rows, a list's items (paths stay paths, decoded only to be
    embedded). :class:`~imblearn.under_sampling.ClusterCentroids`, which
    makes centroids, gives the image nearest to each centroid within its
    class (with ``voting="hard"``, the very images it picks), never averages.

    Parameters
    ----------
    sampler : imbalanced-learn under-sampler or cleaner, default=None
        Run, as a clone, on the embedding of every image:
        ``ClusterCentroids``, ``NearMiss``, ``RandomUnderSampler``,
        ``InstanceHardnessThreshold``, ``TomekLinks``,
        ``EditedNearestNeighbours``, ``RepeatedEditedNearestNeighbours``,
        ``AllKNN``, ``CondensedNearestNeighbour``, ``OneSidedSelection``,
        ``NeighbourhoodCleaningRule``. Its clone is given this sampler's
        ``sampling_strategy`` and, where its own ``random_state`` is None, a
        seed drawn from this sampler's. None
        uses ``ClusterCentroids(voting="hard")``: each class shrunk to the
        smallest one's size, keeping the images nearest to k-means centres
        of the class (a spread of its variety). Over-samplers and the
        combinations (SMOTEENN, SMOTETomek) are refused: grow with
        :class:`~imgbalance.over_sampling.EmbeddingSMOTE`, then clean with
        this sampler.

    sampling_strategy : float, str, dict, list or callable, default='auto'
        What ``sampler`` keeps, as in imbalanced-learn, read the way
        ``sampler`` reads it: for an under-sampler, how many images each
        class keeps (``'auto'``: every class but the smallest shrunk to its
        size); for a cleaner, which classes it may clean (``'auto'``: every
        class but the smallest; a list of classes).

    embedder : transformer or None, default=None
        A scikit-learn transformer fitted on every image,
        <rows>
        Images given as a sequence must share a size: they are stacked to
        be embedded.

    <random_state>
        It seeds the default PCA, and ``sampler``'s draws where its own
        ``random_state`` is None.

    <image_shape>
        It is passed on to an embedder with an ``image_shape`` parameter.

    Attributes
    ----------
    sampling_strategy_ : dict
        For an under-sampler, each class to shrink and the number of images
        it keeps; for a cleaner, the classes it may clean (and their sizes).

    sample_indices_ : ndarray of shape (n_samples_new,)
        For each output image, its position in ``X``.

    embedder_ : transformer
        The fitted embedder.

    sampler_ : imbalanced-learn sampler
        The fitted clone of ``sampler``.

    <input_attributes>

    See Also
    --------
    imgbalance.over_sampling.EmbeddingSMOTE : SMOTE in an embedding.
    RandomImageUnderSampler : Random under-sampling, no embedding needed.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn.under_sampling import ClusterCentroids
    >>> from imgbalance.under_sampling import EmbeddingUnderSampler
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, (30, 8, 8), dtype=np.uint8)
    >>> y = np.array([0] * 24 + [1] * 6)
    >>> sampler = EmbeddingUnderSampler(ClusterCentroids(random_state=0))
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> X_res.shape, np.bincount(y_res).tolist()
    ((12, 8, 8), [6, 6])
    >>> bool((X_res == X[sampler.sample_indices_]).all())  # real images
    True
    """

    _parameter_constraints: dict = {
        **BaseUnderSampler._parameter_constraints,
        # a cleaner's list of classes too
        "sampling_strategy": [
            *BaseUnderSampler._parameter_constraints["sampling_strategy"],
            list,
        ],
        "sampler": [HasMethods(["fit_resample"]), None],
        "embedder": [HasMethods(["fit_transform"]), None],
        "random_state": ["random_state"],
        "image_shape": [tuple, None],
    }

    def __init__(
        self,
        sampler=None,
        *,
        sampling_strategy="auto",
        embedder=None,
        random_state=None,
        image_shape=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.sampler = sampler
        self.embedder = embedder
        self.random_state = random_state
        self.image_shape = image_shape

    def _inner(self):
        if self.sampler is None:
            return ClusterCentroids(voting="hard")
        return self.sampler

    @property
    def _sampling_type(self):
        sampler = self._inner()
        _check_sampler(sampler)
        return sampler._sampling_type

    def _fit_resample(self, X, y):
        random_state = check_random_state(self.random_state)
        sampler = clone(self._inner())
        # what to keep (an under-sampler: sizes) or clean (a cleaner: classes)
        if self._sampling_type == "under-sampling":
            params = {"sampling_strategy": dict(self.sampling_strategy_)}
        else:
            params = {"sampling_strategy": list(self.sampling_strategy_)}
        if sampler.get_params(deep=False).get("random_state", 0) is None:
            params["random_state"] = random_state.randint(np.iinfo(np.int32).max)
        sampler.set_params(**params)
        pixels = pixels_of(X)
        rows = pixels.reshape(len(pixels), -1)
        self.embedder_ = make_embedder(
            self.embedder, len(rows), pixels, self.image_shape, random_state
        )
        embedding = embed_rows(self.embedder_, rows)
        embedding_res, y_res = sampler.fit_resample(embedding, y)
        self.sampler_ = sampler
        indices = getattr(sampler, "sample_indices_", None)
        if indices is None:  # ClusterCentroids: centroids, not rows
            indices = _nearest_images(
                sampler, embedding, y, np.asarray(embedding_res), np.asarray(y_res)
            )
        self.sample_indices_ = np.asarray(indices, dtype=np.intp)
        return take_resampled(X, self.sample_indices_), y[self.sample_indices_]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.sampler_tags.sample_indices = True
        return tags
