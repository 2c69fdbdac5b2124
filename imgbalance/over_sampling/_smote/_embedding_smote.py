"""SMOTE in an embedding space, returning images."""

from dataclasses import fields
from numbers import Integral

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler

from ..._contract._stacking import pixels_of
from ...base import PixelSamplerMixin
from ...utils._constraints import HasMethods, Interval, StrOptions
from ...utils._docstrings import fill_docs
from ._cleaning import clean
from ._synthesis import SmoteSettings, plan_synthesis

__all__ = ["EmbeddingSMOTE"]


@fill_docs
class EmbeddingSMOTE(PixelSamplerMixin, BaseOverSampler):
    """SMOTE in an embedding space of the images, returning images.

    SMOTE on raw pixels interpolates between images across thousands of
    dimensions, pairing images that are close pixel by pixel. Here each
    class to grow is embedded (by default with PCA), the neighbour pairs
    are found in the embedding, and the synthetic samples come back as
    images of the input's dtype and shape, so the sampler sits in front of
    any feature extractor in an :class:`imblearn.pipeline.Pipeline`.

    Parameters
    ----------
    embedder : transformer or None, default=None
        A scikit-learn transformer fitted on the images of the classes to
        grow (on every image with ``oversampler`` or ``cleaner``),
        <rows>

    k_neighbors : int, default=5
        Neighbours of each sample, within its class, in the embedding. A
        class with ``k_neighbors`` samples or fewer uses one fewer than it
        has, with a warning, and ``k_neighbors_`` records it, so a grid
        search whose folds leave a class small goes on; a class of one
        image cannot be grown.

    generation : {"decode", "interpolate"}, default="decode"
        ``"decode"``: synthetic embeddings (SMOTE's, or ``oversampler``'s)
        mapped back to pixels with the embedder's ``inverse_transform``.
        ``"interpolate"``: the pixels of source and neighbour blended with
        the gap drawn in the embedding; works with any embedder, and every
        synthetic image lies on the segment between two real ones.

    oversampler : imbalanced-learn over-sampler or None, default=None
        For ``generation="decode"``: the sampler that makes the synthetic
        embeddings (``BorderlineSMOTE``, ``SVMSMOTE``, ``ADASYN``,
        ``KMeansSMOTE``, ``RandomOverSampler``...). Its clone sees the
        embedding of every image (all classes: BorderlineSMOTE's "danger"
        is judged among them), with ``sampling_strategy`` set to the class
        sizes this sampler's ``sampling_strategy_`` asks for and, if its
        ``random_state`` is None, a seed drawn from ``random_state``. Its
        synthetic embeddings are decoded; the rows RandomOverSampler copies
        are the original images. The counts are the over-sampler's own
        (ADASYN, SVMSMOTE and KMeansSMOTE may make a few more or fewer than
        asked). The combinations SMOTEENN and SMOTETomek (which remove
        images) and SMOTEN / SMOTENC (categorical features) are refused.
        None makes the embeddings as :class:`imblearn.over_sampling.SMOTE`
        does (the same draws).

    cleaner : imbalanced-learn cleaner or None, default=None
        Run, as a clone, after growing, on the embeddings of every image and
        of the synthetic ones (the embedder is then fitted on every image):
        the images and synthetic samples it removes are left out, and the
        output follows its order. ``EditedNearestNeighbours(
        sampling_strategy="all")`` makes this imbalanced-learn's SMOTEENN
        on the embedding, ``TomekLinks(sampling_strategy="all")`` its
        SMOTETomek (tested equal). Any cleaner or under-sampler that keeps
        a subset works (``ClusterCentroids``, which makes centroids, is
        refused); a ``random_state`` left at None is drawn from this
        sampler's. Synthetic images are decoded only where kept.

    <over_sampling_strategy>

    <random_state>
        It seeds the pairs and gaps (and the default PCA).

    <sampler_n_jobs>
        They search the neighbours.

    <image_shape>
        It is passed on to an embedder with an ``image_shape`` parameter.

    Attributes
    ----------
    sampling_strategy_ : dict
        Maps each class to grow to the number of images asked for (with
        ``oversampler``, the number it made can differ, with a warning when
        it is below 90 % of that).

    embedder_ : transformer
        The fitted embedder (not fitted when no class needs to grow).

    oversampler_ : imbalanced-learn over-sampler or None
        The fitted clone of ``oversampler``.

    cleaner_ : imbalanced-learn sampler or None
        The fitted clone of ``cleaner``.

    sample_indices_ : ndarray of shape (n_samples_new,)
        For each output image, the position in ``X`` of its source: first
        ``0 .. n_samples - 1`` (the originals), then each synthetic
        image's source (with ``oversampler``, which does not tell its
        pairs: the nearest image of the class in the embedding; the image
        copied, for RandomOverSampler). Rows from ``n_samples`` on are the
        synthetic ones (with ``cleaner``: the kept images, in its order;
        ``synthetic_`` tells which are synthetic).

    synthetic_ : ndarray of shape (n_samples_new,), bool
        Whether each output image is a synthetic one.

    k_neighbors_ : dict
        Each class grown by SMOTE to the neighbours used for it:
        ``k_neighbors``, or fewer for a small class (empty with
        ``oversampler``, or when no class grows).

    neighbor_indices_ : ndarray of shape (n_synthetic,)
        For each synthetic image, in output order, the position in ``X`` of
        the neighbour it was moved towards (-1 with ``oversampler``).

    gaps_ : ndarray of shape (n_synthetic,)
        For each synthetic image, in output order, the fraction of the way
        from source to neighbour, in [0, 1) (NaN with ``oversampler``).

    <input_attributes>

    Notes
    -----
    Output pixels are rounded (integer dtypes) and clipped to the dtype's
    range for integers, to the range of the input values for floats: a
    decoded image can leave the range where the embedding is lossy.
    Without an embedder that fits the images well (PCA with 50 components
    on large photographs is blurry), prefer ``generation="interpolate"``.

    A sequence of paths, PIL images or arrays (all of one shape) gives a
    sequence holding the original items followed by the synthetic images
    as arrays.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.over_sampling import EmbeddingSMOTE
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, (30, 8, 8), dtype=np.uint8)
    >>> y = np.array([0] * 24 + [1] * 6)
    >>> sampler = EmbeddingSMOTE(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> X_res.shape, X_res.dtype, np.bincount(y_res).tolist()
    ((48, 8, 8), dtype('uint8'), [24, 24])
    >>> sampler.embedder_  # fitted on the 6 images of class 1
    PCA(n_components=6, random_state=...)
    >>> sources, neighbors = sampler.sample_indices_[30:], sampler.neighbor_indices_
    >>> bool((y[sources] == 1).all() and (y[neighbors] == 1).all())
    True
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "embedder": [HasMethods(["fit", "transform"]), None],
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "generation": [StrOptions({"decode", "interpolate"})],
        "oversampler": [HasMethods(["fit_resample"]), None],
        "cleaner": [HasMethods(["fit_resample"]), None],
        "n_jobs": [Integral, None],
        "image_shape": [tuple, list, None],
    }

    def __init__(
        self,
        *,
        embedder=None,
        k_neighbors=5,
        generation="decode",
        oversampler=None,
        cleaner=None,
        sampling_strategy="auto",
        random_state=None,
        n_jobs=None,
        image_shape=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.embedder = embedder
        self.k_neighbors = k_neighbors
        self.generation = generation
        self.oversampler = oversampler
        self.cleaner = cleaner
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.image_shape = image_shape

    def _fit_resample(self, X, y):
        pixels = pixels_of(X)  # (n, h, w[, c]) or the table's rows
        settings = SmoteSettings(
            **{field.name: getattr(self, field.name) for field in fields(SmoteSettings)}
        )
        synthesis = plan_synthesis(pixels, y, self.sampling_strategy_, settings)
        self.embedder_ = synthesis.embedder
        self.oversampler_ = synthesis.oversampler
        self.k_neighbors_ = synthesis.k_neighbors
        self.cleaner_ = None
        if self.cleaner is not None:
            return self._grow_and_clean(X, pixels, y, synthesis)
        n_samples = len(pixels)
        self.sample_indices_ = np.concatenate([np.arange(n_samples), synthesis.sources])
        self.neighbor_indices_ = synthesis.neighbors
        self.gaps_ = synthesis.gaps
        self.synthetic_ = np.arange(len(self.sample_indices_)) >= n_samples
        if len(synthesis) == 0:  # nothing to grow
            return (X.data if X.kind == "sequence" else pixels.copy()), y
        out = np.empty((len(self.sample_indices_),) + pixels.shape[1:], pixels.dtype)
        out[:n_samples] = pixels
        synthesis.render(pixels, out[n_samples:])
        if X.kind == "sequence":
            out = self._as_items(X, out)
        return out, np.concatenate([y, y[synthesis.sources]])

    def _grow_and_clean(self, X, pixels, y, synthesis):
        """Run a clone of ``cleaner`` on the real and synthetic embeddings
        (of every image); the output holds what it keeps, in its order,
        synthetic images rendered only where kept."""
        n_samples = len(pixels)
        kept, self.cleaner_ = clean(
            self.cleaner,
            np.concatenate([synthesis.embedding, synthesis.new_embedding]),
            np.concatenate([y, y[synthesis.sources]]),
            self.random_state,
        )
        original = kept < n_samples
        made = kept[~original] - n_samples  # the synthetic images kept
        out = np.empty((len(kept),) + pixels.shape[1:], pixels.dtype)
        out[original] = pixels[kept[original]]
        out[~original] = synthesis.render(pixels, subset=made)
        self.sample_indices_ = kept.copy()
        self.sample_indices_[~original] = synthesis.sources[made]
        self.neighbor_indices_ = synthesis.neighbors[made]
        self.gaps_ = synthesis.gaps[made]
        self.synthetic_ = ~original
        y_out = y[self.sample_indices_]
        if X.kind == "sequence":
            out = self._as_items(X, out)
        return out, y_out

    def _interpolated_rows(self):
        """The synthetic rows SMOTE interpolated (not an oversampler's,
        which tells no pairs): positions, neighbours and gaps."""
        rows = np.flatnonzero(self.synthetic_)
        paired = self.neighbor_indices_ >= 0
        return rows[paired], self.neighbor_indices_[paired], self.gaps_[paired]

    def _as_items(self, X, out):
        """The output as a sequence: the original items as they were given
        (paths stay paths), the synthetic images as arrays."""
        items = np.empty(len(out), dtype=object)
        real = ~self.synthetic_
        items[real] = X.data[self.sample_indices_[real]]
        for i in np.flatnonzero(self.synthetic_):
            items[i] = out[i]
        return items
