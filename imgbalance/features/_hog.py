"""Histograms of oriented gradients, computed on a whole batch at once."""

from numbers import Integral

import numpy as np

from ..utils._constraints import Interval, StrOptions
from ..utils._docstrings import fill_docs
from ._base import (
    BaseImageFeatures,
    _check_pair,
    _numba_kernels,
    _resolve_backend,
)

__all__ = ["HOGFeatures", "hog_batch"]

_EPS = 1e-5


def _gradients(images, dtype):
    """Central differences along rows and columns in ``dtype``, zero on the
    border rows and columns (as scikit-image's ``hog``)."""
    g_row = np.empty(images.shape, dtype=dtype)
    g_row[:, 0] = g_row[:, -1] = 0
    np.subtract(images[:, 2:], images[:, :-2], out=g_row[:, 1:-1], dtype=dtype)
    g_col = np.empty(images.shape, dtype=dtype)
    g_col[:, :, 0] = g_col[:, :, -1] = 0
    np.subtract(images[:, :, 2:], images[:, :, :-2], out=g_col[:, :, 1:-1], dtype=dtype)
    return g_row, g_col


def _strongest_channel(g_row, g_col, integer_valued):
    """Per pixel, the gradient of the channel where it is strongest (the
    first such channel on ties, as ``argmax`` in scikit-image)."""

    def strength(k):
        row, col = g_row[..., k], g_col[..., k]
        if integer_valued:  # squares are exact and order as hypot does
            return row * row + col * col
        return np.hypot(row, col)  # as scikit-image, for the same near-ties

    best = strength(0)
    row, col = g_row[..., 0], g_col[..., 0]
    for k in range(1, g_row.shape[3]):
        candidate = strength(k)
        stronger = candidate > best
        best = np.where(stronger, candidate, best)
        row = np.where(stronger, g_row[..., k], row)
        col = np.where(stronger, g_col[..., k], col)
    return row, col


def _bin_edges(orientations):
    """Bin edges in degrees, rounded to float32 as scikit-image compares them."""
    return np.array(
        [np.float32(180.0 / orientations * i) for i in range(orientations + 1)],
        dtype=np.float64,
    )


def _bins_of(orientation, edges):
    """``i`` where ``edges[i] <= o < edges[i + 1]``, for angles in [0, 180];
    ``n`` (no bin) for 180 itself, which scikit-image leaves out."""
    n = len(edges) - 1
    bins = (orientation * (n / 180.0)).astype(np.intp)
    np.clip(bins, 0, n - 1, out=bins)
    bins -= orientation < edges[bins]  # the estimate can be one off at an edge
    bins += orientation >= edges[bins + 1]
    return bins


# |error| of the arctan estimate below, in radians: 0.00151 at most on [0, 1]
# (Rajan et al. 2006), taken twice for safety
_ATAN_ESTIMATE_ERROR = 0.003


