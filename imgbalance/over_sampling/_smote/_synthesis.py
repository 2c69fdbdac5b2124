"""SMOTE in an embedding, planned then rendered: the one path that
``EmbeddingSMOTE`` and the folder writer share.

:func:`plan_synthesis` fits the embedder on the images it needs and draws
every synthetic image (its source, the neighbour it moves towards, the gap,
or an over-sampler's synthetic embedding); :meth:`Synthesis.render` then
makes the pixels, into an array the caller gives or a new one.
"""

from dataclasses import dataclass

import numpy as np
from sklearn.utils import check_random_state

from ..._contract._intensity import working_type
from ..._contract._out_of_core import embed_rows, take_rows_from
from ...base import make_embedder
from ._cleaning import check_cleaner
from ._oversampler import check_oversampler, nearest_of_class, oversample
from ._pixels import make_pixels
from ._plan import check_class_size, plan_smote

__all__ = ["SmoteSettings", "Synthesis", "plan_synthesis"]


@dataclass(frozen=True)
class SmoteSettings:
    """What decides SMOTE's images: the parameters of
    :class:`~imgbalance.over_sampling.EmbeddingSMOTE` of the same names
    (the defaults are its defaults)."""

    embedder: object = None
    k_neighbors: int = 5
    generation: str = "decode"
    oversampler: object = None
    cleaner: object = None
    random_state: object = None
    n_jobs: int = None
    image_shape: tuple = None


@dataclass(frozen=True)
class Synthesis:
    """SMOTE's synthetic images, drawn, before any pixel.

    Positions are rows of the ``pixels`` given to :func:`plan_synthesis`.
    ``sources``, ``neighbors`` (-1 with an over-sampler) and ``gaps`` (NaN
    with an over-sampler) describe each new image; ``embedding`` holds the
    embedded rows ``members``; ``new_embedding`` the new images' embeddings
    where they are needed (to decode them, or for a cleaner), else None;
    ``copies`` says the new images are copies of their sources (an
    over-sampler such as RandomOverSampler). ``embedder``, ``oversampler``
    and ``k_neighbors`` are what was fitted and used.
    """

    sources: np.ndarray
    neighbors: np.ndarray
    gaps: np.ndarray
    embedding: np.ndarray
    members: np.ndarray
    new_embedding: np.ndarray
    copies: bool
    embedder: object
    oversampler: object
    k_neighbors: dict
    generation: str

    def __len__(self):
        return len(self.sources)

    def render(self, pixels, out=None, subset=None, bounds=None):
        """The pixels of the new images (those at ``subset``, or all).

        Parameters
        ----------
        pixels : ndarray of shape (n, h, w[, c]) or (n, n_features)
            What :func:`plan_synthesis` was given.
        out : ndarray or None, default=None
            Where to write them (one image a row, ``pixels``'s dtype and
            trailing shape, C-contiguous); None makes it.
        subset : array of int or None, default=None
            Positions among the new images.
        bounds : (low, high) or None, default=None
            :func:`~._pixels.pixel_range` of ``pixels``' rows, if known
            (rendered in parts: read once).

        Returns
        -------
        out : ndarray
        """
        chosen = slice(None) if subset is None else np.asarray(subset, np.intp)
        sources = self.sources[chosen]
        if out is None:
            out = np.empty((len(sources),) + pixels.shape[1:], pixels.dtype)
        if self.copies:
            take_rows_from(pixels, sources, out=out)
            return out
        if len(sources) == 0:
            return out
        rows = pixels.reshape(len(pixels), -1)
        decoded = self.generation == "decode"
        make_pixels(
            self.embedder,
            self.generation,
            rows,
            (sources, self.neighbors[chosen], self.gaps[chosen]),
            self.new_embedding[chosen] if decoded else None,
            working_type(rows.dtype),
            out.reshape(len(out), -1),
            bounds,
        )
        return out


def _members(y, grown, settings):
    """The rows the embedder is fitted on, refusing what cannot work before
    any: SMOTE reads only the classes it grows; an over-sampler or a
    cleaner judges among every class."""
    if settings.oversampler is not None and settings.generation == "interpolate":
        raise ValueError(
            "generation='interpolate' blends the pixels of neighbour pairs, "
            "which an oversampler does not tell; use generation='decode' "
            "with oversampler, or oversampler=None."
        )
    if settings.oversampler is None:
        members = np.flatnonzero(np.isin(y, grown))
        for label in grown:
            check_class_size(label, np.count_nonzero(y == label))
    else:  # BorderlineSMOTE's danger is judged among every class
        check_oversampler(settings.oversampler)
        members = np.arange(len(y)) if grown else np.empty(0, np.intp)
    if settings.cleaner is not None:
        check_cleaner(settings.cleaner)
        members = np.arange(len(y))
    return members


