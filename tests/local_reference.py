"""Plain references for the tests of the local-evidence features: pooling
statistics over a list of numbers, and scale-space maps image by image."""

import math

import numpy as np
from scipy.ndimage import gaussian_filter


def pool_reference(values, stat, top_k=10, percentile=99.0):
    """One statistic of a flat list of numbers, written out."""
    values = [float(v) for v in np.ravel(values)]
    ordered = sorted(values)
    n = len(values)
    mean = math.fsum(values) / n
    if stat == "mean":
        return mean
    if stat == "std":
        return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / n)
    if stat == "sum":
        return math.fsum(values)
    if stat == "max":
        return ordered[-1]
    if stat == "min":
        return ordered[0]
    if stat == "top_k":
        largest = ordered[-min(top_k, n) :]
        return math.fsum(largest) / len(largest)
    # the percentile, interpolated linearly between the two nearest ranks
    position = percentile / 100 * (n - 1)
    low = math.floor(position)
    high = min(low + 1, n - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def jet_reference(image, sigma, ratio=2.0):
    """The five scale-space maps of one (h, w) float64 image, each with
    scipy's gaussian_filter and the Hessian's eigenvalues by numpy, pixel by
    pixel: dog, gradient, ridge_max, ridge_min, contrast."""

    def g(order=(0, 0), image=image, s=sigma):
        return gaussian_filter(image, s, order=order, mode="reflect")

    level = g()
    dog = level - g(s=ratio * sigma)
    gradient = sigma * np.sqrt(g((1, 0)) ** 2 + g((0, 1)) ** 2)
    d_rr, d_cc, d_rc = g((2, 0)), g((0, 2)), g((1, 1))
    ridge_max = np.empty_like(image)
    ridge_min = np.empty_like(image)
    for r in range(image.shape[0]):
        for c in range(image.shape[1]):
            hessian = [[d_rr[r, c], d_rc[r, c]], [d_rc[r, c], d_cc[r, c]]]
            low, high = np.linalg.eigvalsh(np.array(hessian))
            ridge_max[r, c], ridge_min[r, c] = sigma**2 * high, sigma**2 * low
    contrast = np.sqrt(np.maximum(g(image=image**2) - level**2, 0))
    return np.stack([dog, gradient, ridge_max, ridge_min, contrast], axis=-1)
