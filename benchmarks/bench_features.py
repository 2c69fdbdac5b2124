"""imgbalance's batched feature extractors against loops over scikit-image.

Prints images/s of HOGFeatures (default parameters: 9 orientations, 8x8
cells, 2x2 blocks, L2-Hys) and of a loop over ``skimage.feature.hog`` with
the same parameters, on random uint8 images at 32, 64 and 128 px, grayscale
and RGB; then of LBPFeatures (P=8, R=1, uniform, one cell) and of a loop over
``skimage.feature.local_binary_pattern`` followed by the same histogram, on
grayscale images; and the ratios. Each extractor runs with the numpy backend
("default") and, where numba is installed (the ``fast`` extra), the compiled
one, serial and with n_jobs=2. Runs alternate in rounds, best kept.

Run: ``python benchmarks/bench_features.py``.
"""

import argparse
import os
import platform
import time
import warnings

import numpy as np
from skimage.feature import hog, local_binary_pattern

from imgbalance.features import HOGFeatures, LBPFeatures
from imgbalance.features._base import numba_available


def rate(function, n_images):
    start = time.perf_counter()
    function()
    return n_images / (time.perf_counter() - start)


def variants(make):
    """(label, extractor) for each backend and job count to time."""
    out = [("default", make(backend="default"))]
    if numba_available():
        out.append(("numba", make(backend="numba")))
        out.append(("numba, n_jobs=2", make(backend="numba", n_jobs=2)))
    else:
        out.append(("default, n_jobs=2", make(backend="default", n_jobs=2)))
    return out


def compare(title, X, make, loop, n_loop, rounds):
    models = variants(make)
    for _, model in models:  # compile, warm caches
        model.fit_transform(X[:4])
    best = {label: 0.0 for label, _ in models}
    theirs = 0.0
    for _ in range(rounds):  # alternate so all see the same machine load
        for label, model in models:
            best[label] = max(best[label], rate(lambda: model.fit_transform(X), len(X)))
        theirs = max(theirs, rate(loop, n_loop))
    print(f"  {title}  skimage loop {theirs:7.0f} images/s")
    for label, ours in best.items():
        print(f"      {label:<17} {ours:8.0f} images/s   ratio {ours / theirs:5.1f}x")


def bench_hog(size, channels, n_images, rounds):
    rng = np.random.default_rng(0)
    shape = (n_images, size, size) + ((channels,) if channels > 1 else ())
    X = rng.integers(0, 256, shape, dtype=np.uint8)
    channel_axis = -1 if channels > 1 else None
    n_loop = max(50, n_images // 4)

    def loop():
        for image in X[:n_loop]:
            hog(image, cells_per_block=(2, 2), channel_axis=channel_axis)

    kind = "gray" if channels == 1 else "RGB "
    compare(f"HOG {size:>3}x{size:<3} {kind}", X, HOGFeatures, loop, n_loop, rounds)


def bench_lbp(size, n_images, rounds):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (n_images, size, size), dtype=np.uint8)
    n_loop = max(50, n_images // 4)

    def loop():
        for image in X[:n_loop]:
            codes = local_binary_pattern(image, 8, 1, "uniform").astype(np.intp)
            np.bincount(codes.ravel(), minlength=10) / codes.size

    def make(**kwargs):
        return LBPFeatures(P=8, R=1, method="uniform", **kwargs)

    compare(f"LBP {size:>3}x{size:<3} gray", X, make, loop, n_loop, rounds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"numba {'installed' if numba_available() else 'not installed'}"
    )
    for size in (32, 64, 128):
        for channels in (1, 3):
            bench_hog(size, channels, args.images, args.rounds)
    with warnings.catch_warnings():  # skimage warns on float images for LBP
        warnings.simplefilter("ignore", UserWarning)
        for size in (32, 64, 128):
            bench_lbp(size, args.images, args.rounds)


if __name__ == "__main__":
    main()
