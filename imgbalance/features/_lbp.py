"""Local binary patterns and their per-cell histograms, batched."""

from numbers import Integral, Real

import numpy as np

from ..utils._constraints import Interval, StrOptions
from ..utils._docstrings import fill_docs
from ._base import (
    BaseImageFeatures,
    _check_pair,
    _numba_kernels,
    _resolve_backend,
    _to_gray,
)
from ._pooling import check_pool, pool_names, pool_values

__all__ = ["LBPFeatures", "lbp_batch"]


def _neighbour(padded, margin, rows, cols, offset_r, offset_c):
    """Bilinear samples of the images at (row + offset_r, column + offset_c)
    of each pixel, zero outside, with the arithmetic of scikit-image's
    ``bilinear_interpolation``.

    ``padded`` is the batch with ``margin`` zeros on every side. The integer
    parts of the positions are the same shift for every pixel (an offset is
    either a whole number or at least 1e-5 away from one), so the four
    corners are slices; the fractions are taken per row and per column as
    scikit-image rounds them.
    """
    height, width = len(rows), len(cols)
    positions_r, positions_c = rows + offset_r, cols + offset_c
    dr = (positions_r - np.floor(positions_r))[None, :, None]
    dc = (positions_c - np.floor(positions_c))[None, None, :]

    def corner(shift_r, shift_c):
        top, left = margin + int(shift_r), margin + int(shift_c)
        return padded[:, top : top + height, left : left + width]

    low_r, high_r = np.floor(offset_r), np.ceil(offset_r)
    low_c, high_c = np.floor(offset_c), np.ceil(offset_c)

    def row(shift_r):  # a whole column offset: 1 * a + 0 * b is a, exactly
        if low_c == high_c:
            return corner(shift_r, low_c)
        return (1 - dc) * corner(shift_r, low_c) + dc * corner(shift_r, high_c)

    if low_r == high_r:
        return row(low_r)
    return (1 - dr) * row(low_r) + dr * row(high_r)


_METHODS = {"default": 0, "ror": 1, "uniform": 2, "nri_uniform": 3}


def _offsets(P, R):
    """Row and column offsets of the P neighbours, as scikit-image's."""
    angles = 2 * np.pi * np.arange(P, dtype=np.double) / P
    return np.round(-R * np.sin(angles), 5), np.round(R * np.cos(angles), 5)


def _numba_codes(images, P, R, method):
    """The codes of :func:`lbp_batch` as int64, by the compiled kernel."""
    codes = np.empty(images.shape, dtype=np.int64)
    rr, cc = _offsets(P, R)
    _numba_kernels().lbp_codes(
        np.ascontiguousarray(images, dtype=np.float64), rr, cc, _METHODS[method], codes
    )
    return codes


