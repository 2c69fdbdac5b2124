"""SMOTE in an embedding space, returning images."""

from numbers import Integral

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.utils import check_random_state

from .._contract._intensity import scaled_rows, working_type
from .._contract._stacking import pixels_of
from ..base import PixelSamplerMixin, make_embedder
from ..utils._constraints import HasMethods, Interval, StrOptions
from ..utils._docstrings import fill_docs
from ._smote_cleaning import check_cleaner, clean
from ._smote_oversampler import check_oversampler, nearest_of_class, oversample
from ._smote_pixels import make_pixels
from ._smote_plan import check_class_size, plan_smote

__all__ = ["EmbeddingSMOTE"]


def _between(embedding, members, n_samples, pairs):
    """SMOTE's synthetic embeddings: each source's moved towards its
    neighbour by its gap (``embedding`` holds the rows of ``members``)."""
    sources, neighbors, gaps = pairs
    position = np.empty(n_samples, dtype=np.intp)  # row in the embedding
    position[members] = np.arange(len(members))
    z_source = embedding[position[sources]]
    z_neighbor = embedding[position[neighbors]]
    return z_source + gaps[:, None] * (z_neighbor - z_source)


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
        if self.oversampler is not None and self.generation == "interpolate":
            raise ValueError(
                "generation='interpolate' blends the pixels of neighbour pairs, "
                "which an oversampler does not tell; use generation='decode' "
                "with oversampler, or oversampler=None."
            )
        pixels = pixels_of(X)  # (n, h, w[, c]) or the table's rows
        n_samples = len(pixels)
        self.cleaner_ = None
        if self.cleaner is not None:
            return self._grow_and_clean(X, pixels, y)
        out, sources, neighbors, gaps = self._synthesize(
            pixels, y, self.sampling_strategy_, keep_originals=True
        )
        self.sample_indices_ = np.concatenate([np.arange(n_samples), sources])
        self.neighbor_indices_ = neighbors
        self.gaps_ = gaps
        self.synthetic_ = np.arange(len(self.sample_indices_)) >= n_samples
        if len(sources) == 0:  # nothing to grow
            return (X.data if X.kind == "sequence" else out), y
        if X.kind == "sequence":
            out = self._as_items(X, out)
        return out, np.concatenate([y, y[sources]])

    def _synthesize(self, pixels, y, sampling_strategy, keep_originals):
        """SMOTE's images for the classes ``sampling_strategy`` grows (class
        -> number of images to add), from ``pixels`` (n, h, w[, c]) or rows.

        Sets ``embedder_`` and ``oversampler_``. Returns the output array
        (``pixels`` first when ``keep_originals``, then the new images) and,
        for each new image, its source, neighbour and gap. Only the images
        of the classes to grow are read: ``pixels`` may hold only those (the
        folder writer's way, which needs no other class).
        """
        n_samples = len(pixels)
        rows = pixels.reshape(n_samples, -1)
        work = working_type(rows.dtype)
        head = n_samples if keep_originals else 0
        pairs = self._pairs(pixels, rows, y, sampling_strategy)
        if pairs is None:  # nothing to grow
            empty = np.empty(0, dtype=np.intp)
            return pixels[:head].copy(), empty, empty.copy(), np.empty(0)
        sources, neighbors, gaps, embedding, members, new_embedding = pairs
        out = np.empty((head + len(sources),) + pixels.shape[1:], pixels.dtype)
        out[:head] = pixels[:head]
        if self.oversampler is not None and new_embedding is None:
            out[head:] = pixels[sources]  # RandomOverSampler's copies
            return out, sources, neighbors, gaps
        if new_embedding is None and self.generation == "decode":
            new_embedding = _between(embedding, members, n_samples, pairs[:3])
        if new_embedding is not None:
            new_embedding = new_embedding.astype(embedding.dtype, copy=False)
        make_pixels(
            self.embedder_,
            self.generation,
            rows,
            (sources, neighbors, gaps),
            new_embedding,
            work,
            out.reshape(len(out), -1)[head:],
        )
        return out, sources, neighbors, gaps

    def _grow_and_clean(self, X, pixels, y):
        """Grow in the embedding of every image, then run a clone of
        ``cleaner`` on the real and synthetic embeddings; the output holds
        what it keeps, in its order, synthetic images decoded (or blended)
        only where kept."""
        n_samples = len(pixels)
        rows = pixels.reshape(n_samples, -1)
        pairs = self._pairs(pixels, rows, y, self.sampling_strategy_)
        sources, neighbors, gaps, embedding, members, new_embedding = pairs
        copies = self.oversampler is not None and new_embedding is None
        if copies:  # RandomOverSampler's rows: its sources' embeddings
            new_embedding = embedding[sources]
        elif new_embedding is None:
            new_embedding = _between(embedding, members, n_samples, pairs[:3])
        new_embedding = new_embedding.astype(embedding.dtype, copy=False)
        kept, self.cleaner_ = clean(
            self.cleaner,
            np.concatenate([embedding, new_embedding]),
            np.concatenate([y, y[sources]]),
            self.random_state,
        )
        original = kept < n_samples
        made = kept[~original] - n_samples  # the synthetic images kept
        out = np.empty((len(kept),) + pixels.shape[1:], pixels.dtype)
        out[original] = pixels[kept[original]]
        new = np.empty((len(made),) + pixels.shape[1:], pixels.dtype)
        if copies:
            new[...] = pixels[sources[made]]
        elif len(made):
            make_pixels(
                self.embedder_,
                self.generation,
                rows,
                (sources[made], neighbors[made], gaps[made]),
                new_embedding[made] if self.generation == "decode" else None,
                working_type(rows.dtype),
                new.reshape(len(new), -1),
            )
        out[~original] = new
        self.sample_indices_ = kept.copy()
        self.sample_indices_[~original] = sources[made]
        self.neighbor_indices_, self.gaps_ = neighbors[made], gaps[made]
        self.synthetic_ = ~original
        y_out = y[self.sample_indices_]
        if X.kind == "sequence":
            out = self._as_items(X, out)
        return out, y_out

    def _as_items(self, X, out):
        """The output as a sequence: the original items as they were given
        (paths stay paths), the synthetic images as arrays."""
        items = np.empty(len(out), dtype=object)
        real = ~self.synthetic_
        items[real] = X.data[self.sample_indices_[real]]
        for i in np.flatnonzero(self.synthetic_):
            items[i] = out[i]
        return items

    def _pairs(self, pixels, rows, y, sampling_strategy):
        """Fit the embedder on the images it needs and draw the synthetic
        samples: ``(sources, neighbors, gaps, embedding, members,
        new_embedding)`` (``new_embedding``: an oversampler's synthetic
        embeddings, else None), or None when no class grows."""
        random_state = check_random_state(self.random_state)
        grown = [label for label, n_new in sampling_strategy.items() if n_new]
        if self.oversampler is None:  # SMOTE needs only the classes it grows
            members = np.flatnonzero(np.isin(y, grown))
            for label in grown:  # before any work
                check_class_size(label, np.count_nonzero(y == label))
        else:  # an over-sampler looks at every class (BorderlineSMOTE's danger)
            check_oversampler(self.oversampler)
            members = np.arange(len(rows)) if grown else np.empty(0, np.intp)
        if self.cleaner is not None:  # a cleaner judges among every class
            check_cleaner(self.cleaner)
            members = np.arange(len(rows))
        self.embedder_ = make_embedder(
            self.embedder, len(members), pixels, self.image_shape, random_state
        )
        self.oversampler_ = None
        self.k_neighbors_ = {}
        if len(members) == 0:
            return None
        if self.generation == "decode" and not hasattr(
            self.embedder_, "inverse_transform"
        ):
            raise ValueError(
                "generation='decode' maps synthetic embeddings back to pixels "
                "with the embedder's inverse_transform, which "
                f"{type(self.embedder_).__name__} does not have; use "
                "generation='interpolate' (pixels blended between the same "
                "neighbour pairs)."
            )
        embedding = np.asarray(self.embedder_.fit_transform(scaled_rows(rows, members)))
        if not grown:  # only a cleaner to run
            empty = np.empty(0, dtype=np.intp)
            return empty, empty.copy(), np.empty(0), embedding, members, None
        if self.oversampler is None:
            sources, neighbors, gaps, self.k_neighbors_ = plan_smote(
                embedding,
                y[members],
                sampling_strategy,
                self.k_neighbors,
                self.random_state,
                self.n_jobs,
            )
            return (
                members[sources],
                members[neighbors],
                gaps,
                embedding,
                members,
                None,
            )
        new_embedding, new_labels, copied, self.oversampler_ = oversample(
            self.oversampler,
            embedding,
            y[members],
            sampling_strategy,
            self.random_state,
        )
        if copied is None:
            copied = nearest_of_class(
                embedding, y[members], new_embedding, new_labels, self.n_jobs
            )
        else:  # RandomOverSampler: its rows are copies, taken as they are
            new_embedding = None
        sources = members[copied]
        neighbors = np.full(len(sources), -1, dtype=np.intp)
        return (
            sources,
            neighbors,
            np.full(len(sources), np.nan),
            embedding,
            members,
            (new_embedding),
        )