def _orientation_bins(g_row, g_col, orientations):
    """Orientation bin of each gradient, as scikit-image assigns it.

    scikit-image bins ``arctan2(g_row, g_col)`` in degrees modulo 180 against
    float32 edges. Here a cheap estimate of that angle (a rational
    approximation of arctan, error below 0.0015 rad) gives the bin of every
    gradient that is clearly inside one; those within the estimate's error
    of an edge (about 1 % of them) are binned again with scikit-image's own
    formula. Exact zeros (flat rows) are bin 0 in both. A gradient whose
    angle modulo 180 rounds to 180 gets bin ``orientations``: scikit-image
    counts it in no bin.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = g_row / g_col  # +-inf for vertical gradients, nan for 0 / 0
        magnitude = np.abs(slope)
        steep = magnitude > 1
        z = np.where(steep, 1 / magnitude, magnitude)  # in [0, 1]
        angle = (np.pi / 4) * z - z * (z - 1) * (0.2447 + 0.0663 * z)
        angle = np.where(steep, np.pi / 2 - angle, angle)  # arctan |slope|
        angle = np.where(slope < 0, np.pi - angle, angle)  # modulo pi
    position = angle * (orientations / np.pi)  # in bin widths, in [0, n]
    np.nan_to_num(position, copy=False, nan=0.0)
    bins = position.astype(np.intp)
    fraction = position - bins
    margin = _ATAN_ESTIMATE_ERROR * orientations / np.pi
    near = ((fraction < margin) | (fraction > 1 - margin)) & (position != 0)
    if near.any():
        exact = np.arctan2(g_row[near], g_col[near]) * (180 / np.pi) % 180
        bins[near] = _bins_of(exact, _bin_edges(orientations))
    return bins


def hog_batch(
    images,
    orientations=9,
    pixels_per_cell=(8, 8),
    cells_per_block=(2, 2),
    block_norm="L2-Hys",
    transform_sqrt=False,
    backend="auto",
    dtype=np.float64,
):
    """HOG feature vectors of a batch of images, as ``skimage.feature.hog``.

    Gives, for each image, what ``skimage.feature.hog(image, ...,
    feature_vector=True)`` gives (``channel_axis=-1`` for colour images),
    within 1e-5, computed for the whole batch with numpy, or with compiled
    loops where numba is installed.

    Parameters
    ----------
    images : ndarray of shape (n, h, w) or (n, h, w, c)
        Grayscale or multichannel images; for several channels, each pixel
        takes the gradient of the channel where it is strongest.
    orientations : int, default=9
    pixels_per_cell : (int, int), default=(8, 8)
    cells_per_block : (int, int), default=(2, 2)
    block_norm : {"L1", "L1-sqrt", "L2", "L2-Hys"}, default="L2-Hys"
    transform_sqrt : bool, default=False
        Square root of the pixel values first (power law compression).
    backend : {"auto", "default", "numba"}, default="auto"
        ``"numba"``: compiled per-pixel loops (the ``fast`` extra), several
        times faster; ``"default"``: numpy only; ``"auto"``: numba when it
        is installed. Both give scikit-image's features within 1e-5.
    dtype : {numpy.float64, numpy.float32}, default=numpy.float64
        Type of the features (float32 halves the memory of a large batch).

    Returns
    -------
    features : ndarray of shape (n, n_features)

    Examples
    --------
    >>> import numpy as np
    >>> from skimage.feature import hog
    >>> from imgbalance.features import hog_batch
    >>> images = np.random.default_rng(0).random((3, 32, 32))
    >>> features = hog_batch(images)
    >>> features.shape
    (3, 324)
    >>> bool(np.allclose(features[1], hog(images[1], cells_per_block=(2, 2)),
    ...                  atol=1e-5))
    True
    """
    images = np.asarray(images)
    backend = _resolve_backend(backend)
    height, width = images.shape[1:3]
    c_row, c_col = pixels_per_cell
    b_row, b_col = cells_per_block
    n_cells_row, n_cells_col = height // c_row, width // c_col
    if n_cells_row - b_row + 1 <= 0 or n_cells_col - b_col + 1 <= 0:
        raise ValueError(
            f"The images ({height}x{width} px) are too small for "
            f"pixels_per_cell={tuple(pixels_per_cell)} and "
            f"cells_per_block={tuple(cells_per_block)}: HOG needs at least "
            f"{b_row * c_row} rows and {b_col * c_col} columns. Resize them "
            "(size=(h, w)) or use smaller cells."
        )
    if backend == "numba":
        return _numba_features(
            images,
            orientations,
            pixels_per_cell,
            cells_per_block,
            block_norm,
            transform_sqrt,
            dtype,
        )
    # a few images at a time: small temporaries are reused by the allocator,
    # large ones cost fresh pages at every step
    chunk = max(1, 65536 // max(1, images[0].size))
    return np.concatenate(
        [
            _normalise_blocks(
                _numpy_cells(
                    images[i : i + chunk],
                    orientations,
                    pixels_per_cell,
                    transform_sqrt,
                ),
                cells_per_block,
                block_norm,
            ).astype(dtype, copy=False)
            for i in range(0, len(images), chunk)
        ]
    )


def _gradient_dtype(images):
    """The float type scikit-image takes the gradients in: float32 for
    float16 and float32 images, float64 otherwise (bins flip at exact
    edges)."""
    return np.float32 if images.dtype in (np.float16, np.float32) else np.float64


def _numpy_cells(images, orientations, pixels_per_cell, transform_sqrt):
    """Cell histograms (n, cells_row, cells_col, orientations), numpy."""
    dtype = _gradient_dtype(images)
    if transform_sqrt:
        images = np.sqrt(images, dtype=dtype)
    n_images, height, width = images.shape[:3]
    c_row, c_col = pixels_per_cell
    n_cells_row, n_cells_col = height // c_row, width // c_col

    integer_valued = images.dtype.kind in "iub"
    g_row, g_col = _gradients(images, dtype)
    if images.ndim == 4:
        g_row, g_col = _strongest_channel(g_row, g_col, integer_valued)

    # whole cells from the top-left corner; a partial last cell is left out
    used_rows, used_cols = n_cells_row * c_row, n_cells_col * c_col
    g_row = g_row[:, :used_rows, :used_cols].astype(np.float64, copy=False)
    g_col = g_col[:, :used_rows, :used_cols].astype(np.float64, copy=False)
    magnitude = np.sqrt(g_row * g_row + g_col * g_col)
    bins = _orientation_bins(g_row, g_col, orientations)
    binless = bins == orientations
    if binless.any():  # angle 180 after rounding: in no bin, as in scikit-image
        magnitude[binless] = 0.0
        bins[binless] = 0

    row_cells = np.arange(used_rows) // c_row
    col_cells = np.arange(used_cols) // c_col
    cell = (row_cells[:, None] * n_cells_col + col_cells[None, :]).astype(np.intp)
    index = (
        np.arange(n_images)[:, None, None] * (n_cells_row * n_cells_col) + cell
    ) * orientations + bins
    histogram = np.bincount(
        index.ravel(),
        weights=magnitude.ravel(),
        minlength=n_images * n_cells_row * n_cells_col * orientations,
    ).reshape(n_images, n_cells_row, n_cells_col, orientations)
    histogram /= c_row * c_col  # scikit-image averages over the cell
    return histogram


_BLOCK_NORMS = {"L1": 0, "L1-sqrt": 1, "L2": 2, "L2-Hys": 3}


def _numba_features(
    images,
    orientations,
    pixels_per_cell,
    cells_per_block,
    block_norm,
    transform_sqrt,
    out_dtype,
):
    """Feature vectors as the numpy path gives them, by compiled kernels."""
    kernels = _numba_kernels()
    dtype = _gradient_dtype(images)
    integer_valued = images.dtype.kind in "iub" and not transform_sqrt
    (c_row, c_col), (b_row, b_col) = pixels_per_cell, cells_per_block
    n_cells = images.shape[1] // c_row, images.shape[2] // c_col
    histogram = np.empty((len(images),) + n_cells + (orientations,))
    chunk = max(1, 65536 // max(1, images[0].size))  # converted a few at a time
    for i in range(0, len(images), chunk):
        part = images[i : i + chunk]
        part = np.sqrt(part, dtype=dtype) if transform_sqrt else part
        part = np.ascontiguousarray(part, dtype=dtype)
        kernels.hog_cell_histograms(
            part if part.ndim == 4 else part[..., None],
            c_row,
            c_col,
            _bin_edges(orientations),
            integer_valued,
            histogram[i : i + chunk],
        )
    n_blocks = (n_cells[0] - b_row + 1) * (n_cells[1] - b_col + 1)
    features = np.empty(
        (len(images), n_blocks * b_row * b_col * orientations), dtype=out_dtype
    )
    kernels.hog_normalise_blocks(
        histogram, b_row, b_col, _BLOCK_NORMS[block_norm], _EPS, features
    )
    return features


def _normalise_blocks(histogram, cells_per_block, block_norm):
    """Feature vectors (n, n_features) from cell histograms, as scikit-image
    normalises its blocks."""
    b_row, b_col = cells_per_block
    blocks = np.lib.stride_tricks.sliding_window_view(
        histogram, (b_row, b_col), axis=(1, 2)
    )  # (n, blocks_row, blocks_col, orientations, b_row, b_col)
    blocks = blocks.transpose(0, 1, 2, 4, 5, 3)
    axes = (3, 4, 5)
    if block_norm == "L1":
        out = blocks / (np.abs(blocks).sum(axis=axes, keepdims=True) + _EPS)
    elif block_norm == "L1-sqrt":
        out = np.sqrt(blocks / (np.abs(blocks).sum(axis=axes, keepdims=True) + _EPS))
    else:
        out = blocks / np.sqrt((blocks**2).sum(axis=axes, keepdims=True) + _EPS**2)
        if block_norm == "L2-Hys":
            out = np.minimum(out, 0.2)
            out = out / np.sqrt((out**2).sum(axis=axes, keepdims=True) + _EPS**2)
    return out.reshape(len(histogram), -1)


@fill_docs
class HOGFeatures(BaseImageFeatures):
    """Histograms of oriented gradients of every image, batched.

    The same features as a loop over :func:`skimage.feature.hog` with
    ``feature_vector=True`` (and ``channel_axis=-1`` for colour images),
    within 1e-5, computed for the whole batch at once: several times faster
    than the loop with numpy, more with numba (see
    ``benchmarks/bench_features.py``).

    Parameters
    ----------
    orientations : int, default=9
        Number of orientation bins over 0-180 degrees.
    pixels_per_cell : (int, int), default=(8, 8)
        Size of a cell in pixels (rows, columns).
    cells_per_block : (int, int), default=(2, 2)
        Size of a normalisation block in cells.
    block_norm : {"L1", "L1-sqrt", "L2", "L2-Hys"}, default="L2-Hys"
        Block normalisation, as in scikit-image.
    transform_sqrt : bool, default=False
        Apply power law compression (square root) to the pixels first.
    size : (int, int) or None, default=None
        Resize every image to (h, w) first (bilinear); required when the
        images do not all have one size.
    <image_shape>
    backend : {"auto", "default", "numba"}, default="auto"
        ``"numba"``: compiled loops (``pip install 'imgbalance[fast]'``);
        ``"default"``: numpy only; ``"auto"``: numba when installed. The
        features agree within 1e-5 (both with scikit-image).
    <feature_n_jobs>

    Attributes
    ----------
    <input_attributes>
    n_features_out_ : int
        Length of each feature vector.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.features import HOGFeatures
    >>> X = np.random.default_rng(0).integers(0, 256, (5, 64, 64, 3), dtype=np.uint8)
    >>> features = HOGFeatures().fit_transform(X)
    >>> features.shape, features.dtype
    ((5, 1764), dtype('float32'))
    """

    _parameter_constraints: dict = {
        "orientations": [Interval(Integral, 1, None, closed="left")],
        "pixels_per_cell": [tuple, list],
        "cells_per_block": [tuple, list],
        "block_norm": [StrOptions({"L1", "L1-sqrt", "L2", "L2-Hys"})],
        "transform_sqrt": ["boolean"],
        "size": [tuple, list, None],
        "image_shape": [tuple, list, None],
        "backend": [StrOptions({"auto", "default", "numba"})],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        *,
        orientations=9,
        pixels_per_cell=(8, 8),
        cells_per_block=(2, 2),
        block_norm="L2-Hys",
        transform_sqrt=False,
        size=None,
        image_shape=None,
        backend="auto",
        n_jobs=None,
    ):
        self.orientations = orientations
        self.pixels_per_cell = pixels_per_cell
        self.cells_per_block = cells_per_block
        self.block_norm = block_norm
        self.transform_sqrt = transform_sqrt
        self.size = size
        self.image_shape = image_shape
        self.backend = backend
        self.n_jobs = n_jobs

    def _compute(self, images):
        _check_pair(self.pixels_per_cell, "pixels_per_cell")
        _check_pair(self.cells_per_block, "cells_per_block")
        if self.transform_sqrt and np.any(images < 0):
            raise ValueError(
                "transform_sqrt=True needs non-negative pixel values; X has "
                "negative ones."
            )
        return hog_batch(
            images,
            orientations=self.orientations,
            pixels_per_cell=self.pixels_per_cell,
            cells_per_block=self.cells_per_block,
            block_norm=self.block_norm,
            transform_sqrt=self.transform_sqrt,
            backend=self.backend,
            dtype=np.float32,
        )

    def _feature_names(self, n_features):
        return [f"hog{i}" for i in range(n_features)]
