"""SMOTE in an embedding space, returning images."""

from numbers import Integral

import numpy as np
from imblearn.combine import SMOTEENN, SMOTETomek
from imblearn.over_sampling import SMOTEN, SMOTENC
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.base import clone
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from .._caller import warn
from .._embedding import make_embedder, pixels_of, scaled_rows, working_type
from ..base import PixelSamplerMixin
from ._smote_pixels import make_pixels
from ._smote_plan import check_class_size, plain_label, plan_smote

__all__ = ["EmbeddingSMOTE"]


def _check_oversampler(oversampler):
    """Refuse imbalanced-learn's combinations, which remove images, and its
    over-samplers made for categorical features (an embedding is
    continuous)."""
    if isinstance(oversampler, (SMOTEENN, SMOTETomek)):
        raise ValueError(
            f"oversampler={type(oversampler).__name__}() cleans as it grows, "
            "removing images of X; EmbeddingSMOTE keeps every image and adds "
            "to them. Use oversampler=SMOTE() (or another over-sampler) and "
            "clean the result afterwards."
        )
    if isinstance(oversampler, (SMOTEN, SMOTENC)):
        raise ValueError(
            f"oversampler={type(oversampler).__name__}() is made for categorical "
            "features, and an embedding of images is continuous; use SMOTE, "
            "BorderlineSMOTE, SVMSMOTE, ADASYN, KMeansSMOTE or RandomOverSampler."
        )


