"""Gabor filter-bank energies: the classical texture features, batched."""

from numbers import Integral, Real

import numpy as np

from .._contract._intensity import full_scale
from ..utils._backends import resolve_opencv
from ..utils._constraints import Interval, StrOptions
from ..utils._docstrings import fill_docs
from ._base import BaseImageFeatures, _to_gray
from ._pooling import check_pool, pool_map, pool_names

__all__ = ["GaborFeatures"]


def _bank(frequencies, n_orientations, bandwidth):
    """(frequency, angle, complex kernel) of each filter, scikit-image's
    ``gabor_kernel``s."""
    from skimage.filters import gabor_kernel

    return [
        (
            f,
            k * np.pi / n_orientations,
            gabor_kernel(f, k * np.pi / n_orientations, bandwidth=bandwidth),
        )
        for f in frequencies
        for k in range(n_orientations)
    ]


def _magnitude_opencv(gray, kernel):
    """|gray convolved with kernel|, OpenCV's filter2D (a correlation: the
    kernel flipped), borders mirrored as scipy.ndimage's "reflect"."""
    import cv2

    flipped = kernel[::-1, ::-1]
    real = cv2.filter2D(
        gray,
        cv2.CV_32F,
        np.ascontiguousarray(flipped.real, np.float32),
        borderType=cv2.BORDER_REFLECT,
    )
    imag = cv2.filter2D(
        gray,
        cv2.CV_32F,
        np.ascontiguousarray(flipped.imag, np.float32),
        borderType=cv2.BORDER_REFLECT,
    )
    # not cv2.magnitude: its vector and scalar paths round differently, and
    # which one a pixel takes depends on where the buffers lie in memory,
    # so the same image gave other last bits from call to call; numpy's
    # square root is exactly rounded wherever the pixel lies
    np.multiply(real, real, out=real)
    np.multiply(imag, imag, out=imag)
    np.add(real, imag, out=real)
    return np.sqrt(real, out=real)


def _magnitude_default(gray, kernel):
    """|gray convolved with kernel|, as ``skimage.filters.gabor`` filters
    (scipy.ndimage.convolve, borders "reflect")."""
    from scipy.ndimage import convolve

    real = convolve(gray, kernel.real, mode="reflect")
    imag = convolve(gray, kernel.imag, mode="reflect")
    return np.hypot(real, imag)