def lbp_batch(images, P=8, R=1.0, method="uniform", backend="auto"):
    """Local binary pattern codes of a batch of grayscale images.

    Gives, for each image, what ``skimage.feature.local_binary_pattern(image,
    P, R, method)`` gives, computed for the whole batch with numpy or with
    compiled loops (the same neighbour positions and interpolation
    arithmetic, so the same codes).

    Parameters
    ----------
    images : ndarray of shape (n, h, w)
        Grayscale images (integer dtypes recommended, as in scikit-image).
    P : int, default=8
        Number of neighbours on the circle.
    R : float, default=1.0
        Radius of the circle.
    method : {"default", "ror", "uniform", "nri_uniform"}, default="uniform"
    backend : {"auto", "default", "numba"}, default="auto"
        ``"numba"``: compiled loops (the ``fast`` extra); ``"default"``:
        numpy only; ``"auto"``: numba when it is installed. Same codes.

    Returns
    -------
    codes : ndarray of shape (n, h, w), float64

    Examples
    --------
    >>> import numpy as np
    >>> from skimage.feature import local_binary_pattern
    >>> from imgbalance.features import lbp_batch
    >>> images = np.random.default_rng(0).integers(0, 256, (2, 16, 16))
    >>> bool((lbp_batch(images)[1] == local_binary_pattern(images[1], 8, 1,
    ...                                                   "uniform")).all())
    True
    """
    images = np.asarray(images, dtype=np.float64)
    n, height, width = images.shape
    rr, cc = _offsets(P, R)
    if _resolve_backend(backend) == "numba":
        return _numba_codes(images, P, R, method).astype(np.float64)
    rows = np.arange(height, dtype=np.float64)
    cols = np.arange(width, dtype=np.float64)
    margin = int(np.ceil(R)) + 1
    padded = np.pad(images, ((0, 0), (margin, margin), (margin, margin)))
    bits = np.empty((P, n, height, width), dtype=bool)
    for i in range(P):
        texture = _neighbour(padded, margin, rows, cols, rr[i], cc[i])
        # texture - centre >= 0 exactly when texture >= centre (finite values)
        np.greater_equal(texture, images, out=bits[i])
    if method in ("default", "ror"):
        codes = np.zeros((n, height, width), dtype=np.int64)
        for i in range(P):
            codes |= bits[i].astype(np.int64) << i
        if method == "ror":
            best = codes.copy()
            for _ in range(1, P):  # rotate right, keep the smallest
                codes = (codes >> 1) | ((codes & 1) << (P - 1))
                np.minimum(best, codes, out=best)
            codes = best
        return codes.astype(np.float64)
    # 0/1 changes between neighbours 0..P-1, not round the circle (as skimage)
    changes = np.not_equal(bits[1:], bits[:-1]).sum(axis=0, dtype=np.int16)
    n_ones = bits.sum(axis=0, dtype=np.int16)
    uniform = changes <= 2
    if method == "uniform":
        return np.where(uniform, n_ones, P + 1).astype(np.float64)
    # nri_uniform
    n_ones = n_ones.astype(np.int64)
    first_one = np.where(bits.any(axis=0), bits.argmax(axis=0), -1)
    zeros = ~bits
    first_zero = np.where(zeros.any(axis=0), zeros.argmax(axis=0), -1)
    rot_index = np.where(first_one == 0, n_ones - first_zero, P - first_one)
    codes = 1 + (n_ones - 1) * P + rot_index
    codes = np.where(n_ones == 0, 0, codes)
    codes = np.where(n_ones == P, P * (P - 1) + 1, codes)
    codes = np.where(uniform, codes, P * (P - 1) + 2)
    return codes.astype(np.float64)


def _n_codes(P, method):
    return {
        "default": 2**P,
        "ror": 2**P,
        "uniform": P + 2,
        "nri_uniform": P * (P - 1) + 3,
    }[method]


def _cell_of(length, n_cells):
    """Cell index of each of ``length`` rows (or columns) split into
    ``n_cells`` as :func:`numpy.array_split` splits them."""
    parts = np.array_split(np.arange(length), n_cells)
    return np.concatenate([np.full(len(part), k) for k, part in enumerate(parts)])