def _warn_if_short(oversampler, targets, have, new_labels):
    """Warn when the over-sampler made less than 90 % of what a class was
    asked to grow by (BorderlineSMOTE without points in danger makes none)."""
    labels, made = np.unique(new_labels, return_counts=True)
    made = dict(zip(labels.tolist(), made.tolist()))
    short = []
    for label, target in targets.items():
        asked = target - have[plain_label(label)]
        got = made.get(plain_label(label), 0)
        if got < 0.9 * asked:
            short.append(f"{plain_label(label)!r}: {got} of {asked}")
    if short:
        warn(
            f"oversampler={type(oversampler).__name__}() made fewer images than "
            f"asked ({'; '.join(short)}); this is its own count on the embedding "
            "(BorderlineSMOTE grows only from points in danger, SVMSMOTE from "
            "support vectors). The output is not balanced."
        )


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
        grow (on every image with ``oversampler``), each flattened to a
        row of pixels scaled to [0, 1] (integer images divided by their
        full intensity: 65535 for uint16, 255 for the others; float images
        as they are). One with an ``image_shape``
        parameter left at None (such as
        :class:`~imgbalance.features.HOGFeatures`) is given the images'
        shape. None uses ``PCA(n_components=min(50, n_images, n_pixels))``
        (randomised SVD seeded by ``random_state``).

    k_neighbors : int, default=5
        Neighbours of each sample, within its class, in the embedding. A
        class with ``k_neighbors`` samples or fewer uses one fewer than it
        has, with a warning; a class of one image cannot be grown.

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

    sampling_strategy : float, str, dict or callable, default='auto'
        How many images each class should have after resampling, as in
        imbalanced-learn.

    random_state : int, RandomState instance or None, default=None
        Seed of the pairs and gaps (and of the default PCA).

    n_jobs : int or None, default=None
        Jobs of the neighbour search (joblib), as in scikit-learn.

    image_shape : tuple (h, w) or (h, w, c), default=None
        For a 2-D ``X`` of flattened images: the shape of each image (passed
        on to an embedder with an ``image_shape`` parameter).

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

    sample_indices_ : ndarray of shape (n_samples_new,)
        For each output image, the position in ``X`` of its source: first
        ``0 .. n_samples - 1`` (the originals), then each synthetic
        image's source (with ``oversampler``, which does not tell its
        pairs: the nearest image of the class in the embedding; the image
        copied, for RandomOverSampler). Rows from ``n_samples`` on are the
        synthetic ones.

    neighbor_indices_ : ndarray of shape (n_synthetic,)
        For each synthetic image, the position in ``X`` of the neighbour it
        was moved towards (-1 with ``oversampler``).

    gaps_ : ndarray of shape (n_synthetic,)
        For each synthetic image, the fraction of the way from source to
        neighbour, in [0, 1) (NaN with ``oversampler``).

    n_features_in_ : int
        Values per image; set for array input only.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names, set when ``X`` is a DataFrame with string column names.

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
        out, sources, neighbors, gaps = self._synthesize(
            pixels, y, self.sampling_strategy_, keep_originals=True
        )
        self.sample_indices_ = np.concatenate([np.arange(n_samples), sources])
        self.neighbor_indices_ = neighbors
        self.gaps_ = gaps
        if len(sources) == 0:  # nothing to grow
            return (X.data if X.kind == "sequence" else out), y
        if X.kind == "sequence":
            items = np.empty(len(out), dtype=object)
            items[:n_samples] = X.data
            for i in range(n_samples, len(out)):
                items[i] = out[i]
            out = items
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
        position = np.empty(n_samples, dtype=np.intp)  # row in the embedding
        position[members] = np.arange(len(members))
        if new_embedding is None and self.generation == "decode":
            z_source, z_neighbor = (
                embedding[position[sources]],
                embedding[position[neighbors]],
            )
            new_embedding = z_source + gaps[:, None] * (z_neighbor - z_source)
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
            _check_oversampler(self.oversampler)
            members = np.arange(len(rows)) if grown else np.empty(0, np.intp)
        self.embedder_ = make_embedder(
            self.embedder, len(members), pixels, self.image_shape, random_state
        )
        self.oversampler_ = None
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
        if self.oversampler is None:
            sources, neighbors, gaps = plan_smote(
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
        new_embedding, new_labels, copied = self._oversample(
            embedding, y[members], sampling_strategy
        )
        if copied is None:
            copied = self._nearest(embedding, y[members], new_embedding, new_labels)
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

    def _oversample(self, embedding, y, sampling_strategy):
        """A clone of ``oversampler`` run on the embedding of every image:
        the synthetic embeddings, their labels, and (for a sampler that
        copies rows, such as RandomOverSampler) the positions copied, else
        None."""
        oversampler = clone(self.oversampler)
        labels, counts = np.unique(y, return_counts=True)
        have = dict(zip(labels.tolist(), counts.tolist()))
        # imbalanced-learn's dict for over-sampling is the size to reach
        targets = {
            label: have[plain_label(label)] + int(n_new)
            for label, n_new in sampling_strategy.items()
            if n_new
        }
        params = {"sampling_strategy": targets}
        if oversampler.get_params(deep=False).get("random_state", 0) is None:
            params["random_state"] = check_random_state(self.random_state).randint(
                np.iinfo(np.int32).max
            )
        oversampler.set_params(**params)
        try:
            embedding_res, y_res = oversampler.fit_resample(embedding, y)
        except (ValueError, RuntimeError) as error:
            sizes = ", ".join(f"{plain_label(k)!r}: {v}" for k, v in have.items())
            raise ValueError(
                f"oversampler={type(oversampler).__name__}() could not grow the "
                f"classes in the embedding (class sizes {{{sizes}}}): {error}"
            ) from error
        embedding_res, y_res = np.asarray(embedding_res), np.asarray(y_res)
        n = len(y)
        kept = (
            len(y_res) >= n
            and np.array_equal(y_res[:n], y)
            and np.array_equal(embedding_res[:n], embedding)
        )
        if not kept:
            raise ValueError(
                f"oversampler={type(oversampler).__name__}() removed or moved "
                "images of X (it cleans as it grows); EmbeddingSMOTE keeps "
                "every image and adds to them. Use an over-sampler here (SMOTE, "
                "BorderlineSMOTE...) and clean the result afterwards."
            )
        self.oversampler_ = oversampler
        _warn_if_short(oversampler, targets, have, y_res[n:])
        copied = getattr(oversampler, "sample_indices_", None)
        if copied is not None and getattr(oversampler, "shrinkage", None) is None:
            copied = np.asarray(copied)[n:]  # copies, not a smoothed bootstrap
        else:
            copied = None
        return embedding_res[n:], y_res[n:], copied

    def _nearest(self, embedding, y, new_embedding, new_labels):
        """For each synthetic embedding, the nearest real one of its class."""
        nearest = np.empty(len(new_labels), dtype=np.intp)
        for label in np.unique(new_labels):
            members = np.flatnonzero(y == label)
            chosen = np.flatnonzero(new_labels == label)
            search = NearestNeighbors(n_neighbors=1, n_jobs=self.n_jobs)
            search.fit(embedding[members])
            found = search.kneighbors(new_embedding[chosen], return_distance=False)
            nearest[chosen] = members[found[:, 0]]
        return nearest