@fill_docs
class GaborFeatures(BaseImageFeatures):
    """Statistics of the responses of a Gabor filter bank: by default their
    mean and standard deviation.

    Each image (colour images first converted to grey as Pillow's ``"L"``
    mode does, then scaled to [0, 1]) is filtered by a complex Gabor kernel
    (:func:`skimage.filters.gabor_kernel`) of every frequency and
    orientation; the magnitude of each response (its Gabor energy) is
    pooled over the image by each statistic of ``pool``: by default its
    mean and its standard deviation (Manjunath & Ma, 1996), ``2 *
    len(frequencies) * n_orientations`` features in all, whatever the image
    size. Where a class differs by a small local structure (a scratch, a
    spot), pool with ``"max"``, ``"top_k"`` or ``"percentile"`` as well:
    the mean dilutes it in the whole image.

    Parameters
    ----------
    frequencies : tuple of float, default=(0.1, 0.2, 0.3, 0.4)
        Spatial frequencies of the filters, in cycles per pixel (0 < f <=
        0.5). The kernels span about 3.5 / f pixels: low frequencies suit
        large images only (and cost more with the default backend).
    n_orientations : int, default=4
        Orientations ``k * pi / n_orientations``, ``k = 0 .. n - 1``.
    bandwidth : float, default=1.0
        The kernels' bandwidth, as in ``gabor_kernel``.
    pool : str or tuple of str, default=("mean", "std")
        The statistics of each magnitude map, in this order:
        <pool_statistics>
    <pool_parameters>
    <size>
    <image_shape>
    backend : {"auto", "default", "opencv"}, default="auto"
        ``"default"`` filters with SciPy, as ``skimage.filters.gabor`` does;
        ``"opencv"`` with OpenCV's ``filter2D`` in float32, several times
        faster and tested close; ``"auto"`` uses OpenCV when it imports.
    <feature_n_jobs>

    Attributes
    ----------
    <input_attributes>
    n_features_out_ : int
        ``len(pool) * len(frequencies) * n_orientations``.

    Examples
    --------
    >>> import numpy as np
    >>> from imgbalance.features import GaborFeatures
    >>> stripes = np.zeros((2, 32, 32), np.uint8)
    >>> stripes[0, :, ::4] = 255  # vertical stripes
    >>> stripes[1, ::4, :] = 255  # horizontal stripes
    >>> model = GaborFeatures(frequencies=(0.25,), n_orientations=2)
    >>> features = model.fit_transform(stripes)
    >>> model.get_feature_names_out().tolist()
    ['f0.25_a0_mean', 'f0.25_a0_std', 'f0.25_a90_mean', 'f0.25_a90_std']
    >>> bool(features[0, 0] > features[0, 2]), bool(features[1, 2] > features[1, 0])
    (True, True)
    >>> peaks = GaborFeatures(frequencies=(0.25,), n_orientations=2,
    ...                       pool=("max", "top_k"), top_k=5)
    >>> peaks.fit(stripes).get_feature_names_out().tolist()
    ['f0.25_a0_max', 'f0.25_a0_top5', 'f0.25_a90_max', 'f0.25_a90_top5']
    """

    _reads_gray = True

    _parameter_constraints: dict = {
        "frequencies": [tuple, list],
        "n_orientations": [Interval(Integral, 1, None, closed="left")],
        "bandwidth": [Interval(Real, 0, None, closed="neither")],
        "pool": [str, tuple, list],
        "top_k": [Interval(Integral, 1, None, closed="left")],
        "percentile": [Interval(Real, 0, 100, closed="both")],
        "size": [tuple, list, None],
        "image_shape": [tuple, list, None],
        "backend": [StrOptions({"auto", "default", "opencv"})],
        "n_jobs": [Integral, None],
    }

    _any_size = True

    def __init__(
        self,
        *,
        frequencies=(0.1, 0.2, 0.3, 0.4),
        n_orientations=4,
        bandwidth=1.0,
        pool=("mean", "std"),
        top_k=10,
        percentile=99.0,
        size=None,
        image_shape=None,
        backend="auto",
        n_jobs=None,
    ):
        self.frequencies = frequencies
        self.n_orientations = n_orientations
        self.bandwidth = bandwidth
        self.pool = pool
        self.top_k = top_k
        self.percentile = percentile
        self.size = size
        self.image_shape = image_shape
        self.backend = backend
        self.n_jobs = n_jobs

    def _frequencies(self):
        try:
            frequencies = [float(f) for f in self.frequencies]
        except (TypeError, ValueError):
            frequencies = []
        if not frequencies or not all(0 < f <= 0.5 for f in frequencies):
            raise ValueError(
                "frequencies must be a non-empty list of frequencies in (0, 0.5] "
                f"cycles per pixel; got {self.frequencies!r}."
            )
        return frequencies

    def _compute(self, images):
        bank = _bank(self._frequencies(), self.n_orientations, self.bandwidth)
        stats = check_pool(self.pool, self.top_k, self.percentile)
        backend = resolve_opencv(self.backend)
        magnitude = _magnitude_opencv if backend == "opencv" else _magnitude_default
        work = np.float32 if backend == "opencv" else np.float64
        gray = _to_gray(images)
        scale = full_scale(gray.dtype)
        out = np.empty((len(gray), len(bank), len(stats)), dtype=np.float64)
        for i, image in enumerate(gray):
            image = np.ascontiguousarray(image, dtype=work) / work(scale)
            for j, (_, _, kernel) in enumerate(bank):
                response = magnitude(image, kernel)
                out[i, j] = pool_map(response, stats, self.top_k, self.percentile)
        return out.reshape(len(gray), -1)

    def _feature_names(self, n_features):
        stats = check_pool(self.pool, self.top_k, self.percentile)
        pooled = pool_names(stats, self.top_k, self.percentile)
        names = []
        for frequency, angle, _ in _bank(
            self._frequencies(), self.n_orientations, self.bandwidth
        ):
            stem = f"f{frequency:g}_a{np.degrees(angle):g}"
            names += [f"{stem}_{name}" for name in pooled]
        return names