@fill_docs
class LBPFeatures(BaseImageFeatures):
    """Histograms of local binary patterns over a grid of cells, batched.

    Each image (colour images first converted to grey as Pillow's ``"L"``
    mode does) gets its local binary pattern codes, equal to
    :func:`skimage.feature.local_binary_pattern`; the image is split into a
    ``grid`` of cells (as :func:`numpy.array_split` splits rows and columns)
    and each cell gives the share of its pixels with each code. With
    ``pool``, the cells' shares of each code are pooled over the grid
    instead of set side by side: a fine grid pooled by ``"max"`` or
    ``"top_k"`` keeps a small patch of unusual codes (a scratch, a spot)
    wherever it is, which the histogram of the whole image dilutes.

    Parameters
    ----------
    P : int, default=8
        Number of neighbours on the circle.
    R : float, default=1
        Radius of the circle.
    method : {"default", "ror", "uniform", "nri_uniform"}, default="uniform"
        The pattern codes, as in scikit-image; ``"uniform"`` gives P + 2
        codes, ``"nri_uniform"`` P (P - 1) + 3, the others 2 ** P.
    grid : (int, int), default=(1, 1)
        Cells along the rows and the columns.
    pool : None, str or tuple of str, default=None
        None: every cell's histogram, side by side. Statistics: the cells'
        shares of each code pooled over the grid (``top_k`` counts cells),
        in this order:
        <pool_statistics>
    <pool_parameters>
    <size>
    <image_shape>
    backend : {"auto", "default", "numba"}, default="auto"
        ``"numba"``: compiled loops (``pip install 'imgbalance[fast]'``);
        ``"default"``: numpy only; ``"auto"``: numba when installed. Same
        features.
    <feature_n_jobs>

    Attributes
    ----------
    <input_attributes>
    n_features_out_ : int
        ``grid[0] * grid[1]`` times the number of codes; with ``pool``,
        ``len(pool)`` times it.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.features import LBPFeatures
    >>> X = np.random.default_rng(0).integers(0, 256, (4, 32, 32), dtype=np.uint8)
    >>> features = LBPFeatures(grid=(2, 2)).fit_transform(X)
    >>> features.shape, float(features[0, :10].sum())
    ((4, 40), 1.0)
    >>> pooled = LBPFeatures(grid=(8, 8), pool=("mean", "max"))
    >>> pooled.fit_transform(X).shape, pooled.get_feature_names_out()[10]
    ((4, 20), 'lbp_max_code0')
    """

    _reads_gray = True

    _parameter_constraints: dict = {
        "P": [Interval(Integral, 1, 24, closed="both")],
        "R": [Interval(Real, 0, None, closed="neither")],
        "method": [StrOptions({"default", "ror", "uniform", "nri_uniform"})],
        "grid": [tuple, list],
        "pool": [None, str, tuple, list],
        "top_k": [Interval(Integral, 1, None, closed="left")],
        "percentile": [Interval(Real, 0, 100, closed="both")],
        "size": [tuple, list, None],
        "image_shape": [tuple, list, None],
        "backend": [StrOptions({"auto", "default", "numba"})],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        *,
        P=8,
        R=1,
        method="uniform",
        grid=(1, 1),
        pool=None,
        top_k=10,
        percentile=99.0,
        size=None,
        image_shape=None,
        backend="auto",
        n_jobs=None,
    ):
        self.P = P
        self.R = R
        self.method = method
        self.grid = grid
        self.pool = pool
        self.top_k = top_k
        self.percentile = percentile
        self.size = size
        self.image_shape = image_shape
        self.backend = backend
        self.n_jobs = n_jobs

    def _stats(self):
        if self.pool is None:
            return None
        return check_pool(self.pool, self.top_k, self.percentile)

    def _compute(self, images):
        _check_pair(self.grid, "grid")
        stats = self._stats()
        if self.method in ("default", "ror") and self.P > 16:
            raise ValueError(
                f"method={self.method!r} with P={self.P} gives 2**{self.P} codes "
                "per cell; use P <= 16 or method='uniform' (P + 2 codes)."
            )
        gray = _to_gray(images)
        height, width = gray.shape[1:]
        if self.grid[0] > height or self.grid[1] > width:
            raise ValueError(
                f"grid={tuple(self.grid)} has more cells than the images "
                f"({height}x{width} px) have pixels; use a smaller grid."
            )
        n_codes = _n_codes(self.P, self.method)
        cell_of_row = _cell_of(height, self.grid[0])
        cell_of_col = _cell_of(width, self.grid[1])
        n_cells = self.grid[0] * self.grid[1]
        counts = np.zeros((len(gray), n_cells, n_codes))
        backend = _resolve_backend(self.backend)
        for start in range(0, len(gray), 16):  # small temporaries
            part = gray[start : start + 16]
            if backend == "numba":
                _numba_kernels().count_codes(
                    _numba_codes(part, self.P, self.R, self.method),
                    cell_of_row,
                    cell_of_col,
                    self.grid[1],
                    counts[start : start + 16],
                )
            else:
                codes = lbp_batch(part, self.P, self.R, self.method, backend)
                cell = cell_of_row[:, None] * self.grid[1] + cell_of_col[None, :]
                index = (
                    np.arange(len(part))[:, None, None] * n_cells + cell
                ) * n_codes + codes.astype(np.intp)
                counts[start : start + 16] = np.bincount(
                    index.ravel(), minlength=counts[start : start + 16].size
                ).reshape(len(part), n_cells, n_codes)
        pixels = np.bincount(
            (cell_of_row[:, None] * self.grid[1] + cell_of_col[None, :]).ravel(),
            minlength=n_cells,
        )
        shares = counts / pixels[None, :, None]
        if stats is None:
            return shares.reshape(len(gray), -1)
        pooled = pool_values(shares, stats, self.top_k, self.percentile)
        return pooled.transpose(0, 2, 1).reshape(len(gray), -1)

    def _feature_names(self, n_features):
        n_codes = _n_codes(self.P, self.method)
        stats = self._stats()
        if stats is None:
            return [
                f"lbp_cell{i // n_codes}_code{i % n_codes}" for i in range(n_features)
            ]
        return [
            f"lbp_{name}_code{code}"
            for name in pool_names(stats, self.top_k, self.percentile)
            for code in range(n_codes)
        ]
