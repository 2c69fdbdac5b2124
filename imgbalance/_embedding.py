"""The embedding samplers work in: images as rows of pixels scaled to
[0, 1], and the transformer that embeds them (PCA by default, or a clone of
the user's, told the images' shape)."""

import numpy as np
from sklearn.base import clone
from sklearn.decomposition import PCA

from ._intensity import full_scale
from ._validation import _stack

__all__ = [
    "EMBEDDING_DOCS",
    "MAX_COMPONENTS",
    "make_embedder",
    "pixels_of",
    "scaled_rows",
    "working_type",
]

# the default embedder's components, at most
MAX_COMPONENTS = 50

# what the samplers working in an embedding say of it, written once
# (imgbalance._docstrings.fill_docs puts each text in place of its marker)
EMBEDDING_DOCS = {
    "        <rows>\n": """\
        each flattened to a row of pixels scaled to [0, 1] (integer images
        divided by their full intensity: 65535 for uint16, 255 for the
        others; float images as they are). One with an ``image_shape``
        parameter left at None (such as
        :class:`~imgbalance.features.HOGFeatures`) is given the images'
        shape. None uses ``PCA(n_components=min(50, n_images, n_pixels))``
        (randomised SVD seeded by ``random_state``).
""",
    "    <image_shape>\n": """\
    image_shape : tuple (h, w) or (h, w, c), default=None
        For a 2-D ``X`` of flattened images: the shape of each image (passed
        on to an embedder with an ``image_shape`` parameter).
""",
}


def pixels_of(collection):
    """The images of a checked collection as one array: a table's rows, or
    the images stacked (sequences decoded; they must share a size)."""
    if collection.kind == "table":  # a DataFrame's values may come in
        # columns: in rows, the embedding is the one an array gets
        return np.ascontiguousarray(collection.data)
    if collection.kind == "sequence":
        return _stack(collection)
    return collection.data


def working_type(dtype):
    """float32 where it holds every value of ``dtype`` exactly (8- and
    16-bit integers, float32), else float64."""
    dtype = np.dtype(dtype)
    return np.float32 if dtype.itemsize <= 2 or dtype == np.float32 else np.float64


def scaled_rows(rows, indices=None):
    """``rows`` (or those at ``indices``) in the working type, scaled to
    [0, 1] by imgbalance's rule: integers divided by their full intensity
    (65535 for uint16, 255 for the others), floats as they are."""
    work = working_type(rows.dtype)
    part = rows if indices is None else rows[indices]
    return part.astype(work) / work(full_scale(rows.dtype))


def make_embedder(embedder, n_images, pixels, image_shape, random_state):
    """The unfitted embedder: ``PCA(n_components=min(50, n_images,
    n_pixels))`` seeded from ``random_state`` (a RandomState) when
    ``embedder`` is None, else a clone of it, given the images' shape when it
    has an ``image_shape`` parameter left at None (``image_shape``, for a
    table of flattened images, else the trailing shape of ``pixels``)."""
    if embedder is None:
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