@dataclass(frozen=True)
class _Embedded:
    """The rows ``members`` of the images, embedded by the fitted
    ``embedder`` as ``embedding``."""

    embedding: np.ndarray
    members: np.ndarray
    embedder: object

    def between(self, n_samples, sources, neighbors, gaps):
        """SMOTE's synthetic embeddings: each source's (a position among
        ``n_samples``) moved towards its neighbour by its gap."""
        position = np.empty(n_samples, dtype=np.intp)  # row in the embedding
        position[self.members] = np.arange(len(self.members))
        z_source = self.embedding[position[sources]]
        z_neighbor = self.embedding[position[neighbors]]
        return z_source + gaps[:, None] * (z_neighbor - z_source)


def plan_synthesis(pixels, y, to_add, settings):
    """Fit the embedder and draw SMOTE's synthetic images.

    Parameters
    ----------
    pixels : ndarray of shape (n, h, w[, c]) or (n, n_features)
        The images (or a table of flattened images). Only the rows of the
        classes to grow are read unless an over-sampler or a cleaner needs
        every class: ``pixels`` may hold only those classes.
    y : ndarray of shape (n,)
        Their labels.
    to_add : dict
        Class -> number of images to add (a fitted ``sampling_strategy_``).
    settings : SmoteSettings

    Returns
    -------
    synthesis : Synthesis
    """
    n_samples = len(pixels)
    grown = [label for label, n_new in to_add.items() if n_new]
    members = _members(y, grown, settings)
    embedder = make_embedder(
        settings.embedder,
        len(members),
        pixels,
        settings.image_shape,
        check_random_state(settings.random_state),
    )
    empty = np.empty(0, dtype=np.intp)
    nothing = dict(oversampler=None, k_neighbors={}, generation=settings.generation)
    if len(members) == 0:
        return Synthesis(
            empty, empty, np.empty(0), None, members, None, False, embedder, **nothing
        )
    if settings.generation == "decode" and not hasattr(embedder, "inverse_transform"):
        raise ValueError(
            "generation='decode' maps synthetic embeddings back to pixels "
            "with the embedder's inverse_transform, which "
            f"{type(embedder).__name__} does not have; use "
            "generation='interpolate' (pixels blended between the same "
            "neighbour pairs)."
        )
    rows = pixels.reshape(n_samples, -1)
    embedding = embed_rows(embedder, rows, members)
    if not grown:  # only a cleaner to run
        new = embedding[:0]
        return Synthesis(
            empty,
            empty,
            np.empty(0),
            embedding,
            members,
            new,
            False,
            embedder,
            **nothing,
        )
    embedded = _Embedded(embedding, members, embedder)
    if settings.oversampler is None:
        return _smote(embedded, y, to_add, settings)
    return _oversampled(embedded, y, to_add, settings)


def _smote(embedded, y, to_add, settings):
    """SMOTE's own draws, as imbalanced-learn's SMOTE makes them."""
    embedding, members = embedded.embedding, embedded.members
    sources, neighbors, gaps, used = plan_smote(
        embedding,
        y[members],
        to_add,
        settings.k_neighbors,
        settings.random_state,
        settings.n_jobs,
    )
    sources, neighbors = members[sources], members[neighbors]
    new = None
    if settings.generation == "decode" or settings.cleaner is not None:
        new = embedded.between(len(y), sources, neighbors, gaps)
        new = new.astype(embedding.dtype, copy=False)
    return Synthesis(
        sources,
        neighbors,
        gaps,
        embedding,
        members,
        new,
        False,
        embedded.embedder,
        None,
        used,
        settings.generation,
    )


def _oversampled(embedded, y, to_add, settings):
    """An imbalanced-learn over-sampler's synthetic embeddings, each with
    the real image nearest to it as its source (or the image it copied)."""
    embedding, members = embedded.embedding, embedded.members
    new, new_labels, copied, fitted = oversample(
        settings.oversampler,
        embedding,
        y[members],
        to_add,
        settings.random_state,
    )
    copies = copied is not None  # RandomOverSampler: copies, taken as they are
    if not copies:
        copied = nearest_of_class(
            embedding, y[members], new, new_labels, settings.n_jobs
        )
    sources = members[copied]
    if copies:  # their embeddings are their sources', for a cleaner
        new = embedding[copied] if settings.cleaner is not None else None
    if new is not None:
        new = new.astype(embedding.dtype, copy=False)
    return Synthesis(
        sources,
        np.full(len(sources), -1, dtype=np.intp),
        np.full(len(sources), np.nan),
        embedding,
        members,
        new,
        copies,
        embedded.embedder,
        fitted,
        {},
        settings.generation,
    )
